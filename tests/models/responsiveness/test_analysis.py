"""Notebook 05's analysis in one call: the same numbers as the parts, one source of parameters."""

from __future__ import annotations

import pytest

from workbook.data.calllog import SAMPLE_CALL_LOG, load_call_log
from workbook.models.responsiveness.analysis import analyse_responsiveness
from workbook.models.responsiveness.day_plan import plan_day
from workbook.models.responsiveness.observed import share_answered_within
from workbook.models.responsiveness.staffing import StaffingParams, compute_staffing


def test_headline_is_the_parts_headlines() -> None:
    params = StaffingParams(staffing_calls_per_hour=320, phone_answer_ring=3)
    analysis = analyse_responsiveness(params, SAMPLE_CALL_LOG, interval_minutes=60, weekday=1)
    log = load_call_log(SAMPLE_CALL_LOG)
    hour = compute_staffing(params)
    day = plan_day(log, params, interval_minutes=60, weekday=1)
    assert analysis.headline() == {
        **hour.headline(), **day.headline(), "agents_needed": hour.agents,
        "share_answered_by_4th_ring_in_log": share_answered_within(log, 18.0)}


def test_parameters_carry_the_registry_names_and_the_options() -> None:
    analysis = analyse_responsiveness(aht_from_log=False)
    recorded = analysis.parameters()
    assert set(StaffingParams().to_dict()) <= set(recorded)
    assert {k: recorded[k] for k in ("answer_within_seconds", "call_log", "interval_minutes",
                                     "weekday", "aht_from_log")} == {
        "answer_within_seconds": 24.0, "call_log": str(SAMPLE_CALL_LOG),
        "interval_minutes": 30, "weekday": None, "aht_from_log": False}
    assert (analysis.plan.table["aht_seconds"] == 180).all()


def test_bad_options_name_the_option() -> None:
    from workbook.core.validation import ParameterError

    with pytest.raises(ParameterError) as caught:
        analyse_responsiveness(interval_minutes=20)
    assert caught.value.name == "interval_minutes"
