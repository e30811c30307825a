"""The dashboard's scenario panel, driven without a browser: save, confirm, load, batch."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.paths import NOTEBOOKS
from workbook.run.batch import run_batch
from workbook.run.scenarios import (
    MAX_NAME_LENGTH,
    SCENARIOS_DIR,
    ScenarioError,
    load_portfolio,
    sanitise_scenario_name,
    scenario_file,
)
from workbook.ui import RoiApp
from workbook.ui.scenario_panel import REPLACE_LABEL, SAVE_LABEL, ScenarioPanel

ROI_NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"


@pytest.fixture(scope="module")
def app() -> RoiApp:
    return RoiApp()


@pytest.fixture
def panel(app: RoiApp, tmp_path: Path) -> ScenarioPanel:
    app.reset()
    (tmp_path / "scenarios").mkdir()
    return ScenarioPanel(app, folder=tmp_path / "scenarios")


def saved(panel: ScenarioPanel, name: str, note: str = "") -> Path | None:
    panel.name.value, panel.note.value = name, note
    panel.save_button.click()
    return scenario_file(panel.folder, name) if "Saved" in panel.status.value or (
        "Replaced" in panel.status.value) else None


def test_saved_scenario_runs_in_a_batch_and_reproduces_the_dashboard(panel, app) -> None:
    app.set_values({"spend_uplift_excellent_service": 0.123, "upfront_investment": 275_000.0,
                    "customers": 12_000})
    path = saved(panel, "Bolder uplift", "What if spend rises 12.3 %?")
    assert path == panel.folder / "bolder-uplift.yaml"
    data = yaml.safe_load(path.read_text())
    assert data == {"name": "bolder-uplift", "description": "What if spend rises 12.3 %?",
                    "parameters": {"spend_uplift_excellent_service": 0.123,
                                   "upfront_investment": 275_000.0, "customers": 12_000}}
    portfolio = panel.folder / "portfolio.yaml"
    portfolio.write_text(f"notebooks: ['{ROI_NOTEBOOK}']\nscenarios: ['*.yaml']\n")
    result = run_batch(portfolio, panel.folder.parent / "out", workers=1)
    (run,) = result.runs
    assert run.ok, run.error
    results = json.loads((result.out_dir / "bolder-uplift" / "01-service-roi.results.json")
                         .read_text())
    assert results["npv"] == pytest.approx(app.result.npv, rel=1e-12)
    assert results["roi"] == pytest.approx(app.result.roi, rel=1e-12)
    assert results["probability_npv_positive"] == pytest.approx(
        app.simulation.probability_npv_positive, abs=0)


def test_the_default_portfolio_picks_up_saved_scenarios() -> None:
    patterns = yaml.safe_load((SCENARIOS_DIR / "portfolio.yaml").read_text())["scenarios"]
    assert any(fnmatch("bolder-uplift.yaml", pattern) for pattern in patterns)
    assert "portfolio" not in [s.name for s in load_portfolio(SCENARIOS_DIR / "portfolio.yaml")
                               .scenarios]


def test_roi_dashboard_hosts_the_panel_on_the_repository_scenarios(app: RoiApp) -> None:
    assert app.scenario_panel.folder == SCENARIOS_DIR
    assert {"baseline", "conservative", "optimistic"} <= set(app.scenario_panel.choice.options)


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", "/etc/cron.d/x", "a\\b",
                                  "portfolio", "", "!!!", "x" * (MAX_NAME_LENGTH + 1)])
def test_path_escaping_and_bad_names_are_refused(panel: ScenarioPanel, name: str) -> None:
    assert saved(panel, name) is None
    assert "Not saved" in panel.status.value and "Traceback" not in panel.status.value
    assert list(panel.folder.iterdir()) == []
    assert not (panel.folder.parent / "escape.yaml").exists()


def test_a_link_out_of_the_folder_is_refused(panel: ScenarioPanel, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    (panel.folder / "planted.yaml").symlink_to(outside)
    assert saved(panel, "planted") is None and not outside.exists()


def test_overwriting_needs_a_second_click(panel: ScenarioPanel, app: RoiApp) -> None:
    app.set_values({"spend_uplift_excellent_service": 0.12})
    path = saved(panel, "mine")
    app.set_values({"spend_uplift_excellent_service": 0.05})
    assert saved(panel, "mine") is None
    assert panel.save_button.description == REPLACE_LABEL and "exists" in panel.status.value
    assert yaml.safe_load(path.read_text())["parameters"] == {
        "spend_uplift_excellent_service": 0.12}
    panel.name.value = "other"  # a new name disarms the button
    assert panel.save_button.description == SAVE_LABEL
    panel.name.value = "mine"
    panel.save_button.click()
    panel.save_button.click()
    assert yaml.safe_load(path.read_text())["parameters"] == {
        "spend_uplift_excellent_service": 0.05}
    assert panel.save_button.description == SAVE_LABEL and "Replaced" in panel.status.value


def test_load_brings_the_sliders_back(panel: ScenarioPanel, app: RoiApp) -> None:
    app.set_values({"spend_uplift_excellent_service": 0.11, "horizon_years": 3})
    saved(panel, "round-trip", "a note")
    npv = app.result.npv
    app.reset()
    assert app.result.npv != npv
    panel.choice.value = "round-trip"
    panel.load_button.click()
    assert app.sliders["spend_uplift_excellent_service"].value == 0.11
    assert app.sliders["horizon_years"].value == 3
    assert app.result.npv == npv and panel.note.value == "a note"


def test_unknown_keys_and_bad_values_are_messages(panel: ScenarioPanel, app: RoiApp) -> None:
    (panel.folder / "typo.yaml").write_text(
        "name: typo\nparameters: {spend_uplift_excelent_service: 0.2, horizon_years: 4}\n")
    (panel.folder / "wild.yaml").write_text(
        "name: wild\nparameters: {spend_uplift_excellent_service: 1.5}\n")
    panel.refresh_choices()
    assert panel.load("typo")
    assert ("spend_uplift_excelent_service" in panel.status.value
            and app.sliders["horizon_years"].value == 4)
    before = app.current_values()
    assert not panel.load("wild")
    assert ("spend_uplift_excellent_service" in panel.status.value
            and "Traceback" not in panel.status.value)
    assert app.current_values() == before
    assert not panel.load("missing") and "No saved scenario" in panel.status.value


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_sanitised_names_are_safe_file_names(text: str) -> None:
    try:
        name = sanitise_scenario_name(text)
    except ScenarioError:
        return
    assert 1 <= len(name) <= MAX_NAME_LENGTH and name[0].isalnum()
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    assert scenario_file(SCENARIOS_DIR, text).parent == SCENARIOS_DIR
