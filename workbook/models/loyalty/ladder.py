"""The loyalty ladder: who stands on which rung, how people move, where the revenue sits.

Jill Griffin's third law of loyalty (seed 003): loyalty grows step by step, so name the steps
and move customers up them. Her ladder: suspect, prospect, first-time customer, repeat
customer, client, advocate, and, off the ladder, the inactive or lost customer. This module
places every person in the data on a rung as of any date, by the rules below, whose thresholds
are registry assumptions (:class:`LadderParams`):

==============  =================================================================================
stage           rule, as of the date (first match from the top)
==============  =================================================================================
lost            bought before, but not in the last ``ladder_lost_after_days`` days
advocate        a client who has referred ``ladder_advocate_min_referrals`` customers or more
                (counted from ``referred_by`` by the referred customer's sign-up date, or the
                ``referrals`` count), or is flagged ``advocate``
client          a repeat customer who bought in ``ladder_client_min_active_periods`` or more of
                the last ``ladder_client_lookback_periods`` periods of ``ladder_period_days``
                days
repeat          bought on ``ladder_repeat_min_purchases`` or more distinct days
first_time      bought, on fewer distinct days
prospect        never bought, but qualified as a lead or signed up as a customer
suspect         never bought, known only as a lead
==============  =================================================================================

Period ``k`` (``k = 0, 1, ...``) covers the days ``as_of - (k+1)·ladder_period_days``
(excluded) to ``as_of - k·ladder_period_days`` (included). Refund rows are not purchases: they
count in revenue (negatively), never as a purchase day. Griffin's disqualified prospect is not
modelled: remove such leads from the prospects file.

The per-person features (purchase days, the periods with a purchase, revenue, referrals) are
one Ibis query in the engine (:func:`workbook.data.summary.features_expr`), kept per date and
period length; the rules are then applied to them vectorised (:func:`apply_ladder_rules`), so
moving a threshold costs milliseconds, not a query.

:data:`LOYALTY_LADDER` declares the model once (:class:`workbook.core.model.Model`); the
notebook's analysis (:func:`workbook.models.loyalty.analysis.analyse_loyalty`) and the
dashboard (:class:`workbook.ui.loyalty_app.LoyaltyApp`) both run :func:`compute_ladder` and
read its :meth:`LadderResult.headline`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.declare import Params
from workbook.core.formatting import format_money, format_percent
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError, require_integer
from workbook.data.load import CustomerData, load_customer_data, parse_as_of
from workbook.data.summary import features_expr, fetch_by_customer
from workbook.models.loyalty.pareto import ParetoResult, compute_pareto, pareto_by_segment

__all__ = [
    "BUYER_STAGES",
    "LOYALTY_LADDER",
    "NEW",
    "STAGES",
    "STAGE_LABELS",
    "LadderParams",
    "LadderResult",
    "TransitionResult",
    "apply_ladder_rules",
    "assign_stages",
    "compute_features",
    "compute_ladder",
    "compute_transitions",
    "forecast_stages",
    "ladder_headline_text",
    "stage_counts",
    "stage_economics",
    "stage_move",
    "transition_matrix",
]

STAGES = ("suspect", "prospect", "first_time", "repeat", "client", "advocate", "lost")
"""The rungs in ladder order, lost last."""

BUYER_STAGES = ("first_time", "repeat", "client", "advocate", "lost")
"""The stages of people who have bought at least once: the customers."""

STAGE_LABELS = {
    "suspect": "Suspect",
    "prospect": "Prospect",
    "first_time": "First-time customer",
    "repeat": "Repeat customer",
    "client": "Client",
    "advocate": "Advocate",
    "lost": "Lost (inactive)",
}
"""How each stage reads on a chart or in a table."""

NEW = "new"
"""Row of the transition counts for people who were not yet known at the start date."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LadderParams(Params):
    """Thresholds of the ladder rules; defaults, kinds and limits from the registry.

    Attributes
    ----------
    ladder_repeat_min_purchases
        Distinct purchase days that make a repeat customer (2).
    ladder_period_days
        Length of one period in days: the step of the transition matrix and the forecast.
    ladder_client_lookback_periods
        Recent periods looked at for a client.
    ladder_client_min_active_periods
        Of those, how many must have a purchase (at most ``ladder_client_lookback_periods``).
    ladder_advocate_min_referrals
        Referred customers that make a client an advocate.
    ladder_lost_after_days
        Days without a purchase after which a customer is lost.
    gross_margin_rate
        Gross margin as a fraction of revenue, for the margin per stage.
    pareto_top_customer_share
        Top fraction of customers in the 80/20 figures (0.2 = top 20 %).
    """

    ladder_repeat_min_purchases: int = assumed("ladder_repeat_min_purchases")
    ladder_period_days: int = assumed("ladder_period_days")
    ladder_client_lookback_periods: int = assumed("ladder_client_lookback_periods")
    ladder_client_min_active_periods: int = assumed("ladder_client_min_active_periods")
    ladder_advocate_min_referrals: int = assumed("ladder_advocate_min_referrals")
    ladder_lost_after_days: int = assumed("ladder_lost_after_days")
    gross_margin_rate: float = assumed("gross_margin_rate")
    pareto_top_customer_share: float = assumed("pareto_top_customer_share")

    def check(self) -> None:
        """A client needs at most as many active periods as are looked at."""
        if self.ladder_client_min_active_periods > self.ladder_client_lookback_periods:
            raise ParameterError(
                "ladder_client_min_active_periods",
                f"at most ladder_client_lookback_periods ({self.ladder_client_lookback_periods})",
                self.ladder_client_min_active_periods)


def compute_features(data: CustomerData, as_of: dt.date | str | None = None,
                     period_days: int | None = None) -> pd.DataFrame:
    """The ladder features of every person on ``as_of``, indexed by ``customer_id`` (sorted).

    :func:`workbook.data.summary.features_expr`, run in the engine.

    Kept on ``data`` per ``(as_of, period_days)``: moving a threshold other than the period
    length re-applies the rules (:func:`apply_ladder_rules`) without a new query.
    """
    day = _resolve(data, as_of)
    length = require_integer("period_days", period_days if period_days is not None
                             else LadderParams().ladder_period_days, low=1, high=3650)
    key = ("features", day, length)
    cached = data.cache.get(key)
    if cached is not None:
        return cached
    frame = fetch_by_customer(features_expr(data, day, length))
    data.cache[key] = frame
    return frame


def _active_periods(features: pd.DataFrame, params: LadderParams) -> np.ndarray:
    """Periods with a purchase among the last ``ladder_client_lookback_periods`` (mask bits)."""
    window = np.int64((1 << params.ladder_client_lookback_periods) - 1)
    mask = features["active_mask"].to_numpy(dtype=np.int64)
    return np.bitwise_count(mask & window).astype(np.int64)


def apply_ladder_rules(features: pd.DataFrame, params: LadderParams,
                       as_of: dt.date) -> pd.Categorical:
    """The stage of every row of ``features`` (see :func:`compute_features`) on ``as_of``.

    The rules of the module docstring, vectorised; the first that matches wins. The
    features must have been computed for ``as_of`` and ``params.ladder_period_days``.
    """
    bought = features["purchase_days"].to_numpy(dtype=np.int64)
    last = features["last_purchase"].to_numpy(dtype="datetime64[D]")
    idle_days = (np.datetime64(as_of, "D") - last).astype("timedelta64[D]").astype(np.int64)
    active = _active_periods(features, params)
    is_repeat = bought >= params.ladder_repeat_min_purchases
    is_client = is_repeat & (active >= params.ladder_client_min_active_periods)
    is_advocate = is_client & (
        (features["referrals"].to_numpy(dtype=np.int64) >= params.ladder_advocate_min_referrals)
        | features["advocate_flag"].to_numpy(dtype=bool))
    known = features["qualified"].to_numpy(dtype=bool) | features["signed_up"].to_numpy(
        dtype=bool)
    codes = np.select(
        [(bought == 0) & known, bought == 0, idle_days > params.ladder_lost_after_days, is_advocate,
         is_client, is_repeat],
        [STAGES.index(s) for s in ("prospect", "suspect", "lost", "advocate", "client",
                                   "repeat")],
        default=STAGES.index("first_time"),
    )
    return pd.Categorical.from_codes(codes, categories=list(STAGES), ordered=True)


def assign_stages(data: CustomerData, params: LadderParams | None = None,
                  as_of: dt.date | str | None = None) -> pd.DataFrame:
    """The ladder snapshot: every known person's stage and features on ``as_of``.

    Parameters
    ----------
    data
        Loaded data (:func:`workbook.data.load.load_customer_data`).
    params
        Ladder thresholds; registry defaults when ``None``.
    as_of
        The date (default: the data's as-of date). Later rows are ignored.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted): ``stage`` (an ordered categorical over
        :data:`STAGES`), ``active_periods`` (of the last ``ladder_client_lookback_periods``) and the
        columns of :func:`workbook.data.summary.features_expr`.
    """
    params = params or LadderParams()
    day = _resolve(data, as_of)
    features = compute_features(data, day, params.ladder_period_days)
    return features.assign(stage=apply_ladder_rules(features, params, day),
                           active_periods=_active_periods(features, params))[
        ["stage", "active_periods", *features.columns]]


def _resolve(data: CustomerData, as_of: dt.date | str | None) -> dt.date:
    day = parse_as_of(as_of) or data.as_of
    if day > data.as_of:
        raise ParameterError("as_of", f"a date on or before the data's as-of date "
                             f"{data.as_of.isoformat()}", day.isoformat())
    return day


def stage_counts(snapshot: pd.DataFrame) -> pd.Series:
    """People per stage, every stage present (zeros included), in ladder order."""
    return snapshot["stage"].value_counts(sort=False).reindex(list(STAGES), fill_value=0) \
        .astype("int64").rename("people")


@dataclass(frozen=True, slots=True)
class TransitionResult:
    """Moves between stages from one date to another.

    Attributes
    ----------
    start, end
        The two dates.
    counts
        People by stage at ``start`` (rows, plus ``new`` for those not yet known) and at
        ``end`` (columns).
    probabilities
        Row-normalised counts over :data:`STAGES` (``new`` left out): the chance of moving
        from each stage to each other in one step. Every row sums to 1; a stage nobody held at
        ``start`` keeps its people (a 1 on the diagonal).
    """

    start: dt.date
    end: dt.date
    counts: pd.DataFrame
    probabilities: pd.DataFrame


def stage_move(start: str, end: str) -> str:
    """The direction of a move: ``"up"``, ``"down"``, ``"stay"`` or ``"new"``.

    Up the ladder (suspect → … → advocate) or back from lost is ``up``; down it or into lost
    is ``down``; ``start`` equal to :data:`NEW` (not yet known) is ``new``.

    Examples
    --------
    >>> [stage_move(a, b) for a, b in [("first_time", "repeat"), ("client", "lost"),
    ...                                 ("lost", "repeat"), ("new", "suspect")]]
    ['up', 'down', 'up', 'new']
    """
    if start == NEW:
        return "new"
    if start == end:
        return "stay"
    if end == "lost":
        return "down"
    if start == "lost":
        return "up"
    return "up" if STAGES.index(end) > STAGES.index(start) else "down"


def transition_matrix(start: pd.Series, end: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and row probabilities of stage moves between two stage snapshots.

    ``start`` and ``end`` are stages by person; everyone in ``start`` must be in ``end`` (a
    known person stays known). Returns ``(counts, probabilities)`` as in
    :class:`TransitionResult`.
    """
    joined = pd.DataFrame({"end": end.astype("string")}).join(
        start.astype("string").rename("start"), how="left")
    joined["start"] = joined["start"].fillna(NEW)
    counts = pd.crosstab(joined["start"], joined["end"]).reindex(
        index=[*STAGES, NEW], columns=list(STAGES), fill_value=0).astype("int64")
    counts.index.name, counts.columns.name = "from", "to"
    known = counts.loc[list(STAGES)].to_numpy(dtype=np.float64)
    totals = known.sum(axis=1, keepdims=True)
    probabilities = np.where(totals > 0, known / np.where(totals > 0, totals, 1.0),
                             np.eye(len(STAGES)))
    return counts, pd.DataFrame(probabilities, index=counts.index[:-1], columns=counts.columns)


def compute_transitions(data: CustomerData, params: LadderParams | None = None,
                        start: dt.date | str | None = None,
                        end: dt.date | str | None = None) -> TransitionResult:
    """How people moved between stages from ``start`` to ``end``.

    ``end`` defaults to the data's as-of date, ``start`` to one period (``ladder_period_days``)
    before it.

    Notes
    -----
    With :math:`n_{ij}` the people in stage :math:`i` at ``start`` and :math:`j` at ``end``,
    :math:`P_{ij} = n_{ij} / \\sum_j n_{ij}`: the maximum-likelihood estimate of a Markov
    chain's one-step transition matrix (Anderson & Goodman, 1957) when the dates are one
    period apart.
    """
    params = params or LadderParams()
    last = _resolve(data, end)
    first = parse_as_of(start, "start") or last - dt.timedelta(days=params.ladder_period_days)
    if first >= last:
        raise ParameterError("start", f"a date before the end date {last.isoformat()}",
                             first.isoformat())
    before = assign_stages(data, params, first)["stage"]
    after = assign_stages(data, params, last)["stage"]
    counts, probabilities = transition_matrix(before, after)
    return TransitionResult(first, last, counts, probabilities)


def forecast_stages(probabilities: pd.DataFrame, start_counts: pd.Series,
                    periods: int) -> pd.DataFrame:
    """The stage mix ``periods`` steps ahead, by the Markov chain ``probabilities``.

    Parameters
    ----------
    probabilities
        One-step transition matrix over :data:`STAGES` (rows sum to 1).
    start_counts
        People per stage now.
    periods
        Steps ahead.

    Returns
    -------
    pandas.DataFrame
        Rows ``0..periods`` (index ``period``), one column per stage: expected people.

    Notes
    -----
    :math:`n_{t+1} = n_t P`. A closed population: no new suspects arrive, so the total is
    conserved (rows of :math:`P` sum to 1) and the forecast shows where today's people go.

    Examples
    --------
    >>> p = pd.DataFrame(np.eye(7), index=STAGES, columns=STAGES)
    >>> forecast_stages(p, pd.Series(1, index=STAGES), 2).sum(axis=1).tolist()
    [7.0, 7.0, 7.0]
    """
    steps = require_integer("forecast_periods", periods, low=0, high=400)
    matrix = probabilities.reindex(index=list(STAGES), columns=list(STAGES)).to_numpy(float)
    row = start_counts.reindex(list(STAGES), fill_value=0).to_numpy(dtype=np.float64)
    rows = [row]
    for _ in range(steps):
        rows.append(rows[-1] @ matrix)
    return pd.DataFrame(rows, columns=list(STAGES)).rename_axis("period")


def stage_economics(snapshot: pd.DataFrame, params: LadderParams | None = None) -> pd.DataFrame:
    """People, revenue and margin per stage.

    Returns
    -------
    pandas.DataFrame
        Indexed by stage (ladder order, zeros included): ``people``, ``people_share``,
        ``revenue_to_date``, ``revenue_share``, ``margin_to_date``, ``period_revenue`` (the
        last ``ladder_period_days``), ``period_margin`` and ``revenue_per_person`` (to date).
        Margin is revenue × ``gross_margin_rate``; revenue is net of refunds.
    """
    params = params or LadderParams()
    grouped = snapshot.groupby("stage", observed=False)[["revenue_to_date", "period_revenue"]]
    table = grouped.sum().reindex(list(STAGES), fill_value=0.0)
    people = stage_counts(snapshot)
    total_people = max(int(people.sum()), 1)
    total_revenue = float(table["revenue_to_date"].sum())
    result = pd.DataFrame({
        "people": people,
        "people_share": people / total_people,
        "revenue_to_date": table["revenue_to_date"],
        "revenue_share": table["revenue_to_date"] / total_revenue if total_revenue else 0.0,
        "margin_to_date": table["revenue_to_date"] * params.gross_margin_rate,
        "period_revenue": table["period_revenue"],
        "period_margin": table["period_revenue"] * params.gross_margin_rate,
        "revenue_per_person": table["revenue_to_date"] / people.where(people > 0),
    })
    result.index.name = "stage"
    return result


@dataclass(frozen=True, slots=True)
class LadderResult:
    """Everything the loyalty notebook and dashboard show (see :func:`compute_ladder`)."""

    params: LadderParams
    as_of: dt.date
    snapshot: pd.DataFrame
    counts: pd.Series
    transitions: TransitionResult
    forecast: pd.DataFrame
    economics: pd.DataFrame
    pareto: ParetoResult
    pareto_segments: pd.DataFrame

    @property
    def customers(self) -> int:
        """People who have bought at least once (every stage from first-time to lost)."""
        return int(self.counts[list(BUYER_STAGES)].sum())

    @property
    def active_customers(self) -> int:
        """Customers who are not lost."""
        return self.customers - int(self.counts["lost"])

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready) for ``<stem>.results.json``."""
        counts = self.transitions.counts
        moves = {"up": 0, "down": 0}
        for a in counts.index:
            for b in counts.columns:
                direction = stage_move(a, b)
                if direction in moves:
                    moves[direction] += int(counts.loc[a, b])
        up, down = moves["up"], moves["down"]
        return {
            "as_of": self.as_of.isoformat(),
            "people": int(self.counts.sum()),
            "customers": self.customers,
            "active_customers": self.active_customers,
            "stage_counts": {k: int(v) for k, v in self.counts.items()},
            "top20_revenue_share": self.pareto.top_revenue_share,
            "top_share": self.pareto.top_share,
            "gini": self.pareto.gini,
            "revenue_to_date": float(self.economics["revenue_to_date"].sum()),
            "period_revenue": float(self.economics["period_revenue"].sum()),
            "moved_up": up,
            "moved_down": down,
            "previous_as_of": self.transitions.start.isoformat(),
        }


def compute_ladder(data: CustomerData, params: LadderParams | None = None,
                   as_of: dt.date | str | None = None, *,
                   forecast_periods: int = 4) -> LadderResult:
    """Snapshot, stage flows since the previous period, forecast, economics and 80/20.

    Parameters
    ----------
    data
        Loaded data (:func:`workbook.data.load.load_customer_data`).
    params
        Ladder thresholds; registry defaults when ``None``.
    as_of
        Snapshot date (default: the data's as-of date).
    forecast_periods
        Periods of ``ladder_period_days`` ahead in the Markov forecast.

    Returns
    -------
    LadderResult
        The 80/20 figures count customers (people who have bought) by revenue to date.

    Examples
    --------
    >>> from workbook.data.load import load_customer_data
    >>> result = compute_ladder(load_customer_data())
    >>> result.customers, round(result.pareto.top_revenue_share, 3)
    (2828, 0.769)
    """
    params = params or LadderParams()
    day = _resolve(data, as_of)
    require_integer("forecast_periods", forecast_periods, low=0, high=400)
    previous = day - dt.timedelta(days=params.ladder_period_days)
    before = assign_stages(data, params, previous)
    snapshot = assign_stages(data, params, day)
    counts_matrix, probabilities = transition_matrix(before["stage"], snapshot["stage"])
    counts = stage_counts(snapshot)
    buyers = snapshot[snapshot["stage"].isin(BUYER_STAGES)]
    if buyers.empty:
        raise ParameterError("as_of", "a date on or after the first purchase", day.isoformat())
    return LadderResult(
        params=params,
        as_of=day,
        snapshot=snapshot,
        counts=counts,
        transitions=TransitionResult(previous, day, counts_matrix, probabilities),
        forecast=forecast_stages(probabilities, counts, forecast_periods),
        economics=stage_economics(snapshot, params),
        pareto=compute_pareto(buyers["revenue_to_date"].to_numpy(),
                              params.pareto_top_customer_share),
        pareto_segments=pareto_by_segment(buyers["revenue_to_date"], buyers["segment"],
                                          params.pareto_top_customer_share),
    )


def ladder_headline_text(result: LadderResult) -> str:
    """The ladder headline as a few lines of plain text (notebooks and logs)."""
    counts = result.counts
    stages = ", ".join(f"{STAGE_LABELS[s].lower()} {int(counts[s]):,}" for s in STAGES)
    head = result.headline()
    return "\n".join([
        f"As of {result.as_of.isoformat()}: {head['people']:,} people on the ladder, "
        f"{result.customers:,} customers ({result.active_customers:,} active)",
        f"Stages: {stages}",
        f"Since {result.transitions.start.isoformat()}: {head['moved_up']:,} moved up, "
        f"{head['moved_down']:,} moved down",
        f"Top {format_percent(result.pareto.top_share, 0)} of customers bring "
        f"{format_percent(result.pareto.top_revenue_share)} of revenue "
        f"(Gini {result.pareto.gini:.2f})",
        f"Revenue to date: {format_money(head['revenue_to_date'])}; "
        f"last {result.params.ladder_period_days} days: {format_money(head['period_revenue'])}",
    ])


def _sample_ladder(params: LadderParams) -> LadderResult:
    """:func:`compute_ladder` on the sample business as of its last date."""
    return compute_ladder(load_customer_data(), params)


LOYALTY_LADDER: Model[LadderParams, LadderResult] = Model(
    name="loyalty_ladder",
    params_type=LadderParams,
    compute=_sample_ladder,
    headline=LadderResult.headline,
)
"""The loyalty ladder, declared once: :class:`LadderParams` in, :class:`LadderResult` out.

Its ``compute`` runs on the sample business (``data/samples``); on other data call
:func:`compute_ladder` (what the notebook and the dashboard do), and read the numbers a report
publishes through ``headline``.
"""
