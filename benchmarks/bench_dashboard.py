"""Dashboard speed: time to interactive and slider latency, three set-ups side by side.

Set-ups, each a real Voilà server on loopback opened in headless Debian chromium:

- ``plain``: Voilà as it comes (no preheated kernels), the dashboard without the start-up
  trim (``skip_slow_optional_imports`` removed from a temporary copy);
- ``preheat``: preheated kernels (pool of 2), still without the trim;
- ``workbook``: exactly what ``workbook dashboard`` runs (pool of 2 and the trim).

Time to interactive: from navigation start to the ``kpi-npv`` value being in the page, read in
the page (``performance.now()``), median of N sequential loads after one warm-up load. Loads
come ``--gap`` seconds apart (0 = back to back). Slider latency (``workbook`` only): keydown on
the spend-uplift handle to the NPV card changing, and to the animation frame by which all
five charts hold the new data, median of M presses.

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/bench_dashboard.py [--loads 5]``.
Machines here are noisy: compare the medians and ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbook.cli import voila_command  # noqa: E402
from workbook.paths import DASHBOARDS  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE = "service-roi.ipynb"
CHARTS = 5  # value drivers, cumulative cash, lifetime value, NPV histogram, tornado
TRIM = "skip_slow_optional_imports()"

TTI_JS = """() => {
  const e = document.querySelector('.kpi-npv .wb-kpi-value');
  return e !== null && e.textContent.trim().length > 0 ? performance.now() : null;
}"""

LATENCY_SETUP_JS = """() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const state = () => plots.map(p => JSON.stringify((p.data || []).map(t => [t.y, t.text])));
  window.__down = null; window.__kpi = null; window.__charts = new Map();
  window.__before = state();
  document.addEventListener('keydown', () => {
    window.__down = performance.now(); window.__kpi = null; window.__charts = new Map();
    window.__before = state();
  }, true);
  new MutationObserver(() => {
    if (window.__down !== null && window.__kpi === null)
      window.__kpi = performance.now() - window.__down;
  }).observe(document.querySelector('.kpi-npv'),
             {subtree: true, childList: true, characterData: true});
  const poll = () => {
    requestAnimationFrame(poll);
    if (window.__down !== null) {
      const now = state();
      now.forEach((s, i) => {
        if (s !== window.__before[i] && !window.__charts.has(i))
          window.__charts.set(i, performance.now() - window.__down);
      });
    }
  };
  requestAnimationFrame(poll);
}"""
# Charts: the animation frame by which each of the five charts holds the new data (plotly
# draws within the same task that sets it); the slowest chart counts.

CHARTS_READY_JS = f"""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(p => p.data && p.data.length).length === {CHARTS}"""

LATENCY_DONE_JS = f"""() => window.__kpi !== null && window.__charts.size === {CHARTS}
  ? [window.__kpi, Math.max(...window.__charts.values())] : null"""


def variant_folder(trim: bool) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboards-"))
    text = (DASHBOARDS / PAGE).read_text()
    if not trim:
        assert TRIM in text
        text = text.replace(TRIM, "None")
    (folder / PAGE).write_text(text)
    return folder


def start(folder: Path, port: int, pool: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(voila_command(folder, port, pool), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def time_to_interactive(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(TTI_JS, polling="raf", timeout=60_000)
    value = float(handle.json_value())
    context.close()
    return value / 1000.0


def slider_latency(browser, url: str, presses: int) -> tuple[list[float], list[float]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(TTI_JS, polling="raf", timeout=60_000)
    page.wait_for_function(CHARTS_READY_JS, timeout=60_000)
    page.evaluate(LATENCY_SETUP_JS)
    page.locator(".param-spend_uplift_rate .noUi-handle").focus()
    kpi, charts = [], []
    for press in range(presses):
        page.keyboard.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
        result = page.wait_for_function(LATENCY_DONE_JS, timeout=10_000).json_value()
        kpi.append(result[0])
        charts.append(result[1])
        page.wait_for_timeout(200)
    context.close()
    return kpi, charts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--presses", type=int, default=21)
    parser.add_argument("--gaps", type=float, nargs="+", default=[0.0, 3.0],
                        help="seconds between loads; each gap is measured (default 0 and 3)")
    parser.add_argument("--port", type=int, default=8891)
    args = parser.parse_args()

    setups = [("plain", False, 0), ("preheat", False, 2), ("workbook", True, 2)]
    results: dict[tuple[str, float], list[float]] = {}
    latency: tuple[list[float], list[float]] | None = None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        for index, (name, trim, pool) in enumerate(setups):
            port = args.port + index
            process = start(variant_folder(trim), port, pool)
            url = f"http://127.0.0.1:{port}/voila/render/{PAGE}"
            try:
                time.sleep(8 if pool else 1)  # let the pool fill: a warm server
                time_to_interactive(browser, url)  # warm-up load, not counted
                for gap in args.gaps:
                    time.sleep(max(gap, 5 if pool else 0))  # refill after the warm-up
                    samples = []
                    for _ in range(args.loads):
                        samples.append(time_to_interactive(browser, url))
                        time.sleep(gap)
                    results[(name, gap)] = samples
                    print(f"{name:9s} gap {gap:3.0f} s  TTI median {statistics.median(samples):5.2f} s"
                          f"  ({', '.join(f'{s:.2f}' for s in samples)})", flush=True)
                if name == "workbook":
                    time.sleep(5)
                    latency = slider_latency(browser, url, args.presses)
            finally:
                stop(process)
        browser.close()

    print("\nTime to interactive, median of", args.loads, "sequential loads (seconds):")
    for gap in args.gaps:
        base = statistics.median(results[("plain", gap)])
        row = "  ".join(f"{name} {statistics.median(results[(name, gap)]):.2f}"
                        f" ({base / statistics.median(results[(name, gap)]):.1f}x)"
                        for name, _, _ in setups)
        print(f"  gap {gap:.0f} s: {row}")
    if latency:
        kpi, charts = latency
        print(f"\nSlider to NPV card: median {statistics.median(kpi):.0f} ms, "
              f"max {max(kpi):.0f} ms over {len(kpi)} presses")
        print(f"Slider to the last of the five charts redrawn: median {statistics.median(charts):.0f} ms, "
              f"max {max(charts):.0f} ms")


if __name__ == "__main__":
    main()
