"""Benchmark: sizing a 96-interval day, vectorised Erlang C against per-interval loops.

Run: ``.venv/bin/python benchmarks/bench_staffing.py``. In one run, side by side, on the same
day and the same machine, it times:

- ``size_intervals``: the workbook's vectorised sizing (Erlang B for every interval and agent
  count at once, as a Poisson ratio in log space);
- the same with its fallback forced: the Erlang B recursion run upward in the number of
  agents over all intervals together (what it uses when the grid would be huge);
- a loop of ``agents_for_service_level``: the workbook's scalar sizing, interval by interval;
- a naive loop: the textbook factorial form of Erlang C with an incremental agent search,
  interval by interval (what a spreadsheet port looks like; it overflows beyond about 170
  agents, so the day's peak is kept below that);
- ``plan_day`` on the sample call log at 15 minutes: validation, aggregation and sizing.

It checks that the three sizings agree, then prints the median of several repeats of each
and the ratios.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from workbook.data.calllog import load_sample_call_log
from workbook.models.responsiveness import sizing
from workbook.models.responsiveness.day_plan import plan_day
from workbook.models.responsiveness.sizing import agents_for_service_level, size_intervals
from workbook.models.responsiveness.staffing import StaffingParams

REPEATS = 9
WITHIN_SECONDS = 24.0  # the 4th ring of 6 s
TARGET = 0.80


def day_profile(peak_calls_per_hour: float) -> np.ndarray:
    """Calls per hour for 96 quarter-hours: closed at night, morning and afternoon peaks."""
    hours = (np.arange(96) + 0.5) / 4
    shape = (0.25 + np.exp(-0.5 * ((hours - 10.5) / 1.3) ** 2)
             + 0.8 * np.exp(-0.5 * ((hours - 14.5) / 1.6) ** 2))
    shape = np.where((hours >= 8) & (hours < 20), shape, 0.0)
    return peak_calls_per_hour * shape / shape.max()


def naive_erlang_c(agents: int, traffic: float) -> float:
    """Textbook Erlang C with factorials (overflows for large agent counts)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    return top / (below + top)


def naive_agents(calls_per_hour: float, aht_seconds: float) -> int:
    traffic = calls_per_hour * aht_seconds / 3600
    if traffic == 0:
        return 0
    n = math.floor(traffic) + 1
    while True:
        waiting = naive_erlang_c(n, traffic)
        if 1 - waiting * math.exp(-(n - traffic) * WITHIN_SECONDS / aht_seconds) >= TARGET:
            return n
        n += 1


def median_seconds(run: Callable[[], object]) -> float:
    run()  # warm up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def size_by_recursion(calls: np.ndarray, aht_seconds: float) -> np.ndarray:
    limit = sizing._GRID_LIMIT
    sizing._GRID_LIMIT = 0  # every grid is "too big": take the fallback
    try:
        return size_intervals(calls, aht_seconds, WITHIN_SECONDS, TARGET)
    finally:
        sizing._GRID_LIMIT = limit


def bench_day(label: str, peak_calls_per_hour: float, aht_seconds: float) -> None:
    calls = day_profile(peak_calls_per_hour)
    vector = size_intervals(calls, aht_seconds, WITHIN_SECONDS, TARGET)
    recursion = size_by_recursion(calls, aht_seconds)
    scalar = [agents_for_service_level(c, aht_seconds, WITHIN_SECONDS, TARGET) for c in calls]
    naive = [naive_agents(c, aht_seconds) for c in calls]
    assert vector.tolist() == recursion.tolist() == scalar == naive, "the sizings disagree"

    timings = {
        "size_intervals (vectorised)": median_seconds(
            lambda: size_intervals(calls, aht_seconds, WITHIN_SECONDS, TARGET)),
        "size_intervals, recursion fallback": median_seconds(
            lambda: size_by_recursion(calls, aht_seconds)),
        "agents_for_service_level loop": median_seconds(
            lambda: [agents_for_service_level(c, aht_seconds, WITHIN_SECONDS, TARGET)
                     for c in calls]),
        "naive factorial loop": median_seconds(
            lambda: [naive_agents(c, aht_seconds) for c in calls]),
    }
    base = timings["size_intervals (vectorised)"]
    print(f"\n{label}: 96 intervals, peak {peak_calls_per_hour:g} calls/hour x "
          f"{aht_seconds:g} s (peak {vector.max()} agents), median of {REPEATS}")
    for name, seconds in timings.items():
        print(f"  {name:36s} {seconds * 1e3:9.3f} ms   {seconds / base:7.1f}x")


def bench_plan() -> None:
    log = load_sample_call_log()
    params = StaffingParams()
    seconds = median_seconds(lambda: plan_day(log, params, interval_minutes=15))
    print(f"\nplan_day on the sample log ({len(log)} calls, 96 intervals of 15 minutes), "
          f"median of {REPEATS}: {seconds * 1e3:.2f} ms")


def main() -> None:
    bench_day("Small centre", 80, 210)
    bench_day("Mid-size centre", 600, 240)
    bench_day("Large centre (naive near its overflow)", 2_000, 240)
    bench_plan()


if __name__ == "__main__":
    main()
