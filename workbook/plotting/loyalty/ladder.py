"""Charts of the loyalty ladder: stage funnel, Sankey of stage flows, Lorenz curve, forecast.

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(result)`` gives the
data that changes (one dict of trace properties per trace, and the title) and ``plot_*``
builds the full figure from it, with a fixed number of traces, so a dashboard can build its
``FigureWidget`` once and copy new traces into it inside ``batch_update()``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_percent
from workbook.models.loyalty.ladder import (
    STAGE_LABELS,
    STAGES,
    LadderResult,
    TransitionResult,
    stage_move,
)
from workbook.models.loyalty.pareto import ParetoResult
from workbook.plotting.style import Traces, layout

__all__ = [
    "STAGE_COLORS",
    "forecast_traces",
    "funnel_traces",
    "lorenz_traces",
    "plot_forecast",
    "plot_funnel",
    "plot_lorenz",
    "plot_sankey",
    "sankey_traces",
]


_LAYOUT = layout(height=360)
STAGE_COLORS = {
    "suspect": "#cfe3e0",
    "prospect": "#9ccbc4",
    "first_time": "#62b0a5",
    "repeat": "#2a9d8f",
    "client": "#1f7a70",
    "advocate": "#264653",
    "lost": "#b0b0b0",
}
"""One colour per stage, light to dark up the ladder, grey for lost."""

_MOVE_COLORS = {"up": "rgba(42,157,143,0.45)", "down": "rgba(231,111,81,0.45)",
                "stay": "rgba(160,160,160,0.30)", "new": "rgba(38,70,83,0.35)"}
_LORENZ_POINTS = 501


def funnel_traces(result: LadderResult) -> Traces:
    """Data of :func:`plot_funnel`."""
    counts = [int(result.counts[s]) for s in STAGES]
    total = max(sum(counts), 1)
    return {
        "title": f"The loyalty ladder on {result.as_of.isoformat()}: {result.customers:,} "
        f"customers, {int(result.counts['lost']):,} of them lost",
        "data": [{"x": counts,
                  "text": [f"{n:,} ({format_percent(n / total, 0)})" for n in counts]}],
    }


def plot_funnel(result: LadderResult) -> go.Figure:
    """People on each rung, suspect at the top, lost (off the ladder) at the bottom."""
    traces = funnel_traces(result)
    figure = go.Figure(go.Funnel(
        y=[STAGE_LABELS[s] for s in STAGES], textinfo="text", textposition="auto",
        marker=dict(color=[STAGE_COLORS[s] for s in STAGES]),
        connector=dict(fillcolor="#f0f0f0", line=dict(color="#ddd", width=1)),
        hovertemplate="%{y}: %{x:,} people<extra></extra>", **traces["data"][0]))
    figure.update_layout(title=traces["title"], showlegend=False, **_LAYOUT)
    return figure


def sankey_traces(transitions: TransitionResult) -> Traces:
    """Data of :func:`plot_sankey`: one link per non-empty (from, to) pair."""
    counts = transitions.counts
    sources, targets, values, colors = [], [], [], []
    left = list(counts.index)  # the stages, then "new"
    for i, a in enumerate(left):
        for j, b in enumerate(counts.columns):
            n = int(counts.loc[a, b])
            if n:
                sources.append(i)
                targets.append(len(left) + j)
                values.append(n)
                colors.append(_MOVE_COLORS[stage_move(a, b)])
    return {
        "title": f"Moves between stages, {transitions.start.isoformat()} → "
        f"{transitions.end.isoformat()}",
        "data": [{"link": {"source": sources, "target": targets, "value": values,
                           "color": colors},
                  "node": {"label": _sankey_labels(transitions)}}],
    }


def _sankey_labels(transitions: TransitionResult) -> list[str]:
    """Node labels: the stages (and "new") at the start, then the stages at the end."""
    since = transitions.start.isoformat()
    left = [f"{STAGE_LABELS[s]} ({since})" if s in STAGE_LABELS else f"New since {since}"
            for s in transitions.counts.index]
    return left + [f"{STAGE_LABELS[s]} ({transitions.end.isoformat()})" for s in STAGES]


def plot_sankey(transitions: TransitionResult) -> go.Figure:
    """Flows of people from their stage at the start (left) to the end (right).

    Green links go up the ladder (or back from lost), orange down (or into lost), grey stay,
    blue are people who were not yet known at the start.
    """
    data = sankey_traces(transitions)
    traces = data["data"][0]
    colors = [STAGE_COLORS.get(s, "#264653") for s in transitions.counts.index] + [
        STAGE_COLORS[s] for s in STAGES]
    figure = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(**traces["node"], color=colors, pad=12, thickness=14),
        valueformat=",d", link=traces["link"]))
    figure.update_layout(title=data["title"], **{**_LAYOUT, "height": 460})
    return figure


def lorenz_traces(pareto: ParetoResult) -> Traces:
    """Data of :func:`plot_lorenz` (the curve sampled at 501 points)."""
    grid = np.linspace(0.0, 1.0, _LORENZ_POINTS)
    curve = np.interp(grid, pareto.customer_share, pareto.revenue_share)
    x = 1.0 - pareto.top_share
    y = 1.0 - pareto.top_revenue_share
    return {
        "title": f"Top {format_percent(pareto.top_share, 0)} of customers bring "
        f"{format_percent(pareto.top_revenue_share)} of revenue (Gini {pareto.gini:.2f})",
        "data": [
            {"x": grid, "y": curve},
            {"x": [0.0, 1.0], "y": [0.0, 1.0]},
            {"x": [x], "y": [y],
             "text": [f"top {format_percent(pareto.top_share, 0)}: "
                      f"{format_percent(pareto.top_revenue_share)}"]},
        ],
    }


def plot_lorenz(pareto: ParetoResult) -> go.Figure:
    """The Lorenz curve of revenue, the line of equal spend and the top-share point.

    Customers run from the smallest spender (left) to the largest; the marked point is where
    the top ``top_share`` begins: the curve rises from it by their share of revenue.
    """
    traces = lorenz_traces(pareto)
    curve, equal, point = traces["data"]
    figure = go.Figure([
        go.Scatter(name="Lorenz curve", mode="lines", line=dict(color="#264653", width=3),
                   hovertemplate="%{x:.0%} of customers: %{y:.0%} of revenue<extra></extra>",
                   **curve),
        go.Scatter(name="Equal spend", mode="lines", line=dict(color="#999", dash="dash"),
                   hoverinfo="skip", **equal),
        go.Scatter(name="Top customers", mode="markers+text", textposition="top left",
                   marker=dict(size=11, color="#e76f51"), hoverinfo="skip", **point),
    ])
    figure.update_layout(title=traces["title"], legend=dict(orientation="h", y=-0.2),
                         xaxis=dict(title="share of customers (smallest first)",
                                    tickformat=".0%", range=[0, 1]),
                         yaxis=dict(title="share of revenue", tickformat=".0%", range=[0, 1]),
                         **_LAYOUT)
    return figure


def forecast_traces(result: LadderResult) -> Traces:
    """Data of :func:`plot_forecast`: one trace per stage."""
    forecast = result.forecast
    periods = forecast.index.to_numpy()
    days = result.params.ladder_period_days
    return {
        "title": f"Stage mix ahead (Markov chain, steps of {days} days)",
        "data": [{"x": periods, "y": forecast[s].to_numpy()} for s in STAGES],
    }


def plot_forecast(result: LadderResult) -> go.Figure:
    """Expected people per stage, period by period (stacked; the total stays constant)."""
    traces = forecast_traces(result)
    figure = go.Figure([
        go.Scatter(name=STAGE_LABELS[s], mode="lines", stackgroup="people",
                   line=dict(color=STAGE_COLORS[s], width=0.5),
                   hovertemplate=f"{STAGE_LABELS[s]}: %{{y:,.0f}}<extra></extra>", **data)
        for s, data in zip(STAGES, traces["data"], strict=True)
    ])
    figure.update_layout(title=traces["title"], xaxis_title="periods ahead",
                         yaxis_title="people", legend=dict(orientation="h", y=-0.25),
                         **_LAYOUT)
    return figure

