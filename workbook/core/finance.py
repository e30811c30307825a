"""Discounting and payback: the timing conventions every money model shares.

Convention (the one numpy-financial's ``npv`` uses): ``cash_flows[0]`` falls today (year 0,
undiscounted), ``cash_flows[t]`` at the end of year ``t``, discounted by ``(1 + rate) ** -t``.
For payback, a year's cash is taken to accrue evenly through that year, so the cumulative cash
between two year ends is a straight line.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "customer_lifetime_value",
    "discount_factors",
    "net_present_value",
    "payback_months",
    "payback_months_array",
]


def discount_factors(rate: float, years: int) -> NDArray[np.float64]:
    """Discount factors for year 0 to ``years``.

    Notes
    -----
    ``factor[t] = (1 + rate) ** -t``, so ``factor[0] == 1``.

    Examples
    --------
    >>> discount_factors(0.1, 2).round(4).tolist()
    [1.0, 0.9091, 0.8264]
    """
    return (1.0 + rate) ** -np.arange(years + 1, dtype=np.float64)


def net_present_value(rate: float, cash_flows: ArrayLike) -> float:
    """Net present value of yearly cash flows, the first one today.

    Notes
    -----
    .. math:: \\mathrm{NPV} = \\sum_{t=0}^{H} \\frac{CF_t}{(1 + r)^t}

    References
    ----------
    numpy-financial, ``npv`` (same convention).

    Examples
    --------
    >>> round(net_present_value(0.1, [-100, 60, 60]), 4)
    4.1322
    """
    flows = np.asarray(cash_flows, dtype=np.float64)
    return float(flows @ discount_factors(rate, len(flows) - 1))


def payback_months(cash_flows: ArrayLike) -> float | None:
    """Months until the undiscounted cumulative cash turns, and stays, non-negative.

    ``cash_flows[0]`` is paid today; each later year's cash accrues evenly through that year.

    Returns
    -------
    float or None
        Months from today, interpolated within the year of the last crossing; ``0.0`` when the
        cumulative cash is never negative; ``None`` when it does not end the horizon positive
        (no payback within the horizon).

    Notes
    -----
    With cumulative cash :math:`C_k` at the end of year :math:`k` and :math:`k^*` the last year
    end with :math:`C_{k^*} < 0`, payback falls in year :math:`k^*+1`:

    .. math:: m = 12 \\left(k^* + \\frac{-C_{k^*}}{CF_{k^*+1}}\\right)

    Examples
    --------
    >>> payback_months([-120, 60, 60, 60])
    24.0
    >>> payback_months([-100, 40, 40]) is None
    True
    """
    months = float(payback_months_array(np.asarray(cash_flows, dtype=np.float64)))
    return None if np.isnan(months) else months


def payback_months_array(cash_flows: ArrayLike) -> NDArray[np.float64]:
    """:func:`payback_months` over the last axis of an array of cash-flow rows.

    One row per case (e.g. per Monte Carlo draw); ``nan`` where a case has no payback within
    its horizon. :func:`payback_months` is this function for a single row.

    Examples
    --------
    >>> payback_months_array([[-120, 60, 60, 60], [-100, 30, 30, 30]]).tolist()
    [24.0, nan]
    """
    flows = np.asarray(cash_flows, dtype=np.float64)
    cumulative = np.cumsum(flows, axis=-1)
    last = flows.shape[-1] - 1
    negative = cumulative < 0
    k = last - np.argmax(negative[..., ::-1], axis=-1)
    below = np.take_along_axis(cumulative, k[..., np.newaxis], axis=-1)[..., 0]
    following = np.take_along_axis(flows, np.minimum(k + 1, last)[..., np.newaxis],
                                   axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # cases masked below
        months = 12.0 * (k + (-below) / following)
    months = np.where(negative.any(axis=-1), months, 0.0)
    return np.where(cumulative[..., -1] > 0, months, np.nan)


def customer_lifetime_value(
    annual_margin: ArrayLike,
    annual_retention_rate: ArrayLike,
    discount_rate: ArrayLike,
    horizon_years: ArrayLike | None = None,
) -> Any:
    """Lifetime value of one customer: the discounted margin they bring while they stay.

    The one lifetime-value formula of the workbook: the service ROI values a customer over an
    open horizon, complaint recovery and word of mouth over ``horizon_years``.

    Parameters
    ----------
    annual_margin
        Gross margin the customer brings per year (currency/year), at the end of each year they
        are a customer, starting with the first.
    annual_retention_rate
        Probability of staying another year (below 1 for an open horizon).
    discount_rate
        Yearly discount rate.
    horizon_years
        Years counted (whole years, at least 1); ``None`` for an open horizon. Numbers or
        arrays of draws, broadcast against each other.

    Returns
    -------
    float or numpy.ndarray
        A float for numbers, an array for arrays of draws.

    Notes
    -----
    Cash at year ends, discounted as in :func:`discount_factors`:

    .. math:: \\mathrm{CLV} = m \\sum_{t=1}^{H} \\frac{r^{t-1}}{(1+d)^t}
              \\;\\longrightarrow_{H \\to \\infty}\\; \\frac{m}{1 + d - r}

    The open horizon takes the closed form. Over a finite horizon the factors are built by
    repeated division and multiplication, year by year in a fixed order, so a draw's value is
    the same computed alone or among ten thousand.

    References
    ----------
    Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
    Marketing*, 17(1), 9–24.

    Examples
    --------
    >>> round(customer_lifetime_value(420.0, 0.75, 0.08), 2)
    1272.73
    >>> round(float(customer_lifetime_value(420.0, 0.75, 0.08, 5)), 2)
    1067.17
    >>> customer_lifetime_value(100.0, 0.5, 0.0, 2)
    150.0
    """
    if horizon_years is None:
        return annual_margin / (1.0 + discount_rate - annual_retention_rate)  # type: ignore[operator]
    horizon = np.asarray(horizon_years)
    discount = np.asarray(discount_rate, dtype=np.float64)
    retention = np.asarray(annual_retention_rate, dtype=np.float64)
    factor: Any = np.ones_like(discount)
    survival: Any = np.ones_like(retention)
    total: Any = 0.0
    for t in range(1, int(horizon.max()) + 1):
        factor = factor / (1.0 + discount)
        total = total + np.where(t <= horizon, survival * factor, 0.0)
        survival = survival * retention
    value = np.multiply(annual_margin, total)
    return float(value) if np.ndim(value) == 0 else value
