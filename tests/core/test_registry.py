"""The registry: every figure has a source, a unit and a value inside its range."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from workbook.core.paths import REPO_ROOT
from workbook.core.registry import ASSUMPTIONS, assumptions_table, default, get_assumption
from workbook.models.roi.service_roi import ServiceRoiParams

FACTS_NAME = "service-facts.md"
SHARED_DIR_VARIABLE = "WORKBOOK_SHARED_DIR"
"""Names the folder of the shared texts when it is not the repository's sibling ``shared/``."""


def facts_path() -> Path | None:
    """``service-facts.md`` as CI lays it out, or ``None`` where it truly is absent.

    ``$WORKBOOK_SHARED_DIR/service-facts.md`` when the variable is set (then it must exist);
    otherwise ``shared/`` beside the repository (``/work/main`` → ``/work/shared``), found from
    this file and from the installed package, which differ when the package is not editable.
    """
    named = os.environ.get(SHARED_DIR_VARIABLE)
    if named:
        path = Path(named).expanduser() / FACTS_NAME
        assert path.is_file(), f"{SHARED_DIR_VARIABLE}={named}: no {FACTS_NAME} there"
        return path
    here = Path(__file__).resolve().parents[2]  # tests/core/ -> the repository
    for repo in dict.fromkeys((here, REPO_ROOT)):
        path = repo.parent / "shared" / FACTS_NAME
        if path.is_file():
            return path
    return None


@pytest.mark.parametrize("key", sorted(ASSUMPTIONS))
def test_entry_has_source_unit_and_value_in_range(key: str) -> None:
    a = ASSUMPTIONS[key]
    assert a.key == key
    assert a.source.strip(), f"{key} has no source"
    assert a.unit.strip(), f"{key} has no unit"
    assert a.label.strip(), f"{key} has no label"
    assert a.low <= a.value <= a.high, f"{key}: {a.value} outside [{a.low}, {a.high}]"
    assert a.range_basis in {"source", "judgement"}


def test_every_figure_of_the_service_facts_is_registered() -> None:
    facts = facts_path()
    if facts is None:
        pytest.skip(f"no shared/{FACTS_NAME} beside the repository "
                    f"({Path(__file__).resolve().parents[3]}) and {SHARED_DIR_VARIABLE} unset")
    keys = re.findall(r"^\| `([a-z0-9_]+)` \|", facts.read_text(), flags=re.M)
    assert len(keys) >= 15
    missing = [k for k in keys if k not in ASSUMPTIONS]
    assert not missing, f"figures of service-facts.md missing from the registry: {missing}"


def test_figures_from_the_texts_name_their_seed_file() -> None:
    for key in ("spend_uplift_excellent_service", "acquisition_to_retention_cost_ratio",
                "happy_customer_tells", "pareto_revenue_share", "winback_vs_new_odds"):
        assert re.fullmatch(r"00[0-4]", ASSUMPTIONS[key].seed), key


def test_source_ranges_are_the_texts_ranges() -> None:
    # "a happy customer tells 3 to 5 people"; "an unhappy customer tells 10 to 15"
    assert (get_assumption("happy_customer_tells").low,
            get_assumption("happy_customer_tells").high) == (3, 5)
    assert (get_assumption("unhappy_customer_tells").low,
            get_assumption("unhappy_customer_tells").high) == (10, 15)
    assert get_assumption("spend_uplift_excellent_service").value == 0.09
    assert get_assumption("acquisition_to_retention_cost_ratio").value == 5


def test_unknown_key_lists_known_ones() -> None:
    with pytest.raises(KeyError, match=r"known: .*spend_uplift_excellent_service"):
        get_assumption("spend_uplift")


def test_model_defaults_come_from_the_registry() -> None:
    params = ServiceRoiParams()
    for f in dataclasses.fields(ServiceRoiParams):
        key = f.metadata.get("assumption")
        if key:
            assert getattr(params, f.name) == default(key), f.name


def test_table_has_one_row_per_assumption() -> None:
    table = assumptions_table()
    assert len(table) == len(ASSUMPTIONS)
    assert {"value", "low", "high", "unit", "source"} <= set(table.columns)
    assert list(assumptions_table(["customers"]).index) == ["customers"]
