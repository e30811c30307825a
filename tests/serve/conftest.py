"""Fixtures for the serving tests: the real `workbook dashboard` with chosen options."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.ui.conftest import ARTIFACTS, free_port, wait_until_serving

TOKEN = "serving-test-token-0123456789"


@contextlib.contextmanager
def running_dashboard(name: str, *args: str, token: str | None = None,
                      extra_env: dict[str, str] | None = None
                      ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start `workbook dashboard ARGS` on a free loopback port; yield (base URL, process).

    The server's log is kept as test-artifacts/serve-NAME.log.
    """
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    env.pop("WORKBOOK_DASHBOARD_TOKEN", None)
    if token:
        env["WORKBOOK_DASHBOARD_TOKEN"] = token
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"serve-{name}.log"
    with open(log, "wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "workbook.cli", "dashboard", "--port", str(port), *args],
            stdout=stream, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/voila/static/voila.js", process, timeout=60)
        yield base, process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def kernel_processes(server: subprocess.Popen[bytes]) -> list[int]:
    """The server's running kernels (ipykernel processes), by pid."""
    import psutil

    found = []
    for child in psutil.Process(server.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(child.cmdline()) and child.status() != "zombie":
                found.append(child.pid)
    return found


@pytest.fixture
def new_context(browser, request: pytest.FixtureRequest):
    """Make browser contexts (one per manager); screenshot each page, close all at the end."""
    made: list[object] = []

    def make(**kwargs: object):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, **kwargs)
        made.append(context)
        return context

    yield make
    ARTIFACTS.mkdir(exist_ok=True)
    for number, context in enumerate(made):
        for page_number, page in enumerate(context.pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(
                    ARTIFACTS / f"{request.node.name}-{number}-{page_number}.png"))
        with contextlib.suppress(Exception):
            context.close()

