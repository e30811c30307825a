"""Reading customer data: CSV, Parquet, a DuckDB database file or a DataFrame, validated.

One data layer for every source: it becomes an Ibis table on an embedded DuckDB connection,
with the canonical columns of its kind (:mod:`workbook.data.schema`) under their canonical
types. The per-customer queries downstream are written once, in Ibis, against those columns,
so they can later run on a warehouse or Spark unchanged.

The checks run as queries in the engine, one pass for all of them; only when one fails does a
second query fetch the first offending rows for the message. A bad file raises
:class:`DataError`, naming the file, the column and the first offending rows (``line N`` of a
CSV file, counting the header as line 1; ``row N`` of any other source). The input is never
written to: CSV and Parquet files are only read, a DuckDB database file is attached read-only,
a DataFrame is not modified.

Known limits: CSV line numbers assume no quoted field spans lines; Ibis 12's ``Backend.sql``
and ``list_tables`` fail with duckdb 2.0 (``fetch_arrow_table`` was removed), so this module
uses neither.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from workbook.data.checks import fetch_frame, fetch_value, run_checks, typed_columns
from workbook.data.schema import (
    TableSchema,
    get_schema,
    normalize_column_map,
    parse_column_map,
    suggest_column,
)
from workbook.data.validate import DataError, Problem, describe_rows

__all__ = [
    "CustomerData",
    "DataError",
    "Source",
    "check_file",
    "connect",
    "describe_table",
    "fetch_frame",
    "fetch_value",
    "load_customer_data",
    "load_table",
    "parse_as_of",
]

Source: TypeAlias = "str | os.PathLike[str] | pd.DataFrame | ir.Table"
"""A file path or URL (CSV, Parquet, DuckDB database), a pandas DataFrame or an Ibis table."""


CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
DUCKDB_SUFFIXES = frozenset({".duckdb", ".ddb", ".db"})
_URL_PREFIXES = ("http://", "https://", "file://")


@dataclass(frozen=True, slots=True)
class _Raw:
    """A source opened as an Ibis table, before renaming and checks."""

    table: ir.Table
    label: str
    row_word: str  # "line" for CSV files, "row" otherwise
    row_offset: int  # added to the 0-based position to give the line or row number
    materialize: bool  # copy into the engine after the checks (small, slow-to-parse sources)
    download: Path | None = None  # a temporary copy of a URL's content, removed once loaded


def connect() -> Any:
    """A new embedded DuckDB connection (an Ibis backend), in memory.

    Each call gives an independent engine; tables loaded for one analysis should share one.
    """
    return ibis.duckdb.connect()


def parse_as_of(value: dt.date | str | None, name: str = "as_of") -> dt.date | None:
    """An as-of date from a date, an ISO text (``"2025-06-30"``) or ``None``/``""``.

    Raises
    ------
    workbook.core.validation.ParameterError
        Naming ``name`` when the text is not an ISO date.

    Examples
    --------
    >>> parse_as_of("2025-06-30")
    datetime.date(2025, 6, 30)
    >>> parse_as_of("") is None
    True
    """
    from workbook.core.validation import ParameterError

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ParameterError(name, "an ISO date such as 2025-06-30", value)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A DataFrame as Arrow (never modified); columns of mixed Python objects become text."""
    frame = frame.rename(columns=str)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        mixed = {c: "string" for c in frame.columns if frame[c].dtype == object}
        return pa.Table.from_pandas(frame.astype(mixed), preserve_index=False)


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def _fetch_url(url: str) -> Path:
    """Copy a URL's content to a private temporary file (read once, then loaded)."""
    suffix = Path(url.split("?")[0]).suffix or ".csv"
    folder = Path(tempfile.mkdtemp(prefix="workbook-download-"))
    target = folder / f"download{suffix}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response, target.open("wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
    except (OSError, ValueError) as error:
        raise DataError(url, [f"cannot be downloaded ({error})"]) from None
    return target


def _first_bad_utf8_line(path: Path, encoding: str) -> int | None:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _open_csv(con: Any, path: Path, label: str, delimiter: str | None, encoding: str) -> _Raw:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if not start.strip():
        raise DataError(label, ["the file is empty (no header, no rows)"])
    options: dict[str, Any] = {"all_varchar": True, "header": True}
    if delimiter is not None:
        options["delim"] = delimiter
    if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        options["encoding"] = encoding
    try:
        table = con.read_csv(str(path), table_name=_name("csv"), **options)
        fetch_value(table.count())  # surfaces encoding and shape errors now, not later
    except Exception as error:  # duckdb raises several kinds; all mean "unreadable CSV"
        text = str(error)
        if "unicode" in text.lower() or "utf-8" in text.lower():
            line = _first_bad_utf8_line(path, "utf-8")
            where = f" (first at {describe_rows([line], word='line')})" if line else ""
            raise DataError(label, [
                f"is not UTF-8 text{where}; save it as UTF-8, or pass the file's encoding "
                "(e.g. encoding='latin-1')"]) from None
        first = next((t.strip() for t in text.splitlines() if t.strip()), text)
        raise DataError(label, [f"cannot be read as CSV ({first})"]) from None
    return _Raw(table, label, "line", 2, True)


def _open_duckdb(con: Any, path: Path, label: str, table: str) -> _Raw:
    alias = _name("src")
    try:
        con.attach(str(path), name=alias, read_only=True)
    except Exception as error:
        raise DataError(label, [f"is not a readable DuckDB database ({error})"]) from None
    try:
        found = con.table(table, database=alias)
    except Exception:
        names = [r[0] for r in con.raw_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
            "ORDER BY table_name", parameters=[alias]).fetchall()]
        raise DataError(label, [f"has no table {table!r}; its tables: "
                                f"{', '.join(names) or 'none'} (pass table=...)"]) from None
    return _Raw(found, f"{label} (table {table})", "row", 1, False)


def _open(con: Any, source: Any, kind: str, table: str | None, delimiter: str | None,
          encoding: str) -> _Raw:
    if isinstance(source, pd.DataFrame):
        return _Raw(ibis.memtable(_arrow(source)), f"the {kind} table (DataFrame)", "row", 1,
                    True)
    if isinstance(source, ir.Table):
        return _Raw(source, f"the {kind} table", "row", 1, False)
    if not isinstance(source, (str, os.PathLike)):
        raise DataError(f"the {kind} source", [
            f"expected a file path, a URL, a pandas DataFrame or an Ibis table; got "
            f"{type(source).__name__}"])
    text = os.fspath(source)
    label, downloaded = text, isinstance(source, str) and text.startswith(_URL_PREFIXES)
    path = _fetch_url(text) if downloaded else Path(text).expanduser()
    if not path.is_file():
        raise DataError(label, ["no such file"])
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        try:
            found = con.read_parquet(str(path), table_name=_name("parquet"))
        except Exception as error:
            raise DataError(label, [f"is not a readable Parquet file ({error})"]) from None
        raw = _Raw(found, label, "row", 1, False)
    elif suffix in DUCKDB_SUFFIXES:
        raw = _open_duckdb(con, path, label, table or kind)
    elif suffix in CSV_SUFFIXES or suffix in (".gz", ".zst"):
        raw = _open_csv(con, path, label, delimiter, encoding)
    else:
        raise DataError(label, [
            f"unknown file type {suffix or '(none)'}; expected .csv, .parquet or .duckdb"])
    if downloaded:  # copied into the engine, so the temporary file can go
        return dataclasses.replace(raw, materialize=True, download=path.parent)
    return raw


def _auto_map(found: Sequence[str], schema: TableSchema,
              mapping: dict[str, str]) -> dict[str, str]:
    """Add ``Customer ID`` → ``customer_id``: a found name equal to ours but for case, spaces."""
    result = dict(mapping)
    taken = set(mapping.values())
    simple = {f: f.strip().lower().replace(" ", "_").replace("-", "_") for f in found}
    for name in schema.names:
        if name in taken or name in found:
            continue
        match = [f for f, s in simple.items() if s == name and f not in result]
        if len(match) == 1:
            result[match[0]] = name
    return result


def _rename(raw: _Raw, schema: TableSchema,
            column_map: Mapping[str, str] | None) -> tuple[ir.Table, dict[str, str]]:
    """The table with our column names, and our name → their name for the columns renamed."""
    found = list(raw.table.columns)
    mapping = normalize_column_map(column_map, schema.kind)
    absent = [theirs for theirs in mapping if theirs not in found]
    if absent:
        raise DataError(raw.label, [Problem(theirs, f"named in the column map (as "
                                            f"{mapping[theirs]!r}) but not in the file; found "
                                            f"columns: {', '.join(found)}") for theirs in absent])
    mapping = _auto_map(found, schema, mapping)
    table = raw.table.rename({ours: theirs for theirs, ours in mapping.items()})
    missing = [n for n in schema.required if n not in table.columns]
    if missing:
        problems = []
        for name in missing:
            hint = ""
            guess = suggest_column(name, [c for c in found if c not in mapping])
            if guess:
                hint = f"; did you mean {guess!r}? map it with column_map={{{guess!r}: {name!r}}}"
            problems.append(Problem(name, f"missing{hint}"))
        problems.append(Problem(None, f"found columns: {', '.join(found)}"))
        if len(found) == 1:
            for sep, word in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars"), (",", "commas")):
                if sep in found[0]:
                    problems.append(Problem(None, f"the header is a single column split by "
                                            f"{word}: wrong delimiter? pass delimiter={sep!r}"))
                    break
        raise DataError(raw.label, problems)
    return table, {ours: theirs for theirs, ours in mapping.items()}


def load_table(
    source: Source,
    kind: str = "transactions",
    *,
    column_map: Mapping[str, str] | str | None = None,
    as_of: dt.date | str | None = None,
    con: Any = None,
    table: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    date_format: str | None = None,
) -> ir.Table:
    """Read, rename and validate one table; return it with canonical columns and types.

    Parameters
    ----------
    source
        A CSV, Parquet or DuckDB database file (path or ``http(s)://`` / ``file://`` URL), a
        pandas DataFrame, or an Ibis table.
    kind
        ``"transactions"``, ``"customers"``, ``"prospects"``, ``"complaints"`` or
        ``"support_contacts"``; see :mod:`workbook.data.schema`.
    column_map
        Their column name → our name (``{"Order Date": "date"}``) or the same as text
        (``"Order Date:date"``). Names equal to ours up to case, spaces and hyphens
        (``Customer ID``) are matched without it.
    as_of
        Dates after it are an error; ``None`` means after today.
    con
        The Ibis DuckDB connection to load into (see :func:`connect`); a new one if ``None``.
    table
        The table's name in a DuckDB database file (default: ``kind``).
    delimiter
        CSV delimiter; ``None`` detects it.
    encoding
        CSV text encoding: ``"utf-8"`` (default), ``"latin-1"`` or ``"utf-16"``.
    date_format
        strptime format of text dates (``"%d/%m/%Y"``) when they are not ISO.

    Returns
    -------
    ibis.expr.types.Table
        Every column of the schema, absent optional ones filled (``refund`` false, others
        null). ``id`` and ``text`` columns are strings, dates ``date`` (time of day dropped),
        amounts ``float64``, counts ``int64``, flags ``boolean``. CSV files and DataFrames
        are copied into the engine once checked; Parquet files and database tables become a
        view, read where they are at each query.

    Raises
    ------
    DataError
        Missing or misnamed column, empty value in a required column, unparseable date (with
        its line), non-numeric amount, negative amount on a row that is not a refund, a date
        after the as-of date, an empty file, a wrong delimiter or encoding.
    workbook.core.validation.ParameterError
        For an unknown ``kind`` or a column map naming a column the schema does not have.
    """
    schema = get_schema(kind)
    if isinstance(column_map, str):
        column_map = parse_column_map(column_map)
    con = connect() if con is None else con
    raw = _open(con, source, kind, table, delimiter, encoding)
    try:
        renamed, names = _rename(raw, schema, column_map)
        typed, checks = typed_columns(renamed, schema, parse_as_of(as_of), raw.materialize,
                                      date_format)
        run_checks(renamed, checks, raw.label, raw.row_word, raw.row_offset, names)
        result = renamed.select(**typed)
        if raw.materialize:
            result = con.create_table(_name(kind), result, temp=True)
        elif not isinstance(source, ir.Table):
            # a named view: queries that read the table twice scan the file twice instead of
            # copying every row into a common table expression first
            result = con.create_view(_name(kind), result)
    finally:
        if raw.download is not None:
            shutil.rmtree(raw.download, ignore_errors=True)
    return result


@dataclass(frozen=True, slots=True)
class CustomerData:
    """The inputs of the loyalty ladder, validated, on one engine.

    Attributes
    ----------
    transactions
        Canonical transactions (:data:`workbook.data.schema.TRANSACTIONS`).
    customers, prospects
        Canonical customers and leads, or ``None`` when not given.
    as_of
        The data's as-of date: the one given, or the last transaction date.
    source
        Where the transactions came from (for reports).
    cache
        Query results kept for this data (e.g. the ladder features per date), so a second
        look at the same date does not query the engine again.
    """

    transactions: ir.Table
    customers: ir.Table | None
    prospects: ir.Table | None
    as_of: dt.date
    source: str
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


def load_customer_data(
    transactions: Source | None = None,
    customers: Source | None = None,
    prospects: Source | None = None,
    *,
    column_map: Mapping[str, str] | str | None = None,
    customers_column_map: Mapping[str, str] | str | None = None,
    prospects_column_map: Mapping[str, str] | str | None = None,
    as_of: dt.date | str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    date_format: str | None = None,
) -> CustomerData:
    """Load transactions, and optionally customers and leads, onto one engine.

    Parameters
    ----------
    transactions, customers, prospects
        Sources as in :func:`load_table`. ``None`` or ``""`` for ``transactions`` means the
        sample business in ``data/samples``, its customers and leads included (unless
        given); ``None`` or ``""`` for the others means none.
    column_map, customers_column_map, prospects_column_map
        Column maps of each file (their name → ours, or ``"THEIRS:OURS, ..."``).
    as_of
        The data's as-of date: a date after it in any file is an error. ``None`` means the
        last transaction date (and dates after today are the error).
    delimiter, encoding, date_format
        Read options, applied to every file (see :func:`load_table`).

    Returns
    -------
    CustomerData
        The tables on one DuckDB connection, ready for :mod:`workbook.models.loyalty.ladder`.

    Raises
    ------
    DataError
        As :func:`load_table`, naming the file, the column and the first offending rows.
    """
    from workbook.data.samples import sample_path

    use_samples = transactions is None or (isinstance(transactions, str) and not transactions)
    if use_samples:
        transactions = sample_path("transactions")
        customers = customers or sample_path("customers")
        prospects = prospects or sample_path("prospects")
    con = connect()
    limit = parse_as_of(as_of)
    options = {"con": con, "delimiter": delimiter, "encoding": encoding,
               "date_format": date_format}
    tx = load_table(transactions, "transactions", column_map=column_map, as_of=limit, **options)
    data_as_of = limit
    if data_as_of is None:
        last = fetch_value(tx.date.max())
        if last is None:
            raise DataError(str(transactions), ["no transactions"])
        data_as_of = pd.Timestamp(last).date()
    loaded = {
        kind: load_table(src, kind, column_map=cmap, as_of=limit, **options)
        if src is not None and not (isinstance(src, str) and not src) else None
        for kind, src, cmap in (("customers", customers, customers_column_map),
                                ("prospects", prospects, prospects_column_map))
    }
    label = str(transactions) if not isinstance(transactions, (pd.DataFrame, ir.Table)) \
        else "the transactions table"
    return CustomerData(tx, loaded["customers"], loaded["prospects"], data_as_of, label)


def check_file(
    path: str | os.PathLike[str],
    kind: str = "transactions",
    column_map: Mapping[str, str] | str | None = None,
    *,
    as_of: dt.date | str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    date_format: str | None = None,
) -> str:
    """Validate a user's file and summarise it in a few lines (for ``workbook check PATH``).

    Raises
    ------
    DataError
        With the first offending rows; see :func:`load_table`.

    Examples
    --------
    >>> from workbook.data.samples import sample_path
    >>> print(check_file(sample_path("customers"), "customers").splitlines()[0])
    customers.csv: a valid customers file, 3,000 rows
    """
    table = load_table(path, kind, column_map=column_map, as_of=as_of, delimiter=delimiter,
                       encoding=encoding, date_format=date_format)
    return describe_table(table, kind, Path(os.fspath(path)).name)


def describe_table(table: ir.Table, kind: str, label: str) -> str:
    """A few lines on a canonical table: rows, distinct ids, date ranges, amounts, flags."""
    schema = get_schema(kind)
    metrics: dict[str, ir.Scalar] = {"rows": table.count()}
    for spec in schema.columns:
        column = table[spec.name]
        if spec.kind == "id":
            metrics[f"{spec.name}:distinct"] = column.nunique()
        elif spec.kind == "date":
            metrics[f"{spec.name}:min"] = column.min()
            metrics[f"{spec.name}:max"] = column.max()
        elif spec.kind == "amount":
            metrics[f"{spec.name}:sum"] = column.sum()
        elif spec.kind == "flag":
            metrics[f"{spec.name}:true"] = column.cast("int64").sum()
        elif spec.kind == "count":
            metrics[f"{spec.name}:sum"] = column.sum()
    values = fetch_frame(table.aggregate(**metrics)).iloc[0]
    lines = [f"{label}: a valid {kind} file, {int(values['rows']):,} rows"]
    for spec in schema.columns:
        key = spec.name
        if spec.kind == "id" and values[f"{key}:distinct"]:
            lines.append(f"  {key}: {int(values[f'{key}:distinct']):,} distinct")
        elif spec.kind == "date" and not pd.isna(values[f"{key}:min"]):
            lines.append(f"  {key}: {pd.Timestamp(values[f'{key}:min']).date()} to "
                         f"{pd.Timestamp(values[f'{key}:max']).date()}")
        elif spec.kind in ("amount", "count") and not pd.isna(values[f"{key}:sum"]):
            lines.append(f"  {key}: total {float(values[f'{key}:sum']):,.2f}")
        elif spec.kind == "flag" and values[f"{key}:true"]:
            lines.append(f"  {key}: {int(values[f'{key}:true']):,} true")
    return "\n".join(lines)
