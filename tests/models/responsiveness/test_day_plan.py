"""A day's plan from a call log: averaging by hand, sizing per interval, weekdays, options."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core.validation import ParameterError
from workbook.data.calllog import load_sample_call_log
from workbook.models.responsiveness.day_plan import plan_day
from workbook.models.responsiveness.erlang import service_level
from workbook.models.responsiveness.observed import share_answered_within
from workbook.models.responsiveness.sizing import agents_for_service_level, staff_to_schedule
from workbook.models.responsiveness.staffing import StaffingParams


def hand_made_log() -> pd.DataFrame:
    """Monday 2026-03-02 and Tuesday 2026-03-03; waits and handle times chosen by hand."""
    rows = [
        # Monday 08:00-08:30: 3 calls, one abandoned, one answered after 30 s
        ("m1", "2026-03-02 08:01:00", 5, 100, 0),
        ("m2", "2026-03-02 08:10:00", 30, 200, 0),
        ("m3", "2026-03-02 08:29:59", 40, 0, 1),
        # Monday 09:30-10:00: 2 calls
        ("m4", "2026-03-02 09:31:00", 0, 300, 0),
        ("m5", "2026-03-02 09:45:00", 10, 300, 0),
        # Tuesday 08:00-08:30: 5 calls, all answered within 24 s
        *[(f"t{i}", f"2026-03-03 08:0{i}:00", 20, 120, 0) for i in range(5)],
    ]
    return pd.DataFrame(rows, columns=["call_id", "arrived_at", "wait_seconds",
                                       "handle_seconds", "abandoned"])


def test_plan_averages_arrivals_over_the_days_with_calls() -> None:
    log = hand_made_log()
    before = log.copy(deep=True)
    plan = plan_day(log, interval_minutes=30)
    table = plan.table
    assert plan.days == 2 and len(table) == 48
    assert table.loc["08:00", "calls"] == 4.0  # (3 + 5) / 2
    assert table.loc["08:00", "calls_per_hour"] == 8.0
    assert table.loc["09:30", "calls"] == 1.0  # (2 + 0) / 2: Tuesday counts as a zero
    assert table.loc["08:30", "calls"] == 0.0
    # handle time: answered calls only: (100 + 200 + 5 * 120) / 7
    assert table.loc["08:00", "aht_seconds"] == pytest.approx(900 / 7)
    assert table.loc["09:30", "aht_seconds"] == 300
    # by the 4th ring (24 s): Monday 1 of 3, Tuesday 5 of 5
    assert table.loc["08:00", "observed_answered_within_share"] == pytest.approx(6 / 8)
    assert plan.observed_answered_within_share == pytest.approx(8 / 10)
    assert plan.observed_answered_within_share == share_answered_within(log, 24)
    assert np.isnan(table.loc["08:30", "observed_answered_within_share"])
    pd.testing.assert_frame_equal(log, before)


def test_plan_sizes_every_interval_like_the_scalar_function() -> None:
    params = StaffingParams()
    plan = plan_day(load_sample_call_log(), params, interval_minutes=15)
    table = plan.table
    assert len(table) == 96
    for row in table.itertuples():
        assert row.agents == agents_for_service_level(
            row.calls_per_hour, row.aht_seconds, params.answer_within_seconds,
            params.staffing_service_level_target,
            max_occupancy_share=params.staffing_max_occupancy_share)
        assert row.scheduled_staff == staff_to_schedule(row.agents, params.staffing_shrinkage_share)
        if row.agents:
            assert row.service_level == pytest.approx(service_level(
                row.agents, row.calls_per_hour, row.aht_seconds, params.answer_within_seconds))
    assert (table["service_level"] >= params.staffing_service_level_target).all()
    assert plan.expected_service_level >= params.staffing_service_level_target


def test_plan_by_weekday_uses_only_that_weekday() -> None:
    log = hand_made_log()
    tuesday = plan_day(log, weekday=1)
    assert tuesday.days == 1 and tuesday.days_label == "Tuesdays"
    assert tuesday.table.loc["08:00", "calls"] == 5.0
    assert tuesday.table.loc["09:30", "calls"] == 0.0
    with pytest.raises(ParameterError) as caught:
        plan_day(log, weekday=6)
    assert caught.value.name == "weekday"


def test_plan_with_a_fixed_handle_time() -> None:
    plan = plan_day(hand_made_log(), StaffingParams(staffing_aht_seconds=240),
                    aht_from_log=False)
    assert (plan.table["aht_seconds"] == 240).all()


@pytest.mark.parametrize(("kwargs", "name"), [({"interval_minutes": 20}, "interval_minutes"),
                                              ({"weekday": 7}, "weekday")])
def test_plan_refuses_bad_options(kwargs: dict, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        plan_day(hand_made_log(), **kwargs)
    assert caught.value.name == name
