"""Benchmark: a scenario batch, ``workbook batch --workers 2`` against a papermill CLI loop.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--runs 8] [--workers 2]`` (issue 6 asks for
``--runs 24``). In one run, side by side, on the same generated scenarios (the ROI notebook's
``spend_uplift_excellent_service`` spread over its registry range) and the same machine, it
times:

- ``papermill loop``: the ``papermill`` command line once per scenario, one after another
  (what a shell script would do): a new interpreter and a new kernel per run;
- ``workbook batch``: ``workbook batch PORTFOLIO --out DIR --workers N`` (worker processes,
  reused from run to run, one kernel per run, a per-run timeout watched by the batch, plus the
  HTML report, results, summary, manifest and index with its charts).

Each is one wall-clock measurement (a single batch takes tens of seconds, so no repeats); the
peak memory is the largest summed resident memory of the process tree, sampled every 0.2 s.
Printed: wall times, their ratio and the seconds per run of each. Machines here are noisy and
shared: compare within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook.core.paths import NOTEBOOKS
from workbook.core.registry import get_assumption

NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"
PAPERMILL = Path(sys.executable).with_name("papermill")


def write_scenarios(folder: Path, runs: int) -> tuple[Path, list[float]]:
    """``runs`` scenarios spreading the spend uplift over its range, and their portfolio."""
    uplift = get_assumption("spend_uplift_excellent_service")
    step = (uplift.high - uplift.low) / max(runs - 1, 1)
    values = [round(uplift.low + i * step, 6) for i in range(runs)]
    for i, value in enumerate(values):
        (folder / f"s{i:02d}.yaml").write_text(yaml.safe_dump(
            {"name": f"s{i:02d}", "parameters": {"spend_uplift_excellent_service": value}}))
    portfolio = folder / "portfolio.yaml"
    portfolio.write_text(yaml.safe_dump({"notebooks": [str(NOTEBOOK)], "scenarios": ["s*.yaml"]}))
    return portfolio, values


def _tree_rss_bytes(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a child that ended meanwhile
            total += member.memory_info().rss
    return total


def timed(commands: list[list[str]]) -> tuple[float, int]:
    """Wall seconds for the commands run one after another, and the peak tree RSS in bytes."""
    peak = 0
    start = time.perf_counter()
    for command in commands:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        watched = psutil.Process(child.pid)
        while child.poll() is None:
            peak = max(peak, _tree_rss_bytes(watched))
            time.sleep(0.2)
        if child.returncode != 0:
            raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}")
    return time.perf_counter() - start, peak


def main() -> None:
    """Run both set-ups on the same scenarios and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="scenarios (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="batch workers (default 2)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        portfolio, values = write_scenarios(folder, args.runs)
        loop = [
            [str(PAPERMILL), str(NOTEBOOK), str(folder / "loop" / f"s{i:02d}.ipynb"),
             "-p", "spend_uplift_excellent_service", str(value), "--cwd", str(NOTEBOOKS),
             "--no-progress-bar", "--no-log-output"]
            for i, value in enumerate(values)
        ]
        (folder / "loop").mkdir()
        batch = [[sys.executable, "-m", "workbook.cli", "batch", str(portfolio),
                  "--out", str(folder / "batch"), "--workers", str(args.workers)]]
        print(f"{args.runs} runs of {NOTEBOOK.name}; {psutil.cpu_count()} cores")
        loop_seconds, loop_peak = timed(loop)
        batch_seconds, batch_peak = timed(batch)
        rows = [("papermill loop (sequential)", loop_seconds, loop_peak),
                (f"workbook batch --workers {args.workers}", batch_seconds, batch_peak)]
        print(f"{'set-up':34} {'wall s':>8} {'s/run':>7} {'peak MB':>8}")
        for name, seconds, peak in rows:
            print(f"{name:34} {seconds:8.1f} {seconds / args.runs:7.2f} {peak / 2**20:8.0f}")
        print(f"speed-up (loop / batch): {loop_seconds / batch_seconds:.2f}x")
        print(f"batch wall time per run: {batch_seconds / args.runs:.2f} s "
              f"(the loop's {loop_seconds / args.runs:.2f} s is mostly interpreter, kernel "
              "start and imports)")
        per_worker = batch_seconds * args.workers / args.runs
        print(f"batch per-run cost on one worker: {per_worker:.2f} s (wall x workers / runs), "
              f"so {per_worker - loop_seconds / args.runs:+.2f} s per run against a papermill "
              "CLI run (the batch also writes HTML, results and the index; on 2 cores the two "
              "workers share them with the kernels)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
