"""Charts of service decay: the quality path, and the NPV against the maintenance spend.

Pairs of ``*_traces(result)`` and ``plot_*(result)`` as in :mod:`workbook.plotting.roi.service_roi`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_money, format_percent
from workbook.models.quality.decay import DecayResult, quality_path
from workbook.plotting.style import Traces, layout

__all__ = [
    "decay_path_traces",
    "maintenance_npv_traces",
    "plot_decay_path",
    "plot_maintenance_npv",
]


_LAYOUT = layout()
_KEPT, _LOST, _NEUTRAL = "#2a9d8f", "#e76f51", "#264653"
_STEPS_PER_YEAR = 12


def decay_path_traces(result: DecayResult) -> Traces:
    """Data of :func:`plot_decay_path` (monthly points)."""
    params = result.params
    years = result.roi.horizon_years
    t = np.linspace(0.0, years, years * _STEPS_PER_YEAR + 1)
    settle = params.long_run_quality
    return {
        "title": f"Service quality — {format_percent(float(result.quality[-1]), 0)} after "
        f"{years} years with maintenance, "
        f"{format_percent(float(result.quality_without_maintenance[-1]), 0)} without",
        "data": [
            {"x": t, "y": quality_path(params, t)},
            {"x": t, "y": quality_path(params.replace(service_maintenance_spend=0.0), t)},
            {"x": [0.0, float(years)], "y": [settle, settle]},
        ],
    }


def plot_decay_path(result: DecayResult) -> go.Figure:
    """Quality over time with the maintenance spend and with none, and the long-run level.

    Three traces: with maintenance, without, and the level the maintenance holds in the long
    run (:attr:`workbook.models.quality.decay.DecayParams.long_run_quality`).
    """
    traces = decay_path_traces(result)
    kept, left, settle = traces["data"]
    spend = result.params.service_maintenance_spend
    hover = "year %{x:.2f}: %{y:.1%}<extra>%{fullData.name}</extra>"
    figure = go.Figure([
        go.Scatter(name=f"Maintenance {format_money(spend)}/year",
                   mode="lines", line=dict(color=_KEPT, width=3), hovertemplate=hover, **kept),
        go.Scatter(name="No maintenance", mode="lines", line=dict(color=_LOST, dash="dash"),
                   hovertemplate=hover, **left),
        go.Scatter(name="Long-run level", mode="lines", hoverinfo="skip",
                   line=dict(color=_NEUTRAL, width=1, dash="dot"), **settle),
    ])
    figure.update_layout(title=traces["title"], xaxis_title="years from today",
                         yaxis=dict(title="quality (1 = excellent)", range=[0, 1.02],
                                    tickformat=".0%"),
                         legend=dict(orientation="h", y=-0.25), **_LAYOUT)
    return figure


def maintenance_npv_traces(result: DecayResult) -> Traces:
    """Data of :func:`plot_maintenance_npv`."""
    best = result.optimum
    return {
        "title": f"NPV against maintenance — best {format_money(best.maintenance_spend)}/year "
        f"(NPV {format_money(best.npv)})",
        "data": [
            {"x": result.spend_grid, "y": result.npv_grid},
            {"x": [result.params.service_maintenance_spend], "y": [result.npv],
             "text": [format_money(result.npv)]},
            {"x": [best.maintenance_spend], "y": [best.npv], "text": ["best"]},
        ],
    }


def plot_maintenance_npv(result: DecayResult) -> go.Figure:
    """NPV of the quality kept, net of maintenance, against the yearly maintenance spend.

    Three traces: the curve, the chosen spend, and the spend that maximises the NPV
    (:func:`workbook.models.quality.decay.optimal_maintenance`).
    """
    traces = maintenance_npv_traces(result)
    curve, chosen, best = traces["data"]
    hover = "spend %{x:,.0f}/year: NPV %{y:,.0f}<extra></extra>"
    figure = go.Figure([
        go.Scatter(name="NPV", mode="lines", line=dict(color=_NEUTRAL, width=3),
                   hovertemplate=hover, **curve),
        go.Scatter(name="Chosen spend", mode="markers", marker=dict(size=11, color=_LOST),
                   hovertemplate=hover, **chosen),
        go.Scatter(name="Best spend", mode="markers+text", textposition="top center",
                   marker=dict(size=13, color=_KEPT, symbol="star"), hovertemplate=hover,
                   **best),
    ])
    figure.update_layout(title=traces["title"], xaxis_title="maintenance spend (currency/year)",
                         yaxis_title="NPV (currency)", legend=dict(orientation="h", y=-0.25),
                         **_LAYOUT)
    return figure
