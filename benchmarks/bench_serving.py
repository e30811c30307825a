"""Load test: many managers opening a dashboard at once, the old server against the new one.

What it measures, per tree × dashboard × N (N browser sessions opened at the same moment), each
on a freshly started ``workbook dashboard`` bound to a free loopback port:

- **Baseline.** After the server answers, the script waits (bounded) until its kernel children
  stop changing in number and the server's process tree is quiet (below
  :data:`QUIET_CORES` of a core over :data:`QUIET_WINDOW_SECONDS`): the preheated pools are full.
  Baseline memory = RSS of the server process plus all its live children (psutil).
- **Time to KPIs.** One headless Chromium (Debian's, via Playwright's async API), N browser
  contexts, the N pages navigated together (``asyncio.gather``). Per page: from just before
  ``goto`` to the moment the dashboard's KPI element is visible with text, stamped inside the
  page by a ``MutationObserver`` (an init script, so it also runs again after each reload of the
  busy page). A page that shows no KPI within ``--timeout`` is *failed*; one showing a visible
  ``.wb-message``, "Traceback", Voilà's "There was an error when executing cell" or an HTTP
  error is *error*; one that saw the busy page ("The dashboard is busy", HTTP 503) and never got
  in is *busy*; a busy page that got in later counts as worked, "via the queue".
- **Slider latency.** ``--settle`` seconds after the last page finished loading, every page
  that works presses ArrowRight/ArrowLeft alternately (``--presses`` times, one press per
  second, each page starting at a random offset within the first second) on its slider's
  focused ``.noUi-handle``; latency = keydown to the KPI's text changing, timed in the page.
  Median, p95, max over all presses of all pages; a press with no change within
  :data:`PRESS_TIMEOUT_SECONDS` is counted as lost.
- **Server cost per session.** CPU: (CPU after the slider phase − CPU at baseline) / N, where
  the server's CPU is its user+system time, its reaped children's, and its live children's.
  Memory: (peak RSS sampled every 0.5 s with the pages open − baseline) / N.
- **After the tabs close.** All contexts are closed; memory is sampled every 10 s for 3 minutes
  for one N per tree (``--reclaim-at``, default 10), for ``--short-wait`` seconds for the others.
  The first time it is back within 10 % of the baseline is reported too.
- **Still up.** After every run: the server process is alive and answers HTTP.

BEFORE is git rev ``--before`` (default 31ca9aa: plain Voilà exec'd by the old ``workbook
dashboard``, a pool of 2 for every dashboard, kernels culled after 30 idle minutes), checked
out into a temporary detached git worktree (removed at the end, also on Ctrl-C) and run with
``PYTHONPATH=<worktree>``; AFTER is this working tree (``workbook/serve``). Same venv for both;
a probe checks that the server and its kernels import ``workbook`` from the tree under test.
For the AFTER tree every N above ``--cap`` is also run with ``--max-viewers CAP`` (default 10):
the busy page for the rest. The default cap (what the memory holds) is read from the server's
start-up line.

Prints progress lines, then one Markdown table per dashboard (with the targets of issue #12
checked on the ROI rows); writes the raw results as JSON (``--json``, default
``test-artifacts/bench_serving.json``) and the tables beside it (``.md``). Server logs and
screenshots of failed pages stay in ``/tmp/bench-serving-artifacts/``.

Run: ``.venv/bin/python benchmarks/bench_serving.py`` (both trees, ROI dashboard, N = 1, 5,
10, 25). Small runs while developing: ``--sessions 1,2 --trees after``. The default run takes
about 27 minutes on this 2-core machine (load average about 2 at the start from other work).
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "31ca9aa"
"""The last commit with the old ``workbook dashboard`` (plain Voilà)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
"""As tests/ui/conftest.py (never ``playwright install``)."""

ARTIFACTS = Path("/tmp/bench-serving-artifacts")
QUIET_CORES = 0.05
QUIET_WINDOW_SECONDS = 5.0
QUIET_TIMEOUT_SECONDS = 180.0
SERVE_TIMEOUT_SECONDS = 90.0
PRESS_TIMEOUT_SECONDS = 30.0
PRESS_GAP_SECONDS = 1.0
SAMPLE_SECONDS = 0.5
CLOSE_SAMPLE_SECONDS = 10.0
RECLAIM_WAIT_SECONDS = 180.0
BASELINE_TOLERANCE = 0.10
BUSY_TITLE = "The dashboard is busy"
ERROR_MARKERS = ("Traceback", "There was an error when executing cell", "Kernel died",
                 "Error starting kernel", "Internal Server Error")
LOG_PATTERNS = {
    "iopub_timeouts": "Timeout waiting for IOPub",
    "zmq_errors": "ZMQError",
    "tracebacks": "Traceback",
    "error_lines": "[E ",
    "kernels_started": "Kernel started",
    "kernels_reclaimed": "Reclaiming kernel",
    "kernels_culled": "Culling '",
}


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the load test reads and moves on one dashboard (selectors as in tests/ui)."""

    name: str
    kpi: str
    """The KPI value whose text means the page is interactive."""
    slider: str
    """The slider handle a keyboard step moves."""
    changes: str
    """The KPI card (a widget) whose ``.wb-kpi-value`` text one step changes."""

    @property
    def file(self) -> str:
        return f"{self.name}.ipynb"


DASHBOARDS = {
    "service-roi": Dashboard("service-roi", ".kpi-npv .wb-kpi-value",
                             ".param-spend_uplift_excellent_service .noUi-handle", ".kpi-npv"),
    "word-of-mouth": Dashboard("word-of-mouth", ".kpi-complaint-net .wb-kpi-value",
                               ".param-complaint_capture_share .noUi-handle",
                               ".kpi-complaint-net"),
    # one 5 s step of handle time does not always change the agent count: read service level
    "responsiveness": Dashboard("responsiveness", ".kpi-agents .wb-kpi-value",
                                ".param-staffing_aht_seconds .noUi-handle",
                                ".kpi-service-level"),
    "loyalty": Dashboard("loyalty", ".kpi-customers .wb-kpi-value",
                         ".param-ladder_lost_after_days .noUi-handle", ".kpi-lost-share"),
}

KPI_WATCH_JS = """
(() => {
  if (window.top !== window) return;
  const selector = KPI_SELECTOR;
  window.__wbKpiAt = null; window.__wbKpiText = null;
  const check = () => {
    if (window.__wbKpiAt !== null) return;
    const e = document.querySelector(selector);
    if (e === null || e.textContent.trim().length === 0) return;
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) {
      window.__wbKpiAt = performance.timeOrigin + performance.now();
      window.__wbKpiText = e.textContent.trim();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, characterData: true,
                              attributes: true});
})();
"""
# Stamps, in epoch milliseconds, the first moment the KPI value is visible with text.

POLL_JS = """() => ({
  kpiAt: window.__wbKpiAt ?? null, kpi: window.__wbKpiText ?? null,
  busy: Array.from(document.querySelectorAll('h1'))
    .some(h => h.textContent.trim() === BUSY_TITLE),
})""".replace("BUSY_TITLE", json.dumps(BUSY_TITLE))

ERROR_JS = """(markers) => {
  const found = [];
  const shown = Array.from(document.querySelectorAll('.wb-message'))
    .filter(e => e.getClientRects().length > 0 && e.textContent.trim().length > 0);
  if (shown.length) found.push('wb-message: ' + shown[0].textContent.trim().slice(0, 200));
  const text = document.body ? document.body.innerText : '';
  for (const marker of markers) if (text.includes(marker)) found.push(marker);
  return found.length ? found.join(' | ') : null;
}"""

LATENCY_SETUP_JS = """(selector) => {
  const card = document.querySelector(selector);
  const value = () => {
    const e = card.querySelector('.wb-kpi-value');
    return e === null ? '' : e.textContent.trim();
  };
  window.__wbDown = null; window.__wbLatency = null; window.__wbBefore = value();
  document.addEventListener('keydown', () => {
    window.__wbDown = performance.now(); window.__wbLatency = null;
    window.__wbBefore = value();
  }, true);
  new MutationObserver(() => {
    if (window.__wbDown !== null && window.__wbLatency === null
        && value() !== window.__wbBefore)
      window.__wbLatency = performance.now() - window.__wbDown;
  }).observe(card, {subtree: true, childList: true, characterData: true});
}"""
# Keydown (capture phase) to the card's value text differing from its text at keydown.


# ---------------------------------------------------------------------------------------------
# The server under test


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tree_processes(pid: int) -> list[psutil.Process]:
    """The process ``pid`` and its live descendants (zombies left out)."""
    try:
        root = psutil.Process(pid)
        found = [root, *root.children(recursive=True)]
    except psutil.Error:
        return []
    alive = []
    for process in found:
        with contextlib.suppress(psutil.Error):
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
    return alive


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` and all its live descendants, in MB."""
    total = 0
    for process in _tree_processes(pid):
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total / 1e6


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid``: its own, its reaped children's and its live descendants'."""
    try:
        root = psutil.Process(pid)
        times = root.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        children = root.children(recursive=True)
    except psutil.Error:
        return math.nan
    for child in children:  # zombies included: not yet in the parent's children_* times
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            total += times.user + times.system
    return total


def own_cpu_seconds(pid: int) -> float:
    """CPU time of the server process alone (Voilà's event loop: rendering, websockets)."""
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return math.nan
    return times.user + times.system


def kernel_pids(pid: int) -> list[int]:
    """The server's live ipykernel processes."""
    found = []
    for process in _tree_processes(pid)[1:]:
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(process.cmdline()):
                found.append(process.pid)
    return found


class Server:
    """One ``workbook dashboard`` of one tree on a free loopback port, in its own session."""

    def __init__(self, tree: Path, args: Sequence[str], log: Path) -> None:
        self.tree = tree.resolve()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, "PYTHONPATH": str(self.tree), "PYTHONUNBUFFERED": "1"}
        self.env.pop("WORKBOOK_DASHBOARD_TOKEN", None)
        self.command = [sys.executable, "-m", "workbook.cli", "dashboard",
                        "--port", str(self.port), *args]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> float:
        """Start the server; seconds until it answers HTTP."""
        start = time.monotonic()
        with open(self.log, "wb") as stream:
            self.process = subprocess.Popen(self.command, stdout=stream,
                                            stderr=subprocess.STDOUT, cwd=self.tree,
                                            env=self.env, start_new_session=True)
        RUNNING.append(self)
        deadline = start + SERVE_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see "
                                   f"{self.log}:\n{self.log.read_text()[-2000:]}")
            if self.answers():
                return time.monotonic() - start
            time.sleep(0.25)
        raise TimeoutError(f"{self.base} did not answer within {SERVE_TIMEOUT_SECONDS} s")

    def answers(self) -> bool:
        """Whether the server answers a static file with 200."""
        try:
            with urllib.request.urlopen(f"{self.base}/voila/static/voila.js",
                                        timeout=5) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def expected_kernels(self) -> int | None:
        """Preheated kernels the server said it keeps (its start-up lines), if it said."""
        text = self.log.read_text(errors="replace")
        line = re.search(r"Preheated kernels: (.*?)\.\s", text)
        if line:  # the new server: "Preheated kernels: loyalty 1, ..., service-roi 2."
            return sum(int(size) for size in re.findall(r" (\d+)(?:,|$)", line[1]))
        urls = re.findall(r"/voila/render/\S+\.ipynb", text)
        if urls and "--pool-size" not in self.command:  # the old one: 2 per dashboard
            return 2 * len(urls)
        return None

    def max_viewers(self) -> int | None:
        line = re.search(r"At most (\d+) viewers at once", self.log.read_text(errors="replace"))
        return int(line[1]) if line else None

    def wait_until_quiet(self) -> dict[str, Any]:
        """Wait (bounded) for the pools to fill and the process tree to go quiet."""
        start = time.monotonic()
        history: list[tuple[float, float, int]] = []
        expected = None
        while time.monotonic() - start < QUIET_TIMEOUT_SECONDS:
            if expected is None:
                expected = self.expected_kernels()
            now = time.monotonic()
            history.append((now, cpu_seconds(self.pid), len(kernel_pids(self.pid))))
            window = [h for h in history if h[0] >= now - QUIET_WINDOW_SECONDS]
            span = window[-1][0] - window[0][0]
            if span >= QUIET_WINDOW_SECONDS - 1.01:
                cores = (window[-1][1] - window[0][1]) / span
                counts = {h[2] for h in window}
                full = expected is None or window[-1][2] >= expected
                if len(counts) == 1 and full and window[-1][2] > 0 and cores < QUIET_CORES:
                    return {"quiet": True, "seconds": now - start, "kernels": window[-1][2],
                            "expected_kernels": expected, "cores": cores}
            time.sleep(1.0)
        return {"quiet": False, "seconds": time.monotonic() - start,
                "kernels": history[-1][2] if history else 0, "expected_kernels": expected}

    def probe(self) -> dict[str, Any]:
        """Where the server and its kernels import ``workbook`` from (fails if not the tree)."""
        done = subprocess.run([sys.executable, "-c", "import workbook; print(workbook.__file__)"],
                              env=self.env, cwd=self.tree / "dashboards", capture_output=True,
                              text=True, timeout=120, check=True)
        package = done.stdout.strip().splitlines()[-1]
        server = psutil.Process(self.pid)
        kernels = kernel_pids(self.pid)
        kernel_paths = set()
        for pid in kernels:
            with contextlib.suppress(psutil.Error):
                kernel_paths.add(psutil.Process(pid).environ().get("PYTHONPATH", ""))
        result = {"package": package, "server_cmdline": " ".join(server.cmdline()),
                  "server_pythonpath": server.environ().get("PYTHONPATH", ""),
                  "kernel_pythonpaths": sorted(kernel_paths)}
        tree = str(self.tree.resolve())
        ok = (Path(package).resolve().is_relative_to(self.tree.resolve())
              and result["server_pythonpath"] == tree and kernel_paths <= {tree})
        if not ok:
            raise SystemExit(f"{self.tree}: the server does not run this tree's package: "
                             f"{json.dumps(result)}")
        return result

    def log_counts(self) -> dict[str, dict[str, int]]:
        """:data:`LOG_PATTERNS` counted in the log while serving, and while shutting down
        (pool kernels stopped mid-request log ZMQErrors then: not the viewers' concern)."""
        text = self.log.read_text(errors="replace")
        serving, _, stopping = text.partition("Handle signal 15")
        return {part: {name: chunk.count(pattern) for name, pattern in LOG_PATTERNS.items()}
                for part, chunk in (("serving", serving), ("shutdown", stopping))}

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL it and any kernel left over.

        Kernels run in sessions of their own (jupyter_client), so the ones still alive after
        the server stopped are killed one by one, by the pids recorded here.
        """
        if self.process is None:
            return
        descendants: list[psutil.Process] = []
        with contextlib.suppress(psutil.Error):
            descendants = psutil.Process(self.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for process in descendants:
            with contextlib.suppress(psutil.Error):
                if process.is_running():
                    process.kill()
        if self in RUNNING:
            RUNNING.remove(self)


RUNNING: list[Server] = []
"""Servers started and not yet stopped: stopped at exit whatever interrupted the run."""


class MemorySampler(threading.Thread):
    """RSS of the server's process tree every :data:`SAMPLE_SECONDS`, in a thread of its own."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.samples.append((time.monotonic(), rss_mb(self.pid)))
            self._done.wait(SAMPLE_SECONDS)

    def finish(self) -> float:
        """Stop; the peak RSS seen (MB)."""
        self._done.set()
        self.join(timeout=10)
        self.samples.append((time.monotonic(), rss_mb(self.pid)))
        return max(value for _, value in self.samples)


# ---------------------------------------------------------------------------------------------
# The pages


@dataclass
class PageOutcome:
    """What one browser session saw."""

    index: int
    start_ms: float = 0.0
    """Epoch milliseconds just before ``goto``."""
    seconds_to_kpi: float | None = None
    """Within the load phase's timeout."""
    seconds_to_response: float | None = None
    """Until the page's HTTP response began (``goto`` committed)."""
    late_seconds_to_kpi: float | None = None
    """A failed page whose KPI showed after the timeout (read before the slider phase)."""
    queue_seconds_to_kpi: float | None = None
    """For a busy page: after the first pages left (the queue phase), since ``goto``."""
    kpi_text: str | None = None
    saw_busy: bool = False
    busy_responses: int = 0
    statuses: list[int] = field(default_factory=list)
    error: str | None = None
    js_errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    lost_presses: int = 0
    notes: list[str] = field(default_factory=list)
    screenshot: str | None = None
    context: BrowserContext | None = field(default=None, repr=False)
    page: Page | None = field(default=None, repr=False)

    @property
    def outcome(self) -> str:
        """worked, error, busy (never got in) or failed (no KPIs within the timeout)."""
        if self.error is not None:
            return "error"
        if self.seconds_to_kpi is not None:
            return "worked"
        return "busy" if self.saw_busy else "failed"

    def record(self) -> dict[str, Any]:
        return {"index": self.index, "outcome": self.outcome, "via_queue": self.saw_busy
                and self.seconds_to_kpi is not None, "seconds_to_kpi": self.seconds_to_kpi,
                "seconds_to_response": self.seconds_to_response,
                "late_seconds_to_kpi": self.late_seconds_to_kpi,
                "queue_seconds_to_kpi": self.queue_seconds_to_kpi, "kpi_text": self.kpi_text,
                "busy_responses": self.busy_responses,
                "statuses": self.statuses, "error": self.error, "js_errors": self.js_errors[:5],
                "latencies_ms": self.latencies_ms, "lost_presses": self.lost_presses,
                "notes": self.notes, "screenshot": self.screenshot}


async def _page_error(page: Page) -> str | None:
    try:
        return await page.evaluate(ERROR_JS, list(ERROR_MARKERS))
    except PlaywrightError:
        return None  # navigating (a busy page reloading itself): ask again


async def _watch(outcome: PageOutcome, deadline: float) -> float | None:
    """Poll the page until its KPI shows (seconds since ``goto``), an error, or ``deadline``."""
    page = outcome.page
    assert page is not None
    polls = 0
    while time.monotonic() < deadline and outcome.error is None:
        try:
            state = await page.evaluate(POLL_JS)
        except PlaywrightError:
            state = None  # navigating (the busy page reloads itself)
        if state:
            outcome.saw_busy |= bool(state["busy"])
            if state["kpiAt"] is not None:
                outcome.kpi_text = state["kpi"]
                outcome.saw_busy |= outcome.busy_responses > 0
                return float((state["kpiAt"] - outcome.start_ms) / 1000)
        polls += 1
        if polls % 4 == 0 and not (state and state["busy"]):
            outcome.error = await _page_error(page)
        await asyncio.sleep(0.5)
    outcome.saw_busy |= outcome.busy_responses > 0
    return await _stamp(outcome)


async def _stamp(outcome: PageOutcome) -> float | None:
    """The KPI's in-page time stamp (seconds since ``goto``), if the page has one now."""
    assert outcome.page is not None
    try:
        state = await outcome.page.evaluate(POLL_JS)
    except PlaywrightError:
        return None
    if state and state["kpiAt"] is not None:
        outcome.kpi_text = state["kpi"]
        return float((state["kpiAt"] - outcome.start_ms) / 1000)
    return None


async def wait_in_line(outcome: PageOutcome, timeout: float) -> None:
    """A busy page keeps retrying by itself: wait (bounded) until it shows the KPIs."""
    outcome.queue_seconds_to_kpi = await _watch(outcome, time.monotonic() + timeout)
    if outcome.queue_seconds_to_kpi is not None and outcome.error is None:
        assert outcome.page is not None
        outcome.error = await _page_error(outcome.page)


async def open_dashboard(browser: Browser, url: str, dashboard: Dashboard, index: int,
                         timeout: float) -> PageOutcome:
    """Open ``url`` in a new context; wait (bounded) for the KPI, the busy page or an error."""
    outcome = PageOutcome(index)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    outcome.context = context
    await context.add_init_script(KPI_WATCH_JS.replace("KPI_SELECTOR",
                                                       json.dumps(dashboard.kpi)))
    page = await context.new_page()
    outcome.page = page
    page.on("pageerror", lambda error: outcome.js_errors.append(str(error)[:300]))

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            outcome.statuses.append(response.status)
            if response.status == 503:
                outcome.busy_responses += 1
            elif response.status >= 400 and outcome.error is None:
                outcome.error = f"HTTP {response.status}"

    page.on("response", on_response)
    outcome.start_ms = time.time() * 1000
    deadline = time.monotonic() + timeout
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        outcome.seconds_to_response = time.time() - outcome.start_ms / 1000
    except PlaywrightError as error:
        outcome.notes.append(f"goto: {str(error).splitlines()[0]}")
    seconds = await _watch(outcome, deadline)
    if seconds is not None and seconds <= timeout:
        outcome.seconds_to_kpi = seconds
    elif seconds is not None:  # stamped in time but read late (a busy browser) or late
        outcome.late_seconds_to_kpi = seconds
    if outcome.seconds_to_kpi is not None and outcome.error is None:
        outcome.error = await _page_error(page)
    return outcome


async def move_slider(outcome: PageOutcome, dashboard: Dashboard, presses: int,
                      delay: float) -> None:
    """``presses`` keyboard steps on the page's slider, each timed keydown → KPI changed."""
    page = outcome.page
    assert page is not None
    try:
        handle = page.locator(dashboard.slider).first
        await handle.wait_for(state="visible", timeout=PRESS_TIMEOUT_SECONDS * 1000)
        await page.evaluate(LATENCY_SETUP_JS, dashboard.changes)
        await asyncio.sleep(delay)
        for press in range(presses):
            await handle.focus()
            await page.keyboard.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
            try:
                got = await page.wait_for_function("() => window.__wbLatency", polling=50,
                                                   timeout=PRESS_TIMEOUT_SECONDS * 1000)
                outcome.latencies_ms.append(float(await got.json_value()))
            except PlaywrightTimeout:
                outcome.lost_presses += 1
            await asyncio.sleep(PRESS_GAP_SECONDS)
    except PlaywrightError as error:
        outcome.notes.append(f"slider: {str(error).splitlines()[0]}")
        outcome.lost_presses += presses - len(outcome.latencies_ms) - outcome.lost_presses
    if outcome.error is None:
        outcome.error = await _page_error(page)


# ---------------------------------------------------------------------------------------------
# One run: a fresh server, N pages at once, sliders, close, memory


@dataclass(frozen=True, slots=True)
class Plan:
    """One row of the table."""

    tree: str
    dashboard: Dashboard
    sessions: int
    server_args: tuple[str, ...] = ()
    cap: int | None = None
    close_wait: float = 30.0

    @property
    def label(self) -> str:
        return f"{self.tree}" + (f", cap {self.cap}" if self.cap else "")


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile by linear interpolation between order statistics (numpy's
    default): with sorted values x₀..xₙ₋₁, position k = (n − 1)·q/100."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def spread(values: Sequence[float]) -> dict[str, float | None]:
    return {"median": statistics.median(values) if values else None,
            "p95": percentile(values, 95), "max": max(values) if values else None,
            "count": len(values)}


async def _queue_phase(pages: list[PageOutcome], timeout: float) -> dict[str, Any]:
    """The pages that got in leave; the busy ones, still retrying, wait (bounded) for a place.

    Shows whether the line moves under load: the places of closed tabs free after the reclaim
    time (30 s) and go to the pages waiting, first come first served.
    """
    leaving = [p for p in pages if p.outcome != "busy" and p.context is not None]
    waiting = [p for p in pages if p.outcome == "busy"]
    await asyncio.gather(*(p.context.close() for p in leaving if p.context is not None),
                         return_exceptions=True)
    for page in leaving:
        page.context = page.page = None
    start = time.monotonic()
    await asyncio.gather(*(wait_in_line(p, timeout) for p in waiting))
    got_in = [p.queue_seconds_to_kpi for p in waiting if p.queue_seconds_to_kpi is not None]
    return {"left": len(leaving), "waiting": len(waiting), "got_in": len(got_in),
            "errors": sum(p.error is not None for p in waiting),
            "seconds": time.monotonic() - start,
            "seconds_to_kpi_since_goto": spread(got_in)}


def _say(start: float, text: str) -> None:
    print(f"[{time.monotonic() - start:7.1f} s] {text}", flush=True)


async def run_plan(plan: Plan, tree: Path, browser: Browser, args: argparse.Namespace,
                   clock: float) -> dict[str, Any]:
    """Measure one tree × dashboard × N on a fresh server (see the module docstring)."""
    slug = f"{plan.tree}-{plan.dashboard.name}-{plan.sessions}" + (
        f"-cap{plan.cap}" if plan.cap else "")
    server = Server(tree, plan.server_args, ARTIFACTS / f"{slug}.log")
    result: dict[str, Any] = {"tree": plan.tree, "label": plan.label, "rev": args.rev[plan.tree],
                              "dashboard": plan.dashboard.name, "sessions": plan.sessions,
                              "cap": plan.cap, "server_args": list(plan.server_args),
                              "load_average_at_start": os.getloadavg(), "log": str(server.log)}
    run_start = time.monotonic()
    _say(clock, f"{slug}: starting the server (load average "
                f"{', '.join(f'{x:.2f}' for x in os.getloadavg())})")
    pages: list[PageOutcome] = []
    try:
        result["serve_seconds"] = server.start()
        result["baseline"] = server.wait_until_quiet()
        result["probe"] = server.probe()
        result["max_viewers"] = server.max_viewers()
        baseline_mb = rss_mb(server.pid)
        baseline_cpu = cpu_seconds(server.pid)
        baseline_own = own_cpu_seconds(server.pid)
        result["baseline"]["rss_mb"] = baseline_mb
        _say(clock, f"{slug}: serving after {result['serve_seconds']:.1f} s, quiet after "
                    f"{result['baseline']['seconds']:.0f} s "
                    f"({'yes' if result['baseline']['quiet'] else 'NOT quiet'}), "
                    f"{result['baseline']['kernels']} kernels, {baseline_mb:.0f} MB; "
                    f"opening {plan.sessions} pages at once")
        sampler = MemorySampler(server.pid)
        sampler.start()
        url = f"{server.base}/voila/render/{plan.dashboard.file}"
        load_start = time.monotonic()
        pages = list(await asyncio.gather(*(
            open_dashboard(browser, url, plan.dashboard, i, args.timeout)
            for i in range(plan.sessions))))
        result["load_phase_seconds"] = time.monotonic() - load_start
        loaded_cpu = cpu_seconds(server.pid)
        loaded_own = own_cpu_seconds(server.pid)
        counts = {name: sum(p.outcome == name for p in pages)
                  for name in ("worked", "busy", "failed", "error")}
        _say(clock, f"{slug}: pages after {result['load_phase_seconds']:.1f} s: "
                    + ", ".join(f"{n} {name}" for name, n in counts.items()))
        working = [p for p in pages if p.outcome == "worked"]
        await asyncio.sleep(args.settle)
        for page in pages:
            if page.outcome == "failed" and page.late_seconds_to_kpi is None:
                page.late_seconds_to_kpi = await _stamp(page)
        late = [p.late_seconds_to_kpi for p in pages if p.late_seconds_to_kpi is not None]
        if late:
            _say(clock, f"{slug}: {len(late)} failed pages showed their KPIs late, after "
                        f"{min(late):.0f} to {max(late):.0f} s")
        rng = random.Random(plan.sessions)
        await asyncio.gather(*(move_slider(p, plan.dashboard, args.presses, rng.random())
                               for p in working))
        slider_cpu = cpu_seconds(server.pid)
        slider_own = own_cpu_seconds(server.pid)
        peak_mb = sampler.finish()
        latencies = [ms for p in pages for ms in p.latencies_ms]
        _say(clock, f"{slug}: slider phase done: {len(latencies)} presses timed, "
                    f"{sum(p.lost_presses for p in pages)} lost; peak {peak_mb:.0f} MB")
        for page in pages:
            if page.outcome in ("failed", "error") and page.page is not None \
                    and sum(1 for p in pages if p.screenshot) < 3:
                path = ARTIFACTS / f"{slug}-page{page.index}.png"
                with contextlib.suppress(PlaywrightError):
                    await page.page.screenshot(path=str(path), timeout=10_000)
                    page.screenshot = str(path)
        queue = await _queue_phase(pages, args.timeout) if counts["busy"] else None
        if queue is not None:
            _say(clock, f"{slug}: queue phase: {queue['got_in']} of {queue['waiting']} busy "
                        f"pages got in within {args.timeout:.0f} s after the first "
                        f"{queue['left']} left")
        await asyncio.gather(*(p.context.close() for p in pages if p.context is not None),
                             return_exceptions=True)
        closed = time.monotonic()
        after_close: list[dict[str, float]] = []
        while True:
            elapsed = time.monotonic() - closed
            after_close.append({"seconds": elapsed, "rss_mb": rss_mb(server.pid),
                                "kernels": len(kernel_pids(server.pid))})
            if elapsed >= plan.close_wait - 0.5:
                break
            await asyncio.sleep(min(CLOSE_SAMPLE_SECONDS, plan.close_wait - elapsed))
        back = next((s["seconds"] for s in after_close
                     if s["rss_mb"] <= baseline_mb * (1 + BASELINE_TOLERANCE)), None)
        result.update({
            "pages": [p.record() for p in pages],
            "counts": counts,
            "via_queue": sum(p.saw_busy and p.outcome == "worked" for p in pages),
            "queue_phase": queue,
            "seconds_to_kpi": spread([p.seconds_to_kpi for p in working
                                      if p.seconds_to_kpi is not None]),
            "seconds_to_response": spread([p.seconds_to_response for p in pages
                                           if p.seconds_to_response is not None]),
            "late_seconds_to_kpi": spread([p.late_seconds_to_kpi for p in pages
                                           if p.late_seconds_to_kpi is not None]),
            "slider_ms": spread(latencies),
            "lost_presses": sum(p.lost_presses for p in pages),
            "js_errors": sum(len(p.js_errors) for p in pages),
            "cpu_seconds": {"baseline": baseline_cpu, "after_load": loaded_cpu,
                            "after_slider": slider_cpu,
                            "per_session": (slider_cpu - baseline_cpu) / plan.sessions,
                            "server_process_load_phase": loaded_own - baseline_own,
                            "server_process_total": slider_own - baseline_own},
            "rss_mb": {"baseline": baseline_mb, "peak": peak_mb,
                       "per_session": (peak_mb - baseline_mb) / plan.sessions},
            "after_close": after_close,
            "after_close_final": after_close[-1],
            "after_close_ratio": after_close[-1]["rss_mb"] / baseline_mb,
            "back_to_baseline_seconds": back,
            "alive_after": server.alive() and server.answers(),
        })
        _say(clock, f"{slug}: {after_close[-1]['rss_mb']:.0f} MB "
                    f"{after_close[-1]['seconds']:.0f} s after closing "
                    f"({result['after_close_ratio']:.2f}× baseline), server "
                    f"{'up' if result['alive_after'] else 'DOWN'}; run took "
                    f"{time.monotonic() - run_start:.0f} s")
    finally:
        for page in pages:  # on failure part-way: nothing left open
            if page.context is not None:
                with contextlib.suppress(PlaywrightError):
                    await page.context.close()
        server.stop()
        result["log_counts"] = server.log_counts() if server.log.exists() else {}
    result["run_seconds"] = time.monotonic() - run_start
    return result


# ---------------------------------------------------------------------------------------------
# The table


def _f(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _targets(row: dict[str, Any], reclaim_at: int) -> str:
    """Issue #12's targets that apply to this ROI row, each ✓ or ✗."""
    checks: list[tuple[str, bool]] = []
    n, counts = row["sessions"], row["counts"]
    kpi, slider = row["seconds_to_kpi"], row["slider_ms"]
    cost = counts["busy"] == 0 and row["cap"] is None
    if n == 1:
        checks.append(("KPIs ≤1.5 s", kpi["max"] is not None and kpi["max"] <= 1.5))
        checks.append(("slider ≤50 ms",
                       slider["median"] is not None and slider["median"] <= 50))
    if n == 10:
        checks.append(("KPIs p95 ≤10 s", kpi["p95"] is not None and kpi["p95"] <= 10))
        checks.append(("slider med ≤150 ms",
                       slider["median"] is not None and slider["median"] <= 150))
        checks.append(("none fails/errs", counts["failed"] + counts["error"] == 0))
    if n > 10:
        checks.append(("works or busy", counts["failed"] + counts["error"] == 0))
        checks.append(("server up", bool(row["alive_after"])))
    if cost:
        checks.append(("≤1.0 CPU-s", row["cpu_seconds"]["per_session"] <= 1.0))
        checks.append(("≤120 MB", row["rss_mb"]["per_session"] <= 120))
    if n == reclaim_at and row["cap"] is None:
        back = row["back_to_baseline_seconds"]
        checks.append(("memory back ≤3 min", back is not None and back <= RECLAIM_WAIT_SECONDS))
    return ", ".join(f"{name} {'✓' if ok else '✗'}" for name, ok in checks)


def markdown_tables(results: list[dict[str, Any]], reclaim_at: int) -> str:
    """One Markdown table per dashboard: rows tree × N."""
    out = []
    for name in dict.fromkeys(r["dashboard"] for r in results):
        rows = [r for r in results if r["dashboard"] == name and "counts" in r]
        roi = name == "service-roi"
        out.append(f"\n**{name}** (N pages opened at once; times from `goto` to the KPI "
                   "visible; slider = keydown to the KPI changed)\n")
        head = ["tree", "N", "worked / busy / failed / error", "KPIs med / p95 / max (s)",
                "slider med / p95 / max (ms)", "CPU-s / session (load + slider)", "MB / session",
                "baseline MB", "MB after close"]
        if roi:
            head.append("targets")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for r in rows:
            c, k, s = r["counts"], r["seconds_to_kpi"], r["slider_ms"]
            worked = f"{c['worked']}" + (f" ({r['via_queue']} via queue)" if r["via_queue"]
                                         else "")
            busy = f"{c['busy']}"
            if r.get("queue_phase"):
                busy += (f" ({r['queue_phase']['got_in']} got in once the first "
                         f"{r['queue_phase']['left']} left)")
            failed = f"{c['failed']}"
            late = r.get("late_seconds_to_kpi") or {}
            if late.get("count"):
                failed += (f" ({late['count']} showed KPIs late: {late['median']:.0f} s "
                           f"median, {late['max']:.0f} s max)")
            cpu = r["cpu_seconds"]
            load_cpu = (cpu["after_load"] - cpu["baseline"]) / r["sessions"]
            lost = f" ({r['lost_presses']} lost)" if r["lost_presses"] else ""
            final = r["after_close_final"]
            back = ("" if r["back_to_baseline_seconds"] is None or final["seconds"] < 60
                    else f"; within 10 % after {r['back_to_baseline_seconds']:.0f} s")
            cells = [r["label"], str(r["sessions"]),
                     f"{worked} / {busy} / {failed} / {c['error']}",
                     f"{_f(k['median'])} / {_f(k['p95'])} / {_f(k['max'])}",
                     f"{_f(s['median'], 0)} / {_f(s['p95'], 0)} / {_f(s['max'], 0)}{lost}",
                     f"{cpu['per_session']:.2f} ({load_cpu:.2f} + "
                     f"{cpu['per_session'] - load_cpu:.2f})", _f(r["rss_mb"]["per_session"], 0),
                     _f(r["rss_mb"]["baseline"], 0),
                     f"{final['rss_mb']:.0f} at {final['seconds']:.0f} s "
                     f"({r['after_close_ratio']:.2f}×)" + back]
            if roi:
                cells.append(_targets(r, reclaim_at))
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Main


@contextlib.contextmanager
def before_tree(rev: str) -> Iterator[Path]:
    """``rev`` checked out into a temporary detached worktree, removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-serving-before-"))
    tree = tmp / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT,
                   check=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                       check=False)
        with contextlib.suppress(OSError):
            tmp.rmdir()


def tree_fingerprint(tree: Path) -> str:
    """sha256 over the tree's ``workbook/**/*.py`` (the after tree may change meanwhile)."""
    digest = hashlib.sha256()
    for path in sorted((tree / "workbook").rglob("*.py")):
        digest.update(str(path.relative_to(tree)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def plans(args: argparse.Namespace) -> list[Plan]:
    """The runs, trees side by side for each dashboard and N."""
    out = []
    for name in args.dashboards:
        for n in args.sessions:
            wait = RECLAIM_WAIT_SECONDS if n == args.reclaim_at else args.short_wait
            for tree in args.trees:
                if tree == "before" and n > args.before_max:
                    continue
                out.append(Plan(tree, DASHBOARDS[name], n, close_wait=wait))
                if tree == "after" and n > args.cap:
                    out.append(Plan(tree, DASHBOARDS[name], n,
                                    ("--max-viewers", str(args.cap)), args.cap, wait))
    return out


async def run_all(args: argparse.Namespace, trees: dict[str, Path],
                  clock: float) -> list[dict[str, Any]]:
    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for plan in plans(args):
                results.append(await run_plan(plan, trees[plan.tree], browser, args, clock))
                write_outputs(args, results)  # a partial run still leaves its rows
        finally:
            await browser.close()
    return results


def write_outputs(args: argparse.Namespace, results: list[dict[str, Any]]) -> str:
    tables = markdown_tables(results, args.reclaim_at)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    meta = {key: (str(value) if isinstance(value, Path) else value)
            for key, value in vars(args).items()}
    args.json.write_text(json.dumps({"arguments": meta, "results": results}, indent=1))
    args.json.with_suffix(".md").write_text(tables)
    return tables


def _numbers(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=_numbers, default=[1, 5, 10, 25],
                        help="concurrent sessions per run (default 1,5,10,25)")
    parser.add_argument("--trees", type=lambda t: t.split(","), default=["before", "after"])
    parser.add_argument("--dashboards", default="service-roi",
                        help="comma-separated, or 'all' (default service-roi)")
    parser.add_argument("--reclaim-at", type=int, default=10,
                        help="the N whose memory is watched for 3 minutes after closing")
    parser.add_argument("--short-wait", type=float, default=30.0,
                        help="seconds memory is watched after closing for the other N")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a page may take to show its KPIs (default 120)")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the last page loaded and the first slider press")
    parser.add_argument("--presses", type=int, default=5, help="slider presses per page")
    parser.add_argument("--cap", type=int, default=10,
                        help="--max-viewers of the extra AFTER run for every N above it")
    parser.add_argument("--before-max", type=int, default=25,
                        help="largest N run on the BEFORE tree")
    parser.add_argument("--before", default=BEFORE, help="git rev of the BEFORE tree")
    parser.add_argument("--json", type=Path,
                        default=ROOT / "test-artifacts" / "bench_serving.json")
    args = parser.parse_args()
    args.dashboards = list(DASHBOARDS) if args.dashboards == "all" else args.dashboards.split(",")
    for name in args.dashboards:
        if name not in DASHBOARDS:
            parser.error(f"--dashboards: no {name!r}; choose from {', '.join(DASHBOARDS)}")
    for tree in args.trees:
        if tree not in ("before", "after"):
            parser.error(f"--trees: expected before and/or after; got {tree!r}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `sudo apt-get install chromium`")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def terminate(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    clock = time.monotonic()
    load = os.getloadavg()
    print(f"bench_serving: load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{os.cpu_count()} cores", flush=True)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=False).stdout.strip()
    args.rev = {"before": args.before, "after": f"{head}+working tree"}
    args.load_average_at_start = load
    results: list[dict[str, Any]] = []
    try:
        with contextlib.ExitStack() as stack:
            trees = {"after": ROOT}
            if "before" in args.trees:
                trees["before"] = stack.enter_context(before_tree(args.before))
            args.fingerprints = {name: tree_fingerprint(tree) for name, tree in trees.items()}
            results = asyncio.run(run_all(args, trees, clock))
    finally:
        for server in list(RUNNING):  # whatever interrupted the run
            server.stop()
    args.wall_seconds = time.monotonic() - clock
    tables = write_outputs(args, results)
    print(tables)
    print(f"wall time {args.wall_seconds / 60:.1f} min; load average at start "
          f"{load[0]:.2f}; raw results {args.json} (tables: {args.json.with_suffix('.md')})")


if __name__ == "__main__":
    main()
