"""Complaint statistics measured from a complaints file and the purchases behind it.

What the complaint-recovery model (:mod:`workbook.models.recovery.complaints`) can take from
data instead of the registry: how many active customers complain in a year, how fast
complaints are resolved (the distribution of days, the share within the registry's "prompt"
threshold), and whether complainers bought again after the complaint, for complaints resolved
promptly and not.

Files are read and checked by :func:`workbook.data.load.load_table` (schemas ``complaints`` and
``transactions``), so a bad file raises :class:`~workbook.data.DataError` naming the file, the
column and the first offending lines; a complaint resolved before it was received is refused
the same way.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbook.core.registry import default
from workbook.core.validation import ParameterError, require_integer
from workbook.data.checks import Checks, fetch_frame, run_checks
from workbook.data.load import CSV_SUFFIXES, Source, connect, load_table, parse_as_of
from workbook.data.samples import sample_path
from workbook.data.validate import DataError

__all__ = ["ComplaintStatistics", "measure_complaints"]


@dataclass(frozen=True, slots=True)
class ComplaintStatistics:
    """What a complaints file says about complaint handling.

    Attributes
    ----------
    source
        The complaints file (or a description of the table).
    as_of
        The last date of the data (last purchase, or the given as-of date).
    complaints, complaining_customers
        Complaint rows, and distinct customers among them.
    complaint_rate
        Share of active customers who complain in a year: (customer, calendar year) pairs with
        a complaint over pairs with a purchase.
    resolution_days
        Days from receipt to resolution, one per complaint (``nan`` while open).
    prompt_days
        The threshold: resolved within this many days is prompt.
    prompt_share
        Share of complaints resolved within ``prompt_days`` (open ones count as not prompt).
    open_share
        Share of complaints still open.
    window_days
        Days after a complaint in which a purchase counts as staying.
    followed_prompt, followed_not_prompt
        Complaints old enough to follow for ``window_days`` (received at least that long
        before ``as_of``), resolved promptly and not.
    retention_prompt, retention_not_prompt
        Share of those complainers who bought again within ``window_days``; ``None`` when
        no complaint of that kind can be followed.
    """

    source: str
    as_of: dt.date
    complaints: int
    complaining_customers: int
    complaint_rate: float
    resolution_days: pd.Series
    prompt_days: int
    prompt_share: float
    open_share: float
    window_days: int
    followed_prompt: int
    followed_not_prompt: int
    retention_prompt: float | None
    retention_not_prompt: float | None

    def resolution_table(self, edges: tuple[int, ...] = (0, 1, 2, 3, 7, 14, 30)) -> pd.DataFrame:
        """Complaints by days to resolution: counts and shares per bin, open ones last."""
        days = self.resolution_days
        labels, counts = [], []
        for low, high in zip(edges, (*edges[1:], None), strict=True):
            inside = days >= low if high is None else (days >= low) & (days < high)
            labels.append(f"{low}+ days" if high is None else
                          (f"{low} day{'' if low == 1 else 's'}" if high == low + 1
                           else f"{low}–{high - 1} days"))
            counts.append(int(inside.sum()))
        labels.append("open")
        counts.append(int(days.isna().sum()))
        table = pd.DataFrame({"complaints": counts}, index=pd.Index(labels, name="resolved in"))
        table["share"] = table["complaints"] / max(len(days), 1)
        return table

    def overrides(self, complaint_problem_share: float | None = None) -> dict[str, float]:
        """Inputs of :class:`workbook.models.recovery.complaints.ComplaintParams` measured here.

        ``complaint_capture_share`` is the complaint rate divided by
        ``complaint_problem_share`` (the registry default when omitted; the data cannot say how
        many customers had a problem and stayed silent), at most 1. Retention rates are left out
        when they cannot be measured.
        """
        problem = (default("complaint_problem_share") if complaint_problem_share is None
                   else complaint_problem_share)
        values = {
            "complaint_capture_share": min(1.0, self.complaint_rate / problem) if problem else 1.0,
            "complaint_prompt_resolution_share": self.prompt_share,
        }
        if self.retention_prompt is not None:
            values["complaint_recovery_retention"] = self.retention_prompt
        if self.retention_not_prompt is not None:
            values["complaint_unrecovered_retention"] = self.retention_not_prompt
        return values

    def headline(self) -> dict[str, float | None]:
        """The measured figures, JSON-ready."""
        return {
            "measured_complaint_rate": self.complaint_rate,
            "measured_prompt_share": self.prompt_share,
            "measured_median_resolution_days": float(self.resolution_days.median()),
            "measured_retention_prompt": self.retention_prompt,
            "measured_retention_not_prompt": self.retention_not_prompt,
        }


def _row_words(source: Any) -> tuple[str, int]:
    if isinstance(source, (str, os.PathLike)) and Path(os.fspath(source)).suffix.lower() \
            in CSV_SUFFIXES:
        return "line", 2
    return "row", 1


def _label(source: Any, kind: str) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return f"the {kind} table"


def _check_resolution_order(table: ir.Table, source: Any) -> None:
    checks = Checks()
    checks.add("resolved_date", table.resolved_date < table.date,
               "earlier than the complaint's date", table.resolved_date.cast("string"))
    word, offset = _row_words(source)
    run_checks(table, checks, _label(source, "complaints"), word, offset)


def measure_complaints(
    complaints: Source | None = None,
    transactions: Source | None = None,
    *,
    prompt_days: int | None = None,
    window_days: int = 365,
    as_of: dt.date | str | None = None,
    column_map: Mapping[str, str] | str | None = None,
    transactions_column_map: Mapping[str, str] | str | None = None,
) -> ComplaintStatistics:
    """Measure complaint rate, resolution speed and retention after a complaint.

    Parameters
    ----------
    complaints, transactions
        Sources as in :func:`workbook.data.load.load_table`; ``None`` or ``""`` means the
        sample business in ``data/samples``. Your own complaints need your own transactions.
    prompt_days
        Resolved within this many days counts as prompt (registry ``complaint_prompt_days``
        when omitted).
    window_days
        A complainer who buys within this many days after the complaint stayed (365: a
        year's retention).
    as_of
        The data's last date; the last purchase date when omitted.
    column_map, transactions_column_map
        Column maps of each file (their name → ours).

    Raises
    ------
    DataError
        A file that fails the schema checks, a resolution dated before its complaint, or no
        purchases at all, naming the file, column and first lines.
    ParameterError
        Your own complaints without transactions.

    Notes
    -----
    A complaint counts as followed when received at least ``window_days`` before ``as_of``;
    stayed means a purchase (not a refund) by the same customer on a later day within the
    window. This measures a year's retention after a complaint, the figure the model's
    ``complaint_recovery_retention`` and ``complaint_unrecovered_retention`` stand for; a complaint
    resolved late or never counts as not prompt.

    Examples
    --------
    >>> stats = measure_complaints()
    >>> stats.complaints, stats.prompt_days
    (370, 2)
    >>> round(stats.prompt_share, 3)
    0.557
    """
    days = require_integer(
        "prompt_days", default("complaint_prompt_days") if prompt_days is None else prompt_days,
        low=0, high=3650)
    window = require_integer("window_days", window_days, low=1, high=3650)
    use_samples = complaints is None or (isinstance(complaints, str) and not complaints)
    complaints = sample_path("complaints") if use_samples else complaints
    limit = parse_as_of(as_of)
    con = connect()
    complaint_table = load_table(complaints, "complaints", column_map=column_map, as_of=limit,
                                 con=con)
    _check_resolution_order(complaint_table, complaints)
    if transactions is None or (isinstance(transactions, str) and not transactions):
        if not use_samples:
            raise ParameterError("transactions", "the purchases of the same customers as the "
                                 "complaints file (the sample's belong to other people)", None)
        transactions = sample_path("transactions")
    purchase_table = load_table(transactions, "transactions",
                                column_map=transactions_column_map, as_of=limit, con=con)
    found = fetch_frame(complaint_table.select("complaint_id", "customer_id", "date",
                                               "resolved_date"))
    purchases = fetch_frame(purchase_table.filter(~purchase_table.refund)
                            .select("customer_id", "date"))
    label = _label(transactions, "transactions")
    if purchases.empty:
        raise DataError(label, ["no purchases (every row is a refund)"])
    end = limit or pd.Timestamp(purchases["date"].max()).date()

    complaint_years = {(c, d.year) for c, d in zip(found["customer_id"], found["date"],
                                                    strict=True)}
    buyer_years = {(c, d.year) for c, d in zip(purchases["customer_id"], purchases["date"],
                                                strict=True)}
    resolution = (found["resolved_date"] - found["date"]).dt.days.astype("float64")
    prompt = (resolution <= days).to_numpy()

    next_purchase = pd.merge_asof(
        found.assign(prompt=prompt).sort_values("date"),
        purchases.sort_values("date").rename(columns={"date": "next_purchase"}),
        left_on="date", right_on="next_purchase", by="customer_id",
        direction="forward", allow_exact_matches=False)
    followed = next_purchase[next_purchase["date"]
                             <= pd.Timestamp(end) - pd.Timedelta(days=window)]
    stayed = (followed["next_purchase"] - followed["date"]).dt.days <= window

    def share(mask: pd.Series) -> float | None:
        return float(stayed[mask].mean()) if mask.any() else None

    return ComplaintStatistics(
        source=_label(complaints, "complaints"),
        as_of=end,
        complaints=len(found),
        complaining_customers=int(found["customer_id"].nunique()),
        complaint_rate=len(complaint_years) / max(len(buyer_years), 1),
        resolution_days=pd.Series(resolution.to_numpy(), index=found["complaint_id"],
                                  name="resolution_days"),
        prompt_days=days,
        prompt_share=float(np.mean(prompt)) if len(found) else 0.0,
        open_share=float(resolution.isna().mean()) if len(found) else 0.0,
        window_days=window,
        followed_prompt=int(followed["prompt"].sum()),
        followed_not_prompt=int((~followed["prompt"]).sum()),
        retention_prompt=share(followed["prompt"]),
        retention_not_prompt=share(~followed["prompt"]),
    )
