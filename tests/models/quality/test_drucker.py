"""Drucker's four levels: every rule and boundary on hand-made respondents, shares, shifts."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.registry import default
from workbook.core.validation import ParameterError
from workbook.data.surveys import QUALITIES, REQUIRED_COLUMNS, validate_survey
from workbook.models.quality.drucker import (
    LEVELS,
    DruckerRules,
    LevelUplifts,
    assign_levels,
    best_level_shift,
    level_shares,
    level_shift_values,
    respondent_levels,
    roi_params_for_shift,
    segment_levels,
)
from workbook.models.roi.service_roi import ServiceRoiParams

NAN = math.nan


def level_of(gaps: list[float], rules: DruckerRules | None = None) -> str:
    frame = pd.DataFrame([gaps], columns=list(QUALITIES[: len(gaps)]))
    return str(assign_levels(frame, rules).iloc[0])


# Defaults: satisfy min gap -1, exceed mean 0.5, delight mean 1.0, amaze min 1.0.
@pytest.mark.parametrize(
    ("gaps", "level"),
    [
        ([0] * 9, "satisfy"),                            # met exactly: nothing to complain of
        ([-1] + [0] * 8, "satisfy"),                     # shortfall at the tolerance: still ok
        ([-1.01] + [0] * 8, "dissatisfied"),             # just past it
        ([-2] + [3] * 8, "dissatisfied"),                # one real complaint beats any average
        ([1, 1, 0, 0], "exceed"),                        # mean exactly 0.5
        ([1, 0.9, 0, 0], "satisfy"),                     # mean 0.475
        ([2, 2, 0, 0], "delight"),                       # mean exactly 1.0, min 0
        ([2, 1.9, 0, 0], "exceed"),                      # mean 0.975
        ([1, 1, 1, 1], "amaze"),                         # every quality beaten by 1
        ([2, 2, 2, 0.9], "delight"),                     # one quality only 0.9 better
        ([3, 3, 3, -1], "delight"),                      # high mean, one small shortfall
        ([NAN, 1, 1, 1], "amaze"),                       # skipped qualities are ignored
        ([NAN, -3, 2, 2], "dissatisfied"),
    ],
)
def test_each_rule_and_boundary_on_hand_made_respondents(gaps: list[float], level: str) -> None:
    assert level_of(gaps) == level


def test_amaze_needs_delight_first() -> None:
    rules = DruckerRules(drucker_amaze_min_gap=0.5, drucker_delight_mean_gap=2.0)
    assert level_of([1, 1, 1, 1], rules) == "exceed"  # every quality beaten, mean below 2
    assert level_of([2, 2, 2, 2], rules) == "amaze"


def test_rules_are_configurable() -> None:
    strict = DruckerRules(drucker_satisfy_min_gap=0.0)
    assert level_of([-1] + [0] * 8) == "satisfy"
    assert level_of([-1] + [0] * 8, strict) == "dissatisfied"
    assert level_of([1, 0, 0, 0], DruckerRules(drucker_exceed_mean_gap=0.25)) == "exceed"


def test_a_gap_computed_from_decimal_scores_reaches_an_equal_threshold() -> None:
    gap = 5.1 - 5.0  # 0.09999999999999964 in binary floating point
    assert level_of([gap] * 9, DruckerRules(drucker_exceed_mean_gap=0.1)) == "exceed"


def test_a_row_with_no_answers_is_refused() -> None:
    frame = pd.DataFrame({"caring": [1.0, NAN]}, index=["r1", "r2"])
    with pytest.raises(ParameterError, match=r"gaps: expected at least one answered .*'r2'"):
        assign_levels(frame)


def test_levels_are_ordered_categories_on_the_same_index() -> None:
    frame = pd.DataFrame({"caring": [-3, 0, 2]}, index=["x", "y", "z"])
    levels = assign_levels(frame)
    assert levels.index.tolist() == ["x", "y", "z"]
    assert list(levels.cat.categories) == list(LEVELS) and levels.cat.ordered
    assert levels.cat.codes.tolist() == [0, 1, 4]
    assert (levels < "delight").tolist() == [True, True, False]  # ordered comparisons


def test_rules_defaults_come_from_the_registry_and_are_validated() -> None:
    rules = DruckerRules()
    assert rules.drucker_satisfy_min_gap == default("drucker_satisfy_min_gap")
    assert rules.drucker_amaze_min_gap == default("drucker_amaze_min_gap")
    with pytest.raises(ParameterError,
                       match="drucker_delight_mean_gap: expected at least drucker_exceed"):
        DruckerRules(drucker_exceed_mean_gap=1.0, drucker_delight_mean_gap=0.8)
    with pytest.raises(ParameterError,
                       match="drucker_satisfy_min_gap: expected a number from -6 to 0"):
        DruckerRules(drucker_satisfy_min_gap=0.5)
    with pytest.raises(ParameterError, match="drucker_amaze_min_gap"):
        DruckerRules(drucker_amaze_min_gap=-1)
    assert rules.replace(drucker_exceed_mean_gap=0.2).drucker_exceed_mean_gap == 0.2


gap_rows = st.lists(st.one_of(st.floats(-6, 6), st.just(NAN)), min_size=1, max_size=9).filter(
    lambda row: not all(math.isnan(g) for g in row))


@settings(max_examples=60, deadline=None)
@given(gap_rows, st.floats(0, 3))
def test_better_service_never_lowers_the_level(row: list[float], lift: float) -> None:
    before = LEVELS.index(level_of(row))
    after = LEVELS.index(level_of([g + lift for g in row]))
    assert after >= before


@settings(max_examples=60, deadline=None)
@given(gap_rows, st.floats(0, 1))
def test_stricter_rules_never_raise_the_level(row: list[float], extra: float) -> None:
    loose = DruckerRules()
    strict = DruckerRules(drucker_satisfy_min_gap=-1.0 + extra,
                          drucker_exceed_mean_gap=0.5 + extra,
                          drucker_delight_mean_gap=1.0 + extra,
                          drucker_amaze_min_gap=1.0 + extra)
    assert LEVELS.index(level_of(row, strict)) <= LEVELS.index(level_of(row, loose))


# --- Respondents, segments, shares ---------------------------------------------------------

def tiny_survey() -> pd.DataFrame:
    rows = []
    profiles = {  # respondent: (segment, gaps on caring, honesty, knowledge)
        "r1": ("retail", (-2, 0, 0)), "r2": ("retail", (0, 0, 1)),
        "r3": ("retail", (1, 1, 1)), "r4": ("trade", (1, 2, 0)),
    }
    for rid, (segment, gaps) in profiles.items():
        for quality, gap in zip(("caring", "honesty", "knowledge"), gaps, strict=True):
            rows.append((rid, segment, quality, 5, 5 + gap))
    return validate_survey(pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS)))


def test_respondent_levels_by_hand() -> None:
    levels = respondent_levels(tiny_survey())
    assert levels["level"].astype(str).tolist() == ["dissatisfied", "satisfy", "amaze",
                                                    "delight"]
    assert levels.loc["r4", "mean_gap"] == pytest.approx(1.0)
    assert levels.loc["r1", "min_gap"] == -2
    assert levels["segment"].tolist() == ["retail", "retail", "retail", "trade"]


def test_segment_is_placed_from_its_mean_gap_profile() -> None:
    segments = segment_levels(tiny_survey())
    # retail mean gaps: caring (-2+0+1)/3, honesty 1/3, knowledge 2/3: min -1/3, mean 2/9
    assert segments.loc["retail", "min_gap"] == pytest.approx(-1 / 3)
    assert segments.loc["retail", "mean_gap"] == pytest.approx(2 / 9)
    assert segments["level"].astype(str).to_dict() == {"retail": "satisfy",
                                                       "trade": "delight"}
    assert segments["respondents"].tolist() == [3, 1]


def test_level_shares_by_hand() -> None:
    shares = level_shares(respondent_levels(tiny_survey()))
    assert shares.index.tolist() == ["retail", "trade", "all"]
    assert list(shares.columns) == list(LEVELS)
    assert shares.loc["retail"].tolist() == pytest.approx([1 / 3, 1 / 3, 0, 0, 1 / 3])
    assert shares.loc["all"].tolist() == pytest.approx([0.25, 0.25, 0, 0.25, 0.25])


def test_a_segment_called_all_is_refused() -> None:
    frame = pd.DataFrame({"segment": ["all"], "level": ["satisfy"]})
    with pytest.raises(ParameterError, match="segment: expected names other than 'all'"):
        level_shares(frame)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(LEVELS)), min_size=1,
                max_size=40))
def test_shares_sum_to_one_per_row(pairs: list[tuple[str, str]]) -> None:
    frame = pd.DataFrame(pairs, columns=["segment", "level"])
    shares = level_shares(frame)
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert (shares >= 0).all().all()


# --- What a level shift is worth ------------------------------------------------------------

SHARES = {"dissatisfied": 0.3, "satisfy": 0.5, "exceed": 0.2}
ANNUITY_5Y_8PCT = 3.992710037  # (1 - 1.08**-5) / 0.08


def test_level_shift_values_by_hand() -> None:
    values = level_shift_values(SHARES)
    assert values.index.tolist() == ["dissatisfied→satisfy", "satisfy→exceed",
                                     "exceed→delight", "delight→amaze"]
    # 10,000 customers x 30 % x 8 points = 240 kept a year, each saving 5 x 50 = 250
    first = values.loc["dissatisfied→satisfy"]
    assert first["customers_kept_per_year"] == pytest.approx(240)
    assert first["present_value"] == pytest.approx(240 * 250 * ANNUITY_5Y_8PCT)
    assert first["base_retention_uplift_rate"] == pytest.approx(0.3 * 0.08)
    assert values.loc["satisfy→exceed", "present_value"] == pytest.approx(
        10_000 * 0.5 * 0.04 * 250 * ANNUITY_5Y_8PCT)
    assert values.loc["delight→amaze", "present_value"] == 0.0  # nobody at delight
    assert best_level_shift(values) == "dissatisfied→satisfy"


def test_where_a_shift_is_worth_most_depends_on_the_mix() -> None:
    shares = {"dissatisfied": 0.05, "satisfy": 0.8, "exceed": 0.15}
    assert best_level_shift(level_shift_values(shares)) == "satisfy→exceed"


def test_a_shift_feeds_the_roi_model() -> None:
    roi = ServiceRoiParams(customers=2_000, annual_retention_rate=0.8)
    params = roi_params_for_shift("exceed", SHARES, LevelUplifts(), roi)
    assert (params.excellent_service_share, params.retention_uplift_rate) == (0.2, 0.02)
    assert (params.customers, params.annual_retention_rate) == (2_000, 0.8)
    with pytest.raises(ParameterError, match="from_level: expected one of dissatisfied"):
        roi_params_for_shift("amaze", SHARES)


@pytest.mark.parametrize(
    ("shares", "fragment"),
    [
        ({"dissatisfied": 0.5, "satisfy": 0.4}, "fractions summing to 1"),
        ({"dissatisfied": 1.2, "satisfy": -0.2}, r"shares\['dissatisfied'\]"),
        ({"happy": 1.0}, "level keys among"),
    ],
)
def test_bad_shares_are_refused(shares: dict[str, float], fragment: str) -> None:
    with pytest.raises(ParameterError, match=fragment):
        level_shift_values(shares)


def test_uplifts_come_from_the_registry_and_are_validated() -> None:
    uplifts = LevelUplifts()
    for f in dataclasses.fields(LevelUplifts):
        level = f.name.removeprefix("drucker_retention_uplift_")
        assert uplifts.step(level) == default(f.metadata["assumption"]) == getattr(uplifts, f.name)
    with pytest.raises(ParameterError, match="drucker_retention_uplift_exceed"):
        LevelUplifts(drucker_retention_uplift_exceed=4)
    with pytest.raises(ParameterError, match="level: expected one of satisfy"):
        uplifts.step("dissatisfied")


@settings(max_examples=20, deadline=None)
@given(st.floats(0, 0.1), st.floats(0, 0.1))
def test_shift_value_grows_with_its_retention_step(low: float, extra: float) -> None:
    small = level_shift_values(SHARES, LevelUplifts(drucker_retention_uplift_exceed=low))
    large = level_shift_values(SHARES,
                               LevelUplifts(drucker_retention_uplift_exceed=low + extra))
    key = "satisfy→exceed"
    assert large.loc[key, "present_value"] >= small.loc[key, "present_value"] - 1e-6


def test_placing_a_survey_is_the_parts_and_the_model_record_runs_it() -> None:
    from workbook.data.surveys import load_survey
    from workbook.models.quality.drucker import DRUCKER_LEVELS, place_levels

    survey = load_survey()
    rules = DruckerRules(drucker_exceed_mean_gap=0.25)
    placed = place_levels(rules, survey)
    assert placed.respondents.equals(respondent_levels(survey, rules))
    assert placed.shares.equals(level_shares(placed.respondents))
    assert placed.segments.equals(segment_levels(survey, rules))
    assert DRUCKER_LEVELS.params_type is DruckerRules
    assert DRUCKER_LEVELS.headline(DRUCKER_LEVELS.run()) == place_levels().headline()
    assert sum(place_levels().headline().values()) == pytest.approx(1.0)
