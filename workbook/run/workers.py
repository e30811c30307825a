"""The worker processes of a batch: each runs one notebook at a time, with its own kernel.

A worker is a ``spawn``-started process leading a process group of its own; it ignores Ctrl-C
and SIGTERM, because the batch (:mod:`workbook.run.batch`) decides when a run ends and then kills
the worker with every process under it (its kernel), found from ``/proc``.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing.context
import multiprocessing.process
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from workbook.run.scenarios import PlannedRun

__all__ = ["Worker", "execute_run"]


def execute_run(notebook: str, parameters: dict[str, Any], out_dir: str,
             timeout_seconds: float | None,
             pdf: bool = False) -> tuple[str, str, dict[str, Any], list[str], float]:
    """One run in a worker process: (status, error, results, files, duration_seconds)."""
    from workbook.run.runner import run_notebook

    start = time.perf_counter()
    cell_timeout = None if timeout_seconds is None else max(1, math.ceil(timeout_seconds))
    try:
        outcome = run_notebook(Path(notebook), Path(out_dir), parameters,
                               timeout_seconds=cell_timeout)
        if outcome.ok and pdf and outcome.html is not None:
            from workbook.run.pdf import html_to_pdf

            outcome.files.append(html_to_pdf(outcome.html))
    except Exception as error:  # noqa: BLE001 - isolate the batch from any one run
        return "failed", f"{type(error).__name__}: {error}", {}, [], time.perf_counter() - start
    status = "ok" if outcome.ok else "failed"
    return (status, outcome.error or "", outcome.results or {},
            [str(p) for p in outcome.files], time.perf_counter() - start)


def _worker_main(connection: Connection, temp_dir: str) -> None:
    """A worker process: run the tasks it receives until it receives ``None``.

    It leads a process group of its own and ignores Ctrl-C and SIGTERM: the batch decides when
    a run ends and kills the worker with its kernel. Temporary files (kernel sockets,
    connection files) go to ``temp_dir``, which the batch removes after a kill.
    """
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.environ["TMPDIR"] = os.environ["JUPYTER_RUNTIME_DIR"] = temp_dir
    tempfile.tempdir = temp_dir
    while (task := connection.recv()) is not None:
        connection.send(execute_run(*task))


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (a kernel runs in a session of its own), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


@dataclass(slots=True)
class Worker:
    """A worker process, its pipe, its temporary folder and the run it is on."""

    process: multiprocessing.process.BaseProcess
    connection: Connection
    temp_dir: Path
    run: PlannedRun | None = None
    started: float = 0.0

    @classmethod
    def start(cls, context: multiprocessing.context.BaseContext) -> Worker:
        temp_dir = Path(tempfile.mkdtemp(prefix="workbook-batch-"))
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, str(temp_dir)),
                                  daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours, temp_dir)

    def kill(self) -> None:
        """Kill the worker and every process under it (its kernel); remove its temp folder."""
        if self.process.pid is not None and self.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGSTOP)  # it starts nothing new meanwhile
            for pid in [*_descendants(self.process.pid), self.process.pid]:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        self.process.join(timeout=10)
        self.close()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.kill()
        self.close()

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self.temp_dir, ignore_errors=True)
