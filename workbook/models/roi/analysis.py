"""The service-ROI analysis: the value, the risk and what drives it, computed in one place.

Notebook 01 and the dashboard (:class:`workbook.ui.roi_app.RoiApp`) show the same things for
one set of inputs: the deterministic result, a Monte Carlo of the uncertain inputs and the
tornado of their swings. :func:`analyse_service_roi` makes those calls and
:meth:`RoiAnalysis.headline` gives the numbers a report publishes. The dashboard redraws the
value at once and the risk a moment later, so the risk half is its own function
(:func:`assess_roi_risk`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.models.roi.service_roi import RoiResult, ServiceRoiParams, compute_service_roi
from workbook.uncertainty.inputs import UncertaintyParams
from workbook.uncertainty.sensitivity import Tornado, compute_tornado
from workbook.uncertainty.simulation import RoiSimulation, simulate_service_roi

__all__ = ["RoiAnalysis", "analyse_service_roi", "assess_roi_risk"]


@dataclass(frozen=True, slots=True)
class RoiAnalysis:
    """The service-ROI results for one set of inputs (:func:`analyse_service_roi`).

    Attributes
    ----------
    result
        The deterministic model (:func:`~workbook.models.roi.service_roi.compute_service_roi`).
    simulation
        The Monte Carlo (:func:`~workbook.uncertainty.simulation.simulate_service_roi`).
    tornado
        Each uncertain input at its low and high (:func:`~workbook.uncertainty.compute_tornado`).
    """

    result: RoiResult
    simulation: RoiSimulation
    tornado: Tornado

    @property
    def params(self) -> ServiceRoiParams:
        """The inputs."""
        return self.result.params

    def headline(self) -> dict[str, float | None]:
        """The headline numbers (JSON-ready): the value and the risk."""
        return {**self.result.headline(), **self.simulation.headline()}


def assess_roi_risk(
    params: ServiceRoiParams, uncertainty: UncertaintyParams | None = None
) -> tuple[RoiSimulation, Tornado]:
    """The risk half of :func:`analyse_service_roi`: the Monte Carlo and the tornado."""
    return simulate_service_roi(params, uncertainty), compute_tornado(params, uncertainty)


def analyse_service_roi(
    params: ServiceRoiParams | None = None, uncertainty: UncertaintyParams | None = None
) -> RoiAnalysis:
    """The value, the Monte Carlo and the tornado of the service ROI for ``params``.

    Parameters
    ----------
    params
        The inputs; registry defaults when omitted.
    uncertainty
        How the uncertain inputs vary; defaults (10,000 draws, PERT) when omitted.

    Examples
    --------
    >>> analysis = analyse_service_roi()
    >>> round(analysis.headline()["npv"]), analysis.headline()["probability_npv_positive"]
    (384932, 0.8828)
    """
    params = params if params is not None else ServiceRoiParams()
    return RoiAnalysis(compute_service_roi(params), *assess_roi_risk(params, uncertainty))
