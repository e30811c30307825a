"""The responsiveness dashboard as an object, driven without a browser."""

from __future__ import annotations

import re

import pytest

from workbook.models.responsiveness.staffing import StaffingParams, compute_staffing
from workbook.ui import ResponsivenessApp
from workbook.ui.responsiveness_app import staffing_kpi_texts


def kpi_value(app: ResponsivenessApp, name: str) -> str:
    match = re.search(r'class="wb-kpi-value">([^<]*)<', app.kpi[name].value)
    assert match
    return match.group(1)


@pytest.fixture
def app() -> ResponsivenessApp:
    return ResponsivenessApp()


def test_opens_on_the_registry_defaults(app: ResponsivenessApp) -> None:
    expected = staffing_kpi_texts(compute_staffing(StaffingParams()))
    assert {n: kpi_value(app, n) for n in expected} == expected
    assert kpi_value(app, "agents") == "13"  # 200 calls/h, 180 s, 80 % by ring 4 (24 s)


def test_sliders_drive_agents_and_curve(app: ResponsivenessApp) -> None:
    app.sliders["staffing_calls_per_hour"].value = 400
    result = compute_staffing(StaffingParams(staffing_calls_per_hour=400))
    assert kpi_value(app, "agents") == str(result.agents)
    curve = app.figures[0][0]
    assert list(curve.data[0].x) == list(result.curve_agents)


def test_ring_count_shows_in_the_service_level_note(app: ResponsivenessApp) -> None:
    app.sliders["phone_answer_ring"].value = 3
    assert "by ring 3" in app.kpi["service-level"].value


def test_the_heaviest_load_on_the_sliders_is_still_sized(app: ResponsivenessApp) -> None:
    assert app.set_values({"staffing_calls_per_hour": 1000, "staffing_aht_seconds": 900,
                           "staffing_max_occupancy_share": 0.7})
    result = compute_staffing(StaffingParams(staffing_calls_per_hour=1000,
                                             staffing_aht_seconds=900,
                                             staffing_max_occupancy_share=0.7))
    assert result.agents >= 250 / 0.7  # 250 erlangs at most 70 % occupied
    assert kpi_value(app, "agents") == f"{result.agents:,d}"
    assert app.message.layout.display == "none"


def test_query_string_applies_and_reports_bad_values(app: ResponsivenessApp) -> None:
    messages = app.apply_query_string("staffing_calls_per_hour=300&phone_answer_ring=2.5")
    assert app.params.staffing_calls_per_hour == 300
    assert any("phone_answer_ring" in m for m in messages)


def test_old_parameter_names_in_a_link_are_ignored_with_a_message(app: ResponsivenessApp) -> None:
    messages = app.apply_query_string("calls_per_hour=300")
    assert app.params.staffing_calls_per_hour == StaffingParams().staffing_calls_per_hour
    assert any("calls_per_hour" in m and "not a parameter" in m for m in messages)


def test_survey_charts_are_on_the_page(app: ResponsivenessApp) -> None:
    names = [c._dom_classes for c in app.quality_box.children]
    assert ["chart-quality-radar" in n for n in names] == [True, False]
    assert len(app.quality_scores) == 9
