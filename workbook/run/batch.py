"""A batch run: every notebook × scenario of a portfolio, in parallel worker processes.

Each run is :func:`workbook.run.runner.run_notebook` in a worker process (``spawn`` start method,
a process group of its own), so every run has its own kernel, on Unix sockets (no port races).
A worker runs one notebook at a time and is reused for the next; a run that exceeds the
per-run ``timeout_seconds`` is killed with its kernel, marked ``timeout``, and its worker
replaced. A failing run keeps its partial executed notebook and the others go on. Layout of
the output folder::

    DIR/<scenario>/<notebook stem>.ipynb, .html, .results.json (and .pdf with ``pdf``)
    DIR/summary.csv      one row per run: notebook, scenario, status, duration, headline numbers
    DIR/manifest.json    per run: parameters, data-file checksums, package version, git commit
    DIR/index.html       charts and tables of the scenarios side by side, linking each report

A run's status is ``ok``, ``failed``, ``timeout`` or ``cancelled``. Summary, manifest and index
are written atomically, after every run has finished; each run's own files are written
atomically by the runner. SIGTERM or Ctrl-C kills the runs in progress (their temporary files
removed), marks them and the runs not started ``cancelled``, writes summary, manifest and
index for what completed and raises :class:`BatchCancelled`: completed runs stay intact and no
file is half-written. For nightly jobs, :func:`dated_out_dir` names tonight's folder and
:func:`point_latest` repoints the ``latest`` link once the batch has finished.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import workbook
from workbook.core.atomic import atomic_write_text
from workbook.core.paths import REPO_ROOT
from workbook.run.index import STATUSES, headline_table, index_html, summary_csv
from workbook.run.results import jsonable
from workbook.run.scenarios import PlannedRun, load_portfolio, plan_runs
from workbook.run.workers import Worker

__all__ = [
    "LATEST",
    "STATUSES",
    "BatchCancelled",
    "BatchError",
    "BatchResult",
    "RunRecord",
    "check_latest_link",
    "data_file_checksums",
    "dated_out_dir",
    "git_commit",
    "headline_table",
    "point_latest",
    "progress_bar",
    "run_batch",
]

LATEST = "latest"
"""The link, beside the dated batch folders, to the newest finished one."""

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
    index_pdf_path: Path | None = None
    problems: list[str] = field(default_factory=list)
    """Batch-level problems that are no run's, e.g. the index could not be printed to PDF."""

    @property
    def failed(self) -> list[RunRecord]:
        """The runs that did not finish (failed, timed out or cancelled)."""
        return [run for run in self.runs if not run.ok]


class BatchCancelled(Exception):
    """A batch stopped by a signal; its summary, manifest and index cover what completed."""

    def __init__(self, result: BatchResult, signum: int) -> None:
        super().__init__(f"cancelled by {signal.Signals(signum).name}")
        self.result = result
        self.signum = signum


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


def _clean_killed_run(run: PlannedRun, out_dir: Path, *, keep_partial: bool) -> list[str]:
    """After a kill: no temporary or stale file of this run remains; the partial notebook is
    kept (as ``<stem>.ipynb``) when ``keep_partial`` and it is a readable notebook."""
    import nbformat

    folder, stem, kept = out_dir / run.scenario.name, run.notebook.stem, []
    for suffix in (".html", ".results.json", ".pdf", ".ipynb"):
        (folder / f"{stem}{suffix}").unlink(missing_ok=True)
    for temp in sorted(folder.glob(f".{stem}.*.tmp*")):
        if keep_partial and temp.suffix == ".ipynb" and not kept:
            try:
                nbformat.read(temp, as_version=4)
            except Exception:  # noqa: BLE001, S110 - half-written by the killed run: drop it
                pass
            else:
                os.replace(temp, folder / f"{stem}.ipynb")
                kept.append(str(folder / f"{stem}.ipynb"))
                continue
        temp.unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return kept


def _headline(results: Mapping[str, Any]) -> dict[str, float]:
    return {k: v for k, v in results.items() if k not in _NOT_HEADLINE
            and (v is None or isinstance(v, (int, float))) and not isinstance(v, bool)}


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


class _Cancelled(BaseException):
    """Raised in the batch's main thread by SIGTERM (Ctrl-C raises KeyboardInterrupt)."""


def _raise_cancelled(signum: int, _frame: object) -> None:
    raise _Cancelled(signum)


@contextlib.contextmanager
def _signals(handler: Any) -> Iterator[None]:
    """SIGTERM (and, to ignore both, SIGINT) handled by ``handler`` meanwhile; a no-op
    outside the main thread, where Python cannot set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [signal.SIGTERM] + ([signal.SIGINT] if handler == signal.SIG_IGN else [])
    before = {name: signal.signal(name, handler) for name in names}
    try:
        yield
    finally:
        for name, previous in before.items():
            signal.signal(name, previous)


def run_batch(
    portfolio_path: Path,
    out_dir: Path,
    *,
    workers: int | None = None,
    timeout_seconds: float | None = 600,
    force: bool = False,
    pdf: bool = False,
    report: Callable[[str], None] | None = None,
) -> BatchResult:
    """Run every notebook × scenario of a portfolio; write summary, manifest and index.

    Parameters
    ----------
    portfolio_path
        The portfolio YAML (see :mod:`workbook.run.scenarios`).
    out_dir
        Output folder; refused when it exists and is not empty, unless ``force``.
    workers
        Worker processes (default: the number of cores).
    timeout_seconds
        Wall-clock limit of each run (kernel start included); a run over it is killed with
        its kernel and marked ``timeout``; ``None`` for no limit.
    force
        Write into a non-empty ``out_dir`` (files of the same names are replaced).
    pdf
        Also print each report and the index to PDF (:func:`workbook.run.pdf.html_to_pdf`).
    report
        Called with one progress line per finished run.

    Raises
    ------
    ScenarioError
        For an unusable portfolio file, before anything runs.
    BatchError
        For an output folder that is not empty (without ``force``).
    BatchCancelled
        On SIGTERM or Ctrl-C, after killing the runs in progress and writing the summary,
        manifest and index of what completed (the other runs marked ``cancelled``).
    """
    out_dir = Path(out_dir).resolve()
    _check_out_dir(out_dir, force)
    portfolio = load_portfolio(portfolio_path)
    planned = plan_runs(portfolio)
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise BatchError(f"workers: expected 1 or more; got {workers}")
    if timeout_seconds is not None and timeout_seconds <= 0:
        raise BatchError(f"timeout: expected a number of seconds above 0; got {timeout_seconds}")
    if pdf:
        from workbook.run.pdf import PdfError, require_chromium

        try:
            require_chromium()
        except PdfError as error:
            raise BatchError(str(error)) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(planned)
    records: dict[tuple[str, str], RunRecord] = {}

    started = time.monotonic()

    def finished(record: RunRecord) -> None:
        records[(record.notebook, record.scenario)] = record
        if report is not None:
            detail = "" if record.ok else f": {record.error}"
            report(f"{progress_bar(len(records), total, time.monotonic() - started)} "
                   f"{record.status} {record.notebook} with {record.scenario} "
                   f"({record.duration_seconds:.1f} s){detail}")

    for run in planned:
        if not run.valid:
            finished(_record(run, "failed", run.error or "", {}, [], 0.0))
    runnable = [run for run in planned if run.valid]
    cancelled: int | None = None
    pool: list[Worker] = []
    try:
        with _signals(_raise_cancelled):
            _run_pool(runnable, out_dir, min(workers, len(runnable)), timeout_seconds, pdf,
                      pool, finished)
    except _Cancelled as interruption:
        cancelled = interruption.args[0]
    except KeyboardInterrupt:
        cancelled = signal.SIGINT
    finally:
        with _signals(signal.SIG_IGN):  # a second signal must not cut the clean-up short
            for worker in pool:
                if worker.run is not None:
                    worker.kill()
                    _clean_killed_run(worker.run, out_dir, keep_partial=False)
                else:
                    worker.stop()
    if cancelled is not None:
        for run in runnable:
            if (run.notebook.name, run.scenario.name) not in records:
                records[(run.notebook.name, run.scenario.name)] = _record(
                    run, "cancelled", f"cancelled by {signal.Signals(cancelled).name}", {},
                    [], 0.0)
    with _signals(signal.SIG_IGN):
        result = _write_batch_files([records[(r.notebook.name, r.scenario.name)]
                                     for r in planned], out_dir, portfolio.path, planned, pdf)
    if cancelled is not None:
        raise BatchCancelled(result, cancelled)
    return result


def _run_pool(runnable: list[PlannedRun], out_dir: Path, size: int,
              timeout_seconds: float | None, pdf: bool, pool: list[Worker],
              finished: Callable[[RunRecord], None]) -> None:
    """Run ``runnable`` on ``size`` worker processes; ``pool`` holds them for the caller's
    clean-up. A worker that dies or overruns is replaced."""
    context = multiprocessing.get_context("spawn")
    waiting = deque(runnable)
    while waiting or any(w.run is not None for w in pool):
        while waiting:
            worker = next((w for w in pool if w.run is None), None)
            if worker is None:
                if len(pool) >= size:
                    break
                worker = Worker.start(context)
                pool.append(worker)
            worker.run, worker.started = waiting.popleft(), time.monotonic()
            worker.connection.send((str(worker.run.notebook), worker.run.parameters,
                                    str(out_dir / worker.run.scenario.name), timeout_seconds,
                                    pdf))
        busy = [w for w in pool if w.run is not None]
        deadline = None if timeout_seconds is None else min(
            w.started + timeout_seconds for w in busy)
        wait([h for w in busy for h in (w.connection, w.process.sentinel)],
             timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
        for worker in busy:
            run, elapsed = worker.run, time.monotonic() - worker.started
            assert run is not None
            died = False
            if worker.connection.poll():
                try:
                    outcome = worker.connection.recv()
                except (EOFError, OSError):
                    died = True
                else:
                    worker.run = None
                    finished(_record(run, *outcome))
                    continue
            if died or not worker.process.is_alive():
                worker.kill()
                pool.remove(worker)
                _clean_killed_run(run, out_dir, keep_partial=True)
                finished(_record(run, "failed", "the worker process died (exit code "
                                 f"{worker.process.exitcode})", {}, [], elapsed))
            elif timeout_seconds is not None and elapsed >= timeout_seconds:
                worker.kill()
                pool.remove(worker)
                kept = _clean_killed_run(run, out_dir, keep_partial=True)
                finished(_record(run, "timeout", f"killed after {timeout_seconds:g} s "
                                 "(--timeout)", {}, kept, elapsed))


def progress_bar(done: int, total: int, elapsed_seconds: float, width: int = 20) -> str:
    """``[1/4] ######-------------- 25 %, about 9 s left`` (the estimate from the pace so far).

    Examples
    --------
    >>> progress_bar(1, 4, 3.0, width=8)
    '[1/4] ##------  25 %, about 9 s left'
    >>> progress_bar(4, 4, 12.0, width=8)
    '[4/4] ######## 100 %, done in 12 s'
    """
    filled = round(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    head = f"[{done}/{total}] {bar} {100 * done / total if total else 100:3.0f} %"
    if done >= total:
        return f"{head}, done in {elapsed_seconds:.0f} s"
    left = elapsed_seconds / done * (total - done) if done else float("nan")
    return f"{head}, about {left:.0f} s left" if done else head


def dated_out_dir(base: Path, now: dt.datetime | None = None) -> Path:
    """A new folder name under ``base`` for tonight's batch: ``YYYY-MM-DD``, or with the time
    (``YYYY-MM-DDTHHMMSS``) when that exists already. Nothing is created.

    Examples
    --------
    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> dated_out_dir(base, dt.datetime(2026, 11, 22, 2, 30)).name
    '2026-11-22'
    >>> (base / "2026-11-22").mkdir()
    >>> dated_out_dir(base, dt.datetime(2026, 11, 22, 2, 30)).name
    '2026-11-22T023000'
    """
    now = now or dt.datetime.now()
    for name in (f"{now:%Y-%m-%d}", f"{now:%Y-%m-%dT%H%M%S}"):
        if not (base / name).exists() and not (base / name).is_symlink():
            return base / name
    for number in itertools.count(2):
        candidate = base / f"{now:%Y-%m-%dT%H%M%S}-{number}"
        if not candidate.exists():
            return candidate
    raise AssertionError("unreachable")


def check_latest_link(base: Path) -> Path:
    """``base/latest``, after checking it is absent or a symbolic link (so it can be moved).

    Raises
    ------
    BatchError
        When ``base/latest`` is a real file or folder (e.g. from ``make report``).
    """
    link = Path(base) / LATEST
    if link.exists() and not link.is_symlink():
        raise BatchError(f"{link}: is a real {'folder' if link.is_dir() else 'file'}, not a "
                         "link; move it away, or choose another --out for dated batches")
    return link


def point_latest(base: Path, target: Path) -> Path:
    """Atomically point ``base/latest`` at ``target`` (a folder in ``base``).

    A new link is made under a temporary name and renamed over the old one, so a reader
    always finds ``latest`` pointing at a complete batch, the old one or the new one. The
    link is relative (``latest -> 2026-11-22``), so the folder can be moved or mounted.
    """
    link = check_latest_link(base)
    temp = link.with_name(f".{LATEST}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(Path(target).resolve(), Path(base).resolve()), temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return link


def _write_batch_files(records: list[RunRecord], out_dir: Path, portfolio_path: Path,
                       planned: list[PlannedRun], pdf: bool = False) -> BatchResult:
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
    summary_path = atomic_write_text(out_dir / "summary.csv", summary_csv(records))
    manifest_path = atomic_write_text(out_dir / "manifest.json",
                                      json.dumps(jsonable(manifest), indent=2) + "\n")
    index_path = atomic_write_text(
        out_dir / "index.html", index_html(records, out_dir, f"Batch: {portfolio_path.name}"))
    result = BatchResult(out_dir, records, summary_path, manifest_path, index_path)
    if pdf:
        from workbook.run.pdf import PdfError, html_to_pdf

        try:
            result.index_pdf_path = html_to_pdf(index_path)
        except PdfError as error:
            result.problems.append(str(error))
    return result

