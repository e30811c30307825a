"""`workbook run` as a scheduled job runs it: a subprocess, files on disk, exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from workbook.core.paths import NOTEBOOKS
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.run.results import RESULTS_MIMETYPE

ROI_NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"


def workbook(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def report(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("report")
    params = out.parent / "params.yaml"
    params.write_text("horizon_years: 3\nspend_uplift_excellent_service: 0.05\n")
    done = workbook("run", ROI_NOTEBOOK, "-f", params,
                    "-p", "spend_uplift_excellent_service", "0.12", "--out", out)
    return out, done


def test_run_writes_notebook_html_and_results(report) -> None:
    out, done = report
    assert done.returncode == 0, done.stderr
    for name in ("01-service-roi.ipynb", "01-service-roi.html", "01-service-roi.results.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob(".*.tmp*")), "temporary files left behind"


def test_results_equal_the_package_for_the_same_parameters(report) -> None:
    out, _ = report
    results = json.loads((out / "01-service-roi.results.json").read_text())
    # -p wins over the file; the file's horizon applies
    expected = compute_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.12,
                                                    horizon_years=3))
    assert results["npv"] == pytest.approx(expected.npv, rel=1e-12)
    assert results["roi"] == pytest.approx(expected.roi, rel=1e-12)
    assert results["payback_months"] == pytest.approx(expected.payback_months, rel=1e-12)
    assert results["parameters"]["spend_uplift_excellent_service"] == 0.12
    assert results["parameters"]["horizon_years"] == 3
    assert results["workbook_version"]


def test_html_report_has_no_code_but_has_charts_and_sources(report) -> None:
    out, _ = report
    html = (out / "01-service-roi.html").read_text()
    for code in ("params_from_namespace", "publish_results(", "plot_value_drivers(result)",
                 "hl-ipython3"):
        assert code not in html, code
    assert html.count('class="plotly-graph-div"') == 7  # value, risk and sensitivity charts
    assert "American Express Global Customer Service Barometer" in html
    assert RESULTS_MIMETYPE not in html


def test_unknown_parameter_fails_before_running(tmp_path: Path) -> None:
    done = workbook("run", ROI_NOTEBOOK, "-p", "spend_uplift_excelent_service", "0.2",
                    "--out", tmp_path / "x")
    assert done.returncode == 2
    assert "spend_uplift_excelent_service" in done.stderr
    assert "did you mean spend_uplift_excellent_service" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("name", "value", "fragment"), [
    ("spend_uplift_excellent_service", "1.5", "fraction from 0 to 1"),
    ("spend_uplift_excellent_service", "12%", "not a percent"),
    ("customers", "many", "a number"),
])
def test_invalid_value_fails_before_running(tmp_path: Path, name: str, value: str,
                                            fragment: str) -> None:
    done = workbook("run", ROI_NOTEBOOK, "-p", name, value, "--out", tmp_path / "x")
    assert done.returncode == 2
    assert name in done.stderr and fragment in done.stderr
    assert not (tmp_path / "x").exists()


def test_bad_parameters_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("- just\n- a list\n")
    done = workbook("run", ROI_NOTEBOOK, "-f", bad, "--out", tmp_path / "x")
    assert done.returncode == 2 and str(bad) in done.stderr


def test_missing_notebook_is_exit_2(tmp_path: Path) -> None:
    done = workbook("run", tmp_path / "nope.ipynb", "--out", tmp_path / "x")
    assert done.returncode == 2 and "no such notebook" in done.stderr


def test_output_may_not_overwrite_the_notebook(tmp_path: Path) -> None:
    copy = tmp_path / "01-service-roi.ipynb"
    shutil.copy(ROI_NOTEBOOK, copy)
    before = copy.read_bytes()
    done = workbook("run", copy, "--out", tmp_path)
    assert done.returncode == 2 and "overwrite" in done.stderr
    assert copy.read_bytes() == before


def test_failing_cell_keeps_partial_notebook_and_removes_stale_report(tmp_path: Path) -> None:
    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                     "display_name": "Python 3"}})
    notebook.cells = [
        new_code_cell("factor: float = 2.0  # a number", metadata={"tags": ["parameters"]}),
        new_code_cell("print('first cell ran')"),
        new_code_cell("raise RuntimeError(f'broken on purpose {factor}')"),
    ]
    source = tmp_path / "broken.ipynb"
    nbformat.write(notebook, source)
    out = tmp_path / "out"
    out.mkdir()
    (out / "broken.results.json").write_text("{}")  # from an earlier, successful run
    done = workbook("run", source, "-p", "factor", "3", "--out", out)
    assert done.returncode == 1
    assert "RuntimeError" in done.stderr and "broken on purpose 3.0" in done.stderr
    executed = nbformat.read(out / "broken.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("first cell ran" in o.get("text", "") for o in outputs)
    assert any(o.get("ename") == "RuntimeError" for o in outputs)
    assert not (out / "broken.results.json").exists()


def test_params_lists_the_notebook_parameters() -> None:
    done = workbook("params", ROI_NOTEBOOK)
    assert done.returncode == 0
    assert "spend_uplift_excellent_service (Optional[float])" in done.stdout


def test_assumptions_lists_sources() -> None:
    done = workbook("assumptions")
    assert done.returncode == 0
    assert "White House Office of Consumer Affairs" in done.stdout


def test_every_model_behind_a_notebook_checks_its_values_before_running(tmp_path: Path) -> None:
    # notebook 06 feeds five models; a bad decay or ROI value must fail before any cell runs
    quality = NOTEBOOKS / "06-service-quality.ipynb"
    for name, value in (("service_quality_half_life_years", "-1"), ("customers", "0"),
                        ("drucker_satisfy_min_gap", "1")):
        done = workbook("run", quality, "-p", name, value, "--out", tmp_path / name)
        assert done.returncode == 2, (name, done.stderr)
        assert name in done.stderr
        assert not (tmp_path / name).exists()
