"""The imitation moat: a price cut < a new product < a service strategy, in years and value."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.registry import get_assumption
from workbook.core.validation import ParameterError
from workbook.models.roi.moat import (
    ADVANTAGES,
    MoatParams,
    compute_moat,
    cumulative_value,
    format_duration,
    present_value_until_imitated,
)


def registry_range(key: str) -> st.SearchStrategy[float]:
    a = get_assumption(key)
    return st.floats(a.low, a.high)


# --- Known values ---------------------------------------------------------------------------

def test_seed_002_imitation_times_in_years() -> None:
    years = MoatParams().imitation_years
    assert years == pytest.approx({"price_cut": 1 / 365, "new_product": 0.75,
                                   "service_strategy": 10.0})
    table = compute_moat().table
    # the text's range for a new product: 6-12 months
    assert (table.loc["new_product", "imitation_years_low"],
            table.loc["new_product", "imitation_years_high"]) == pytest.approx((0.5, 1.0))


def test_without_discounting_value_is_profit_times_duration() -> None:
    assert present_value_until_imitated(100_000, 1 / 365, 0.0) == pytest.approx(100_000 / 365)
    table = compute_moat(MoatParams(discount_rate=0.0, advantage_excess_profit=1_000)).table
    assert table["present_value"].tolist() == pytest.approx([1_000 / 365, 750, 10_000])


def test_continuous_annuity_matches_the_annuity_table_8pct_10_years() -> None:
    # Annuity tables: a(10 years, 8 %) = 6.7101 paid at year ends; paid continuously the
    # value is i / delta times that (Bowers et al., Actuarial Mathematics, section 5.2).
    continuous = 6.7101 * 0.08 / math.log(1.08)
    assert present_value_until_imitated(1.0, 10, 0.08) == pytest.approx(continuous, abs=1e-4)


def test_discounting_agrees_with_year_end_factors() -> None:
    # One more year of profit is worth E * integral over [t, t+1] of (1.08)^-s ds.
    earned = present_value_until_imitated(1.0, np.array([3.0, 4.0]), 0.08)
    assert earned[1] - earned[0] == pytest.approx(1.08**-3 * (1 - 1 / 1.08) / math.log(1.08))


# --- Properties -----------------------------------------------------------------------------

def test_default_moat_is_ordered_and_service_is_worth_thousands_of_price_cuts() -> None:
    result = compute_moat()
    value = result.table["present_value"]
    assert value["price_cut"] < value["new_product"] < value["service_strategy"]
    headline = result.headline()
    assert headline["service_vs_price_cut"] > 1_000
    assert headline["service_vs_product"] == pytest.approx(
        value["service_strategy"] / value["new_product"])


@settings(max_examples=50, deadline=None)
@given(registry_range("imitation_days_price_cut"), registry_range("imitation_months_product"),
       registry_range("imitation_service_strategy"), st.floats(0, 0.2),
       st.floats(1_000, 1_000_000))
def test_ordering_price_product_service_holds_over_the_registry_ranges(
    days: float, months: float, years: float, rate: float, profit: float
) -> None:
    params = MoatParams(imitation_days_price_cut=days, imitation_months_product=months,
                        imitation_service_strategy=years, discount_rate=rate,
                        advantage_excess_profit=profit)
    table = compute_moat(params).table
    for column in ("imitation_years", "present_value"):
        price, product, service = table.loc[list(ADVANTAGES), column]
        assert price < product < service
    assert (table["present_value_low"] <= table["present_value"] + 1e-9).all()
    assert (table["present_value"] <= table["present_value_high"] + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 50), st.floats(0, 50), st.floats(0, 1))
def test_longer_moats_are_worth_more(a: float, b: float, rate: float) -> None:
    short, long = sorted((a, b))
    assert (present_value_until_imitated(1.0, short, rate)
            <= present_value_until_imitated(1.0, long, rate) + 1e-12)
    assert present_value_until_imitated(1.0, long, rate) <= long + 1e-9  # never above E*T


def test_range_widens_to_include_a_value_set_outside_it() -> None:
    table = compute_moat(MoatParams(imitation_service_strategy=40)).table
    assert table.loc["service_strategy", "imitation_years_high"] == 40
    assert table.loc["service_strategy", "imitation_years_low"] == 5


def test_cumulative_value_rises_then_stays_flat_once_copied() -> None:
    params = MoatParams()
    earned = cumulative_value(params, [0, 0.5, 0.75, 1, 10, 30])
    assert earned.loc[0.0].tolist() == [0, 0, 0]
    assert earned.loc[1.0, "new_product"] == earned.loc[0.75, "new_product"]
    assert earned.loc[30.0, "service_strategy"] == pytest.approx(
        compute_moat(params).table.loc["service_strategy", "present_value"])
    assert (earned.diff().dropna() >= 0).all().all()
    with pytest.raises(ParameterError, match="years"):
        cumulative_value(params, [-1, 2])


# --- Inputs and text ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("imitation_days_price_cut", -1, "imitation_days_price_cut: expected a number from 0"),
        ("imitation_months_product", math.inf, "imitation_months_product"),
        ("advantage_excess_profit", -5, "advantage_excess_profit: expected a number of at least 0"),
        ("discount_rate", 1.5, "discount_rate: expected a fraction"),
    ],
)
def test_invalid_inputs_are_refused(field: str, value: float, fragment: str) -> None:
    with pytest.raises(ParameterError, match=fragment):
        MoatParams(**{field: value})


def test_no_profit_means_no_ratio_to_the_price_cut() -> None:
    table = compute_moat(MoatParams(advantage_excess_profit=0)).table
    assert table["present_value"].tolist() == [0, 0, 0]
    assert table["times_price_cut"].isna().all()


@pytest.mark.parametrize(
    ("years", "text"),
    [(1 / 365, "1 day"), (0.5 / 365, "0.5 days"), (0.75, "9 months"), (1.0, "12 months"),
     (10, "10 years"), (2.5, "2.5 years"), (math.inf, "—")],
)
def test_durations_read_in_days_months_or_years(years: float, text: str) -> None:
    assert format_duration(years) == text
