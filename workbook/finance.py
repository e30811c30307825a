"""Discounting and payback: the timing conventions every money model shares.

Convention (the one numpy-financial's ``npv`` uses): ``cash_flows[0]`` falls today (year 0,
undiscounted), ``cash_flows[t]`` at the end of year ``t``, discounted by ``(1 + rate) ** -t``.
For payback, a year's cash is taken to accrue evenly through that year, so the cumulative cash
between two year ends is a straight line.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["discount_factors", "net_present_value", "payback_months"]


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
    flows = np.asarray(cash_flows, dtype=np.float64)
    cumulative = np.cumsum(flows)
    if cumulative[-1] <= 0:
        return None
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    k = int(negative[-1])
    return float(12.0 * (k + (-cumulative[k]) / flows[k + 1]))
