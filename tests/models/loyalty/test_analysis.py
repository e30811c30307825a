"""The loyalty model declared once, and the analysis notebook 02 runs."""

from __future__ import annotations

import dataclasses

from workbook.core.declare import Params
from workbook.data.load import load_customer_data
from workbook.models.loyalty.analysis import analyse_loyalty
from workbook.models.loyalty.ladder import LOYALTY_LADDER, LadderParams, compute_ladder


def test_every_registry_backed_field_is_named_as_its_registry_key() -> None:
    assert issubclass(LadderParams, Params)
    for field in dataclasses.fields(LadderParams):
        assert field.metadata.get("assumption") in (None, field.name)


def test_the_model_record_runs_the_ladder_on_the_sample_business() -> None:
    assert LOYALTY_LADDER.name == "loyalty_ladder" and LOYALTY_LADDER.params_type is LadderParams
    assert LOYALTY_LADDER.headline is not None
    params = LadderParams(ladder_lost_after_days=365)
    expected = compute_ladder(load_customer_data(), params)
    assert LOYALTY_LADDER.headline(LOYALTY_LADDER.run(params)) == expected.headline()


def test_the_analysis_publishes_the_ladder_headline_and_its_inputs() -> None:
    params = LadderParams(ladder_period_days=30)
    analysis = analyse_loyalty(params, as_of="2025-06-30", forecast_periods=2)
    expected = compute_ladder(load_customer_data(), params, "2025-06-30", forecast_periods=2)
    assert analysis.headline() == expected.headline()
    assert analysis.parameters() == {
        **params.to_dict(), "transactions": analysis.data.source, "as_of": "2025-06-30",
        "column_map": "", "forecast_periods": 2}
    assert analysis.headline_text().startswith("As of 2025-06-30:")
