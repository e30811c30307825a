"""Charts of win-back: the ranked list, the campaign's value by contacts, cost per customer.

Pairs of ``*_traces(result)`` (the data that changes) and ``plot_*(result)`` (the full figure
with a fixed number of traces), as in :mod:`workbook.plotting.roi.service_roi`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_money
from workbook.models.loyalty.ladder import STAGE_LABELS
from workbook.models.value.winback import WinbackResult
from workbook.plotting.loyalty.ladder import STAGE_COLORS
from workbook.plotting.style import GAIN, LOSS, MUTED, TOTAL, Traces, layout

__all__ = [
    "campaign_curve_traces",
    "cost_comparison_traces",
    "plot_campaign_curve",
    "plot_cost_comparison",
    "plot_winback_list",
    "winback_list_traces",
]

_LAYOUT = layout(height=360)


def winback_list_traces(result: WinbackResult, top: int = 20) -> Traces:
    """Data of :func:`plot_winback_list`: the ``top`` candidates, best at the top."""
    best = result.candidates.head(top).iloc[::-1]
    stages = best["stage"].astype(str).tolist()
    return {
        "title": f"Top {len(best)} of {result.lost_customers:,} lost customers to win back "
        "(expected value of one contact)",
        "data": [{"x": best["expected_value"].to_numpy(),
                  "y": [f"{i} · {STAGE_LABELS.get(s, s)}" if s else str(i)
                        for i, s in zip(best.index, stages, strict=True)],
                  "marker": {"color": [STAGE_COLORS.get(s, MUTED) for s in stages]},
                  "customdata": [
                      [STAGE_LABELS.get(s, s or "—"), float(v), float(p)]
                      for s, v, p in zip(stages, best["value_at_stake"],
                                         best["probability_alive"], strict=True)]}],
    }


def plot_winback_list(result: WinbackResult, top: int = 20) -> go.Figure:
    """Horizontal bars: each candidate's value at stake × chance of return, coloured by stage.

    Each bar is labelled with the customer's id and, when stages were given, their rung on the
    loyalty ladder (grey: the ladder also counts them lost).
    """
    traces = winback_list_traces(result, top)
    figure = go.Figure(go.Bar(
        orientation="h",
        hovertemplate="%{y} (%{customdata[0]}): %{x:,.0f} expected from a contact; "
        "%{customdata[1]:,.0f} at stake, P(alive) %{customdata[2]:.0%}<extra></extra>",
        **traces["data"][0]))
    figure.update_layout(title=traces["title"], showlegend=False,
                         xaxis_title="expected value recovered per contact",
                         **{**_LAYOUT, "height": 480})
    return figure


def campaign_curve_traces(result: WinbackResult) -> Traces:
    """Data of :func:`plot_campaign_curve`: cumulative net value by contacts, best first."""
    candidates = result.candidates
    net = np.concatenate([[0.0], np.cumsum(candidates["net_value"].to_numpy())])
    contacts = np.arange(net.size)
    chosen = result.contacts
    return {
        "title": f"Contact the best {chosen:,}: net {format_money(result.net_value)} "
        f"(recovered {format_money(result.value_recovered)} − cost "
        f"{format_money(result.campaign_cost)})",
        "data": [{"x": contacts, "y": net},
                 {"x": [chosen], "y": [float(net[chosen])],
                  "text": [f"{chosen:,} contacts"]}],
    }


def plot_campaign_curve(result: WinbackResult) -> go.Figure:
    """Expected net value of the campaign as more lost customers are contacted, best first.

    The curve rises while a contact's expected recovery exceeds its cost and falls after;
    the marker is the campaign chosen (every contact worth making, or ``max_contacts``).
    """
    traces = campaign_curve_traces(result)
    curve, marker = traces["data"]
    figure = go.Figure([
        go.Scatter(name="net value", mode="lines", line=dict(color=TOTAL, width=3),
                   hovertemplate="%{x:,} contacts: net %{y:,.0f}<extra></extra>", **curve),
        go.Scatter(name="campaign", mode="markers+text", textposition="top center",
                   marker=dict(size=11, color=GAIN), hoverinfo="skip", **marker),
    ])
    figure.update_layout(title=traces["title"], showlegend=False,
                         xaxis_title="lost customers contacted (best first)",
                         yaxis_title="expected net value", **_LAYOUT)
    return figure


def cost_comparison_traces(result: WinbackResult) -> Traces:
    """Data of :func:`plot_cost_comparison`."""
    won = result.cost_per_won_back if result.cost_per_won_back is not None else 0.0
    values = [won, result.acquisition_cost]
    return {
        "title": "Cost of one customer: won back vs. newly acquired",
        "data": [{"y": values, "text": [format_money(v) for v in values]}],
    }


def plot_cost_comparison(result: WinbackResult) -> go.Figure:
    """Two bars: cost per customer won back (contact cost / chance) and acquisition cost."""
    traces = cost_comparison_traces(result)
    figure = go.Figure(go.Bar(
        x=["Won back", "New customer"], marker_color=[GAIN, LOSS], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>", **traces["data"][0]))
    figure.update_layout(title=traces["title"], showlegend=False, yaxis_title="currency",
                         **{**_LAYOUT, "height": 320})
    return figure
