"""Batch charts: fixed traces, data true to the headline table, gaps for missing numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.formatting import format_percent
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.plotting.batch import (
    plot_probability_npv_positive,
    plot_scenario_npv,
    probability_npv_positive_traces,
    scenario_npv_traces,
)
from workbook.plotting.style import GAIN, LOSS, MUTED
from workbook.uncertainty import UncertaintyParams, simulate_service_roi

SMALL = UncertaintyParams(draws=2_000)


def simulated_table(**scenarios: ServiceRoiParams) -> pd.DataFrame:
    """The headline table a batch of the ROI notebook builds, computed directly."""
    rows = {}
    for name, params in scenarios.items():
        headline = {**compute_service_roi(params).headline(),
                    **simulate_service_roi(params, SMALL).headline()}
        rows[name] = {c: headline[c] for c in ("npv", "npv_p10", "npv_p50", "npv_p90",
                                               "probability_npv_positive")}
    return pd.DataFrame.from_dict(rows, orient="index")


TABLE = simulated_table(baseline=ServiceRoiParams(),
                        conservative=ServiceRoiParams(spend_uplift_excellent_service=0.03,
                                                      retention_uplift_rate=0.0,
                                                      excellent_service_share=0.1))


def test_npv_chart_has_bars_at_the_values_and_p10_p90_around_the_median() -> None:
    figure = plot_scenario_npv(TABLE)
    bars, ranges = figure.data
    assert list(bars.x) == ["baseline", "conservative"]
    assert list(bars.y) == pytest.approx(TABLE["npv"].tolist(), rel=1e-12)
    assert list(bars.marker.color) == [GAIN, LOSS]  # the package: baseline > 0, conservative < 0
    assert list(ranges.y) == pytest.approx(TABLE["npv_p50"].tolist(), rel=1e-12)
    tops = [y + up for y, up in zip(ranges.y, ranges.error_y.array, strict=True)]
    bottoms = [y - down for y, down in zip(ranges.y, ranges.error_y.arrayminus, strict=True)]
    assert tops == pytest.approx(TABLE["npv_p90"].tolist(), rel=1e-12)
    assert bottoms == pytest.approx(TABLE["npv_p10"].tolist(), rel=1e-12)


def test_probability_chart_shows_the_simulated_chance() -> None:
    (bars,) = plot_probability_npv_positive(TABLE).data
    assert list(bars.y) == TABLE["probability_npv_positive"].tolist()
    assert list(bars.text) == [format_percent(v) for v in TABLE["probability_npv_positive"]]


def test_runs_without_a_simulation_leave_gaps_not_zeros() -> None:
    table = pd.DataFrame({"npv": [1000.0, math.nan]}, index=["plain", "failed"])
    bars, ranges = scenario_npv_traces(table)["data"]
    assert bars["y"] == [1000.0, None] and bars["marker"]["color"] == [GAIN, MUTED]
    assert ranges["y"] == [None, None]
    (chance,) = probability_npv_positive_traces(table)["data"]
    assert chance["y"] == [None, None] and chance["text"] == ["—", "—"]


@pytest.mark.parametrize(("plot", "traces"), [
    (plot_scenario_npv, scenario_npv_traces),
    (plot_probability_npv_positive, probability_npv_positive_traces),
])
def test_trace_count_is_fixed_so_a_live_chart_can_be_updated(plot, traces) -> None:
    one, three = TABLE.iloc[:1], pd.concat([TABLE, TABLE.rename(index=lambda s: s + "-2")])
    assert len(plot(one).data) == len(plot(three).data) == len(traces(one)["data"])
    figure = plot(one)
    for trace, properties in zip(figure.data, traces(three)["data"], strict=True):
        trace.update(properties)
    assert len(figure.data[0].x) == 4


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(*[st.floats(-1e7, 1e7, allow_nan=False)] * 3), min_size=1,
                max_size=6))
def test_error_bars_are_never_negative_and_span_p10_to_p90(values) -> None:
    rows = [sorted(v) for v in values]
    table = pd.DataFrame(rows, columns=["npv_p10", "npv_p50", "npv_p90"],
                         index=[f"s{i}" for i in range(len(rows))]).assign(npv=0.0)
    _, ranges = scenario_npv_traces(table)["data"]
    error = ranges["error_y"]
    assert min(error["array"]) >= 0 and min(error["arrayminus"]) >= 0
    for (low, mid, high), up, down in zip(rows, error["array"], error["arrayminus"],
                                          strict=True):
        assert mid + up == pytest.approx(high, abs=1e-6)
        assert mid - down == pytest.approx(low, abs=1e-6)
