"""Benchmark: 10,000 Monte Carlo draws of the service-ROI model, vectorised vs a Python loop.

Both implementations get the same draws (``sample_inputs``) and must give the same NPVs. The
loop builds a validated ``ServiceRoiParams`` per draw and calls ``compute_service_roi``, which
is what a simulation without the vectorised model would do. Also timed: the whole simulation
(sampling included, the figure the dashboard's 50 ms budget is about) and a full risk-panel
refresh (simulation, tornado, spider, break-even map and the traces of all five charts).

Run: ``.venv/bin/python benchmarks/bench_uncertainty.py [--draws N] [--repeats R]``.
Prints medians over the repeats and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from workbook.models.roi.service_roi import (
    SERVICE_ROI,
    ServiceRoiParams,
    compute_service_roi,
    service_roi_outcomes,
)
from workbook.plotting.uncertainty import (
    break_even_map_traces,
    cash_fan_traces,
    npv_histogram_traces,
    spider_traces,
    tornado_traces,
)
from workbook.uncertainty import (
    UncertaintyParams,
    compute_break_even_map,
    compute_spider,
    compute_tornado,
    sample_inputs,
    simulate_service_roi,
)

BUDGET_MS = 50.0
"""Issue 7: 10,000 draws within the dashboard's latency budget."""


def median_ms(run: Callable[[], Any], repeats: int) -> float:
    """Median wall time of ``run()`` in milliseconds, after one warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def loop_of_models(params: ServiceRoiParams, draws: dict[str, Any], n: int) -> np.ndarray:
    """NPV per draw, one validated parameter object and one model call at a time."""
    varying = {name: values for name, values in draws.items() if np.ndim(values) == 1}
    npv = np.empty(n)
    for i in range(n):
        npv[i] = compute_service_roi(
            params.replace(**{name: float(values[i]) for name, values in varying.items()})).npv
    return npv


def risk_panel(params: ServiceRoiParams, uncertainty: UncertaintyParams) -> list[dict]:
    """Everything a dashboard's risk panel recomputes when a slider moves."""
    simulation = simulate_service_roi(params, uncertainty)
    return [
        cash_fan_traces(simulation),
        npv_histogram_traces(simulation),
        tornado_traces(compute_tornado(params, uncertainty)),
        spider_traces(compute_spider(params, uncertainty)),
        break_even_map_traces(compute_break_even_map(params, uncertainty)),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=21, help="for the vectorised runs")
    parser.add_argument("--loop-repeats", type=int, default=3, help="for the Python loop")
    args = parser.parse_args(argv)

    params = ServiceRoiParams()
    uncertainty = UncertaintyParams(draws=args.draws)
    draws = sample_inputs(params, uncertainty, model=SERVICE_ROI)

    vectorised = np.broadcast_to(service_roi_outcomes(draws)["npv"], (args.draws,))
    looped = loop_of_models(params, draws, args.draws)
    difference = float(np.max(np.abs(vectorised - looped)))

    model_ms = median_ms(lambda: service_roi_outcomes(draws), args.repeats)
    loop_ms = median_ms(lambda: loop_of_models(params, draws, args.draws), args.loop_repeats)
    simulation_ms = median_ms(lambda: simulate_service_roi(params, uncertainty), args.repeats)
    correlated = uncertainty.replace(correlate_quality=True)
    correlated_ms = median_ms(lambda: simulate_service_roi(params, correlated), args.repeats)
    panel_ms = median_ms(lambda: risk_panel(params, uncertainty), args.repeats)

    print(f"Service-ROI Monte Carlo, {args.draws:,} draws "
          f"(medians of {args.repeats} runs; loop: {args.loop_repeats} runs)")
    print(f"  same draws, largest NPV difference loop vs vectorised: {difference:.3g}")
    rows = [
        ("loop: ServiceRoiParams + compute_service_roi per draw", loop_ms),
        ("vectorised model (model only)", model_ms),
        ("simulate_service_roi (sampling + model)", simulation_ms),
        ("  with correlated quality effects", correlated_ms),
        ("risk panel: simulation + tornado + spider + map + traces", panel_ms),
    ]
    for label, ms in rows:
        print(f"  {label:<58} {ms:10.2f} ms")
    print(f"  speed-up of the vectorised model over the loop: {loop_ms / model_ms:,.0f}×")
    print(f"  whole simulation vs the loop: {loop_ms / simulation_ms:,.0f}×")
    verdict = "within" if simulation_ms <= BUDGET_MS else "OVER"
    print(f"  simulation {simulation_ms:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
