"""Charts of complaint recovery, and the net-value histogram of both recovery models.

Pairs as everywhere
(:mod:`workbook.plotting.roi.service_roi`): ``*_traces`` gives the data that changes,
``plot_*`` the full figure with a fixed number of traces, so a dashboard updates a
``FigureWidget`` in place.
"""

from __future__ import annotations

import plotly.graph_objects as go

from workbook.core.formatting import format_money, format_percent
from workbook.models.recovery.complaints import CaptureLever, ComplaintResult
from workbook.plotting.style import GAIN, LOSS, MUTED, TOTAL, Traces, layout
from workbook.plotting.uncertainty import histogram_data
from workbook.uncertainty.recovery import RecoverySimulation

__all__ = [
    "FLOW_NODES",
    "capture_lever_traces",
    "complaint_flow_traces",
    "net_value_histogram_traces",
    "plot_capture_lever",
    "plot_complaint_flow",
    "plot_net_value_histogram",
]

_LAYOUT = layout()

FLOW_NODES: tuple[str, ...] = ("Had a problem", "Complained", "Silent", "Recovered",
                               "Not recovered", "Stay", "Leave")
"""Nodes of :func:`plot_complaint_flow`, in order."""

_FLOW_LINKS: tuple[tuple[int, int], ...] = (
    (0, 1), (0, 2), (1, 3), (1, 4), (3, 5), (3, 6), (4, 5), (4, 6), (2, 5), (2, 6))
_NODE_COLOURS = (TOTAL, GAIN, MUTED, GAIN, LOSS, GAIN, LOSS)


def complaint_flow_traces(result: ComplaintResult) -> Traces:
    """Data of :func:`plot_complaint_flow`: the customers on each link."""
    values = [
        result.complainers, result.silent_customers,
        result.recovered_customers, result.unrecovered_customers,
        result.stay_recovered, result.recovered_customers - result.stay_recovered,
        result.stay_unrecovered, result.unrecovered_customers - result.stay_unrecovered,
        result.stay_silent, result.silent_customers - result.stay_silent,
    ]
    return {
        "title": f"A year's customers with a problem: {result.customers_staying:,.0f} stay, "
                 f"{result.customers_leaving:,.0f} leave",
        "data": [{"link": {"value": values}}],
    }


def plot_complaint_flow(result: ComplaintResult) -> go.Figure:
    """Sankey of one year's customers with a problem: complain or not, recovered or not, stay
    or leave.

    One trace. Nodes: :data:`FLOW_NODES`; link widths are customers (expected values).
    """
    traces = complaint_flow_traces(result)
    source, target = zip(*_FLOW_LINKS, strict=True)
    colours = ["rgba(42,157,143,0.35)" if _NODE_COLOURS[t] == GAIN else
               "rgba(231,111,81,0.35)" if _NODE_COLOURS[t] == LOSS else "rgba(141,153,174,0.35)"
               for t in target]
    figure = go.Figure(go.Sankey(
        arrangement="fixed",
        node={"label": list(FLOW_NODES), "color": list(_NODE_COLOURS), "pad": 18, "thickness": 16},
        link={"source": list(source), "target": list(target), "color": colours,
                  "value": traces["data"][0]["link"]["value"],
                  "hovertemplate": "%{source.label} → %{target.label}: %{value:,.0f}"
                                "<extra></extra>"},
        valueformat=",.0f",
    ))
    figure.update_layout(title=traces["title"], **layout(height=360))
    return figure


def capture_lever_traces(lever: CaptureLever) -> Traces:
    """Data of :func:`plot_capture_lever`."""
    current = lever.current
    point = current.capture_point_value
    return {
        "title": f"Hunt for complaints: one more point heard is worth {format_money(point)}",
        "data": [
            {"x": lever.shares, "y": lever.value_kept},
            {"x": lever.shares, "y": -lever.handling_cost},
            {"x": lever.shares, "y": lever.net_value},
            {"x": [current.params.complaint_capture_share], "y": [current.net_value],
             "text": [format_money(current.net_value)]},
        ],
    }


def plot_capture_lever(lever: CaptureLever) -> go.Figure:
    """Value kept, handling cost and net value against the share of problems heard.

    Four traces: value kept, handling cost (negative), net value, and a marker at the current
    capture share. Net value is a straight line through 0: its slope is the worth of hearing
    one more complaint
    (:attr:`~workbook.models.recovery.complaints.ComplaintResult.capture_point_value`).
    """
    traces = capture_lever_traces(lever)
    kept, cost, net, now = traces["data"]
    hover = "%{x:.0%} heard: %{y:,.0f}<extra></extra>"
    figure = go.Figure([
        go.Scatter(name="Value kept", mode="lines", line={"color": GAIN},
                   hovertemplate=hover, **kept),
        go.Scatter(name="Handling cost", mode="lines", line={"color": LOSS},
                   hovertemplate=hover, **cost),
        go.Scatter(name="Net value", mode="lines", line={"color": TOTAL, "width": 3},
                   hovertemplate=hover, **net),
        go.Scatter(name="Today", mode="markers+text", textposition="top left",
                   marker={"size": 12, "color": TOTAL}, hoverinfo="skip", **now),
    ])
    figure.update_layout(title=traces["title"], xaxis_title="customers with a problem who "
                         "complain", xaxis_tickformat=".0%", yaxis_title="currency",
                         legend={"orientation": "h", "y": -0.25}, **_LAYOUT)
    figure.add_hline(y=0, line={"color": "#999", "width": 1})
    return figure


_MODEL_NAMES = {"complaint": "Complaint handling", "word_of_mouth": "Word of mouth"}


def net_value_histogram_traces(simulation: RecoverySimulation) -> Traces:
    """Data of :func:`plot_net_value_histogram`."""
    name = _MODEL_NAMES.get(simulation.model.name, simulation.model.name)
    chance = format_percent(simulation.probability_net_value_positive, digits=0)
    return {
        "title": f"{name}: net value over {simulation.draws:,} draws — P(> 0) = {chance}",
        "data": histogram_data(simulation.net_value, simulation.base.net_value),
    }


def plot_net_value_histogram(simulation: RecoverySimulation) -> go.Figure:
    """Distribution of a recovery model's net value over the Monte Carlo draws.

    Four traces: bars at a loss (net value ≤ 0), bars at a gain, the P10/P50/P90 lines (one
    trace broken by gaps), and a marker at the deterministic value. 0 is a bin edge.
    """
    traces = net_value_histogram_traces(simulation)
    loss, gain, marks, base = traces["data"]
    bar_hover = "net value ≈ %{x:,.0f}: %{y:.1%} of draws<extra></extra>"
    figure = go.Figure([
        go.Bar(name="≤ 0", marker_color=LOSS, hovertemplate=bar_hover, **loss),
        go.Bar(name="> 0", marker_color=GAIN, hovertemplate=bar_hover, **gain),
        go.Scatter(name="P10, P50, P90", mode="lines+text", textposition="top center",
                   line={"color": TOTAL, "width": 1.5, "dash": "dot"},
                   hovertemplate="%{customdata}<extra></extra>", **marks),
        go.Scatter(name="At the values", mode="markers", textposition="top center",
                   marker={"symbol": "triangle-down", "size": 12, "color": TOTAL},
                   hovertemplate="at the values: %{x:,.0f}<extra></extra>", **base),
    ])
    figure.update_layout(title=traces["title"], xaxis_title="net value (currency)",
                         yaxis_title="share of draws", yaxis_tickformat=".0%", bargap=0.02,
                         legend={"orientation": "h", "y": -0.25}, **_LAYOUT)
    return figure
