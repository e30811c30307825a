"""Loading and validation: every source type, and a clear message for every bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from workbook.core.validation import ParameterError
from workbook.data.load import (
    DataError,
    check_file,
    connect,
    fetch_frame,
    fetch_value,
    load_customer_data,
    load_table,
    parse_as_of,
)
from workbook.data.samples import sample_path

GOOD = "customer_id,date,amount\nA,2025-01-05,10.50\nA,2025-02-01,20\nB,2025-01-07,5\n"


def write(folder: Path, text: str, name: str = "tx.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_loads_with_canonical_columns_and_types(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, GOOD)).pipe(fetch_frame)
    assert list(table.columns) == ["customer_id", "date", "amount", "order_id", "channel",
                                   "refund"]
    assert table["amount"].tolist() == [10.5, 20.0, 5.0]
    assert table["refund"].tolist() == [False, False, False]
    assert pd.Timestamp(table["date"].iloc[0]).date() == dt.date(2025, 1, 5)


def test_parquet_duckdb_and_dataframe_give_the_same_table(tmp_path: Path) -> None:
    frame = pd.DataFrame({"customer_id": ["A", "A", "B"],
                          "date": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-01-07"]),
                          "amount": [10.5, 20.0, 5.0]})
    frame.to_parquet(tmp_path / "tx.parquet")
    with duckdb.connect(str(tmp_path / "shop.duckdb")) as con:
        con.execute("CREATE TABLE transactions AS SELECT * FROM frame")
    expected = load_table(write(tmp_path, GOOD)).pipe(fetch_frame)
    for source in (tmp_path / "tx.parquet", tmp_path / "shop.duckdb", frame):
        got = load_table(source).pipe(fetch_frame)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    csv = write(tmp_path, "Customer ID,Order Date,Total\n A ,2025-01-05,10\n")
    with duckdb.connect(str(tmp_path / "shop.duckdb")) as con:
        con.execute("CREATE TABLE transactions AS SELECT 'A' AS customer_id, "
                    "DATE '2025-01-05' AS date, 1.0 AS amount")
    frame = pd.DataFrame({"Customer ID": ["A"], "date": ["2025-01-05"], "amount": ["1"]})
    before = {p: digest(p) for p in (csv, tmp_path / "shop.duckdb")}
    load_table(csv, column_map={"Order Date": "date", "Total": "amount"})
    load_table(tmp_path / "shop.duckdb")
    load_table(frame)
    assert {p: digest(p) for p in before} == before
    assert list(frame.columns) == ["Customer ID", "date", "amount"]
    assert frame["amount"].tolist() == ["1"]


def test_column_map_and_loose_header_names(tmp_path: Path) -> None:
    path = write(tmp_path, "Customer ID,Order Date,Total\nA,2025-01-05,10\n")
    table = load_table(path, column_map="Order Date:date, Total:amount").pipe(fetch_frame)
    assert table["customer_id"].tolist() == ["A"]  # "Customer ID" matched without a map


def test_date_format_for_non_iso_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,date,amount\nA,31/01/2025,10\n")
    table = load_table(path, date_format="%d/%m/%Y").pipe(fetch_frame)
    assert pd.Timestamp(table["date"].iloc[0]).date() == dt.date(2025, 1, 31)


def test_refunds_may_be_negative(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,date,amount,refund\nA,2025-01-05,10,false\n"
                 "A,2025-01-09,-10,true\n")
    table = load_table(path).pipe(fetch_frame)
    assert table["refund"].tolist() == [False, True]


# --- every bad input gets its message ------------------------------------------------------

def error_of(source: object, **options: object) -> DataError:
    with pytest.raises(DataError) as caught:
        load_table(source, **options)  # type: ignore[arg-type]
    return caught.value


def test_missing_column_names_file_column_and_found_columns(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "customer_id,date\nA,2025-01-05\n"))
    assert error.column == "amount"
    assert str(error).startswith(f"{tmp_path / 'tx.csv'}: column 'amount': missing")
    assert "found columns: customer_id, date" in str(error)


def test_misnamed_column_suggests_a_column_map(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "customer_id,date,amt\nA,2025-01-05,3\n"))
    assert "did you mean 'amt'? map it with column_map={'amt': 'amount'}" in str(error)


def test_column_map_naming_an_absent_column(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD), column_map={"Total": "amount"})
    assert error.column == "Total"
    assert "named in the column map (as 'amount') but not in the file" in str(error)


def test_unparseable_date_gives_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,date,amount\nA,2025-01-05,1\nB,2025-13-01,2\n"
                 "C,2025-01-07,3\nD,yesterday,4\n")
    error = error_of(path)
    assert error.column == "date"
    assert error.rows == (3, 5)  # lines of the file, the header being line 1
    assert "2 value(s) are not dates" in str(error)
    assert "first at line 3 ('2025-13-01'), line 5 ('yesterday')" in str(error)


def test_non_numeric_amount_gives_its_line(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'customer_id,date,amount\nA,2025-01-05,"12,50"\n'))
    assert error.column == "amount"
    assert "line 2 ('12,50')" in str(error)
    assert "not numbers" in str(error)


def test_negative_amount_that_is_not_a_refund(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "customer_id,date,amount\nA,2025-01-05,1\n"
                           "A,2025-01-06,-4\n"))
    assert "negative amount(s) on rows that are not refunds" in str(error)
    assert error.rows == (3,)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    assert "the file is empty" in str(error_of(write(tmp_path, "")))
    assert "the file is empty" in str(error_of(write(tmp_path, "\n\n")))
    assert "has a header but no data rows" in str(error_of(write(tmp_path, "customer_id,date,"
                                                                 "amount\n")))


def test_wrong_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id;date;amount\nA;2025-01-05;1\n")
    error = error_of(path, delimiter=",")
    assert "wrong delimiter? pass delimiter=';'" in str(error)
    assert load_table(path).count().pipe(fetch_value) == 1  # detected when not forced


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    text = "customer_id,date,amount,channel\nA,2025-01-05,1,web\nB,2025-01-06,2,café\n"
    path = write(tmp_path, text, encoding="latin-1")
    error = error_of(path)
    assert "is not UTF-8 text (first at line 3)" in str(error)
    assert "encoding='latin-1'" in str(error)
    table = load_table(path, encoding="latin-1").pipe(fetch_frame)
    assert table["channel"].tolist() == ["web", "café"]


def test_dates_after_the_as_of_date(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD), as_of="2025-01-31")
    assert "1 date(s) after the as-of date 2025-01-31; first at line 3 ('2025-02-01')" \
        in str(error)


def test_dates_in_the_future_without_an_as_of_date(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "customer_id,date,amount\nA,2999-01-01,1\n"))
    assert "date(s) after today" in str(error)


def test_empty_required_id(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "customer_id,date,amount\n,2025-01-05,1\n"))
    assert error.column == "customer_id"
    assert "1 empty value(s); first at line 2 (empty)" in str(error)


def test_every_problem_is_listed_with_at_most_five_rows(tmp_path: Path) -> None:
    rows = "".join(f"A,2025-01-{d:02d},x\n" for d in range(1, 10))
    error = error_of(write(tmp_path, "customer_id,date,amount\n" + rows + ",2025-01-10,1\n"))
    assert [p.column for p in error.problems] == ["customer_id", "amount"]
    assert error.problems[1].rows == (2, 3, 4, 5, 6)
    assert "(of 9)" in str(error)


def test_dataframe_rows_are_numbered_from_one() -> None:
    frame = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2025-01-05", "nope"],
                          "amount": [1.0, 2.0]})
    error = error_of(frame)
    assert str(error).startswith("the transactions table (DataFrame): column 'date'")
    assert "row 2 ('nope')" in str(error)


def test_unknown_type_missing_file_and_missing_table(tmp_path: Path) -> None:
    assert "no such file" in str(error_of(tmp_path / "absent.csv"))
    assert "unknown file type .xlsx" in str(error_of(write(tmp_path, "x", "tx.xlsx")))
    with duckdb.connect(str(tmp_path / "shop.duckdb")) as con:
        con.execute("CREATE TABLE orders AS SELECT 1 AS x")
    assert "has no table 'transactions'; its tables: orders" in str(
        error_of(tmp_path / "shop.duckdb"))
    assert "expected a file path" in str(error_of(42))


def test_customers_checks_counts_and_flags(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,signup_date,referrals,advocate\nA,2025-01-01,2,yes\n"
                 "B,2025-01-02,-1,maybe\n")
    error = error_of(path, kind="customers")
    assert [p.column for p in error.problems] == ["referrals", "advocate"]


def test_url_sources_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert load_table(path.as_uri()).count().pipe(fetch_value) == 3


def test_check_file_summarises_a_valid_file(tmp_path: Path) -> None:
    text = check_file(write(tmp_path, GOOD))
    assert text.splitlines()[0] == "tx.csv: a valid transactions file, 3 rows"
    assert "customer_id: 2 distinct" in text
    assert "date: 2025-01-05 to 2025-02-01" in text
    assert "amount: total 35.50" in text


def test_check_file_raises_on_bad_input(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"tx\.csv: column 'amount': missing"):
        check_file(write(tmp_path, "customer_id,date\nA,2025-01-05\n"))


def test_samples_load_on_one_engine() -> None:
    data = load_customer_data()
    assert data.as_of == dt.date(2025, 12, 31)
    assert data.customers is not None and data.prospects is not None
    assert data.transactions.count().pipe(fetch_value) == 13_216
    assert data.source == str(sample_path("transactions"))


def test_tables_share_a_connection_when_given_one(tmp_path: Path) -> None:
    con = connect()
    a = load_table(write(tmp_path, GOOD), con=con)
    b = load_table(write(tmp_path, GOOD, "other.csv"), con=con)
    assert a.union(b).count().pipe(fetch_value) == 6


def test_parse_as_of_refuses_other_text() -> None:
    with pytest.raises(ParameterError, match="as_of: expected an ISO date"):
        parse_as_of("31/12/2025")
    assert parse_as_of(dt.datetime(2025, 1, 2, 3, 4)) == dt.date(2025, 1, 2)


def test_messages_name_the_users_own_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Client,Day,Total\nA,2025-13-01,1\n")
    error = error_of(path, column_map="Client:customer_id, Day:date, Total:amount")
    assert error.column == "Day"
    assert "column 'Day': 1 value(s) are not dates; dates must be ISO" in str(error)
    assert "(read as date); first at line 2 ('2025-13-01')" in str(error)
