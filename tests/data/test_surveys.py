"""Surveys: the nine qualities, validation messages naming where, the seeded sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.data.surveys import (
    QUALITIES,
    REQUIRED_COLUMNS,
    SAMPLE_SURVEY,
    SurveyError,
    generate_survey,
    load_survey,
    survey_csv_text,
    validate_survey,
    write_sample_survey,
)
from workbook.models.quality.relationship import gap_scores


def survey(rows: list[tuple], importance: bool = False) -> pd.DataFrame:
    columns = [*REQUIRED_COLUMNS, "importance"] if importance else list(REQUIRED_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wave1.csv"
    path.write_text(text)
    return path


HEADER = "respondent_id,segment,quality,expectation,perception\n"


# --- The nine qualities ----------------------------------------------------------------------

def test_nine_qualities_of_seed_002_in_the_texts_order() -> None:
    # заботливость, вежливость, честность, готовность помочь, оперативность,
    # доступность, дружелюбие, знания, профессионализм
    assert QUALITIES == ("caring", "politeness", "honesty", "willingness_to_help",
                         "promptness", "accessibility", "friendliness", "knowledge",
                         "professionalism")
    assert all(q.isidentifier() and q == q.lower() for q in QUALITIES)


# --- Validation ------------------------------------------------------------------------------

def test_missing_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "respondent_id,segment,quality,expectation\nr1,a,caring,5\n")
    with pytest.raises(SurveyError, match=r"wave1\.csv: column 'perception': missing column"):
        load_survey(path)


def test_unknown_quality_names_the_first_offending_lines(tmp_path: Path) -> None:
    text = HEADER + "r1,a,caring,5,5\nr1,a,kindness,5,5\nr2,a,speed,4,4\nr2,a,honesty,5,5\n"
    with pytest.raises(SurveyError) as caught:
        load_survey(write_csv(tmp_path, text))
    error = caught.value
    assert error.column == "quality"
    assert error.rows == (3, 4)  # header is line 1
    assert "line 3 ('kindness'), line 4 ('speed')" in str(error)
    assert "expected one of caring" in str(error)
    assert str(error).startswith(str(tmp_path / "wave1.csv"))


@pytest.mark.parametrize("bad", ["8", "0", "0.5", "seven", ""])
def test_score_out_of_scale_or_not_a_number_is_refused(tmp_path: Path, bad: str) -> None:
    text = HEADER + f"r1,a,caring,5,5\nr2,a,caring,5,{bad}\n"
    with pytest.raises(SurveyError, match=r"column 'perception': scores must be numbers from "
                       r"1 to 7; first at line 3 "):
        load_survey(write_csv(tmp_path, text))


def test_many_offenders_are_counted_not_all_listed() -> None:
    frame = survey([(f"r{i}", "a", "caring", 5, 9) for i in range(8)])
    with pytest.raises(SurveyError, match=r"row 3 \(9\), row 4 \(9\) \(of 8\)$"):
        validate_survey(frame)


def test_blank_ids_and_segments_are_refused() -> None:
    with pytest.raises(SurveyError, match="column 'respondent_id': blank values"):
        validate_survey(survey([("r1", "a", "caring", 5, 5), (None, "a", "caring", 5, 5)]))
    with pytest.raises(SurveyError, match="column 'segment': blank values; first at row 1 "):
        validate_survey(survey([("r1", "a", "caring", 5, 5), ("r2", " ", "caring", 5, 5)]))


def test_a_quality_answered_twice_is_refused() -> None:
    rows = [("r1", "a", "caring", 5, 5), ("r1", "a", "Caring", 6, 6)]
    with pytest.raises(SurveyError, match=r"answered twice .*first at row 1 "):
        validate_survey(survey(rows))


def test_a_respondent_in_two_segments_is_refused() -> None:
    rows = [("r1", "a", "caring", 5, 5), ("r1", "b", "honesty", 6, 6)]
    with pytest.raises(SurveyError, match="column 'segment': respondent appears in more"):
        validate_survey(survey(rows))


def test_empty_survey_and_unreadable_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="no rows"):
        validate_survey(survey([]))
    with pytest.raises(SurveyError, match="not a readable CSV"):
        load_survey(write_csv(tmp_path, ""))


def test_importance_may_be_blank_but_not_out_of_scale(tmp_path: Path) -> None:
    header = HEADER.strip() + ",importance\n"
    clean = load_survey(write_csv(tmp_path, header + "r1,a,caring,5,5,\nr1,a,honesty,5,5,7\n"))
    assert clean["importance"].isna().tolist() == [True, False]
    with pytest.raises(SurveyError, match="column 'importance'"):
        load_survey(write_csv(tmp_path, header + "r1,a,caring,5,5,12\n"))


def test_validation_never_modifies_its_input_and_normalises_labels() -> None:
    frame = survey([(1, " retail ", "Willingness to help", 5, 6),
                    (1, " retail ", "professionalism", "4", 6.5)])
    before = frame.copy(deep=True)
    clean = validate_survey(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert clean["quality"].tolist() == ["willingness_to_help", "professionalism"]
    assert clean["segment"].tolist() == ["retail", "retail"]
    assert clean["respondent_id"].tolist() == ["1", "1"]
    assert clean["expectation"].tolist() == [5.0, 4.0]
    assert list(clean.columns) == list(REQUIRED_COLUMNS)


def test_extra_columns_are_dropped() -> None:
    frame = survey([("r1", "a", "caring", 5, 5)]).assign(comment="nice")
    assert "comment" not in validate_survey(frame).columns



# --- The seeded sample -----------------------------------------------------------------------

def test_generator_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first = write_sample_survey(tmp_path / "one.csv").read_bytes()
    second = write_sample_survey(tmp_path / "two.csv").read_bytes()
    assert first == second
    assert survey_csv_text(generate_survey(seed=3)) != survey_csv_text(generate_survey())


def test_shipped_sample_is_the_generators_output_untouched() -> None:
    assert SAMPLE_SURVEY.read_bytes() == survey_csv_text(generate_survey()).encode("utf-8")


def test_sample_is_a_realistic_valid_survey() -> None:
    sample = load_survey()
    assert sample["respondent_id"].nunique() == 300
    assert sorted(sample["segment"].unique()) == ["consumer", "enterprise", "small_business"]
    assert set(sample["quality"]) == set(QUALITIES)
    scores = gap_scores(sample)
    # promptness and accessibility fall short (the 4th-ring problem); friendliness beats
    assert scores["gap"].idxmin() == "promptness"
    assert scores.loc["accessibility", "gap"] < 0 < scores.loc["friendliness", "gap"]
    assert 0.9 < len(sample) / (300 * 9) < 1.0  # a few answers skipped


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60))
def test_any_seed_gives_a_valid_survey(seed: int, respondents: int) -> None:
    frame = generate_survey(respondents=respondents, seed=seed)
    clean = validate_survey(frame)
    assert len(clean) == len(frame)
    assert np.array_equal(clean["perception"].to_numpy(), frame["perception"].to_numpy())
