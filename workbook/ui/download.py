"""A download link for a table, as the dashboards offer them: a spreadsheet-safe CSV in the page.

The CSV (:func:`workbook.run.export.to_safe_csv`: text cells a spreadsheet would run as formulas
are escaped) travels in a ``data:`` URI, so no file is written on the server. Above
:data:`DOWNLOAD_LIMIT_BYTES` the link is replaced by a note pointing to the notebook.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from workbook.run.export import to_safe_csv

__all__ = ["DOWNLOAD_LIMIT_BYTES", "csv_download_link"]

DOWNLOAD_LIMIT_BYTES = 10 * 1024 * 1024
"""Largest CSV carried in a page (a data: URI of it is a third larger)."""


def csv_download_link(frame: pd.DataFrame, *, filename: str, label: str, what: str,
                      notebook: str, limit_bytes: int = DOWNLOAD_LIMIT_BYTES) -> str:
    """HTML of a "Download … (CSV)" link to ``frame`` as a safe CSV, or a note when too large.

    Parameters
    ----------
    frame
        The table (its index is not written).
    filename
        The name the browser saves it under.
    label
        The link's text, e.g. ``"Download stage list (CSV)"``.
    what
        What the rows are, for the note beside the link, e.g. ``"4,521 people as of 2025-12-31"``.
    notebook
        Where to get a list too large for the page.

    Examples
    --------
    >>> link = csv_download_link(pd.DataFrame({"id": ["=1+1"]}), filename="x.csv",
    ...                          label="Download x (CSV)", what="1 row", notebook="nb.ipynb")
    >>> 'download="x.csv"' in link and "data:text/csv;base64," in link
    True
    >>> csv_download_link(pd.DataFrame({"id": ["a"]}), filename="x.csv", label="x", what="1 row",
    ...                   notebook="nb.ipynb", limit_bytes=1).startswith("<small>")
    True
    """
    data = to_safe_csv(frame)
    if len(data) > limit_bytes:
        return (f"<small>The list ({html.escape(what)}, {len(data) / 1e6:.1f} MB) is too large "
                f"for a link in the page (limit {limit_bytes / 1e6:.0f} MB): use "
                f"{html.escape(notebook)}.</small>")
    uri = "data:text/csv;base64," + base64.b64encode(data).decode("ascii")
    return (f'<a class="wb-download-link" download="{html.escape(filename, quote=True)}" '
            f'href="{uri}">{html.escape(label)}</a> <small>{html.escape(what)}; text cells '
            "that a spreadsheet would run as formulas are escaped.</small>")
