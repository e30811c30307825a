"""Loyalty dashboard speed: a threshold move, in the kernel and in the browser.

In-process (sample data, median of N runs each, side by side):

- ``rules``: :func:`workbook.models.loyalty.ladder.compute_ladder` with the per-person features
  cached on the data (what a threshold move costs the model);
- ``full``: the same with the cache emptied first, so both feature queries (the date and one
  period before) run again in DuckDB (what it would cost without the cache);
- ``slider``: a threshold slider moved on a :class:`workbook.ui.loyalty_app.LoyaltyApp` inside
  a running event loop, as in the kernel: rules, KPI cards, stage table, and the funnel,
  Sankey and Lorenz widgets updated (the download link is deferred to the next loop turn);
- ``download``: that deferred step alone (stage list → safe CSV → ``data:`` link).

In the browser (``--presses``; 0 skips it): ``workbook dashboard``'s set-up (preheated kernel,
start-up trim, plotly's bundle served once) serving only the loyalty dashboard, opened in
headless Debian chromium; a keyboard step on the lost-after-days handle, then the time until
the lost-share KPI card changes and until the funnel and Sankey graph divs hold new data
(read in the page with ``performance.now()``), median of the presses, one a second.

Run: ``.venv/bin/python benchmarks/bench_loyalty_dashboard.py [--runs 21] [--presses 15]``.
Machines here are noisy: compare medians and ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook.core.paths import DASHBOARDS
from workbook.data.load import load_customer_data
from workbook.models.loyalty.ladder import LadderParams, compute_ladder
from workbook.ui.loyalty_app import LoyaltyApp, stage_list_link

PAGE = "loyalty.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SETTLE_MS = 6_000
PRESS_GAP_MS = 1_000
CHARTS = ["funnel", "sankey"]

READY_JS = """() => { const e = document.querySelector('.chart-funnel');
  const p = e && (e.classList.contains('js-plotly-plot') ? e : e.querySelector('.js-plotly-plot'));
  return !!p && !!p.data && p.data.length > 0; }"""

SETUP_JS = """() => {
  const names = CHART_LIST;
  const plots = names.map(n => {
    const el = document.querySelector('.chart-' + n);
    return el.classList.contains('js-plotly-plot') ? el : el.querySelector('.js-plotly-plot');
  });
  const state = () => plots.map(p => JSON.stringify((p.data || []).map(
    t => [t.x, t.link && t.link.value])));
  window.__down = null; window.__kpi = null; window.__charts = new Map();
  document.addEventListener('keydown', () => {
    window.__down = performance.now(); window.__kpi = null; window.__charts = new Map();
    window.__before = state();
  }, true);
  new MutationObserver(() => {
    if (window.__down !== null && window.__kpi === null)
      window.__kpi = performance.now() - window.__down;
  }).observe(document.querySelector('.kpi-lost-share'),
             {subtree: true, childList: true, characterData: true});
  const poll = () => {
    requestAnimationFrame(poll);
    if (window.__down === null) return;
    state().forEach((s, i) => {
      if (s !== window.__before[i] && !window.__charts.has(names[i]))
        window.__charts.set(names[i], performance.now() - window.__down);
    });
  };
  requestAnimationFrame(poll);
}""".replace("CHART_LIST", json.dumps(CHARTS))

DONE_JS = f"""() => window.__kpi !== null && window.__charts.size === {len(CHARTS)}
  ? [window.__kpi, Object.fromEntries(window.__charts)] : null"""


def in_process(runs: int) -> dict[str, float]:
    """Medians (ms) of the in-process set-ups, run interleaved so load spikes hit all alike."""
    data = load_customer_data()
    compute_ladder(data)  # warm the cache and the imports
    params = [LadderParams(ladder_lost_after_days=180 + 5 * (i % 2)) for i in range(2)]
    app = LoyaltyApp(data=load_customer_data(), defer_download=True)
    loop = asyncio.new_event_loop()
    samples: dict[str, list[float]] = {k: [] for k in ("rules", "full", "slider", "download",
                                                       "link only")}

    def timed(name: str, run: Callable[[], object]) -> None:
        start = time.perf_counter()
        run()
        samples[name].append((time.perf_counter() - start) * 1000)

    async def move(i: int) -> None:
        timed("slider", lambda: setattr(app.sliders["ladder_lost_after_days"], "value",
                                        180 + 5 * ((i + 1) % 2)))
        assert app._download_pending
        start = time.perf_counter()
        await asyncio.sleep(0)  # the deferred download link runs in this turn
        samples["download"].append((time.perf_counter() - start) * 1000)
        assert not app._download_pending

    for i in range(runs):
        p = params[i % 2]
        timed("rules", lambda p=p: compute_ladder(data, p))
        if i % 3 == 0:  # a feature query is slow: a third as many runs
            data.cache.clear()
            timed("full", lambda p=p: compute_ladder(data, p))
        loop.run_until_complete(move(i))
        timed("link only", lambda: stage_list_link(app.result))
    loop.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def in_browser(presses: int, port: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_dashboard import start, stop  # the same server start as the ROI benchmark

    folder = Path(tempfile.mkdtemp(prefix="bench-loyalty-"))
    shutil.copy(DASHBOARDS / PAGE, folder / PAGE)
    process = start(folder, port, pool=1, shared_bundle=True)
    samples: dict[str, list[float]] = {"kpi": [], "funnel": [], "sankey": []}
    try:
        time.sleep(8)  # let the pool fill
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/voila/render/{PAGE}")
            page.wait_for_function(READY_JS, timeout=90_000)
            page.wait_for_timeout(SETTLE_MS)  # the pool's refill kernel runs meanwhile
            page.evaluate(SETUP_JS)
            page.locator(".param-ladder_lost_after_days .noUi-handle").focus()
            for press in range(presses):
                page.keyboard.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
                kpi, charts = page.wait_for_function(DONE_JS, timeout=15_000).json_value()
                samples["kpi"].append(kpi)
                for name in CHARTS:
                    samples[name].append(charts[name])
                page.wait_for_timeout(PRESS_GAP_MS)
            context.close()
            browser.close()
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument("--port", type=int, default=8897)
    args = parser.parse_args()

    medians = in_process(args.runs)
    print(f"In-process, sample data, median of {args.runs} runs (ms):")
    print(f"  model, features cached (rules)   {medians['rules']:7.1f}")
    print(f"  model, features re-queried (full) {medians['full']:6.1f}  "
          f"({medians['full'] / medians['rules']:.1f}x the cached)")
    print(f"  slider move in the app (model + KPIs + table + 3 charts) {medians['slider']:6.1f}")
    print(f"  deferred download link (next loop turn) {medians['download']:6.1f}"
          f"  (link alone {medians['link only']:.1f})")
    if args.presses > 0:
        samples = in_browser(args.presses, args.port)
        print(f"\nBrowser, keyboard step on lost-after-days to ..., {args.presses} presses (ms):")
        for what, values in samples.items():
            print(f"  {what:7s} median {statistics.median(values):5.0f}, "
                  f"max {max(values):5.0f}")


if __name__ == "__main__":
    main()
