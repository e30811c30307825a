"""`workbook batch` as a scheduled job runs it: a subprocess, files on disk, exit statuses.

Eight real notebook runs in all (each costs a kernel start): two ROI runs in one batch (with
``--pdf`` when Chromium is there), two runs
of a tiny notebook in another, two for the per-run timeout and two for a batch stopped by
SIGTERM.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from workbook.core.paths import NOTEBOOKS
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.run.batch import (
    BatchError,
    RunRecord,
    check_latest_link,
    data_file_checksums,
    headline_table,
    point_latest,
    run_batch,
)
from workbook.run.index import index_html
from workbook.run.pdf import CHROMIUM

ROI_NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"


def workbook(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False)


def read_summary(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", newline="") as stream:
        return {row["scenario"]: row for row in csv.DictReader(stream)}


SCENARIOS = {
    "custom": {"spend_uplift_excellent_service": 0.12, "horizon_years": 3},
    "conservative": {"spend_uplift_excellent_service": 0.03, "retention_uplift_rate": 0.0,
                     "excellent_service_share": 0.1},
}


@pytest.fixture(scope="module")
def roi_batch(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    import yaml

    folder = tmp_path_factory.mktemp("portfolio")
    for name, parameters in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(
            {"name": name, "description": "test", "parameters": parameters}))
    (folder / "broken.yaml").write_text("name: broken\nparameters:\n  spend_uplfit_rate: 0.2\n")
    (folder / "portfolio.yaml").write_text(
        f"notebooks: ['{ROI_NOTEBOOK}']\nscenarios: ['*.yaml']\n")
    out = folder.parent / "roi-out"
    pdf = ["--pdf"] if CHROMIUM.exists() else []
    done = workbook("batch", folder / "portfolio.yaml", "--out", out, "--workers", "2", *pdf)
    return out, done


def test_broken_scenario_fails_alone_and_the_summary_names_it(roi_batch) -> None:
    out, done = roi_batch
    assert done.returncode == 1, done.stderr
    summary = read_summary(out)
    assert {k: v["status"] for k, v in summary.items()} == {
        "broken": "failed", "conservative": "ok", "custom": "ok"}
    assert "broken.yaml" in summary["broken"]["error"]
    assert "spend_uplfit_rate" in summary["broken"]["error"]
    assert not (out / "broken").exists()
    assert done.stderr.count("workbook batch: [") == 3  # one progress line per run
    assert not list(out.rglob(".*.tmp*")), "temporary files left behind"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_results_equal_the_package_for_the_scenario(roi_batch, scenario: str) -> None:
    out, _ = roi_batch
    results = json.loads((out / scenario / "01-service-roi.results.json").read_text())
    expected = compute_service_roi(ServiceRoiParams(**SCENARIOS[scenario]))
    assert results["npv"] == pytest.approx(expected.npv, rel=1e-12)
    assert results["roi"] == pytest.approx(expected.roi, rel=1e-12)
    if expected.payback_months is None:
        assert results["payback_months"] is None
    else:
        assert results["payback_months"] == pytest.approx(expected.payback_months, rel=1e-12)
    summary = read_summary(out)[scenario]
    assert float(summary["npv"]) == pytest.approx(expected.npv, rel=1e-12)


def test_html_reports_have_no_code_and_the_index_links_them(roi_batch) -> None:
    out, _ = roi_batch
    index = (out / "index.html").read_text()
    for scenario in SCENARIOS:
        html = (out / scenario / "01-service-roi.html").read_text()
        assert "publish_results(" not in html and "hl-ipython3" not in html
        assert f'href="{scenario}/01-service-roi.html"' in index
    assert "broken" in index
    assert index.count("* plotly.js v") == 1  # embedded once, so the index opens offline
    assert 'id="chart-scenario-npv"' in index and 'id="chart-probability-npv-positive"' in index
    assert "<h2>Probability table</h2>" in index


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: no --pdf")
def test_pdf_flag_prints_each_report_and_the_index(roi_batch) -> None:
    out, _ = roi_batch
    for pdf in [out / "index.pdf", *(out / s / "01-service-roi.pdf" for s in SCENARIOS)]:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page(?!s)", data)) > 0
    manifest = json.loads((out / "manifest.json").read_text())
    outputs = {r["scenario"]: r["outputs"] for r in manifest["runs"]}
    assert "custom/01-service-roi.pdf" in outputs["custom"]


def test_manifest_records_parameters_version_and_commit(roi_batch) -> None:
    out, _ = roi_batch
    manifest = json.loads((out / "manifest.json").read_text())
    runs = {run["scenario"]: run for run in manifest["runs"]}
    assert runs["custom"]["parameters"] == SCENARIOS["custom"]
    assert runs["custom"]["workbook_version"] == manifest["workbook_version"]
    assert "git_commit" in runs["custom"]
    for output in runs["custom"]["outputs"]:
        assert (out / output).is_file()


def tiny_notebook(path: Path) -> Path:
    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                     "display_name": "Python 3"}})
    notebook.cells = [
        new_code_cell('data_path: str = ""  # a data file\nfail: bool = False  # break on purpose',
                      metadata={"tags": ["parameters"]}),
        new_code_cell("print('first cell ran')"),
        new_code_cell("if fail:\n    raise RuntimeError('broken on purpose')"),
        new_code_cell("from workbook.run.results import publish_results\n"
                      "publish_results({'rows': len(open(data_path).read().splitlines())}, "
                      "parameters={'data_path': data_path})"),
    ]
    nbformat.write(notebook, path)
    return path


def test_failing_run_keeps_its_partial_notebook_and_checksums_match(tmp_path: Path) -> None:
    tiny_notebook(tmp_path / "tiny.ipynb")
    (tmp_path / "data.csv").write_text("a\n1\n2\n")
    (tmp_path / "good.yaml").write_text("name: good\nparameters: {data_path: data.csv}\n")
    (tmp_path / "bad.yaml").write_text("name: bad\nparameters: {data_path: data.csv, fail: true}\n")
    (tmp_path / "portfolio.yaml").write_text("notebooks: [tiny.ipynb]\nscenarios: ['*.yaml']\n")
    lines: list[str] = []
    result = run_batch(tmp_path / "portfolio.yaml", tmp_path / "out", workers=2,
                       report=lines.append)
    statuses = {run.scenario: run.status for run in result.runs}
    assert statuses == {"bad": "failed", "good": "ok"} and len(lines) == 2
    bad = next(run for run in result.runs if run.scenario == "bad")
    assert "RuntimeError" in bad.error and "broken on purpose" in bad.error
    executed = nbformat.read(tmp_path / "out" / "bad" / "tiny.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("first cell ran" in o.get("text", "") for o in outputs)
    assert any(o.get("ename") == "RuntimeError" for o in outputs)
    assert json.loads((tmp_path / "out" / "good" / "tiny.results.json").read_text())["rows"] == 3
    manifest = json.loads(result.manifest_path.read_text())
    for run in manifest["runs"]:
        (checksum,) = run["data_files"].values()
        assert checksum["sha256"] == hashlib.sha256(
            (tmp_path / "data.csv").read_bytes()).hexdigest()
        assert Path(checksum["path"]) == (tmp_path / "data.csv").resolve()


def test_existing_output_folder_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier batch")
    done = workbook("batch", NOTEBOOKS.parent / "scenarios" / "portfolio.yaml", "--out", out)
    assert done.returncode == 2 and "--force" in done.stderr
    assert [p.name for p in out.iterdir()] == ["earlier.txt"]


def test_force_writes_into_an_existing_folder(tmp_path: Path) -> None:
    # The only scenario is invalid, so nothing runs: no kernel is started.
    (tmp_path / "typo.yaml").write_text("name: typo\nparameters: {customerz: 5}\n")
    (tmp_path / "portfolio.yaml").write_text(
        f"notebooks: ['{ROI_NOTEBOOK}']\nscenarios: ['*.yaml']\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier batch")
    result = run_batch(tmp_path / "portfolio.yaml", out, force=True)
    assert [run.status for run in result.runs] == ["failed"]
    assert "customerz" in result.runs[0].error and "typo.yaml" in result.runs[0].error
    assert (out / "earlier.txt").is_file() and result.summary_path.is_file()


@pytest.mark.parametrize("text", ["notebooks: [nope.ipynb]\nscenarios: ['*.yaml']\n",
                                  "just: [unclosed\n"])
def test_bad_portfolio_is_exit_2_and_writes_nothing(tmp_path: Path, text: str) -> None:
    (tmp_path / "portfolio.yaml").write_text(text)
    done = workbook("batch", tmp_path / "portfolio.yaml", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "portfolio.yaml" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_checksums_cover_existing_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"x,y\n1,2\n")
    found = data_file_checksums({"data": "a.csv", "missing": "b.csv", "n": 3, "url": "http://x",
                                 "empty": ""}, tmp_path)
    assert list(found) == ["data"]
    assert found["data"]["sha256"] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()


def sleepy_notebook(path: Path) -> Path:
    """A notebook that writes its kernel's process id, then sleeps."""
    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                     "display_name": "Python 3"}})
    notebook.cells = [
        new_code_cell('pid_file: str = "pid"  # where the kernel writes its process id\n'
                      "sleep_seconds: float = 0  # how long the run takes",
                      metadata={"tags": ["parameters"]}),
        new_code_cell("import os, time\nopen(pid_file, 'w').write(str(os.getpid()))\n"
                      "time.sleep(sleep_seconds)"),
        new_code_cell("from workbook.run.results import publish_results\n"
                      "publish_results({'slept_seconds': sleep_seconds}, "
                      "parameters={'sleep_seconds': sleep_seconds})"),
    ]
    nbformat.write(notebook, path)
    return path


def sleepy_portfolio(folder: Path, **sleep_seconds: float) -> Path:
    sleepy_notebook(folder / "sleepy.ipynb")
    for name, seconds in sleep_seconds.items():
        (folder / f"{name}.yaml").write_text(
            f"name: {name}\nparameters: {{pid_file: {name}.pid, sleep_seconds: {seconds}}}\n")
    portfolio = folder / "portfolio.yaml"
    portfolio.write_text("notebooks: [sleepy.ipynb]\nscenarios: ['*.yaml']\n")
    return portfolio


def process_gone(pid: int) -> bool:
    """No such process, or only a zombie left for its new parent to reap."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def no_temporary_files(out: Path) -> bool:
    return not list(out.rglob(".*.tmp*"))


def test_run_over_the_timeout_is_killed_with_its_kernel_and_others_go_on(tmp_path: Path) -> None:
    portfolio = sleepy_portfolio(tmp_path, quick=0, stuck=300)
    # The quick run takes about 2 s, but many times that on a loaded 2-core machine.
    result = run_batch(portfolio, tmp_path / "out", workers=2, timeout_seconds=30)
    runs = {run.scenario: run for run in result.runs}
    assert runs["quick"].status == "ok", runs["quick"].error
    assert runs["stuck"].status == "timeout"
    assert "30 s" in runs["stuck"].error and runs["stuck"].duration_seconds >= 30
    assert process_gone(int((tmp_path / "stuck.pid").read_text()))
    assert read_summary(tmp_path / "out")["stuck"]["status"] == "timeout"
    manifest = json.loads(result.manifest_path.read_text())
    assert {r["scenario"]: r["status"] for r in manifest["runs"]} == {"quick": "ok",
                                                                     "stuck": "timeout"}
    assert not (tmp_path / "out" / "stuck" / "sleepy.html").exists()
    assert no_temporary_files(tmp_path / "out")


def test_sigterm_keeps_completed_runs_and_cancels_the_rest(tmp_path: Path) -> None:
    portfolio = sleepy_portfolio(tmp_path, a_quick=0, b_stuck=300, c_waiting=0)
    base = tmp_path / "reports"
    batch = subprocess.Popen(
        [sys.executable, "-m", "workbook.cli", "batch", str(portfolio), "--out", str(base),
         "--dated", "--workers", "1"], stderr=subprocess.PIPE, text=True)
    assert batch.stderr is not None
    for line in batch.stderr:  # wait until the first run has completed
        if "[1/3]" in line:
            break
    while not (tmp_path / "b_stuck.pid").exists():  # and the second one is running
        assert batch.poll() is None
        time.sleep(0.1)
    os.kill(batch.pid, signal.SIGTERM)
    _, rest = batch.communicate(timeout=60)
    assert batch.returncode == 128 + signal.SIGTERM, rest
    assert "cancelled by SIGTERM" in rest
    (out,) = base.iterdir()  # the dated folder; no latest link for an unfinished batch
    summary = read_summary(out)
    assert {k: v["status"] for k, v in summary.items()} == {
        "a_quick": "ok", "b_stuck": "cancelled", "c_waiting": "cancelled"}
    assert json.loads((out / "a_quick" / "sleepy.results.json").read_text())["slept_seconds"] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["status"] for r in manifest["runs"]] == ["ok", "cancelled", "cancelled"]
    assert "a_quick/sleepy.html" in (out / "index.html").read_text()
    assert process_gone(int((tmp_path / "b_stuck.pid").read_text()))
    assert not (out / "b_stuck").exists() and no_temporary_files(out)


def test_latest_link_switches_atomically_between_batches(tmp_path: Path) -> None:
    first, second = tmp_path / "2026-11-21", tmp_path / "2026-11-22"
    first.mkdir()
    second.mkdir()
    link = point_latest(tmp_path, first)
    assert os.readlink(link) == "2026-11-21" and link.resolve() == first
    point_latest(tmp_path, second)
    assert os.readlink(link) == "2026-11-22"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-21", "2026-11-22", "latest"]


def test_a_real_latest_folder_is_refused_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "latest").mkdir()
    with pytest.raises(BatchError, match="not a link"):
        check_latest_link(tmp_path)
    done = workbook("batch", NOTEBOOKS.parent / "scenarios" / "portfolio.yaml", "--out",
                    tmp_path, "--dated")
    assert done.returncode == 2 and "not a link" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["latest"]


def record(scenario: str, status: str, **headline: float) -> RunRecord:
    return RunRecord(notebook="01-service-roi.ipynb", scenario=scenario, status=status,
                     duration_seconds=1.0, parameters={}, scenario_file=f"{scenario}.yaml",
                     headline=headline)


def test_index_charts_only_runs_with_numbers_and_tables_every_run(tmp_path: Path) -> None:
    runs = [record("a", "ok", npv=10.0, npv_p10=-5.0, npv_p50=9.0, npv_p90=30.0,
                   probability_npv_positive=0.8),
            record("b", "ok", npv=-4.0),
            record("c", "timeout")]
    table = headline_table(runs)
    assert table.index.tolist() == ["a", "b"]
    assert table.loc["a", "npv_p90"] == 30.0 and pd.isna(table.loc["b", "npv_p10"])
    page = index_html(runs, tmp_path, "Batch")
    assert page.count("* plotly.js v") == 1 and page.count('class="plotly-graph-div"') == 2
    assert "80.0 %" in page  # the probability table, for the run that has one
    assert '<tr class="timeout">' in page and "2 ok, 1 timeout" in page
