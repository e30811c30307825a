"""The column vocabulary: column maps, and the data card that documents every column."""

from __future__ import annotations

import re

import pytest

from workbook.core.paths import SAMPLES
from workbook.core.validation import ParameterError
from workbook.data.schema import (
    SCHEMAS,
    TRANSACTIONS,
    get_schema,
    normalize_column_map,
    parse_column_map,
    suggest_column,
)


def test_every_schema_column_is_in_the_data_card() -> None:
    card = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for kind, schema in SCHEMAS.items():
        assert f"`{kind}.csv`" in card, kind
        for name in schema.names:
            assert re.search(rf"`{name}`", card), f"{kind}.{name} missing from the data card"


def test_required_columns_of_transactions() -> None:
    assert TRANSACTIONS.required == ("customer_id", "date", "amount")
    assert TRANSACTIONS.column("refund").kind == "flag"
    with pytest.raises(KeyError, match="known: customer_id"):
        TRANSACTIONS.column("price")


def test_column_map_from_text_keeps_spaces_inside_names() -> None:
    assert parse_column_map(" Order Date : date ,Total:amount,") == {
        "Order Date": "date", "Total": "amount"}


@pytest.mark.parametrize("text", ["Order Date", ":date", "Total:", "a:b:"])
def test_column_map_text_without_a_pair_is_refused(text: str) -> None:
    with pytest.raises(ParameterError, match="column_map: expected pairs THEIRS:OURS"):
        parse_column_map(text)


def test_column_map_target_must_be_a_column_of_the_kind() -> None:
    with pytest.raises(ParameterError, match=r"did you mean amount\?"):
        normalize_column_map({"Total": "amont"})
    with pytest.raises(ParameterError, match="at most one column mapped to 'date'"):
        normalize_column_map({"a": "date", "b": "date"})
    assert normalize_column_map({"Joined": "signup_date"}, "customers") == {
        "Joined": "signup_date"}


def test_unknown_kind_suggests_the_closest() -> None:
    with pytest.raises(ParameterError, match="did you mean transactions"):
        get_schema("transaction")


def test_suggest_column_ignores_case() -> None:
    assert suggest_column("amount", ["Customer", "AMNT", "Date"]) == "AMNT"
    assert suggest_column("amount", ["x", "y"]) is None
