"""Monte Carlo of the service-ROI model: how wrong the answer could be.

:func:`simulate_service_roi` is :func:`workbook.uncertainty.simulate` of
:data:`~workbook.models.roi.service_roi.SERVICE_ROI`: it draws every uncertain input
(:mod:`workbook.uncertainty.inputs`) and runs the service-ROI model on all draws at once, through
the very lines that :func:`~workbook.models.roi.service_roi.compute_service_roi` runs on single
numbers. So when every range collapses to its value, each draw equals the deterministic model
exactly, by construction. :class:`RoiSimulation` names the outcomes a report reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams
from workbook.uncertainty.inputs import UncertaintyParams
from workbook.uncertainty.monte_carlo import HEADLINE_PERCENTILES, Simulation, simulate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RoiSimulation", "simulate_service_roi"]

_METRIC_LABELS = {
    "npv": "Net present value",
    "roi": "Return on investment",
    "payback_months": "Payback (months)",
}


@dataclass(frozen=True, slots=True)
class RoiSimulation(Simulation):
    """Outputs of :func:`simulate_service_roi`: one value per draw.

    A :class:`~workbook.uncertainty.monte_carlo.Simulation` of the service-ROI model whose
    ``base`` is :func:`~workbook.models.roi.service_roi.compute_service_roi` at the values and
    whose ``outcomes`` are every output of
    :func:`~workbook.models.roi.service_roi.service_roi_outcomes` per draw. The properties
    below name the ones a report reads.
    """

    @property
    def npv(self) -> NDArray[np.float64]:
        """Net present value per draw, shape ``(draws,)``."""
        return self.outcomes["npv"]

    @property
    def roi(self) -> NDArray[np.float64]:
        """ROI per draw; ``nan`` where nothing is spent."""
        return self.outcomes["roi"]

    @property
    def payback_months(self) -> NDArray[np.float64]:
        """Payback per draw; ``nan`` where there is none within the horizon."""
        return self.outcomes["payback_months"]

    @property
    def cumulative_cash(self) -> NDArray[np.float64]:
        """Undiscounted cumulative cash at each year end, shape ``(draws, horizon + 1)``."""
        return np.cumsum(self.outcomes["cash_flow"], axis=-1)

    @property
    def probability_npv_positive(self) -> float:
        """Share of the draws with ``npv > 0``."""
        return self.probability_positive("npv")

    @property
    def probability_payback_within_horizon(self) -> float:
        """Share of the draws that pay back within the horizon."""
        return float(np.count_nonzero(~np.isnan(self.payback_months)) / self.npv.size)

    def percentiles(self, metrics: Sequence[str] = tuple(_METRIC_LABELS),
                    ps: Sequence[float] = HEADLINE_PERCENTILES, *,
                    missing_is_worst: Sequence[str] = ("payback_months",)) -> pd.DataFrame:
        """Percentiles of NPV, ROI and payback: one row per metric, one column per ``P<p>``.

        A payback percentile that falls among the draws with no payback is ``nan`` (read
        "not within the horizon"); ROI leaves out draws where nothing is spent.
        """
        return Simulation.percentiles(self, metrics, ps, missing_is_worst=missing_is_worst)

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
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        bands = np.percentile(self.cumulative_cash, list(ps), axis=0)
        return pd.DataFrame(bands.T, columns=[f"P{p:g}" for p in ps],
                            index=pd.RangeIndex(bands.shape[1], name="year"))

    def headline(self) -> dict[str, float | None]:
        """The risk headline, JSON-ready, for a notebook's ``.results.json``.

        Keys: ``npv_p10``, ``npv_p50``, ``npv_p90`` (currency) and
        ``probability_npv_positive`` (fraction of draws).
        """
        low, mid, high = (self.percentile("npv", p) for p in HEADLINE_PERCENTILES)
        return {
            "npv_p10": low,
            "npv_p50": mid,
            "npv_p90": high,
            "probability_npv_positive": self.probability_npv_positive,
        }


def simulate_service_roi(
    params: ServiceRoiParams | None = None, uncertainty: UncertaintyParams | None = None
) -> RoiSimulation:
    """Monte Carlo of :func:`~workbook.models.roi.service_roi.compute_service_roi`.

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
    :func:`workbook.uncertainty.simulate` of
    :data:`~workbook.models.roi.service_roi.SERVICE_ROI`: every draw runs the model of
    :func:`~workbook.models.roi.service_roi.compute_service_roi` (same formulas, same timing:
    investment today, yearly cash at each year end, payback with cash accruing evenly through
    the year), vectorised over the draws. Where both retention and its uplift vary, a draw's
    uplift is cut to ``0.99 - retention`` (the limit
    :class:`~workbook.models.roi.service_roi.ServiceRoiParams` enforces). Percentiles:
    :func:`~workbook.uncertainty.monte_carlo.percentile`.

    Examples
    --------
    >>> from workbook.models.roi.service_roi import compute_service_roi
    >>> simulation = simulate_service_roi()
    >>> simulation.draws
    10000
    >>> 0.5 < simulation.probability_npv_positive < 1.0
    True
    >>> none = simulate_service_roi(uncertainty=UncertaintyParams(widen_factor=0))
    >>> bool((none.npv == compute_service_roi(ServiceRoiParams()).npv).all())
    True
    """
    return RoiSimulation.of(simulate(SERVICE_ROI, params, uncertainty))
