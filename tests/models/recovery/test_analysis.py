"""One recovery analysis for notebook 04 and the dashboard; RecoveryParams from both models."""

from __future__ import annotations

import dataclasses

import pytest

from workbook.core.validation import ParameterError
from workbook.models.recovery.analysis import analyse_recovery
from workbook.models.recovery.combined import RecoveryParams, merged_fields
from workbook.models.recovery.complaints import ComplaintParams, compute_complaint_recovery
from workbook.models.recovery.word_of_mouth import WordOfMouthParams
from workbook.uncertainty import UncertaintyParams
from workbook.uncertainty.recovery import simulate_word_of_mouth

# The order before issue 11 (the Monte Carlo's random streams follow field positions)
ORDER = ["customers", "complaint_problem_share", "complaint_capture_share",
         "complaint_prompt_resolution_share", "complaint_recovery_retention",
         "complaint_unrecovered_retention", "complaint_silent_retention",
         "complaint_handling_cost", "wom_happy_share", "wom_unhappy_share",
         "happy_customer_tells", "unhappy_customer_tells", "influence_circle",
         "wom_social_amplification", "wom_referral_conversion", "wom_detraction_loss",
         "annual_spend_per_customer", "gross_margin_rate", "annual_retention_rate",
         "horizon_years", "discount_rate"]


def test_recovery_params_are_both_models_fields_in_the_old_order() -> None:
    assert [f.name for f in dataclasses.fields(RecoveryParams)] == ORDER
    both = {f.name for t in (ComplaintParams, WordOfMouthParams) for f in dataclasses.fields(t)}
    assert set(ORDER) == both


def test_recovery_params_keep_each_models_checks() -> None:
    with pytest.raises(ParameterError) as caught:
        RecoveryParams(wom_happy_share=0.95)
    assert caught.value.name == "wom_unhappy_share"
    with pytest.raises(ParameterError) as caught:
        RecoveryParams(annual_retention_rate=0.995)
    assert caught.value.name == "annual_retention_rate"
    assert RecoveryParams(customers=2_000.0).customers == 2_000


def test_conflicting_field_orders_are_refused() -> None:
    @dataclasses.dataclass
    class AB:
        a: int = 0
        b: int = 0

    @dataclasses.dataclass
    class BA:
        b: int = 0
        a: int = 0

    with pytest.raises(ValueError, match="order"):
        merged_fields(AB, BA)


def test_analysis_is_the_separate_calls() -> None:
    u = UncertaintyParams(draws=500, seed=3)
    params = RecoveryParams(complaint_capture_share=0.4)
    analysis = analyse_recovery(params, u)
    assert analysis.complaints == compute_complaint_recovery(params.complaint_params())
    story_risk = simulate_word_of_mouth(params.word_of_mouth_params(), u)
    assert analysis.story_risk.headline() == story_risk.headline()
    headline = analysis.headline()
    assert headline["complaint_net_value"] == analysis.complaints.net_value
    assert headline["word_of_mouth_net_value_low"] == analysis.stories.band("net_value")[0]
