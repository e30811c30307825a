"""Customer value on the sample: both fits, every customer valued, calibration numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.models.value.bgnbd import BgNbdFit, expected_purchases
from workbook.models.value.gamma_gamma import GammaGammaFit
from workbook.models.value.inputs import ClvError
from workbook.models.value.lifetime_value import (
    ClvParams,
    ClvResult,
    compute_customer_value,
    lifetime_value,
    probability_alive_matrix,
    value_by_stage,
)

FIT = BgNbdFit(0.55, 34.0, 2.0, 13.6, 0.0, {}, 1, 0)
GG = GammaGammaFit(p=2.0, q=3.0, v=40.0, log_likelihood=0.0, standard_errors={}, n_customers=1)


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    from workbook.data.summary import summarize_customers

    return summarize_customers("data/samples/transactions.csv")


@pytest.fixture(scope="module")
def result(summary) -> ClvResult:
    return compute_customer_value(summary)


def test_every_customer_is_valued(result: ClvResult, summary) -> None:
    frame = result.customers
    assert frame.index.equals(summary.index) and frame.index.name == "customer_id"
    for name in ("probability_alive", "expected_purchases_1y", "expected_spend", "clv"):
        assert np.isfinite(frame[name]).all() and (frame[name] >= 0).all(), name
    assert frame["probability_alive"].between(0, 1).all()
    assert (frame["probability_alive_1y"] <= frame["probability_alive"] + 1e-12).all()
    assert np.allclose(frame["value_at_risk"], frame["value_if_alive"] - frame["clv"])


def test_calibration_numbers_follow_their_definitions(result: ClvResult) -> None:
    frame = result.customers
    alive = frame["probability_alive"].sum()
    assert result.annual_retention_rate == pytest.approx(frame["probability_alive_1y"].sum()
                                                         / alive)
    assert 0 < result.annual_retention_rate < 1
    assert result.annual_spend_per_customer == pytest.approx(
        (frame["expected_purchases_1y"] * frame["expected_spend"]).sum() / alive)
    head = result.headline()
    assert head["customers"] == len(frame) and head["bgnbd_r"] == result.bgnbd.r
    assert head["total_clv"] == pytest.approx(frame["clv"].sum())


def test_undiscounted_value_telescopes_to_expected_purchases() -> None:
    # with d = 0 the monthly increments add up to E(H years) exactly
    x, t_x, t, m = [0, 2, 7], [0, 30, 300], [10, 100, 400], [0.0, 80.0, 45.0]
    value = lifetime_value(FIT, GG, x, t_x, t, m, gross_margin_rate=0.4, discount_rate=0.0,
                           horizon_years=3)
    from workbook.models.value.gamma_gamma import expected_spend

    purchases = expected_purchases(FIT, 3 * 365.25, x, t_x, t)
    assert np.allclose(value, 0.4 * expected_spend(GG, x, m) * purchases, rtol=1e-10)


def test_daily_and_monthly_discounting_nearly_agree() -> None:
    args = FIT, GG, [2], [30], [100], [80.0]
    kwargs = dict(gross_margin_rate=0.4, discount_rate=0.1, horizon_years=2)
    monthly = lifetime_value(*args, **kwargs)[0]
    daily = lifetime_value(*args, **kwargs, discounting="daily")[0]
    assert daily > monthly  # each day's purchases are paid earlier than at the month's end
    assert daily == pytest.approx(monthly, rel=0.01)


@settings(max_examples=25, deadline=None)
@given(rate=st.floats(0.0, 0.19), more=st.floats(0.001, 0.1))
def test_value_falls_as_the_discount_rate_rises(rate, more) -> None:
    args = FIT, GG, [3], [50], [120], [60.0]
    low = lifetime_value(*args, gross_margin_rate=0.3, discount_rate=rate, horizon_years=5)
    high = lifetime_value(*args, gross_margin_rate=0.3, discount_rate=rate + more,
                          horizon_years=5)
    assert high[0] < low[0]


def test_params_refuse_bad_values() -> None:
    with pytest.raises(ParameterError, match="discounting"):
        ClvParams(discounting="weekly")
    with pytest.raises(ParameterError, match="gross_margin_rate"):
        ClvParams(gross_margin_rate=35)
    assert ClvParams().horizon_years == 5


def test_missing_column_is_named(summary) -> None:
    with pytest.raises(ClvError, match=r"missing column.*monetary_value"):
        compute_customer_value(summary.drop(columns="monetary_value"))


def test_probability_alive_matrix_shape() -> None:
    matrix = probability_alive_matrix(FIT, 365.0, max_frequency=10)
    assert matrix.shape == (11, 51)
    assert matrix.iloc[0, 0] == 1.0 and np.isnan(matrix.iloc[0, 1:]).all()
    # more recent last purchase, more likely alive
    assert (np.diff(matrix.iloc[1:].to_numpy(), axis=1) >= 0).all()


def test_value_by_stage_adds_up(result: ClvResult) -> None:
    stages = pd.Series(pd.Categorical(
        np.where(result.customers["frequency"] > 0, "repeat", "first_time"),
        categories=["first_time", "repeat", "lost"], ordered=True),
        index=result.customers.index)
    table = value_by_stage(result, stages.iloc[:-5])
    assert list(table.index) == ["first_time", "repeat", "unknown"]
    assert table["customers"].sum() == len(result.customers)
    assert table["clv"].sum() == pytest.approx(result.customers["clv"].sum())
