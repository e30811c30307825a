"""The word-of-mouth model: the source's figures worked by hand, the ranges, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.finance import customer_lifetime_value
from workbook.core.validation import ParameterError
from workbook.models.recovery.word_of_mouth import (
    RANGE_CASES,
    WordOfMouthParams,
    compute_word_of_mouth,
    compute_word_of_mouth_range,
)

VALUE = customer_lifetime_value(1_200 * 0.35, 0.75, 0.08, 5)


def test_seed_001_figures_by_hand() -> None:
    # 10,000 customers: 60 % happy tell 4 (3-5), 10 % unhappy tell 12.5 (10-15)
    result = compute_word_of_mouth(WordOfMouthParams())
    assert result.happy_customers == 6_000 and result.unhappy_customers == 1_000
    assert result.happy_reach == 6_000 * 4
    assert result.unhappy_reach == 1_000 * 12.5
    assert result.prospects_won == pytest.approx(24_000 * 0.02)
    assert result.prospects_lost == pytest.approx(12_500 * 0.02)
    assert result.net_customers == pytest.approx(230)
    assert result.revenue_effect == pytest.approx(230 * 1_200)
    assert result.net_value == pytest.approx(230 * VALUE)
    # one unhappy customer undoes 12.5 / 4 happy ones at equal conversion and loss
    assert result.unhappy_to_happy_ratio == pytest.approx(12.5 / 4)


def test_circle_of_250_caps_word_of_mouth_but_not_amplification() -> None:
    params = WordOfMouthParams(unhappy_customer_tells=400, happy_customer_tells=300,
                               wom_social_amplification=10)
    result = compute_word_of_mouth(params)
    assert result.told_per_happy == 250 and result.told_per_unhappy == 250
    assert result.unhappy_reach == 1_000 * 250 * 10


def test_united_breaks_guitars_one_story_can_outweigh_every_happy_customer() -> None:
    # seed 001: one complaint video passed 10 million views
    params = WordOfMouthParams(wom_unhappy_share=0.0001, wom_social_amplification=1e6 / 12.5)
    result = compute_word_of_mouth(params)
    assert result.unhappy_customers == pytest.approx(1)
    assert result.unhappy_reach == pytest.approx(1e6)
    assert result.net_value < 0


def test_ranges_use_the_source_ends() -> None:
    spread = compute_word_of_mouth_range(WordOfMouthParams())
    assert tuple(spread.cases) == RANGE_CASES
    told = {name: (r.told_per_happy, r.told_per_unhappy) for name, r in spread.cases.items()}
    assert told == {"pessimistic": (3, 15), "low": (3, 10), "mid": (4, 12.5),
                    "high": (5, 15), "optimistic": (5, 10)}
    assert spread.band("net_value") == (spread.cases["pessimistic"].net_value,
                                        spread.cases["optimistic"].net_value)
    assert spread.table().loc["mid", "net_value"] == spread.mid.net_value


def test_a_value_outside_the_source_range_widens_it() -> None:
    spread = compute_word_of_mouth_range(WordOfMouthParams(happy_customer_tells=8))
    assert spread.cases["high"].told_per_happy == 8
    assert spread.cases["low"].told_per_happy == 3


def test_bad_inputs_name_the_parameter() -> None:
    with pytest.raises(ParameterError, match="wom_unhappy_share"):
        WordOfMouthParams(wom_happy_share=0.8, wom_unhappy_share=0.3)
    with pytest.raises(ParameterError, match="wom_social_amplification"):
        WordOfMouthParams(wom_social_amplification=0.5)
    with pytest.raises(ParameterError, match="influence_circle"):
        WordOfMouthParams(influence_circle=0)


def test_no_happy_customer_gives_no_ratio() -> None:
    result = compute_word_of_mouth(WordOfMouthParams(happy_customer_tells=0.0))
    assert math.isnan(result.unhappy_to_happy_ratio)
    assert result.headline()["unhappy_to_happy_ratio"] is None


params_strategy = st.builds(
    WordOfMouthParams,
    wom_happy_share=st.floats(0.0, 0.7),
    wom_unhappy_share=st.floats(0.0, 0.3),
    happy_customer_tells=st.floats(0.0, 400.0),
    unhappy_customer_tells=st.floats(0.0, 400.0),
    influence_circle=st.integers(1, 500),
    wom_social_amplification=st.floats(1.0, 100.0),
    wom_referral_conversion=st.floats(0.0, 0.2),
    wom_detraction_loss=st.floats(0.0, 0.2),
)


@settings(max_examples=100, deadline=None)
@given(params_strategy, st.floats(0.1, 5.0))
def test_net_value_rises_with_happy_tells_and_falls_with_unhappy(
    params: WordOfMouthParams, step: float
) -> None:
    base = compute_word_of_mouth(params)
    happier = compute_word_of_mouth(
        params.replace(happy_customer_tells=params.happy_customer_tells + step))
    angrier = compute_word_of_mouth(
        params.replace(unhappy_customer_tells=params.unhappy_customer_tells + step))
    assert happier.net_value >= base.net_value
    assert angrier.net_value <= base.net_value


@settings(max_examples=100, deadline=None)
@given(params_strategy)
def test_reach_never_exceeds_the_circle_without_amplification(params: WordOfMouthParams) -> None:
    result = compute_word_of_mouth(params.replace(wom_social_amplification=1.0))
    circle = params.influence_circle
    assert result.happy_reach <= result.happy_customers * circle + 1e-6
    assert result.unhappy_reach <= result.unhappy_customers * circle + 1e-6
    assert result.net_value == pytest.approx(result.value_won - result.value_lost, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(params_strategy)
def test_the_range_band_holds_every_case(params: WordOfMouthParams) -> None:
    spread = compute_word_of_mouth_range(params)
    low, high = spread.band("net_value")
    assert low == pytest.approx(spread.cases["pessimistic"].net_value, abs=1e-6)
    assert high == pytest.approx(spread.cases["optimistic"].net_value, abs=1e-6)
    assert low <= spread.mid.net_value + 1e-6 <= high + 2e-6
