"""Responsiveness dashboard: staffing slider → agents card and service-level curve, in chromium.

Issue 5's target: staffing sliders update the page within 100 ms. Served exactly as
``workbook dashboard`` serves it (preheated kernels, shared plotly bundle); keydown on the
calls-per-hour handle to the agents card changing and to the animation frame by which the curve
holds the new data; presses alternate right/left, one a second, after the pool refill settles.
Also a full day (96 intervals) sized from the sample call log, in-process.

Run: ``.venv/bin/python benchmarks/bench_responsiveness.py [--presses 21]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_dashboard import CHROMIUM_ARGS, start, stop

from workbook.core.paths import DASHBOARDS
from workbook.data.calllog import load_sample_call_log
from workbook.models.responsiveness.day_plan import plan_day

PAGE = "responsiveness.ipynb"
SETUP_JS = """() => {
  const el = document.querySelector('.chart-service-level-curve');
  const plot = el.classList.contains('js-plotly-plot') ? el : el.querySelector('.js-plotly-plot');
  const state = () => JSON.stringify((plot.data || []).map(t => [t.x, t.y]));
  window.__down = null; window.__kpi = null; window.__chart = null; window.__before = state();
  document.addEventListener('keydown', () => {
    window.__down = performance.now(); window.__kpi = null; window.__chart = null;
    window.__before = state();
  }, true);
  new MutationObserver(() => {
    if (window.__down !== null && window.__kpi === null)
      window.__kpi = performance.now() - window.__down;
  }).observe(document.querySelector('.kpi-agents'),
             {subtree: true, childList: true, characterData: true});
  const poll = () => {
    requestAnimationFrame(poll);
    if (window.__down !== null && window.__chart === null && state() !== window.__before)
      window.__chart = performance.now() - window.__down;
  };
  requestAnimationFrame(poll);
}"""
DONE_JS = """() => window.__kpi !== null && window.__chart !== null
  ? [window.__kpi, window.__chart] : null"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=21)
    parser.add_argument("--port", type=int, default=8895)
    args = parser.parse_args()

    log = load_sample_call_log()
    seconds = timeit.repeat(lambda: plan_day(log, interval_minutes=15), number=1, repeat=9)
    print(f"plan_day, sample log, 96 intervals of 15 min: median "
          f"{statistics.median(seconds) * 1000:.1f} ms")

    folder = Path(tempfile.mkdtemp(prefix="bench-responsiveness-"))
    shutil.copy(DASHBOARDS / PAGE, folder / PAGE)
    process = start(folder, args.port, 2, shared_bundle=True)
    try:
        time.sleep(8)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{args.port}/voila/render/{PAGE}")
            page.wait_for_selector(".chart-service-level-curve .main-svg", timeout=60_000)
            page.wait_for_timeout(6_000)  # let the pool refill finish
            page.evaluate(SETUP_JS)
            page.locator(".param-staffing_calls_per_hour .noUi-handle").focus()
            kpi, curve = [], []
            for press in range(args.presses):
                page.keyboard.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
                k, c = page.wait_for_function(DONE_JS, timeout=10_000).json_value()
                kpi.append(k)
                curve.append(c)
                page.wait_for_timeout(1_000)
            browser.close()
    finally:
        stop(process)
    print(f"Slider to agents card: median {statistics.median(kpi):.0f} ms, max {max(kpi):.0f} ms")
    print(f"Slider to service-level curve: median {statistics.median(curve):.0f} ms, "
          f"max {max(curve):.0f} ms ({args.presses} presses)")


if __name__ == "__main__":
    main()
