"""The per-customer summary: lifetimes' definitions, by hand and against lifetimes itself."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.data.load import DataError
from workbook.data.samples import sample_path
from workbook.data.summary import SUMMARY_COLUMNS, summarize_customers

RFM = ["frequency", "recency", "T", "monetary_value"]


def lifetimes_summary(frame: pd.DataFrame, as_of: str) -> pd.DataFrame:
    with warnings.catch_warnings():  # lifetimes 0.11 warns on pandas 3; archived upstream
        warnings.simplefilter("ignore")
        from lifetimes.utils import summary_data_from_transaction_data

        result = summary_data_from_transaction_data(
            frame, "customer_id", "date", "amount", observation_period_end=as_of)
    return result[RFM].rename_axis("customer_id")


def test_summary_by_hand() -> None:
    log = pd.DataFrame({
        "customer_id": ["a", "a", "a", "a", "b"],
        "date": ["2025-01-01", "2025-01-01 09:30", "2025-01-11", "2025-01-21", "2025-01-05"],
        "amount": [10.0, 5.0, 30.0, 50.0, 8.0],
    })
    got = summarize_customers(log, "2025-01-31")
    # a: purchase days 1 (two orders), 11 and 21 January; repeat-day totals 30 and 50
    assert list(got.columns) == list(SUMMARY_COLUMNS)
    assert got.loc["a", RFM].tolist() == [2.0, 20.0, 30.0, 40.0]
    assert got.loc["b", RFM].tolist() == [0.0, 0.0, 26.0, 0.0]
    assert got.loc["a", "first_purchase"] == pd.Timestamp("2025-01-01")
    assert got.loc["a", "last_purchase"] == pd.Timestamp("2025-01-21")


def test_transactions_after_the_as_of_date_are_refused() -> None:
    log = pd.DataFrame({"customer_id": ["a", "c"], "date": ["2025-01-01", "2025-02-01"],
                        "amount": [1.0, 1.0]})
    with pytest.raises(DataError,
                       match=r"date\(s\) after the as-of date 2025-01-31; first at row 2"):
        summarize_customers(log, "2025-01-31")


def test_as_of_defaults_to_the_last_transaction_date() -> None:
    log = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2025-01-01", "2025-01-09"],
                        "amount": [1.0, 1.0]})
    assert summarize_customers(log)["T"].tolist() == [8.0, 0.0]


def test_refunds_are_not_purchases() -> None:
    log = pd.DataFrame({"customer_id": ["a", "a", "a"],
                        "date": ["2025-01-01", "2025-01-05", "2025-01-09"],
                        "amount": [10.0, 20.0, -20.0], "refund": [False, False, True]})
    assert summarize_customers(log, "2025-01-10").loc["a", RFM].tolist() == [1.0, 4.0, 9.0,
                                                                             20.0]


def test_summary_equals_lifetimes_summary_data_from_transaction_data_on_the_sample() -> None:
    path = sample_path("transactions")
    ours = summarize_customers(path, "2025-12-31")
    frame = pd.read_csv(path, dtype={"customer_id": "string"})
    theirs = lifetimes_summary(frame[~frame["refund"]], "2025-12-31")
    assert len(ours) == 2_828
    pd.testing.assert_frame_equal(ours[RFM], theirs, check_dtype=False, check_index_type=False)


def test_summary_at_an_earlier_date_equals_lifetimes_on_the_earlier_log(tmp_path: Path) -> None:
    frame = pd.read_csv(sample_path("transactions"), dtype={"customer_id": "string"})
    frame = frame[~frame["refund"] & (frame["date"] <= "2024-06-30")]
    frame.to_parquet(tmp_path / "early.parquet")
    ours = summarize_customers(tmp_path / "early.parquet", "2024-06-30")
    pd.testing.assert_frame_equal(ours[RFM], lifetimes_summary(frame, "2024-06-30"),
                                  check_dtype=False, check_index_type=False)


def test_column_map_is_applied() -> None:
    log = pd.DataFrame({"Client": ["a"], "Day": ["2025-01-01"], "Total": [3.0]})
    got = summarize_customers(log, column_map={"Client": "customer_id", "Day": "date",
                                               "Total": "amount"})
    assert got.index.tolist() == ["a"]


def test_tenure_is_a_column_not_the_transpose() -> None:
    got = summarize_customers(sample_path("transactions"))
    assert got["T"].max() <= (dt.date(2025, 12, 31) - dt.date(2023, 1, 1)).days


# --- properties ---------------------------------------------------------------------------

logs = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 60),
              st.integers(0, 500_00).map(lambda cents: cents / 100)),
    min_size=1, max_size=25,
)


def to_frame(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    start = pd.Timestamp("2025-01-01")
    return pd.DataFrame({"customer_id": [r[0] for r in rows],
                         "date": [start + pd.Timedelta(days=r[1]) for r in rows],
                         "amount": [r[2] for r in rows]})


@settings(max_examples=15, deadline=None)
@given(logs, st.integers(0, 30))
def test_random_logs_equal_lifetimes(rows: list[tuple[str, int, float]], extra: int) -> None:
    frame = to_frame(rows)
    as_of = (frame["date"].max() + pd.Timedelta(days=extra)).date().isoformat()
    ours = summarize_customers(frame, as_of)
    pd.testing.assert_frame_equal(ours[RFM], lifetimes_summary(frame, as_of),
                                  check_dtype=False, check_index_type=False, atol=1e-9)
    assert (ours["frequency"] <= ours["recency"]).all()
    assert (ours["recency"] <= ours["T"]).all()
    assert ((ours["frequency"] > 0) | (ours["monetary_value"] == 0)).all()


@settings(max_examples=15, deadline=None)
@given(logs, st.integers(0, 30))
def test_bitmap_and_by_day_counting_agree(rows: list[tuple[str, int, float]],
                                          extra: int) -> None:
    from workbook.data.load import fetch_frame, load_table
    from workbook.data.summary import summary_expr

    table = load_table(to_frame(rows))
    as_of = (to_frame(rows)["date"].max() + pd.Timedelta(days=extra)).date()
    bitmap = fetch_frame(summary_expr(table, as_of, method="bitmap"))
    by_day = fetch_frame(summary_expr(table, as_of, method="by_day"))
    pd.testing.assert_frame_equal(bitmap, by_day, check_dtype=False, atol=1e-9)


def test_unknown_counting_method_is_refused() -> None:
    from workbook.core.validation import ParameterError
    from workbook.data.load import load_table
    from workbook.data.summary import purchase_stats

    table = load_table(sample_path("transactions"))
    with pytest.raises(ParameterError, match="method: expected one of auto, bitmap, by_day"):
        purchase_stats(table, dt.date(2025, 12, 31), method="fast")
