"""Benchmark: 10,000 Monte Carlo draws of the complaint and word-of-mouth models.

For each model, side by side in one run on the same draws: the vectorised simulation
(``workbook.uncertainty.recovery``, the models' own vectorised cores on arrays) against a Python
loop that builds a validated parameter object per draw and calls the scalar ``compute_*``
function, which is what a simulation without the vectorised models would do. The two must give
the same net values. Also timed: the word-of-mouth dashboard's whole refresh (both models, their
low/mid/high ranges and both simulations). Issue 7's budget: 10,000 draws in under 50 ms.

Run: ``.venv/bin/python benchmarks/bench_recovery.py [--draws N] [--repeats R]``. Prints medians
over the repeats and the ratios (this machine is noisy: compare within one run).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from workbook.models.recovery.analysis import analyse_recovery
from workbook.models.recovery.complaints import ComplaintParams, compute_complaint_recovery
from workbook.models.recovery.word_of_mouth import WordOfMouthParams, compute_word_of_mouth
from workbook.uncertainty import UncertaintyParams
from workbook.uncertainty.recovery import simulate_complaint_recovery, simulate_word_of_mouth

BUDGET_MS = 50.0


def median_ms(work: Callable[[], Any], repeats: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def loop_net_values(simulation: Any, params: Any, compute: Callable[[Any], Any]) -> np.ndarray:
    """The scalar model once per draw, over the simulation's own draws."""
    names = list(simulation.inputs)
    columns = [simulation.inputs[n] for n in names]
    out = np.empty(simulation.draws)
    for i in range(simulation.draws):
        draw = {n: (round(c[i]) if isinstance(getattr(params, n), int) else float(c[i]))
                for n, c in zip(names, columns, strict=True)}
        out[i] = compute(dataclasses.replace(params, **draw)).net_value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    u = UncertaintyParams(draws=args.draws)
    cases = [
        ("complaint recovery", ComplaintParams(), simulate_complaint_recovery,
         compute_complaint_recovery),
        ("word of mouth", WordOfMouthParams(), simulate_word_of_mouth, compute_word_of_mouth),
    ]
    print(f"{args.draws:,} draws, medians of {args.repeats} repeats (loop: 3 repeats)")
    for name, params, simulate, compute in cases:
        simulation = simulate(params, u)
        looped = loop_net_values(simulation, params, compute)
        same = np.allclose(looped, simulation.net_value, rtol=1e-9, atol=1e-6)
        fast = median_ms(lambda s=simulate, p=params: s(p, u), args.repeats)
        slow = median_ms(lambda s=simulation, p=params, c=compute: loop_net_values(s, p, c), 3)
        verdict = "within" if fast < BUDGET_MS else "OVER"
        print(f"  {name:20s} vectorised {fast:7.1f} ms ({verdict} the {BUDGET_MS:.0f} ms budget)"
              f"  loop {slow:8.1f} ms  ratio {slow / fast:5.0f}x  same net values: {same}")
    refresh = median_ms(analyse_recovery, args.repeats)
    print(f"  dashboard refresh (both models, ranges, both simulations): {refresh:.1f} ms")


if __name__ == "__main__":
    main()
