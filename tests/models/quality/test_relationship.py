"""Gap scores and importance–performance: worked by hand, Martilla & James's quadrants."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.data.surveys import REQUIRED_COLUMNS, load_survey, validate_survey
from workbook.models.quality.relationship import (
    gap_scores,
    importance_performance,
    respondent_gaps,
)


def survey(rows: list[tuple], importance: bool = False) -> pd.DataFrame:
    columns = [*REQUIRED_COLUMNS, "importance"] if importance else list(REQUIRED_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


# --- Gap scores ------------------------------------------------------------------------------

TINY = survey([
    ("a", "retail", "caring", 5, 6), ("a", "retail", "honesty", 7, 5),
    ("b", "retail", "caring", 3, 6), ("b", "retail", "honesty", 6, 6),
    ("c", "trade", "caring", 6, 4),
])


def test_gap_scores_on_a_tiny_survey_worked_by_hand() -> None:
    scores = gap_scores(validate_survey(TINY))
    assert scores.index.tolist() == ["caring", "honesty"]
    # caring: expectations 5, 3, 6 (mean 14/3), perceptions 6, 6, 4 (mean 16/3): gap 2/3
    assert scores.loc["caring", "expectation"] == pytest.approx(14 / 3)
    assert scores.loc["caring", "gap"] == pytest.approx(2 / 3)
    # honesty: gaps -2 and 0
    assert scores.loc["honesty", "gap"] == pytest.approx(-1.0)
    assert scores["respondents"].tolist() == [3, 2]


def test_gap_scores_by_segment_worked_by_hand() -> None:
    scores = gap_scores(validate_survey(TINY), by_segment=True)
    assert scores.index.tolist() == [("retail", "caring"), ("retail", "honesty"),
                                     ("trade", "caring")]
    assert scores["gap"].tolist() == pytest.approx([2.0, -1.0, -2.0])


def test_respondent_gaps_leave_skipped_qualities_blank() -> None:
    gaps = respondent_gaps(validate_survey(TINY))
    assert gaps.index.tolist() == ["a", "b", "c"]
    assert gaps.loc["a"].tolist() == [1.0, -2.0]
    assert math.isnan(gaps.loc["c", "honesty"])


scores_1_to_7 = st.integers(1, 7)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(scores_1_to_7, scores_1_to_7), min_size=1, max_size=20))
def test_gap_is_mean_perception_minus_mean_expectation(pairs: list[tuple[int, int]]) -> None:
    frame = survey([(f"r{i}", "s", "honesty", e, p) for i, (e, p) in enumerate(pairs)])
    row = gap_scores(validate_survey(frame)).loc["honesty"]
    gaps = [p - e for e, p in pairs]
    assert row["gap"] == pytest.approx(sum(gaps) / len(gaps))
    assert row["gap"] == pytest.approx(row["perception"] - row["expectation"])


# --- Importance–performance -------------------------------------------------------------------

def test_stated_importance_fills_the_four_quadrants_martilla_james() -> None:
    frame = survey([
        ("r1", "s", "honesty", 6, 3, 7), ("r1", "s", "knowledge", 6, 6, 7),
        ("r1", "s", "caring", 6, 3, 3), ("r1", "s", "politeness", 6, 6, 3),
    ], importance=True)
    ipa = importance_performance(validate_survey(frame))
    assert ipa.importance_method == "stated"
    assert (ipa.importance_cut, ipa.performance_cut) == (5.0, 4.5)
    assert ipa.table["quadrant"].to_dict() == {
        "caring": "low_priority", "politeness": "possible_overkill",
        "honesty": "concentrate_here", "knowledge": "keep_up_the_good_work"}
    assert ipa.priorities() == ["honesty"]


def test_a_value_at_the_crosshair_counts_as_high() -> None:
    frame = survey([("r1", "s", "honesty", 5, 4, 6), ("r1", "s", "caring", 5, 4, 6)],
                   importance=True)
    table = importance_performance(validate_survey(frame)).table
    assert set(table["quadrant"]) == {"keep_up_the_good_work"}


def test_derived_importance_is_the_corrected_item_total_correlation_by_hand() -> None:
    perceptions = {"honesty": [1, 2, 3, 4], "knowledge": [2, 3, 4, 5],
                   "caring": [3, 3, 3, 3], "politeness": [5, 5, 4, 4]}
    rows = [(f"r{i}", "s", q, 4, p[i]) for q, p in perceptions.items() for i in range(4)]
    ipa = importance_performance(validate_survey(survey(rows)))
    assert ipa.importance_method == "derived"
    table = ipa.table
    # honesty vs mean of the others [10, 11, 11, 12] / 3: r = 3 / sqrt(5 * 2)
    assert table.loc["honesty", "importance"] == pytest.approx(3 / math.sqrt(10))
    assert table.loc["knowledge", "importance"] == pytest.approx(3 / math.sqrt(10))
    # politeness vs [6, 8, 10, 12] / 3: r = -2 / sqrt(1 * 5)
    assert table.loc["politeness", "importance"] == pytest.approx(-2 / math.sqrt(5))
    assert math.isnan(table.loc["caring", "importance"])  # no variation: no correlation
    assert table["quadrant"].to_dict() == {
        "caring": "undetermined", "politeness": "possible_overkill",
        "honesty": "concentrate_here", "knowledge": "keep_up_the_good_work"}


def test_importance_method_choice_and_errors() -> None:
    sample = load_survey()
    assert importance_performance(sample, importance="derived").importance_method == "derived"
    without = sample.drop(columns="importance")
    assert importance_performance(without).importance_method == "derived"
    with pytest.raises(ParameterError, match=r"importance: .*no importance scores"):
        importance_performance(without, importance="stated")
    with pytest.raises(ParameterError, match="one of auto, stated, derived"):
        importance_performance(sample, importance="regression")

