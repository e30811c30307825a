"""Plotly figures for every model: ``plot_*`` functions that take a result and return a figure."""

from __future__ import annotations

from workbook.plotting.roi.service_roi import (
    cumulative_cash_traces,
    lifetime_value_traces,
    plot_cumulative_cash,
    plot_lifetime_value,
    plot_value_drivers,
    value_drivers_traces,
)

__all__ = [
    "cumulative_cash_traces",
    "lifetime_value_traces",
    "plot_cumulative_cash",
    "plot_lifetime_value",
    "plot_value_drivers",
    "value_drivers_traces",
]
