"""`workbook batch` as a scheduled job runs it: a subprocess, files on disk, exit statuses.

Four real notebook runs in all (each costs a kernel start): two ROI runs in one batch, two runs
of a tiny notebook in another.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from workbook.batch import data_file_checksums, run_batch
from workbook.paths import NOTEBOOKS
from workbook.roi import ServiceRoiParams, compute_service_roi

ROI_NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"


def workbook(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False)


def read_summary(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", newline="") as stream:
        return {row["scenario"]: row for row in csv.DictReader(stream)}


SCENARIOS = {
    "custom": {"spend_uplift_rate": 0.12, "horizon_years": 3},
    "conservative": {"spend_uplift_rate": 0.03, "retention_uplift_rate": 0.0,
                     "excellent_service_share": 0.1},
}


@pytest.fixture(scope="module")
def roi_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    import yaml

    folder = tmp_path_factory.mktemp("portfolio")
    for name, parameters in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(
            {"name": name, "description": "test", "parameters": parameters}))
    (folder / "broken.yaml").write_text("name: broken\nparameters:\n  spend_uplfit_rate: 0.2\n")
    (folder / "portfolio.yaml").write_text(
        f"notebooks: ['{ROI_NOTEBOOK}']\nscenarios: ['*.yaml']\n")
    out = folder.parent / "roi-out"
    done = workbook("batch", folder / "portfolio.yaml", "--out", out, "--workers", "2")
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
        new_code_cell("from workbook.results import publish_results\n"
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
        assert checksum["sha256"] == hashlib.sha256((tmp_path / "data.csv").read_bytes()).hexdigest()
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
