"""Complaint recovery: what hearing and fixing complaints keeps, and what it costs.

Seed 001: 70 % of complaining customers stay when the complaint is resolved promptly,
positively and professionally (the "3 P's"). Seed 003 (Griffin's law 5): most unhappy customers
never complain, so *hunt for complaints*. The model follows one year of customers who meet a
problem: some complain (the capture share, the lever), the rest stay silent; of the complaints,
some are resolved promptly and well (recovered), the rest not. Each group stays at its own
retention rate. The value of complaint handling is what the complainers keep beyond what the
same customers would keep had they stayed silent, less the cost of handling every complaint.

Every outcome is computed by :func:`complaint_outcomes` from a mapping of inputs that may be
numbers or numpy arrays of draws, so :mod:`workbook.uncertainty.recovery` runs the very same
lines on 10,000 draws at once. Measured inputs (complaint rate, prompt share, retention after a
complaint) come from :mod:`workbook.data.complaints`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from workbook.core.declare import Params
from workbook.core.finance import customer_lifetime_value
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import require_integer

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BUSINESS_FIXED",
    "COMPLAINT_FIXED",
    "COMPLAINT_RECOVERY",
    "CaptureLever",
    "ComplaintParams",
    "ComplaintResult",
    "complaint_outcomes",
    "compute_capture_lever",
    "compute_complaint_recovery",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintParams(Params):
    """Inputs of the complaint-recovery model; defaults from the registry.

    Attributes
    ----------
    customers
        Active customers.
    complaint_problem_share
        Share of customers who meet a problem in a year.
    complaint_capture_share
        Share of customers with a problem who complain (the "hunt for complaints" lever).
    complaint_prompt_resolution_share
        Share of complaints resolved promptly, positively and professionally.
    complaint_recovery_retention
        Share of recovered complainers still customers a year later (0.7, seed 001).
    complaint_unrecovered_retention
        The same for complainers whose complaint was not resolved promptly and well.
    complaint_silent_retention
        The same for customers with a problem who did not complain.
    complaint_handling_cost
        Cost of handling one complaint (currency/complaint), paid when it is handled.
    annual_spend_per_customer
        Revenue per customer per year.
    gross_margin_rate
        Gross margin as a fraction of revenue.
    annual_retention_rate
        Yearly retention of a customer once kept (their ordinary retention afterwards).
    horizon_years
        Years of margin counted for a customer kept.
    discount_rate
        Yearly discount rate.
    """

    customers: int = assumed("customers")
    complaint_problem_share: float = assumed("complaint_problem_share")
    complaint_capture_share: float = assumed("complaint_capture_share")
    complaint_prompt_resolution_share: float = assumed("complaint_prompt_resolution_share")
    complaint_recovery_retention: float = assumed("complaint_recovery_retention")
    complaint_unrecovered_retention: float = assumed("complaint_unrecovered_retention")
    complaint_silent_retention: float = assumed("complaint_silent_retention")
    complaint_handling_cost: float = assumed("complaint_handling_cost")
    annual_spend_per_customer: float = assumed("annual_spend_per_customer")
    gross_margin_rate: float = assumed("gross_margin_rate")
    annual_retention_rate: float = assumed("annual_retention_rate")
    horizon_years: int = assumed("horizon_years")
    discount_rate: float = assumed("discount_rate")


@dataclass(frozen=True, slots=True)
class ComplaintResult:
    """Outputs of :func:`compute_complaint_recovery`: one year of customers with a problem.

    Counts are customers (expected values, not rounded); money is currency, discounted.

    Attributes
    ----------
    params
        The inputs.
    customers_with_problem, complainers, silent_customers
        Customers who met a problem; of them, who complained and who did not.
    recovered_customers, unrecovered_customers
        Complainers resolved promptly and well, and the rest.
    stay_recovered, stay_unrecovered, stay_silent
        Customers of each group still customers a year later.
    customers_staying, customers_leaving
        All customers with a problem who stay, and who leave.
    customers_kept
        Customers kept by complaint handling: complainers who stay beyond those who would
        have stayed had they been silent; ``customers_kept_by_hearing +
        customers_kept_by_recovery``.
    customers_kept_by_hearing
        Part kept by hearing the complaint at all (unrecovered vs silent retention).
    customers_kept_by_recovery
        Part kept by resolving it promptly and well (recovered vs unrecovered retention).
    customer_value
        Discounted margin of one customer kept, over the horizon.
    value_kept
        ``customers_kept * customer_value``.
    handling_cost
        ``complainers * complaint_handling_cost``.
    net_value
        ``value_kept - handling_cost``: the year's complaint handling, in today's money.
    value_at_risk
        ``customers_leaving * customer_value``: what the customers with a problem who leave
        would have been worth.
    capture_point_value
        Change of ``net_value`` when the capture share rises by one point (0.01).
    prompt_point_value
        Change of ``net_value`` when the prompt-resolution share rises by one point.
    break_even_handling_cost
        Cost per complaint at which ``net_value`` is 0 (negative when complaining customers
        stay less than silent ones).
    """

    params: ComplaintParams
    customers_with_problem: float
    complainers: float
    silent_customers: float
    recovered_customers: float
    unrecovered_customers: float
    stay_recovered: float
    stay_unrecovered: float
    stay_silent: float
    customers_staying: float
    customers_leaving: float
    customers_kept: float
    customers_kept_by_hearing: float
    customers_kept_by_recovery: float
    customer_value: float
    value_kept: float
    handling_cost: float
    net_value: float
    value_at_risk: float
    capture_point_value: float
    prompt_point_value: float
    break_even_handling_cost: float

    def flow_table(self) -> pd.DataFrame:
        """Customers in each group: how many, how many stay, how many leave."""
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        rows = {
            "Complained, recovered": (self.recovered_customers, self.stay_recovered),
            "Complained, not recovered": (self.unrecovered_customers, self.stay_unrecovered),
            "Silent": (self.silent_customers, self.stay_silent),
            "All with a problem": (self.customers_with_problem, self.customers_staying),
        }
        table = pd.DataFrame.from_dict(rows, orient="index", columns=["customers", "stay"])
        table["leave"] = table["customers"] - table["stay"]
        table["retention"] = table["stay"] / table["customers"].where(table["customers"] > 0)
        return table

    def headline(self) -> dict[str, float]:
        """The headline numbers (JSON-ready), as reports and dashboards show them."""
        return {
            "complaints_per_year": self.complainers,
            "complaint_customers_kept": self.customers_kept,
            "complaint_value_kept": self.value_kept,
            "complaint_handling_cost": self.handling_cost,
            "complaint_net_value": self.net_value,
            "complaint_value_at_risk": self.value_at_risk,
            "capture_point_value": self.capture_point_value,
            "prompt_point_value": self.prompt_point_value,
        }


def complaint_outcomes(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Every outcome of the model, for numbers or arrays of draws (see the module notes).

    The vectorised core shared by :func:`compute_complaint_recovery`,
    :func:`compute_capture_lever` and the Monte Carlo (:func:`workbook.uncertainty.simulate`):
    ``inputs`` maps every field of :class:`ComplaintParams` to a number or an array of draws.
    """
    with_problem = np.multiply(inputs["customers"], inputs["complaint_problem_share"])
    capture = inputs["complaint_capture_share"]
    prompt = inputs["complaint_prompt_resolution_share"]
    r_recovered = inputs["complaint_recovery_retention"]
    r_unrecovered = inputs["complaint_unrecovered_retention"]
    r_silent = inputs["complaint_silent_retention"]
    cost = inputs["complaint_handling_cost"]
    complainers = with_problem * capture
    silent = with_problem * (1.0 - capture)
    recovered = complainers * prompt
    unrecovered = complainers * (1.0 - prompt)
    stay_recovered = recovered * r_recovered
    stay_unrecovered = unrecovered * r_unrecovered
    stay_silent = silent * r_silent
    staying = stay_recovered + stay_unrecovered + stay_silent
    kept_by_hearing = complainers * (r_unrecovered - r_silent)
    kept_by_recovery = recovered * (r_recovered - r_unrecovered)
    value = customer_lifetime_value(
        np.multiply(inputs["annual_spend_per_customer"], inputs["gross_margin_rate"]),
        inputs["annual_retention_rate"], inputs["discount_rate"], inputs["horizon_years"])
    kept = kept_by_hearing + kept_by_recovery
    value_kept = kept * value
    handling = complainers * cost
    gain_per_complaint = (prompt * r_recovered + (1.0 - prompt) * r_unrecovered
                          - r_silent) * value
    return {
        "customers_with_problem": with_problem,
        "complainers": complainers,
        "silent_customers": silent,
        "recovered_customers": recovered,
        "unrecovered_customers": unrecovered,
        "stay_recovered": stay_recovered,
        "stay_unrecovered": stay_unrecovered,
        "stay_silent": stay_silent,
        "customers_staying": staying,
        "customers_leaving": with_problem - staying,
        "customers_kept": kept,
        "customers_kept_by_hearing": kept_by_hearing,
        "customers_kept_by_recovery": kept_by_recovery,
        "customer_value": value,
        "value_kept": value_kept,
        "handling_cost": handling,
        "net_value": value_kept - handling,
        "value_at_risk": (with_problem - staying) * value,
        "capture_point_value": 0.01 * with_problem * (gain_per_complaint - cost),
        "prompt_point_value": 0.01 * complainers * (r_recovered - r_unrecovered) * value,
        "break_even_handling_cost": gain_per_complaint,
    }


def compute_complaint_recovery(params: ComplaintParams) -> ComplaintResult:
    """Customers and value kept by hearing and fixing complaints, and what it costs.

    Parameters
    ----------
    params
        Validated inputs; see :class:`ComplaintParams`.

    Returns
    -------
    ComplaintResult
        The flow of one year's customers with a problem and its value.

    Notes
    -----
    With :math:`N` customers, problem share :math:`q`, capture share :math:`c`, prompt share
    :math:`p`, retention :math:`r_R` (recovered), :math:`r_U` (unrecovered), :math:`r_S`
    (silent), handling cost :math:`k` and :math:`V` the discounted margin of a customer kept
    (:func:`workbook.core.finance.customer_lifetime_value` over the horizon):

    .. math::

        P = N q, \\quad C = P c, \\quad R = C p, \\quad
        \\mathrm{stay} = R r_R + (C - R) r_U + (P - C) r_S

        \\mathrm{kept} = C (r_U - r_S) + R (r_R - r_U), \\qquad
        \\mathrm{net} = \\mathrm{kept}\\, V - C k

    *Kept* counts the complainers who stay beyond those who would have stayed silent: the
    counterfactual is no complaint heard. Timing: the year's complaints are handled today
    (cost undiscounted); a customer kept brings margin at each year end of the horizon while
    they stay (:func:`workbook.core.finance.customer_lifetime_value` over the horizon). Net
    value is linear in :math:`c`, so one point of capture is worth exactly
    :math:`0.01 P \\bigl((p r_R + (1-p) r_U - r_S) V - k\\bigr)`; it rises with :math:`c` when a
    complainer's expected retention beats a silent customer's by more than :math:`k / V`.

    References
    ----------
    Seed 001 (the article's "3 P's"): 70 % of complainers stay when the complaint is resolved
    promptly, positively and professionally. Griffin, J. (1995). *Customer Loyalty: How to
    Earn It, How to Keep It*, law 5: hunt for complaints (seed 003).

    Examples
    --------
    >>> result = compute_complaint_recovery(ComplaintParams())
    >>> result.complainers, round(result.customers_kept, 1)
    (500.0, 40.0)
    >>> round(result.net_value)
    22687
    """
    values = {name: float(v) for name, v in complaint_outcomes(params.to_dict()).items()}
    return ComplaintResult(params=params, **values)


@dataclass(frozen=True, slots=True)
class CaptureLever:
    """Value of complaint handling at each capture share (:func:`compute_capture_lever`).

    Attributes
    ----------
    shares
        Capture shares from 0 to 1.
    value_kept, handling_cost, net_value
        At each share, the others at their values.
    current
        The result at the current capture share.
    """

    shares: NDArray[np.float64]
    value_kept: NDArray[np.float64]
    handling_cost: NDArray[np.float64]
    net_value: NDArray[np.float64]
    current: ComplaintResult


def compute_capture_lever(params: ComplaintParams, points: int = 21) -> CaptureLever:
    """Net value of complaint handling as the capture share runs from 0 to 1.

    The model runs once on an array of capture shares (:func:`complaint_outcomes`
    broadcasts), so each
    point equals :func:`compute_complaint_recovery` at that share.

    Examples
    --------
    >>> lever = compute_capture_lever(ComplaintParams(), points=5)
    >>> lever.shares.tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> round(float(lever.net_value[1])) == round(lever.current.net_value)
    True
    """
    require_integer("points", points, low=2, high=10_000)
    shares = np.linspace(0.0, 1.0, points)
    outcome = complaint_outcomes({**params.to_dict(), "complaint_capture_share": shares})
    return CaptureLever(
        shares=shares,
        value_kept=np.asarray(outcome["value_kept"], dtype=np.float64),
        handling_cost=np.asarray(outcome["handling_cost"], dtype=np.float64),
        net_value=np.asarray(outcome["net_value"], dtype=np.float64),
        current=compute_complaint_recovery(params),
    )


BUSINESS_FIXED: frozenset[str] = frozenset({
    "customers", "annual_spend_per_customer", "gross_margin_rate", "annual_retention_rate",
    "horizon_years", "discount_rate"})
"""The business's own figures, held at their value in a simulation of a recovery model."""

COMPLAINT_FIXED: frozenset[str] = BUSINESS_FIXED | {"complaint_handling_cost"}
"""Fields of :class:`ComplaintParams` held at their value by default (the business's own
figures and its handling cost)."""

COMPLAINT_RECOVERY: Model[ComplaintParams, ComplaintResult] = Model(
    "complaint",
    ComplaintParams,
    compute_complaint_recovery,
    outcomes=complaint_outcomes,
    headline=ComplaintResult.headline,
    fixed=COMPLAINT_FIXED,
)
"""The complaint-recovery model, declared once. Its name is the prefix of its Monte Carlo
headline keys (``complaint_net_value_p10``). No rule ties two fields: every input may take any
value within its own limits."""
