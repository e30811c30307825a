"""Each parameter declared once: its name, kind, hard limits and registry entry.

A model's parameters are a frozen dataclass that derives from :class:`Params`. Each field is
declared by one call:

- :func:`~workbook.core.parameters.assumed` for a registry-backed figure: the field is named as
  its registry entry, and value, plausible range, unit, source, **kind and hard limits** all come
  from that entry (:data:`workbook.core.registry.ASSUMPTIONS`);
- :func:`declared` for an input with no registry entry (a switch, an optional override).

Everything else derives from the declaration (:class:`Limits`): validation on construction
(:meth:`Params.__post_init__`), ``replace``/``to_dict``, the bounds a Monte Carlo draw is cut to
(:meth:`Limits.bounds`), the text coercion of URLs and ``workbook run -p`` (:meth:`Limits.parse`),
slider ranges (from the registry range, cut to the limits) and hypothesis strategies
(:meth:`Limits.strategy`). Rules that tie two fields together (retention plus its uplift at most
0.99, happy plus unhappy at most all customers) live in one :meth:`Params.check` per model.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any, Literal, Self

from workbook.core.validation import (
    ParameterError,
    require_fraction,
    require_integer,
    require_number,
)

__all__ = [
    "KINDS",
    "Limits",
    "Params",
    "count",
    "declaration",
    "declared",
    "fraction",
    "number",
    "params_strategy",
]

Kind = Literal["fraction", "number", "count"]
KINDS: tuple[Kind, ...] = ("fraction", "number", "count")
"""``fraction``: 0.09 means 9 %; ``number``: a real amount (money, people, seconds, a ratio);
``count``: a whole number."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The values a parameter accepts: its kind and hard limits (not its plausible range).

    Attributes
    ----------
    kind
        ``"fraction"``, ``"number"`` or ``"count"`` (see :data:`KINDS`).
    low, high
        Hard limits, inclusive; ``None`` is unbounded (a fraction's are 0 and 1 unless
        narrowed).
    above_low
        ``low`` itself is refused ("above 0", a positive number).
    unit
        Named in messages: ``"a number from 0 to 1e+06 people"``.
    optional
        ``None`` is accepted (it means "derive it", e.g. the acquisition cost from the ratio).
    """

    kind: Kind
    low: float | None = None
    high: float | None = None
    above_low: bool = False
    unit: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}; got {self.kind!r}")
        if self.kind == "fraction":
            object.__setattr__(self, "low", 0.0 if self.low is None else self.low)
            object.__setattr__(self, "high", 1.0 if self.high is None else self.high)

    @property
    def python_type(self) -> type:
        """``int`` for a count, else ``float``."""
        return int if self.kind == "count" else float

    def check(self, name: str, value: object) -> Any:
        """``value`` as the field's type, or :class:`ParameterError` naming ``name``.

        Examples
        --------
        >>> fraction(high=0.99).check("annual_retention_rate", 0.75)
        0.75
        >>> count(low=1).check("customers", 10000.0)
        10000
        >>> number(low=0, above_low=True, unit="seconds").check("aht_seconds", 0)
        Traceback (most recent call last):
        ...
        workbook.core.validation.ParameterError: aht_seconds: expected a number above 0 seconds; got 0
        """  # noqa: E501 (doctest output line)
        if value is None and self.optional:
            return None
        if self.kind == "fraction":
            result: float | int = require_fraction(name, value, high=float(self.high or 1.0))
            if self.low and result < self.low:
                raise ParameterError(name, f"a fraction from {self.low:g} to {self.high:g}",
                                     value)
        elif self.kind == "count":
            low = None if self.low is None else int(self.low)
            high = None if self.high is None else int(self.high)
            result = require_integer(name, value, low=low, high=high)
        else:
            result = require_number(name, value, low=self.low, high=self.high, unit=self.unit)
        if self.above_low and self.low is not None and result <= self.low:
            unit = f" {self.unit}" if self.unit else ""
            kind = "a fraction" if self.kind == "fraction" else "a number"
            top = f" and at most {self.high:g}" if self.high is not None else ""
            raise ParameterError(name, f"{kind} above {self.low:g}{top}{unit}", value)
        return result

    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` as numbers (infinite where unbounded): what a draw is cut to."""
        low = -math.inf if self.low is None else float(self.low)
        high = math.inf if self.high is None else float(self.high)
        if self.above_low and math.isfinite(low):
            low = math.nextafter(low, math.inf)
        return low, high

    def parse(self, name: str, text: str) -> Any:
        """The text of a URL value or ``-p`` argument as this kind (not yet range-checked).

        ``"none"`` or ``""`` give ``None`` (the registry default); a percent sign is refused,
        since fractions are fractions.
        """
        from workbook.core.parameters import coerce_text

        return coerce_text(name, text, self.python_type)

    def strategy(self, plausible: tuple[float, float] | None = None) -> Any:
        """A hypothesis strategy of accepted values (within ``plausible`` when given)."""
        from hypothesis import strategies as st

        low, high = self.bounds()
        if plausible is not None:
            low, high = max(low, plausible[0]), min(high, plausible[1])
        if self.kind == "count":
            return st.integers(math.ceil(low) if math.isfinite(low) else -10**9,
                               math.floor(high) if math.isfinite(high) else 10**9)
        return st.floats(low if math.isfinite(low) else -1e12,
                         high if math.isfinite(high) else 1e12,
                         allow_nan=False, allow_infinity=False,
                         exclude_min=self.above_low)


def fraction(*, low: float | None = None, high: float | None = None,
             above_low: bool = False) -> Limits:
    """A fraction from 0 (or ``low``) to 1 (or ``high``): 0.09 means 9 %."""
    return Limits("fraction", low, high, above_low)


def number(*, low: float | None = None, high: float | None = None, above_low: bool = False,
           unit: str = "", optional: bool = False) -> Limits:
    """A finite real number within the limits."""
    return Limits("number", low, high, above_low, unit, optional)


def count(*, low: int | None = None, high: int | None = None, optional: bool = False) -> Limits:
    """A whole number within the limits (``10000.0`` is accepted as ``10000``)."""
    return Limits("count", low, high, optional=optional)


def declared(default: Any, limits: Limits | None = None, **field_options: Any) -> Any:
    """A dataclass field with no registry entry, declared with its ``limits`` (if any)."""
    metadata = {"limits": limits} if limits is not None else {}
    return dataclasses.field(default=default, metadata=metadata, **field_options)


def declaration(params_type: type, name: str) -> Limits | None:
    """The :class:`Limits` declared for field ``name`` of ``params_type`` (``None``: a switch)."""
    for f in dataclasses.fields(params_type):
        if f.name == name:
            return f.metadata.get("limits")
    raise KeyError(f"{params_type.__name__} has no field {name!r}")


@functools.cache
def _declared_fields(params_type: type) -> tuple[tuple[str, Limits], ...]:
    """``(name, limits)`` of each declared field, read once per class: a slider move builds a
    parameter object, and a class's fields never change."""
    return tuple((f.name, f.metadata["limits"]) for f in dataclasses.fields(params_type)
                 if f.metadata.get("limits") is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Base of every model's parameters: validated from the declarations on construction.

    A subclass declares its fields (:func:`~workbook.core.parameters.assumed`,
    :func:`declared`) and, where two fields constrain each other, overrides :meth:`check`.
    """

    def __post_init__(self) -> None:
        for name, limits in _declared_fields(type(self)):
            object.__setattr__(self, name, limits.check(name, getattr(self, name)))
        self.check()

    def check(self) -> None:
        """Rules across fields; raise :class:`ParameterError` naming the field to change."""

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied and validated."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Field name to value (JSON-ready)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def params_strategy(params_type: type, *, plausible: bool = True, **fixed: Any) -> Any:
    """A hypothesis strategy of ``params_type`` objects, each field drawn from its declaration.

    Registry-backed fields are drawn within their plausible range (``plausible=True``, the
    default) or anywhere within their hard limits; fields named in ``fixed`` keep the given
    value; undeclared fields (switches) keep their defaults. Draws that break a rule across
    fields (:meth:`Params.check`) are filtered out.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from workbook.models.roi.service_roi import ServiceRoiParams
    >>> @settings(max_examples=20, derandomize=True)
    ... @given(params_strategy(ServiceRoiParams))
    ... def test(params):
    ...     assert 0 <= params.annual_retention_rate <= 0.99
    >>> test()
    """
    from hypothesis import strategies as st

    from workbook.core.registry import get_assumption

    drawn: dict[str, Any] = {}
    for f in dataclasses.fields(params_type):
        limits = f.metadata.get("limits")
        if f.name in fixed:
            drawn[f.name] = st.just(fixed[f.name])
        elif limits is not None and f.default is not None:
            key = f.metadata.get("assumption")
            span = None
            if key and plausible:
                entry = get_assumption(key)
                span = (entry.low, entry.high)
            drawn[f.name] = limits.strategy(span)

    def build(values: dict[str, Any]) -> Any:
        try:
            return params_type(**values)
        except ParameterError:
            return None

    return st.fixed_dictionaries(drawn).map(build).filter(lambda p: p is not None)
