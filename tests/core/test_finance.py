"""Discounting, payback and lifetime value against textbook values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.core.finance import (
    customer_lifetime_value,
    discount_factors,
    net_present_value,
    payback_months,
)


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


def test_customer_value_against_net_present_value_and_the_open_horizon() -> None:
    flows = [0.0] + [420 * 0.75 ** (t - 1) for t in range(1, 6)]
    assert customer_lifetime_value(420, 0.75, 0.08, 5) == pytest.approx(
        net_present_value(0.08, flows), rel=1e-12)
    assert customer_lifetime_value(420, 0.75, 0.08, 50) == pytest.approx(
        customer_lifetime_value(420, 0.75, 0.08), rel=1e-6)


def test_open_horizon_lifetime_value_gupta_lehmann() -> None:
    # m / (1 + d - r): 420 / (1.08 - 0.75) = 1272.73
    assert customer_lifetime_value(420.0, 0.75, 0.08) == pytest.approx(1272.7272727)


def test_customer_value_on_arrays_equals_each_number_exactly() -> None:
    retention = np.array([0.5, 0.75, 0.9])
    horizons = np.array([1, 5, 3])
    values = customer_lifetime_value(420.0, retention, 0.08, horizons)
    singles = [customer_lifetime_value(420.0, r, 0.08, h)
               for r, h in zip(retention.tolist(), horizons.tolist(), strict=True)]
    assert values.tolist() == singles
