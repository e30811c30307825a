"""Validation of user-supplied parameters, with messages that name the parameter.

Every model's parameter object calls these checks in ``__post_init__``, so that a bad value
is refused where it enters (a slider, a URL, ``workbook run -p``, a scenario file) with one
readable line: which parameter, what it accepts, what it got.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from numbers import Integral, Real

__all__ = [
    "ParameterError",
    "require_fraction",
    "require_integer",
    "require_number",
]


class ParameterError(ValueError):
    """A parameter value outside what a model accepts.

    Parameters
    ----------
    name
        The parameter's name, as the user wrote it (model field, notebook parameter, URL key).
    expected
        What the parameter accepts, in words, e.g. ``"a fraction from 0 to 1"``.
    got
        The value received (shown with ``repr``).
    """

    def __init__(self, name: str, expected: str, got: object) -> None:
        self.name = name
        self.expected = expected
        self.got = got
        super().__init__(f"{name}: expected {expected}; got {got!r}")

    @classmethod
    def unknown(cls, name: str, known: Iterable[str], where: str = "") -> ParameterError:
        """An unknown parameter name, with the closest known name as a suggestion.

        Examples
        --------
        >>> print(ParameterError.unknown("horizon_yaers", ["horizon_years", "customers"]))
        horizon_yaers: unknown parameter (did you mean horizon_years?); expected one of customers, horizon_years
        """  # noqa: E501 (doctest output line)
        names = sorted(known)
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        place = f" of {where}" if where else ""
        error = cls.__new__(cls)
        error.name, error.got = name, name
        error.expected = f"one of {', '.join(names)}"
        ValueError.__init__(
            error, f"{name}: unknown parameter{place}{hint}; expected {error.expected}"
        )
        return error


def _describe(low: float | None, high: float | None, unit: str) -> str:
    unit_text = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"a number from {low:g} to {high:g}{unit_text}"
    if low is not None:
        return f"a number of at least {low:g}{unit_text}"
    if high is not None:
        return f"a number of at most {high:g}{unit_text}"
    return f"a finite number{unit_text}"


def require_number(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
) -> float:
    """Check that ``value`` is a finite real number within ``[low, high]``.

    Booleans are refused: ``True`` is an ``int`` to Python but never a valid amount.

    Returns
    -------
    float
        The value as a float.

    Raises
    ------
    ParameterError
        Naming ``name`` and the accepted range.

    Examples
    --------
    >>> require_number("discount_rate", 0.08, low=0, high=1)
    0.08
    """
    expected = _describe(low, high, unit)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ParameterError(name, expected, value)
    number = float(value)
    if not math.isfinite(number):
        raise ParameterError(name, expected, value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ParameterError(name, expected, value)
    return number


def require_fraction(name: str, value: object, *, high: float = 1.0) -> float:
    """Check that ``value`` is a fraction from 0 to ``high`` (0.09 means 9 %, not 9).

    Examples
    --------
    >>> require_fraction("spend_uplift_excellent_service", 0.09)
    0.09
    """
    expected = f"a fraction from 0 to {high:g} (0.09 means 9 %)"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ParameterError(name, expected, value)
    number = float(value)
    if not (math.isfinite(number) and 0.0 <= number <= high):
        raise ParameterError(name, expected, value)
    return number


def require_integer(
    name: str, value: object, *, low: int | None = None, high: int | None = None
) -> int:
    """Check that ``value`` is a whole number within ``[low, high]``.

    A float with no fractional part (``10000.0``) is accepted, since YAML files and URLs
    often carry one; ``10000.5`` is not.

    Examples
    --------
    >>> require_integer("customers", 10000.0, low=1)
    10000
    """
    if low is not None and high is not None:
        expected = f"a whole number from {low} to {high}"
    elif low is not None:
        expected = f"a whole number of at least {low}"
    else:
        expected = "a whole number"
    if isinstance(value, bool):
        raise ParameterError(name, expected, value)
    if isinstance(value, Integral) or (isinstance(value, Real) and math.isfinite(float(value))
                                       and float(value).is_integer()):
        number = int(value)
    else:
        raise ParameterError(name, expected, value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ParameterError(name, expected, value)
    return number
