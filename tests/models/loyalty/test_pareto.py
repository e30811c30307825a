"""The 80/20 figures: known values from their sources, then properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.registry import default
from workbook.core.validation import ParameterError
from workbook.models.loyalty.pareto import (
    compute_pareto,
    gini_coefficient,
    lorenz_curve,
    pareto_by_segment,
    top_revenue_share,
)


def test_griffin_law_2_eighty_twenty_example() -> None:
    # Griffin (seed 003): about 80 % of revenue from 20 % of customers. Ten customers, the top
    # two spend 40 each, the other eight 2.5 each: exactly 80/20.
    revenue = [40, 40] + [2.5] * 8
    assert top_revenue_share(revenue) == pytest.approx(default("pareto_revenue_share"))
    assert default("pareto_top_customer_share") == 0.2


def test_gini_one_holder_is_n_minus_1_over_n_damgaard_weiner() -> None:
    # Damgaard & Weiner (2000): the sample Gini of one holder among n is (n - 1) / n.
    for n in (2, 5, 10):
        assert gini_coefficient([0] * (n - 1) + [7]) == pytest.approx((n - 1) / n)


def test_gini_of_equal_spend_is_zero_and_of_1_2_3_is_two_ninths() -> None:
    assert gini_coefficient([3, 3, 3]) == 0.0
    # mean absolute difference / (2 * mean): pairs |1-2|,|1-3|,|2-3| -> 2*(1+2+1)/9 / (2*2)
    assert gini_coefficient([1, 2, 3]) == pytest.approx(2 / 9)


def test_lorenz_curve_by_hand() -> None:
    x, y = lorenz_curve([3, 1])
    assert x.tolist() == [0.0, 0.5, 1.0]
    assert y.tolist() == [0.0, 0.25, 1.0]


def test_fractional_top_share_interpolates_between_customers() -> None:
    # 4 customers: top 10 % is 0.4 of the biggest one (40 of 100) -> 0.4 * 40 / 100
    assert top_revenue_share([10, 20, 30, 40], 0.1) == pytest.approx(0.16)


def test_negative_revenue_counts_as_zero_and_no_revenue_is_the_diagonal() -> None:
    assert top_revenue_share([-5, 0, 10, 0, 0], 0.2) == pytest.approx(1.0)
    x, y = lorenz_curve([0, 0])
    assert np.array_equal(x, y)
    assert gini_coefficient([0, 0, 0]) == 0.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ParameterError, match="revenue: expected at least one customer"):
        compute_pareto([])
    with pytest.raises(ParameterError, match="revenue: expected finite amounts"):
        compute_pareto([1, np.nan])
    with pytest.raises(ParameterError, match="top_share: expected a fraction"):
        compute_pareto([1, 2], 1.5)


def test_per_segment_table() -> None:
    revenue = pd.Series([40, 40, 2.5, 2.5, 10, 10])
    segment = pd.Series(["x", "x", "x", "x", "y", None])
    table = pareto_by_segment(revenue, segment)
    assert table.index.tolist() == ["unknown", "x", "y", "all"]
    assert table.loc["x", "customers"] == 4
    assert table.loc["y", "gini"] == 0.0
    assert table.loc[["unknown", "x", "y"], "revenue_share"].sum() == pytest.approx(1.0)
    assert table.loc["all", "revenue"] == pytest.approx(105)


def test_sample_business_is_near_80_20() -> None:
    from workbook.data.load import load_customer_data
    from workbook.models.loyalty.ladder import compute_ladder

    result = compute_ladder(load_customer_data())
    assert 0.7 < result.pareto.top_revenue_share < 0.85
    assert result.pareto_segments.loc["all", "customers"] == result.customers


# --- properties ---------------------------------------------------------------------------

amounts = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=200)


@settings(max_examples=300, deadline=None)
@given(amounts, st.floats(0.01, 1.0))
def test_top_share_lies_between_its_share_of_customers_and_one(revenue: list[float],
                                                               share: float) -> None:
    got = top_revenue_share(revenue, share)
    if sum(revenue) > 0:
        assert share - 1e-9 <= got <= 1 + 1e-9
    result = compute_pareto(revenue, share)
    assert 0.0 <= result.gini < 1.0


@settings(max_examples=200, deadline=None)
@given(amounts, st.floats(0.1, 1000), st.randoms(use_true_random=False))
def test_scale_and_order_do_not_matter(revenue: list[float], scale: float, rnd) -> None:
    shuffled = list(revenue)
    rnd.shuffle(shuffled)
    scaled = [v * scale for v in shuffled]
    assert gini_coefficient(scaled) == pytest.approx(gini_coefficient(revenue), abs=1e-9)
    assert top_revenue_share(scaled) == pytest.approx(top_revenue_share(revenue), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_gini_is_twice_the_area_between_diagonal_and_lorenz_curve(revenue: list[float]) -> None:
    x, y = lorenz_curve(revenue)
    assert np.all(np.diff(y) >= -1e-12)  # non-decreasing
    assert np.all(y <= x + 1e-12)  # below the diagonal
    area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
    expected = 1 - 2 * area if sum(revenue) > 0 else 0.0
    assert gini_coefficient(revenue) == pytest.approx(expected, abs=1e-9)
