"""Shared input handling: identical rows merged, errors named, BLAS threads restored."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.models.value import inputs
from workbook.models.value.inputs import ClvError, column, single_blas_thread, unique_rows


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


def test_single_blas_thread_restores_thread_counts() -> None:
    with single_blas_thread():  # finds the libraries on first use
        pass
    counts = [int(get()) for get, _ in inputs._blas_controls or []]
    with single_blas_thread():
        inside = [int(get()) for get, _ in inputs._blas_controls or []]
    assert inside == [1] * len(counts)
    assert [int(get()) for get, _ in inputs._blas_controls or []] == counts
