"""The loyalty dashboard in headless chromium, served by the real `workbook dashboard`.

What a manager does: open the page and see the funnel, move a threshold with the keyboard,
upload their own transactions CSV, upload a broken one (and one over the size limit) and read
what is wrong, open the "Customer value" tab. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.data.load import load_customer_data
from workbook.models.loyalty.ladder import LadderParams, compute_ladder
from workbook.models.value import compute_customer_value
from workbook.models.value.analysis import customer_summary
from workbook.models.value.winback import compute_winback_campaign
from workbook.ui.controls import nice_step
from workbook.ui.loyalty_app import ladder_kpi_texts
from workbook.ui.upload import UPLOAD_LIMIT_BYTES
from workbook.ui.value_tab import value_kpi_texts

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PAGE = "/voila/render/loyalty.ipynb"
DATA = Path(__file__).parent / "data"
CUSTOMERS = ".kpi-customers .wb-kpi-value"
LOST = ".kpi-lost-share .wb-kpi-value"
MEAN_CLV = ".kpi-mean-clv .wb-kpi-value"
FUNNEL = ".chart-funnel .main-svg"
UPLOAD = ".upload-transactions input[type=file]"
LOAD_TIMEOUT_MS = 60_000


def wait_for_text(page, selector: str, text: str, timeout: int = 15_000) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel);"
        " return e !== null && e.textContent.trim() === text; }",
        arg=[selector, text], timeout=timeout,
    )


def wait_for_funnel_counts(page, counts: list[int], timeout: int = 15_000) -> None:
    """The funnel's plotted data (plotly's graph div) equals ``counts``."""
    page.wait_for_function(
        "(counts) => { const el = document.querySelector('.chart-funnel');"
        " const plot = el && (el.classList.contains('js-plotly-plot') ? el"
        "   : el.querySelector('.js-plotly-plot'));"
        " return !!plot && !!plot.data"
        "   && JSON.stringify(Array.from(plot.data[0].x)) === JSON.stringify(counts); }",
        arg=counts, timeout=timeout,
    )


def upload(page, path: Path) -> None:
    page.set_input_files(UPLOAD, str(path))


def open_dashboard(page, url: str) -> None:
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(CUSTOMERS, state="visible", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(FUNNEL, state="visible", timeout=LOAD_TIMEOUT_MS)


def test_opens_on_the_sample_and_a_keyboard_step_moves_the_funnel(page,
                                                                   dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE)
    sample = load_customer_data()
    start = compute_ladder(sample)
    wait_for_text(page, CUSTOMERS, ladder_kpi_texts(start)["customers"])
    wait_for_funnel_counts(page, [int(n) for n in start.counts])
    assert "Download stage list (CSV)" in page.inner_text(".wb-download")

    page.locator(".param-ladder_lost_after_days .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    days = LadderParams().ladder_lost_after_days + nice_step(60, 730, integer=True)
    moved = compute_ladder(sample, LadderParams(ladder_lost_after_days=days))
    wait_for_text(page, LOST, ladder_kpi_texts(moved)["lost-share"])
    wait_for_funnel_counts(page, [int(n) for n in moved.counts])
    table = page.locator(".wb-stage-table")
    table.scroll_into_view_if_needed()
    lost_row = table.locator("tr.stage-lost td").nth(1)
    assert lost_row.inner_text() == f"{int(moved.counts['lost']):,}"
    page.screenshot(path=str(ARTIFACTS / "loyalty-stage-table-and-download.png"))
    assert "Traceback" not in page.content()
    assert page.errors == []


def test_an_uploaded_csv_replaces_the_ladder_and_a_broken_one_says_why(
        page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE + "?ladder_lost_after_days=365")
    sample = compute_ladder(load_customer_data(), LadderParams(ladder_lost_after_days=365))
    wait_for_text(page, LOST, ladder_kpi_texts(sample)["lost-share"])

    good = DATA / "small_transactions.csv"
    upload(page, good)
    expected = compute_ladder(load_customer_data(good), LadderParams(ladder_lost_after_days=365))
    wait_for_text(page, CUSTOMERS, ladder_kpi_texts(expected)["customers"])
    wait_for_funnel_counts(page, [int(n) for n in expected.counts])
    assert "small_transactions.csv" in page.inner_text(".wb-data-source")
    link = page.locator(".wb-download-link")
    # the link follows the charts in the kernel's next loop turn: wait for it
    page.wait_for_function(
        "() => { const a = document.querySelector('.wb-download-link');"
        " return a !== null && a.getAttribute('download') === 'loyalty-stages-2024-12-25.csv'; }",
        timeout=15_000)
    assert link.get_attribute("href").startswith("data:text/csv;base64,")

    upload(page, DATA / "missing_amount.csv")
    error = page.locator(".wb-upload-error")
    error.wait_for(state="visible", timeout=15_000)
    text = error.inner_text()
    assert "missing_amount.csv" in text and "column 'amount': missing" in text
    assert page.inner_text(CUSTOMERS) == ladder_kpi_texts(expected)["customers"]  # kept

    upload(page, DATA / "bad_date.csv")
    page.wait_for_function(
        "() => document.querySelector('.wb-upload-error').textContent.includes('bad_date.csv')",
        timeout=15_000)
    text = page.inner_text(".wb-upload-error")
    assert "column 'date'" in text and "line 6" in text and "2024-02-30" in text
    assert page.inner_text(CUSTOMERS) == ladder_kpi_texts(expected)["customers"]

    # over the limit: refused in the browser, said in the page (never a silent failure)
    big = b"customer_id,date,amount\n" + b"x" * (UPLOAD_LIMIT_BYTES + 1024 * 1024)
    page.set_input_files(UPLOAD, files=[{"name": "big.csv", "mimeType": "text/csv",
                                         "buffer": big}])
    page.wait_for_function(
        "() => document.querySelector('.wb-upload-error').textContent.includes('big.csv')",
        timeout=15_000)
    assert "21.0 MB is over the upload limit of 20.0 MB" in page.inner_text(".wb-upload-error")
    assert page.inner_text(CUSTOMERS) == ladder_kpi_texts(expected)["customers"]
    assert "Traceback" not in page.content()
    assert page.errors == []


def test_the_customer_value_tab_fits_on_first_click_and_shows_the_package_values(
        page, dashboard_server) -> None:
    open_dashboard(page, dashboard_server + PAGE)
    assert not page.locator(MEAN_CLV).is_visible()  # not computed before the tab is opened
    ladder = compute_ladder(load_customer_data())
    value = compute_customer_value(customer_summary(ladder.snapshot))
    expected = value_kpi_texts(value, compute_winback_campaign(
        value, stages=ladder.snapshot["stage"]))

    page.get_by_role("tab", name="Customer value").click()
    wait_for_text(page, MEAN_CLV, expected["mean-clv"], timeout=30_000)
    for name in ("expected-alive", "value-at-risk", "winback-net"):
        assert page.inner_text(f".kpi-{name} .wb-kpi-value") == expected[name]
    page.wait_for_selector(".chart-clv-distribution .main-svg", state="visible",
                           timeout=15_000)
    assert "Download win-back list (CSV)" in page.inner_text(".wb-winback-download")
    page.screenshot(path=str(ARTIFACTS / "loyalty-customer-value.png"))
    table = page.locator(".wb-winback-table")
    table.scroll_into_view_if_needed()
    assert table.locator("tr").count() == 21  # the header and the top 20
    page.screenshot(path=str(ARTIFACTS / "loyalty-customer-value-winback.png"))
    assert "Traceback" not in page.content()
    assert page.errors == []
