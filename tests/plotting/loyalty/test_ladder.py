"""Charts of the loyalty ladder: traces carry the numbers, figures keep their trace count."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from workbook.data.load import load_customer_data
from workbook.models.loyalty.ladder import STAGES, LadderResult, compute_ladder
from workbook.models.loyalty.pareto import compute_pareto
from workbook.plotting.loyalty.ladder import (
    forecast_traces,
    funnel_traces,
    lorenz_traces,
    plot_forecast,
    plot_funnel,
    plot_lorenz,
    plot_sankey,
    sankey_traces,
)


@pytest.fixture(scope="module")
def result() -> LadderResult:
    return compute_ladder(load_customer_data())


def test_funnel_shows_every_stage_in_ladder_order(result: LadderResult) -> None:
    figure = plot_funnel(result)
    assert len(figure.data) == 1 and isinstance(figure.data[0], go.Funnel)
    assert list(figure.data[0].x) == [int(result.counts[s]) for s in STAGES]
    assert figure.data[0].y[0] == "Suspect" and figure.data[0].y[-1] == "Lost (inactive)"
    assert "2,828 customers" in figure.layout.title.text


def test_sankey_links_carry_every_person_once(result: LadderResult) -> None:
    traces = sankey_traces(result.transitions)
    link = traces["data"][0]["link"]
    assert sum(link["value"]) == int(result.transitions.counts.to_numpy().sum())
    assert all(v > 0 for v in link["value"])
    figure = plot_sankey(result.transitions)
    assert len(figure.data) == 1 and len(figure.data[0].node.label) == 2 * len(STAGES) + 1
    assert figure.layout.title.text == "Moves between stages, 2025-10-01 → 2025-12-31"


def test_lorenz_curve_by_hand() -> None:
    pareto = compute_pareto([40, 40] + [2.5] * 8)
    traces = lorenz_traces(pareto)
    curve, _equal, point = traces["data"]
    assert len(curve["x"]) == 501 and curve["y"][0] == 0 and curve["y"][-1] == 1
    assert point["x"] == [pytest.approx(0.8)] and point["y"] == [pytest.approx(0.2)]
    assert traces["title"] == "Top 20 % of customers bring 80.0 % of revenue (Gini 0.60)"
    assert len(plot_lorenz(pareto).data) == 3


def test_traces_update_a_figure_in_place(result: LadderResult) -> None:
    figure = plot_lorenz(result.pareto)
    other = compute_pareto([1, 1, 1, 1])
    with figure.batch_update():
        for trace, data in zip(figure.data, lorenz_traces(other)["data"], strict=True):
            trace.update(data)
    assert np.allclose(figure.data[0].y, figure.data[0].x)


def test_forecast_has_a_trace_per_stage(result: LadderResult) -> None:
    figure = plot_forecast(result)
    assert figure.data[0].name == "Suspect" and len(figure.data) == len(STAGES)
    totals = np.sum([t["y"] for t in forecast_traces(result)["data"]], axis=0)
    assert np.allclose(totals, result.counts.sum())
    assert len(funnel_traces(result)["data"]) == 1


def test_sankey_traces_carry_the_dates_so_a_live_chart_can_move_in_time(
        result: LadderResult) -> None:
    figure = plot_sankey(result.transitions)
    earlier = compute_ladder(load_customer_data(), as_of="2024-06-30").transitions
    with figure.batch_update():
        for trace, data in zip(figure.data, sankey_traces(earlier)["data"], strict=True):
            trace.update(data)
    labels = list(figure.data[0].node.label)
    # one period (91 days) before 2024-06-30 on the left, the date itself on the right
    assert labels[0] == "Suspect (2024-03-31)" and labels[-1] == "Lost (inactive) (2024-06-30)"
    assert labels[len(STAGES)] == "New since 2024-03-31"
    assert len(set(figure.data[0].node.color)) > 1  # the colours survive the update
    assert sum(figure.data[0].link.value) == int(earlier.counts.to_numpy().sum())
