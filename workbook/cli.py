"""The ``workbook`` command: serve the dashboards, run reports, list what the models assume.

Exit status: 0 success; 1 a notebook cell failed (the partial executed notebook is kept);
2 bad input (an unknown parameter, an invalid value, a missing file, ``--pdf`` without
Chromium), reported in one line before anything runs; 128 + the signal's number for a batch
stopped by SIGTERM (143) or Ctrl-C (130), after writing what completed.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbook.core.paths import DASHBOARDS, SAMPLES

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    """Bad input: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Service Strategy Workbook: dashboards, report runs and assumptions.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dash = sub.add_parser("dashboard", help="serve the dashboards with Voilà on 127.0.0.1")
    dash.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    dash.add_argument("--dir", type=Path, default=DASHBOARDS,
                      help="folder of dashboard notebooks (default: the repository's)")
    dash.add_argument("--pool-size", type=int, default=2,
                      help="preheated kernels kept ready per dashboard (default 2; 0 = none)")
    dash.add_argument("--transactions", type=Path, default=None, metavar="PATH",
                      help="your transactions (CSV or Parquet) for the ROI dashboard's "
                      "\"measured from my data\" switch (default: the sample business)")

    run = sub.add_parser(
        "run", help="execute a notebook as a report: .ipynb, .html (no code), .results.json",
        description="Execute NOTEBOOK with papermill. Parameters are checked before any cell "
        "runs: an unknown name or an invalid value exits with status 2.",
    )
    run.add_argument("notebook", type=Path,
                     help="the notebook, e.g. notebooks/01-service-roi.ipynb")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    run.add_argument("-f", "--parameters-file", type=Path,
                     help="YAML file of NAME: VALUE (the -p values win)")
    run.add_argument("--out", type=Path, required=True, help="output folder")
    run.add_argument("--timeout", type=int, default=600, help="per-cell time limit, seconds")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--pdf", action="store_true",
                     help="also print the report to <stem>.pdf (needs /usr/bin/chromium)")

    batch = sub.add_parser(
        "batch", help="run every notebook x scenario of a portfolio in parallel processes",
        description="Run each notebook of PORTFOLIO with each of its scenarios (workbook run, "
        "one worker process per run). Exit status 1 if any run failed, 2 for a bad portfolio.",
    )
    batch.add_argument("portfolio", type=Path, help="portfolio YAML, e.g. scenarios/portfolio.yaml")
    batch.add_argument("--out", type=Path, required=True,
                       help="output folder: one subfolder per scenario, summary.csv, "
                       "manifest.json, index.html (with --dated: the folder of dated batches)")
    batch.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: the number of cores)")
    batch.add_argument("--timeout", type=float, default=600,
                       help="per-run time limit, seconds (default 600); a run over it is "
                       "killed with its kernel and marked timeout")
    batch.add_argument("--force", action="store_true",
                       help="write into a non-empty output folder")
    batch.add_argument("--dated", action="store_true",
                       help="write into OUT/YYYY-MM-DD (with the time if that exists) and, "
                       "once the batch has finished, point the link OUT/latest at it")
    batch.add_argument("--pdf", action="store_true",
                       help="also print each report and the index to PDF (needs "
                       "/usr/bin/chromium)")

    params = sub.add_parser("params", help="list a notebook's parameters")
    params.add_argument("notebook", type=Path)

    sub.add_parser("assumptions", help="list every registered assumption with its source")

    samples = sub.add_parser(
        "samples", help="regenerate the sample data (byte-identical, from fixed seeds)")
    samples.add_argument("--out", type=Path, default=SAMPLES,
                         help="folder (default: the repository's data/samples)")

    check = sub.add_parser("check", help="validate a data file and print a summary")
    check.add_argument("path", type=Path)
    check.add_argument("--kind", default="transactions",
                       choices=["transactions", "customers", "prospects", "complaints",
                                "support_contacts"])
    check.add_argument("--column-map", metavar="MAP",
                       help="your column names, e.g. 'Order Date:date, Total:amount'")
    check.add_argument("--as-of", metavar="DATE", help="no record may be later (YYYY-MM-DD)")
    return parser


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def voila_command(directory: Path, port: int, pool_size: int) -> list[str]:
    """The Voilà command line ``workbook dashboard`` runs.

    Preheated kernels (``pool_size`` per dashboard) run each dashboard up to the point where it
    waits for the viewer's query string, so a page opens in about a second and a URL scenario
    still applies (field notes). Tracebacks stay hidden from viewers. The ``_assets`` folder's
    scripts are served for :mod:`workbook.ui.assets`.
    """
    from workbook.ui.assets import FILE_ALLOWLIST

    command = [
        sys.executable, "-m", "voila", str(directory),
        f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--no-browser",
        "--show_tracebacks=False", "--theme=light",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in FILE_ALLOWLIST),
        # Unix sockets beside Voila's connection files instead of TCP ports: no port races
        # between kernels and no "running over TCP without encryption" warning.
        "--KernelManager.transport=ipc",
        # A viewer who vanishes without closing the tab leaves a kernel (~150 MB): shut it
        # down after 30 idle minutes. Voila never culls its preheated pool.
        "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=300",
    ]
    if pool_size > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return command


def _dashboard(args: argparse.Namespace) -> int:
    directory = args.dir.resolve()
    notebooks = sorted(directory.glob("*.ipynb"))
    if not notebooks:
        raise _Usage(f"{directory}: no dashboard notebooks (*.ipynb) there")
    if not 1 <= args.port <= 65535:
        raise _Usage(f"--port: expected a port from 1 to 65535; got {args.port}")
    if not _port_free(args.port):
        raise _Usage(f"--port: 127.0.0.1:{args.port} is in use; choose another with --port")
    if args.pool_size < 0:
        raise _Usage(f"--pool-size: expected 0 or more; got {args.pool_size}")
    if args.transactions is not None:
        from workbook.data.load import DataError, check_file
        from workbook.ui.calibration import DATA_ENV

        try:
            check_file(args.transactions)
        except DataError as error:
            raise _Usage(f"--transactions: {error}") from None
        os.environ[DATA_ENV] = str(args.transactions.resolve())  # inherited by every kernel
    print("Serving the dashboards (Ctrl-C to stop):", flush=True)
    for notebook in notebooks:
        print(f"  http://127.0.0.1:{args.port}/voila/render/{notebook.name}", flush=True)
    from workbook.ui.assets import ENV_FLAG, install_widget_assets

    os.environ[ENV_FLAG] = install_widget_assets(directory)  # inherited by every kernel
    command = voila_command(directory, args.port, args.pool_size)
    os.execv(command[0], command)
    return EXIT_OK  # not reached


def _read_parameters_file(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _Usage(f"{path}: cannot read the parameters file ({error.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise _Usage(f"{path}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise _Usage(f"{path}: expected a mapping of parameter names to values")
    return data


def _require_chromium(args: argparse.Namespace) -> None:
    """With ``--pdf``, stop before anything runs when Chromium is missing."""
    from workbook.run.pdf import PdfError, require_chromium

    if args.pdf:
        try:
            require_chromium()
        except PdfError as error:
            raise _Usage(str(error)) from None


def _run(args: argparse.Namespace) -> int:
    from workbook.run.pdf import PdfError, html_to_pdf
    from workbook.run.runner import run_notebook

    _require_chromium(args)
    values: dict[str, Any] = {}
    if args.parameters_file:
        values.update(_read_parameters_file(args.parameters_file))
    values.update(dict(args.parameter))
    progress = not args.quiet and sys.stderr.isatty()
    outcome = run_notebook(args.notebook, args.out, values, from_text=True, progress=progress,
                           timeout_seconds=args.timeout)
    if not outcome.ok:
        print(f"workbook run: {args.notebook}: {outcome.error}", file=sys.stderr)
        print(f"workbook run: the executed notebook, with the error, is in {outcome.notebook}",
              file=sys.stderr)
        return EXIT_FAILED
    if args.pdf and outcome.html is not None:
        try:
            outcome.files.append(html_to_pdf(outcome.html))
        except PdfError as error:
            print(f"workbook run: {error}", file=sys.stderr)
            return EXIT_FAILED
    for path in outcome.files:
        print(path)
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from workbook.run.batch import (
        BatchCancelled,
        BatchError,
        check_latest_link,
        dated_out_dir,
        point_latest,
        run_batch,
    )
    from workbook.run.scenarios import ScenarioError

    if args.workers is not None and args.workers < 1:
        raise _Usage(f"--workers: expected 1 or more; got {args.workers}")
    if args.timeout <= 0:
        raise _Usage(f"--timeout: expected seconds above 0; got {args.timeout:g}")
    _require_chromium(args)
    out = args.out
    if args.dated:
        try:
            check_latest_link(args.out)
        except BatchError as error:
            raise _Usage(str(error)) from None
        out = dated_out_dir(args.out)

    def report(line: str) -> None:
        print(f"workbook batch: {line}", file=sys.stderr, flush=True)

    try:
        result = run_batch(args.portfolio, out, workers=args.workers,
                           timeout_seconds=args.timeout, force=args.force, pdf=args.pdf,
                           report=report)
    except (BatchError, ScenarioError) as error:
        raise _Usage(str(error)) from None
    except BatchCancelled as cancelled:
        done = sum(run.ok for run in cancelled.result.runs)
        print(f"workbook batch: {cancelled}; {done} of {len(cancelled.result.runs)} runs "
              f"completed; see {cancelled.result.index_path}", file=sys.stderr)
        return 128 + cancelled.signum
    failed = result.failed
    print(f"workbook batch: {len(result.runs) - len(failed)} of {len(result.runs)} runs ok; "
          f"see {result.index_path}", file=sys.stderr)
    for problem in result.problems:
        print(f"workbook batch: {problem}", file=sys.stderr)
    if args.dated:
        print(f"workbook batch: {point_latest(args.out, result.out_dir)} -> "
              f"{result.out_dir.name}", file=sys.stderr)
    for path in (result.summary_path, result.manifest_path, result.index_path,
                 result.index_pdf_path):
        if path is not None:
            print(path)
    return EXIT_FAILED if failed or result.problems else EXIT_OK


def _params(args: argparse.Namespace) -> int:
    from workbook.run.runner import inspect_notebook

    spec = inspect_notebook(args.notebook)
    print(f"{spec.path.name} takes:")
    print(spec.describe())
    return EXIT_OK


def _assumptions(_args: argparse.Namespace) -> int:
    from workbook.core.registry import ASSUMPTIONS

    for a in ASSUMPTIONS.values():
        seed = f" [seed {a.seed}]" if a.seed else ""
        print(f"{a.key} = {a.value:g} ({a.low:g}–{a.high:g} {a.unit}): {a.source}{seed}")
    return EXIT_OK


def _samples(args: argparse.Namespace) -> int:
    from workbook.data.calllog import write_sample_call_log
    from workbook.data.samples import write_samples
    from workbook.data.surveys import write_sample_survey

    folder = args.out
    written = [*write_samples(folder), write_sample_call_log(folder / "call_log.csv"),
               write_sample_survey(folder / "survey.csv")]
    for path in written:
        print(path)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from workbook.data.load import check_file
    from workbook.data.validate import DataError

    try:
        print(check_file(args.path, args.kind, args.column_map, as_of=args.as_of))
    except DataError as error:
        raise _Usage(str(error)) from None
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workbook`` console script."""
    from workbook.core.validation import ParameterError
    from workbook.run.runner import RunError

    args = _parser().parse_args(argv)
    handlers = {"dashboard": _dashboard, "run": _run, "batch": _batch, "params": _params,
                "assumptions": _assumptions, "samples": _samples, "check": _check}
    try:
        return handlers[args.command](args)
    except (_Usage, RunError) as error:
        print(f"workbook {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ParameterError as error:
        print(f"workbook {args.command}: error: parameter {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"workbook {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
