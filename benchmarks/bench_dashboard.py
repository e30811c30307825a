"""Dashboard speed: time to interactive and slider latency, three set-ups side by side.

Set-ups, each a real Voilà server on loopback opened in headless Debian chromium:

- ``plain``: Voilà as it comes (no preheated kernels), the dashboard without the start-up
  trim (``skip_slow_optional_imports`` removed from a temporary copy) and with plotly's
  bundle embedded in every chart;
- ``preheat``: preheated kernels (pool of 2), still without the trim and the shared bundle;
- ``workbook``: exactly what ``workbook dashboard`` runs (pool of 2, the trim, plotly's bundle
  served once by URL: ``workbook.ui.assets``).

Time to interactive: from navigation start to the ``kpi-npv`` value being in the page, read in
the page (``performance.now()``), median of N sequential loads after one warm-up load. Loads
come ``--gap`` seconds apart (0 = back to back). Slider latency (``workbook`` only): keydown on
the spend-uplift handle to the NPV card changing, to the animation frame by which the two
value charts hold the new data, and the same for the risk panel (one figure: the NPV histogram
above the tornado), median of M presses.

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/bench_dashboard.py [--loads 5]``.
Machines here are noisy: compare the medians and ratios within one run.
"""

from __future__ import annotations

import argparse
import json
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

from workbook.core.paths import DASHBOARDS
from workbook.ui.assets import ENV_FLAG, install_widget_assets

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE = "service-roi.ipynb"
SETTLE_MS = 6_000
PRESS_GAP_MS = 1_000  # one key press a second: each press measured on a quiet page
CHARTS = 3  # value drivers, cumulative cash, the risk panel (NPV histogram above the tornado)
TRIM = "skip_slow_optional_imports()"

TTI_JS = """() => {
  const e = document.querySelector('.kpi-npv .wb-kpi-value');
  return e !== null && e.textContent.trim().length > 0 ? performance.now() : null;
}"""

VALUE_CHARTS = ["value-drivers", "cumulative-cash"]
RISK_CHARTS = ["risk-panel"]
LATENCY_SETUP_JS = """() => {
  const CHART_NAMES = CHART_LIST;
  const plots = CHART_NAMES.map(n => {  // the widget's element is plotly's graph div itself
    const el = document.querySelector('.chart-' + n);
    return el.classList.contains('js-plotly-plot') ? el : el.querySelector('.js-plotly-plot');
  });
  const state = () => plots.map(p => JSON.stringify((p.data || []).map(t => [t.x, t.y, t.text])));
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
        if (s !== window.__before[i] && !window.__charts.has(CHART_NAMES[i]))
          window.__charts.set(CHART_NAMES[i], performance.now() - window.__down);
      });
    }
  };
  requestAnimationFrame(poll);
}""".replace("CHART_LIST", json.dumps(VALUE_CHARTS + RISK_CHARTS))
# Charts: the animation frame by which each chart holds the new data (plotly
# draws within the same task that sets it); the slowest chart counts.

CHARTS_READY_JS = f"""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(p => p.data && p.data.length).length === {CHARTS}"""

LATENCY_DONE_JS = f"""() => window.__kpi !== null && window.__charts.size === {CHARTS}
  ? [window.__kpi, Object.fromEntries(window.__charts)] : null"""


def variant_folder(trim: bool) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboards-"))
    text = (DASHBOARDS / PAGE).read_text()
    if not trim:
        assert TRIM in text
        text = text.replace(TRIM, "None")
    (folder / PAGE).write_text(text)
    return folder


def voila_command(folder: Path, port: int, pool: int) -> list[str]:
    """Plain Voilà with the pool and settings the dashboards had before `workbook.serve`
    (the baseline here; `workbook dashboard` itself is measured by bench_serving.py)."""
    from workbook.ui.assets import FILE_ALLOWLIST

    command = [
        sys.executable, "-m", "voila", str(folder), f"--port={port}", "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0", "--no-browser", "--show_tracebacks=False", "--theme=light",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in FILE_ALLOWLIST),
        "--KernelManager.transport=ipc",
    ]
    if pool > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool}"]
    return command


def start(folder: Path, port: int, pool: int, shared_bundle: bool) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.pop(ENV_FLAG, None)
    if shared_bundle:
        env[ENV_FLAG] = install_widget_assets(folder)
    process = subprocess.Popen(voila_command(folder, port, pool), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               cwd=Path(__file__).resolve().parent.parent, env=env)
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


def slider_latency(browser, url: str, presses: int) -> dict[str, list[float]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(TTI_JS, polling="raf", timeout=60_000)
    page.wait_for_function(CHARTS_READY_JS, timeout=60_000)
    # Opening the page took a preheated kernel; Voila now starts its replacement, which runs
    # the dashboard on one of the two cores for a few seconds. Measure after that, as a
    # manager moving sliders a few seconds after opening the page would see it.
    page.wait_for_timeout(SETTLE_MS)
    page.evaluate(LATENCY_SETUP_JS)
    page.locator(".param-spend_uplift_excellent_service .noUi-handle").focus()
    samples: dict[str, list[float]] = {"kpi": [], "value charts": [], "risk charts": []}
    for press in range(presses):
        page.keyboard.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
        kpi, charts = page.wait_for_function(LATENCY_DONE_JS, timeout=10_000).json_value()
        samples["kpi"].append(kpi)
        samples["value charts"].append(max(charts[n] for n in VALUE_CHARTS))
        samples["risk charts"].append(max(charts[n] for n in RISK_CHARTS))
        page.wait_for_timeout(PRESS_GAP_MS)
    context.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--presses", type=int, default=21)
    parser.add_argument("--gaps", type=float, nargs="+", default=[0.0, 3.0],
                        help="seconds between loads; each gap is measured (default 0 and 3)")
    parser.add_argument("--port", type=int, default=8891)
    args = parser.parse_args()

    setups = [("plain", False, 0), ("preheat", False, 2), ("workbook", True, 2)]  # trim, pool
    results: dict[tuple[str, float], list[float]] = {}
    latency: dict[str, list[float]] | None = None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        for index, (name, trim, pool) in enumerate(setups):
            port = args.port + index
            process = start(variant_folder(trim), port, pool, shared_bundle=trim)
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
                    print(f"{name:9s} gap {gap:3.0f} s  "
                          f"TTI median {statistics.median(samples):5.2f} s"
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
        print(f"\nSlider (keyboard step on spend uplift) to ..., over {args.presses} presses:")
        for what, values in latency.items():
            print(f"  {what:13s} median {statistics.median(values):4.0f} ms, "
                  f"max {max(values):4.0f} ms")


if __name__ == "__main__":
    main()
