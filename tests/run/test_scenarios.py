"""Scenario and portfolio files: loading, refusals that name the file and key, run planning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.paths import NOTEBOOKS, REPO_ROOT
from workbook.core.registry import get_assumption
from workbook.run.scenarios import ScenarioError, load_portfolio, load_scenario, plan_runs

SCENARIOS = REPO_ROOT / "scenarios"
ROI_NOTEBOOK = NOTEBOOKS / "01-service-roi.ipynb"

# notebook parameter -> registry key of its default (the uncertain ROI inputs)
UNCERTAIN_ROI_INPUTS = {
    "spend_uplift_excellent_service": "spend_uplift_excellent_service",
    "retention_uplift_rate": "retention_uplift_rate",
    "excellent_service_share": "excellent_service_share",
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def portfolio_with(tmp_path: Path, *scenarios: tuple[str, str]) -> Path:
    for name, text in scenarios:
        write(tmp_path / f"{name}.yaml", text)
    return write(tmp_path / "portfolio.yaml",
                 f"notebooks:\n  - {ROI_NOTEBOOK}\nscenarios:\n  - '*.yaml'\n")


def test_baseline_scenario_keeps_every_registry_default() -> None:
    scenario = load_scenario(SCENARIOS / "baseline.yaml")
    assert scenario.name == "baseline" and scenario.parameters == {}


@pytest.mark.parametrize(("file", "bound"), [("conservative.yaml", "low"),
                                             ("optimistic.yaml", "high")])
def test_shipped_scenarios_take_the_registry_range(file: str, bound: str) -> None:
    scenario = load_scenario(SCENARIOS / file)
    expected = {name: getattr(get_assumption(key), bound)
                for name, key in UNCERTAIN_ROI_INPUTS.items()}
    assert scenario.parameters == pytest.approx(expected, abs=0)
    assert scenario.description


def test_default_portfolio_plans_the_shipped_scenarios_as_valid_roi_runs() -> None:
    """Scenarios a user saved from the dashboard may sit beside the shipped ones."""
    portfolio = load_portfolio(SCENARIOS / "portfolio.yaml")
    planned = {r.scenario.name: r for r in plan_runs(portfolio)}
    assert {"baseline", "conservative", "optimistic", "measured"} <= planned.keys()
    for name in ("baseline", "conservative", "optimistic", "measured"):
        assert planned[name].valid and planned[name].notebook == ROI_NOTEBOOK


def test_glob_skips_the_portfolio_file_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "roi.ipynb").write_bytes(ROI_NOTEBOOK.read_bytes())
    write(tmp_path / "a.yaml", "name: a\nparameters: {customers: 500}\n")
    path = write(tmp_path / "portfolio.yaml", "notebooks: [nb/roi.ipynb]\nscenarios: ['*.yaml']\n")
    portfolio = load_portfolio(path)
    assert portfolio.notebooks == ((tmp_path / "nb" / "roi.ipynb").resolve(),)
    assert [s.name for s in portfolio.scenarios] == ["a"]


def test_unknown_key_marks_only_that_scenario_failed(tmp_path: Path) -> None:
    path = portfolio_with(tmp_path, ("good", "name: good\nparameters:\n  horizon_years: 3\n"),
                          ("typo", "name: typo\nparameters:\n"
                                   "  spend_uplift_excelent_service: 0.2\n"))
    planned = {r.scenario.name: r for r in plan_runs(load_portfolio(path))}
    assert planned["good"].valid and planned["good"].parameters == {"horizon_years": 3}
    error = planned["typo"].error
    assert error is not None
    assert str(tmp_path / "typo.yaml") in error and "spend_uplift_excelent_service" in error
    assert "did you mean spend_uplift_excellent_service" in error


def test_out_of_range_value_names_file_and_key(tmp_path: Path) -> None:
    path = portfolio_with(tmp_path, ("wild", "name: wild\nparameters:\n"
                                             "  spend_uplift_excellent_service: 1.5\n"))
    (run,) = plan_runs(load_portfolio(path))
    assert not run.valid
    assert (str(tmp_path / "wild.yaml") in run.error
            and "spend_uplift_excellent_service" in run.error)
    assert "fraction from 0 to 1" in run.error


@pytest.mark.parametrize(("text", "fragment"), [
    ("name: [unclosed\n", "not valid YAML"),
    ("- a list\n", "expected a mapping"),
    ("name: ../escape\n", "key name"),
    ("parameters: {}\n", "key name"),
    ("name: x\nparameter: {}\n", "key parameter: unknown"),
    ("name: x\nparameters: [1, 2]\n", "key parameters"),
])
def test_broken_scenario_file_is_refused_naming_it(tmp_path: Path, text: str,
                                                   fragment: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ScenarioError, match=re.escape("bad.yaml")) as caught:
        load_scenario(path)
    assert fragment in str(caught.value)


def test_broken_scenario_file_fails_its_runs_not_the_portfolio(tmp_path: Path) -> None:
    path = portfolio_with(tmp_path, ("ok", "name: ok\n"), ("bad", "name: [unclosed\n"))
    planned = {r.scenario.name: r for r in plan_runs(load_portfolio(path))}
    assert planned["ok"].valid
    assert "bad.yaml" in planned["bad"].error and "not valid YAML" in planned["bad"].error


@pytest.mark.parametrize(("text", "fragment"), [
    ("notebooks: [missing.ipynb]\nscenarios: ['*.yaml']\n", "no such file"),
    (f"notebooks: ['{ROI_NOTEBOOK}']\nscenarios: ['none-*.yaml']\n", "matches no file"),
    (f"notebooks: ['{ROI_NOTEBOOK}']\n", "key scenarios"),
    ("scenarios: ['*.yaml']\n", "key notebooks"),
    ("notebooks: [unclosed\n", "not valid YAML"),
])
def test_broken_portfolio_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path / "a.yaml", "name: a\n")
    path = write(tmp_path / "portfolio.yaml", text)
    with pytest.raises(ScenarioError, match=fragment):
        load_portfolio(path)


def test_two_scenarios_with_one_name_are_refused(tmp_path: Path) -> None:
    path = portfolio_with(tmp_path, ("a", "name: same\n"), ("b", "name: same\n"))
    with pytest.raises(ScenarioError, match="'same' is used by both"):
        load_portfolio(path)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,30}", fullmatch=True),
       st.floats(0, 1, allow_nan=False))
def test_safe_names_and_values_round_trip(tmp_path_factory: pytest.TempPathFactory, name: str,
                                          share: float) -> None:
    path = tmp_path_factory.mktemp("s") / "s.yaml"
    path.write_text(yaml.safe_dump({"name": name,
                                    "parameters": {"excellent_service_share": share}}))
    scenario = load_scenario(path)
    assert scenario.name == name
    assert scenario.parameters == {"excellent_service_share": share}


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(max_size=10), st.sampled_from(["/", "..", "\\", "../"]), st.text(max_size=10))
def test_path_like_names_are_refused(tmp_path_factory: pytest.TempPathFactory, before: str,
                                     separator: str, after: str) -> None:
    path = tmp_path_factory.mktemp("s") / "s.yaml"
    path.write_text(yaml.safe_dump({"name": before + separator + after}), encoding="utf-8")
    with pytest.raises(ScenarioError, match="key name"):
        load_scenario(path)
