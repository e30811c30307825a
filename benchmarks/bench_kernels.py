"""Benchmark: what one viewer's dashboard kernel costs the server, before and after issue 12.

Each viewer of a dashboard gets a kernel of their own (docs/serving.md), so its start-up CPU and
its resident memory are paid once per viewer. Issue 12 made the kernels import only what their
page needs (:mod:`workbook.ui.kernel`). This script checks out the tree before that work
(``--before``, default ``31ca9aa``) into a temporary git worktree under /tmp (removed at the
end) and measures, per dashboard, both trees side by side, alternating which goes first, over
``--rounds`` fresh processes per tree:

- ``process``: start ``python``, ``import ipykernel.ipkernel, ipywidgets`` (what every kernel
  has loaded), then run the dashboard notebook's code cells as the kernel would;
- ``kernel`` (unless ``--no-kernel``): a real ipykernel started by ``jupyter_client``, which
  executes the notebook's code cells. Outside Voilà the notebook's ``from_query_string()``
  takes the registry defaults at once (no preheat, no wait for a viewer).

Per run: CPU-seconds of the child (user + system; kernel start included for ``kernel``), wall
time to the end of the last cell, peak and final resident memory (MB) and the number of modules
imported. Both trees must show the same KPI cards (checked on every run). Plotly's bundle is
served by URL as under ``workbook dashboard`` (``WORKBOOK_WIDGET_ASSETS`` set). Medians, and the
after/before ratio, are what to read: these machines are shared and noisy.

Run: ``.venv/bin/python benchmarks/bench_kernels.py [--rounds 5] [--dashboards service-roi]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "31ca9aa"
"""The last commit before issue 12's light kernels."""

DASHBOARDS = ("service-roi", "word-of-mouth", "responsiveness", "loyalty")

REPORT = r"""
import hashlib as _h, json as _j, resource as _r, sys as _s, workbook as _wb
_n = len(_s.modules)
with open("/proc/self/statm") as _f:
    _rss = int(_f.read().split()[1]) * __import__("os").sysconf("SC_PAGE_SIZE")
_kpis = {name: card.value for name, card in app.kpi.items()}
print("BENCH " + _j.dumps({"modules": _n, "peak_mb": _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024,
                           "final_mb": _rss / 2**20, "package": _wb.__file__,
                           "kpis": _h.sha1(_j.dumps(_kpis, sort_keys=True).encode()).hexdigest()}))
"""
"""Run after the notebook's cells: what the kernel holds, and a digest of its KPI cards."""


def notebook_code(tree: Path, dashboard: str) -> str:
    """The dashboard notebook's code cells, joined, as a kernel runs them."""
    cells = json.loads((tree / "dashboards" / f"{dashboard}.ipynb").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def child_env(tree: Path) -> dict[str, str]:
    import plotly

    env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_")}
    env.pop("QUERY_STRING", None)
    return {**env, "PYTHONPATH": str(tree),
            "WORKBOOK_WIDGET_ASSETS": f"_assets/plotly-widget-{plotly.__version__}.js"}


def _report(text: str, tree: Path) -> dict[str, Any]:
    line = next(x for x in reversed(text.splitlines()) if x.startswith("BENCH "))
    result = json.loads(line[len("BENCH "):])
    if not Path(result["package"]).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"{tree}: imported the package from {result['package']} instead")
    return result


def run_process(tree: Path, dashboard: str) -> dict[str, Any]:
    """A fresh interpreter: kernel imports, then the notebook's cells."""
    code = "import ipykernel.ipkernel, ipywidgets\n" + notebook_code(tree, dashboard) + REPORT
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=child_env(tree),
                          cwd=tree / "dashboards", capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree} {dashboard}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**_report(done.stdout, tree), "cpu_s": cpu, "wall_s": wall}


def run_kernel(tree: Path, dashboard: str) -> dict[str, Any]:
    """A real ipykernel (jupyter_client) that executes the notebook's cells."""
    import psutil
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    start = time.perf_counter()
    manager.start_kernel(cwd=str(tree / "dashboards"), env=child_env(tree))
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=120)
        output: list[str] = []
        errors: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            if message["msg_type"] == "stream":
                output.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                errors.append(f"{message['content']['ename']}: {message['content']['evalue']}")

        client.execute_interactive(notebook_code(tree, dashboard) + REPORT, timeout=300,
                                   output_hook=hook)
        wall = time.perf_counter() - start
        if errors:
            raise SystemExit(f"{tree} {dashboard}: {errors}")
        process = psutil.Process(manager.provisioner.process.pid)  # type: ignore[union-attr]
        times, memory = process.cpu_times(), process.memory_info()
        result = _report("".join(output), tree)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return {**result, "cpu_s": times.user + times.system, "wall_s": wall,
            "final_mb": memory.rss / 2**20}


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """``rev`` checked out, detached, in a temporary folder; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="workbook-before-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT,
                       check=True)
        try:
            yield tree
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=False)


METRICS = (("cpu_s", "CPU-seconds", "{:.2f}"), ("wall_s", "wall seconds", "{:.2f}"),
           ("peak_mb", "peak RSS (MB)", "{:.0f}"), ("final_mb", "final RSS (MB)", "{:.0f}"),
           ("modules", "modules", "{:.0f}"))


def print_table(results: dict[tuple[str, str, str], list[dict[str, Any]]],
                dashboards: Sequence[str], kinds: Sequence[str], rounds: int) -> None:
    print(f"medians of {rounds} fresh processes per tree and set-up, alternating which tree "
          "goes first")
    header = f"{'dashboard':16}{'set-up':9}{'metric':16}{'before':>10}{'after':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for dashboard in dashboards:
        for kind in kinds:
            for key, label, form in METRICS:
                before = statistics.median(r[key] for r in results[dashboard, kind, "before"])
                after = statistics.median(r[key] for r in results[dashboard, kind, "after"])
                print(f"{dashboard:16}{kind:9}{label:16}{form.format(before):>10}"
                      f"{form.format(after):>10}{after / before:8.2f}")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=5, help="fresh processes per tree")
    parser.add_argument("--dashboards", nargs="+", default=list(DASHBOARDS),
                        choices=DASHBOARDS, help="which dashboards (default all)")
    parser.add_argument("--no-kernel", action="store_true",
                        help="only the plain-process set-up (no jupyter_client kernels)")
    args = parser.parse_args()
    kinds = ["process"] if args.no_kernel else ["process", "kernel"]
    runners = {"process": run_process, "kernel": run_kernel}
    results: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    with worktree(args.before) as old_tree:
        trees = [("before", old_tree), ("after", ROOT)]
        for i in range(args.rounds):
            for dashboard in args.dashboards:
                for kind in kinds:
                    for name, tree in trees if i % 2 == 0 else trees[::-1]:
                        result = runners[kind](tree, dashboard)
                        results.setdefault((dashboard, kind, name), []).append(result)
    print_table(results, args.dashboards, kinds, args.rounds)
    digests = {(d, r["kpis"]) for (d, _k, _n), rs in results.items() for r in rs}
    same = len(digests) == len(args.dashboards)
    print(f"same KPI cards in both trees, every run: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
