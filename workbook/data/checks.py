"""The checks on raw columns, run in the engine: typed columns and one pass that counts.

Each column of a schema is converted to its canonical type in the engine (a NULL where the
raw value cannot be read) and paired with conditions that are true on an offending row: an
empty required value, a date or number that cannot be read, a negative amount that is not a
refund, a date after the as-of date. :func:`run_checks` counts them all in one query; only
when one is non-zero does it fetch the first offending rows for
:class:`~workbook.data.validate.DataError`. The engine is DuckDB through Ibis
(:mod:`workbook.data.load`); how a message names the rows is :mod:`workbook.data.validate`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbook.data.schema import ColumnSpec, TableSchema
from workbook.data.validate import SHOWN_ROWS, DataError, Problem

__all__ = [
    "Checks",
    "fetch_frame",
    "fetch_value",
    "run_checks",
    "typed_columns",
]

_TRUE = ("true", "t", "1", "yes", "y")
_FALSE = ("false", "f", "0", "no", "n", "")


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
