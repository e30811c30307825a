"""Tables written for spreadsheets: CSV whose cells cannot run as formulas.

A spreadsheet that opens a CSV runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK("http://evil", "click")``, ``=cmd|' /C calc'!A0``), and a leading tab or
carriage return can hide such a start. Customer ids, names and segments come from the
user's own exports, so a downloaded stage list must not carry one into Excel or LibreOffice.

:func:`to_safe_csv` follows OWASP's advice on CSV injection: every text cell starting with one
of those characters gets a single quote in front (shown as text, never run), and every text
cell is written in double quotes (quotes inside doubled).

Decision on numbers: cells of numeric columns (integers, floats, booleans) stay numbers, so
``-5`` in a revenue column stays ``-5`` and sums in the spreadsheet. Such a cell cannot hold a
formula: the writer formats a number, nothing the user typed reaches it. The text ``"-5"`` in
a text column *is* escaped (``'-5``), as OWASP asks for any cell starting with ``-``. Dates
are written as ISO text (``2025-06-30``), which starts with a digit.

References
----------
OWASP, *CSV Injection* (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "escape_cell", "to_safe_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is escaped (OWASP, CSV injection)."""


def escape_cell(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would read it as a formula.

    Examples
    --------
    >>> escape_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> escape_cell("C00042")
    'C00042'
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _is_numeric(column: pd.Series) -> bool:
    return (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)) \
        and not isinstance(column.dtype, pd.CategoricalDtype)


def to_safe_csv(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """``frame`` as CSV bytes that open safely in a spreadsheet (``frame`` is not modified).

    Parameters
    ----------
    frame
        The table. Numeric and boolean columns are written as numbers; every other column
        (text, categories, dates, mixed objects) as quoted text, escaped by
        :func:`escape_cell`. Missing values are empty cells.
    index
        Write the index as the first column (named by ``frame.index.name``).

    Returns
    -------
    bytes
        UTF-8 with a byte-order mark (so Excel reads accents right), ``\\r\\n`` line ends
        (RFC 4180). Column names are escaped too.

    Examples
    --------
    >>> frame = pd.DataFrame({"customer_id": ["=1+1", "C2"], "revenue": [-5.0, 10.0]})
    >>> for line in to_safe_csv(frame).decode("utf-8-sig").splitlines():
    ...     print(line)
    "customer_id","revenue"
    "'=1+1",-5.0
    "C2",10.0
    """
    table = frame.reset_index() if index else frame
    text_columns = [c for c in table.columns if not _is_numeric(table[c])]
    cells = {}
    for name in table.columns:
        column = table[name]
        if name in text_columns:
            if pd.api.types.is_datetime64_any_dtype(column):
                column = column.dt.strftime("%Y-%m-%d")  # time of day: 00:00 for stage lists
            text = column.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            column = text.where(~risky, "'" + text)
        cells[escape_cell(str(name))] = column
    out = pd.DataFrame(cells)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")
