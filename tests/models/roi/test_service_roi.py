"""The service-ROI model: hand-computed known values and properties."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.finance import net_present_value
from workbook.core.validation import ParameterError
from workbook.models.roi.service_roi import (
    ServiceRoiParams,
    compute_service_roi,
    customer_lifetime_value,
)

# Registry defaults, worked by hand (8 % over 5 years: annuity factor (1 - 1.08**-5) / 0.08).
ANNUITY_5Y_8PCT = 3.992710037
SPEND_MARGIN = 10_000 * 0.5 * 1_200 * 0.09 * 0.35  # 189,000 a year
AVOIDED = 10_000 * 0.5 * 0.03 * (5 * 50)  # 150 kept a year x 250 = 37,500
NET_YEARLY = SPEND_MARGIN + AVOIDED - 80_000  # 146,500


def test_default_business_known_values_by_hand() -> None:
    result = compute_service_roi(ServiceRoiParams())
    npv = -200_000 + NET_YEARLY * ANNUITY_5Y_8PCT
    assert result.npv == pytest.approx(npv, rel=1e-9)
    assert result.npv == pytest.approx(384_932.02, abs=0.01)
    assert result.roi == pytest.approx(npv / (200_000 + 80_000 * ANNUITY_5Y_8PCT), rel=1e-9)
    assert result.payback_months == pytest.approx(12 * 200_000 / NET_YEARLY)
    break_even = (200_000 / ANNUITY_5Y_8PCT + 80_000 - AVOIDED) / (10_000 * 0.5 * 1_200 * 0.35)
    assert result.break_even_spend_uplift_rate == pytest.approx(break_even, rel=1e-9)
    assert result.clv_before == pytest.approx(420 / (1.08 - 0.75))
    assert result.clv_after_excellent == pytest.approx(420 * 1.09 / (1.08 - 0.78))
    assert result.clv_after == pytest.approx(0.5 * 420 / 0.33 + 0.5 * 457.8 / 0.30)
    assert result.customers_kept[1:] == pytest.approx([150.0] * 5)
    assert result.acquisition_spend_avoided[1:] == pytest.approx([AVOIDED] * 5)


def test_value_drivers_add_up_to_npv() -> None:
    result = compute_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.05,
                                                  horizon_years=7))
    assert sum(result.value_drivers.values()) == pytest.approx(result.npv)


def test_npv_matches_the_generic_discounting() -> None:
    result = compute_service_roi(ServiceRoiParams(discount_rate=0.12))
    assert result.npv == pytest.approx(net_present_value(0.12, result.cash_flow))


def test_acquisition_cost_defaults_to_five_times_retention_cost() -> None:
    params = ServiceRoiParams(retention_cost_per_customer=80)
    assert params.acquisition_cost == 400
    assert ServiceRoiParams(acquisition_cost_per_customer=123).acquisition_cost == 123


def test_no_investment_means_no_roi_and_immediate_payback() -> None:
    result = compute_service_roi(ServiceRoiParams(upfront_investment=0, annual_service_cost=0))
    assert result.roi is None
    assert result.payback_months == 0.0


def test_nobody_reached_means_no_break_even_uplift() -> None:
    result = compute_service_roi(ServiceRoiParams(excellent_service_share=0))
    assert result.break_even_spend_uplift_rate is None
    assert result.npv < 0


def test_clv_geometric_series_by_hand() -> None:
    # m = 100, r = 0.5, d = 0: 100 * (1 + 0.5 + 0.25 + ...) = 200
    assert customer_lifetime_value(100, 0.5, 0.0) == pytest.approx(200)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("spend_uplift_excellent_service", 9, "fraction from 0 to 1"),
        ("annual_retention_rate", 1.0, "fraction from 0 to 0.99"),
        ("customers", 0, "whole number of at least 1"),
        ("customers", 10.5, "whole number"),
        ("upfront_investment", -1, "at least 0"),
        ("discount_rate", math.nan, "fraction"),
        ("horizon_years", 51, "from 1 to 50"),
        ("gross_margin_rate", True, "fraction"),
        ("spend_uplift_excellent_service", "0.1", "fraction"),
    ],
)
def test_invalid_values_name_the_parameter(field: str, value: object, fragment: str) -> None:
    with pytest.raises(ParameterError) as caught:
        ServiceRoiParams(**{field: value})
    assert caught.value.name == field
    assert fragment in str(caught.value)


def test_retention_with_uplift_must_stay_below_one() -> None:
    with pytest.raises(ParameterError,
                       match=re.escape("retention_uplift_rate: expected at most 0.04")):
        ServiceRoiParams(annual_retention_rate=0.95, retention_uplift_rate=0.08)


# --- properties ---------------------------------------------------------------------------

fractions = st.floats(0.0, 1.0, allow_nan=False)
params_strategy = st.builds(
    ServiceRoiParams,
    customers=st.integers(1, 200_000),
    annual_spend_per_customer=st.floats(1, 10_000),
    gross_margin_rate=st.floats(0.01, 1.0),
    annual_retention_rate=st.floats(0.0, 0.8),
    excellent_service_share=st.floats(0.01, 1.0),
    spend_uplift_excellent_service=st.floats(0.0, 0.5),
    retention_uplift_rate=st.floats(0.0, 0.09),
    upfront_investment=st.floats(0, 2_000_000),
    annual_service_cost=st.floats(0, 1_000_000),
    horizon_years=st.integers(1, 15),
    discount_rate=st.floats(0.0, 0.3),
)


@settings(max_examples=200, deadline=None)
@given(params_strategy, st.floats(0.001, 0.3))
def test_npv_rises_with_spend_uplift(params: ServiceRoiParams, step: float) -> None:
    higher = params.replace(
        spend_uplift_excellent_service=min(1.0, params.spend_uplift_excellent_service + step))
    assert compute_service_roi(higher).npv > compute_service_roi(params).npv


@settings(max_examples=200, deadline=None)
@given(params_strategy, st.floats(0.001, 0.05))
def test_npv_rises_with_retention_uplift(params: ServiceRoiParams, step: float) -> None:
    higher = params.replace(retention_uplift_rate=params.retention_uplift_rate + step)
    assert compute_service_roi(higher).npv > compute_service_roi(params).npv


@settings(max_examples=100, deadline=None)
@given(params_strategy, st.floats(0.0, 0.09))
def test_baseline_retention_moves_lifetime_value_not_npv(params: ServiceRoiParams,
                                                          other: float) -> None:
    # The base is held constant by replacing lost customers (documented in compute_service_roi):
    # baseline retention changes what a customer is worth, not the programme's cash.
    moved = params.replace(annual_retention_rate=other)
    first, second = compute_service_roi(params), compute_service_roi(moved)
    assert second.npv == pytest.approx(first.npv, rel=1e-12, abs=1e-6)
    if other > params.annual_retention_rate + 1e-6:
        assert second.clv_before > first.clv_before


@settings(max_examples=200, deadline=None)
@given(params_strategy)
def test_npv_is_zero_at_the_break_even_uplift(params: ServiceRoiParams) -> None:
    result = compute_service_roi(params)
    assert result.break_even_spend_uplift_rate is not None
    # evaluate the affine NPV at the break-even point (it may lie outside [0, 1])
    at_zero = compute_service_roi(params.replace(spend_uplift_excellent_service=0.0)).npv
    at_one = compute_service_roi(params.replace(spend_uplift_excellent_service=1.0)).npv
    npv_at_break_even = at_zero + result.break_even_spend_uplift_rate * (at_one - at_zero)
    scale = max(abs(at_zero), abs(at_one), 1.0)
    assert abs(npv_at_break_even) <= 1e-9 * scale
    if 0.0 <= result.break_even_spend_uplift_rate <= 1.0:
        exact = compute_service_roi(
            params.replace(spend_uplift_excellent_service=result.break_even_spend_uplift_rate))
        assert abs(exact.npv) <= 1e-6 * scale


@settings(max_examples=200, deadline=None)
@given(params_strategy)
def test_payback_exists_iff_cumulative_cash_turns_positive(params: ServiceRoiParams) -> None:
    result = compute_service_roi(params)
    ends_positive = result.cumulative_cash[-1] > 0
    assert (result.payback_months is not None) == ends_positive
    if result.payback_months is not None:
        assert 0 <= result.payback_months <= 12 * params.horizon_years
