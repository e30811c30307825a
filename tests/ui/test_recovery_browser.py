"""The complaints and word-of-mouth dashboard in headless chromium, served by `workbook dashboard`.

Open the page, read the KPI cards, move the capture-share slider with the keyboard, open a shared
link. The KPIs must equal what the package computes. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import pytest

from workbook.core.registry import get_assumption
from workbook.models.recovery.analysis import analyse_recovery
from workbook.models.recovery.combined import RecoveryParams
from workbook.ui.controls import nice_step
from workbook.ui.recovery_app import recovery_kpi_texts

pytestmark = pytest.mark.browser

PAGE = "/voila/render/word-of-mouth.ipynb"
NET = ".kpi-complaint-net .wb-kpi-value"
LOAD_TIMEOUT_MS = 60_000


def expected(**changes: float) -> dict[str, str]:
    texts = recovery_kpi_texts(analyse_recovery(RecoveryParams(**changes)))
    return {name: text for name, (text, _) in texts.items()}


def wait_for_text(page, selector: str, text: str, timeout: int = 10_000) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel);"
        " return e !== null && e.textContent.trim() === text; }",
        arg=[selector, text], timeout=timeout,
    )


def test_opens_on_defaults_and_a_keyboard_step_moves_the_capture_lever(
    page, dashboard_server
) -> None:
    page.goto(dashboard_server + PAGE, timeout=LOAD_TIMEOUT_MS)  # the first page waits for kernels
    page.wait_for_selector(NET, state="visible", timeout=LOAD_TIMEOUT_MS)
    defaults = expected()
    wait_for_text(page, NET, defaults["complaint-net"])
    assert page.inner_text(".kpi-wom-net .wb-kpi-value") == defaults["wom-net"]
    assert page.inner_text(".kpi-risk-complaint .wb-kpi-value") == defaults["risk-complaint"]

    handle = page.locator(".param-complaint_capture_share .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    capture = get_assumption("complaint_capture_share")
    step = nice_step(capture.low, capture.high, fraction=True)
    moved = expected(complaint_capture_share=capture.value + step)
    wait_for_text(page, NET, moved["complaint-net"])
    assert page.inner_text(".kpi-customers-kept .wb-kpi-value") == moved["customers-kept"]
    wait_for_text(page, ".kpi-risk-complaint .wb-kpi-value", moved["risk-complaint"])
    page.wait_for_selector(".chart-complaint-flow .main-svg", timeout=LOAD_TIMEOUT_MS)
    assert "Traceback" not in page.content()
    assert page.errors == []


def test_a_shared_link_opens_its_scenario(page, dashboard_server) -> None:
    page.goto(dashboard_server + PAGE + "?wom_social_amplification=3&complaint_capture_share=0.5",
              timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(NET, state="visible", timeout=LOAD_TIMEOUT_MS)
    scenario = expected(wom_social_amplification=3, complaint_capture_share=0.5)
    wait_for_text(page, NET, scenario["complaint-net"])
    wait_for_text(page, ".kpi-wom-net .wb-kpi-value", scenario["wom-net"])
    assert page.locator(".param-complaint_capture_share .widget-readout").inner_text() == "50.0%"
