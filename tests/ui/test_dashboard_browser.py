"""The ROI dashboard in headless chromium, served by the real `workbook dashboard`.

What a manager does: open the page, read the KPI cards, move a slider with the keyboard, open a
shared link with a scenario, mistype a link. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import pytest

from workbook.core.formatting import risk_kpi_text, roi_kpi_texts
from workbook.core.paths import REPO_ROOT
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.ui.controls import nice_step
from workbook.uncertainty import simulate_service_roi

pytestmark = pytest.mark.browser

PAGE = "/voila/render/service-roi.ipynb"
NPV = ".kpi-npv .wb-kpi-value"
LOAD_TIMEOUT_MS = 60_000


def expected(**changes: float) -> dict[str, str]:
    return roi_kpi_texts(compute_service_roi(ServiceRoiParams(**changes)))


def open_dashboard(page, url: str) -> None:
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(NPV, state="visible", timeout=LOAD_TIMEOUT_MS)


def wait_for_text(page, selector: str, text: str, timeout: int = 10_000) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel);"
        " return e !== null && e.textContent.trim() === text; }",
        arg=[selector, text], timeout=timeout,
    )


def test_opens_on_defaults_and_a_keyboard_step_updates_the_kpis(page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE)
    defaults = expected()
    wait_for_text(page, NPV, defaults["npv"])
    assert page.inner_text(".kpi-roi .wb-kpi-value") == defaults["roi"]
    assert page.inner_text(".kpi-payback .wb-kpi-value") == defaults["payback"]

    handle = page.locator(".param-spend_uplift_excellent_service .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    step = nice_step(0.03, 0.15, fraction=True)
    moved = expected(spend_uplift_excellent_service=0.09 + step)
    wait_for_text(page, NPV, moved["npv"])
    assert page.inner_text(".kpi-break-even .wb-kpi-value") == moved["break-even"]
    chance, _ = risk_kpi_text(simulate_service_roi(
        ServiceRoiParams(spend_uplift_excellent_service=0.09 + step)))
    wait_for_text(page, ".kpi-risk .wb-kpi-value", chance)
    cash_title = page.locator(".chart-cumulative-cash .gtitle")
    assert cash_title.text_content() == f"Cumulative cash — payback {moved['payback']}"
    assert "Traceback" not in page.content()
    assert page.errors == []


def test_a_shared_link_opens_its_scenario_in_kpis_and_charts(page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE
                   + "?spend_uplift_excellent_service=0.12&horizon_years=3")
    scenario = expected(spend_uplift_excellent_service=0.12, horizon_years=3)
    wait_for_text(page, NPV, scenario["npv"])
    assert page.inner_text(".kpi-payback .wb-kpi-value") == scenario["payback"]
    # the charts show the scenario too, not the defaults the kernel was preheated with
    page.wait_for_selector(".chart-cumulative-cash .gtitle", timeout=LOAD_TIMEOUT_MS)
    cash_title = page.locator(".chart-cumulative-cash .gtitle")
    assert cash_title.text_content() == f"Cumulative cash — payback {scenario['payback']}"
    readout = page.locator(".param-spend_uplift_excellent_service .widget-readout")
    assert readout.inner_text() == "12.0%"


def test_a_mistyped_link_shows_a_message_not_a_traceback(page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE + "?annual_retention_rate=abc&spend_uplfit=1")
    message = page.locator(".wb-message")
    message.wait_for(state="visible", timeout=10_000)
    text = message.inner_text()
    assert "annual_retention_rate" in text and "spend_uplfit" in text
    wait_for_text(page, NPV, expected()["npv"])
    assert "Traceback" not in page.content()


def test_an_impossible_combination_greys_out_kpis_with_a_message(page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE + "?annual_retention_rate=0.95")
    page.get_by_text("More assumptions").click()
    page.locator(".param-retention_uplift_rate .noUi-handle").focus()
    page.keyboard.press("End")
    message = page.locator(".wb-message")
    message.wait_for(state="visible", timeout=10_000)
    assert "retention_uplift_rate" in message.inner_text()
    page.wait_for_selector(".kpi-npv.wb-stale", timeout=10_000)
    page.locator(".wb-reset").click()
    # the stale numbers were the defaults' already: wait for the reset itself to arrive
    page.locator(".wb-message").wait_for(state="hidden", timeout=10_000)
    page.wait_for_selector(".kpi-npv:not(.wb-stale)", timeout=10_000)
    assert page.inner_text(NPV) == expected()["npv"]
    assert page.locator(".param-annual_retention_rate .widget-readout").inner_text() == "75.0%"


def test_responsiveness_page_sizes_agents_live(page, dashboard_server) -> None:
    from workbook.models.responsiveness.staffing import StaffingParams, compute_staffing
    from workbook.ui.responsiveness_app import staffing_kpi_texts

    open_url = dashboard_server + "/voila/render/responsiveness.ipynb?staffing_calls_per_hour=300"
    page.goto(open_url)
    page.wait_for_selector(".kpi-agents .wb-kpi-value", state="visible", timeout=LOAD_TIMEOUT_MS)
    start = staffing_kpi_texts(compute_staffing(StaffingParams(staffing_calls_per_hour=300)))
    wait_for_text(page, ".kpi-agents .wb-kpi-value", start["agents"])
    page.locator(".param-staffing_aht_seconds .noUi-handle").focus()
    page.keyboard.press("End")  # the longest handle time on the slider: 900 s
    heavy = staffing_kpi_texts(compute_staffing(StaffingParams(staffing_calls_per_hour=300,
                                                               staffing_aht_seconds=900)))
    wait_for_text(page, ".kpi-agents .wb-kpi-value", heavy["agents"])
    assert page.inner_text(".kpi-service-level .wb-kpi-value") == heavy["service-level"]
    page.wait_for_selector(".chart-quality-radar .main-svg", timeout=LOAD_TIMEOUT_MS)
    assert "Traceback" not in page.content()


def test_measured_from_my_data_switch_shows_the_calibrated_numbers(page, dashboard_server) -> None:
    """The switch in the page gives the numbers a report run with assumptions_from=data gives
    (tests/models/roi/test_calibrate.py checks the report run against the same package call)."""
    from workbook.models.roi.calibrate import calibrate_from_path, calibrated_roi_params

    measured = roi_kpi_texts(compute_service_roi(calibrated_roi_params(
        {}, calibrate_from_path(None))))
    open_dashboard(page, dashboard_server + PAGE)
    wait_for_text(page, NPV, expected()["npv"])
    page.locator(".wb-assumptions-from button", has_text="Measured from my data").click()
    wait_for_text(page, NPV, measured["npv"], timeout=30_000)
    wait_for_text(page, ".kpi-clv .wb-kpi-value", measured["clv"], timeout=10_000)
    # the cards, the badges and the status line are separate widget messages, sent in that order
    page.wait_for_function(
        "() => { const e = document.querySelector('.wb-calibration-status');"
        " return e !== null && e.textContent.includes('data/samples/transactions.csv')"
        " && e.textContent.includes('BG/NBD'); }", timeout=10_000)
    badges = page.locator(".wb-measured")
    assert badges.count() >= 1  # retention's badge; customers and spend are folded away
    assert "Measured from data/samples/transactions.csv" in badges.first.get_attribute("title")
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "roi-measured-from-data.png"),
                    full_page=True)
    page.locator(".wb-assumptions-from button", has_text="Registry defaults").click()
    wait_for_text(page, NPV, expected()["npv"])
    assert "Traceback" not in page.content()
