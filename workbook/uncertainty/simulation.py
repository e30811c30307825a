"""Monte Carlo of the service-ROI model: how wrong the answer could be.

:func:`simulate_service_roi` draws every uncertain input (:mod:`workbook.uncertainty.inputs`)
and runs the service-ROI model on all draws at once, through the very lines that
:func:`workbook.models.roi.service_roi.compute_service_roi` runs on single numbers. So when every range collapses
to its value, each draw equals the deterministic model exactly, by construction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.models.roi.service_roi import RoiResult, ServiceRoiParams, _outcomes, compute_service_roi
from workbook.uncertainty.inputs import _MAX_RETENTION, UncertaintyParams, sample_inputs

__all__ = [
    "HEADLINE_PERCENTILES",
    "RoiSimulation",
    "percentile",
    "simulate_service_roi",
]

HEADLINE_PERCENTILES: tuple[int, int, int] = (10, 50, 90)
"""P10, P50, P90: a pessimistic case, the median, an optimistic case (for NPV and ROI)."""

_METRIC_LABELS = {
    "npv": "Net present value",
    "roi": "Return on investment",
    "payback_months": "Payback (months)",
}


def percentile(values: ArrayLike, p: float, *, missing_is_worst: bool = False) -> float | None:
    """The ``p``-th percentile of ``values`` (``p`` in ``[0, 100]``), linear between draws.

    Parameters
    ----------
    values
        The draws; ``nan`` marks a draw with no value.
    p
        Percent of the draws at or below the result.
    missing_is_worst
        Treat ``nan`` as larger than any value (a payback that never comes) instead of
        leaving those draws out.

    Returns
    -------
    float or None
        ``None`` when no draw has a value, or when the percentile falls among the missing
        draws.

    Notes
    -----
    Position :math:`h = (n - 1) p / 100` in the sorted draws :math:`x_{(0)} \\le \\dots`,
    value :math:`x_{(\\lfloor h \\rfloor)} + (h - \\lfloor h \\rfloor)
    (x_{(\\lfloor h \\rfloor + 1)} - x_{(\\lfloor h \\rfloor)})`: Hyndman & Fan's type 7,
    numpy's and Excel's ``PERCENTILE.INC`` default.

    Examples
    --------
    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    >>> percentile([12.0, float("nan"), 30.0], 90, missing_is_worst=True) is None
    True
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if missing_is_worst:
        x = np.sort(np.where(np.isnan(x), np.inf, x))
    else:
        x = np.sort(x[~np.isnan(x)])
    if x.size == 0:
        return None
    h = (x.size - 1) * p / 100.0
    low = math.floor(h)
    high = min(low + 1, x.size - 1)
    fraction = h - low
    if math.isinf(x[low]) or (fraction > 0 and math.isinf(x[high])):
        return None
    if fraction == 0:
        return float(x[low])
    return float(x[low] + fraction * (x[high] - x[low]))


@dataclass(frozen=True, slots=True)
class RoiSimulation:
    """Outputs of :func:`simulate_service_roi`: one value per draw.

    Attributes
    ----------
    params, uncertainty
        The inputs: values (the modes) and how they vary.
    base
        The deterministic model at the values, :func:`~workbook.models.roi.service_roi.compute_service_roi`.
    inputs
        The draws of each uncertain input, shape ``(draws,)``.
    npv, roi, payback_months
        Per draw, shape ``(draws,)``. ``roi`` is ``nan`` where nothing is spent,
        ``payback_months`` where there is no payback within the horizon.
    cumulative_cash
        Undiscounted cumulative cash at each year end, shape ``(draws, horizon + 1)``.
    """

    params: ServiceRoiParams
    uncertainty: UncertaintyParams
    base: RoiResult
    inputs: Mapping[str, NDArray[np.float64]]
    npv: NDArray[np.float64]
    roi: NDArray[np.float64]
    payback_months: NDArray[np.float64]
    cumulative_cash: NDArray[np.float64]

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.npv.size)

    @property
    def probability_npv_positive(self) -> float:
        """Share of the draws with ``npv > 0``."""
        return float(np.count_nonzero(self.npv > 0) / self.npv.size)

    @property
    def probability_payback_within_horizon(self) -> float:
        """Share of the draws that pay back within the horizon."""
        return float(np.count_nonzero(~np.isnan(self.payback_months)) / self.npv.size)

    def percentiles(self, ps: Sequence[float] = HEADLINE_PERCENTILES) -> pd.DataFrame:
        """Percentiles of NPV, ROI and payback: one row per metric, one column per ``P<p>``.

        A payback percentile that falls among the draws with no payback is ``nan`` (read
        "not within the horizon"); ROI leaves out draws where nothing is spent.
        """
        rows = {}
        for metric in _METRIC_LABELS:
            values = getattr(self, metric)
            worst = metric == "payback_months"
            rows[metric] = {f"P{p:g}": percentile(values, p, missing_is_worst=worst)
                            for p in ps}
        return pd.DataFrame.from_dict(rows, orient="index").astype(float)

    def summary_table(self) -> pd.DataFrame:
        """The probability table of a report: P10, P50, P90 and the value at the defaults.

        Rows: net present value, return on investment, payback (months); a last column
        ``At the values`` holds the deterministic model's figure.
        """
        table = self.percentiles()
        table["At the values"] = [self.base.npv, self.base.roi, self.base.payback_months]
        table.index = [_METRIC_LABELS[m] for m in table.index]
        return table.astype(float)

    def cash_fan(self, ps: Sequence[float] = (10, 25, 50, 75, 90)) -> pd.DataFrame:
        """Percentiles of the cumulative cash at each year end (rows: years, columns ``P<p>``)."""
        bands = np.percentile(self.cumulative_cash, list(ps), axis=0)
        return pd.DataFrame(bands.T, columns=[f"P{p:g}" for p in ps],
                            index=pd.RangeIndex(bands.shape[1], name="year"))

    def headline(self) -> dict[str, float | None]:
        """The risk headline, JSON-ready, for a notebook's ``.results.json``.

        Keys: ``npv_p10``, ``npv_p50``, ``npv_p90`` (currency) and
        ``probability_npv_positive`` (fraction of draws).
        """
        low, mid, high = (percentile(self.npv, p) for p in HEADLINE_PERCENTILES)
        return {
            "npv_p10": low,
            "npv_p50": mid,
            "npv_p90": high,
            "probability_npv_positive": self.probability_npv_positive,
        }


def _within_joint_limits(values: dict[str, Any]) -> dict[str, Any]:
    """Cut each draw's retention uplift so retention with it stays at or below 0.99."""
    retention, uplift = values["annual_retention_rate"], values["retention_uplift_rate"]
    if np.ndim(retention) or np.ndim(uplift):
        values["retention_uplift_rate"] = np.minimum(uplift, _MAX_RETENTION - retention)
    return values


def simulate_service_roi(
    params: ServiceRoiParams | None = None, uncertainty: UncertaintyParams | None = None
) -> RoiSimulation:
    """Monte Carlo of :func:`~workbook.models.roi.service_roi.compute_service_roi` over the uncertain inputs.

    Parameters
    ----------
    params
        The values (each uncertain input's mode); registry defaults when omitted.
    uncertainty
        Draws, seed, distributions, fixed fields, widening, correlation; defaults when omitted
        (10,000 draws, PERT, the business's own figures fixed, no correlation).

    Returns
    -------
    RoiSimulation
        NPV, ROI, payback and cumulative cash per draw, with percentiles and probabilities.

    Notes
    -----
    Every draw runs the model of :func:`~workbook.models.roi.service_roi.compute_service_roi` (same formulas,
    same timing: investment today, yearly cash at each year end, payback with cash accruing
    evenly through the year), vectorised over the draws. Inputs that do not vary stay plain
    numbers, so with every range collapsed (``widen_factor=0``, or all fields fixed) each draw
    *is* the deterministic result. Where both retention and its uplift vary, a draw's uplift
    is cut to ``0.99 - retention`` (the limit :class:`~workbook.models.roi.service_roi.ServiceRoiParams`
    enforces). Percentiles: :func:`percentile`.

    References
    ----------
    Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley (Monte Carlo of
    a cash-flow model; PERT inputs).

    Examples
    --------
    >>> simulation = simulate_service_roi()
    >>> simulation.draws
    10000
    >>> 0.5 < simulation.probability_npv_positive < 1.0
    True
    >>> none = simulate_service_roi(uncertainty=UncertaintyParams(widen_factor=0))
    >>> bool((none.npv == compute_service_roi(ServiceRoiParams()).npv).all())
    True
    """
    params = params or ServiceRoiParams()
    uncertainty = uncertainty or UncertaintyParams()
    values = _within_joint_limits(sample_inputs(params, uncertainty))
    outcome = _outcomes(values)
    n = uncertainty.draws
    cash_flow = np.broadcast_to(outcome["cash_flow"], (n, outcome["cash_flow"].shape[-1]))
    return RoiSimulation(
        params=params,
        uncertainty=uncertainty,
        base=compute_service_roi(params),
        inputs={name: value for name, value in values.items() if np.ndim(value) == 1},
        npv=np.array(np.broadcast_to(outcome["npv"], (n,))),
        roi=np.array(np.broadcast_to(outcome["roi"], (n,))),
        payback_months=np.array(np.broadcast_to(outcome["payback_months"], (n,))),
        cumulative_cash=np.cumsum(cash_flow, axis=-1),
    )
