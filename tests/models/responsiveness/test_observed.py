"""What a call log measured: the share answered in time, by hand and against the plan."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.data.calllog import load_sample_call_log
from workbook.models.responsiveness.day_plan import plan_day
from workbook.models.responsiveness.observed import share_answered_within


def test_share_answered_within_by_hand() -> None:
    frame = pd.DataFrame({"call_id": list("abcde"), "arrived_at": ["2026-03-02 09:00:00"] * 5,
                          "wait_seconds": [0, 24, 25, 3, 100], "handle_seconds": [1] * 5,
                          "abandoned": [0, 0, 0, 1, 1]})
    assert share_answered_within(frame, 24) == pytest.approx(2 / 5)  # abandoned count as late


def test_the_day_plan_observes_the_same_share() -> None:
    log = load_sample_call_log()
    plan = plan_day(log)
    assert plan.observed_answered_within_share == pytest.approx(share_answered_within(log, 24))
