"""The look every chart shares: one layout, one palette, one shape for chart data.

Each ``plot_*`` function builds its figure with :func:`layout` and these colours, so the
notebooks, reports and dashboards read as one product.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GAIN", "LOSS", "MUTED", "TOTAL", "Traces", "layout"]

Traces = dict[str, Any]
"""What a ``*_traces`` function returns: ``{"title": str, "data": [trace properties, ...]}``."""

GAIN, LOSS, TOTAL, MUTED = "#2a9d8f", "#e76f51", "#264653", "#8d99ae"
"""Good news, bad news, totals and neutral lines."""


def layout(*, height: int = 320, top_margin: int = 50) -> dict[str, Any]:
    """The shared plotly layout: white template, margins for axis titles, 12 px text."""
    return dict(template="plotly_white", height=height,
                margin=dict(l=60, r=20, t=top_margin, b=40), font=dict(size=12))
