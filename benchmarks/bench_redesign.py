"""Benchmark: the declared-once parameters and the generic Monte Carlo against the code before.

Issue 11 replaced hand-written ``__post_init__`` checks with checks derived from declarations
(:class:`workbook.core.declare.Params`) and the per-model Monte Carlo with one generic
``simulate``. Both sit on the dashboards' hot path: every slider move builds a parameter object,
and the ROI page re-runs 10,000 draws. This script checks out the tree as it was before the
redesign (``--before``, default the last commit before it) into a temporary git worktree and
times the same calls in both trees, each in a fresh process, side by side in one run:

- building ``ServiceRoiParams()`` (validation included), microseconds;
- ``compute_service_roi`` on the defaults;
- ``simulate_service_roi`` with 10,000 draws (sampling included).

It also checks that both trees give the same NPV and the same P10/P50/P90 to the bit. Medians
over ``--rounds`` fresh processes per tree, alternating which tree goes first; the ratios
are what to read (these machines are noisy).

Run: ``.venv/bin/python benchmarks/bench_redesign.py [--before REV] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "1fc040f"
"""The last commit before issue 11's redesign."""

PROBE = r"""
import json, statistics, sys, time
import numpy as np
import workbook
from workbook import ServiceRoiParams, compute_service_roi
from workbook.uncertainty import simulate_service_roi

def median_seconds(call, number, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            call()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)

repeats = int(sys.argv[1])
params = ServiceRoiParams()
simulation = simulate_service_roi(params)
print(json.dumps({
    "package": workbook.__file__,
    "params_us": 1e6 * median_seconds(ServiceRoiParams, 2000, repeats),
    "compute_ms": 1e3 * median_seconds(lambda: compute_service_roi(params), 200, repeats),
    "simulate_ms": 1e3 * median_seconds(lambda: simulate_service_roi(params), 10, repeats),
    "npv": compute_service_roi(params).npv,
    "percentiles": [float(np.percentile(simulation.npv, p)) for p in (10, 50, 90)],
}))
"""


def probe(tree: Path, repeats: int) -> dict[str, float]:
    """Run :data:`PROBE` with ``tree``'s package first on the path, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(repeats)], env=env, cwd=tree,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(result["package"]).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"{tree}: imported the package from {result['package']} instead")
    return result


def _medians(results: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(results[0])
    for key in ("params_us", "compute_ms", "simulate_ms"):
        merged[key] = statistics.median(r[key] for r in results)
    merged["same_everywhere"] = all(
        r["npv"] == merged["npv"] and r["percentiles"] == merged["percentiles"] for r in results)
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="commit before the redesign")
    parser.add_argument("--repeats", type=int, default=5, help="timings within a process")
    parser.add_argument("--rounds", type=int, default=6, help="fresh processes per tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbook-before-") as tmp:
        old_tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_tree), args.before],
                       cwd=ROOT, check=True)
        try:
            rounds: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
            for i in range(args.rounds):  # alternate which tree goes first: no order bias
                order = [("before", old_tree), ("after", ROOT)]
                for name, tree in order if i % 2 == 0 else order[::-1]:
                    rounds[name].append(probe(tree, args.repeats))
            before, after = (_medians(rounds["before"]), _medians(rounds["after"]))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT,
                           check=False)
    print(f"medians of {args.rounds} fresh processes per tree, alternating which goes first "
          f"(each the median of {args.repeats} timings)")
    print(f"{'':34}{'before':>12}{'after':>12}{'after/before':>14}")
    for key, label in (("params_us", "ServiceRoiParams() (µs)"),
                       ("compute_ms", "compute_service_roi (ms)"),
                       ("simulate_ms", "simulate_service_roi 10k (ms)")):
        print(f"{label:34}{before[key]:12.3f}{after[key]:12.3f}{after[key] / before[key]:14.2f}")
    same = (before["npv"] == after["npv"] and before["percentiles"] == after["percentiles"]
            and before["same_everywhere"] and after["same_everywhere"])
    print(f"same NPV and P10/P50/P90 to the bit: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
