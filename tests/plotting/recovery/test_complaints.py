"""Complaint charts: fixed traces, data true to the model, in-place updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from workbook.core.formatting import format_money
from workbook.models.recovery.complaints import (
    ComplaintParams,
    compute_capture_lever,
    compute_complaint_recovery,
)
from workbook.plotting.recovery.complaints import (
    FLOW_NODES,
    capture_lever_traces,
    complaint_flow_traces,
    net_value_histogram_traces,
    plot_capture_lever,
    plot_complaint_flow,
    plot_net_value_histogram,
)
from workbook.uncertainty import UncertaintyParams
from workbook.uncertainty.recovery import (
    simulate_complaint_recovery,
    simulate_word_of_mouth,
)

BASE = ComplaintParams()
MOVED = ComplaintParams(complaint_capture_share=0.5, complaint_prompt_resolution_share=0.8,
                        complaint_handling_cost=90)
SMALL = UncertaintyParams(draws=2_000)


def results(params: ComplaintParams) -> dict[str, Any]:
    return {
        "flow": compute_complaint_recovery(params),
        "lever": compute_capture_lever(params),
        "histogram": simulate_complaint_recovery(params, SMALL),
    }


CHARTS: dict[str, tuple[Callable[[Any], go.Figure], Callable[[Any], dict], int]] = {
    "flow": (plot_complaint_flow, complaint_flow_traces, 1),
    "lever": (plot_capture_lever, capture_lever_traces, 4),
    "histogram": (plot_net_value_histogram, net_value_histogram_traces, 4),
}


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_figure_is_built_from_its_traces(chart: str) -> None:
    plot, traces_of, count = CHARTS[chart]
    source = results(BASE)[chart]
    figure, traces = plot(source), traces_of(source)
    assert len(figure.data) == count == len(traces["data"])
    assert figure.layout.title.text == traces["title"]


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_update_in_place_equals_a_fresh_figure(chart: str) -> None:
    plot, traces_of, _ = CHARTS[chart]
    old_source, new_source = results(BASE)[chart], results(MOVED)[chart]
    figure, fresh, traces = plot(old_source), plot(new_source), traces_of(new_source)
    with figure.batch_update():
        for trace, data in zip(figure.data, traces["data"], strict=True):
            trace.update(data)
        figure.layout.title.text = traces["title"]
    assert figure.to_plotly_json() == fresh.to_plotly_json()


def test_flow_links_carry_the_model_counts() -> None:
    result = compute_complaint_recovery(BASE)
    figure = plot_complaint_flow(result)
    sankey = figure.data[0]
    assert list(sankey.node.label) == list(FLOW_NODES)
    links = dict(zip(zip(sankey.link.source, sankey.link.target, strict=True),
                     sankey.link.value, strict=True))
    assert links[(0, 1)] == result.complainers == 500
    assert links[(3, 5)] == pytest.approx(result.stay_recovered)  # 70 % of 300 (seed 001)
    stay = sum(v for (s, t), v in links.items() if t == 5)
    assert stay == pytest.approx(result.customers_staying)
    out_of_problem = links[(0, 1)] + links[(0, 2)]
    assert out_of_problem == pytest.approx(result.customers_with_problem)


def test_lever_marks_today_and_names_the_point_value() -> None:
    lever = compute_capture_lever(BASE)
    kept, cost, net, today = capture_lever_traces(lever)["data"]
    assert today["x"] == [0.25] and today["y"] == [lever.current.net_value]
    assert np.allclose(net["y"], kept["y"] + cost["y"])
    assert format_money(lever.current.capture_point_value) in capture_lever_traces(lever)["title"]


def test_histogram_shares_add_up_for_both_models() -> None:
    for simulation in (simulate_complaint_recovery(uncertainty=SMALL),
                       simulate_word_of_mouth(uncertainty=SMALL)):
        loss, gain, marks, at_values = net_value_histogram_traces(simulation)["data"]
        assert np.sum(loss["y"]) + np.sum(gain["y"]) == pytest.approx(1.0)
        assert np.sum(loss["y"]) == pytest.approx(1 - simulation.probability_net_value_positive)
        headline = list(simulation.headline().values())
        assert marks["x"][0::3] == headline[:3]
        assert at_values["x"] == [simulation.base.net_value]
