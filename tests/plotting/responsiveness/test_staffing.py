"""Staffing charts: fixed trace counts, data that matches the model, updates in place."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from workbook.data.calllog import load_sample_call_log
from workbook.models.responsiveness.day_plan import plan_day
from workbook.models.responsiveness.staffing import StaffingParams, compute_staffing
from workbook.plotting.responsiveness.staffing import (
    day_plan_traces,
    interval_service_level_traces,
    plot_day_plan,
    plot_interval_service_level,
    plot_service_level_curve,
    service_level_curve_traces,
)


@pytest.fixture(scope="module")
def plan():
    return plan_day(load_sample_call_log(), interval_minutes=30)


def assert_figure_shows(figure: go.Figure, traces: dict) -> None:
    assert len(figure.data) == len(traces["data"])
    assert figure.layout.title.text == traces["title"]
    for trace, properties in zip(figure.data, traces["data"], strict=True):
        for key, value in properties.items():
            np.testing.assert_array_equal(np.asarray(trace[key], dtype=object),
                                          np.asarray(value, dtype=object), err_msg=key)


def update_in_place(figure: go.Figure, traces: dict) -> None:
    """What a dashboard does with its FigureWidget (workbook.ui.roi_app)."""
    for trace, properties in zip(figure.data, traces["data"], strict=True):
        trace.update(properties)
    figure.layout.title.text = traces["title"]


def test_service_level_curve_marks_target_and_agents() -> None:
    result = compute_staffing(StaffingParams())
    figure = plot_service_level_curve(result)
    assert_figure_shows(figure, service_level_curve_traces(result))
    curve, target, chosen = figure.data
    assert list(chosen.x) == [result.agents] and list(chosen.y) == [result.service_level]
    assert set(target.y) == {result.params.staffing_service_level_target}
    assert target.x[0] < curve.x[0] and target.x[-1] > curve.x[-1]
    assert result.agents in list(curve.x)
    assert "13 agents" in figure.layout.title.text and "ring 4 (24 s)" in figure.layout.title.text


@pytest.mark.parametrize("changes", [{"staffing_calls_per_hour": 0},
                                     {"staffing_calls_per_hour": 900},
                                     {"staffing_service_level_target": 0.95,
                                      "phone_answer_ring": 2}])
def test_service_level_curve_updates_in_place(changes: dict) -> None:
    figure = plot_service_level_curve(compute_staffing(StaffingParams()))
    other = compute_staffing(StaffingParams(**changes))
    update_in_place(figure, service_level_curve_traces(other))
    assert_figure_shows(figure, service_level_curve_traces(other))
    assert len(figure.data) == len(plot_service_level_curve(other).data)


def test_day_plan_shows_opening_hours(plan) -> None:
    figure = plot_day_plan(plan)
    assert_figure_shows(figure, day_plan_traces(plan))
    calls, agents, staff = figure.data
    assert calls.x[0] == "08:00" and calls.x[-1] == "19:30"
    assert sum(calls.y) == pytest.approx(plan.table["calls"].sum())
    assert all(s >= a for a, s in zip(agents.y, staff.y, strict=True))
    assert agents.yaxis == "y2" and staff.yaxis == "y2"


def test_interval_service_level_compares_plan_and_log(plan) -> None:
    figure = plot_interval_service_level(plan)
    assert_figure_shows(figure, interval_service_level_traces(plan))
    planned, observed, target = figure.data
    assert min(planned.y) >= plan.params.staffing_service_level_target
    assert len(observed.y) == len(planned.y)
    assert list(target.y) == [plan.params.staffing_service_level_target] * 2


def test_day_plan_charts_update_in_place(plan) -> None:
    figure = plot_day_plan(plan)
    tuesday = plan_day(load_sample_call_log(), StaffingParams(staffing_shrinkage_share=0.4),
                       weekday=1, interval_minutes=15)
    update_in_place(figure, day_plan_traces(tuesday))
    assert_figure_shows(figure, day_plan_traces(tuesday))
    assert "Tuesdays" in figure.layout.title.text
