"""Charts of a batch: the scenarios' NPV side by side with their P10–P90 range, and P(NPV > 0).

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(table)`` gives the
data (one dict of trace properties per trace, and the title) and ``plot_*(table)`` builds the
full figure from it, with a fixed number of traces. ``table`` has one row per run, indexed by
its label (the scenario name), with the headline columns of the ROI notebook's
``.results.json``: ``npv``, ``npv_p10``, ``npv_p50``, ``npv_p90`` and
``probability_npv_positive``; a missing number is NaN (a run without a simulation, a failed
run) and shows as a gap.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from workbook.core.formatting import format_money, format_percent
from workbook.plotting.style import GAIN, LOSS, MUTED, TOTAL, Traces, layout

__all__ = [
    "PROBABILITY_COLUMNS",
    "RANGE_COLUMNS",
    "plot_probability_npv_positive",
    "plot_scenario_npv",
    "probability_npv_positive_traces",
    "scenario_npv_traces",
]

RANGE_COLUMNS = ("npv", "npv_p10", "npv_p50", "npv_p90")
"""The columns :func:`plot_scenario_npv` reads."""

PROBABILITY_COLUMNS = ("probability_npv_positive", "npv_p10", "npv_p50", "npv_p90")
"""The columns of the probability table in a batch index."""


def _values(table: pd.DataFrame, column: str) -> list[float | None]:
    """A column as plain floats, ``None`` where it is missing (plotly draws a gap)."""
    if column not in table:
        return [None] * len(table)
    values = pd.to_numeric(table[column], errors="coerce").astype("float64")
    return [None if math.isnan(v) else float(v) for v in values]


def _colour(value: float | None) -> str:
    return MUTED if value is None else GAIN if value > 0 else LOSS


def scenario_npv_traces(table: pd.DataFrame) -> Traces:
    """Data of :func:`plot_scenario_npv`.

    Examples
    --------
    >>> table = pd.DataFrame({"npv": [100.0, -50.0], "npv_p10": [-20.0, None],
    ...                       "npv_p50": [90.0, None], "npv_p90": [200.0, None]},
    ...                      index=["a", "b"])
    >>> bars, ranges = scenario_npv_traces(table)["data"]
    >>> ranges["y"], ranges["error_y"]["array"], ranges["error_y"]["arrayminus"]
    ([90.0, None], [110.0, None], [110.0, None])
    """
    labels = [str(label) for label in table.index]
    npv = _values(table, "npv")
    p10, p50, p90 = (_values(table, c) for c in ("npv_p10", "npv_p50", "npv_p90"))
    above = [None if hi is None or mid is None else hi - mid
             for hi, mid in zip(p90, p50, strict=True)]
    below = [None if lo is None or mid is None else mid - lo
             for lo, mid in zip(p10, p50, strict=True)]
    ranges = [
        "" if lo is None else f"P10 {format_money(lo)} · P50 {format_money(mid)} · "
        f"P90 {format_money(hi)}"
        for lo, mid, hi in zip(p10, p50, p90, strict=True)
    ]
    shown = sum(v is not None for v in npv)
    return {
        "title": f"Net present value by scenario ({shown} of {len(labels)} runs), "
        "P10–P90 over the uncertain inputs",
        "data": [
            {"x": labels, "y": npv, "marker": {"color": [_colour(v) for v in npv]},
             "customdata": [format_money(v) for v in npv]},
            {"x": labels, "y": p50, "customdata": ranges,
             "error_y": {"type": "data", "symmetric": False, "array": above,
                         "arrayminus": below}},
        ],
    }


def plot_scenario_npv(table: pd.DataFrame) -> go.Figure:
    """NPV of each scenario at its values (bars), with the P10–P90 range of the simulation.

    Two traces: the deterministic NPV as bars (green above 0, red below, grey when missing)
    and the simulated median (P50) as a diamond whose error bar runs from P10 to P90. The
    range is drawn around the median, not around the bar, since the NPV at the values need
    not lie between P10 and P90. A scenario without a simulation has a bar and no range.
    """
    traces = scenario_npv_traces(table)
    bars, ranges = traces["data"]
    figure = go.Figure(
        [
            go.Bar(name="NPV at the values", hovertemplate="%{x}: NPV %{customdata}"
                   "<extra></extra>", **bars),
            go.Scatter(name="P50, with P10–P90", mode="markers",
                       marker=dict(symbol="diamond", size=10, color=TOTAL),
                       hovertemplate="%{x}: %{customdata}<extra></extra>",
                       **{**ranges, "error_y": {**ranges["error_y"], "color": TOTAL,
                                                "thickness": 1.5, "width": 8}}),
        ]
    )
    figure.update_layout(title=traces["title"], yaxis_title="net present value (currency)",
                         yaxis_tickformat=",.0f", legend=dict(orientation="h", y=-0.25),
                         **layout(height=360))
    figure.add_hline(y=0, line=dict(color="#999", width=1))
    return figure


def probability_npv_positive_traces(table: pd.DataFrame) -> Traces:
    """Data of :func:`plot_probability_npv_positive`.

    Examples
    --------
    >>> table = pd.DataFrame({"probability_npv_positive": [0.93, None]}, index=["a", "b"])
    >>> (bars,) = probability_npv_positive_traces(table)["data"]
    >>> bars["y"], bars["text"]
    ([0.93, None], ['93.0 %', '—'])
    """
    labels = [str(label) for label in table.index]
    chance = _values(table, "probability_npv_positive")
    return {
        "title": "Chance the NPV is positive, by scenario",
        "data": [{"x": labels, "y": chance, "text": [format_percent(v) for v in chance],
                  "marker": {"color": [MUTED if v is None else GAIN if v >= 0.5 else LOSS
                                       for v in chance]}}],
    }


def plot_probability_npv_positive(table: pd.DataFrame) -> go.Figure:
    """P(NPV > 0) of each scenario's simulation, as bars from 0 to 100 %.

    One trace. Green at 50 % or more, red below, grey where the run has no simulation.
    """
    traces = probability_npv_positive_traces(table)
    (bars,) = traces["data"]
    figure = go.Figure(
        [go.Bar(name="P(NPV > 0)", textposition="outside",
                hovertemplate="%{x}: %{text}<extra></extra>", **bars)]
    )
    figure.update_layout(title=traces["title"], yaxis=dict(range=[0, 1.1], tickformat=".0%",
                                                           title="share of draws"),
                         showlegend=False, **layout(height=300))
    figure.add_hline(y=0.5, line=dict(color="#999", width=1, dash="dot"))
    return figure
