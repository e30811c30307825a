"""Service ROI: what an investment in excellent service returns.

The model follows the two functions of service the sources name (seed 002): keep the customer
base and grow it. Customers who experience excellent service spend more (9 %, American Express
Barometer 2010) and stay longer; every customer kept is one the business need not replace at
five times the cost of keeping one (White House Office of Consumer Affairs).

Business model (documented in :func:`compute_service_roi`): the business holds its base at
``customers`` by replacing every customer it loses. The service programme reaches a share of the
base; for them spend rises by ``spend_uplift_excellent_service`` and annual retention by
``retention_uplift_rate``. Benefits: the margin on the extra spend, and the acquisition spend
avoided because fewer customers must be replaced. Costs: a one-off investment today and a yearly
programme cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.declare import Params, declaration, declared, number
from workbook.core.finance import (
    customer_lifetime_value,
    discount_factors,
    payback_months_array,
)
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SERVICE_ROI",
    "SERVICE_ROI_FIXED",
    "RoiResult",
    "ServiceRoiParams",
    "compute_service_roi",
    "customer_lifetime_value",
    "service_roi_joint_bounds",
    "service_roi_joint_limits",
    "service_roi_outcomes",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceRoiParams(Params):
    """Inputs of the service-ROI model; defaults from the registry.

    Attributes
    ----------
    customers
        Active customers, held constant by replacing those lost.
    annual_spend_per_customer
        Revenue per customer per year (currency/customer/year).
    gross_margin_rate
        Gross margin as a fraction of revenue.
    annual_retention_rate
        Fraction of customers kept per year without the programme.
    retention_cost_per_customer
        Yearly cost of keeping one customer (currency/customer/year).
    acquisition_to_retention_cost_ratio
        How many times the retention cost one new customer costs (about 5).
    acquisition_cost_per_customer
        Cost of winning one new customer (currency/customer). ``None`` (the default) means
        ``acquisition_to_retention_cost_ratio * retention_cost_per_customer``.
    excellent_service_share
        Fraction of customers who experience the excellent service.
    spend_uplift_excellent_service
        Extra spend of those customers, a fraction of their annual spend (0.09 = 9 %).
    retention_uplift_rate
        Percentage points (as a fraction) added to their annual retention; retention with
        the uplift stays at or below the hard limit of ``annual_retention_rate`` (0.99).
    upfront_investment
        One-off cost paid today (currency).
    annual_service_cost
        Yearly cost of the programme (currency/year), paid at each year end.
    horizon_years
        Years of benefits and costs counted.
    discount_rate
        Yearly discount rate (fraction/year).
    """

    customers: int = assumed("customers")
    annual_spend_per_customer: float = assumed("annual_spend_per_customer")
    gross_margin_rate: float = assumed("gross_margin_rate")
    annual_retention_rate: float = assumed("annual_retention_rate")
    retention_cost_per_customer: float = assumed("retention_cost_per_customer")
    acquisition_to_retention_cost_ratio: float = assumed("acquisition_to_retention_cost_ratio")
    acquisition_cost_per_customer: float | None = declared(None, number(low=0, optional=True))
    excellent_service_share: float = assumed("excellent_service_share")
    spend_uplift_excellent_service: float = assumed("spend_uplift_excellent_service")
    retention_uplift_rate: float = assumed("retention_uplift_rate")
    upfront_investment: float = assumed("upfront_investment")
    annual_service_cost: float = assumed("annual_service_cost")
    horizon_years: int = assumed("horizon_years")
    discount_rate: float = assumed("discount_rate")

    def check(self) -> None:
        """Retention with the uplift stays at or below retention's hard limit (0.99)."""
        room = _retention_ceiling() - self.annual_retention_rate
        if self.retention_uplift_rate > room + 1e-12:
            raise ParameterError(
                "retention_uplift_rate",
                f"at most {room:.4g} so that retention with the uplift stays at or below "
                f"{_retention_ceiling():g} (annual_retention_rate is "
                f"{self.annual_retention_rate:g})",
                self.retention_uplift_rate,
            )

    @property
    def acquisition_cost(self) -> float:
        """Cost of one new customer: the explicit value, or ratio × retention cost."""
        if self.acquisition_cost_per_customer is not None:
            return self.acquisition_cost_per_customer
        return self.acquisition_to_retention_cost_ratio * self.retention_cost_per_customer


def _retention_ceiling() -> float:
    """The hard limit of ``annual_retention_rate`` (registry ``LIMITS``: 0.99)."""
    limits = declaration(ServiceRoiParams, "annual_retention_rate")
    assert limits is not None and limits.high is not None
    return limits.high


@dataclass(frozen=True, slots=True)
class RoiResult:
    """Outputs of :func:`compute_service_roi`. Arrays run over years ``0..horizon_years``.

    Attributes
    ----------
    params
        The inputs.
    incremental_revenue, incremental_margin
        Extra revenue from the spend uplift, and its gross margin (0 in year 0).
    customers_kept
        Customers not lost thanks to the retention uplift, per year.
    acquisition_spend_avoided
        ``customers_kept * acquisition cost``: replacements not bought.
    service_cost
        Upfront investment in year 0, then the yearly programme cost.
    cash_flow
        ``incremental_margin + acquisition_spend_avoided - service_cost``.
    discount_factor
        ``(1 + discount_rate) ** -t``.
    npv
        Net present value of ``cash_flow`` (currency).
    roi
        ``npv / PV(service_cost)``; ``None`` when nothing is spent.
    payback_months
        Months until the undiscounted cumulative cash turns non-negative for good; ``None``
        when it does not within the horizon.
    break_even_spend_uplift_rate
        The ``spend_uplift_excellent_service`` at which ``npv == 0`` (may be negative: the
        programme pays
        through retention alone); ``None`` when spend uplift has no effect (nobody reached or no
        margin).
    clv_before, clv_after_excellent, clv_after
        Lifetime value of a customer without the programme, of one who gets excellent
        service, and of the average customer with the programme.
    """

    params: ServiceRoiParams
    incremental_revenue: NDArray[np.float64]
    incremental_margin: NDArray[np.float64]
    customers_kept: NDArray[np.float64]
    acquisition_spend_avoided: NDArray[np.float64]
    service_cost: NDArray[np.float64]
    cash_flow: NDArray[np.float64]
    discount_factor: NDArray[np.float64]
    npv: float
    roi: float | None
    payback_months: float | None
    break_even_spend_uplift_rate: float | None
    clv_before: float
    clv_after_excellent: float
    clv_after: float

    @property
    def cumulative_cash(self) -> NDArray[np.float64]:
        """Undiscounted cumulative cash at each year end."""
        return np.cumsum(self.cash_flow)

    @property
    def value_drivers(self) -> dict[str, float]:
        """Present value of each driver; they add up to ``npv``."""
        df = self.discount_factor
        return {
            "Margin on extra spend": float(self.incremental_margin @ df),
            "Acquisition spend avoided": float(self.acquisition_spend_avoided @ df),
            "Upfront investment": -float(self.service_cost[0]),
            "Yearly programme cost": -float(self.service_cost[1:] @ df[1:]),
        }

    def yearly_table(self) -> pd.DataFrame:
        """One row per year with every flow, discounted and cumulative cash."""
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        return pd.DataFrame(
            {
                "incremental_revenue": self.incremental_revenue,
                "incremental_margin": self.incremental_margin,
                "customers_kept": self.customers_kept,
                "acquisition_spend_avoided": self.acquisition_spend_avoided,
                "service_cost": self.service_cost,
                "cash_flow": self.cash_flow,
                "discounted_cash_flow": self.cash_flow * self.discount_factor,
                "cumulative_cash": self.cumulative_cash,
            },
            index=pd.RangeIndex(len(self.cash_flow), name="year"),
        )

    def headline(self) -> dict[str, float | None]:
        """The headline numbers (JSON-ready), as reports and dashboards show them."""
        return {
            "npv": self.npv,
            "roi": self.roi,
            "payback_months": self.payback_months,
            "break_even_spend_uplift_rate": self.break_even_spend_uplift_rate,
            "clv_before": self.clv_before,
            "clv_after": self.clv_after,
            "customers_kept_per_year": float(self.customers_kept[1:].mean()),
        }


_FLOW_NAMES = ("incremental_revenue", "incremental_margin", "customers_kept",
               "acquisition_spend_avoided", "service_cost", "cash_flow")


def _column(value: ArrayLike) -> NDArray[np.float64]:
    """``value`` (a number or an array of draws) with a trailing axis for the years."""
    return np.asarray(value, dtype=np.float64)[..., np.newaxis]


def _acquisition_cost(inputs: Mapping[str, Any]) -> Any:
    """Cost of one new customer, as :attr:`ServiceRoiParams.acquisition_cost` defines it."""
    explicit = inputs["acquisition_cost_per_customer"]
    if explicit is not None:
        return explicit
    return np.multiply(inputs["acquisition_to_retention_cost_ratio"],
                       inputs["retention_cost_per_customer"])


def _flows(
    inputs: Mapping[str, Any], spend_uplift: ArrayLike
) -> dict[str, NDArray[np.float64]]:
    """The yearly flows, years ``0..H`` on the last axis.

    ``inputs`` maps every field of :class:`ServiceRoiParams` to a number or to an array of
    draws (one value per simulated case); the arrays broadcast against each other and each flow
    gains a last axis of years. Years past a case's own ``horizon_years`` carry no cash, so
    cases with different horizons share one array. With plain numbers this is the
    deterministic model; :mod:`workbook.uncertainty` runs the same lines on arrays.
    """
    horizon = np.asarray(inputs["horizon_years"])
    years = np.arange(int(horizon.max()) + 1)
    per_year = ((years >= 1) & (years <= horizon[..., np.newaxis])).astype(np.float64)
    reached = _column(inputs["customers"]) * _column(inputs["excellent_service_share"])
    revenue = (per_year * reached * _column(inputs["annual_spend_per_customer"])
               * _column(spend_uplift))
    margin = revenue * _column(inputs["gross_margin_rate"])
    kept = per_year * reached * _column(inputs["retention_uplift_rate"])
    avoided = kept * _column(_acquisition_cost(inputs))
    cost = (per_year * _column(inputs["annual_service_cost"])
            + (years == 0) * _column(inputs["upfront_investment"]))
    return {
        "incremental_revenue": revenue,
        "incremental_margin": margin,
        "customers_kept": kept,
        "acquisition_spend_avoided": avoided,
        "service_cost": cost,
        "cash_flow": margin + avoided - cost,
    }


def _discount_factors(rate: ArrayLike, years: int) -> NDArray[np.float64]:
    """:func:`workbook.core.finance.discount_factors`, also for an array of rates (one per case)."""
    if np.ndim(rate) == 0:
        return discount_factors(float(rate), years)
    return (1.0 + _column(rate)) ** -np.arange(years + 1, dtype=np.float64)


def _present_value(
    flows: NDArray[np.float64], factors: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Sum over the last axis of ``flows * factors``, year by year in a fixed order.

    The fixed order makes a case's value identical whether it is computed alone or among
    ten thousand (a BLAS dot product may sum in a different order for different shapes).
    """
    total = flows[..., 0] * factors[..., 0]
    for t in range(1, flows.shape[-1]):
        total = total + flows[..., t] * factors[..., t]
    return total


def service_roi_outcomes(inputs: Mapping[str, Any]) -> dict[str, NDArray[np.float64]]:
    """Flows, discount factors, NPV, PV of costs, ROI and payback of one or many cases.

    The vectorised core of the model, shared by :func:`compute_service_roi` and the Monte
    Carlo (:func:`workbook.uncertainty.simulate`). ``inputs`` maps every field of
    :class:`ServiceRoiParams` to a number or to an array of draws (one value per simulated
    case); the arrays broadcast against each other and each yearly flow gains a last axis of
    years ``0..H``. ROI is ``nan`` where nothing is spent, payback ``nan`` where there is none
    within the horizon (``None`` in :class:`RoiResult`).

    Examples
    --------
    >>> outcome = service_roi_outcomes(ServiceRoiParams().to_dict())
    >>> round(float(outcome["npv"]))
    384932
    """
    flows = _flows(inputs, inputs["spend_uplift_excellent_service"])
    factors = _discount_factors(inputs["discount_rate"], flows["cash_flow"].shape[-1] - 1)
    npv = _present_value(flows["cash_flow"], factors)
    pv_cost = _present_value(flows["service_cost"], factors)
    roi = np.full(np.broadcast_shapes(npv.shape, pv_cost.shape), np.nan)
    with np.errstate(over="ignore"):  # a cost of a few ulps gives an infinite ROI
        np.divide(npv, pv_cost, out=roi, where=pv_cost > 0)
    return {
        **flows,
        "discount_factor": factors,
        "npv": npv,
        "pv_cost": pv_cost,
        "roi": roi,
        "payback_months": payback_months_array(flows["cash_flow"]),
    }


def _optional(value: NDArray[np.float64]) -> float | None:
    number = float(value)
    return None if np.isnan(number) else number


def compute_service_roi(params: ServiceRoiParams) -> RoiResult:
    """Net present value, ROI, payback and break-even of a service investment.

    Parameters
    ----------
    params
        Validated inputs; see :class:`ServiceRoiParams`.

    Returns
    -------
    RoiResult
        Yearly flows for years ``0..H`` and the headline numbers.

    Notes
    -----
    With :math:`N` customers, share :math:`s` reached, spend :math:`S`, margin :math:`m`,
    spend uplift :math:`u`, retention uplift :math:`\\Delta r`, acquisition cost :math:`A`,
    upfront investment :math:`I`, yearly cost :math:`C` and discount rate :math:`d`, for each
    year :math:`t = 1..H` (cash at year end; :math:`I` today):

    .. math::

        \\mathrm{margin}_t = N s S u m, \\qquad
        \\mathrm{kept}_t = N s \\Delta r, \\qquad
        \\mathrm{avoided}_t = \\mathrm{kept}_t A

        CF_0 = -I, \\qquad CF_t = \\mathrm{margin}_t + \\mathrm{avoided}_t - C

        \\mathrm{NPV} = \\sum_{t=0}^{H} CF_t (1+d)^{-t}, \\qquad
        \\mathrm{ROI} = \\mathrm{NPV} / \\bigl(I + \\sum_{t=1}^{H} C (1+d)^{-t}\\bigr)

    The base is held at :math:`N` by replacing lost customers, so a kept customer saves one
    acquisition rather than adding revenue. NPV is affine in :math:`u`, so the break-even
    uplift is :math:`u^* = -\\mathrm{NPV}(0) / (\\mathrm{NPV}(1) - \\mathrm{NPV}(0))`.
    Payback: see :func:`workbook.core.finance.payback_months`. Lifetime values: see
    :func:`workbook.core.finance.customer_lifetime_value` (open horizon), with margin
    :math:`S m` and retention :math:`r` before,
    :math:`S (1+u) m` and :math:`r + \\Delta r` for a customer who gets excellent service; the
    average customer after is the mix by :math:`s`.

    References
    ----------
    American Express Global Customer Service Barometer (2010): 9 % more spend.
    White House Office of Consumer Affairs: a new customer costs about 5× keeping one.

    Examples
    --------
    >>> result = compute_service_roi(ServiceRoiParams())
    >>> round(result.npv)
    384932
    >>> round(result.payback_months, 1)
    16.4
    """
    inputs = params.to_dict()
    outcome = service_roi_outcomes(inputs)
    factors = outcome["discount_factor"]
    npv = float(outcome["npv"])
    at_no_and_full_uplift = _flows(inputs, np.array([0.0, 1.0]))["cash_flow"]
    npv_without, npv_full = _present_value(at_no_and_full_uplift, factors).tolist()
    slope = npv_full - npv_without
    margin = params.annual_spend_per_customer * params.gross_margin_rate
    clv_before = customer_lifetime_value(margin, params.annual_retention_rate,
                                         params.discount_rate)
    clv_excellent = customer_lifetime_value(
        margin * (1.0 + params.spend_uplift_excellent_service),
        params.annual_retention_rate + params.retention_uplift_rate,
        params.discount_rate,
    )
    share = params.excellent_service_share
    return RoiResult(
        params=params,
        discount_factor=factors,
        npv=npv,
        roi=_optional(outcome["roi"]),
        payback_months=_optional(outcome["payback_months"]),
        break_even_spend_uplift_rate=-npv_without / slope if slope > 0 else None,
        clv_before=clv_before,
        clv_after_excellent=clv_excellent,
        clv_after=(1.0 - share) * clv_before + share * clv_excellent,
        **{name: outcome[name] for name in _FLOW_NAMES},
    )


def service_roi_joint_bounds(params: ServiceRoiParams, name: str) -> tuple[float, float] | None:
    """The values ``name`` may take with the other fields of ``params`` as they are.

    Retention and its uplift share one ceiling (:meth:`ServiceRoiParams.check`): each may
    rise only to the hard limit of retention less the other. ``None`` for any other field.

    Examples
    --------
    >>> service_roi_joint_bounds(ServiceRoiParams(), "retention_uplift_rate")
    (0.0, 0.24)
    """
    ceiling = _retention_ceiling()
    if name == "annual_retention_rate":
        return 0.0, round(ceiling - params.retention_uplift_rate, 12)
    if name == "retention_uplift_rate":
        return 0.0, round(ceiling - params.annual_retention_rate, 12)
    return None


def service_roi_joint_limits(values: dict[str, Any]) -> dict[str, Any]:
    """Cut each draw's retention uplift so retention with it stays at or below 0.99."""
    retention, uplift = values["annual_retention_rate"], values["retention_uplift_rate"]
    if np.ndim(retention) or np.ndim(uplift):
        values["retention_uplift_rate"] = np.minimum(uplift, _retention_ceiling() - retention)
    return values


SERVICE_ROI_FIXED: frozenset[str] = frozenset({
    "customers", "annual_spend_per_customer", "gross_margin_rate", "annual_retention_rate",
    "retention_cost_per_customer", "upfront_investment", "annual_service_cost",
    "horizon_years", "discount_rate",
})
"""Fields a simulation holds at their value unless released: the business's own books and
budget (see :mod:`workbook.uncertainty.inputs`)."""

SERVICE_ROI: Model[ServiceRoiParams, RoiResult] = Model(
    "service_roi",
    ServiceRoiParams,
    compute_service_roi,
    outcomes=service_roi_outcomes,
    headline=RoiResult.headline,
    fixed=SERVICE_ROI_FIXED,
    joint_bounds=service_roi_joint_bounds,
    joint_limits=service_roi_joint_limits,
)
"""The service-ROI model, declared once: what every surface (notebook, dashboard, Monte Carlo,
batch report) runs."""
