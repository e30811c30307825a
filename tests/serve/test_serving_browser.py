"""A team on one server, in headless chromium against the real `workbook dashboard`.

What the issue asks a browser to show: beyond loopback the token is required (login page
without it, the dashboard with it, a cookie after); a page whose name was rebound to 127.0.0.1
is refused; the viewer beyond --max-viewers sees the busy page, which gets them in once a place
frees; a closed tab's kernel is gone within the reclaim time, while preheated kernels stay.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

from tests.serve.conftest import TOKEN, kernel_processes, running_dashboard
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PAGE = "/voila/render/service-roi.ipynb"
NPV = ".kpi-npv .wb-kpi-value"
LOAD_MS = 60_000
ONE_POOL = ("--pool-size", "0", "--pool", "service-roi=1")


def status(url: str, host: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def kernel_id(page) -> str:
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data')"
                         ".textContent).kernelId")


def wait_for(predicate, timeout: float, step: float = 0.25) -> float:
    """Seconds until ``predicate()`` holds; fails after ``timeout``."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(step)
    return time.monotonic() - start


def test_beyond_loopback_the_token_is_required_then_a_cookie_carries_it(new_context) -> None:
    with running_dashboard("token", "--host", "0.0.0.0", *ONE_POOL, token=TOKEN) as (base, _):
        page = new_context().new_page()
        page.goto(base + PAGE, timeout=LOAD_MS)
        assert "/login" in page.url
        assert page.inner_text("h1") == "Sign in to the dashboards"
        assert page.locator(NPV).count() == 0
        page.goto(base + PAGE + "?token=wrong-token-000000000", timeout=LOAD_MS)
        assert "/login" in page.url
        page.fill("#password", "a-mistyped-token")
        page.click("button[type=submit]")
        assert "That token is not right" in page.inner_text(".wb-sign-in-error")
        # the API and the kernels' websockets refuse a request without the token too
        assert status(base + "/api/kernels/00000000-0000-0000-0000-000000000000") == 403

        page.goto(base + PAGE + f"?token={TOKEN}", timeout=LOAD_MS)
        page.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)
        again = page.context.new_page()  # same browser: the login cookie, no token in the URL
        again.goto(base + PAGE, timeout=LOAD_MS)
        again.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)
        assert "Traceback" not in again.content()

        pasted = new_context().new_page()  # a colleague pastes the token into the form
        pasted.goto(base + PAGE, timeout=LOAD_MS)
        pasted.fill("#password", TOKEN)
        pasted.click("button[type=submit]")
        pasted.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)
        assert pasted.url.endswith(PAGE)


def test_a_rebound_host_name_is_refused_and_localhost_served(browser, new_context) -> None:
    with running_dashboard("host-check", *ONE_POOL) as (base, _):
        port = base.rsplit(":", 1)[1]
        # what a DNS-rebinding page does: its own name, now resolving to 127.0.0.1
        rebinding = browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"])
        try:
            page = rebinding.new_page()
            response = page.goto(f"http://rebind.test:{port}{PAGE}", timeout=LOAD_MS)
            assert response.status == 403
            assert "answers only to localhost" in page.inner_text("body")
            assert page.locator(NPV).count() == 0
            page.close()
        finally:
            rebinding.close()
        for path in (PAGE, "/api/kernels", "/voila/static/voila.js", "/"):
            assert status(base + path, host=f"evil.example.com:{port}") == 403, path
        page = new_context().new_page()
        page.goto(f"http://localhost:{port}{PAGE}", timeout=LOAD_MS)
        page.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)


def test_beyond_the_cap_a_busy_page_waits_in_line_then_opens(new_context) -> None:
    with running_dashboard("cap", "--max-viewers", "1", "--reclaim-seconds", "2",
                           *ONE_POOL) as (base, _):
        first = new_context().new_page()
        first.goto(base + PAGE, timeout=LOAD_MS)
        first.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)

        second = new_context().new_page()
        response = second.goto(base + PAGE, timeout=LOAD_MS)
        assert response.status == 503
        assert response.headers["retry-after"] == "5"
        assert second.inner_text("h1") == "The dashboard is busy"
        assert second.inner_text(".wb-busy-position") == "next in line"
        assert "1 managers are using the dashboards" in second.inner_text("main")
        second.screenshot(path="test-artifacts/serving-busy-page.png")

        first.context.close()  # the first manager leaves; the place frees 2 s later
        second.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)
        assert "Traceback" not in second.content()
        assert "busy" not in second.title().lower()


def test_a_closed_tab_kernel_is_reclaimed_and_the_pool_is_kept(new_context) -> None:
    with running_dashboard("reclaim", "--reclaim-seconds", "3", "--idle-cull-seconds", "6",
                           *ONE_POOL) as (base, server):
        wait_for(lambda: len(kernel_processes(server)) == 1, timeout=60)  # the pool
        page = new_context().new_page()
        page.goto(base + PAGE, timeout=LOAD_MS)
        page.wait_for_selector(NPV, state="visible", timeout=LOAD_MS)
        viewer = kernel_id(page)
        assert status(f"{base}/api/kernels/{viewer}") == 200
        wait_for(lambda: len(kernel_processes(server)) == 2, timeout=60)  # pool refilled

        page.context.close()
        gone_after = wait_for(lambda: status(f"{base}/api/kernels/{viewer}") == 404,
                              timeout=3 + 10)
        assert gone_after >= 2.5  # not before the reclaim time (a blip may reconnect)
        wait_for(lambda: len(kernel_processes(server)) == 1, timeout=15)

        # a page fetched but never connected (closed while loading): the culler's backstop
        with urllib.request.urlopen(base + PAGE, timeout=60) as response:
            orphan = re.search(r'"kernelId": "([0-9a-f-]+)"', response.read().decode())[1]
        assert status(f"{base}/api/kernels/{orphan}") == 200
        wait_for(lambda: status(f"{base}/api/kernels/{orphan}") == 404, timeout=6 + 5 + 10)
        time.sleep(2)
        assert len(kernel_processes(server)) == 1  # the preheated kernel is never culled
