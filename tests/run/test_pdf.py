"""PDF output: headless Chromium prints a report with its charts; no Chromium, no run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import workbook.run.pdf
from workbook.cli import main
from workbook.core.paths import NOTEBOOKS, REPO_ROOT
from workbook.run.batch import RunRecord
from workbook.run.index import index_html
from workbook.run.pdf import CHROMIUM, PdfError, html_to_pdf, require_chromium

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Debian's chromium is not at {CHROMIUM} "
    "(scripts/ensure-chromium installs it)")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@needs_chromium
def test_batch_index_with_charts_prints_to_pdf(tmp_path: Path) -> None:
    runs = [RunRecord(notebook="01-service-roi.ipynb", scenario=name, status="ok",
                      duration_seconds=1.0, parameters={}, scenario_file=f"{name}.yaml",
                      headline={"npv": npv, "npv_p10": npv - 100.0, "npv_p50": npv,
                                "npv_p90": npv + 100.0, "probability_npv_positive": 0.6})
            for name, npv in (("low", -50.0), ("high", 400.0))]
    page = tmp_path / "index.html"
    page.write_text(index_html(runs, tmp_path, "Batch"))
    pdf = html_to_pdf(page)
    data = pdf.read_bytes()
    assert pdf == tmp_path / "index.pdf" and data.startswith(b"%PDF-")
    assert page_count(data) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "index.pdf"]


@needs_chromium
def test_workbook_run_pdf_prints_the_report_beside_its_html(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["run", str(NOTEBOOKS / "01-service-roi.ipynb"), "--out", str(out), "--pdf",
                 "--quiet", "-p", "horizon_years", "3"]) == 0
    printed = capsys.readouterr().out.split()
    data = (out / "01-service-roi.pdf").read_bytes()
    assert str(out / "01-service-roi.pdf") in printed
    assert data.startswith(b"%PDF-") and page_count(data) > 1  # narrative, tables and charts
    assert not list(out.glob(".*"))


def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(workbook.run.pdf, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("PATH", str(tmp_path))


def test_missing_chromium_is_one_clear_error(monkeypatch, tmp_path: Path) -> None:
    no_chromium(monkeypatch, tmp_path)
    with pytest.raises(PdfError, match="apt-get install chromium"):
        require_chromium()


@pytest.mark.parametrize("command", [
    ["run", str(NOTEBOOKS / "01-service-roi.ipynb")],
    ["batch", str(REPO_ROOT / "scenarios" / "portfolio.yaml")],
])
def test_pdf_flag_without_chromium_exits_2_before_running(monkeypatch, tmp_path: Path, capsys,
                                                          command: list[str]) -> None:
    no_chromium(monkeypatch, tmp_path)
    out = tmp_path / "out"
    assert main([*command, "--out", str(out), "--pdf"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "Chromium" in error
    assert not out.exists()
