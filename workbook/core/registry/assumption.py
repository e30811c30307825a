"""One registered figure: value, plausible range, unit, source, kind and hard limits."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from workbook.core.declare import Limits

__all__ = ["FICTIONAL", "Assumption"]

FICTIONAL = "Illustrative default for a fictional mid-size business; replace with your own figure"
"""The source of every business input: the defaults describe a fictional business."""


@dataclass(frozen=True, slots=True)
class Assumption:
    """One registered figure.

    Attributes
    ----------
    key
        Registry key, e.g. ``"spend_uplift_excellent_service"``.
    label
        Short human name, shown beside sliders and in report tables.
    value
        The default value.
    low, high
        Plausible range, ``low <= value <= high``.
    unit
        Unit of ``value``, e.g. ``"fraction of spend"``, ``"people"``, ``"currency/year"``.
    source
        Who states the figure, where and when.
    seed
        The seed text the figure was read from (file name prefix in ``shared/seeds``), or
        ``""`` for business inputs.
    range_basis
        Where ``low``/``high`` come from: ``"source"`` when the text gives the range,
        ``"judgement"`` when the workbook chose a plausible span around a single figure.
    note
        Anything a reader needs to use the figure correctly.
    limits
        The kind (fraction, number, count) and the *hard* limits every model accepts for this
        figure, whatever its plausible range (:mod:`workbook.core.declare`). Every entry
        states them: a slider, a URL, a scenario or a Monte Carlo draw outside them is refused.
    """

    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    seed: str = ""
    range_basis: str = "judgement"
    note: str = ""
    limits: Limits = dataclasses.field(kw_only=True)
