"""The column vocabulary of customer data, and the mapping from a user's own column names.

One table per kind of file: ``transactions``, ``customers``, ``prospects``, ``complaints`` and
``support_contacts``. Each column has a canonical name, a kind of value (which fixes how it is
parsed and checked) and a one-line meaning; the data card ``data/samples/README.md`` describes
the same columns for people. A user's export need not be renamed by hand: a column map
(``{"Order Date": "date"}``, their name to ours) renames it on load.

Every table shares one id space: ``customer_id`` names a person, whether still a lead in
``prospects`` or a buyer in ``transactions``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from workbook.core.validation import ParameterError

__all__ = [
    "COMPLAINTS",
    "CUSTOMERS",
    "HISTORY_COLUMNS",
    "PROSPECTS",
    "SCHEMAS",
    "SUPPORT_CONTACTS",
    "TRANSACTIONS",
    "ColumnSpec",
    "TableSchema",
    "get_schema",
    "normalize_column_map",
    "parse_column_map",
    "suggest_column",
]

HISTORY_COLUMNS: tuple[str, ...] = ("frequency", "recency", "T", "monetary_value")
"""A customer's purchase history as the lifetime-value models read it (pymc-marketing's and
lifetimes' vocabulary): repeat purchase days, age at the last one and at the end of the data
(days), mean spend per repeat purchase. The full per-customer summary
(:data:`workbook.data.summary.SUMMARY_COLUMNS`) starts with these."""

ValueKind = Literal["id", "date", "amount", "count", "flag", "text"]
"""How a column is parsed and checked.

``id``: text, never empty. ``date``: an ISO date or timestamp (time of day dropped), or the
``date_format`` given on load. ``amount``: a number (currency); negative only on a refund.
``count``: a whole number, 0 or more. ``flag``: true/false, 1/0, yes/no (empty is false).
``text``: any text.
"""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a table.

    Attributes
    ----------
    name
        Canonical name, as the package uses it.
    kind
        How the value is parsed and checked; see :data:`ValueKind`.
    required
        Whether every file of this kind must have the column.
    meaning
        One line for the data card and error messages.
    """

    name: str
    kind: ValueKind
    required: bool
    meaning: str


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The columns of one kind of file."""

    kind: str
    columns: tuple[ColumnSpec, ...]
    meaning: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every canonical column name, required first as declared."""
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the columns every file must have."""
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> ColumnSpec:
        """The column ``name``; ``KeyError`` listing the known ones otherwise."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.kind} has no column {name!r}; known: {', '.join(self.names)}")


TRANSACTIONS = TableSchema(
    "transactions",
    (
        ColumnSpec("customer_id", "id", True, "the buyer's id"),
        ColumnSpec("date", "date", True, "date (or timestamp) of the purchase or refund"),
        ColumnSpec("amount", "amount", True,
                   "order value in currency; negative only on a refund row"),
        ColumnSpec("order_id", "id", False, "the order's id"),
        ColumnSpec("channel", "text", False, "where the order was placed (web, store, phone)"),
        ColumnSpec("refund", "flag", False,
                   "true on a refund row: its amount (negative or not) is taken back"),
    ),
    "One row per purchase or refund.",
)

CUSTOMERS = TableSchema(
    "customers",
    (
        ColumnSpec("customer_id", "id", True, "the customer's id"),
        ColumnSpec("signup_date", "date", True, "first contact or sign-up date"),
        ColumnSpec("segment", "text", False, "a grouping for per-segment figures"),
        ColumnSpec("referred_by", "id", False,
                   "id of the customer who referred this one (empty when none)"),
        ColumnSpec("referrals", "count", False,
                   "customers this one has referred, as of the export"),
        ColumnSpec("advocate", "flag", False,
                   "true for a known advocate (e.g. a promoter in a survey)"),
    ),
    "One row per customer (a person who signed up or bought).",
)

PROSPECTS = TableSchema(
    "prospects",
    (
        ColumnSpec("customer_id", "id", True,
                   "the lead's id; the same id in transactions once they buy"),
        ColumnSpec("first_contact_date", "date", True,
                   "when the lead became known (a suspect from then on)"),
        ColumnSpec("qualified_date", "date", False,
                   "when the lead showed a need and the means to buy (a prospect from then "
                   "on); empty when never qualified"),
        ColumnSpec("channel", "text", False, "where the lead came from"),
    ),
    "One row per lead, converted or not.",
)

COMPLAINTS = TableSchema(
    "complaints",
    (
        ColumnSpec("complaint_id", "id", True, "the complaint's id"),
        ColumnSpec("customer_id", "id", True, "who complained"),
        ColumnSpec("date", "date", True, "when the complaint was received"),
        ColumnSpec("channel", "text", False, "how it was received (phone, email, chat, store)"),
        ColumnSpec("category", "text", False, "what it was about"),
        ColumnSpec("resolved_date", "date", False, "when it was resolved; empty when open"),
    ),
    "One row per complaint.",
)

SUPPORT_CONTACTS = TableSchema(
    "support_contacts",
    (
        ColumnSpec("contact_id", "id", True, "the contact's id"),
        ColumnSpec("customer_id", "id", True, "who got in touch"),
        ColumnSpec("date", "date", True, "when"),
        ColumnSpec("channel", "text", False, "phone, email or chat"),
        ColumnSpec("reason", "text", False, "why they got in touch"),
        ColumnSpec("resolved_first_contact", "flag", False,
                   "true when solved in this first contact"),
    ),
    "One row per support contact (a question, not necessarily a complaint).",
)

SCHEMAS: Mapping[str, TableSchema] = MappingProxyType(
    {s.kind: s for s in (TRANSACTIONS, CUSTOMERS, PROSPECTS, COMPLAINTS, SUPPORT_CONTACTS)}
)
"""Every table schema by kind."""


def get_schema(kind: str) -> TableSchema:
    """The schema of ``kind``.

    Raises
    ------
    ParameterError
        For an unknown kind, naming the closest known one.
    """
    try:
        return SCHEMAS[kind]
    except KeyError:
        raise ParameterError.unknown(kind, SCHEMAS, "the data kinds") from None


def normalize_column_map(
    column_map: Mapping[str, str] | None, kind: str = "transactions"
) -> dict[str, str]:
    """Check a column map (their name → our name) against the schema of ``kind``.

    Raises
    ------
    ParameterError
        When a target is not a column of ``kind``, or two of their columns map to one of ours.

    Examples
    --------
    >>> normalize_column_map({"Order Date": "date", "Total": "amount"})
    {'Order Date': 'date', 'Total': 'amount'}
    """
    schema = get_schema(kind)
    result: dict[str, str] = {}
    for theirs, ours in (column_map or {}).items():
        if not isinstance(theirs, str) or not isinstance(ours, str) or not theirs.strip():
            raise ParameterError("column_map", "column names (text) on both sides", (theirs, ours))
        if ours not in schema.names:
            close = difflib.get_close_matches(ours, schema.names, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ParameterError(
                "column_map", f"targets among the {kind} columns {', '.join(schema.names)}"
                f"{hint}", ours)
        if ours in result.values():
            raise ParameterError("column_map", f"at most one column mapped to {ours!r}", theirs)
        result[theirs] = ours
    return result


def parse_column_map(text: str) -> dict[str, str]:
    """A column map from text: ``"THEIRS:OURS, THEIRS:OURS"`` (for notebook and CLI values).

    Spaces around names are dropped; an empty text gives an empty map.

    Raises
    ------
    ParameterError
        When a pair has no colon or an empty side.

    Examples
    --------
    >>> parse_column_map("Order Date:date, Total:amount")
    {'Order Date': 'date', 'Total': 'amount'}
    >>> parse_column_map("")
    {}
    """
    result: dict[str, str] = {}
    for pair in (p for p in text.split(",") if p.strip()):
        theirs, colon, ours = pair.rpartition(":")
        if not colon or not theirs.strip() or not ours.strip():
            raise ParameterError("column_map", "pairs THEIRS:OURS separated by commas", pair)
        result[theirs.strip()] = ours.strip()
    return result


def suggest_column(missing: str, found: Iterable[str]) -> str | None:
    """The found column name closest to a missing one, if any is close."""
    names = list(found)
    close = difflib.get_close_matches(missing.lower(), [f.lower() for f in names], n=1,
                                      cutoff=0.5)
    if not close:
        return None
    return next(f for f in names if f.lower() == close[0])
