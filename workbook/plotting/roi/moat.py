"""Charts of the imitation moat: what each advantage is worth, and how long it earns.

Pairs of ``*_traces(...)`` and ``plot_*(...)`` as in :mod:`workbook.plotting.roi.service_roi`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_money
from workbook.models.roi.moat import (
    ADVANTAGE_LABELS,
    ADVANTAGES,
    MoatResult,
    cumulative_value,
    format_duration,
)
from workbook.plotting.style import Traces, layout

__all__ = ["moat_earnings_traces", "moat_traces", "plot_moat", "plot_moat_earnings"]


_LAYOUT = layout(height=340)
_COLOURS = dict(zip(ADVANTAGES, ["#e76f51", "#e9c46a", "#2a9d8f"], strict=True))
_FIRST_DAY = 1.0 / 365.0


def moat_traces(result: MoatResult) -> Traces:
    """Data of :func:`plot_moat`."""
    table = result.table
    value = table["present_value"]
    return {
        "title": "The imitation moat — a service strategy is worth "
        f"{float(table.loc['service_strategy', 'times_price_cut']):,.0f}× a price cut",
        "data": [{
            "y": value.tolist(),
            "error_y": {"type": "data", "symmetric": False,
                        "array": (table["present_value_high"] - value).tolist(),
                        "arrayminus": (value - table["present_value_low"]).tolist()},
            "text": [f"{format_money(v)} — copied in {format_duration(t)}"
                     for v, t in zip(value, table["imitation_years"], strict=True)],
        }],
    }


def plot_moat(result: MoatResult) -> go.Figure:
    """Present value of each advantage until imitated, on a log scale, with its range.

    One bar trace (price cut, new product, service strategy); the error bars span the
    registry range of each imitation time (:func:`workbook.models.roi.moat.compute_moat`).
    """
    traces = moat_traces(result)
    figure = go.Figure(go.Bar(
        x=[ADVANTAGE_LABELS[k] for k in ADVANTAGES], marker_color=list(_COLOURS.values()),
        textposition="outside", hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        **traces["data"][0]))
    figure.update_layout(title=traces["title"], showlegend=False,
                         yaxis=dict(title="present value (currency, log scale)", type="log"),
                         **_LAYOUT)
    return figure


def moat_earnings_traces(result: MoatResult) -> Traces:
    """Data of :func:`plot_moat_earnings` (times from one day to past the longest moat)."""
    longest = float(result.table["imitation_years_high"].max())
    stops = result.table["imitation_years"].to_numpy()
    t = np.union1d(np.geomspace(_FIRST_DAY, max(2.0 * longest, 1.0), 120),
                   stops[stops >= _FIRST_DAY])
    earned = cumulative_value(result.params, t)
    return {
        "title": "Present value earned until the advantage is copied",
        "data": [{"x": t, "y": earned[kind].to_numpy()} for kind in ADVANTAGES],
    }


def plot_moat_earnings(result: MoatResult) -> go.Figure:
    """Present value each advantage has earned by each time, flat once it is copied.

    Three traces, one per advantage; time and value on log scales, from one day.
    """
    traces = moat_earnings_traces(result)
    hover = "year %{x:.3g}: %{y:,.0f}<extra>%{fullData.name}</extra>"
    figure = go.Figure([
        go.Scatter(name=ADVANTAGE_LABELS[kind], mode="lines", hovertemplate=hover,
                   line=dict(color=_COLOURS[kind], width=3), **data)
        for kind, data in zip(ADVANTAGES, traces["data"], strict=True)
    ])
    figure.update_layout(title=traces["title"],
                         xaxis=dict(title="years from today (log scale)", type="log"),
                         yaxis=dict(title="present value earned (currency, log scale)",
                                    type="log"),
                         legend=dict(orientation="h", y=-0.25), **_LAYOUT)
    return figure
