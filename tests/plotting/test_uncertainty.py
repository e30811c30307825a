"""Risk charts: fixed traces, data true to the results, and in-place updates for a dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from workbook.core.formatting import format_percent
from workbook.models.roi.service_roi import ServiceRoiParams
from workbook.plotting.uncertainty import (
    break_even_map_traces,
    cash_fan_traces,
    npv_histogram_traces,
    plot_break_even_map,
    plot_cash_fan,
    plot_npv_histogram,
    plot_risk_panel,
    plot_spider,
    plot_tornado,
    risk_panel_traces,
    spider_traces,
    tornado_traces,
)
from workbook.uncertainty import (
    UncertaintyParams,
    compute_break_even_map,
    compute_spider,
    compute_tornado,
    simulate_service_roi,
)

BASE = ServiceRoiParams()
MOVED = ServiceRoiParams(spend_uplift_excellent_service=0.05, upfront_investment=450_000,
                         horizon_years=5)
SMALL = UncertaintyParams(draws=2_000)


def results(params: ServiceRoiParams) -> dict[str, Any]:
    simulation = simulate_service_roi(params, SMALL)
    return {
        "fan": simulation,
        "histogram": simulation,
        "tornado": compute_tornado(params),
        "spider": compute_spider(params, points=9),
        "break_even": compute_break_even_map(params, points=11),
        "risk_panel": (simulation, compute_tornado(params)),
    }


CHARTS: dict[str, tuple[Callable[[Any], go.Figure], Callable[[Any], dict], int]] = {
    "fan": (plot_cash_fan, cash_fan_traces, 6),
    "histogram": (plot_npv_histogram, npv_histogram_traces, 4),
    "tornado": (plot_tornado, tornado_traces, 2),
    "spider": (plot_spider, spider_traces, 4),
    "break_even": (plot_break_even_map, break_even_map_traces, 3),
    "risk_panel": (lambda risk: plot_risk_panel(*risk), risk_panel_traces, 6),
}


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return results(BASE)


@pytest.fixture(scope="module")
def moved() -> dict[str, Any]:
    return results(MOVED)


def same(first: Any, second: Any) -> bool:
    """Equal data, with ``nan`` equal to ``nan`` (a gap in a line) and ``None`` to ``None``."""
    a, b = np.asarray(first, dtype=object), np.asarray(second, dtype=object)
    if a.shape != b.shape:
        return False
    both_nan = [isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y)
                for x, y in zip(a.ravel(), b.ravel(), strict=True)]
    return all(n or x == y for n, x, y in zip(both_nan, a.ravel(), b.ravel(), strict=True))


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_figure_is_built_from_its_traces(chart: str, base: dict[str, Any]) -> None:
    plot, traces_of, count = CHARTS[chart]
    figure, traces = plot(base[chart]), traces_of(base[chart])
    assert len(figure.data) == count == len(traces["data"])
    assert figure.layout.title.text == traces["title"]
    for trace, data in zip(figure.data, traces["data"], strict=True):
        for key, value in data.items():
            assert same(trace[key], value), (chart, key)


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_update_in_place_equals_a_fresh_figure(chart: str, base: dict[str, Any],
                                               moved: dict[str, Any]) -> None:
    plot, traces_of, _ = CHARTS[chart]
    figure, fresh, traces = plot(base[chart]), plot(moved[chart]), traces_of(moved[chart])
    with figure.batch_update():
        for trace, data in zip(figure.data, traces["data"], strict=True):
            trace.update(data)
        figure.layout.title.text = traces["title"]
    for old, new, data in zip(figure.data, fresh.data, traces["data"], strict=True):
        for key in data:
            assert same(old[key], new[key]), (chart, key)
    assert figure.layout.title.text == fresh.layout.title.text


def test_histogram_shares_add_up_and_no_bar_straddles_break_even(base: dict[str, Any]) -> None:
    simulation = base["histogram"]
    loss, gain, marks, at_values = npv_histogram_traces(simulation)["data"]
    assert np.sum(loss["y"]) + np.sum(gain["y"]) == pytest.approx(1.0)
    half = loss["width"] / 2
    assert (np.asarray(loss["x"]) + half <= 1e-6 * half).all()
    assert (np.asarray(gain["x"]) - half >= -1e-6 * half).all()
    share_at_a_loss = np.sum(loss["y"])
    assert share_at_a_loss == pytest.approx(1 - simulation.probability_npv_positive)
    headline = simulation.headline()
    assert marks["x"][0::3] == [headline["npv_p10"], headline["npv_p50"], headline["npv_p90"]]
    assert at_values["x"] == [simulation.base.npv]
    title = npv_histogram_traces(simulation)["title"]
    assert format_percent(simulation.probability_npv_positive) in title


def test_histogram_of_a_collapsed_simulation_is_one_bar() -> None:
    simulation = simulate_service_roi(BASE, UncertaintyParams(draws=100, widen_factor=0))
    loss, gain, _, _ = npv_histogram_traces(simulation)["data"]
    assert len(loss["x"]) + len(gain["x"]) == 1
    assert np.sum(gain["y"]) == 1.0


def test_fan_bands_are_nested_and_start_at_the_investment(base: dict[str, Any]) -> None:
    low, high, q1, q3, median, at_values = cash_fan_traces(base["fan"])["data"]
    stacked = np.vstack([low["y"], q1["y"], median["y"], q3["y"], high["y"]])
    assert (np.diff(stacked, axis=0) >= 0).all()
    assert list(low["x"]) == [0, 12, 24, 36, 48, 60]
    assert stacked[:, 0] == pytest.approx(-BASE.upfront_investment)
    assert list(at_values["y"]) == list(base["fan"].base.cumulative_cash)


def test_tornado_bars_start_at_the_base_and_end_at_each_bound(base: dict[str, Any]) -> None:
    tornado = base["tornado"]
    low, high = tornado_traces(tornado)["data"]
    assert low["y"] == tornado.table["label"].tolist()
    assert set(low["base"]) == {tornado.base_npv}
    np.testing.assert_allclose(np.asarray(low["x"]) + tornado.base_npv, tornado.table["npv_low"])
    np.testing.assert_allclose(np.asarray(high["x"]) + tornado.base_npv,
                               tornado.table["npv_high"])
    row = tornado.table.index.get_loc("spend_uplift_excellent_service")
    assert (low["customdata"][row][0], high["customdata"][row][0]) == ("3.0 %", "15.0 %")
    assert plot_tornado(tornado).layout.yaxis.autorange == "reversed"  # largest swing on top


def test_spider_hover_shows_the_input_values(base: dict[str, Any]) -> None:
    spider = base["spider"]
    traces = spider_traces(spider)["data"]
    names = list(spider.ranges)
    uplift = traces[names.index("spend_uplift_excellent_service")]
    assert uplift["customdata"][0] == "3.0 %" and uplift["customdata"][-1] == "15.0 %"
    assert [t.name for t in plot_spider(spider).data] == [r.label for r in spider.ranges.values()]


def test_break_even_map_draws_the_grid_the_line_and_the_current_values(
        base: dict[str, Any]) -> None:
    grid = base["break_even"]
    heat, line, here = break_even_map_traces(grid)["data"]
    assert heat["z"] is grid.npv
    assert heat["zmin"] == -heat["zmax"]  # white is NPV = 0
    assert same(line["y"], grid.zero_line)
    assert (here["x"], here["y"]) == ([BASE.spend_uplift_excellent_service],
                                      [BASE.upfront_investment])
    figure = plot_break_even_map(grid)
    assert figure.layout.xaxis.tickformat == ".0%"
    assert figure.layout.xaxis.title.text == grid.x_label
