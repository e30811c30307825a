"""Scenarios and portfolios as data: small YAML files a batch run reads.

A scenario file holds ``name``, ``description`` and ``parameters``: the notebook parameters that
differ from the registry defaults. A portfolio file lists ``notebooks:`` (paths) and
``scenarios:`` (files or globs), both relative to the portfolio file; a glob never picks up the
portfolio file itself.

:func:`plan_runs` checks every scenario against every notebook's parameters before anything
runs (:func:`workbook.run.runner.inspect_notebook`,
:func:`workbook.run.runner.validate_parameters`). An unknown name or a bad value marks that
one (notebook, scenario) pair failed, with a message naming the scenario file and the key; the
valid pairs still run. A broken portfolio file (not YAML, a missing notebook, a glob that
matches nothing, two scenarios with one name) raises :class:`ScenarioError`: nothing runs.

:func:`save_scenario` writes a scenario file (the dashboard's "save scenario"): the name is
sanitised by :func:`sanitise_scenario_name`, the file can only land in the scenarios folder,
and an existing scenario is replaced only when asked (:class:`ScenarioExists` otherwise).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook.core.atomic import atomic_write_text
from workbook.core.paths import REPO_ROOT
from workbook.core.validation import ParameterError
from workbook.run.runner import RunError, inspect_notebook, validate_parameters

__all__ = [
    "MAX_NAME_LENGTH",
    "RESERVED_NAMES",
    "SCENARIOS_DIR",
    "PlannedRun",
    "Portfolio",
    "Scenario",
    "ScenarioError",
    "ScenarioExists",
    "list_scenarios",
    "load_portfolio",
    "load_scenario",
    "plan_runs",
    "sanitise_scenario_name",
    "save_scenario",
    "scenario_file",
]

SCENARIOS_DIR = REPO_ROOT / "scenarios"
"""The repository's scenarios, where the default portfolio (``portfolio.yaml``) looks."""

MAX_NAME_LENGTH = 48
"""Longest name a saved scenario may have (it is also a file and a folder name)."""

RESERVED_NAMES = frozenset({"portfolio"})
"""Names a saved scenario may not take: ``portfolio.yaml`` is the default portfolio."""

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""A scenario name is also a folder name: letters, digits, ``_``, ``.``, ``-``; no path."""


class ScenarioError(ValueError):
    """A scenario or portfolio file that cannot be used, naming the file and what is wrong."""


class ScenarioExists(ScenarioError):
    """Saving would replace an existing scenario, and replacing was not confirmed."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name}: a scenario of this name exists; confirm to replace it")
        self.path = path


@dataclass(frozen=True, slots=True)
class Scenario:
    """One scenario: its name (also its output folder), description and parameter values.

    ``problem`` is set when the file could not be read as a scenario; such a scenario runs
    nowhere and every run it belongs to is reported failed with that message.
    """

    name: str
    description: str
    parameters: dict[str, Any]
    path: Path
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Notebooks × scenarios to run, from one portfolio file."""

    path: Path
    notebooks: tuple[Path, ...]
    scenarios: tuple[Scenario, ...]


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """One (notebook, scenario) pair, checked: typed ``parameters``, or the ``error``."""

    notebook: Path
    scenario: Scenario
    parameters: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def valid(self) -> bool:
        """``True`` when the scenario's values passed the notebook's checks."""
        return self.error is None


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ScenarioError(f"{path}: not valid YAML{where}") from None


def _check_name(name: object, path: Path) -> str:
    if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise ScenarioError(
            f"{path}: key name: expected letters, digits, '_', '.' or '-' (at most 64, no "
            f"path); got {name!r}"
        )
    return name


def load_scenario(path: Path) -> Scenario:
    """Read one scenario file.

    Raises
    ------
    ScenarioError
        When the file is unreadable, not a mapping, has an unsafe or missing ``name``, an
        unknown top-level key, or ``parameters`` that is not a mapping of names to values.

    Examples
    --------
    >>> from workbook.core.paths import REPO_ROOT
    >>> scenario = load_scenario(REPO_ROOT / "scenarios" / "conservative.yaml")
    >>> scenario.name, len(scenario.parameters), scenario.parameters["retention_uplift_rate"]
    ('conservative', 3, 0.0)
    """
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{path}: expected a mapping with name, description, parameters")
    unknown = sorted(set(map(str, data)) - {"name", "description", "parameters"})
    if unknown:
        raise ScenarioError(f"{path}: key {unknown[0]}: unknown; expected name, description, "
                            "parameters")
    name = _check_name(data.get("name"), path)
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, Mapping) or not all(isinstance(k, str) for k in parameters):
        raise ScenarioError(f"{path}: key parameters: expected a mapping of parameter names "
                            "to values")
    return Scenario(name, str(data.get("description") or ""), dict(parameters), path)


def _scenario_or_problem(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as error:
        return Scenario(path.stem, "", {}, path, problem=str(error))


def _string_list(data: Mapping[str, Any], key: str, path: Path) -> list[str]:
    items = data.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise ScenarioError(f"{path}: key {key}: expected a non-empty list of paths")
    return items


def load_portfolio(path: Path) -> Portfolio:
    """Read a portfolio file: its notebooks and its scenarios (globs expanded, sorted).

    A scenario file that cannot be read does not stop the batch: it becomes a scenario with a
    ``problem`` (named after the file), whose runs are reported failed.

    Raises
    ------
    ScenarioError
        When the portfolio itself is unusable: unreadable, not YAML, missing ``notebooks`` or
        ``scenarios``, a notebook that does not exist, a pattern that matches no file, or two
        scenarios with the same name (their outputs would share a folder).
    """
    path = Path(path).resolve()
    data = _read_yaml(path)
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{path}: expected a mapping with notebooks and scenarios")
    base = path.parent
    notebooks = []
    for entry in _string_list(data, "notebooks", path):
        notebook = (base / entry).resolve()
        if not notebook.is_file():
            raise ScenarioError(f"{path}: notebook {entry}: no such file")
        notebooks.append(notebook)
    files: list[Path] = []
    for pattern in _string_list(data, "scenarios", path):
        matches = sorted(p.resolve() for p in base.glob(pattern) if p.is_file())
        matches = [m for m in matches if m != path and m not in files]
        if not matches and not any(p.resolve() == path for p in base.glob(pattern)):
            raise ScenarioError(f"{path}: scenarios {pattern}: matches no file")
        files += matches
    scenarios = [_scenario_or_problem(file) for file in files]
    seen: dict[str, Path] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            raise ScenarioError(f"{path}: scenario name {scenario.name!r} is used by both "
                                f"{seen[scenario.name]} and {scenario.path}")
        seen[scenario.name] = scenario.path
    return Portfolio(path, tuple(dict.fromkeys(notebooks)), tuple(scenarios))


def plan_runs(portfolio: Portfolio) -> list[PlannedRun]:
    """Every notebook × scenario, each checked against the notebook's parameters.

    Raises
    ------
    ScenarioError
        When a notebook cannot be inspected (no parameters cell, unreadable).
    """
    planned = []
    for notebook in portfolio.notebooks:
        try:
            spec = inspect_notebook(notebook)
        except RunError as error:
            raise ScenarioError(f"{portfolio.path}: {error}") from None
        for scenario in portfolio.scenarios:
            if scenario.problem is not None:
                planned.append(PlannedRun(notebook, scenario, error=scenario.problem))
                continue
            try:
                values = validate_parameters(spec, scenario.parameters)
            except (ParameterError, TypeError, ValueError) as error:
                key = getattr(error, "name", None)
                where = f"key {key}: " if key and not str(error).startswith(f"{key}:") else ""
                message = f"{scenario.path}: {where}{error}"
                planned.append(PlannedRun(notebook, scenario, error=message))
                continue
            planned.append(PlannedRun(notebook, scenario, values))
    return planned


def sanitise_scenario_name(name: str) -> str:
    """A typed name as a scenario name: lowercase letters, digits, ``-`` and ``_``.

    Spaces and other characters become ``-``; a name that names a path (``/``, ``\\``,
    ``..``), is empty, reserved or longer than :data:`MAX_NAME_LENGTH` is refused.

    Raises
    ------
    ScenarioError
        Saying what is wrong with the name.

    Examples
    --------
    >>> sanitise_scenario_name("  Cautious 2027 (Q1)! ")
    'cautious-2027-q1'
    >>> sanitise_scenario_name("../etc/passwd")
    Traceback (most recent call last):
    ...
    workbook.run.scenarios.ScenarioError: name '../etc/passwd': a scenario name cannot contain '/', '\\' or '..'
    """  # noqa: E501 (doctest output line)
    if any(part in name for part in ("/", "\\", "..")):
        raise ScenarioError(f"name {name!r}: a scenario name cannot contain '/', '\\' or '..'")
    clean = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()))
    clean = clean.strip("-_")
    if not clean:
        raise ScenarioError(f"name {name!r}: expected letters or digits")
    if len(clean) > MAX_NAME_LENGTH:
        raise ScenarioError(f"name {name!r}: expected at most {MAX_NAME_LENGTH} characters")
    if clean in RESERVED_NAMES:
        raise ScenarioError(f"name {name!r}: reserved ({clean}.yaml is not a scenario)")
    return clean


def scenario_file(folder: Path, name: str) -> Path:
    """The file a scenario called ``name`` (sanitised) is saved to: inside ``folder``, always.

    Raises
    ------
    ScenarioError
        For a name :func:`sanitise_scenario_name` refuses, or a path outside ``folder``.
    """
    folder = Path(folder).resolve()
    path = (folder / f"{sanitise_scenario_name(name)}.yaml").resolve()
    if path.parent != folder:  # e.g. a symbolic link planted in the folder
        raise ScenarioError(f"name {name!r}: the file would leave {folder}")
    return path


def save_scenario(
    folder: Path,
    name: str,
    description: str,
    parameters: Mapping[str, Any],
    *,
    replace: bool = False,
) -> Path:
    """Write a scenario file atomically; return its path.

    Parameters
    ----------
    folder
        The scenarios folder (:data:`SCENARIOS_DIR` for the default portfolio).
    name
        Typed name; saved as :func:`sanitise_scenario_name` makes it.
    description
        Free text (the dashboard's note).
    parameters
        The values that differ from the registry defaults.
    replace
        Overwrite an existing scenario of the same name.

    Raises
    ------
    ScenarioExists
        When the scenario exists and ``replace`` is false.
    ScenarioError
        For a refused name, or a file of that name that is not a scenario.
    """
    import yaml

    path = scenario_file(folder, name)
    if path.exists() or path.is_symlink():
        try:
            load_scenario(path)
        except ScenarioError:
            raise ScenarioError(f"{path}: exists and is not a scenario file; choose another "
                                "name") from None
        if not replace:
            raise ScenarioExists(path)
    data = {"name": path.stem, "description": description.strip(),
            "parameters": {k: _plain(v) for k, v in parameters.items()}}
    header = (f"# Saved on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Parameters not listed "
              "keep their registry defaults.\n")
    return atomic_write_text(path, header + yaml.safe_dump(data, sort_keys=False,
                                                           allow_unicode=True))


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers, so the YAML stays plain."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def list_scenarios(folder: Path) -> dict[str, Path]:
    """The readable scenario files in ``folder``, by scenario name (portfolios skipped)."""
    found: dict[str, Path] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except ScenarioError:
            continue
        found.setdefault(scenario.name, path)
    return found
