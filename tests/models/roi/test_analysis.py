"""One service-ROI analysis for notebook 01 and the dashboard."""

from __future__ import annotations

from workbook.models.roi.analysis import analyse_service_roi, assess_roi_risk
from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams, compute_service_roi
from workbook.uncertainty import UncertaintyParams, compute_tornado, simulate_service_roi


def test_analysis_is_the_separate_calls() -> None:
    params = ServiceRoiParams(spend_uplift_excellent_service=0.12)
    u = UncertaintyParams(draws=400, seed=5)
    analysis = analyse_service_roi(params, u)
    assert analysis.params == params
    assert analysis.result.npv == compute_service_roi(params).npv
    assert analysis.simulation.headline() == simulate_service_roi(params, u).headline()
    assert analysis.tornado.table.equals(compute_tornado(params, u).table)
    simulation, tornado = assess_roi_risk(params, u)
    assert analysis.headline() == {**compute_service_roi(params).headline(),
                                   **simulation.headline()}
    assert tornado.base_npv == analysis.tornado.base_npv


def test_the_model_record_runs_the_model() -> None:
    assert SERVICE_ROI.run().npv == compute_service_roi(ServiceRoiParams()).npv
    assert SERVICE_ROI.headline(SERVICE_ROI.run()) == compute_service_roi(
        ServiceRoiParams()).headline()
