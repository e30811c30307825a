"""Charts of service quality: the nine-quality radar, importance–performance, the Drucker mix.

Each chart comes as a pair, as in
:mod:`workbook.plotting.roi.service_roi`: ``*_traces(...)`` gives the
data that changes (``{"title": str, "data": [dict of trace properties, ...]}``) and
``plot_*(...)`` builds the full figure from it, with a fixed number of traces, so a dashboard
can copy new traces into a ``FigureWidget`` in place.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from workbook.core.formatting import format_percent
from workbook.data.surveys import QUALITIES, QUALITY_LABELS
from workbook.models.quality.drucker import LEVEL_LABELS, LEVELS
from workbook.models.quality.relationship import QUADRANT_LABELS, ImportancePerformance
from workbook.plotting.style import Traces, layout

__all__ = [
    "drucker_mix_traces",
    "importance_performance_traces",
    "plot_drucker_mix",
    "plot_importance_performance",
    "plot_quality_radar",
    "quality_radar_traces",
]


_LAYOUT = layout(height=380, top_margin=60)
_EXPECTED, _PERCEIVED = "#264653", "#2a9d8f"
_QUADRANT_COLOURS = {
    "concentrate_here": "#e76f51", "keep_up_the_good_work": "#2a9d8f",
    "low_priority": "#8d99ae", "possible_overkill": "#e9c46a", "undetermined": "#cccccc",
}
_LEVEL_COLOURS = dict(zip(LEVELS, ["#e76f51", "#e9c46a", "#a8dadc", "#2a9d8f", "#264653"],
                          strict=True))


def quality_radar_traces(scores: pd.DataFrame) -> Traces:
    """Data of :func:`plot_quality_radar`.

    Parameters
    ----------
    scores
        :func:`workbook.models.quality.relationship.gap_scores` (index ``quality``; one
        segment's rows, or all).
    """
    present = [q for q in QUALITIES if q in scores.index]
    loop = [*present, present[0]] if present else []
    labels = [QUALITY_LABELS[q] for q in loop]
    gap = float(scores.loc[present, "gap"].mean()) if present else float("nan")
    return {
        "title": f"Expectation vs perception — mean gap {gap:+.2f} points",
        "data": [
            {"r": scores.loc[loop, "expectation"].tolist(), "theta": labels},
            {"r": scores.loc[loop, "perception"].tolist(), "theta": labels},
        ],
    }


def plot_quality_radar(scores: pd.DataFrame) -> go.Figure:
    """Radar of mean expectation and perception over the nine qualities (1–7 scale).

    Two traces: expectation, then perception; where the perception line lies inside the
    expectation line, service falls short.
    """
    traces = quality_radar_traces(scores)
    expected, perceived = traces["data"]
    hover = "%{theta}: %{r:.2f}<extra>%{fullData.name}</extra>"
    figure = go.Figure([
        go.Scatterpolar(name="Expectation", mode="lines+markers", hovertemplate=hover,
                        line=dict(color=_EXPECTED, dash="dash"), **expected),
        go.Scatterpolar(name="Perception", mode="lines+markers", fill="toself",
                        hovertemplate=hover, line=dict(color=_PERCEIVED),
                        fillcolor="rgba(42,157,143,0.2)", **perceived),
    ])
    figure.update_layout(title=traces["title"], legend=dict(orientation="h", y=-0.1),
                         polar=dict(radialaxis=dict(range=[1, 7], tickvals=list(range(1, 8)))),
                         **_LAYOUT)
    return figure


def importance_performance_traces(ipa: ImportancePerformance) -> Traces:
    """Data of :func:`plot_importance_performance`."""
    table = ipa.table
    x, y = table["performance"], table["importance"]
    x_span = [float(x.min()), float(x.max())]
    y_span = [float(y.min()), float(y.max())]
    return {
        "title": f"Importance vs performance ({ipa.importance_method} importance)",
        "data": [
            {"x": x.tolist(), "y": y.tolist(),
             "text": [QUALITY_LABELS[q] for q in table.index],
             "customdata": [QUADRANT_LABELS[q] for q in table["quadrant"]],
             "marker": {"color": [_QUADRANT_COLOURS[q] for q in table["quadrant"]],
                        "size": 12}},
            {"x": [ipa.performance_cut] * 2, "y": y_span},
            {"x": x_span, "y": [ipa.importance_cut] * 2},
        ],
    }


def plot_importance_performance(ipa: ImportancePerformance) -> go.Figure:
    """Importance–performance matrix: performance (mean perception) across, importance up.

    Three traces: the qualities (coloured by quadrant), the performance crosshair and the
    importance crosshair (the means over qualities, see
    :func:`workbook.models.quality.relationship.importance_performance`). Top left:
    concentrate here.
    """
    traces = importance_performance_traces(ipa)
    points, vertical, horizontal = traces["data"]
    cut = dict(mode="lines", line=dict(color="#999", width=1, dash="dot"), hoverinfo="skip",
               showlegend=False)
    figure = go.Figure([
        go.Scatter(name="Qualities", mode="markers+text", textposition="top center",
                   hovertemplate="%{text}<br>performance %{x:.2f}, importance %{y:.2f}"
                   "<br>%{customdata}<extra></extra>", showlegend=False, **points),
        go.Scatter(name="Mean performance", **cut, **vertical),
        go.Scatter(name="Mean importance", **cut, **horizontal),
    ])
    figure.update_layout(title=traces["title"], xaxis_title="performance (mean perception, 1–7)",
                         yaxis_title="importance", **_LAYOUT)
    return figure


def drucker_mix_traces(shares: pd.DataFrame) -> Traces:
    """Data of :func:`plot_drucker_mix`.

    Parameters
    ----------
    shares
        :func:`workbook.models.quality.drucker.level_shares` (rows segments and ``"all"``,
        columns levels).
    """
    segments = shares.index.astype("str").tolist()
    top = float(shares[list(LEVELS[2:])].loc[segments[-1]].sum()) if segments else float("nan")
    return {
        "title": f"Drucker's levels — {format_percent(top, 0)} exceed expectations or better"
        + (f" ({segments[-1]})" if segments else ""),
        "data": [
            {"y": segments, "x": shares[level].tolist(),
             "text": [format_percent(v, 0) for v in shares[level]]}
            for level in LEVELS
        ],
    }


def plot_drucker_mix(shares: pd.DataFrame) -> go.Figure:
    """Share of respondents at each Drucker level, one stacked bar per segment.

    Five traces, one per level of :data:`workbook.models.quality.drucker.LEVELS`, lowest first.
    """
    traces = drucker_mix_traces(shares)
    figure = go.Figure([
        go.Bar(name=LEVEL_LABELS[level], orientation="h", marker_color=_LEVEL_COLOURS[level],
               textposition="inside", hovertemplate="%{y}: %{x:.1%}<extra>%{fullData.name}"
               "</extra>", **data)
        for level, data in zip(LEVELS, traces["data"], strict=True)
    ])
    figure.update_layout(title=traces["title"], barmode="stack",
                         xaxis=dict(title="share of respondents", tickformat=".0%",
                                    range=[0, 1]),
                         yaxis=dict(autorange="reversed"),
                         legend=dict(orientation="h", y=-0.2, traceorder="normal"),
                         **_LAYOUT)
    return figure
