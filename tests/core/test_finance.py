"""Discounting and payback against textbook values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.core.finance import discount_factors, net_present_value, payback_months


def test_npv_textbook_value() -> None:
    # Brealey & Myers style: -1000 today, 500 for three years at 10 % -> 243.43
    assert net_present_value(0.10, [-1000, 500, 500, 500]) == pytest.approx(243.4260, abs=1e-4)


def test_npv_at_zero_rate_is_the_sum() -> None:
    assert net_present_value(0.0, [-5, 2, 2, 2]) == 1


@pytest.mark.parametrize(
    ("flows", "months"),
    [([-100, 50, 50, 50], 24.0), ([-100, 200], 6.0), ([0, 10], 0.0), ([-100, 40, 40], None),
     ([-100, 150, -100, 100], 30.0), ([-100, 100], None)],
)
def test_payback_months(flows: list[float], months: float | None) -> None:
    assert payback_months(flows) == months


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12))
def test_payback_exists_iff_cumulative_ends_positive(flows: list[float]) -> None:
    months = payback_months(flows)
    assert (months is not None) == (np.cumsum(flows)[-1] > 0)
    if months is not None:
        assert 0 <= months <= 12 * (len(flows) - 1)


def test_discount_factors_start_at_one_and_fall() -> None:
    factors = discount_factors(0.05, 4)
    assert factors[0] == 1 and all(factors[1:] < factors[:-1])
