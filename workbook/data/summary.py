"""The per-customer purchase summary: frequency, recency, tenure and monetary value.

The summary every buy-till-you-die model starts from (BG/NBD, Pareto/NBD, Gamma-Gamma), with
the definitions of ``lifetimes.utils.summary_data_from_transaction_data`` and the column
vocabulary of lifetimes and pymc-marketing (``frequency, recency, T, monetary_value``). It is
one Ibis query, computed in the engine (DuckDB by default), never in a Python loop; on DuckDB
the distinct purchase days are counted with a bitmap per customer in one pass (half the work
of grouping by customer and day, the portable way used on other engines).

Read the tenure as ``summary["T"]``: ``summary.T`` is pandas' transpose.

:func:`features_expr` extends the same query to every person the loyalty ladder places (leads
and sign-ups who never bought included): the periods with a purchase, revenue net of refunds
and referrals, the facts :mod:`workbook.models.loyalty.ladder`'s rules read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbook.core.validation import ParameterError
from workbook.data.load import (
    CustomerData,
    DataError,
    Source,
    fetch_value,
    load_table,
    parse_as_of,
)
from workbook.data.schema import HISTORY_COLUMNS

__all__ = [
    "SUMMARY_COLUMNS",
    "features_expr",
    "fetch_by_customer",
    "purchase_stats",
    "summarize_customers",
    "summary_expr",
]

SUMMARY_COLUMNS = (*HISTORY_COLUMNS, "first_purchase", "last_purchase")
"""The columns of :func:`summarize_customers`, in order: the purchase history the
lifetime-value models read (:data:`workbook.data.schema.HISTORY_COLUMNS`), then the dates of
the first and last purchase."""

MAX_BITMAP_DAYS = 4_000
"""Longest history (days) counted with a per-customer bitmap of days; longer ones, or engines
other than DuckDB, group by customer and day instead (same result, about twice the work)."""

_ACTIVE_BITS = 62


@ibis.udf.agg.builtin(name="bitstring_agg")
def _bitstring_agg(value: int, low: int, high: int) -> str:  # type: ignore[empty-body]
    """DuckDB: a bitstring with bit ``value - low`` set for every value seen."""


@ibis.udf.scalar.builtin(name="bit_count")
def _bit_count(bits: str) -> int:  # type: ignore[empty-body]
    """DuckDB: the number of set bits."""


@ibis.udf.agg.builtin(name="arg_min")
def _arg_min(arg: float, key: dt.date) -> float:  # type: ignore[empty-body]
    """DuckDB: ``arg`` on the row with the smallest ``key``."""


@ibis.udf.scalar.builtin(name="divide")
def _int_divide(left: int, right: int) -> int:  # type: ignore[empty-body]
    """DuckDB: integer division (``//`` on integers), without a detour through floats."""


def _period_columns(amount: ir.Value, days_back: ir.Value, period_days: int | None,
                    span_days: int | None = None) -> dict[str, ir.Value]:
    """Spend in period 0 and the mask of periods with a purchase (``days_back >= 0``).

    ``span_days`` (DuckDB only) is the longest ``days_back``: integer division, and no
    filter on the mask when every period fits in it.
    """
    if period_days is None:
        return {}
    if span_days is None:
        period = (days_back // period_days).cast("int64")
    else:
        period = _int_divide(days_back, period_days)
    # period < 62 is days_back < 62 * period_days (days_back >= 0): no division in the filter
    fits = span_days is not None and span_days < _ACTIVE_BITS * period_days
    if not fits:
        # the engine may shift before it filters: keep the shift in range (1 << 64 fails)
        period = ibis.least(period, _ACTIVE_BITS)
    return {
        "period_spent": amount.sum(where=days_back < period_days),
        "active_mask": (ibis.literal(1, "int64") << period).bit_or(
            where=None if fits else days_back < _ACTIVE_BITS * period_days),
    }


def _stats_by_day(bought: ir.Table, day: ir.Value, period_days: int | None) -> ir.Table:
    """Portable: group by customer and day, then by customer (any Ibis backend)."""
    daily = bought.group_by(["customer_id", "date"]).aggregate(spent=bought.amount.sum())
    return daily.group_by("customer_id").aggregate(
        first_purchase=daily.date.min(),
        last_purchase=daily.date.max(),
        purchase_days=daily.count(),
        spent=daily.spent.sum(),
        first_spent=daily.spent.argmin(daily.date),
        **_period_columns(daily.spent, day.delta(daily.date, unit="day"), period_days),
    )


def _stats_by_bitmap(transactions: ir.Table, day: ir.Value, span_days: int,
                     period_days: int | None) -> ir.Table:
    """DuckDB: one pass over the rows; distinct days counted in a bitmap per customer.

    The spend of the first purchase day is the amount of the first row, except for customers
    with two rows on one day (rows > purchase days), whose first-day total a join adds up.
    """
    bought = transactions.filter(transactions.date <= day, ~transactions.refund)
    days_back = day.delta(bought.date, unit="day")
    per = bought.group_by("customer_id").aggregate(
        first_purchase=bought.date.min(),
        last_purchase=bought.date.max(),
        purchase_days=_bit_count(_bitstring_agg(days_back, 0, span_days)),
        rows=bought.count(),
        spent=bought.amount.sum(),
        first_row_spent=_arg_min(bought.amount, bought.date),
        **_period_columns(bought.amount, days_back, period_days, span_days),
    )
    shared = per.filter(per.rows > per.purchase_days).select(
        "customer_id", shared_first=per.first_purchase)
    # joined to the transactions themselves, not to ``bought``: a second reference to the
    # filtered rows would make the engine copy them all into a common table expression
    first_day = transactions.inner_join(shared, [transactions.customer_id == shared.customer_id,
                                                 transactions.date == shared.shared_first,
                                                 ~transactions.refund])
    totals = first_day.group_by("customer_id").aggregate(first_day_spent=first_day.amount.sum())
    # one projection over the join (not drop, mutate, drop): a smaller graph compiles faster
    joined = per.left_join(totals, per.customer_id == totals.customer_id)
    kept = [c for c in per.columns if c not in ("rows", "first_row_spent")]
    return joined.select(*[per[c] for c in kept],
                         first_spent=totals.first_day_spent.fill_null(per.first_row_spent))


def purchase_stats(transactions: ir.Table, as_of: dt.date, *,
                   period_days: int | None = None, method: str = "auto") -> ir.Table:
    """Per buyer: first and last purchase day, purchase days, spend, first-day spend.

    Parameters
    ----------
    transactions
        Canonical transactions (``customer_id, date, amount, refund``).
    as_of
        Later rows are left out; so are refund rows.
    period_days
        When given, also ``period_spent`` (spend in the last ``period_days``) and
        ``active_mask`` (bit ``k`` set when the customer bought in period ``k`` back from
        ``as_of``, for ``k < 62``).
    method
        ``"by_day"`` (portable: group by customer and day, then by customer), ``"bitmap"``
        (DuckDB only: one pass with a bitmap of days per customer, about half the work) or
        ``"auto"``: the bitmap on DuckDB when the history spans at most
        :data:`MAX_BITMAP_DAYS` days (one small query finds the earliest date), else by day.

    Returns
    -------
    ibis.expr.types.Table
        ``customer_id, first_purchase, last_purchase, purchase_days, spent, first_spent``
        (and the period columns), one row per customer with a purchase; not executed.
    """
    if method not in ("auto", "bitmap", "by_day"):
        raise ParameterError("method", "one of auto, bitmap, by_day", method)
    day = ibis.literal(as_of)
    bought = transactions.filter(transactions.date <= day, ~transactions.refund)
    if method == "by_day" or (method == "auto" and bought._find_backend().name != "duckdb"):
        return _stats_by_day(bought, day, period_days)
    earliest = fetch_value(bought.date.min())
    span = (as_of - earliest).days if earliest is not None else 0
    if method == "auto" and span > MAX_BITMAP_DAYS:
        return _stats_by_day(bought, day, period_days)
    return _stats_by_bitmap(transactions, day, span, period_days)


def summary_expr(transactions: ir.Table, as_of: dt.date, *, method: str = "auto") -> ir.Table:
    """The per-customer summary as an Ibis expression over canonical transactions.

    Parameters
    ----------
    transactions
        A table with the canonical columns ``customer_id``, ``date``, ``amount``, ``refund``
        (see :func:`workbook.data.load.load_table`).
    as_of
        The end of the observation period; later transactions are left out.
    method
        How purchase days are counted; see :func:`purchase_stats` (same result).

    Returns
    -------
    ibis.expr.types.Table
        ``customer_id`` and :data:`SUMMARY_COLUMNS`, one row per customer with a purchase on or
        before ``as_of``; not yet executed, so it runs on the table's own backend.

    Notes
    -----
    Refund rows are left out. Purchases are grouped by customer and day; with :math:`d_1 <
    \\dots < d_n` a customer's purchase days and :math:`v_k` the total spent on day
    :math:`d_k`:

    .. math::

        \\mathrm{frequency} = n - 1, \\qquad \\mathrm{recency} = d_n - d_1, \\qquad
        T = \\mathrm{as\\_of} - d_1, \\qquad
        \\mathrm{monetary\\_value} = \\frac{1}{n-1} \\sum_{k=2}^{n} v_k \\; (0 \\text{ if } n=1)

    in days. These are lifetimes' definitions (``freq="D"``, first purchase excluded).
    """
    per = purchase_stats(transactions, as_of, method=method)
    frequency = per.purchase_days - 1
    return per.select(
        "customer_id",
        frequency=frequency.cast("float64"),
        recency=per.last_purchase.delta(per.first_purchase, unit="day").cast("float64"),
        T=ibis.literal(as_of).delta(per.first_purchase, unit="day").cast("float64"),
        monetary_value=ibis.ifelse(frequency > 0, (per.spent - per.first_spent) / frequency,
                                   0.0),
        first_purchase=per.first_purchase,
        last_purchase=per.last_purchase,
    ).order_by("customer_id")


def summarize_customers(
    transactions: Source,
    as_of: dt.date | str | None = None,
    *,
    column_map: Mapping[str, str] | str | None = None,
) -> pd.DataFrame:
    """Frequency, recency, tenure ``T`` and monetary value of every customer, in days.

    Parameters
    ----------
    transactions
        A CSV or Parquet file (path or URL), a DuckDB database file (table
        ``transactions``), a pandas DataFrame or an Ibis table, with at least
        ``customer_id``, ``date`` and ``amount`` (see :mod:`workbook.data.schema`).
    as_of
        End of the observation period (a date or ISO text). ``None`` means the last
        transaction date. A transaction after it is an error: an export cannot hold the
        future.
    column_map
        Their column names to ours, e.g. ``{"Order Date": "date"}``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted), columns :data:`SUMMARY_COLUMNS`: ``frequency``
        (repeat purchase days), ``recency`` and ``T`` (days), ``monetary_value`` (mean total of
        the repeat purchase days), ``first_purchase`` and ``last_purchase`` (dates).

    Raises
    ------
    workbook.data.load.DataError
        Bad input (missing column, unreadable date or amount, a date after ``as_of``...),
        naming the file, the column and the first offending rows.

    Notes
    -----
    The definitions of :func:`summary_expr` (lifetimes'): equal to
    ``lifetimes.utils.summary_data_from_transaction_data(df, "customer_id", "date",
    "amount", observation_period_end=as_of)`` on the same purchases.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
    way: an alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275–284.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                     "date": ["2025-01-01", "2025-01-01", "2025-01-11", "2025-01-05"],
    ...                     "amount": [10.0, 5.0, 30.0, 8.0]})
    >>> summary = summarize_customers(log, "2025-01-31")
    >>> summary.index.tolist()
    ['a', 'b']
    >>> summary[["frequency", "recency", "T", "monetary_value"]].to_numpy().tolist()
    [[1.0, 10.0, 30.0, 30.0], [0.0, 0.0, 26.0, 0.0]]
    """
    limit = parse_as_of(as_of)
    table = load_table(transactions, "transactions", column_map=column_map, as_of=limit)
    if limit is None:
        last = fetch_value(table.date.max())
        if last is None:
            raise DataError(str(transactions), ["no transactions"])
        limit = pd.Timestamp(last).date()
    return fetch_by_customer(summary_expr(table, limit))[list(SUMMARY_COLUMNS)]


def fetch_by_customer(expr: ir.Table) -> pd.DataFrame:
    """Run ``expr`` (ordered by ``customer_id``) into a DataFrame indexed by ``customer_id``.

    Sorts in pandas only when the engine's order is not pandas' (an engine that collates
    differently): checking the order in Arrow costs milliseconds where pandas' own check on a
    million text ids costs a tenth of a second.
    """
    arrow = expr.to_pyarrow()
    frame = arrow.to_pandas(date_as_object=False).set_index("customer_id")
    if not _ascending(arrow.column("customer_id")):
        frame = frame.sort_index()
    return frame


def _ascending(ids: pa.ChunkedArray) -> bool:
    """Whether ``ids`` are in ascending order (byte order, as pandas sorts text), no nulls.

    In Arrow: some 100 times faster than pandas' ``is_monotonic_increasing`` on a text
    index, which turns a million ids into Python strings first.
    """
    if len(ids) < 2:
        return True
    if ids.null_count:
        return False
    return bool(pc.all(pc.less_equal(ids[:-1], ids[1:])).as_py())


def _purchase_features(transactions: ir.Table, as_of: dt.date, period_days: int) -> ir.Table:
    """One row per buyer: purchase days, active periods, spend and refunds."""
    day = ibis.literal(as_of)
    per = purchase_stats(transactions, as_of, period_days=period_days)
    t = transactions.filter(transactions.date <= day, transactions.refund)
    refunds = t.group_by("customer_id").aggregate(
        refunded=t.amount.abs().sum(),
        period_refunded=t.amount.abs().sum(where=day.delta(t.date, unit="day") < period_days),
    )
    joined = per.left_join(refunds, per.customer_id == refunds.customer_id)
    return joined.select(*[per[c] for c in per.columns],
                         refunded=refunds.refunded.fill_null(0.0),
                         period_refunded=refunds.period_refunded.fill_null(0.0))


def _outer(left: ir.Table, right: ir.Table) -> ir.Table:
    """Full outer join on ``customer_id``, keeping one ``customer_id`` column."""
    joined = left.outer_join(right, "customer_id")
    return joined.mutate(
        customer_id=ibis.coalesce(joined.customer_id, joined.customer_id_right)
    ).drop("customer_id_right")


def _people(data: CustomerData, as_of: dt.date,
            buyers: ir.Table) -> tuple[ir.Table, dict[str, ir.Value]]:
    """Buyers joined with everyone else known on ``as_of``, and the facts the rules need.

    The facts come as expressions over the joined table (defaults where a person has none),
    for the caller's one final projection.
    """
    day = ibis.literal(as_of)
    people = buyers
    defaults: dict[str, Any] = {"signed_up": False, "segment": ibis.null("string"),
                                "stated_referrals": 0, "advocate_flag": False,
                                "counted_referrals": 0, "qualified": False}
    if data.customers is not None:
        c = data.customers.filter(data.customers.signup_date <= day)
        people = _outer(people, c.group_by("customer_id").aggregate(
            signed_up=ibis.literal(True), segment=c.segment.max(),
            stated_referrals=c.referrals.max(), advocate_flag=c.advocate.any()))
        referred = c.filter(c.referred_by.notnull())
        people = _outer(people, referred.group_by(customer_id=referred.referred_by).aggregate(
            counted_referrals=referred.count()))
    if data.prospects is not None:
        p = data.prospects.filter(data.prospects.first_contact_date <= day)
        people = _outer(people, p.group_by("customer_id").aggregate(
            qualified=(p.qualified_date <= day).fill_null(False).any()))
    return people, {
        name: people[name].fill_null(value) if name in people.columns
        else (value if isinstance(value, ir.Value) else ibis.literal(value))
        for name, value in defaults.items()
    }


def features_expr(data: CustomerData, as_of: dt.date, period_days: int) -> ir.Table:
    """Every person known on ``as_of`` with the facts the ladder rules read, as Ibis.

    Columns: ``customer_id, segment, signed_up, qualified, advocate_flag, referrals,
    first_purchase, last_purchase, purchase_days, active_mask, revenue_to_date,
    period_revenue, frequency, recency, T, monetary_value``. ``active_mask`` has bit ``k`` set
    when the person bought in period ``k`` back from ``as_of`` (``k < 62``);
    ``period_revenue`` is the net revenue of period 0. The last four columns are
    :func:`workbook.data.summary.summary_expr`'s (zero for people who never bought).
    """
    s, facts = _people(data, as_of, _purchase_features(data.transactions, as_of, period_days))
    day = ibis.literal(as_of)
    bought = s.purchase_days.fill_null(0)
    frequency = ibis.greatest(bought - 1, 0)  # bought is never null
    return s.select(
        "customer_id",
        segment=facts["segment"],
        signed_up=facts["signed_up"],
        qualified=facts["qualified"],
        advocate_flag=facts["advocate_flag"],
        referrals=ibis.greatest(facts["stated_referrals"], facts["counted_referrals"]),
        first_purchase=s.first_purchase,
        last_purchase=s.last_purchase,
        purchase_days=bought,
        active_mask=s.active_mask.fill_null(0),
        revenue_to_date=(s.spent - s.refunded).fill_null(0.0),
        period_revenue=(s.period_spent.fill_null(0.0) - s.period_refunded).fill_null(0.0),
        frequency=frequency.cast("float64"),
        recency=s.last_purchase.delta(s.first_purchase, unit="day").fill_null(0)
        .cast("float64"),
        T=day.delta(s.first_purchase, unit="day").fill_null(0).cast("float64"),
        monetary_value=ibis.ifelse(frequency > 0, (s.spent - s.first_spent) / frequency, 0.0),
    ).order_by("customer_id")
