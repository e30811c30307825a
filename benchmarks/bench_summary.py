"""Benchmark: the per-customer summary (and ladder stages) on a large synthetic log.

Side by side in one run, on the same Parquet file:

- ``lifetimes``: ``lifetimes.utils.summary_data_from_transaction_data`` (pandas inside);
- ``pandas``: an equivalent pandas groupby (the same definitions, written plainly);
- ``ours summary``: :func:`workbook.data.summary.summarize_customers` (DuckDB through Ibis);
- ``ours summary+stages``: :func:`workbook.data.load.load_customer_data` then
  :func:`workbook.models.loyalty.ladder.assign_stages`, one engine query that gives the summary
  columns and every customer's ladder stage.

Each measurement runs in a fresh child process, which times itself from the Parquet file to
the finished DataFrame (imports excluded for every implementation: pandas, pyarrow's Parquet
reader, lifetimes, and ibis with its DuckDB backend are imported before the clock starts) and
reports its peak resident memory (max RSS). The pandas-based baselines read the ``date`` column
as ``datetime64`` directly (``date_as_object=False``), as a pandas user who minds speed would,
rather than as Python ``date`` objects parsed again. The children's results are checked to agree
(row count and column sums) before any time is reported. Prints medians over the repeats and
the ratios to ours; ``--profile`` also prints where our time goes (validation, query, fetch).

Usage::

    python benchmarks/bench_summary.py                       # quick: 100k customers, ~1M rows
    python benchmarks/bench_summary.py --customers 1000000   # the issue's size, ~10M rows
    python benchmarks/bench_summary.py --profile --skip lifetimes --repeats 1

lifetimes is a benchmark and test dependency only, never imported by the package.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

IMPLEMENTATIONS = ("lifetimes", "pandas", "ours summary", "ours summary+stages")
AS_OF = "2025-12-31"
_START_DAY = np.datetime64("2023-01-01")
_DAYS = 1096


def write_log(path: Path, customers: int, per_customer: float, seed: int = 7,
              chunk: int = 100_000) -> int:
    """Write a synthetic transaction log as Parquet, a chunk of customers at a time.

    Each customer has ``1 + Poisson(per_customer - 1)`` transactions on days drawn uniformly
    from their first day to 2025-12-31, lognormal amounts. Returns the rows written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    schema = pa.schema([("customer_id", pa.string()), ("date", pa.date32()),
                        ("amount", pa.float64())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, customers, chunk):
            rng = np.random.default_rng([seed, start])
            ids = np.arange(start, min(start + chunk, customers))
            counts = 1 + rng.poisson(per_customer - 1, size=ids.size)
            first = rng.integers(0, _DAYS, size=ids.size)
            owner = np.repeat(np.arange(ids.size), counts)
            span = _DAYS - first[owner]
            day = first[owner] + (rng.random(owner.size) * span).astype(np.int64)
            day[np.r_[0, np.cumsum(counts)[:-1]]] = first  # each customer's first purchase
            amount = np.round(rng.lognormal(3.5, 1.0, size=owner.size), 2)
            names = np.char.add("C", np.char.zfill(ids.astype(str), 7))
            table = pa.table({
                "customer_id": pa.array(names[owner]),
                "date": pa.array((_START_DAY + day).astype("datetime64[D]")),
                "amount": pa.array(amount),
            }, schema=schema)
            writer.write_table(table)
            rows += table.num_rows
    return rows


def _read_frame(path: str) -> object:
    """The log as pandas, dates as ``datetime64`` (not Python ``date`` objects)."""
    import pandas as pd

    return pd.read_parquet(path, to_pandas_kwargs={"date_as_object": False})


def _run_lifetimes(path: str) -> object:
    from lifetimes.utils import summary_data_from_transaction_data

    frame = _read_frame(path)
    return summary_data_from_transaction_data(frame, "customer_id", "date", "amount",
                                              observation_period_end=AS_OF)


def _run_pandas(path: str) -> object:
    import pandas as pd

    frame = _read_frame(path)  # dates already datetime64: no pd.to_datetime copy
    frame = frame[frame["date"] <= pd.Timestamp(AS_OF)]
    daily = frame.groupby(["customer_id", "date"], sort=True)["amount"].sum().reset_index()
    per = daily.groupby("customer_id", sort=False)
    first, last = per["date"].min(), per["date"].max()
    days, total, first_total = per.size(), per["amount"].sum(), per["amount"].first()
    frequency = (days - 1).astype("float64")
    result = pd.DataFrame({
        "frequency": frequency,
        "recency": (last - first).dt.days.astype("float64"),
        "T": (pd.Timestamp(AS_OF) - first).dt.days.astype("float64"),
        "monetary_value": ((total - first_total) / frequency.where(frequency > 0)).fillna(0.0),
    })
    return result


def _run_ours_summary(path: str) -> object:
    from workbook.data.summary import summarize_customers

    return summarize_customers(path, AS_OF)


def _run_ours_stages(path: str) -> object:
    from workbook.data.load import load_customer_data
    from workbook.models.loyalty.ladder import assign_stages

    data = load_customer_data(path, as_of=AS_OF)
    return assign_stages(data)


def _profile_ours(path: str) -> None:
    """Print where ours spends its time, phase by phase (wall and CPU seconds)."""
    import datetime as dt

    for module in _OURS_MODULES:
        importlib.import_module(module)
    from workbook.data.load import load_customer_data, load_table
    from workbook.data.summary import _ascending, features_expr, summary_expr
    from workbook.models.loyalty.ladder import LadderParams, apply_ladder_rules

    as_of = dt.date.fromisoformat(AS_OF)
    clock = [time.perf_counter(), time.process_time()]

    def lap(label: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        print(f"  {label:<44}{now[0] - clock[0]:>7.3f} s wall{now[1] - clock[1]:>7.3f} s cpu")
        clock[:] = now

    print("ours summary, by phase:")
    table = load_table(path, "transactions", as_of=as_of)
    lap("open + validate (one pass)")
    expr = summary_expr(table, as_of)
    lap("build query (+ earliest date)")
    arrow = expr.to_pyarrow()
    lap("summary query, to Arrow")
    frame = arrow.to_pandas(date_as_object=False).set_index("customer_id")
    if not _ascending(arrow.column("customer_id")):  # as summarize_customers does
        frame.sort_index()
    lap("to pandas, index (order checked in Arrow)")
    print("ours summary+stages, by phase:")
    data = load_customer_data(path, as_of=as_of)
    lap("open + validate (one pass)")
    params = LadderParams()
    arrow = features_expr(data, as_of, params.ladder_period_days).to_pyarrow()
    lap("features query, to Arrow")
    features = arrow.to_pandas(date_as_object=False).set_index("customer_id").sort_index()
    lap("to pandas, index (as compute_features)")
    apply_ladder_rules(features, params, as_of)
    lap("ladder rules (numpy)")


_OURS_MODULES = ["ibis.backends.duckdb", "ibis.backends.duckdb.converter",
                 "ibis.expr.types.groupby", "ibis.formats.pandas", "ibis.formats.pyarrow",
                 "pyarrow.pandas_compat", "workbook.data.summary", "workbook.models.loyalty.ladder"]
"""What ours imports, before the clock starts (ibis loads its backend on the first connect)."""

_RUNNERS = {"lifetimes": _run_lifetimes, "pandas": _run_pandas,
            "ours summary": _run_ours_summary, "ours summary+stages": _run_ours_stages}


def _child(name: str, path: str) -> None:
    """Run one implementation once and print its time, peak memory and checksums as JSON."""
    warnings.simplefilter("ignore")
    if name == "profile":
        _profile_ours(path)
        return
    runner = _RUNNERS[name]
    # import what the runner needs before the clock starts, the modules its libraries import
    # lazily on first use included (ibis loads its DuckDB backend on the first connect)
    modules = ["pandas", "pyarrow.parquet", "pyarrow.pandas_compat"]
    if name == "lifetimes":
        modules += ["lifetimes.utils"]
    elif name.startswith("ours"):
        modules += _OURS_MODULES
    for module in modules:
        importlib.import_module(module)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = runner(path)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = after.ru_maxrss
    columns = ("frequency", "recency", "T", "monetary_value")
    sums = {c: float(result[c].sum()) for c in columns}  # type: ignore[index]
    extra = {}
    if "stage" in getattr(result, "columns", ()):
        extra["stages"] = {str(k): int(v) for k, v in
                           result["stage"].value_counts().items()}  # type: ignore[index]
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_kb / 1024,
                      "rows": len(result),
                      "sums": sums, **extra}))


def _measure(name: str, path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--child", name, str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check_agreement(first: dict[str, dict[str, object]]) -> None:
    reference = first["lifetimes"]
    for name, outcome in first.items():
        if outcome["rows"] != reference["rows"]:
            raise AssertionError(f"{name}: {outcome['rows']} customers, lifetimes "
                                 f"{reference['rows']}")
        for column, value in reference["sums"].items():  # type: ignore[union-attr]
            got = outcome["sums"][column]  # type: ignore[index]
            if not np.isclose(got, value, rtol=1e-9):
                raise AssertionError(f"{name}: sum of {column} {got} vs lifetimes {value}")


def main(argv: list[str] | None = None) -> int:
    """Generate the log, run every implementation ``--repeats`` times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000,
                        help="customers in the synthetic log (default 100,000; the issue: 1M)")
    parser.add_argument("--per-customer", type=float, default=10.0,
                        help="mean transactions per customer (default 10)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--skip", action="append", default=[], choices=IMPLEMENTATIONS,
                        help="leave an implementation out (repeatable)")
    parser.add_argument("--profile", action="store_true",
                        help="also print where ours spends its time, phase by phase")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0

    names = [n for n in IMPLEMENTATIONS if n not in args.skip]
    with tempfile.TemporaryDirectory(prefix="bench-summary-") as folder:
        path = Path(folder) / "transactions.parquet"
        started = time.perf_counter()
        rows = write_log(path, args.customers, args.per_customer)
        print(f"synthetic log: {args.customers:,} customers, {rows:,} transactions, "
              f"{path.stat().st_size / 2**20:.0f} MB Parquet "
              f"(written in {time.perf_counter() - started:.1f} s); {os.cpu_count()} cores")
        if args.profile:
            done = subprocess.run([sys.executable, __file__, "--child", "profile", str(path)],
                                  capture_output=True, text=True, check=True)
            print(done.stdout, end="")
        runs: dict[str, list[dict[str, object]]] = {n: [] for n in names}
        for _ in range(args.repeats):
            for name in names:  # interleaved, so drift hits every implementation alike
                runs[name].append(_measure(name, path))
        if "lifetimes" in runs:
            _check_agreement({n: r[0] for n, r in runs.items()})
            print("results agree (customers and column sums equal to lifetimes')")
    medians = {n: statistics.median(float(r["seconds"]) for r in runs[n]) for n in names}
    cpus = {n: statistics.median(float(r["cpu_seconds"]) for r in runs[n]) for n in names}
    peaks = {n: max(float(r["peak_mb"]) for r in runs[n]) for n in names}
    ours = "ours summary+stages" if "ours summary+stages" in names else "ours summary"
    bests = {n: min(float(r["seconds"]) for r in runs[n]) for n in names}
    print(f"\n{'implementation':<22}{'median s':>10}{'× ours':>8}{'best s':>8}{'× ours':>8}"
          f"{'cpu s':>8}{'× ours':>8}{'peak MB':>9}")
    for name in names:
        ratios = [f"{table[name] / table[ours]:.1f}" if ours in table else "—"
                  for table in (medians, bests, cpus)]
        print(f"{name:<22}{medians[name]:>10.2f}{ratios[0]:>8}{bests[name]:>8.2f}{ratios[1]:>8}"
              f"{cpus[name]:>8.2f}{ratios[2]:>8}{peaks[name]:>9.0f}")
    print(f"(medians of {args.repeats} runs, each in a fresh process, from the Parquet file to "
          f"the DataFrame; '× ours' divides by {ours}; best s is the fastest run (the least "
          "disturbed by other work on a shared machine); cpu s is the median user + system "
          "time of all threads; peak MB is the largest max RSS)")
    print("load average while running: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
