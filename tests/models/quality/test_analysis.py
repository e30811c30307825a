"""Notebook 06's analysis in one call: the same numbers as the parts, one source of parameters."""

from __future__ import annotations

from workbook.data.surveys import SAMPLE_SURVEY, load_survey
from workbook.models.quality.analysis import analyse_service_quality, analyse_survey
from workbook.models.quality.decay import DecayParams, compute_service_decay
from workbook.models.quality.drucker import (
    DruckerRules,
    LevelUplifts,
    best_level_shift,
    level_shares,
    level_shift_values,
    respondent_levels,
)
from workbook.models.quality.relationship import gap_scores, importance_performance
from workbook.models.roi.moat import MoatParams, compute_moat
from workbook.models.roi.service_roi import ServiceRoiParams


def test_survey_reading_is_the_parts() -> None:
    rules = DruckerRules(drucker_satisfy_min_gap=-2.0)
    reading = analyse_survey(SAMPLE_SURVEY, rules, importance="derived")
    survey = load_survey()
    assert reading.scores.equals(gap_scores(survey))
    assert reading.importance_performance.table.equals(
        importance_performance(survey, importance="derived").table)
    assert reading.levels.shares.equals(level_shares(respondent_levels(survey, rules)))
    assert reading.source == str(SAMPLE_SURVEY)


def test_headline_is_the_parts_headlines() -> None:
    roi = ServiceRoiParams(customers=20_000)
    decay = DecayParams(service_maintenance_spend=25_000)
    uplifts = LevelUplifts(drucker_retention_uplift_exceed=0.06)
    analysis = analyse_service_quality(roi=roi, decay=decay, uplifts=uplifts)
    survey = load_survey()
    shares = level_shares(respondent_levels(survey))
    values = level_shift_values(shares.loc["all"], uplifts, roi)
    best = best_level_shift(values)
    scores = gap_scores(survey)
    decayed = compute_service_decay(decay, roi)
    assert analysis.headline() == {
        **shares.loc["all"].add_prefix("share_").to_dict(),
        "worst_gap_quality": scores["gap"].idxmin(), "worst_gap": scores["gap"].min(),
        "concentrate_here": importance_performance(survey).priorities(),
        "best_level_shift": best,
        "best_level_shift_present_value": values.loc[best, "present_value"],
        "steady_state_maintenance_spend": decayed.optimum.steady_state_spend,
        **decayed.headline(), **compute_moat(MoatParams()).headline(),
    }


def test_parameters_carry_every_models_registry_names() -> None:
    recorded = analyse_service_quality().parameters()
    for params in (ServiceRoiParams(), DruckerRules(), LevelUplifts(), DecayParams(),
                   MoatParams()):
        assert params.to_dict().items() <= recorded.items()
    assert recorded["survey"] == str(SAMPLE_SURVEY) and recorded["importance"] == "stated"
