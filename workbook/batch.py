"""A batch run: every notebook × scenario of a portfolio, in parallel worker processes.

Each run is :func:`workbook.runner.run_notebook` in a worker process of its own (a
``ProcessPoolExecutor`` with the ``spawn`` start method), so every run has its own kernel, on
Unix sockets (no port races). A failing run keeps its partial executed notebook and the others
go on. Layout of the output folder::

    DIR/<scenario>/<notebook stem>.ipynb, .html, .results.json
    DIR/summary.csv      one row per run: notebook, scenario, status, duration, headline numbers
    DIR/manifest.json    per run: parameters, data-file checksums, package version, git commit
    DIR/index.html       the scenarios' headline numbers side by side, linking to each report

Summary, manifest and index are written atomically, after every run has finished; each run's
own files are written atomically by the runner, so a killed batch leaves its completed runs
intact and no half-written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import multiprocessing
import os
import subprocess
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import workbook
from workbook.atomic import atomic_write_text
from workbook.paths import REPO_ROOT
from workbook.results import jsonable
from workbook.scenarios import PlannedRun, load_portfolio, plan_runs

__all__ = [
    "BatchError",
    "BatchResult",
    "RunRecord",
    "data_file_checksums",
    "git_commit",
    "run_batch",
]

SUMMARY_COLUMNS = ("notebook", "scenario", "status", "duration_seconds", "error")
"""The fixed columns of ``summary.csv``; the headline numbers follow."""

_FIRST_HEADLINES = ("npv", "roi", "payback_months")
_NOT_HEADLINE = {"parameters", "notebook", "workbook_version", "generated_at"}


class BatchError(Exception):
    """A batch that cannot start, e.g. an output folder that is not empty."""


@dataclass(slots=True)
class RunRecord:
    """What one (notebook, scenario) run produced."""

    notebook: str
    scenario: str
    status: str
    duration_seconds: float
    parameters: dict[str, Any]
    scenario_file: str
    error: str = ""
    headline: dict[str, float] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """``True`` when the run finished and published its results."""
        return self.status == "ok"


@dataclass(slots=True)
class BatchResult:
    """Every run of a batch, and where its summary files are."""

    out_dir: Path
    runs: list[RunRecord]
    summary_path: Path
    manifest_path: Path
    index_path: Path

    @property
    def failed(self) -> list[RunRecord]:
        """The runs that did not finish."""
        return [run for run in self.runs if not run.ok]


def git_commit(folder: Path = REPO_ROOT) -> str | None:
    """``git rev-parse HEAD`` in ``folder``, or ``None`` when git or a repository is missing."""
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_file_checksums(parameters: Mapping[str, Any], base: Path) -> dict[str, dict[str, str]]:
    """SHA-256 of each parameter value that names an existing file.

    A relative path is read as the notebook reads it: relative to ``base``, the notebook's
    folder (the runner executes there).
    """
    found = {}
    for name, value in parameters.items():
        if not isinstance(value, str) or not value or "://" in value:
            continue
        path = Path(value).expanduser()
        path = path if path.is_absolute() else base / path
        if path.is_file():
            found[name] = {"path": str(path.resolve()), "sha256": _sha256(path)}
    return found


def _execute(notebook: str, parameters: dict[str, Any], out_dir: str,
             timeout_seconds: int | None) -> tuple[str, str, dict[str, Any], list[str], float]:
    """One run in a worker process: (status, error, results, files, duration_seconds)."""
    from workbook.runner import run_notebook

    start = time.perf_counter()
    try:
        outcome = run_notebook(Path(notebook), Path(out_dir), parameters,
                               timeout_seconds=timeout_seconds)
    except Exception as error:  # noqa: BLE001 - isolate the batch from any one run
        return "failed", f"{type(error).__name__}: {error}", {}, [], time.perf_counter() - start
    status = "ok" if outcome.ok else "failed"
    return (status, outcome.error or "", outcome.results or {},
            [str(p) for p in outcome.files], time.perf_counter() - start)


def _headline(results: Mapping[str, Any]) -> dict[str, float]:
    return {k: v for k, v in results.items() if k not in _NOT_HEADLINE
            and (v is None or isinstance(v, (int, float))) and not isinstance(v, bool)}


def _headline_columns(runs: list[RunRecord]) -> list[str]:
    names = dict.fromkeys(k for run in runs for k in run.headline)
    return [k for k in _FIRST_HEADLINES if k in names] + sorted(set(names) - set(_FIRST_HEADLINES))


def _summary_csv(runs: list[RunRecord]) -> str:
    columns = _headline_columns(runs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*SUMMARY_COLUMNS, *columns])
    for run in runs:
        writer.writerow([run.notebook, run.scenario, run.status, f"{run.duration_seconds:.3f}",
                         run.error, *("" if run.headline.get(c) is None else run.headline[c]
                                      for c in columns)])
    return buffer.getvalue()


def _format_number(name: str, value: float | None) -> str:
    from workbook.formatting import format_money, format_months, format_percent

    if value is None:
        return "–"
    if name == "roi" or name.endswith(("_rate", "_share")):
        return format_percent(value)
    if name.endswith("_months"):
        return format_months(value)
    if name in ("npv",) or name.endswith(("_value", "_cost", "_profit")):
        return format_money(value)
    return f"{value:,.4g}"


def _index_html(runs: list[RunRecord], out_dir: Path, title: str) -> str:
    columns = _headline_columns(runs)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in
                   ("scenario", "notebook", "status", "seconds", *columns, "report"))
    rows = []
    for run in sorted(runs, key=lambda r: (r.notebook, r.scenario)):
        report = next((f for f in run.files if f.endswith(".html")), None)
        link = (f'<a href="{html.escape(Path(report).relative_to(out_dir).as_posix())}">'
                "report</a>") if report else html.escape(run.error)
        cells = [run.scenario, run.notebook, run.status, f"{run.duration_seconds:.1f}"]
        cells += [_format_number(c, run.headline.get(c)) for c in columns]
        css = "" if run.ok else ' class="failed"'
        rows.append(f"<tr{css}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                    + f"<td>{link}</td></tr>")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "tr.failed{background:#fdd}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        + "\n".join(rows) + "</tbody></table></body></html>\n"
    )


def _check_out_dir(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise BatchError(f"{out_dir}: is not empty (an earlier batch?); choose another --out "
                         "folder or pass --force to write into it")


def _record(run: PlannedRun, status: str, error: str, results: Mapping[str, Any],
            files: list[str], duration_seconds: float) -> RunRecord:
    return RunRecord(
        notebook=run.notebook.name, scenario=run.scenario.name, status=status,
        duration_seconds=duration_seconds, parameters=dict(run.parameters),
        scenario_file=str(run.scenario.path), error=error, headline=_headline(results),
        files=files,
    )


def run_batch(
    portfolio_path: Path,
    out_dir: Path,
    *,
    workers: int | None = None,
    timeout_seconds: int | None = None,
    force: bool = False,
    report: Callable[[str], None] | None = None,
) -> BatchResult:
    """Run every notebook × scenario of a portfolio; write summary, manifest and index.

    Parameters
    ----------
    portfolio_path
        The portfolio YAML (see :mod:`workbook.scenarios`).
    out_dir
        Output folder; refused when it exists and is not empty, unless ``force``.
    workers
        Worker processes (default: the number of cores).
    timeout_seconds
        Per-cell time limit of each run.
    force
        Write into a non-empty ``out_dir`` (files of the same names are replaced).
    report
        Called with one progress line per finished run.

    Raises
    ------
    ScenarioError
        For an unusable portfolio file, before anything runs.
    BatchError
        For an output folder that is not empty (without ``force``).
    """
    out_dir = Path(out_dir).resolve()
    _check_out_dir(out_dir, force)
    portfolio = load_portfolio(portfolio_path)
    planned = plan_runs(portfolio)
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise BatchError(f"workers: expected 1 or more; got {workers}")
    out_dir.mkdir(parents=True, exist_ok=True)
    total, done = len(planned), 0
    records: list[RunRecord] = []

    def finished(record: RunRecord) -> None:
        nonlocal done
        done += 1
        records.append(record)
        if report is not None:
            detail = "" if record.ok else f": {record.error}"
            report(f"[{done}/{total}] {record.status} {record.notebook} with {record.scenario} "
                   f"({record.duration_seconds:.1f} s){detail}")

    for run in planned:
        if not run.valid:
            finished(_record(run, "failed", run.error or "", {}, [], 0.0))
    runnable = [run for run in planned if run.valid]
    if runnable:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(runnable)),
                                 mp_context=context) as pool:
            futures = {
                pool.submit(_execute, str(run.notebook), run.parameters,
                            str(out_dir / run.scenario.name), timeout_seconds): run
                for run in runnable
            }
            for future in as_completed(futures):
                run = futures[future]
                try:
                    finished(_record(run, *future.result()))
                except Exception as error:  # noqa: BLE001 - a worker died (killed, out of memory)
                    finished(_record(run, "failed", f"{type(error).__name__}: {error}",
                                     {}, [], 0.0))
    order = {(r.notebook.name, r.scenario.name): i for i, r in enumerate(planned)}
    records.sort(key=lambda r: order[(r.notebook, r.scenario)])
    return _write_batch_files(records, out_dir, portfolio.path, planned)


def _write_batch_files(records: list[RunRecord], out_dir: Path, portfolio_path: Path,
                       planned: list[PlannedRun]) -> BatchResult:
    commit, version = git_commit(), workbook.__version__
    bases = {(r.notebook.name, r.scenario.name): r.notebook.parent for r in planned}
    manifest = {
        "portfolio": str(portfolio_path),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "workbook_version": version,
        "git_commit": commit,
        "runs": [
            {
                "notebook": r.notebook, "scenario": r.scenario,
                "scenario_file": r.scenario_file, "status": r.status, "error": r.error,
                "duration_seconds": round(r.duration_seconds, 3),
                "parameters": r.parameters,
                "data_files": data_file_checksums(r.parameters, bases[(r.notebook, r.scenario)]),
                "outputs": [Path(f).relative_to(out_dir).as_posix() for f in r.files],
                "workbook_version": version, "git_commit": commit,
            }
            for r in records
        ],
    }
    summary_path = atomic_write_text(out_dir / "summary.csv", _summary_csv(records))
    manifest_path = atomic_write_text(out_dir / "manifest.json",
                                      json.dumps(jsonable(manifest), indent=2) + "\n")
    index_path = atomic_write_text(
        out_dir / "index.html", _index_html(records, out_dir, f"Batch: {portfolio_path.name}"))
    return BatchResult(out_dir, records, summary_path, manifest_path, index_path)
