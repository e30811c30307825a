"""Call logs: validation messages, never touching the input, and the seeded sample."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.data.calllog import (
    COLUMNS,
    SAMPLE_CALL_LOG,
    CallLogError,
    generate_call_log,
    load_call_log,
    load_sample_call_log,
    validate_call_log,
    write_sample_call_log,
)
from workbook.models.responsiveness.observed import share_answered_within

HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "1,2026-03-02 08:00:13,0,180,0",
    "2,2026-03-02 08:01:40,12.5,200,false",
    "3,2026-03-02 08:02:05,75,0,TRUE",
]


def write_log(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- loading and validation -----------------------------------------------------------------

def test_a_good_log_loads_typed(tmp_path: Path) -> None:
    log = load_call_log(write_log(tmp_path, GOOD_ROWS))
    assert list(log.columns) == list(COLUMNS)
    assert pd.api.types.is_datetime64_dtype(log["arrived_at"])
    assert log["wait_seconds"].tolist() == [0.0, 12.5, 75.0]
    assert log["abandoned"].tolist() == [False, False, True]
    assert log["call_id"].tolist() == ["1", "2", "3"]


def test_missing_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    path = write_log(tmp_path, ["1,2026-03-02 08:00:13,180,0"],
                     header="call_id,arrived_at,handle_seconds,abandoned")
    with pytest.raises(CallLogError) as caught:
        load_call_log(path)
    assert caught.value.column == "wait_seconds"
    assert str(path) in str(caught.value) and "wait_seconds" in str(caught.value)


def test_unparseable_timestamp_gives_the_line(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "4,2026-13-45 08:00:00,0,100,0", "5,yesterday,0,100,0"]
    with pytest.raises(CallLogError) as caught:
        load_call_log(write_log(tmp_path, rows))
    error = caught.value
    assert error.column == "arrived_at" and error.rows == (5, 6)  # header is line 1
    assert "line 5 ('2026-13-45 08:00:00'), line 6 ('yesterday')" in str(error)


def test_timestamp_with_a_zone_is_refused(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "4,2026-03-02T09:00:00+02:00,0,100,0"]
    with pytest.raises(CallLogError, match="time zone") as caught:
        load_call_log(write_log(tmp_path, rows))
    assert caught.value.rows == (5,)


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("4,2026-03-02 09:00:00,-3,100,0", "wait_seconds", "negative seconds"),
        ("4,2026-03-02 09:00:00,0,-100,0", "handle_seconds", "negative seconds"),
        ("4,2026-03-02 09:00:00,,100,0", "wait_seconds", "not a finite number"),
        ("4,2026-03-02 09:00:00,0,ten,0", "handle_seconds", "not a finite number"),
        ("4,2026-03-02 09:00:00,0,100,maybe", "abandoned", "not 1/0"),
        ("2,2026-03-02 09:00:00,0,100,0", "call_id", "already used"),
        (",2026-03-02 09:00:00,0,100,0", "call_id", "empty call id"),
    ],
)
def test_bad_values_name_column_and_line(tmp_path: Path, row: str, column: str,
                                         problem: str) -> None:
    path = write_log(tmp_path, [*GOOD_ROWS, row])
    with pytest.raises(CallLogError) as caught:
        load_call_log(path)
    assert caught.value.column == column and caught.value.rows == (5,)
    assert problem in str(caught.value) and str(path) in str(caught.value)


def test_many_offending_rows_are_summarised(tmp_path: Path) -> None:
    rows = [f"{i},2026-03-02 09:00:00,-1,100,0" for i in range(1, 13)]
    with pytest.raises(CallLogError, match=r"line 6 \('-1'\) \(of 12\)") as caught:
        load_call_log(write_log(tmp_path, rows))
    assert caught.value.rows == (2, 3, 4, 5, 6)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CallLogError, match="empty"):
        load_call_log(empty)
    with pytest.raises(FileNotFoundError, match=re.escape("nowhere.csv")):
        load_call_log(tmp_path / "nowhere.csv")


def test_loading_never_modifies_the_file(tmp_path: Path) -> None:
    path = write_log(tmp_path, GOOD_ROWS)
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    load_call_log(path)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_validating_a_table_never_modifies_it() -> None:
    frame = pd.DataFrame({"call_id": [7, 8], "arrived_at": ["2026-03-02 09:00:00"] * 2,
                          "wait_seconds": ["1", "2"], "handle_seconds": [10, 20],
                          "abandoned": ["no", "yes"], "queue": ["sales", "support"]})
    before = frame.copy(deep=True)
    log = validate_call_log(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert log["abandoned"].tolist() == [False, True]
    assert log["queue"].tolist() == ["sales", "support"]  # extra columns kept


def test_table_messages_quote_index_labels() -> None:
    frame = pd.DataFrame({"call_id": ["a", "b"], "arrived_at": ["2026-03-02 09:00:00"] * 2,
                          "wait_seconds": [1, -2], "handle_seconds": [10, 20],
                          "abandoned": [0, 0]}, index=[100, 101])
    with pytest.raises(CallLogError, match=r"call log: column 'wait_seconds': negative "
                                           r"seconds; first at row 101 \(-2\)"):
        validate_call_log(frame)


def test_typed_tables_are_accepted_and_zoned_ones_refused() -> None:
    stamps = pd.to_datetime(["2026-03-02 09:00:00", "2026-03-02 09:05:00"])
    frame = pd.DataFrame({"call_id": ["a", "b"], "arrived_at": stamps,
                          "wait_seconds": [1.0, 2.0], "handle_seconds": [10.0, 0.0],
                          "abandoned": [False, True]})
    assert validate_call_log(frame)["arrived_at"].tolist() == stamps.tolist()
    zoned = frame.assign(arrived_at=stamps.tz_localize("Europe/Helsinki"))
    with pytest.raises(CallLogError, match="time zone"):
        validate_call_log(zoned)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 86_399), st.integers(0, 600),
                               st.integers(0, 3_600), st.booleans()), min_size=1, max_size=40))
def test_csv_round_trip(tmp_path_factory: pytest.TempPathFactory,
                        rows: list[tuple[int, int, int, bool]]) -> None:
    start = pd.Timestamp("2026-03-02")
    frame = pd.DataFrame({
        "call_id": [f"c{i}" for i in range(len(rows))],
        "arrived_at": [start + pd.Timedelta(seconds=r[0]) for r in rows],
        "wait_seconds": [float(r[1]) for r in rows],
        "handle_seconds": [float(r[2]) for r in rows],
        "abandoned": [r[3] for r in rows],
    })
    path = tmp_path_factory.mktemp("roundtrip") / "log.csv"
    frame.to_csv(path, index=False)
    loaded = load_call_log(path)
    pd.testing.assert_frame_equal(loaded, validate_call_log(frame), check_dtype=False)


# --- the sample generator -------------------------------------------------------------------

def test_generator_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first = write_sample_call_log(tmp_path / "a.csv").read_bytes()
    second = write_sample_call_log(tmp_path / "b.csv").read_bytes()
    assert first == second
    assert len(first) < 1_000_000


def test_shipped_sample_is_the_generators_output(tmp_path: Path) -> None:
    # The sample is never edited by hand; regenerate it with `python -m workbook.data.calllog`.
    fresh = write_sample_call_log(tmp_path / "call_log.csv").read_bytes()
    assert SAMPLE_CALL_LOG.read_bytes() == fresh


def test_generated_frame_is_the_written_file(tmp_path: Path) -> None:
    pd.testing.assert_frame_equal(generate_call_log(), load_sample_call_log())
    other = generate_call_log(seed=1, weeks=1)
    assert len(other) < len(load_sample_call_log())


def test_generator_options_are_validated() -> None:
    for kwargs, name in [({"weeks": 0}, "weeks"), ({"seed": -1}, "seed"),
                         ({"start": "March"}, "start")]:
        with pytest.raises(ParameterError) as caught:
            generate_call_log(**kwargs)
        assert caught.value.name == name


def test_sample_has_the_documented_shape() -> None:
    log = load_sample_call_log()
    stamps = log["arrived_at"]
    weekday, minute = stamps.dt.day_of_week, stamps.dt.hour * 60 + stamps.dt.minute
    per_weekday = log.groupby(weekday).size()
    assert 6 not in per_weekday.index  # closed on Sunday
    assert per_weekday.loc[0] > 1.5 * per_weekday.loc[5]  # Monday busier than Saturday
    weekdays = weekday < 5
    assert minute[weekdays].between(8 * 60, 20 * 60 - 1).all()
    assert minute[weekday == 5].between(9 * 60, 17 * 60 - 1).all()
    hour = stamps.dt.hour
    assert (hour == 10).sum() > 2 * (hour == 8).sum()  # morning peak
    assert stamps.is_monotonic_increasing
    assert (log.loc[log["abandoned"], "handle_seconds"] == 0).all()
    assert (log.loc[~log["abandoned"], "handle_seconds"] >= 10).all()
    assert 0.01 < log["abandoned"].mean() < 0.20


def test_sample_waits_show_the_lunch_gap() -> None:
    # The fictional roster is one agent short from 12:00 to 13:30 on weekdays.
    log = load_sample_call_log()
    stamps = log["arrived_at"]
    minute = stamps.dt.hour * 60 + stamps.dt.minute
    weekdays = (stamps.dt.day_of_week < 5).to_numpy()
    lunch = weekdays & minute.between(12 * 60, 13 * 60 + 29).to_numpy()
    rest = weekdays & ~lunch
    assert share_answered_within(log[lunch], 24) < share_answered_within(log[rest], 24) - 0.05
    assert 0.5 < share_answered_within(log, 24) < 0.95
    assert np.all(log["wait_seconds"].to_numpy() >= 0)
