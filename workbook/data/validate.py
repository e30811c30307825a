"""Checks on raw columns, and the error that names the file, column and first bad rows.

Each column of a schema is converted to its canonical type in the engine (a NULL where the
raw value cannot be read) and paired with conditions that are true on an offending row: an
empty required value, a date or number that cannot be read, a negative amount that is not a
refund, a date after the as-of date. :func:`run_checks` counts them all in one query; only
when one is non-zero does it fetch the first offending rows for :class:`DataError`.

Every reader of the workbook names bad rows one way (:func:`describe_rows`, through
:meth:`Problem.at` and :meth:`DataError.at`): the file, the column, what is wrong, then the
first offending rows with their values, ``first at line 3 ('2025-13-01'), line 5 (empty) (of
9)``. Readers with their own error (call logs, surveys) derive it from :class:`DataError`.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbook.data.schema import ColumnSpec, TableSchema

__all__ = [
    "SHOWN_ROWS",
    "Checks",
    "DataError",
    "Problem",
    "describe_rows",
    "fetch_frame",
    "fetch_value",
    "run_checks",
    "typed_columns",
]

_TRUE = ("true", "t", "1", "yes", "y")
_FALSE = ("false", "f", "0", "no", "n", "")
SHOWN_ROWS = 5
"""How many offending rows a message quotes."""

_VALUES = reprlib.Repr()  # keyword arguments only from Python 3.12
_VALUES.maxstring = _VALUES.maxother = 40


def _plain(value: object) -> object:
    """A NumPy scalar as the Python value it holds (``9.0``, not ``np.float64(9.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _shown(value: object) -> str:
    """A value as quoted in a message: its ``repr`` shortened, ``empty`` for a missing one."""
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


def fetch_frame(expr: ir.Table) -> pd.DataFrame:
    """Run ``expr`` and return a DataFrame (through Arrow; dates as ``datetime64``)."""
    return expr.to_pyarrow().to_pandas(date_as_object=False)


def fetch_value(expr: ir.Scalar) -> Any:
    """Run a scalar expression and return a plain Python value (``None`` for NULL)."""
    return expr.to_pyarrow().as_py()


@dataclass(slots=True)
class Checks:
    """Conditions (true on an offending row) with their messages, checked in one pass."""

    conditions: list[tuple[str, ir.BooleanValue, str, ir.Value]] = field(default_factory=list)

    def add(self, column: str, condition: ir.BooleanValue, text: str, shown: ir.Value) -> None:
        self.conditions.append((column, condition.fill_null(False), text, shown))


def _text(value: ir.Value, trim: bool) -> ir.StringValue:
    """The value as text; stripped of surrounding blanks when ``trim`` (files copied in once).

    Sources read in place at every query (Parquet, database tables) are not stripped: a strip
    on every row of every query doubles the cost of the per-customer grouping.
    """
    text = value if value.type().is_string() else value.cast("string")
    return text.strip() if trim else text


@ibis.udf.scalar.builtin(name="try_strptime")
def _try_strptime(text: str, format: str) -> dt.datetime:  # type: ignore[empty-body]
    """DuckDB's ``try_strptime``: NULL where ``text`` does not match ``format``."""


def _typed(spec: ColumnSpec, raw: ir.Value, trim: bool, date_format: str | None) -> ir.Value:
    """``raw`` converted to the canonical type of ``spec`` (NULL where it cannot be)."""
    kind = raw.type()
    if spec.kind == "id":
        return _text(raw, trim).nullif("")
    if spec.kind == "date":
        if kind.is_date():
            return raw
        if kind.is_timestamp():
            return raw.cast("date")
        if date_format:
            return _try_strptime(_text(raw, trim), date_format).cast("date")
        return _text(raw, trim).try_cast("timestamp").cast("date")
    if spec.kind in ("amount", "count"):
        target = "float64" if spec.kind == "amount" else "int64"
        if kind.is_numeric() and not kind.is_boolean():
            return raw.cast(target)
        return _text(raw, True).try_cast(target)
    if spec.kind == "flag":
        if kind.is_boolean():
            return raw.fill_null(False)
        if kind.is_numeric():
            return (raw != 0).fill_null(False)
        return _text(raw, True).lower().isin(_TRUE).fill_null(False)
    return _text(raw, False)


def _column_checks(spec: ColumnSpec, raw: ir.Value, typed: ir.Value, checks: Checks,
                   trim: bool, date_format: str | None) -> None:
    name, kind = spec.name, raw.type()
    empty = raw.isnull() | (_text(raw, trim) == "") if kind.is_string() else raw.isnull()
    if spec.required:
        checks.add(name, empty, "empty value(s)", raw)
    filled = ~empty
    if spec.kind == "date":
        hint = f"dates must match {date_format!r}" if date_format else (
            "dates must be ISO (2025-06-30 or 2025-06-30 14:05); give date_format for others")
        checks.add(name, filled & typed.isnull(), f"value(s) are not dates; {hint}", raw)
    elif spec.kind == "amount":
        checks.add(name, filled & (typed.isnull() | typed.isnan() | typed.isinf()),
                   "value(s) are not numbers; use a dot for decimals and no currency sign "
                   "or thousands separator", raw)
    elif spec.kind == "count":
        checks.add(name, filled & (typed.isnull() | (typed < 0)),
                   "value(s) are not whole numbers of 0 or more", raw)
    elif spec.kind == "flag" and kind.is_string():
        checks.add(name, ~_text(raw, True).lower().isin(_TRUE + _FALSE) & raw.notnull(),
                   "value(s) are not true/false (or 1/0, yes/no)", raw)


def typed_columns(table: ir.Table, schema: TableSchema, as_of: dt.date | None, trim: bool,
                  date_format: str | None) -> tuple[dict[str, ir.Value], Checks]:
    """Every column of ``schema`` as a typed expression, and the checks on the raw values.

    Absent optional columns become typed NULLs (``refund`` false). ``trim`` strips blanks
    around text (worth it only for sources copied into the engine once).
    """
    checks = Checks()
    typed: dict[str, ir.Value] = {}
    limit = as_of or dt.date.today()
    word = f"the as-of date {as_of.isoformat()}" if as_of else f"today ({limit.isoformat()})"
    refund = (_typed(schema.column("refund"), table.refund, trim, None)
              if "refund" in table.columns and "refund" in schema.names else ibis.literal(False))
    for spec in schema.columns:
        if spec.name not in table.columns:
            typed[spec.name] = _missing_value(spec)
            continue
        raw = table[spec.name]
        value = refund if spec.name == "refund" else _typed(spec, raw, trim, date_format)
        _column_checks(spec, raw, value, checks, trim, date_format)
        if spec.kind == "date":
            checks.add(spec.name, value > ibis.literal(limit), f"date(s) after {word}", raw)
        if spec.kind == "amount":
            checks.add(spec.name, (value < 0) & ~refund,
                       "negative amount(s) on rows that are not refunds; mark refund rows "
                       "with a true 'refund' column", raw)
        typed[spec.name] = value.name(spec.name)
    return typed, checks


def _missing_value(spec: ColumnSpec) -> ir.Value:
    types = {"id": "string", "date": "date", "amount": "float64", "count": "int64",
             "flag": "boolean", "text": "string"}
    if spec.kind == "flag":
        return ibis.literal(False).name(spec.name)
    return ibis.null(types[spec.kind]).name(spec.name)


def run_checks(table: ir.Table, checks: Checks, label: str, row_word: str = "row",
               row_offset: int = 1, names: Mapping[str, str] | None = None) -> None:
    """Count every offending row in one pass; raise :class:`DataError` listing the first ones.

    ``row_word`` and ``row_offset`` turn a 0-based position into what the user reads
    (``"line"`` and 2 for a CSV file with a header, ``"row"`` and 1 otherwise). ``names``
    maps a canonical column to the user's own name for it, which the message then uses.
    """
    names = names or {}
    counts = table.aggregate(
        __rows=table.count(),
        **{f"__c{i}": c[1].cast("int64").sum() for i, c in enumerate(checks.conditions)},
    ).pipe(fetch_frame).iloc[0]
    if int(counts["__rows"]) == 0:
        raise DataError(label, ["has a header but no data rows"])
    problems: list[Problem] = []
    numbered = table.mutate(__row=ibis.row_number())
    for i, (column, condition, text, shown) in enumerate(checks.conditions):
        count = int(counts[f"__c{i}"] or 0)
        if count == 0:
            continue
        first = (numbered.filter(condition.fill_null(False))
                 .order_by("__row").limit(SHOWN_ROWS)
                 .select("__row", __shown=shown.cast("string")).pipe(fetch_frame))
        rows = [int(r) + row_offset for r in first["__row"]]
        theirs = names.get(column, column)
        read_as = f" (read as {column})" if theirs != column else ""
        problems.append(Problem.at(theirs, f"{count:,} {text}{read_as}", rows,
                                   list(first["__shown"]), word=row_word, total=count))
    if problems:
        raise DataError(label, problems)
