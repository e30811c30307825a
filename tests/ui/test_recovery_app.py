"""The complaints and word-of-mouth dashboard as an object, driven without a browser."""

from __future__ import annotations

import re

import pytest

from workbook.core.formatting import format_money
from workbook.models.recovery.analysis import analyse_recovery
from workbook.models.recovery.combined import RecoveryParams
from workbook.models.recovery.complaints import compute_complaint_recovery
from workbook.ui.recovery_app import (
    KPI_LABELS,
    RecoveryApp,
    recovery_kpi_texts,
)


def kpi_value(app: RecoveryApp, name: str) -> str:
    match = re.search(r'class="wb-kpi-value">([^<]*)<', app.kpi[name].value)
    assert match
    return match.group(1)


@pytest.fixture(scope="module")
def app() -> RecoveryApp:
    return RecoveryApp()


@pytest.fixture(autouse=True)
def _defaults(app: RecoveryApp) -> None:
    app.reset()


def test_opens_on_the_registry_defaults(app: RecoveryApp) -> None:
    expected = recovery_kpi_texts(analyse_recovery())
    assert {n: kpi_value(app, n) for n in KPI_LABELS} == {n: t for n, (t, _) in expected.items()}
    assert kpi_value(app, "complaint-net") == "22,687"  # worked by hand in test_complaints


def test_the_capture_slider_drives_kpis_and_charts(app: RecoveryApp) -> None:
    app.sliders["complaint_capture_share"].value = 0.4
    params = RecoveryParams(complaint_capture_share=0.4)
    result = compute_complaint_recovery(params.complaint_params())
    assert kpi_value(app, "complaint-net") == format_money(result.net_value)
    flow = app.figures[0][0]
    assert flow.data[0].link.value[0] == pytest.approx(result.complainers)
    lever = app.figures[1][0]
    assert list(lever.data[3].x) == [0.4]
    expected = recovery_kpi_texts(analyse_recovery(params))
    assert kpi_value(app, "risk-complaint") == expected["risk-complaint"][0]


def test_amplification_moves_word_of_mouth(app: RecoveryApp) -> None:
    before = kpi_value(app, "wom-net")
    app.sliders["wom_social_amplification"].value = 3.0
    expected = recovery_kpi_texts(analyse_recovery(RecoveryParams(
        wom_social_amplification=3.0)))
    assert kpi_value(app, "wom-net") == expected["wom-net"][0] != before
    assert "over the source ranges" in app.kpi["wom-net"].value


def test_too_many_happy_and_unhappy_customers_grey_out_with_a_message(app: RecoveryApp) -> None:
    assert not app.set_values({"wom_happy_share": 0.9, "wom_unhappy_share": 0.3})
    assert "wom_unhappy_share" in app.message.value
    assert "wb-stale" in app.kpi["wom-net"]._dom_classes
    assert app.reset()
    assert app.message.layout.display == "none"


def test_query_string_applies_and_reports_bad_values(app: RecoveryApp) -> None:
    messages = app.apply_query_string("complaint_capture_share=0.5&happy_customer_tells=abc"
                                      "&colour=red")
    assert app.params.complaint_capture_share == 0.5
    assert any("happy_customer_tells" in m for m in messages)
    assert any("colour" in m for m in messages)
    assert kpi_value(app, "complaint-net") == recovery_kpi_texts(analyse_recovery(
        RecoveryParams(complaint_capture_share=0.5)))["complaint-net"][0]


def test_every_chart_is_on_the_page_with_its_class(app: RecoveryApp) -> None:
    classes = [c._dom_classes for c in (*app.charts.children, *app.risk_charts.children)]
    names = [next(x for x in c if x.startswith("chart-")) for c in classes]
    assert names == ["chart-complaint-flow", "chart-capture-lever", "chart-wom-reach",
                     "chart-wom-value", "chart-complaint-histogram", "chart-wom-histogram"]


def test_combined_params_give_each_model_its_own() -> None:
    params = RecoveryParams(customers=2_000, happy_customer_tells=5)
    assert params.complaint_params().customers == params.word_of_mouth_params().customers == 2000
    assert params.word_of_mouth_params().happy_customer_tells == 5
