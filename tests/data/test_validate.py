"""One way to name bad rows: the file, the column, what is wrong, the first offending rows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbook.data.validate import SHOWN_ROWS, DataError, Problem, describe_rows


def test_rows_with_values_quote_the_first_five_and_count_the_rest() -> None:
    rows = list(range(2, 12))
    text = describe_rows(rows, [f"v{r}" for r in rows], word="line")
    assert text == ("line 2 ('v2'), line 3 ('v3'), line 4 ('v4'), line 5 ('v5'), line 6 ('v6') "
                    "(of 10)")
    assert SHOWN_ROWS == 5


def test_total_counts_rows_never_fetched() -> None:
    assert describe_rows([7], ["x"], total=1234) == "row 7 ('x') (of 1,234)"
    assert describe_rows([7], ["x"], total=1) == "row 7 ('x')"


@pytest.mark.parametrize("missing", [None, "", math.nan, np.nan])
def test_missing_values_read_empty(missing: object) -> None:
    assert describe_rows([3], [missing], word="line") == "line 3 (empty)"


def test_numpy_values_and_row_numbers_read_as_python_values() -> None:
    assert describe_rows([np.int64(4)], [np.float64(9.0)]) == "row 4 (9.0)"
    assert describe_rows(np.array([0, 1]), np.array([-1.5, 2.0]), word="position") == (
        "position 0 (-1.5), position 1 (2.0)")


def test_long_values_are_shortened() -> None:
    text = describe_rows([2], ["a" * 500], word="line")
    assert len(text) < 60
    assert "..." in text


def test_rows_alone() -> None:
    assert describe_rows([2, 3], word="line") == "line 2, line 3"


def test_data_error_at_names_file_column_and_rows() -> None:
    error = DataError.at("survey.csv", "perception", "scores must be numbers from 1 to 7",
                         [3, 4], [9, "x"], word="line")
    assert str(error) == ("survey.csv: column 'perception': scores must be numbers from 1 to 7; "
                          "first at line 3 (9), line 4 ('x')")
    assert (error.source, error.column, error.rows) == ("survey.csv", "perception", (3, 4))
    assert isinstance(error, ValueError)


def test_a_reader_error_derived_from_data_error_reads_the_same() -> None:
    class SurveyError(DataError):
        """A reader's own error, caught as DataError too."""

    error = SurveyError.at("<frame>", "segment", "blank values", range(8), [""] * 8)
    assert type(error) is SurveyError
    assert str(error).endswith("first at row 0 (empty), row 1 (empty), row 2 (empty), "
                               "row 3 (empty), row 4 (empty) (of 8)")
    assert error.rows == (0, 1, 2, 3, 4)
    with pytest.raises(DataError):
        raise error


def test_problem_at_keeps_only_the_shown_rows() -> None:
    problem = Problem.at("amount", "3 value(s) are not numbers", [2, 3, 9], ["a", "b", "c"],
                         word="line", limit=2)
    assert problem.rows == (2, 3)
    assert str(problem) == ("column 'amount': 3 value(s) are not numbers; first at "
                            "line 2 ('a'), line 3 ('b') (of 3)")
