"""Charts of the staffing model: the service-level curve and a day's plan.

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(result)`` gives the
data that changes with the inputs (one dict of trace properties per trace, and the title),
and ``plot_*(result)`` builds the full figure, always with the same number of traces, so a
dashboard can build a ``FigureWidget`` once and copy ``*_traces`` into it on every change.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_percent
from workbook.models.responsiveness.day_plan import DayPlanResult
from workbook.models.responsiveness.staffing import StaffingResult
from workbook.plotting.style import GAIN, LOSS, MUTED, TOTAL, Traces, layout

__all__ = [
    "day_plan_traces",
    "interval_service_level_traces",
    "plot_day_plan",
    "plot_interval_service_level",
    "plot_service_level_curve",
    "service_level_curve_traces",
]

_LAYOUT = layout()


def service_level_curve_traces(result: StaffingResult) -> Traces:
    """Data of :func:`plot_service_level_curve`."""
    p = result.params
    x = result.curve_agents
    span = [float(x[0]) - 0.5, float(x[-1]) + 0.5] if x.size else []
    seconds = p.answer_within_seconds
    return {
        "title": f"{result.agents} agents answer {format_percent(result.service_level)} "
        f"by ring {p.phone_answer_ring} ({seconds:g} s); schedule "
        f"{result.scheduled_staff}",
        "data": [
            {"x": x, "y": result.curve_service_level},
            {"x": span, "y": [p.staffing_service_level_target] * len(span)},
            {"x": [result.agents], "y": [result.service_level],
             "text": [f"{result.agents} agents"]},
        ],
    }


def plot_service_level_curve(result: StaffingResult) -> go.Figure:
    """Service level against agents on the phones, with the target and the agents chosen.

    Traces: the Erlang C curve (share answered by the target ring for each agent count
    above the load), the target as a horizontal line, and a marker at the agents chosen
    (which may sit above the target when the occupancy cap needs more agents).
    """
    traces = service_level_curve_traces(result)
    curve, target, chosen = traces["data"]
    figure = go.Figure(
        [
            go.Scatter(name="Service level", mode="lines+markers",
                       line=dict(color=TOTAL, width=3),
                       hovertemplate="%{x} agents: %{y:.1%}<extra></extra>", **curve),
            go.Scatter(name="Target", mode="lines", line=dict(color=LOSS, dash="dash"),
                       hoverinfo="skip", **target),
            go.Scatter(name="Agents needed", mode="markers+text",
                       marker=dict(size=14, color=GAIN), textposition="bottom right",
                       hovertemplate="%{x} agents: %{y:.1%}<extra></extra>", **chosen),
        ]
    )
    figure.update_layout(title=traces["title"], xaxis_title="agents on the phones",
                         yaxis=dict(title="share answered in time", tickformat=".0%",
                                    range=[0, 1.02]),
                         legend=dict(orientation="h", y=-0.25), **_LAYOUT)
    return figure


def _open_hours(plan: DayPlanResult) -> slice:
    """From the first to the last interval with calls (the whole day if there are none)."""
    busy = np.flatnonzero(plan.table["calls"].to_numpy() > 0)
    return slice(busy[0], busy[-1] + 1) if busy.size else slice(None)


def day_plan_traces(plan: DayPlanResult) -> Traces:
    """Data of :func:`plot_day_plan`."""
    rows = plan.table.iloc[_open_hours(plan)]
    x = rows.index.to_list()
    headline = plan.headline()
    return {
        "title": f"Average day ({plan.days_label}, {plan.days} days): peak "
        f"{headline['peak_agents']} agents, {headline['peak_scheduled_staff']} scheduled",
        "data": [
            {"x": x, "y": rows["calls"].to_numpy()},
            {"x": x, "y": rows["agents"].to_numpy()},
            {"x": x, "y": rows["scheduled_staff"].to_numpy()},
        ],
    }


def plot_day_plan(plan: DayPlanResult) -> go.Figure:
    """Calls per interval (bars, left axis) and agents and staff per interval (steps, right).

    Shows the opening hours: from the first to the last interval with calls.
    """
    traces = day_plan_traces(plan)
    calls, agents, staff = traces["data"]
    step = dict(shape="hv")
    figure = go.Figure(
        [
            go.Bar(name="Calls (average)", marker_color=MUTED,
                   hovertemplate="%{x}: %{y:.1f} calls<extra></extra>", **calls),
            go.Scatter(name="Agents on the phones", mode="lines", yaxis="y2",
                       line=dict(color=TOTAL, width=3, **step),
                       hovertemplate="%{x}: %{y} agents<extra></extra>", **agents),
            go.Scatter(name="Staff to schedule", mode="lines", yaxis="y2",
                       line=dict(color=GAIN, dash="dash", **step),
                       hovertemplate="%{x}: %{y} people<extra></extra>", **staff),
        ]
    )
    figure.update_layout(
        title=traces["title"],
        xaxis_title=f"interval start ({plan.interval_minutes} minutes)",
        yaxis=dict(title=f"calls per {plan.interval_minutes} minutes", rangemode="tozero"),
        yaxis2=dict(title="people", overlaying="y", side="right", rangemode="tozero"),
        legend=dict(orientation="h", y=-0.3),
        **_LAYOUT,
    )
    return figure


def interval_service_level_traces(plan: DayPlanResult) -> Traces:
    """Data of :func:`plot_interval_service_level`."""
    rows = plan.table.iloc[_open_hours(plan)]
    x = rows.index.to_list()
    p = plan.params
    return {
        "title": f"Answered by ring {p.phone_answer_ring}: plan "
        f"{format_percent(plan.expected_service_level)}, log "
        f"{format_percent(plan.observed_answered_within_share)}",
        "data": [
            {"x": x, "y": rows["service_level"].to_numpy()},
            {"x": x, "y": rows["observed_answered_within_share"].to_numpy()},
            {"x": [x[0], x[-1]] if x else [],
             "y": [p.staffing_service_level_target] * min(len(x), 2)},
        ],
    }


def plot_interval_service_level(plan: DayPlanResult) -> go.Figure:
    """Per interval: the share the plan should answer in time against the log's actual share.

    Traces: the plan's expected service level, the share the log answered by the target
    ring (gaps where an interval had no calls), and the target.
    """
    traces = interval_service_level_traces(plan)
    planned, observed, target = traces["data"]
    hover = "%{x}: %{y:.1%}<extra></extra>"
    figure = go.Figure(
        [
            go.Scatter(name="Plan (Erlang C)", mode="lines", line=dict(color=TOTAL, width=3),
                       hovertemplate=hover, **planned),
            go.Scatter(name="Log (actual)", mode="markers", marker=dict(color=LOSS, size=8),
                       hovertemplate=hover, **observed),
            go.Scatter(name="Target", mode="lines", line=dict(color=LOSS, dash="dash"),
                       hoverinfo="skip", **target),
        ]
    )
    figure.update_layout(title=traces["title"],
                         xaxis_title=f"interval start ({plan.interval_minutes} minutes)",
                         yaxis=dict(title="share answered in time", tickformat=".0%",
                                    range=[0, 1.02]),
                         legend=dict(orientation="h", y=-0.3), **_LAYOUT)
    return figure
