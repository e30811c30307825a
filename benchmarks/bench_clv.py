"""Benchmark: fitting BG/NBD and Gamma-Gamma on a large synthetic customer base.

Side by side in one run, on the same simulated summary (:mod:`workbook.models.value.simulate`, whole
days, first purchases spread over three years):

- ``lifetimes BG/NBD``: ``lifetimes.BetaGeoFitter().fit`` (autograd gradients, BFGS);
- ``ours BG/NBD``: :func:`workbook.models.value.fit_bgnbd` (analytic gradient, L-BFGS-B, identical
  histories fitted once with a weight);
- ``lifetimes Gamma-Gamma``: ``lifetimes.GammaGammaFitter().fit`` on the repeat buyers;
- ``ours Gamma-Gamma``: :func:`workbook.models.value.fit_gamma_gamma`.

Each measurement runs in a fresh child process, which times the fit alone (data loaded and
imports done before the clock starts) and reports its peak resident memory (max RSS, data
included). The log-likelihoods are compared in the same units (BG/NBD: total, time in days;
lifetimes' value converted from its mean on time scaled by 1/max(T)). Prints medians over the
repeats, the ratios to ours and the relative log-likelihood differences.

Usage::

    python benchmarks/bench_clv.py                        # quick: 200k customers, ~1 min
    python benchmarks/bench_clv.py --customers 1000000    # the issue's size

lifetimes is a benchmark and test dependency only, never imported by the package.
"""

from __future__ import annotations

import argparse
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

IMPLEMENTATIONS = ("lifetimes BG/NBD", "ours BG/NBD", "lifetimes Gamma-Gamma",
                   "ours Gamma-Gamma")
BGNBD = {"r": 0.55, "alpha": 34.0, "a": 2.0, "b": 13.6}  # close to the sample business's fit
GAMMA_GAMMA = {"p": 2.0, "q": 3.0, "v": 120.0}
_DAYS = 1096


def write_summary(path: Path, customers: int, seed: int = 7) -> dict[str, float]:
    """Simulate ``customers`` histories and spends into an ``.npz`` file; a few facts."""
    from workbook.models.value.simulate import simulate_bgnbd, simulate_gamma_gamma

    rng = np.random.default_rng(seed)
    age = rng.integers(1, _DAYS, size=customers).astype(np.float64)
    data = simulate_bgnbd(customers, **BGNBD, T_days=age, seed=seed + 1, whole_days=True)
    x = data["frequency"].to_numpy()
    spend = np.round(simulate_gamma_gamma(x, **GAMMA_GAMMA, seed=seed + 2), 2)
    spend = np.where(x > 0, np.maximum(spend, 0.01), 0.0)
    np.savez(path, frequency=x, recency=data["recency"].to_numpy(), T=data["T"].to_numpy(),
             monetary_value=spend)
    rows = np.unique(np.column_stack([x, data["recency"], data["T"]]), axis=0).shape[0]
    return {"repeat_buyers": int((x > 0).sum()), "distinct_histories": int(rows)}


def _bgnbd_lifetimes(d: dict[str, np.ndarray]) -> dict[str, object]:
    from lifetimes import BetaGeoFitter

    fit = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
    n, scale = d["frequency"].size, float(d["T"].max())
    ll = -fit._negative_log_likelihood_ * n - float(d["frequency"].sum()) * np.log(scale)
    return {"ll": float(ll), "params": {k: float(v) for k, v in fit.params_.items()}}


def _bgnbd_ours(d: dict[str, np.ndarray]) -> dict[str, object]:
    from workbook.models.value import fit_bgnbd

    fit = fit_bgnbd(d["frequency"], d["recency"], d["T"])
    return {"ll": fit.log_likelihood, "params": fit.params}


def _repeat(d: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    repeat = d["frequency"] > 0
    return d["frequency"][repeat], d["monetary_value"][repeat]


def _gg_lifetimes(d: dict[str, np.ndarray]) -> dict[str, object]:
    from lifetimes import GammaGammaFitter

    x, m = _repeat(d)
    fit = GammaGammaFitter().fit(x, m)
    return {"ll": float(-fit._negative_log_likelihood_ * x.size),
            "params": {k: float(v) for k, v in fit.params_.items()}}


def _gg_ours(d: dict[str, np.ndarray]) -> dict[str, object]:
    from workbook.models.value import fit_gamma_gamma

    fit = fit_gamma_gamma(d["frequency"], d["monetary_value"])
    return {"ll": fit.log_likelihood, "params": fit.params}


_RUNNERS = {"lifetimes BG/NBD": _bgnbd_lifetimes, "ours BG/NBD": _bgnbd_ours,
            "lifetimes Gamma-Gamma": _gg_lifetimes, "ours Gamma-Gamma": _gg_ours}


def _child(name: str, path: str) -> None:
    """Fit once and print the time, CPU time, peak memory, log-likelihood and parameters."""
    warnings.simplefilter("ignore")
    if name.startswith("lifetimes"):
        import lifetimes  # noqa: F401  (imported before the clock starts)
    else:
        import workbook.models.value  # noqa: F401
    with np.load(path) as archive:
        data = {k: archive[k] for k in archive.files}
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    outcome = _RUNNERS[name](data)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu,
                      "peak_mb": after.ru_maxrss / 1024, **outcome}))


def _measure(name: str, path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--child", name, str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Simulate the base, run every implementation ``--repeats`` times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=200_000,
                        help="customers simulated (default 200,000; the issue: 1,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--skip", action="append", default=[], choices=IMPLEMENTATIONS,
                        help="leave an implementation out (repeatable)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0

    names = [n for n in IMPLEMENTATIONS if n not in args.skip]
    with tempfile.TemporaryDirectory(prefix="bench-clv-") as folder:
        path = Path(folder) / "summary.npz"
        started = time.perf_counter()
        facts = write_summary(path, args.customers)
        print(f"synthetic base: {args.customers:,} customers, {facts['repeat_buyers']:,} repeat "
              f"buyers, {facts['distinct_histories']:,} distinct (frequency, recency, T) "
              f"(simulated in {time.perf_counter() - started:.1f} s); {os.cpu_count()} cores")
        print(f"true parameters: BG/NBD {BGNBD}, Gamma-Gamma {GAMMA_GAMMA}")
        runs: dict[str, list[dict[str, object]]] = {n: [] for n in names}
        for _ in range(args.repeats):
            for name in names:  # interleaved, so drift hits every implementation alike
                runs[name].append(_measure(name, path))
    medians = {n: statistics.median(float(r["seconds"]) for r in runs[n]) for n in names}
    cpus = {n: statistics.median(float(r["cpu_seconds"]) for r in runs[n]) for n in names}
    peaks = {n: max(float(r["peak_mb"]) for r in runs[n]) for n in names}
    print(f"\n{'implementation':<24}{'median s':>10}{'× ours':>8}{'cpu s':>8}{'× ours':>8}"
          f"{'peak MB':>9}  log-likelihood")
    for name in names:
        ours = "ours " + name.split(" ", 1)[1]
        wall = f"{medians[name] / medians[ours]:.1f}" if ours in medians else "—"
        cpu = f"{cpus[name] / cpus[ours]:.1f}" if ours in cpus else "—"
        print(f"{name:<24}{medians[name]:>10.2f}{wall:>8}{cpus[name]:>8.2f}{cpu:>8}"
              f"{peaks[name]:>9.0f}  {float(runs[name][0]['ll']):.10g}")
    for model in ("BG/NBD", "Gamma-Gamma"):
        theirs, ours = f"lifetimes {model}", f"ours {model}"
        if theirs in runs and ours in runs:
            a, b = float(runs[theirs][0]["ll"]), float(runs[ours][0]["ll"])
            print(f"{model}: log-likelihood relative difference {abs(a - b) / abs(a):.2e} "
                  f"(ours {'higher' if b >= a else 'lower'}); parameters ours "
                  f"{_rounded(runs[ours][0]['params'])}, lifetimes "
                  f"{_rounded(runs[theirs][0]['params'])}")
    print(f"(medians of {args.repeats} runs, each in a fresh process, the fit alone; '× ours' "
          "divides by ours; cpu s is user + system time of all threads; peak MB is the largest "
          "max RSS, data included)")
    print("load average while running: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


def _rounded(params: object) -> dict[str, float]:
    return {k: float(f"{v:.5g}") for k, v in dict(params).items()}  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
