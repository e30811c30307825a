"""Charts of uncertainty and sensitivity: fan chart, NPV histogram, tornado, spider, break-even.

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(result)`` gives the
data that changes with the inputs (one dict of trace properties per trace, and the title) and
``plot_*(result)`` builds the full figure from it, with a fixed number of traces. A dashboard's
risk panel builds each ``FigureWidget`` once and copies ``*_traces`` into it on every change.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
from numpy.typing import NDArray
from plotly.subplots import make_subplots

from workbook.core.formatting import format_money, format_percent
from workbook.plotting.style import GAIN, LOSS, TOTAL, Traces, layout
from workbook.uncertainty import BreakEvenMap, RoiSimulation, Spider, Tornado
from workbook.uncertainty.monte_carlo import HEADLINE_PERCENTILES, percentile

__all__ = [
    "break_even_map_traces",
    "cash_fan_traces",
    "histogram_data",
    "npv_histogram_traces",
    "plot_break_even_map",
    "plot_cash_fan",
    "plot_npv_histogram",
    "plot_risk_panel",
    "plot_spider",
    "plot_tornado",
    "risk_panel_traces",
    "spider_traces",
    "tornado_traces",
]

_LAYOUT = layout()
_HISTOGRAM_BINS = 40
_SPIDER_COLOURS = ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8ab17d",
                   "#6d597a", "#457b9d", "#b56576", "#606c38", "#bc6c25", "#3d405b",
                   "#81b29a", "#d62828")


def _format_input(value: float, unit: str, kind: str) -> str:
    """An input's value as a reader expects it: percent (a declared fraction), money or a number."""
    if kind == "fraction":
        return format_percent(value)
    if "currency" in unit:
        return format_money(value)
    return f"{value:,.4g}"


def _axis_format(unit: str, kind: str) -> dict[str, str]:
    if kind == "fraction":
        return {"tickformat": ".0%"}
    return {"tickformat": ",.0f"} if "currency" in unit else {}


# --- fan chart ------------------------------------------------------------------------------


def cash_fan_traces(simulation: RoiSimulation) -> Traces:
    """Data of :func:`plot_cash_fan`."""
    fan = simulation.cash_fan((10, 25, 50, 75, 90))
    months = 12 * fan.index.to_numpy()
    within = format_percent(simulation.probability_payback_within_horizon, 0)
    return {
        "title": f"Cumulative cash, {simulation.draws:,} draws — pays back within "
        f"{simulation.params.horizon_years} years in {within} of them",
        "data": [
            {"x": months, "y": fan["P10"].to_numpy()},
            {"x": months, "y": fan["P90"].to_numpy()},
            {"x": months, "y": fan["P25"].to_numpy()},
            {"x": months, "y": fan["P75"].to_numpy()},
            {"x": months, "y": fan["P50"].to_numpy()},
            {"x": 12 * np.arange(len(simulation.base.cash_flow)),
             "y": simulation.base.cumulative_cash},
        ],
    }


def plot_cash_fan(simulation: RoiSimulation) -> go.Figure:
    """Fan chart of the cumulative cash: P10–P90 and P25–P75 bands, the median, the values.

    Six traces: the P10 and P90 edges (the band between them shaded), the P25 and P75 edges,
    the median (P50) and the deterministic model at the values (dashed). Percentiles are taken
    at each year end across the draws; lines are straight between year ends, as in
    :func:`workbook.plotting.roi.service_roi.plot_cumulative_cash`. A band is not a path: the
    P10 line
    joins the 10th percentile of each year, not one draw.
    """
    traces = cash_fan_traces(simulation)
    hover = "month %{x:.0f}: %{y:,.0f}<extra>%{fullData.name}</extra>"
    edge = dict(mode="lines", line=dict(width=0), hovertemplate=hover)
    low, high, q1, q3, median, base = traces["data"]
    figure = go.Figure(
        [
            go.Scatter(name="P10", showlegend=False, **edge, **low),
            go.Scatter(name="P10–P90", fill="tonexty", fillcolor="rgba(42,157,143,0.18)",
                       **edge, **high),
            go.Scatter(name="P25", showlegend=False, **edge, **q1),
            go.Scatter(name="P25–P75", fill="tonexty", fillcolor="rgba(42,157,143,0.35)",
                       **edge, **q3),
            go.Scatter(name="Median (P50)", mode="lines", line=dict(color=GAIN, width=3),
                       hovertemplate=hover, **median),
            go.Scatter(name="At the values", mode="lines",
                       line=dict(color=TOTAL, width=2, dash="dash"), hovertemplate=hover,
                       **base),
        ]
    )
    figure.update_layout(title=traces["title"], xaxis_title="months from today",
                         yaxis_title="currency", legend=dict(orientation="h", y=-0.25),
                         **_LAYOUT)
    figure.add_hline(y=0, line=dict(color="#999", width=1))
    return figure


# --- NPV histogram --------------------------------------------------------------------------


def _bins(values: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Bin edges of equal width with 0 on an edge, so no bar straddles break-even."""
    low, high = float(values.min()), float(values.max())
    span = high - low
    if span <= 0:
        width = max(abs(low) * 0.01, 1.0)
        return np.array([low - width / 2, low + width / 2]), width
    width = span / _HISTOGRAM_BINS
    first, last = math.floor(low / width), math.ceil(high / width)
    return width * np.arange(first, max(last, first + 1) + 1, dtype=np.float64), width


def histogram_data(values: NDArray[np.float64], at_the_values: float) -> list[dict[str, Any]]:
    """The four traces of a Monte Carlo histogram of ``values`` (a money outcome per draw).

    Bars at a loss (≤ 0) and at a gain, as shares of the draws, 0 on a bin edge; the P10, P50
    and P90 lines (one trace broken by gaps); a marker at the deterministic outcome. Shared by
    :func:`npv_histogram_traces` and the complaint and word-of-mouth histograms.
    """
    edges, width = _bins(values)
    counts, _ = np.histogram(values, bins=edges)
    share = counts / values.size
    centres = 0.5 * (edges[:-1] + edges[1:])
    gain = centres > 0
    top = float(share.max()) * 1.08
    marks = [percentile(values, p) or 0.0 for p in HEADLINE_PERCENTILES]
    xs: list[float | None] = []
    ys: list[float | None] = []
    texts: list[str] = []
    for p, x in zip(HEADLINE_PERCENTILES, marks, strict=True):
        xs += [x, x, None]
        ys += [0.0, top, None]
        texts += ["", f"P{p}", ""]
    return [
        {"x": centres[~gain], "y": share[~gain], "width": width},
        {"x": centres[gain], "y": share[gain], "width": width},
        {"x": xs, "y": ys, "text": texts,
         "customdata": [format_money(x) if x is not None else "" for x in xs]},
        {"x": [at_the_values], "y": [top], "text": ["at the values"]},
    ]


def npv_histogram_traces(simulation: RoiSimulation) -> Traces:
    """Data of :func:`plot_npv_histogram`."""
    headline = format_percent(simulation.probability_npv_positive)
    return {
        "title": f"NPV over {simulation.draws:,} draws — P(NPV > 0) = {headline}",
        "data": histogram_data(simulation.npv, simulation.base.npv),
    }


def plot_npv_histogram(simulation: RoiSimulation) -> go.Figure:
    """Distribution of the NPV: bars below and above 0, P10/P50/P90 lines, the value marked.

    Four traces: the bars at a loss (NPV ≤ 0), the bars at a gain, the three percentile lines
    (one trace, broken by gaps) and a marker for the deterministic NPV at the values. Bars are
    the share of draws in each bin; 0 is a bin edge. The title gives P(NPV > 0).
    """
    traces = npv_histogram_traces(simulation)
    loss, gain, marks, base = traces["data"]
    bar_hover = "NPV ≈ %{x:,.0f}: %{y:.1%} of draws<extra></extra>"
    figure = go.Figure(
        [
            go.Bar(name="NPV ≤ 0", marker_color=LOSS, hovertemplate=bar_hover, **loss),
            go.Bar(name="NPV > 0", marker_color=GAIN, hovertemplate=bar_hover, **gain),
            go.Scatter(name="P10, P50, P90", mode="lines+text", textposition="top center",
                       line=dict(color=TOTAL, width=1.5, dash="dot"),
                       hovertemplate="%{customdata}<extra></extra>", **marks),
            go.Scatter(name="At the values", mode="markers", textposition="top center",
                       marker=dict(symbol="triangle-down", size=12, color=TOTAL),
                       hovertemplate="at the values: %{x:,.0f}<extra></extra>", **base),
        ]
    )
    figure.update_layout(title=traces["title"], xaxis_title="net present value (currency)",
                         yaxis_title="share of draws", yaxis_tickformat=".0%", bargap=0.02,
                         legend=dict(orientation="h", y=-0.25), **_LAYOUT)
    return figure


# --- tornado --------------------------------------------------------------------------------


def tornado_traces(tornado: Tornado) -> Traces:
    """Data of :func:`plot_tornado` (read from the columns: no table is built)."""
    columns = tornado.columns
    labels = list(columns["label"])
    base = tornado.base_npv
    sides = []
    for side in ("low", "high"):
        npv = np.asarray(columns[f"npv_{side}"], dtype=np.float64)
        inputs = [_format_input(float(v), u, k) for v, u, k
                  in zip(columns[side], columns["unit"], columns["kind"], strict=True)]
        sides.append({"y": labels, "x": npv - base, "base": [base] * len(labels),
                      "customdata": np.column_stack([inputs, [format_money(v) for v in npv]])})
    return {
        "title": f"What moves the NPV most (at the values: {format_money(base)})",
        "data": sides,
    }


def plot_tornado(tornado: Tornado) -> go.Figure:
    """Tornado: NPV with each input at its low and at its high, largest swing on top.

    Two horizontal bar traces (input at its low, input at its high) drawn from the NPV at the
    values; the others stay at their values. Hover shows the input's value and the NPV.
    """
    traces = tornado_traces(tornado)
    hover = "%{y} at %{customdata[0]}: NPV %{customdata[1]}<extra></extra>"
    low, high = traces["data"]
    figure = go.Figure(
        [
            go.Bar(name="Input at its low", orientation="h", marker_color=LOSS,
                   hovertemplate=hover, **low),
            go.Bar(name="Input at its high", orientation="h", marker_color=GAIN,
                   hovertemplate=hover, **high),
        ]
    )
    layout = {**_LAYOUT, "height": max(_LAYOUT["height"], 90 + 32 * len(tornado.names))}
    figure.update_layout(title=traces["title"], barmode="overlay",
                         xaxis_title="net present value (currency)", xaxis_tickformat=",.0f",
                         yaxis=dict(autorange="reversed", automargin=True),
                         legend=dict(orientation="h", y=-0.2), **layout)
    return figure


# --- spider ---------------------------------------------------------------------------------


def spider_traces(spider: Spider) -> Traces:
    """Data of :func:`plot_spider`."""
    data = []
    for name, r in spider.ranges.items():
        values = spider.input_values[name]
        data.append({"x": spider.positions, "y": spider.npv_values[name],
                     "customdata": [_format_input(v, r.unit, r.kind) for v in values]})
    return {
        "title": f"NPV as each input moves across its range "
        f"(at the values: {format_money(spider.base_npv)})",
        "data": data,
    }


def plot_spider(spider: Spider) -> go.Figure:
    """Spider chart: NPV against each input's position in its range, the others fixed.

    One line per input: -1 is its low, 0 its value, +1 its high (see
    :func:`workbook.uncertainty.compute_spider`). Steep lines matter most. Hover shows the
    input's value.
    """
    traces = spider_traces(spider)
    figure = go.Figure(
        [
            go.Scatter(name=r.label, mode="lines",
                       line=dict(color=_SPIDER_COLOURS[i % len(_SPIDER_COLOURS)], width=2),
                       hovertemplate=f"{r.label} at %{{customdata}}: NPV %{{y:,.0f}}"
                       "<extra></extra>", **trace)
            for i, (r, trace) in enumerate(zip(spider.ranges.values(), traces["data"],
                                               strict=True))
        ]
    )
    figure.update_layout(title=traces["title"], yaxis_title="net present value (currency)",
                         xaxis=dict(title="position in range (−1 low, 0 value, +1 high)",
                                    tickvals=[-1, -0.5, 0, 0.5, 1]),
                         legend=dict(orientation="h", y=-0.3), **_LAYOUT)
    figure.update_layout(height=380)
    figure.add_hline(y=0, line=dict(color="#999", width=1))
    figure.add_vline(x=0, line=dict(color="#ccc", width=1))
    return figure


# --- break-even map -------------------------------------------------------------------------


def break_even_map_traces(grid: BreakEvenMap) -> Traces:
    """Data of :func:`plot_break_even_map`."""
    limit = float(np.abs(grid.npv).max()) or 1.0
    return {
        "title": "Where the programme breaks even (NPV = 0)",
        "data": [
            {"x": grid.x_values, "y": grid.y_values, "z": grid.npv,
             "zmin": -limit, "zmax": limit},
            {"x": grid.x_values, "y": grid.zero_line},
            {"x": [grid.base_x], "y": [grid.base_y],
             "text": [f"NPV {format_money(grid.base_npv)}"]},
        ],
    }


def plot_break_even_map(grid: BreakEvenMap) -> go.Figure:
    """Map of the NPV over two inputs, with the NPV = 0 line and the current values.

    Three traces: the NPV as a heat map (red below 0, green above, white at 0), the break-even
    line, and a marker at the current values. Above-left of the line (less uplift, more
    investment) the programme loses money; below-right it pays.
    """
    traces = break_even_map_traces(grid)
    heat, line, here = traces["data"]
    x_hover = "%{x:.1%}" if grid.x_kind == "fraction" else "%{x:,.4g}"
    y_hover = "%{y:.1%}" if grid.y_kind == "fraction" else "%{y:,.4g}"
    figure = go.Figure(
        [
            go.Heatmap(name="NPV", zmid=0,
                       colorscale=[[0.0, LOSS], [0.5, "#ffffff"], [1.0, GAIN]],
                       colorbar=dict(title="NPV", tickformat=",.0f"),
                       hovertemplate=f"{grid.x_label}: {x_hover}<br>{grid.y_label}: "
                       f"{y_hover}<br>NPV %{{z:,.0f}}<extra></extra>",
                       **heat),
            go.Scatter(name="NPV = 0", mode="lines", line=dict(color=TOTAL, width=3),
                       hoverinfo="skip", **line),
            go.Scatter(name="At the values", mode="markers+text", textposition="top right",
                       marker=dict(symbol="x", size=12, color=TOTAL),
                       hoverinfo="skip", **here),
        ]
    )
    figure.update_layout(title=traces["title"], showlegend=False, **_LAYOUT)
    figure.update_layout(height=380)
    figure.update_xaxes(title=grid.x_label, **_axis_format(grid.x_unit, grid.x_kind))
    figure.update_yaxes(title=grid.y_label, **_axis_format(grid.y_unit, grid.y_kind))
    return figure


# --- risk panel: histogram above tornado, one figure -------------------------------------------


def risk_panel_traces(risk: tuple[RoiSimulation, Tornado]) -> Traces:
    """Data of :func:`plot_risk_panel`: the histogram's four traces, then the tornado's two."""
    simulation, tornado = risk
    histogram = npv_histogram_traces(simulation)
    return {"title": histogram["title"],
            "data": histogram["data"] + tornado_traces(tornado)["data"]}


def plot_risk_panel(simulation: RoiSimulation, tornado: Tornado) -> go.Figure:
    """:func:`plot_npv_histogram` above :func:`plot_tornado`, in one figure of six traces.

    For a dashboard's risk panel: one figure is one browser redraw per slider move instead of
    two (measured: the risk panel lands about 15 ms sooner). The title is the histogram's (it
    gives P(NPV > 0)); the tornado's colours are said in its subplot title, so there is no
    legend; the tornado's bars start at the NPV at the values, which the histogram marks.
    """
    histogram, bars = plot_npv_histogram(simulation), plot_tornado(tornado)
    rows = len(tornado.names)
    figure = make_subplots(
        rows=2, cols=1, vertical_spacing=0.16, row_heights=[0.5, 0.5],
        subplot_titles=("", "What moves the NPV most<br><sup>each input at its low (red) and "
                            "high (green), the others at their values</sup>"))
    for trace in histogram.data:
        figure.add_trace(trace, row=1, col=1)
    for trace in bars.data:
        figure.add_trace(trace, row=2, col=1)
    figure.update_layout(**{**_LAYOUT, "height": 380 + 26 * rows}, title=histogram.layout.title,
                         showlegend=False, barmode="overlay", bargap=0.02)
    figure.update_yaxes(title_text="share of draws", tickformat=".0%", row=1, col=1)
    figure.update_xaxes(title_text="net present value (currency)", tickformat=",.0f", row=2,
                        col=1)
    figure.update_yaxes(autorange="reversed", automargin=True, row=2, col=1)
    figure.layout.annotations[0].font.size = 12
    return figure
