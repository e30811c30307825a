"""The ROI dashboard's "registry defaults / measured from my data" switch, driven headless."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from workbook.models.roi.calibrate import CALIBRATED_FIELDS, RoiCalibration, calibrated_roi_params
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.ui.calibration import CalibrationSwitch
from workbook.ui.roi_app import RoiApp

FAKE = RoiCalibration({"customers": 2345, "annual_spend_per_customer": 456.7,
                       "annual_retention_rate": 0.62}, "Measured from test.csv",
                      dt.date(2025, 6, 30), 3000)


def _app(measure=lambda _path: FAKE) -> RoiApp:
    app = RoiApp()
    app.calibration = CalibrationSwitch(app, measure=measure)
    return app


def test_measured_moves_the_three_sliders_and_the_numbers() -> None:
    app = _app()
    assert app.calibration.select("data")
    for name in CALIBRATED_FIELDS:
        assert app.sliders[name].value == pytest.approx(FAKE.values[name])
    assert app.result.npv == pytest.approx(compute_service_roi(calibrated_roi_params({}, FAKE)).npv)
    assert "test.csv" in app.calibration.status.value
    assert "wb-measured" in app.badges["customers"].value
    assert "test.csv" in app.sliders["customers"].tooltip


def test_user_moves_after_measuring_win() -> None:
    app = _app()
    app.calibration.toggle.value = "data"  # as a click does
    app.sliders["discount_rate"].value = 0.12
    expected = compute_service_roi(calibrated_roi_params({"discount_rate": 0.12}, FAKE))
    assert app.result.npv == pytest.approx(expected.npv)


def test_back_to_registry_restores_defaults_and_badges() -> None:
    app = _app()
    app.calibration.select("data")
    app.calibration.toggle.value = "registry"
    assert app.params == ServiceRoiParams()
    assert "wb-measured" not in app.badges["customers"].value


def test_reset_returns_the_switch_to_registry() -> None:
    app = _app()
    app.calibration.select("data")
    assert app.reset()
    assert app.calibration.toggle.value == "registry"
    assert app.params == ServiceRoiParams()


def test_a_failed_measurement_says_why_and_keeps_the_defaults() -> None:
    def broken(_path: str | None) -> RoiCalibration:
        raise ValueError("export.csv: column 'amount' is missing")

    app = _app(broken)
    app.calibration.toggle.value = "data"
    assert app.calibration.toggle.value == "registry"
    assert "column 'amount' is missing" in html.unescape(app.calibration.status.value)
    assert app.params == ServiceRoiParams()


def test_link_with_assumptions_from_data_measures_then_applies_the_rest() -> None:
    app = _app()
    messages = app.apply_query_string("assumptions_from=data&discount_rate=0.12")
    assert messages == []
    assert app.params.customers == FAKE.values["customers"]
    assert app.params.discount_rate == 0.12


def test_link_with_a_bad_switch_value_is_reported() -> None:
    app = _app()
    messages = app.apply_query_string("assumptions_from=mine")
    assert any("assumptions_from" in m for m in messages)
    assert app.params == ServiceRoiParams()


def test_dashboard_and_notebook_agree_on_the_sample() -> None:
    """The same inputs give the same numbers in the dashboard and in a report run."""
    from workbook.models.roi.calibrate import roi_inputs_from_namespace

    app = RoiApp()
    assert app.calibration.select("data")
    params, _ = roi_inputs_from_namespace({"assumptions_from": "data"})
    assert app.params == params
    assert app.kpi["npv"].value.count(f"{compute_service_roi(params).npv:,.0f}".lstrip("-")) == 1


def test_loading_a_scenario_returns_the_switch_to_registry(tmp_path) -> None:
    from workbook.ui.scenario_panel import ScenarioPanel

    app = _app()
    app.calibration.select("data")
    panel = ScenarioPanel(app, folder=tmp_path, on_load=app.calibration.forget_measured)
    panel.name.value = "measured-case"
    panel.save()
    assert panel.load("measured-case")
    assert app.calibration.toggle.value == "registry"
    assert app.params.customers == FAKE.values["customers"]  # saved explicitly, so reproduced
