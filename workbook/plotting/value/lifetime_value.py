"""Charts of customer lifetime value: its distribution, the probability-alive map, value at risk.

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(...)`` gives the
data that changes (one dict of trace properties per trace, and the title) and ``plot_*``
builds the full figure from it with a fixed number of traces, so a dashboard can build its
``FigureWidget`` once and copy new traces into it inside ``batch_update()``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbook.core.formatting import format_money
from workbook.models.loyalty.ladder import STAGE_LABELS
from workbook.models.value.lifetime_value import ClvResult, probability_alive_matrix
from workbook.plotting.style import GAIN, LOSS, TOTAL, Traces, layout

__all__ = [
    "alive_matrix_traces",
    "clv_distribution_traces",
    "plot_alive_matrix",
    "plot_clv_distribution",
    "plot_value_at_risk",
    "value_at_risk_traces",
]

_LAYOUT = layout(height=360)
_BINS = 40
_MAX_FREQUENCY = 30


def clv_distribution_traces(result: ClvResult) -> Traces:
    """Data of :func:`plot_clv_distribution`: customers per bin of lifetime value.

    Bins are equal on a log scale (lifetime values are heavily skewed), from the 1st
    percentile of the positive values (at least a ten-thousandth of the largest) to the
    largest; smaller values, 0 included, fall in the first bin.
    """
    clv = result.customers["clv"].to_numpy()
    positive = clv[clv > 0]
    top = float(clv.max()) if clv.size else 1.0
    low = max(float(np.percentile(positive, 1)), top * 1e-4) if positive.size else 1.0
    high = max(top, low * 10)
    edges = np.geomspace(low, high, _BINS + 1)
    counts, _ = np.histogram(np.clip(clv, low, high), bins=edges)
    centres = np.sqrt(edges[:-1] * edges[1:])
    return {
        "title": f"Lifetime value of {len(clv):,} customers: mean {format_money(clv.mean())}, "
        f"median {format_money(float(np.median(clv)))}, total {format_money(clv.sum())}",
        "data": [{"x": centres, "y": counts, "width": np.diff(edges),
                  "customdata": np.column_stack([edges[:-1], edges[1:]])}],
    }


def plot_clv_distribution(result: ClvResult) -> go.Figure:
    """Customers by discounted lifetime value (log scale): a long tail of valuable customers."""
    traces = clv_distribution_traces(result)
    figure = go.Figure(go.Bar(
        marker_color=TOTAL, name="customers",
        hovertemplate="%{customdata[0]:,.0f} to %{customdata[1]:,.0f}: %{y:,} customers"
        "<extra></extra>", **traces["data"][0]))
    figure.update_layout(title=traces["title"], showlegend=False, bargap=0.05,
                         xaxis=dict(title="lifetime value (discounted margin, log scale)",
                                    type="log"),
                         yaxis_title="customers", **_LAYOUT)
    return figure


def alive_matrix_traces(result: ClvResult, max_frequency: int | None = None) -> Traces:
    """Data of :func:`plot_alive_matrix`, for a customer first seen ``max(T)`` days ago."""
    frame = result.customers
    top = int(frame["frequency"].max()) if max_frequency is None else int(max_frequency)
    top = max(1, min(top, _MAX_FREQUENCY))
    span = float(frame["T"].max())
    matrix = probability_alive_matrix(result.bgnbd, span, max_frequency=top)
    return {
        "title": f"Probability alive by purchase history (first purchase {span:,.0f} days ago)",
        "data": [{"z": matrix.to_numpy(), "x": matrix.columns.to_numpy(),
                  "y": matrix.index.to_numpy()}],
    }


def plot_alive_matrix(result: ClvResult, max_frequency: int | None = None) -> go.Figure:
    """Heat map of the probability alive by frequency (rows) and recency (columns).

    Customers who bought often but not lately (top left) are the likeliest to be gone; those
    who bought recently (right) are alive whatever their frequency.
    """
    traces = alive_matrix_traces(result, max_frequency)
    figure = go.Figure(go.Heatmap(
        colorscale="RdYlGn", zmin=0, zmax=1, colorbar=dict(title="P(alive)", tickformat=".0%"),
        hovertemplate="frequency %{y}, recency %{x:,.0f} days: %{z:.0%}<extra></extra>",
        **traces["data"][0]))
    figure.update_layout(title=traces["title"],
                         xaxis_title="recency: days from first to last purchase",
                         yaxis_title="frequency: repeat purchase days",
                         **{**_LAYOUT, "height": 420})
    return figure


def value_at_risk_traces(table: pd.DataFrame) -> Traces:
    """Data of :func:`plot_value_at_risk` from :func:`workbook.models.value.value_by_stage`."""
    labels = [STAGE_LABELS.get(str(s), str(s)) for s in table.index]
    kept, risk = table["clv"].to_numpy(), table["value_at_risk"].to_numpy()
    return {
        "title": f"Lifetime value by stage: {format_money(kept.sum())} expected, "
        f"{format_money(risk.sum())} more at risk if the quiet ones are gone",
        "data": [{"x": labels, "y": kept, "text": [format_money(v) for v in kept]},
                 {"x": labels, "y": risk, "text": [format_money(v) for v in risk]}],
    }


def plot_value_at_risk(table: pd.DataFrame) -> go.Figure:
    """Stacked bars per loyalty stage: expected lifetime value, and the value at risk.

    Value at risk is what the customers would be worth if they were certainly alive, minus
    their expected value: the margin that leaks away with those already gone.
    """
    traces = value_at_risk_traces(table)
    expected, risk = traces["data"]
    figure = go.Figure([
        go.Bar(name="Expected lifetime value", marker_color=GAIN, textposition="inside",
               hovertemplate="%{x}: %{y:,.0f} expected<extra></extra>", **expected),
        go.Bar(name="Value at risk", marker_color=LOSS, textposition="inside",
               hovertemplate="%{x}: %{y:,.0f} at risk<extra></extra>", **risk),
    ])
    figure.update_layout(title=traces["title"], barmode="stack", yaxis_title="currency",
                         legend=dict(orientation="h", y=-0.2), **_LAYOUT)
    return figure
