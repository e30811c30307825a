"""pyproject.toml and environment.yml list the same dependencies with the same pins."""

from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement

from workbook.core.paths import REPO_ROOT

CONDA_ONLY = {"python", "pip"}
CONDA_NAMES = {"ibis-duckdb": "ibis-framework"}
"""conda-forge packages that stand for a pip requirement with an extra: conda has no extras,
and ``ibis-duckdb`` is conda-forge's ibis-framework with the DuckDB backend."""


def _normalise(requirement: str) -> tuple[str, str]:
    parsed = Requirement(requirement)
    name = parsed.name.lower().replace("_", "-")
    return name, str(parsed.specifier)


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return dict(_normalise(r) for r in requirements)


def _environment() -> dict[str, str]:
    spec = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    entries = [d for d in spec["dependencies"] if isinstance(d, str)]
    pairs = dict(_normalise(e.replace(" ", "")) for e in entries)
    return {CONDA_NAMES.get(name, name): pin for name, pin in pairs.items()
            if name not in CONDA_ONLY}


def test_environment_uses_conda_package_names() -> None:
    """Conda cannot read pip extras such as ``ibis-framework[duckdb]``."""
    spec = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert not [d for d in spec["dependencies"] if isinstance(d, str) and "[" in d]


def test_same_packages_and_pins() -> None:
    pyproject, environment = _pyproject(), _environment()
    assert pyproject.keys() == environment.keys(), (
        f"only in pyproject.toml: {sorted(pyproject.keys() - environment.keys())}; "
        f"only in environment.yml: {sorted(environment.keys() - pyproject.keys())}"
    )
    different = {n: (pyproject[n], environment[n]) for n in pyproject
                 if pyproject[n] != environment[n]}
    assert not different, f"pins differ (pyproject, environment): {different}"


def test_environment_installs_the_package_itself() -> None:
    spec = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in spec["dependencies"] if isinstance(d, dict)]
    assert any("-e ." in section for section in pip_sections)
