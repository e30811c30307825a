"""Shared input handling: identical rows merged, errors named, BLAS threads limited in fits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_info, threadpool_limits

from workbook.models.value.inputs import (
    FIT_BLAS_THREADS,
    ClvError,
    column,
    fit_log_params,
    unique_rows,
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0, 3, allow_subnormal=False),
                          st.sampled_from([10.0, 20.5])), min_size=1, max_size=60))
def test_unique_rows_round_trip_and_weights_add_up(rows) -> None:
    x, t_x, t = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    weights = np.arange(1, x.size + 1, dtype=float)
    (ux, utx, ut), merged, inverse = unique_rows([x, t_x, t], weights)
    assert np.array_equal(ux[inverse], x) and np.array_equal(utx[inverse], t_x)
    assert np.array_equal(ut[inverse], t)
    assert merged.sum() == pytest.approx(weights.sum())
    assert len(set(zip(ux, utx, ut, strict=True))) == ux.size  # no row left twice


def test_column_names_the_first_bad_rows() -> None:
    with pytest.raises(ClvError, match=r"T: negative values in 2 row\(s\), first at position"
                                       r"\(s\) 1, 3"):
        column("T", [1.0, -1.0, 2.0, -5.0])
    with pytest.raises(ClvError, match="expected 3 values"):
        column("recency", [1.0], size=3)


def blas_threads() -> list[int]:
    """Threads of every BLAS loaded in this process, as threadpoolctl reports them."""
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_a_fit_runs_blas_on_one_thread_and_restores_the_counts() -> None:
    if not blas_threads():
        pytest.skip("no BLAS thread pool that threadpoolctl can see in this process")
    seen: list[list[int]] = []

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        seen.append(blas_threads())
        return float(theta @ theta), 2.0 * theta  # minimum at 0

    with threadpool_limits(limits=2, user_api="blas"):  # so that one thread is a change
        before = blas_threads()
        theta, _ = fit_log_params(objective, np.array([1.0, -2.0]), ["a", "b"], "test")
        after = blas_threads()
    assert np.allclose(theta, 0.0, atol=1e-6)
    assert seen and all(inside == [FIT_BLAS_THREADS] * len(before) for inside in seen)
    assert after == before
