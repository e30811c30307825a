"""The 80/20 rule measured: revenue share of the top customers, Lorenz curve, Gini.

Jill Griffin's second law of loyalty (seed 003): about 80 % of revenue comes from 20 % of the
customers. This module measures the split on a business's own customers, overall and per
segment, so the registry's 80 % (``pareto_revenue_share``) can be replaced by the real figure.

Convention: customers are the people with at least one purchase; a customer's revenue below
zero (more refunded than bought) counts as zero, so shares stay between 0 and 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.core.registry import default
from workbook.core.validation import ParameterError, require_fraction

__all__ = [
    "ParetoResult",
    "compute_pareto",
    "gini_coefficient",
    "lorenz_curve",
    "pareto_by_segment",
    "top_revenue_share",
]


def _revenue(values: ArrayLike) -> NDArray[np.float64]:
    revenue = np.asarray(values, dtype=np.float64).ravel()
    if revenue.size == 0:
        raise ParameterError("revenue", "at least one customer", "an empty list")
    if not np.isfinite(revenue).all():
        raise ParameterError("revenue", "finite amounts", "NaN or infinity")
    return np.clip(revenue, 0.0, None)


def lorenz_curve(revenue: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The Lorenz curve of revenue: cumulative share of customers vs. of revenue.

    Parameters
    ----------
    revenue
        Revenue per customer (negative values count as 0).

    Returns
    -------
    customer_share, revenue_share
        Arrays of ``n + 1`` points from ``(0, 0)`` to ``(1, 1)``, customers sorted from the
        smallest to the largest. With no revenue at all the curve is the diagonal.

    Examples
    --------
    >>> x, y = lorenz_curve([1, 1, 2])
    >>> y.round(2).tolist()
    [0.0, 0.25, 0.5, 1.0]
    """
    ordered = np.sort(_revenue(revenue))
    n = ordered.size
    customer_share = np.arange(n + 1, dtype=np.float64) / n
    total = ordered.sum()
    if total <= 0:
        return customer_share, customer_share.copy()
    return customer_share, np.r_[0.0, np.cumsum(ordered) / total]


def top_revenue_share(revenue: ArrayLike, top_share: float = default(
        "pareto_top_customer_share")) -> float:
    """Share of revenue from the top ``top_share`` of customers (0.2 = the top 20 %).

    Notes
    -----
    Read off the Lorenz curve :math:`L`: :math:`1 - L(1 - x)`, linear between customers, so
    a fraction of a customer counts in proportion. For non-negative revenue the result lies
    between ``top_share`` and 1.

    Examples
    --------
    >>> top_revenue_share([1] * 8 + [46, 46], 0.2)
    0.92
    """
    share = require_fraction("top_share", top_share)
    x, y = lorenz_curve(revenue)
    return float(1.0 - np.interp(1.0 - share, x, y))


def gini_coefficient(revenue: ArrayLike) -> float:
    """The Gini coefficient of revenue: 0 when all spend alike, (n-1)/n when one spends all.

    Notes
    -----
    With revenue sorted ascending, :math:`x_1 \\le \\dots \\le x_n`:

    .. math:: G = \\frac{2 \\sum_i i\\, x_i}{n \\sum_i x_i} - \\frac{n + 1}{n}

    twice the area between the diagonal and the Lorenz curve. 0 when there is no revenue.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*; the sorted-sum form as in Damgaard, C. &
    Weiner, J. (2000). Describing inequality in plant size or fecundity. *Ecology*, 81(4).

    Examples
    --------
    >>> gini_coefficient([5, 5, 5, 5])
    0.0
    >>> gini_coefficient([0, 0, 0, 10])
    0.75
    """
    ordered = np.sort(_revenue(revenue))
    n, total = ordered.size, ordered.sum()
    if total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    gini = 2.0 * (ranks @ ordered) / (n * total) - (n + 1) / n
    return float(max(gini, 0.0))  # never below 0 through rounding


@dataclass(frozen=True, slots=True)
class ParetoResult:
    """Outputs of :func:`compute_pareto`.

    Attributes
    ----------
    customers
        Customers counted.
    revenue
        Their total revenue (negative ones as 0).
    top_share
        The top fraction of customers looked at (0.2 = top 20 %).
    top_revenue_share
        Share of revenue from them.
    gini
        Gini coefficient of revenue.
    customer_share, revenue_share
        The Lorenz curve (see :func:`lorenz_curve`).
    """

    customers: int
    revenue: float
    top_share: float
    top_revenue_share: float
    gini: float
    customer_share: NDArray[np.float64]
    revenue_share: NDArray[np.float64]

    def headline(self) -> dict[str, float]:
        """The headline numbers (JSON-ready)."""
        return {"customers": self.customers, "revenue": self.revenue,
                "top_share": self.top_share, "top_revenue_share": self.top_revenue_share,
                "gini": self.gini}


def compute_pareto(revenue: ArrayLike, top_share: float = default(
        "pareto_top_customer_share")) -> ParetoResult:
    """The 80/20 split of revenue: top share, Lorenz curve and Gini.

    Parameters
    ----------
    revenue
        Revenue per customer.
    top_share
        Top fraction of customers (registry default ``pareto_top_customer_share``, 0.2).

    References
    ----------
    Jill Griffin, law 2 (seed 003): about 80 % of revenue from 20 % of customers.

    Examples
    --------
    >>> result = compute_pareto([1] * 8 + [46, 46])
    >>> round(result.top_revenue_share, 2), round(result.gini, 2)
    (0.92, 0.72)
    """
    values = _revenue(revenue)
    x, y = lorenz_curve(values)
    return ParetoResult(
        customers=int(values.size),
        revenue=float(values.sum()),
        top_share=require_fraction("top_share", top_share),
        top_revenue_share=top_revenue_share(values, top_share),
        gini=gini_coefficient(values),
        customer_share=x,
        revenue_share=y,
    )


def pareto_by_segment(revenue: pd.Series, segment: pd.Series, top_share: float = default(
        "pareto_top_customer_share")) -> pd.DataFrame:
    """:func:`compute_pareto` per segment, with an ``all`` row.

    Parameters
    ----------
    revenue
        Revenue per customer.
    segment
        Segment per customer, aligned with ``revenue`` (missing segments read ``unknown``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment`` (sorted, then ``all``): ``customers``, ``revenue``,
        ``revenue_share`` (of the total), ``top_revenue_share``, ``gini``.
    """
    frame = pd.DataFrame({"revenue": np.asarray(revenue, dtype=np.float64),
                          "segment": pd.Series(segment).astype("string").fillna("unknown")
                          .to_numpy()})
    total = max(float(frame["revenue"].clip(lower=0).sum()), 0.0)
    rows = {}
    groups = [(str(name), group["revenue"]) for name, group in frame.groupby("segment")]
    for name, values in [*groups, ("all", frame["revenue"])]:
        result = compute_pareto(values.to_numpy(), top_share)
        rows[name] = {"customers": result.customers, "revenue": result.revenue,
                      "revenue_share": result.revenue / total if total > 0 else np.nan,
                      "top_revenue_share": result.top_revenue_share, "gini": result.gini}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("segment")
