"""Win-back: lost by probability alive, a ranked list, campaign economics by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.models.value.bgnbd import BgNbdFit
from workbook.models.value.gamma_gamma import GammaGammaFit
from workbook.models.value.lifetime_value import ClvParams, ClvResult
from workbook.models.value.winback import (
    WinbackParams,
    compute_winback_campaign,
    winback_candidates,
    winback_headline_text,
)


def values(alive: list[float], if_alive: list[float]) -> ClvResult:
    ids = pd.Index([f"C{i}" for i in range(len(alive))], name="customer_id")
    alive_a, worth = np.asarray(alive), np.asarray(if_alive)
    frame = pd.DataFrame({"frequency": 1.0, "recency": 10.0, "T": 100.0,
                          "probability_alive": alive_a, "clv": alive_a * worth,
                          "value_if_alive": worth}, index=ids)
    return ClvResult(ClvParams(), BgNbdFit(1, 1, 1, 1, 0.0, {}, 1, 0),
                     GammaGammaFit(p=1, q=2, v=1, log_likelihood=0.0, standard_errors={},
                                   n_customers=1), frame, 0.0, 0.0)


HAND = values([0.1, 0.2, 0.5, 0.05], [1_000.0, 100.0, 5_000.0, 50.0])


def test_griffin_law_7_and_the_five_times_rule_by_hand() -> None:
    # chance of return 2 × 5 % = 10 %; a contact costs 15; a new customer 5 × 50 = 250
    result = compute_winback_campaign(HAND, WinbackParams())
    assert result.lost_customers == 3  # C2 is alive with probability 0.5 >= 0.3
    assert list(result.candidates.index) == ["C0", "C1", "C3"]
    assert result.candidates["expected_value"].tolist() == pytest.approx([100.0, 10.0, 5.0])
    assert result.contacts == 1  # only C0's 100 beats the 15 a contact costs
    assert result.expected_won_back == pytest.approx(0.1)
    assert result.value_recovered == pytest.approx(100.0)
    assert result.campaign_cost == pytest.approx(15.0)
    assert result.cost_per_won_back == pytest.approx(150.0)  # 15 / 0.1
    assert result.acquisition_cost == pytest.approx(250.0)
    assert result.net_value == pytest.approx(85.0)
    assert result.acquisition_cost_of_same_customers == pytest.approx(25.0)


def test_max_contacts_caps_the_campaign() -> None:
    result = compute_winback_campaign(HAND, WinbackParams(max_contacts=0))
    assert result.contacts == 0 and result.cost_per_won_back is None and result.roi is None


def test_stages_are_shown_and_the_ladder_is_compared() -> None:
    stages = pd.Series(["lost", "repeat", "lost", "client"], index=HAND.customers.index)
    result = compute_winback_campaign(HAND, stages=stages)
    assert result.candidates["stage"].tolist() == ["lost", "repeat", "client"]
    assert result.candidates["ladder_lost"].tolist() == [True, False, False]
    assert result.ladder_lost_customers == 2
    assert result.stage_table().loc["lost", "lost_customers"] == 1
    assert "the days-idle rule alone counts 2" in winback_headline_text(result)


def test_params_refuse_a_chance_above_one() -> None:
    with pytest.raises(ParameterError, match="winback_new_customer_conversion_rate"):
        WinbackParams(winback_vs_new_odds=3.0, winback_new_customer_conversion_rate=0.5)
    with pytest.raises(ParameterError, match="winback_alive_threshold"):
        WinbackParams(winback_alive_threshold=30)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1e5)), min_size=1, max_size=30),
       st.floats(0.01, 0.9))
def test_ranking_and_totals_hold_for_any_base(rows, threshold) -> None:
    base = values([a for a, _ in rows], [v for _, v in rows])
    params = WinbackParams(winback_alive_threshold=threshold)
    result = compute_winback_campaign(base, params)
    candidates = result.candidates
    assert (candidates["probability_alive"] < threshold).all()
    assert result.lost_customers == int(sum(a < threshold for a, _ in rows))
    assert (np.diff(candidates["expected_value"].to_numpy()) <= 0).all()
    assert result.value_recovered <= result.value_at_stake * params.winback_rate + 1e-6
    assert result.net_value >= 0  # only contacts worth their cost are made


def test_on_the_sample_business() -> None:
    from workbook.data.load import load_customer_data
    from workbook.models.loyalty.ladder import compute_ladder
    from workbook.models.value import compute_customer_value

    snapshot = compute_ladder(load_customer_data()).snapshot
    value = compute_customer_value(snapshot[snapshot["purchase_days"] > 0])
    result = compute_winback_campaign(value, stages=snapshot["stage"])
    assert 0 < result.lost_customers < result.customers
    assert set(result.candidates["stage"]) <= {"first_time", "repeat", "client", "advocate",
                                               "lost"}
    assert len(winback_candidates(value).index) == result.lost_customers
