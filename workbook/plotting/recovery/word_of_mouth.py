"""Charts of word of mouth: reach and value, with the low–high band of the source ranges.

Pairs as everywhere (:mod:`workbook.plotting.roi.service_roi`). Both charts take a
:class:`~workbook.models.recovery.word_of_mouth.WordOfMouthRange`, so the band of the source
ranges ("3–5", "10–15") is always drawn beside the value at the midpoint.
"""

from __future__ import annotations

import plotly.graph_objects as go

from workbook.core.formatting import format_money
from workbook.models.recovery.word_of_mouth import WordOfMouthRange
from workbook.plotting.style import GAIN, LOSS, TOTAL, Traces, layout

__all__ = [
    "plot_word_of_mouth_reach",
    "plot_word_of_mouth_value",
    "word_of_mouth_reach_traces",
    "word_of_mouth_value_traces",
]

_LAYOUT = layout()

_REACH_BARS = ("Told by happy customers", "Reached by unhappy customers")
_VALUE_BARS = ("Customers won", "Customers lost", "Net")


def _band(spread: WordOfMouthRange, metric: str, sign: float = 1.0) -> dict[str, float]:
    """Error-bar lengths from the mid value to the low and high of ``metric``."""
    mid = sign * getattr(spread.mid, metric)
    low, high = sorted(sign * v for v in spread.band(metric))
    return {"plus": high - mid, "minus": mid - low}


def word_of_mouth_reach_traces(spread: WordOfMouthRange) -> Traces:
    """Data of :func:`plot_word_of_mouth_reach`."""
    mid = spread.mid
    happy, unhappy = _band(spread, "happy_reach"), _band(spread, "unhappy_reach")
    return {
        "title": f"People reached in a year: one unhappy customer undoes "
                 f"{mid.unhappy_to_happy_ratio:.1f} happy ones",
        "data": [{
            "y": [mid.happy_reach, mid.unhappy_reach],
            "text": [f"{mid.happy_reach:,.0f}", f"{mid.unhappy_reach:,.0f}"],
            "error_y": {"type": "data", "symmetric": False,
                        "array": [happy["plus"], unhappy["plus"]],
                        "arrayminus": [happy["minus"], unhappy["minus"]]},
        }],
    }


def plot_word_of_mouth_reach(spread: WordOfMouthRange) -> go.Figure:
    """People told by happy customers and reached by unhappy ones, with the range band.

    One bar trace; the error bars span the source ranges of people told (3–5, 10–15).
    """
    traces = word_of_mouth_reach_traces(spread)
    figure = go.Figure(go.Bar(x=list(_REACH_BARS), marker_color=[GAIN, LOSS],
                              textposition="inside",
                              hovertemplate="%{x}: %{y:,.0f} people<extra></extra>",
                              **traces["data"][0]))
    figure.update_layout(title=traces["title"], yaxis_title="people", showlegend=False,
                         **_LAYOUT)
    return figure


def word_of_mouth_value_traces(spread: WordOfMouthRange) -> Traces:
    """Data of :func:`plot_word_of_mouth_value`."""
    mid = spread.mid
    values = [mid.value_won, -mid.value_lost, mid.net_value]
    bands = [_band(spread, "value_won"), _band(spread, "value_lost", -1.0),
             _band(spread, "net_value")]
    low, high = spread.band("net_value")
    return {
        "title": f"Value of a year's word of mouth: {format_money(mid.net_value)} "
                 f"({format_money(low)} to {format_money(high)})",
        "data": [{
            "y": values,
            "text": [format_money(v) for v in values],
            "error_y": {"type": "data", "symmetric": False,
                        "array": [b["plus"] for b in bands],
                        "arrayminus": [b["minus"] for b in bands]},
        }],
    }


def plot_word_of_mouth_value(spread: WordOfMouthRange) -> go.Figure:
    """Discounted margin of the customers won, lost and net, with the range band.

    One bar trace; the error bars run from the pessimistic to the optimistic case of the
    source ranges (:func:`~workbook.models.recovery.word_of_mouth.compute_word_of_mouth_range`).
    """
    traces = word_of_mouth_value_traces(spread)
    figure = go.Figure(go.Bar(x=list(_VALUE_BARS), marker_color=[GAIN, LOSS, TOTAL],
                              textposition="inside",
                              hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
                              **traces["data"][0]))
    figure.update_layout(title=traces["title"], yaxis_title="currency (discounted margin)",
                         showlegend=False, **_LAYOUT)
    figure.add_hline(y=0, line={"color": "#999", "width": 1})
    return figure
