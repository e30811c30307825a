"""Golden results: the numbers every notebook publishes and every dashboard shows on sample data.

Recorded before the redesign of issue 11 (one declaration per model) and kept as the proof that
restructuring changed no number. A notebook's ``.results.json`` headline must match to the bit;
its recorded parameters must match too, under the one-time renames listed in :data:`RENAMED`
(parameters now carry their registry names). A dashboard's KPI cards must read the same.

Regenerate only when a number is *meant* to change, and say why in the commit:
``python -m tests.golden.test_golden --write``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).with_name("data")
REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
VOLATILE = {"generated_at", "workbook_version"}

RENAMED: Mapping[str, str] = {
    old: new
    for part in sorted((Path(__file__).with_name("renames")).glob("*.json"))
    for old, new in json.loads(part.read_text()).items()
}
"""Old parameter name → new one (the golden files keep the old names), one file per domain."""


def portable(value: Any) -> Any:
    """``value`` with this clone's location written ``<repo>`` (sample-data paths are recorded)."""
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, str) and value.startswith(f"{REPO}/"):
        return "<repo>/" + value[len(f"{REPO}/"):]
    return value


def notebook_results(path: Path, out_dir: Path) -> dict[str, Any]:
    """Run ``path`` with its defaults as ``workbook run`` does; the results minus volatile keys."""
    from workbook.run.runner import run_notebook

    outcome = run_notebook(path, out_dir)
    assert outcome.error is None, f"{path.name}: {outcome.error}"
    return portable({k: v for k, v in json.loads(outcome.results_path.read_text()).items()
                     if k not in VOLATILE})


def dashboard_kpis() -> dict[str, dict[str, str]]:
    """Every dashboard's KPI cards (their HTML) as built with the defaults on sample data."""
    from workbook.ui import LoyaltyApp, RecoveryApp, ResponsivenessApp, RoiApp

    shown: dict[str, dict[str, str]] = {}
    for app_type in (RoiApp, LoyaltyApp, RecoveryApp, ResponsivenessApp):
        app = app_type()
        shown[app_type.__name__] = {name: card.value for name, card in app.kpi.items()}
    return shown


def renamed(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {RENAMED.get(k, k): v for k, v in parameters.items()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_results_unchanged(path: Path, tmp_path: Path) -> None:
    expected = json.loads((GOLDEN / f"{path.stem}.json").read_text())
    actual = notebook_results(path, tmp_path)
    assert {k: v for k, v in actual.items() if k != "parameters"} == {
        k: v for k, v in expected.items() if k != "parameters"}
    assert actual["parameters"] == renamed(expected["parameters"])


def test_dashboard_kpis_unchanged() -> None:
    expected = json.loads((GOLDEN / "dashboards.json").read_text())
    assert dashboard_kpis() == expected


def _write() -> None:  # pragma: no cover - run by hand only
    import tempfile

    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for path in NOTEBOOKS:
            record = notebook_results(path, Path(tmp) / path.stem)
            (GOLDEN / f"{path.stem}.json").write_text(json.dumps(record, indent=2) + "\n")
    (GOLDEN / "dashboards.json").write_text(json.dumps(dashboard_kpis(), indent=2) + "\n")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
