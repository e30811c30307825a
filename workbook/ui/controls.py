"""Widgets built from the registry: sliders whose span, default, unit and source come from it.

Only the UI layer imports ipywidgets.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from workbook.core.formatting import format_money, format_percent
from workbook.core.registry import Assumption

__all__ = ["assumption_slider", "nice_step", "source_text"]


def nice_step(low: float, high: float, *, integer: bool = False, fraction: bool = False) -> float:
    """A round slider step giving about 100–200 positions over ``[low, high]``.

    Fractions move by 0.005 (half a percentage point) or finer for narrow spans.

    Examples
    --------
    >>> nice_step(0.03, 0.15, fraction=True)
    0.001
    >>> nice_step(0, 1_000_000)
    10000.0
    >>> nice_step(1, 10, integer=True)
    1
    """
    span = high - low
    if span <= 0:
        return 1 if integer else 0.001
    raw = span / 100
    exponent = math.floor(math.log10(raw))
    base = raw / 10**exponent
    mantissa = 1 if base < 2 else 2 if base < 5 else 5
    step = mantissa * 10.0**exponent
    if fraction:
        step = min(max(step, 0.001), 0.005)
    if integer:
        return max(1, round(step))
    return float(f"{step:.6g}")


def source_text(assumption: Assumption) -> str:
    """One line saying what an assumption is and where it comes from (for tooltips)."""
    span = _format_value(assumption, assumption.low), _format_value(assumption, assumption.high)
    text = (
        f"{assumption.label}: default {_format_value(assumption, assumption.value)} "
        f"(plausible {span[0]}–{span[1]}, {assumption.unit}). Source: {assumption.source}"
    )
    if assumption.seed:
        text += f" [seed {assumption.seed}]"
    return text


def _is_fraction(assumption: Assumption) -> bool:
    return assumption.limits.kind == "fraction"


def _format_value(assumption: Assumption, value: float) -> str:
    if _is_fraction(assumption):
        return format_percent(value)
    if "currency" in assumption.unit:
        return format_money(value)
    return f"{value:g}"


def assumption_slider(
    name: str, assumption: Assumption, value: float, *, integer: bool = False
) -> widgets.Widget:
    """A slider for parameter ``name`` over the assumption's plausible range.

    The description is the assumption's label; hovering the row shows its source. The
    slider's span widens to include ``value`` when a URL or scenario sets a value outside the
    plausible range, so the value is never clipped silently.
    """
    fraction = _is_fraction(assumption)
    low, high = min(assumption.low, value), max(assumption.high, value)
    step = nice_step(assumption.low, assumption.high, integer=integer, fraction=fraction)
    common = dict(
        description=assumption.label,
        tooltip=source_text(assumption),
        continuous_update=False,
        style={"description_width": "250px"},
        layout=widgets.Layout(width="100%"),
    )
    slider: widgets.Widget
    if integer:
        slider = widgets.IntSlider(value=int(value), min=int(low), max=int(high), step=int(step),
                                   readout_format=",d", **common)
    else:
        readout = ".1%" if fraction else ",.0f" if step >= 1 else ".3g"
        slider = widgets.FloatSlider(value=value, min=low, max=high, step=step,
                                     readout_format=readout, **common)
    slider.add_class(f"param-{name}")
    return slider


def source_badge(assumption: Assumption) -> widgets.HTML:
    """A small circled *i* whose hover text is the assumption's source."""
    title = html.escape(source_text(assumption), quote=True)
    return widgets.HTML(f'<span class="wb-source" title="{title}">i</span>',
                        layout=widgets.Layout(width="24px", flex="0 0 24px"))
