"""The files a batch writes about its runs: ``summary.csv`` and the ``index.html`` front page.

The index compares the scenarios side by side: the NPV of each with its P10–P90 range and the
chance the NPV is positive (charts from :mod:`workbook.plotting.batch`, plotly.js embedded
once, so the page opens offline), a probability table and every run's headline numbers with a
link to its report.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from workbook.plotting.batch import (
    PROBABILITY_COLUMNS,
    RANGE_COLUMNS,
    plot_probability_npv_positive,
    plot_scenario_npv,
)

if TYPE_CHECKING:
    from workbook.run.batch import RunRecord

__all__ = ["BATCH_SUMMARY_COLUMNS", "STATUSES", "headline_table", "index_html", "summary_csv"]

BATCH_SUMMARY_COLUMNS = ("notebook", "scenario", "status", "duration_seconds", "error")
"""The fixed columns of ``summary.csv``; the headline numbers follow."""

STATUSES = ("ok", "failed", "timeout", "cancelled")
"""A run's status in the summary and manifest."""

_FIRST_HEADLINES = ("npv", "roi", "payback_months")


def _headline_columns(runs: Sequence[RunRecord]) -> list[str]:
    names = dict.fromkeys(k for run in runs for k in run.headline)
    return [k for k in _FIRST_HEADLINES if k in names] + sorted(set(names) - set(_FIRST_HEADLINES))


def summary_csv(runs: Sequence[RunRecord]) -> str:
    columns = _headline_columns(runs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*BATCH_SUMMARY_COLUMNS, *columns])
    for run in runs:
        writer.writerow([run.notebook, run.scenario, run.status, f"{run.duration_seconds:.3f}",
                         run.error, *("" if run.headline.get(c) is None else run.headline[c]
                                      for c in columns)])
    return buffer.getvalue()


def _format_number(name: str, value: float | None) -> str:
    from workbook.core.formatting import format_money, format_months, format_percent

    if value is None:
        return "–"
    if name == "roi" or name.startswith("probability") or name.endswith(("_rate", "_share")):
        return format_percent(value)
    if name.endswith("_months"):
        return format_months(value)
    if name.startswith("npv") or name.endswith(("_value", "_cost", "_profit")):
        return format_money(value)
    return f"{value:,.4g}"


def _label(run: RunRecord, runs: Sequence[RunRecord]) -> str:
    """The scenario's name, with the notebook's when the batch has several notebooks."""
    several = len({r.notebook for r in runs}) > 1
    return f"{run.scenario} · {Path(run.notebook).stem}" if several else run.scenario


def headline_table(runs: Sequence[RunRecord]) -> pd.DataFrame:
    """The headline numbers of the runs that have an NPV, one row per run, by label.

    Columns are :data:`workbook.plotting.batch.RANGE_COLUMNS` and
    ``probability_npv_positive`` (NaN where a run lacks one): the data of the index's charts.
    """
    columns = list(dict.fromkeys((*RANGE_COLUMNS, *PROBABILITY_COLUMNS)))
    rows = {_label(run, runs): [run.headline.get(c) for c in columns]
            for run in runs if run.headline.get("npv") is not None}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype="float64")
    table.index.name = "run"
    return table


def _figure_html(figure: go.Figure, div_id: str, include_plotlyjs: bool) -> str:
    return figure.to_html(include_plotlyjs=include_plotlyjs, full_html=False, div_id=div_id,
                          config={"displaylogo": False, "responsive": True})


def _html_table(head: list[str], rows: list[tuple[str, list[str]]]) -> str:
    cells = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "\n".join(f"<tr{css}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
                     for css, row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def index_html(runs: Sequence[RunRecord], out_dir: Path, title: str) -> str:
    """The batch's front page: charts (plotly.js embedded once), probability and run tables."""
    table = headline_table(runs)
    charts: list[str] = []
    if table["npv"].notna().any():
        charts.append(_figure_html(plot_scenario_npv(table), "chart-scenario-npv", True))
    risky = table.dropna(subset=["probability_npv_positive"])
    probability = ""
    if not risky.empty:
        charts.append(_figure_html(plot_probability_npv_positive(table),
                                   "chart-probability-npv-positive", not charts))
        probability = "<h2>Probability table</h2>" + _html_table(
            ["run", "P(NPV > 0)", "NPV P10", "NPV P50", "NPV P90"],
            [("", [html.escape(str(label)),
                   _format_number("probability_npv_positive", row.probability_npv_positive),
                   *(_format_number("npv", getattr(row, c))
                     for c in ("npv_p10", "npv_p50", "npv_p90"))])
             for label, row in zip(risky.index, risky.itertuples(), strict=True)])
    columns = _headline_columns(runs)
    rows = []
    for run in sorted(runs, key=lambda r: (r.notebook, r.scenario)):
        report = next((f for f in run.files if f.endswith(".html")), None)
        link = (f'<a href="{html.escape(Path(report).relative_to(out_dir).as_posix())}">'
                "report</a>") if report else html.escape(run.error)
        cells = [run.scenario, run.notebook, run.status, f"{run.duration_seconds:.1f}"]
        cells += [_format_number(c, run.headline.get(c)) for c in columns]
        rows.append(("" if run.ok else f' class="{run.status}"',
                     [html.escape(c) for c in cells] + [link]))
    counts = ", ".join(f"{sum(r.status == s for r in runs)} {s}" for s in STATUSES
                       if any(r.status == s for r in runs))
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "tr.failed,tr.timeout{background:#fdd}tr.cancelled{background:#eee}"
        ".chart{page-break-inside:avoid;break-inside:avoid}.runs{overflow-x:auto}"
        "@media print{body{margin:0;font-size:9px}td,th{padding:2px 4px}}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(created)}: {html.escape(counts)}.</p>"
        + "".join(f'<div class="chart">{c}</div>' for c in charts) + probability
        + '<h2>Runs</h2><div class="runs">'
        + _html_table(["scenario", "notebook", "status", "seconds", *columns, "report"], rows)
        + "</div></body></html>\n"
    )
