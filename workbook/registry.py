"""The registry of assumptions: the one source of every figure the workbook uses.

Each entry carries its value, a plausible low–high range (the span of a dashboard slider and,
later, of an uncertainty distribution), a unit and the source that states it. Two kinds live
here:

- **figures from the source texts** (``../shared/service-facts.md``; the seed file is named in
  ``seed``). Where a text gives a range ("3–5 people") the range is the text's and the value
  its midpoint; where it gives one figure the range is the workbook's judgement, said in
  ``range_basis``.
- **business inputs** the models need (customers, spend, margin, retention, costs). Their
  defaults describe a *fictional* mid-size business and say so in ``source``: replace them with
  your own figures.

Nothing here is computed or read from disk: importing the module has no side effects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType

import pandas as pd

__all__ = [
    "ASSUMPTIONS",
    "Assumption",
    "assumptions_table",
    "default",
    "get_assumption",
]

_FICTIONAL = "Illustrative default for a fictional mid-size business; replace with your own figure"


@dataclass(frozen=True, slots=True)
class Assumption:
    """One registered figure.

    Attributes
    ----------
    key
        Registry key, e.g. ``"spend_uplift_excellent_service"``.
    label
        Short human name, shown beside sliders and in report tables.
    value
        The default value.
    low, high
        Plausible range, ``low <= value <= high``.
    unit
        Unit of ``value``, e.g. ``"fraction of spend"``, ``"people"``, ``"currency/year"``.
    source
        Who states the figure, where and when.
    seed
        The seed text the figure was read from (file name prefix in ``shared/seeds``), or
        ``""`` for business inputs.
    range_basis
        Where ``low``/``high`` come from: ``"source"`` when the text gives the range,
        ``"judgement"`` when the workbook chose a plausible span around a single figure.
    note
        Anything a reader needs to use the figure correctly.
    """

    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    seed: str = ""
    range_basis: str = "judgement"
    note: str = ""


_ENTRIES: tuple[Assumption, ...] = (
    # --- Figures from the source texts -------------------------------------------------------
    Assumption(
        "spend_uplift_excellent_service", "Spend uplift from excellent service",
        0.09, 0.03, 0.15, "fraction of annual spend",
        "American Express Global Customer Service Barometer, Aug 2010", "001",
        note="Customers spend on average 9 % more with a company they believe gives "
        "excellent service.",
    ),
    Assumption(
        "share_service_more_important", "Customers for whom service matters more now",
        0.61, 0.50, 0.70, "fraction of customers",
        "American Express Global Customer Service Barometer, Aug 2010", "001",
    ),
    Assumption(
        "acquisition_to_retention_cost_ratio", "Cost of a new customer vs. keeping one",
        5.0, 3.0, 7.0, "ratio",
        "White House Office of Consumer Affairs", "001",
        note="Attracting a new customer costs about five times as much as keeping one.",
    ),
    Assumption(
        "influence_circle", "People each customer influences",
        250, 150, 350, "people", "White House Office of Consumer Affairs", "001",
    ),
    Assumption(
        "happy_customer_tells", "People a happy customer tells",
        4, 3, 5, "people", "Common statistic quoted in the article", "001", "source",
    ),
    Assumption(
        "unhappy_customer_tells", "People an unhappy customer tells",
        12.5, 10, 15, "people",
        "Common statistic quoted in the article; social media multiplies it "
        "(\"United Breaks Guitars\")", "001", "source",
    ),
    Assumption(
        "complaint_recovery_retention", "Complainers who stay when fixed fast",
        0.70, 0.60, 0.80, "fraction of complaining customers",
        "The article's \"3 P's\": resolved promptly, positively, professionally", "001",
    ),
    Assumption(
        "phone_answer_ring", "Answer the phone by ring",
        4, 3, 5, "rings", "Service-strategy book (seed 002)", "002",
        note="Answering by the 4th ring with a caring greeting meets or exceeds the average "
        "customer's expectation; later disappoints.",
    ),
    Assumption(
        "imitation_days_price_cut", "Days until a price cut is matched",
        1, 0.5, 2, "days", "Service-strategy book (seed 002)", "002",
    ),
    Assumption(
        "imitation_months_product", "Months until a new product is copied",
        9, 6, 12, "months", "Service-strategy book (seed 002)", "002", "source",
    ),
    Assumption(
        "imitation_service_strategy", "Years until a service strategy is copied",
        10, 5, 20, "years", "Service-strategy book (seed 002)", "002",
        note="The text says \"never (in practice)\"; 10 years stands in for a span beyond "
        "any plan.",
    ),
    Assumption(
        "first_impression_seconds", "Seconds to form a first impression",
        25, 20, 30, "seconds", "\"3 main laws of customer service\" (seed 000)", "000", "source",
    ),
    Assumption(
        "harvest_multiplier", "Return on good service (law of harvest)",
        3.5, 3, 4, "ratio", "\"3 main laws of customer service\" (seed 000)", "000", "source",
    ),
    Assumption(
        "pareto_revenue_share", "Revenue from the top customers",
        0.80, 0.60, 0.90, "fraction of revenue",
        "Jill Griffin, law 2 (the 80/20 rule)", "003",
        note="About 80 % of revenue comes from the top 20 % of customers "
        "(pareto_top_customer_share).",
    ),
    Assumption(
        "pareto_top_customer_share", "Top customers in the 80/20 rule",
        0.20, 0.05, 0.50, "fraction of customers",
        "Jill Griffin, law 2 (the 80/20 rule)", "003",
    ),
    Assumption(
        "winback_vs_new_odds", "Win-back vs. new-customer odds",
        2.0, 1.5, 3.0, "ratio", "Jill Griffin, law 7", "003",
        note="Winning back a lost customer is about twice as likely as winning a new one.",
    ),
    # --- Business inputs: a fictional mid-size business -------------------------------------
    Assumption(
        "customers", "Active customers", 10_000, 1_000, 100_000, "customers", _FICTIONAL,
    ),
    Assumption(
        "annual_spend_per_customer", "Spend per customer", 1_200, 300, 5_000,
        "currency/customer/year", _FICTIONAL,
    ),
    Assumption(
        "gross_margin_rate", "Gross margin", 0.35, 0.10, 0.70, "fraction of revenue",
        _FICTIONAL,
    ),
    Assumption(
        "annual_retention_rate", "Annual retention", 0.75, 0.50, 0.95, "fraction/year",
        _FICTIONAL,
        note="Share of customers at the start of a year who are still customers at its end.",
    ),
    Assumption(
        "retention_cost_per_customer", "Cost to keep a customer", 50, 10, 200,
        "currency/customer/year", _FICTIONAL,
        note="Yearly cost of keeping one existing customer (account care, service). "
        "Acquiring a new one costs acquisition_to_retention_cost_ratio times this.",
    ),
    Assumption(
        "excellent_service_share", "Customers reached by excellent service", 0.50, 0.10, 1.0,
        "fraction of customers", _FICTIONAL,
        note="Share of the customer base that experiences the improved, excellent service.",
    ),
    Assumption(
        "retention_uplift_rate", "Retention uplift from excellent service", 0.03, 0.0, 0.10,
        "fraction/year (percentage points of retention)", _FICTIONAL,
        note="Added to annual retention for customers who get excellent service. The source "
        "texts give no figure: measure it (retention of served vs. not served).",
    ),
    Assumption(
        "upfront_investment", "One-off service investment", 200_000, 0, 1_000_000,
        "currency", _FICTIONAL,
    ),
    Assumption(
        "annual_service_cost", "Yearly cost of the service programme", 80_000, 0, 500_000,
        "currency/year", _FICTIONAL,
    ),
    Assumption(
        "horizon_years", "Horizon", 5, 1, 10, "years", _FICTIONAL,
    ),
    Assumption(
        "discount_rate", "Discount rate", 0.08, 0.0, 0.20, "fraction/year", _FICTIONAL,
    ),
    # --- Responsiveness and quality (issue 5) ------------------------------------------------
    # --- end of responsiveness and quality ---------------------------------------------------
    # --- Uncertainty (issue 7) ---------------------------------------------------------------
    # --- end of uncertainty ------------------------------------------------------------------
)

ASSUMPTIONS: Mapping[str, Assumption] = MappingProxyType({a.key: a for a in _ENTRIES})
"""Every registered assumption by key (read-only)."""


def get_assumption(key: str) -> Assumption:
    """Return the registered assumption ``key``.

    Raises
    ------
    KeyError
        With the list of known keys, when ``key`` is not registered.
    """
    try:
        return ASSUMPTIONS[key]
    except KeyError:
        known = ", ".join(sorted(ASSUMPTIONS))
        raise KeyError(f"no assumption {key!r} in the registry; known: {known}") from None


def default(key: str) -> float:
    """The registered default value of ``key`` (for dataclass field defaults).

    Examples
    --------
    >>> default("spend_uplift_excellent_service")
    0.09
    """
    return get_assumption(key).value


def assumptions_table(keys: Iterable[str] | None = None) -> pd.DataFrame:
    """The registry (or the entries ``keys``) as a table, one row per assumption.

    Columns: ``label, value, low, high, unit, source, seed, range_basis, note``, indexed by
    ``key``. Reports show it next to the numbers it drives.
    """
    chosen = [get_assumption(k) for k in keys] if keys is not None else list(ASSUMPTIONS.values())
    frame = pd.DataFrame([asdict(a) for a in chosen]).set_index("key")
    return frame
