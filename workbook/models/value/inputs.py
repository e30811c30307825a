"""Checked inputs, weighting of identical customers and the shared maximum-likelihood driver.

Every fit in :mod:`workbook.models.value` goes through these helpers, so bad input is refused
the same way everywhere (:class:`ClvError`, naming the column, the cause and the first offending
rows) and an optimiser that fails says why instead of returning NaN parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

__all__ = [
    "FIT_BLAS_THREADS",
    "ClvError",
    "check_purchase_history",
    "column",
    "dot",
    "fit_log_params",
    "log_space_standard_errors",
    "objective_hessian",
    "unique_rows",
]

Objective = Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]]
"""Mean negative log-likelihood and its gradient, both in log-parameter space."""

FIT_BLAS_THREADS = 1
"""BLAS threads while an optimiser runs (:func:`fit_log_params`).

L-BFGS-B calls BLAS on vectors of 3 or 4 numbers; OpenBLAS's worker threads only add wake-up
latency there, which on a busy machine made the optimiser's own steps cost more than the
likelihood (measured here: 0.23 s of CPU for 32 iterations with threads, 0.002 s without). The
limit is set with :func:`threadpoolctl.threadpool_limits` around each fit and restored after it.
"""

_SHOWN = 5
_LOG_BOUND = 30.0  # log-parameters are kept within ±30 (parameters within e^±30)


class ClvError(ValueError):
    """Purchase data a lifetime-value model cannot be fitted to or evaluated on.

    The message names the column and the cause (NaN, a negative value, recency after ``T``,
    no repeat buyers, an optimiser that did not converge) and the first offending rows.
    """


def _rows(mask: NDArray[np.bool_]) -> str:
    where = np.flatnonzero(mask)
    shown = ", ".join(str(i) for i in where[:_SHOWN])
    more = f" and {where.size - _SHOWN} more" if where.size > _SHOWN else ""
    return f"{where.size} row(s), first at position(s) {shown}{more}"


def column(name: str, values: ArrayLike, *, size: int | None = None) -> NDArray[np.float64]:
    """``values`` as a 1-D float array, refusing NaN, infinity and negative numbers.

    Raises
    ------
    ClvError
        Naming ``name`` and the first offending positions (0-based).
    """
    try:
        array = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as error:
        raise ClvError(f"{name}: expected numbers; {error}") from None
    if size is not None and array.size != size:
        raise ClvError(f"{name}: expected {size} values, one per customer; got {array.size}")
    bad = ~np.isfinite(array)
    if bad.any():
        raise ClvError(f"{name}: NaN or infinite values in {_rows(bad)}")
    negative = array < 0
    if negative.any():
        raise ClvError(f"{name}: negative values in {_rows(negative)}")
    return array


def check_purchase_history(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Frequency, recency and ``T`` as checked float arrays (lifetimes' definitions).

    Frequency must be a whole number of repeat purchases, ``recency <= T``, and recency must be
    0 where frequency is 0 (no repeat purchase, no last repeat purchase).
    """
    x = column("frequency", frequency)
    t_x = column("recency", recency, size=x.size)
    t = column("T", T, size=x.size)
    if x.size == 0:
        raise ClvError("frequency: no customers")
    fractional = x != np.floor(x)
    if fractional.any():
        raise ClvError(f"frequency: whole numbers of repeat purchases expected; fractions in "
                       f"{_rows(fractional)}")
    late = t_x > t * (1 + 1e-12)
    if late.any():
        raise ClvError(f"recency: after T (the last purchase after the end of observation) in "
                       f"{_rows(late)}")
    stray = (x == 0) & (t_x > 0)
    if stray.any():
        raise ClvError(f"recency: must be 0 where frequency is 0; not so in {_rows(stray)}")
    return x, t_x, t


def unique_rows(
    columns: Sequence[NDArray[np.float64]], weights: NDArray[np.float64]
) -> tuple[list[NDArray[np.float64]], NDArray[np.float64], NDArray[np.intp]]:
    """Identical rows of ``columns`` merged, their weights added.

    Returns ``(unique columns, weights, inverse)`` with ``column[inverse]`` giving back every
    original row (rows in order of first appearance). Each column is factorised by hashing
    (:func:`pandas.factorize`, linear time), the codes are packed into one integer key and the
    key is factorised again: no sort of the rows.
    """
    key = np.zeros(columns[0].size, dtype=np.int64)
    radix = 1
    for values in columns:
        codes, uniques = pd.factorize(values)
        radix *= max(len(uniques), 1)
        if radix >= 2**62:  # too many distinct values to pack: sort the rows instead
            rows, inverse = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            merged = np.bincount(inverse, weights=weights, minlength=rows.shape[0])
            return [rows[:, j].copy() for j in range(rows.shape[1])], merged, inverse
        key = key * max(len(uniques), 1) + codes
    inverse, distinct = pd.factorize(key)
    first = np.full(len(distinct), -1, dtype=np.intp)
    first[inverse[::-1]] = np.arange(inverse.size - 1, -1, -1)
    merged = np.bincount(inverse, weights=weights, minlength=len(distinct))
    return [values[first] for values in columns], merged, inverse.astype(np.intp)


def dot(left: NDArray[np.float64], right: NDArray[np.float64]) -> float:
    """Sum of products of two vectors, without BLAS (whose threads stall on a busy machine)."""
    return float(np.einsum("i,i->", left, right))


def fit_log_params(objective: Objective, start: NDArray[np.float64], names: Sequence[str],
                   model: str, *, curvature: NDArray[np.float64] | None = None,
                   ) -> tuple[NDArray[np.float64], int]:
    """Minimise ``objective`` over log-parameters with L-BFGS-B; the optimum and iterations.

    ``curvature``, a positive-definite estimate of the objective's Hessian near ``start``
    (e.g. from a fit to a subsample), preconditions the search: it runs over
    :math:`\\varphi` with :math:`\\theta = \\theta_0 + L^{-T}\\varphi`, :math:`LL^T` the
    curvature, where the objective is nearly round and L-BFGS-B needs few iterations.

    BLAS runs on :data:`FIT_BLAS_THREADS` thread(s) during the search
    (:func:`threadpoolctl.threadpool_limits`); the thread counts are restored afterwards.

    Raises
    ------
    ClvError
        When the optimiser stops without converging, or a parameter runs to ±30 on the log
        scale (the data do not pin it down), naming the parameter and the optimiser's message.
    """
    size = len(start)
    if curvature is not None:
        try:
            lower = np.linalg.cholesky(curvature)
        except np.linalg.LinAlgError:
            curvature = None
    if curvature is None:
        transform = np.eye(size)
        bounds: list[tuple[float, float]] | None = [(-_LOG_BOUND, _LOG_BOUND)] * size
    else:
        transform = np.linalg.inv(lower).T
        bounds = None

    def rounded(phi: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        value, gradient = objective(start + transform @ phi)
        return value, transform.T @ gradient

    with np.errstate(all="ignore"), threadpool_limits(limits=FIT_BLAS_THREADS, user_api="blas"):
        result = minimize(rounded, np.zeros(size), jac=True, method="L-BFGS-B", bounds=bounds,
                          options={"maxiter": 2_000, "ftol": 1e-15, "gtol": 1e-9})
        theta = start + transform @ result.x
        value, gradient = float(result.fun), np.asarray(result.jac)
    if not np.isfinite(value) or not np.all(np.isfinite(theta)):
        raise ClvError(f"{model}: the likelihood is not finite at the optimiser's last point; "
                       f"check the input for extreme values ({result.message})")
    if not result.success and float(np.max(np.abs(gradient))) > 1e-5:
        raise ClvError(f"{model}: the optimiser did not converge after {result.nit} "
                       f"iterations: {result.message}")
    stuck = [n for n, v in zip(names, theta, strict=True) if abs(v) >= _LOG_BOUND - 1e-6]
    if stuck:
        raise ClvError(f"{model}: parameter(s) {', '.join(stuck)} ran to the edge of the search "
                       f"range (e^±{_LOG_BOUND:g}): the data do not identify them (too few "
                       f"customers or repeat purchases?)")
    return theta, int(result.nit)


def objective_hessian(objective: Objective, theta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hessian of ``objective`` at ``theta``: forward differences of the analytic gradient."""
    step = 1e-6
    size = theta.size
    hessian = np.empty((size, size))
    at_theta = objective(theta)[1]  # not the optimiser's: that one is in its own coordinates
    for j in range(size):
        shift = np.zeros(size)
        shift[j] = step
        hessian[:, j] = (objective(theta + shift)[1] - at_theta) / step
    return 0.5 * (hessian + hessian.T)


def log_space_standard_errors(objective: Objective, theta: NDArray[np.float64],
                              total_weight: float) -> NDArray[np.float64]:
    """Standard errors of the parameters ``exp(theta)`` from the observed information.

    ``objective`` is the *mean* negative log-likelihood over ``total_weight`` customers. The
    Hessian of the total in log-parameters is taken by forward differences of the analytic
    gradient (:func:`objective_hessian`); by the delta method ``se(p) = p * se(log p)``.
    Where the Hessian is not positive definite the likelihood is flat in that direction and the
    standard error is reported as infinite (never NaN).
    """
    size = theta.size
    hessian = objective_hessian(objective, theta) * total_weight
    try:
        np.linalg.cholesky(hessian)
        variance = np.diag(np.linalg.inv(hessian))
    except np.linalg.LinAlgError:
        return np.full(size, math.inf)
    errors = np.exp(theta) * np.sqrt(np.where(variance > 0, variance, np.inf))
    return np.where(np.isfinite(errors), errors, math.inf)
