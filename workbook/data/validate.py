"""The error that names the file, column and first bad rows, and how it names them.

The checks that find those rows in a customer file run in the engine
(:mod:`workbook.data.checks`); this module needs neither the engine nor pandas, so a reader
that checks its rows itself (call logs, surveys) can use it without loading DuckDB/Ibis.

Every reader of the workbook names bad rows one way (:func:`describe_rows`, through
:meth:`Problem.at` and :meth:`DataError.at`): the file, the column, what is wrong, then the
first offending rows with their values, ``first at line 3 ('2025-13-01'), line 5 (empty) (of
9)``. Readers with their own error (call logs, surveys) derive it from :class:`DataError`.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np

__all__ = [
    "SHOWN_ROWS",
    "DataError",
    "Problem",
    "describe_rows",
]

SHOWN_ROWS = 5
"""How many offending rows a message quotes."""

_VALUES = reprlib.Repr()  # keyword arguments only from Python 3.12
_VALUES.maxstring = _VALUES.maxother = 40


def _plain(value: object) -> object:
    """A NumPy scalar as the Python value it holds (``9.0``, not ``np.float64(9.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _shown(value: object) -> str:
    """A value as quoted in a message: its ``repr`` shortened, ``empty`` for a missing one."""
    import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

    value = _plain(value)
    missing = value == "" if isinstance(value, str) else (
        value is None or (np.ndim(value) == 0 and bool(pd.isna(value))))
    if missing:
        return "empty"
    return _VALUES.repr(value)


def describe_rows(rows: Sequence[object], values: Sequence[object] = (), *, word: str = "row",
                  total: int | None = None, limit: int = SHOWN_ROWS) -> str:
    """The first offending rows with their values: the one way every reader names them.

    Parameters
    ----------
    rows
        Row numbers as the user reads them (``line`` numbers of a file, the header being line
        1; ``row`` numbers or index labels of a table), the first offending first. All of
        them or only the first ``limit``.
    values
        The raw values on those rows, in the same order (shortened with :mod:`reprlib`;
        missing or empty ones read ``empty``); none to name the rows alone.
    word
        ``"line"``, ``"row"`` or ``"position"``.
    total
        How many rows offend, when more than ``rows`` (the default is ``len(rows)``).
    limit
        How many rows to quote.

    Examples
    --------
    >>> describe_rows([3, 5], ["2025-13-01", None], word="line", total=9)
    "line 3 ('2025-13-01'), line 5 (empty) (of 9)"
    >>> describe_rows(range(2, 10), word="line")
    'line 2, line 3, line 4, line 5, line 6 (of 8)'
    >>> describe_rows([0], ["x" * 60])
    "row 0 ('xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx')"
    """
    shown_rows = [_plain(r) for r in list(rows)[:limit]]
    shown_values = list(values)[:limit]
    parts = [f"{word} {r}" + (f" ({_shown(v)})" if shown_values else "")
             for r, v in zip(shown_rows, shown_values or shown_rows, strict=True)]
    count = len(rows) if total is None else total
    more = f" (of {count:,})" if count > len(shown_rows) else ""
    return ", ".join(parts) + more


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a table: the column, what is wrong, the first offending rows."""

    column: str | None
    text: str
    rows: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return f"column {self.column!r}: {self.text}" if self.column else self.text

    @classmethod
    def at(cls, column: str | None, text: str, rows: Sequence[object],
           values: Sequence[object] = (), *, word: str = "row", total: int | None = None,
           limit: int = SHOWN_ROWS) -> Problem:
        """``text`` followed by ``; first at`` and the rows (see :func:`describe_rows`).

        Examples
        --------
        >>> print(Problem.at("amount", "1 value(s) are not numbers", [4], ["12,50"],
        ...                  word="line"))
        column 'amount': 1 value(s) are not numbers; first at line 4 ('12,50')
        """
        where = describe_rows(rows, values, word=word, total=total, limit=limit)
        return cls(column, f"{text}; first at {where}",
                   tuple(_plain(r) for r in list(rows)[:limit]))


class DataError(ValueError):
    """Bad input data, with a message naming the file, the column and the first rows.

    Attributes
    ----------
    source
        The file (as given) or a description of the table.
    problems
        Every problem found, first the one the message starts with.
    column, rows
        The column and the first offending row numbers of the first problem.
    """

    def __init__(self, source: str, problems: Sequence[Problem | str]) -> None:
        self.source = source
        self.problems = [p if isinstance(p, Problem) else Problem(None, p) for p in problems]
        first = self.problems[0] if self.problems else Problem(None, "unreadable")
        self.column, self.rows = first.column, first.rows
        super().__init__(f"{source}: " + "; ".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, source: str, column: str | None, text: str, rows: Sequence[object],
           values: Sequence[object] = (), *, word: str = "row", total: int | None = None,
           limit: int = SHOWN_ROWS) -> Self:
        """One problem in one column, naming the file and the first offending rows.

        A subclass (a call log's or a survey's error) gets the same message and attributes.

        Examples
        --------
        >>> error = DataError.at("calls.csv", "wait_seconds", "negative seconds", [6, 9],
        ...                      ["-1", "-3"], word="line")
        >>> print(error)
        calls.csv: column 'wait_seconds': negative seconds; first at line 6 ('-1'), line 9 ('-3')
        >>> error.column, error.rows
        ('wait_seconds', (6, 9))
        """
        return cls(source, [Problem.at(column, text, rows, values, word=word, total=total,
                                       limit=limit)])
