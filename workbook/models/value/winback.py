"""Lost customers and win-back: who is gone, what they were worth, what a campaign recovers.

Jill Griffin's seventh law of loyalty (seed 003): winning back a lost customer is about twice
as likely as winning a new one (``winback_vs_new_odds``), and a new customer costs about five
times as much as keeping one (``acquisition_to_retention_cost_ratio``, White House Office of
Consumer Affairs, seed 001). This module turns both into a ranked list and campaign economics.

**Lost** refines the loyalty ladder's rule (no purchase for ``ladder_lost_after_days``, in
:mod:`workbook.models.loyalty.ladder`) with the BG/NBD probability that the customer is still a
customer (:mod:`workbook.models.value`): a customer is lost when that probability is below
``winback_alive_threshold``, whatever the ladder says. A regular buyer who has been quiet for
longer than the ladder's limit but whose rhythm makes a pause normal stays a customer; a
frequent buyer who fell silent well inside the limit is lost. Each candidate's ladder stage is
shown beside them when given.

**Value at stake** is the customer's lifetime value if they are (again) a customer: their
lifetime value divided by their probability alive (``value_if_alive`` of
:class:`workbook.models.value.ClvResult`). **Chance of return** after one contact is
``winback_vs_new_odds × winback_new_customer_conversion_rate``. A contact is worth making when
the expected value recovered, chance × value at stake, exceeds its cost.

:data:`WINBACK` declares the model once (:class:`workbook.core.model.Model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.declare import Params, count, declared
from workbook.core.formatting import format_money, format_percent
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError
from workbook.models.value.lifetime_value import CUSTOMER_VALUE, ClvResult

__all__ = [
    "WINBACK",
    "WinbackParams",
    "WinbackResult",
    "compute_winback_campaign",
    "winback_candidates",
    "winback_headline_text",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class WinbackParams(Params):
    """Inputs of the win-back model; defaults from the registry.

    Attributes
    ----------
    winback_alive_threshold
        Probability alive below which a customer counts as lost.
    winback_vs_new_odds
        How many times likelier a lost customer is to come back than a prospect to buy
        (Griffin, law 7: about 2).
    winback_new_customer_conversion_rate
        Share of prospects contacted who become customers.
    winback_cost_per_contact
        Cost of one win-back contact (currency/contact).
    retention_cost_per_customer
        Yearly cost of keeping a customer (currency/customer/year).
    acquisition_to_retention_cost_ratio
        A new customer costs this many times the retention cost (about 5).
    max_contacts
        Most customers the campaign may contact (best first); ``None``: everyone worth a
        contact.
    """

    winback_alive_threshold: float = assumed("winback_alive_threshold")
    winback_vs_new_odds: float = assumed("winback_vs_new_odds")
    winback_new_customer_conversion_rate: float = assumed(
        "winback_new_customer_conversion_rate")
    winback_cost_per_contact: float = assumed("winback_cost_per_contact")
    retention_cost_per_customer: float = assumed("retention_cost_per_customer")
    acquisition_to_retention_cost_ratio: float = assumed("acquisition_to_retention_cost_ratio")
    max_contacts: int | None = declared(None, count(low=0, optional=True))

    def check(self) -> None:
        """The chance of return (odds × conversion) is at most 1."""
        if self.winback_rate > 1 + 1e-12:
            raise ParameterError(
                "winback_new_customer_conversion_rate",
                f"at most {1 / self.winback_vs_new_odds:.4g} so that the chance of return "
                f"(winback_vs_new_odds {self.winback_vs_new_odds:g} × this) stays at most 1",
                self.winback_new_customer_conversion_rate)

    @property
    def winback_rate(self) -> float:
        """Chance that a contacted lost customer comes back: odds × new-customer conversion."""
        return self.winback_vs_new_odds * self.winback_new_customer_conversion_rate

    @property
    def acquisition_cost(self) -> float:
        """Cost of one new customer: ratio × retention cost (the five-times rule)."""
        return self.acquisition_to_retention_cost_ratio * self.retention_cost_per_customer


def winback_candidates(value: ClvResult, params: WinbackParams | None = None,
                       stages: pd.Series | None = None) -> pd.DataFrame:
    """The lost customers, most valuable to win back first.

    Parameters
    ----------
    value
        Customer values (:func:`workbook.models.value.compute_customer_value`).
    params
        Threshold, odds and costs; registry defaults when ``None``.
    stages
        Loyalty stage by ``customer_id`` (e.g. ``compute_ladder(...).snapshot["stage"]``),
        shown beside each candidate; optional.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, sorted by ``expected_value`` (ties by id): ``stage``
        (``""`` without stages), ``ladder_lost`` (the ladder also counts them lost),
        ``probability_alive``, ``frequency``, ``recency``, ``T``, ``value_at_stake``,
        ``chance_of_return``, ``expected_value`` (chance × value at stake) and ``net_value``
        (expected value − cost per contact), and ``rank`` from 1.
    """
    params = params or WinbackParams()
    frame = value.customers
    lost = frame[frame["probability_alive"] < params.winback_alive_threshold]
    if stages is not None:
        stage = stages.reindex(lost.index).astype("string").fillna("unknown")
    else:
        stage = pd.Series("", index=lost.index, dtype="string")
    chance = params.winback_rate
    table = pd.DataFrame({
        "stage": stage,
        "ladder_lost": (stage == "lost").to_numpy(),
        "probability_alive": lost["probability_alive"],
        "frequency": lost["frequency"],
        "recency": lost["recency"],
        "T": lost["T"],
        "value_at_stake": lost["value_if_alive"],
        "chance_of_return": chance,
        "expected_value": lost["value_if_alive"] * chance,
    }, index=lost.index)
    table["net_value"] = table["expected_value"] - params.winback_cost_per_contact
    table = table.rename_axis("customer_id").reset_index().sort_values(
        ["expected_value", "customer_id"], ascending=[False, True], kind="stable")
    table["rank"] = np.arange(1, len(table) + 1)
    return table.set_index("customer_id")


@dataclass(frozen=True, slots=True)
class WinbackResult:
    """Outputs of :func:`compute_winback_campaign`.

    Attributes
    ----------
    params
        The inputs.
    candidates
        :func:`winback_candidates`, with ``contacted`` (in the campaign) added.
    customers
        Customers valued.
    lost_customers
        Customers whose probability alive is below the threshold.
    ladder_lost_customers
        Customers the loyalty ladder counts lost (``None`` without stages).
    contacts
        Customers the campaign contacts: those worth a contact, best first, at most
        ``max_contacts``.
    expected_won_back
        ``contacts × chance of return``.
    value_at_stake
        Total value at stake of all lost customers.
    value_recovered
        Expected lifetime value won back by the campaign.
    campaign_cost
        ``contacts × winback_cost_per_contact``.
    cost_per_won_back
        ``campaign_cost / expected_won_back`` (``winback_cost_per_contact / chance``); ``None``
        when nobody is contacted.
    acquisition_cost
        Cost of one new customer (the five-times rule).
    """

    params: WinbackParams
    candidates: pd.DataFrame
    customers: int
    lost_customers: int
    ladder_lost_customers: int | None
    contacts: int
    expected_won_back: float
    value_at_stake: float
    value_recovered: float
    campaign_cost: float
    cost_per_won_back: float | None
    acquisition_cost: float

    @property
    def net_value(self) -> float:
        """Value recovered minus campaign cost."""
        return self.value_recovered - self.campaign_cost

    @property
    def roi(self) -> float | None:
        """Net value per unit of campaign cost; ``None`` when nothing is spent."""
        return self.net_value / self.campaign_cost if self.campaign_cost > 0 else None

    @property
    def acquisition_cost_of_same_customers(self) -> float:
        """What winning as many *new* customers would cost at the acquisition cost."""
        return self.expected_won_back * self.acquisition_cost

    def stage_table(self) -> pd.DataFrame:
        """Lost customers, contacts and value at stake per ladder stage (stages given)."""
        grouped = self.candidates.groupby("stage", sort=False, observed=True)
        return pd.DataFrame({
            "lost_customers": grouped.size(),
            "contacted": grouped["contacted"].sum(),
            "value_at_stake": grouped["value_at_stake"].sum(),
            "expected_value": grouped["expected_value"].sum(),
        })

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready)."""
        return {
            "winback_candidates": self.lost_customers,
            "ladder_lost_customers": self.ladder_lost_customers,
            "winback_contacts": self.contacts,
            "winback_expected_won_back": self.expected_won_back,
            "winback_value_at_stake": self.value_at_stake,
            "winback_value_recovered": self.value_recovered,
            "winback_campaign_cost": self.campaign_cost,
            "winback_net_value": self.net_value,
            "winback_cost_per_won_back": self.cost_per_won_back,
            "acquisition_cost": self.acquisition_cost,
        }


def compute_winback_campaign(value: ClvResult, params: WinbackParams | None = None,
                             stages: pd.Series | None = None) -> WinbackResult:
    """Who to contact, and what a win-back campaign is expected to recover and cost.

    Parameters
    ----------
    value
        Customer values (:func:`workbook.models.value.compute_customer_value`).
    params
        Registry defaults when ``None``.
    stages
        Loyalty stage by ``customer_id``; optional.

    Returns
    -------
    WinbackResult

    Notes
    -----
    With chance of return :math:`c = o \\cdot k` (odds :math:`o` of a lost customer against a
    prospect, prospect conversion :math:`k`), cost per contact :math:`u` and value at stake
    :math:`V_i` of each lost customer, the campaign contacts the customers with
    :math:`c V_i > u`, best first (at most ``max_contacts``):

    .. math::

        \\text{won back} = n c, \\qquad \\text{recovered} = c \\sum_i V_i, \\qquad
        \\text{cost} = n u, \\qquad \\text{cost per won back} = u / c

    compared with the acquisition cost :math:`A = \\rho R` of a new customer (ratio
    :math:`\\rho`, retention cost :math:`R`). One contact per customer; values are lifetime
    margins over the horizon of :class:`workbook.models.value.ClvParams`, discounted.

    References
    ----------
    Griffin, J. (1995). *Customer Loyalty: How to Earn It, How to Keep It*, law 7.
    White House Office of Consumer Affairs (via seed 001): the five-times rule.
    """
    params = params or WinbackParams()
    candidates = winback_candidates(value, params, stages)
    worth = candidates["net_value"] > 0
    contacted = worth & (candidates["rank"] <= (params.max_contacts
                                                if params.max_contacts is not None
                                                else len(candidates)))
    candidates = candidates.assign(contacted=contacted.to_numpy())
    contacts = int(contacted.sum())
    won_back = contacts * params.winback_rate
    cost = contacts * params.winback_cost_per_contact
    ladder_lost = None
    if stages is not None:
        ladder_lost = int((stages.reindex(value.customers.index).astype("string")
                           == "lost").sum())
    return WinbackResult(
        params=params,
        candidates=candidates,
        customers=len(value.customers),
        lost_customers=len(candidates),
        ladder_lost_customers=ladder_lost,
        contacts=contacts,
        expected_won_back=won_back,
        value_at_stake=float(candidates["value_at_stake"].sum()),
        value_recovered=float(candidates.loc[contacted, "expected_value"].sum()),
        campaign_cost=cost,
        cost_per_won_back=cost / won_back if won_back > 0 else None,
        acquisition_cost=params.acquisition_cost,
    )


def winback_headline_text(result: WinbackResult) -> str:
    """The win-back headline as a few lines of plain text (notebooks and logs)."""
    p = result.params
    ladder = ("" if result.ladder_lost_customers is None
              else f" (the days-idle rule alone counts {result.ladder_lost_customers:,})")
    per = (format_money(result.cost_per_won_back) if result.cost_per_won_back is not None
           else "—")
    return "\n".join([
        f"Lost (probability alive below {format_percent(p.winback_alive_threshold, 0)}): "
        f"{result.lost_customers:,} of {result.customers:,} customers{ladder}; "
        f"value at stake {format_money(result.value_at_stake)}",
        f"Chance of return per contact: {format_percent(p.winback_rate)} "
        f"({p.winback_vs_new_odds:g} × the "
        f"{format_percent(p.winback_new_customer_conversion_rate)} prospect conversion)",
        f"Campaign: contact {result.contacts:,}, win back {result.expected_won_back:,.1f}, "
        f"recover {format_money(result.value_recovered)} for "
        f"{format_money(result.campaign_cost)} (net {format_money(result.net_value)})",
        f"Cost per customer won back {per} vs. {format_money(result.acquisition_cost)} "
        "to acquire a new one",
    ])


def _sample_winback(params: WinbackParams) -> WinbackResult:
    """:func:`compute_winback_campaign` on the sample business's customer values."""
    return compute_winback_campaign(CUSTOMER_VALUE.run(), params)


WINBACK: Model[WinbackParams, WinbackResult] = Model(
    name="winback",
    params_type=WinbackParams,
    compute=_sample_winback,
    headline=WinbackResult.headline,
)
"""The win-back campaign, declared once: :class:`WinbackParams` in, :class:`WinbackResult` out.

Its ``compute`` values the sample business first (:data:`CUSTOMER_VALUE`); on other data call
:func:`compute_winback_campaign` on a :class:`ClvResult` (as
:func:`workbook.models.value.analysis.value_customers` does).
"""
