"""Charts of the service-ROI model.

Each chart comes as a pair: ``*_traces(result)`` gives the data that changes with the inputs
(one dict of trace properties per trace, and the title), and ``plot_*(result)`` builds the full
figure from it. A dashboard builds its ``FigureWidget`` once with ``plot_*`` and, on every
change, copies ``*_traces`` into it, which is several times cheaper than building a new figure.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbook.core.formatting import format_money, format_months
from workbook.models.roi.service_roi import RoiResult
from workbook.plotting.style import GAIN, LOSS, TOTAL, Traces, layout

__all__ = [
    "cumulative_cash_traces",
    "lifetime_value_traces",
    "plot_cumulative_cash",
    "plot_lifetime_value",
    "plot_value_drivers",
    "value_drivers_traces",
]

_LAYOUT = layout()


def value_drivers_traces(result: RoiResult) -> Traces:
    """Data of :func:`plot_value_drivers`."""
    drivers = result.value_drivers
    values = [*drivers.values(), result.npv]
    return {
        "title": "What drives the NPV (present values)",
        "data": [{"y": values, "text": [format_money(v) for v in values]}],
    }


def plot_value_drivers(result: RoiResult) -> go.Figure:
    """Waterfall from the present value of each driver to the NPV.

    Bars: margin on the extra spend, acquisition spend avoided, upfront investment, yearly
    programme cost (all discounted), then the NPV as the total.
    """
    names = [*result.value_drivers, "NPV"]
    traces = value_drivers_traces(result)
    figure = go.Figure(
        go.Waterfall(
            x=names,
            measure=["relative"] * (len(names) - 1) + ["total"],
            textposition="outside",
            increasing=dict(marker_color=GAIN),
            decreasing=dict(marker_color=LOSS),
            totals=dict(marker_color=TOTAL),
            connector=dict(line=dict(color="#999", width=1)),
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
            **traces["data"][0],
        )
    )
    figure.update_layout(title=traces["title"], showlegend=False, yaxis_title="currency",
                         **_LAYOUT)
    return figure


def cumulative_cash_traces(result: RoiResult) -> Traces:
    """Data of :func:`plot_cumulative_cash`."""
    months = 12 * np.arange(len(result.cash_flow))
    discounted = np.cumsum(result.cash_flow * result.discount_factor)
    payback = result.payback_months
    return {
        "title": "Cumulative cash — payback "
        + format_months(payback, result.params.horizon_years),
        "data": [
            {"x": months, "y": result.cumulative_cash},
            {"x": months, "y": discounted},
            {
                "x": [] if payback is None else [payback],
                "y": [] if payback is None else [0.0],
                "text": [] if payback is None else [format_months(payback)],
            },
        ],
    }


def plot_cumulative_cash(result: RoiResult) -> go.Figure:
    """Cumulative cash by month, undiscounted and discounted, with the payback point.

    Yearly cash accrues evenly within each year (the payback convention of
    :func:`workbook.core.finance.payback_months`), so the lines are straight between year ends.
    The third trace marks the payback month; it is empty when there is no payback in the
    horizon.
    """
    traces = cumulative_cash_traces(result)
    cash, discounted, payback = traces["data"]
    hover = "month %{x:.0f}: %{y:,.0f}<extra></extra>"
    figure = go.Figure(
        [
            go.Scatter(name="Cumulative cash", mode="lines", line=dict(color=TOTAL, width=3),
                       hovertemplate=hover, **cash),
            go.Scatter(name="Discounted", mode="lines", line=dict(color=GAIN, dash="dash"),
                       hovertemplate=hover, **discounted),
            go.Scatter(name="Payback", mode="markers+text", marker=dict(size=12, color=LOSS),
                       textposition="top left", hoverinfo="skip", **payback),
        ]
    )
    figure.update_layout(title=traces["title"], xaxis_title="months from today",
                         yaxis_title="currency", legend=dict(orientation="h", y=-0.25),
                         **_LAYOUT)
    figure.add_hline(y=0, line=dict(color="#999", width=1))
    return figure


def lifetime_value_traces(result: RoiResult) -> Traces:
    """Data of :func:`plot_lifetime_value`."""
    values = [result.clv_before, result.clv_after, result.clv_after_excellent]
    return {
        "title": "Customer lifetime value (discounted margin)",
        "data": [{"y": values, "text": [format_money(v) for v in values]}],
    }


def plot_lifetime_value(result: RoiResult) -> go.Figure:
    """Lifetime value of a customer before and after the programme.

    Bars: before; the average customer after; a customer who gets excellent service. See
    :func:`workbook.models.roi.service_roi.customer_lifetime_value`.
    """
    traces = lifetime_value_traces(result)
    figure = go.Figure(
        go.Bar(x=["Before", "After (average customer)", "After (excellent service)"],
               marker_color=[TOTAL, GAIN, GAIN], textposition="outside",
               hovertemplate="%{x}: %{y:,.0f}<extra></extra>", **traces["data"][0])
    )
    figure.update_layout(title=traces["title"], yaxis_title="currency per customer",
                         showlegend=False, **_LAYOUT)
    return figure
