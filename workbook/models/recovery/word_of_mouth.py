"""Word of mouth: the customers happy customers bring and unhappy ones cost.

Seed 001: a happy customer tells 3 to 5 people, an unhappy one 10 to 15; every customer
influences about 250 people (White House Office of Consumer Affairs); social media multiplies
a bad story (one complaint video passed 10 million views). The model follows one year of
stories: happy and unhappy customers tell people (at most their circle of influence), a bad
story reaches further by the social-amplification multiplier, a share of the people told by
happy customers buy and a share of those reached by bad stories do not buy when they would
have. The won and lost customers are valued at the discounted margin of a customer over the
horizon (:func:`workbook.core.finance.customer_lifetime_value`).

The source figures are ranges, so :func:`compute_word_of_mouth_range` gives the results at
their low, middle and high ends (and the pessimistic and optimistic corners), not just the
midpoint. :func:`word_of_mouth_outcomes` runs on numbers or arrays of draws:
:mod:`workbook.uncertainty.recovery` uses it for the Monte Carlo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from workbook.core.declare import Params
from workbook.core.finance import customer_lifetime_value
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.registry import get_assumption
from workbook.core.validation import ParameterError
from workbook.models.recovery.complaints import BUSINESS_FIXED

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RANGE_CASES",
    "WORD_OF_MOUTH",
    "WORD_OF_MOUTH_FIXED",
    "WordOfMouthParams",
    "WordOfMouthRange",
    "WordOfMouthResult",
    "compute_word_of_mouth",
    "compute_word_of_mouth_range",
    "word_of_mouth_joint_limits",
    "word_of_mouth_outcomes",
]

RANGE_CASES: tuple[str, ...] = ("pessimistic", "low", "mid", "high", "optimistic")
"""The cases of :func:`compute_word_of_mouth_range`, worst to best net value at the ends."""

@dataclass(frozen=True, slots=True, kw_only=True)
class WordOfMouthParams(Params):
    """Inputs of the word-of-mouth model; defaults from the registry.

    Attributes
    ----------
    customers
        Active customers.
    wom_happy_share, wom_unhappy_share
        Shares of customers happy and unhappy enough to talk (the rest are neutral);
        ``wom_happy_share + wom_unhappy_share <= 1``.
    happy_customer_tells, unhappy_customer_tells
        People a happy and an unhappy customer tell in a year (3–5 and 10–15, seed 001).
    influence_circle
        People each customer influences (about 250): nobody tells more than this by word of
        mouth.
    wom_social_amplification
        People a bad story reaches per person told, beyond the circle (1: word of mouth only).
    wom_referral_conversion
        Share of the people told by a happy customer who become customers.
    wom_detraction_loss
        Share of the people a bad story reaches who would have become customers and do not.
    annual_spend_per_customer, gross_margin_rate, annual_retention_rate, horizon_years,
    discount_rate
        Value of a customer won or lost: see
        :func:`workbook.core.finance.customer_lifetime_value`.
    """

    customers: int = assumed("customers")
    wom_happy_share: float = assumed("wom_happy_share")
    wom_unhappy_share: float = assumed("wom_unhappy_share")
    happy_customer_tells: float = assumed("happy_customer_tells")
    unhappy_customer_tells: float = assumed("unhappy_customer_tells")
    influence_circle: int = assumed("influence_circle")
    wom_social_amplification: float = assumed("wom_social_amplification")
    wom_referral_conversion: float = assumed("wom_referral_conversion")
    wom_detraction_loss: float = assumed("wom_detraction_loss")
    annual_spend_per_customer: float = assumed("annual_spend_per_customer")
    gross_margin_rate: float = assumed("gross_margin_rate")
    annual_retention_rate: float = assumed("annual_retention_rate")
    horizon_years: int = assumed("horizon_years")
    discount_rate: float = assumed("discount_rate")

    def check(self) -> None:
        """Happy and unhappy customers are at most all customers."""
        room = 1.0 - self.wom_happy_share
        if self.wom_unhappy_share > room + 1e-12:
            raise ParameterError(
                "wom_unhappy_share",
                f"at most {room:.4g} so that happy and unhappy customers are at most all "
                f"customers (wom_happy_share is {self.wom_happy_share:g})",
                self.wom_unhappy_share)


@dataclass(frozen=True, slots=True)
class WordOfMouthResult:
    """Outputs of :func:`compute_word_of_mouth`: one year of stories.

    Attributes
    ----------
    params
        The inputs.
    happy_customers, unhappy_customers
        Customers who talk, by mood.
    told_per_happy, told_per_unhappy
        People each tells (capped at the circle of influence).
    happy_reach, unhappy_reach
        People reached by good stories, and by bad ones (amplification included).
    prospects_won, prospects_lost
        Customers won by good stories, and lost to bad ones.
    net_customers
        ``prospects_won - prospects_lost``.
    revenue_effect
        ``net_customers * annual_spend_per_customer``: a year's revenue of the net customers.
    customer_value
        Discounted margin of one customer over the horizon.
    value_won, value_lost, net_value
        Customers won, lost and net, times ``customer_value``.
    value_per_happy_customer, cost_per_unhappy_customer
        What one happy customer's stories bring, and one unhappy customer's cost.
    unhappy_to_happy_ratio
        Happy customers needed to make up for one unhappy one (``nan`` when a happy
        customer brings nothing).
    """

    params: WordOfMouthParams
    happy_customers: float
    unhappy_customers: float
    told_per_happy: float
    told_per_unhappy: float
    happy_reach: float
    unhappy_reach: float
    prospects_won: float
    prospects_lost: float
    net_customers: float
    revenue_effect: float
    customer_value: float
    value_won: float
    value_lost: float
    net_value: float
    value_per_happy_customer: float
    cost_per_unhappy_customer: float
    unhappy_to_happy_ratio: float

    def headline(self) -> dict[str, float | None]:
        """The headline numbers (JSON-ready)."""
        ratio = self.unhappy_to_happy_ratio
        return {
            "word_of_mouth_happy_reach": self.happy_reach,
            "word_of_mouth_unhappy_reach": self.unhappy_reach,
            "word_of_mouth_customers_won": self.prospects_won,
            "word_of_mouth_customers_lost": self.prospects_lost,
            "word_of_mouth_revenue_effect": self.revenue_effect,
            "word_of_mouth_net_value": self.net_value,
            "unhappy_to_happy_ratio": None if np.isnan(ratio) else ratio,
        }


def word_of_mouth_outcomes(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Every outcome, for numbers or arrays of draws (broadcast against each other).

    The vectorised core shared by :func:`compute_word_of_mouth` and the Monte Carlo
    (:func:`workbook.uncertainty.simulate`): ``inputs`` maps every field of
    :class:`WordOfMouthParams` to a number or an array of draws.
    """
    customers = inputs["customers"]
    circle = inputs["influence_circle"]
    happy = np.multiply(customers, inputs["wom_happy_share"])
    unhappy = np.multiply(customers, inputs["wom_unhappy_share"])
    told_happy = np.minimum(inputs["happy_customer_tells"], circle)
    told_unhappy = np.minimum(inputs["unhappy_customer_tells"], circle)
    happy_reach = happy * told_happy
    unhappy_reach = unhappy * told_unhappy * inputs["wom_social_amplification"]
    won = happy_reach * inputs["wom_referral_conversion"]
    lost = unhappy_reach * inputs["wom_detraction_loss"]
    value = customer_lifetime_value(
        np.multiply(inputs["annual_spend_per_customer"], inputs["gross_margin_rate"]),
        inputs["annual_retention_rate"], inputs["discount_rate"], inputs["horizon_years"])
    per_happy = told_happy * inputs["wom_referral_conversion"] * value
    per_unhappy = (told_unhappy * inputs["wom_social_amplification"]
                   * inputs["wom_detraction_loss"] * value)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(per_happy > 0, per_unhappy / np.where(per_happy > 0, per_happy, 1.0),
                         np.nan)
    return {
        "happy_customers": happy,
        "unhappy_customers": unhappy,
        "told_per_happy": told_happy,
        "told_per_unhappy": told_unhappy,
        "happy_reach": happy_reach,
        "unhappy_reach": unhappy_reach,
        "prospects_won": won,
        "prospects_lost": lost,
        "net_customers": won - lost,
        "revenue_effect": (won - lost) * inputs["annual_spend_per_customer"],
        "customer_value": value,
        "value_won": won * value,
        "value_lost": lost * value,
        "net_value": (won - lost) * value,
        "value_per_happy_customer": per_happy,
        "cost_per_unhappy_customer": per_unhappy,
        "unhappy_to_happy_ratio": ratio,
    }


def compute_word_of_mouth(params: WordOfMouthParams) -> WordOfMouthResult:
    """Customers won and lost by word of mouth in a year, and what they are worth.

    Parameters
    ----------
    params
        Validated inputs; see :class:`WordOfMouthParams`.

    Returns
    -------
    WordOfMouthResult
        Reach, customers won and lost, revenue and value.

    Notes
    -----
    With :math:`N` customers, happy and unhappy shares :math:`h, u`, people told
    :math:`T_h, T_u`, circle :math:`K`, amplification :math:`a`, conversion :math:`\\kappa`,
    detraction loss :math:`\\lambda`, spend :math:`S` and :math:`V` the discounted margin of a
    customer (:func:`workbook.core.finance.customer_lifetime_value`):

    .. math::

        \\mathrm{reach}_+ = N h \\min(T_h, K), \\qquad
        \\mathrm{reach}_- = N u \\min(T_u, K)\\, a

        \\mathrm{won} = \\kappa\\, \\mathrm{reach}_+, \\quad
        \\mathrm{lost} = \\lambda\\, \\mathrm{reach}_-, \\quad
        \\mathrm{net} = (\\mathrm{won} - \\mathrm{lost}) V, \\quad
        \\mathrm{revenue} = (\\mathrm{won} - \\mathrm{lost}) S

    People told by several customers are counted once per telling (no overlap), so the
    reach is an upper bound for a small market. Timing: the year's customers won or lost
    count from today; each brings margin at the year ends of the horizon while they stay.

    References
    ----------
    Seed 001: happy customers tell 3–5 people, unhappy ones 10–15; each customer influences
    about 250 (White House Office of Consumer Affairs); "United Breaks Guitars" (2009).

    Examples
    --------
    >>> result = compute_word_of_mouth(WordOfMouthParams())
    >>> result.happy_reach, result.unhappy_reach
    (24000.0, 12500.0)
    >>> round(result.prospects_won), round(result.prospects_lost)
    (480, 250)
    >>> round(result.unhappy_to_happy_ratio, 3)
    3.125
    """
    values = {name: float(v) for name, v in word_of_mouth_outcomes(params.to_dict()).items()}
    return WordOfMouthResult(params=params, **values)


@dataclass(frozen=True, slots=True)
class WordOfMouthRange:
    """The word-of-mouth results across the source ranges of people told.

    Attributes
    ----------
    cases
        :data:`RANGE_CASES` to results. ``low``/``high``: both counts of people told at the
        low/high end of their source range (3 and 10, 5 and 15); ``mid``: at the values of
        ``params``; ``pessimistic``: happy customers tell the fewest, unhappy ones the most;
        ``optimistic``: the reverse. Net value is increasing in ``happy_customer_tells`` and
        decreasing in ``unhappy_customer_tells``, so the pessimistic and optimistic cases bound
        it over the ranges.
    """

    params: WordOfMouthParams
    cases: Mapping[str, WordOfMouthResult]

    @property
    def mid(self) -> WordOfMouthResult:
        """The result at the values of ``params``."""
        return self.cases["mid"]

    def band(self, metric: str) -> tuple[float, float]:
        """Smallest and largest of ``metric`` over the cases."""
        values = [getattr(result, metric) for result in self.cases.values()]
        return min(values), max(values)

    def table(self) -> pd.DataFrame:
        """One row per case: people told, reach, customers won and lost, net value."""
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        columns = ("told_per_happy", "told_per_unhappy", "happy_reach", "unhappy_reach",
                   "prospects_won", "prospects_lost", "revenue_effect", "net_value")
        return pd.DataFrame(
            [{c: getattr(result, c) for c in columns} for result in self.cases.values()],
            index=pd.Index(list(self.cases), name="case"))


def _source_range(key: str, value: float) -> tuple[float, float]:
    assumption = get_assumption(key)
    return min(assumption.low, value), max(assumption.high, value)


def compute_word_of_mouth_range(params: WordOfMouthParams) -> WordOfMouthRange:
    """:func:`compute_word_of_mouth` at the low, middle and high of the source ranges.

    The ranges are the registry's (3–5 people for a happy customer, 10–15 for an unhappy
    one), widened to include the values of ``params``: use the ranges, not just midpoints.

    Examples
    --------
    >>> spread = compute_word_of_mouth_range(WordOfMouthParams())
    >>> [round(r.told_per_happy) for r in spread.cases.values()]
    [3, 3, 4, 5, 5]
    >>> low, high = spread.band("net_value")
    >>> low == spread.cases["pessimistic"].net_value
    True
    """
    happy_low, happy_high = _source_range("happy_customer_tells", params.happy_customer_tells)
    unhappy_low, unhappy_high = _source_range("unhappy_customer_tells",
                                              params.unhappy_customer_tells)
    settings = {
        "pessimistic": (happy_low, unhappy_high),
        "low": (happy_low, unhappy_low),
        "mid": (params.happy_customer_tells, params.unhappy_customer_tells),
        "high": (happy_high, unhappy_high),
        "optimistic": (happy_high, unhappy_low),
    }
    cases = {name: compute_word_of_mouth(params.replace(happy_customer_tells=happy,
                                                        unhappy_customer_tells=unhappy))
             for name, (happy, unhappy) in settings.items()}
    return WordOfMouthRange(params=params, cases=cases)


def word_of_mouth_joint_limits(values: dict[str, Any]) -> dict[str, Any]:
    """Cut each draw's unhappy share so happy and unhappy shares add up to at most 1."""
    happy, unhappy = values["wom_happy_share"], values["wom_unhappy_share"]
    if np.ndim(happy) or np.ndim(unhappy):
        values["wom_unhappy_share"] = np.minimum(unhappy, 1.0 - np.asarray(happy))
    return values


WORD_OF_MOUTH_FIXED: frozenset[str] = BUSINESS_FIXED
"""Fields of :class:`WordOfMouthParams` held at their value by default: the business's own."""

WORD_OF_MOUTH: Model[WordOfMouthParams, WordOfMouthResult] = Model(
    "word_of_mouth",
    WordOfMouthParams,
    compute_word_of_mouth,
    outcomes=word_of_mouth_outcomes,
    headline=WordOfMouthResult.headline,
    fixed=WORD_OF_MOUTH_FIXED,
    joint_limits=word_of_mouth_joint_limits,
)
"""The word-of-mouth model, declared once. Its name is the prefix of its Monte Carlo headline
keys (``word_of_mouth_net_value_p10``). Each share's range is its own; a draw's unhappy share
is then cut to ``1 - wom_happy_share`` (:func:`word_of_mouth_joint_limits`)."""
