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
from typing import TYPE_CHECKING, Any

from workbook.core.paths import DASHBOARDS, SAMPLES
from workbook.serve.options import TOKEN_ENV, VIEWER_BUDGET_MB

if TYPE_CHECKING:
    from workbook.serve.options import ServeOptions

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

    dash = sub.add_parser(
        "dashboard", help="serve the dashboards with Voilà (on 127.0.0.1 unless --host)",
        description="Serve the dashboards. On loopback (the default) only this machine's "
        "browsers reach them; with --host beyond loopback (or --allow-host behind a proxy) "
        f"every visitor needs the token: {TOKEN_ENV} or one generated and printed at start. "
        "See docs/serving.md.",
    )
    dash.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                      help="address to listen on (default 127.0.0.1; 0.0.0.0 = every "
                      "interface, token required)")
    dash.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    dash.add_argument("--dir", type=Path, default=DASHBOARDS,
                      help="folder of dashboard notebooks (default: the repository's)")
    dash.add_argument("--pool-size", type=int, default=None, metavar="N",
                      help="preheated kernels kept ready for every dashboard (default: one "
                      "per core for service-roi, one for the others; 0 = none)")
    dash.add_argument("--pool", action="append", default=[], metavar="DASHBOARD=N",
                      help="preheated kernels for one dashboard, e.g. service-roi=3 "
                      "(repeatable; wins over --pool-size)")
    dash.add_argument("--max-viewers", type=int, default=None, metavar="N",
                      help="pages served at once; the next viewers see a busy page that "
                      "retries by itself (default: what the available memory holds at "
                      f"{VIEWER_BUDGET_MB} MB each)")
    dash.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                      help="also answer to this host name on loopback: the public name a "
                      "reverse proxy forwards (repeatable; requires the token)")
    dash.add_argument("--reclaim-seconds", type=float, default=30.0, metavar="S",
                      help="shut a viewer's kernel down this long after its page closed "
                      "(default 30)")
    dash.add_argument("--idle-cull-seconds", type=float, default=120.0, metavar="S",
                      help="shut down viewer kernels idle this long with no page connected "
                      "(default 120; preheated kernels are kept)")
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


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve_options(args: argparse.Namespace,
                  environ: dict[str, str] | None = None) -> tuple[ServeOptions, bool]:
    """The :class:`workbook.serve.ServeOptions` of ``workbook dashboard``'s arguments.

    Returns the options and whether the token was generated here (to print it once).
    """
    from workbook.serve.options import (
        ServeError,
        ServeOptions,
        choose_token,
        default_max_viewers,
        default_pool_sizes,
        is_loopback,
        parse_pool,
    )

    directory = args.dir.resolve()
    names = sorted(path.name for path in directory.glob("*.ipynb"))
    if not names:
        raise _Usage(f"{directory}: no dashboard notebooks (*.ipynb) there")
    if args.pool_size is not None and args.pool_size < 0:
        raise _Usage(f"--pool-size: expected 0 or more; got {args.pool_size}")
    pools = (default_pool_sizes(names) if args.pool_size is None
             else dict.fromkeys(names, args.pool_size))
    try:
        pools.update(parse_pool(text, names) for text in args.pool)
        required = not is_loopback(args.host) or bool(args.allow_host)
        token, generated = choose_token(required, environ)
        options = ServeOptions(
            directory=directory, host=args.host, port=args.port, pool_sizes=pools,
            max_viewers=(default_max_viewers() if args.max_viewers is None
                         else args.max_viewers),
            token=token, allowed_hosts=tuple(args.allow_host),
            reclaim_seconds=args.reclaim_seconds, idle_cull_seconds=args.idle_cull_seconds,
        )
    except ServeError as error:
        raise _Usage(str(error)) from None
    return options, generated


def _dashboard(args: argparse.Namespace) -> int:
    options, generated = serve_options(args)
    if not _port_free(options.host, options.port):
        raise _Usage(f"--port: {options.host}:{options.port} is in use (or the address is "
                     "not this machine's); choose another with --port or --host")
    if args.transactions is not None:
        from workbook.data.load import DataError, check_file
        from workbook.ui.calibration import DATA_ENV

        try:
            check_file(args.transactions)
        except DataError as error:
            raise _Usage(f"--transactions: {error}") from None
        os.environ[DATA_ENV] = str(args.transactions.resolve())  # inherited by every kernel
    os.environ.pop(TOKEN_ENV, None)  # the server holds it; the kernels need not
    reach = "this machine only" if not options.token_required else "the network, with the token"
    print(f"Serving the dashboards to {reach} (Ctrl-C to stop):", flush=True)
    for url in options.urls(with_token=generated):
        print(f"  {url}", flush=True)
    if generated:
        print(f"The token in these links was generated for this run and is shown only here; "
              f"set {TOKEN_ENV} to keep one across restarts.", flush=True)
    elif options.token:
        print(f"Visitors sign in with the token from {TOKEN_ENV} (or open a link ending in "
              "?token=...).", flush=True)
    pools = ", ".join(f"{name.removesuffix('.ipynb')} {size}"
                      for name, size in sorted(options.pool_sizes.items()))
    print(f"Preheated kernels: {pools}. At most {options.max_viewers} viewers at once.",
          flush=True)
    from workbook.serve.server import serve
    from workbook.ui.assets import ENV_FLAG, install_widget_assets

    os.environ[ENV_FLAG] = install_widget_assets(options.directory)  # inherited by every kernel
    serve(options)
    return EXIT_OK


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
