"""Customer value and win-back declared once, and the analysis notebook 03 and the tab share."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from workbook.core.declare import Params
from workbook.data.load import load_customer_data
from workbook.data.schema import HISTORY_COLUMNS
from workbook.models.loyalty.ladder import LadderParams, assign_stages
from workbook.models.value import (
    CUSTOMER_VALUE,
    ClvParams,
    compute_customer_value,
    value_by_stage,
)
from workbook.models.value.analysis import (
    analyse_customer_value,
    customer_summary,
    value_customers,
)
from workbook.models.value.winback import WINBACK, WinbackParams, compute_winback_campaign


@pytest.fixture(scope="module")
def snapshot() -> pd.DataFrame:
    return assign_stages(load_customer_data())


@pytest.mark.parametrize("params_type", [ClvParams, WinbackParams])
def test_every_registry_backed_field_is_named_as_its_registry_key(params_type: type) -> None:
    assert issubclass(params_type, Params)
    for field in dataclasses.fields(params_type):
        assert field.metadata.get("assumption") in (None, field.name)


def test_the_summary_is_the_buyers_history(snapshot: pd.DataFrame) -> None:
    summary = customer_summary(snapshot)
    assert tuple(summary.columns) == HISTORY_COLUMNS
    assert len(summary) == int((snapshot["purchase_days"] > 0).sum())


def test_one_call_values_the_customers_per_stage_and_plans_the_campaign(
        snapshot: pd.DataFrame) -> None:
    winback_params = WinbackParams(winback_cost_per_contact=40.0)
    analysis = value_customers(snapshot, ClvParams(), winback_params)
    value = compute_customer_value(customer_summary(snapshot))
    campaign = compute_winback_campaign(value, winback_params, snapshot["stage"])
    assert analysis.headline() == {**value.headline(), **campaign.headline()}
    assert CUSTOMER_VALUE.headline is not None and WINBACK.headline is not None
    assert analysis.headline() == {**CUSTOMER_VALUE.headline(value),
                                   **WINBACK.headline(campaign)}
    pd.testing.assert_frame_equal(analysis.stage_value, value_by_stage(value, snapshot["stage"]))

    cheaper = analysis.with_winback(WinbackParams())
    assert cheaper.value is analysis.value  # no refit
    assert cheaper.winback.contacts == compute_winback_campaign(
        value, WinbackParams(), snapshot["stage"]).contacts != analysis.winback.contacts

    stricter = assign_stages(load_customer_data(), LadderParams(ladder_lost_after_days=90))
    regrouped = analysis.with_stages(stricter["stage"])
    assert regrouped.value is analysis.value
    assert regrouped.winback.ladder_lost_customers == int((stricter["stage"] == "lost").sum())
    assert regrouped.winback.params == winback_params


def test_the_notebook_analysis_records_every_input() -> None:
    ladder_params = LadderParams(ladder_lost_after_days=365)
    analysis = analyse_customer_value(ladder_params, winback_params=WinbackParams(max_contacts=5))
    parameters = analysis.parameters()
    assert parameters["ladder_lost_after_days"] == 365 and parameters["max_contacts"] == 5
    assert parameters["as_of"] == "2025-12-31" and parameters["column_map"] == ""
    assert set(parameters) == {*ladder_params.to_dict(), *ClvParams().to_dict(),
                               *WinbackParams().to_dict(), "transactions", "as_of",
                               "column_map"}
    assert analysis.winback.contacts == 5
    assert analysis.headline_text().count("\n") == 7  # four lines each
