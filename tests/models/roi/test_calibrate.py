"""Calibrating the service-ROI model from transactions: the switch, precedence, the numbers."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from workbook.core.validation import ParameterError
from workbook.models.roi.calibrate import (
    CALIBRATED_FIELDS,
    CalibrationParams,
    RoiCalibration,
    calibrate_from_path,
    calibrated_roi_params,
    roi_inputs_from_namespace,
)
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi

MEASURED = RoiCalibration({"customers": 2345, "annual_spend_per_customer": 456.7,
                           "annual_retention_rate": 0.62}, "measured from test data",
                          dt.date(2025, 6, 30), 3000)


def test_switch_refuses_unknown_setting_naming_the_parameter() -> None:
    with pytest.raises(ParameterError, match="assumptions_from"):
        CalibrationParams(assumptions_from="measured")


def test_switch_refuses_a_bad_date() -> None:
    with pytest.raises(ParameterError, match="as_of"):
        CalibrationParams(assumptions_from="data", as_of="31/12/2025")


def test_registry_setting_gives_the_registry_defaults() -> None:
    params, calibration = roi_inputs_from_namespace({"assumptions_from": "registry",
                                                     "customers": None})
    assert calibration is None
    assert params == ServiceRoiParams()


def test_measured_values_replace_the_defaults() -> None:
    params = calibrated_roi_params({}, MEASURED)
    for name in CALIBRATED_FIELDS:
        assert getattr(params, name) == MEASURED.values[name]
    assert params.gross_margin_rate == ServiceRoiParams().gross_margin_rate


def test_a_value_the_user_sets_wins_over_the_measured_one() -> None:
    params = calibrated_roi_params({"customers": 500, "annual_spend_per_customer": None},
                                   MEASURED)
    assert params.customers == 500
    assert params.annual_spend_per_customer == MEASURED.values["annual_spend_per_customer"]


def test_measured_values_are_validated_like_any_input() -> None:
    bad = RoiCalibration({"annual_retention_rate": 1.5}, "x", dt.date(2025, 1, 1), 1)
    with pytest.raises(ParameterError, match="annual_retention_rate"):
        calibrated_roi_params({}, bad)


@pytest.fixture(scope="module")
def sample_calibration() -> RoiCalibration:
    return calibrate_from_path(None)


def test_sample_calibration_is_plausible_and_names_its_source(
        sample_calibration: RoiCalibration) -> None:
    values = sample_calibration.values
    assert set(values) == set(CALIBRATED_FIELDS)
    assert 1 <= values["customers"] <= sample_calibration.customers_seen
    assert values["annual_spend_per_customer"] > 0
    assert 0 < values["annual_retention_rate"] < 1
    assert "transactions.csv" in sample_calibration.source
    assert "BG/NBD" in sample_calibration.source


def test_sample_calibration_equals_the_models_it_names(
        sample_calibration: RoiCalibration) -> None:
    from workbook.data.samples import sample_path
    from workbook.data.summary import summarize_customers
    from workbook.models.value import compute_customer_value

    value = compute_customer_value(summarize_customers(sample_path("transactions")))
    assert sample_calibration.values["customers"] == round(
        float(value.customers["probability_alive"].sum()))
    assert sample_calibration.values["annual_spend_per_customer"] == pytest.approx(
        value.annual_spend_per_customer, abs=0.005)
    assert sample_calibration.values["annual_retention_rate"] == pytest.approx(
        value.annual_retention_rate, abs=5e-5)


def test_namespace_with_data_gives_the_calibrated_model(
        sample_calibration: RoiCalibration) -> None:
    params, calibration = roi_inputs_from_namespace({"assumptions_from": "data",
                                                     "data_path": None, "as_of": None,
                                                     "discount_rate": 0.1})
    assert calibration == sample_calibration
    expected = compute_service_roi(calibrated_roi_params({"discount_rate": 0.1},
                                                         sample_calibration))
    assert np.isclose(compute_service_roi(params).npv, expected.npv, rtol=0, atol=1e-9)


def test_an_earlier_date_measures_only_purchases_before_it(
        sample_calibration: RoiCalibration) -> None:
    earlier = calibrate_from_path(None, "2024-06-30")
    assert earlier.as_of == dt.date(2024, 6, 30)
    assert earlier.customers_seen < sample_calibration.customers_seen


def test_a_bad_file_is_named(tmp_path) -> None:
    from workbook.data.load import DataError

    bad = tmp_path / "export.csv"
    bad.write_text("customer_id,when,amount\nA,2025-01-01,10\n")
    with pytest.raises(DataError, match=re.escape("export.csv")):
        calibrate_from_path(str(bad))


def test_report_run_measured_from_data_equals_the_package(
        tmp_path, sample_calibration: RoiCalibration) -> None:
    """`workbook run -p assumptions_from data` gives the numbers the package (and the
    dashboard's switch, tests/ui/test_calibration.py) computes for the same inputs."""
    import json
    import subprocess
    import sys

    from workbook.core.paths import NOTEBOOKS

    done = subprocess.run([sys.executable, "-m", "workbook.cli", "run",
                           NOTEBOOKS / "01-service-roi.ipynb", "-p", "assumptions_from", "data",
                           "-p", "discount_rate", "0.1", "--out", tmp_path],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "01-service-roi.results.json").read_text())
    expected = compute_service_roi(calibrated_roi_params({"discount_rate": 0.1},
                                                         sample_calibration))
    assert results["npv"] == pytest.approx(expected.npv, rel=1e-12)
    assert results["parameters"]["assumptions_from"] == "data"
    assert results["parameters"]["customers"] == sample_calibration.values["customers"]
    report = (tmp_path / "01-service-roi.html").read_text()
    assert "Measured from data/samples/transactions.csv" in report


def test_report_run_refuses_a_bad_switch_before_running(tmp_path) -> None:
    import subprocess
    import sys

    from workbook.core.paths import NOTEBOOKS

    done = subprocess.run([sys.executable, "-m", "workbook.cli", "run",
                           NOTEBOOKS / "01-service-roi.ipynb", "-p", "assumptions_from", "mine",
                           "--out", tmp_path], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "assumptions_from" in done.stderr
    assert not list(tmp_path.iterdir())
