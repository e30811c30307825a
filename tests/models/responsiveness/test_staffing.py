"""The staffing model: registry-declared parameters, the result against the formulas."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from workbook.core.parameters import build_params
from workbook.core.registry import default
from workbook.core.validation import ParameterError
from workbook.models.responsiveness.erlang import (
    average_speed_of_answer,
    occupancy,
    probability_of_waiting,
    service_level,
)
from workbook.models.responsiveness.sizing import agents_for_service_level, staff_to_schedule
from workbook.models.responsiveness.staffing import STAFFING, StaffingParams, compute_staffing


def test_params_defaults_come_from_the_registry() -> None:
    params = StaffingParams()
    for f in dataclasses.fields(StaffingParams):
        key = f.metadata.get("assumption")
        assert key, f"{f.name} has no registry default"
        assert getattr(params, f.name) == default(key), f.name
    assert params.answer_within_seconds == default("phone_answer_ring") * default(
        "staffing_ring_seconds")


@pytest.mark.parametrize(
    ("name", "value"),
    [("staffing_calls_per_hour", -1), ("staffing_aht_seconds", 0), ("phone_answer_ring", 0),
     ("phone_answer_ring", 2.5), ("staffing_ring_seconds", -6),
     ("staffing_service_level_target", 1.0), ("staffing_service_level_target", 0.0),
     ("staffing_shrinkage_share", 0.99), ("staffing_max_occupancy_share", 0.0),
     ("staffing_max_occupancy_share", 1.2), ("staffing_max_occupancy_share", None)],
)
def test_params_refuse_bad_values(name: str, value: float) -> None:
    with pytest.raises(ParameterError) as caught:
        StaffingParams(**{name: value})
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}: expected ")


def test_params_from_text_as_the_dashboard_sends_them() -> None:
    params = build_params(StaffingParams, {"staffing_calls_per_hour": "300",
                                           "phone_answer_ring": "3"}, from_text=True)
    assert params.staffing_calls_per_hour == 300 and params.answer_within_seconds == 18


def test_result_agrees_with_the_formulas() -> None:
    params = StaffingParams(staffing_calls_per_hour=350, staffing_aht_seconds=240)
    result = compute_staffing(params)
    n, within = result.agents, params.answer_within_seconds
    assert n == agents_for_service_level(350, 240, within, params.staffing_service_level_target,
                                         max_occupancy_share=params.staffing_max_occupancy_share)
    assert result.service_level == pytest.approx(service_level(n, 350, 240, within))
    assert result.probability_of_waiting == pytest.approx(probability_of_waiting(n, 350, 240))
    assert result.average_speed_of_answer_seconds == pytest.approx(
        average_speed_of_answer(n, 350, 240))
    assert result.occupancy_share == pytest.approx(occupancy(n, 350, 240))
    assert result.scheduled_staff == staff_to_schedule(n, params.staffing_shrinkage_share)
    chosen = result.curve_agents.tolist().index(n)
    assert result.curve_service_level[chosen] == pytest.approx(result.service_level)
    assert np.all(np.diff(result.curve_service_level) >= 0)
    assert set(result.headline()) >= {"agents", "scheduled_staff", "service_level"}


def test_occupancy_cap_can_bind() -> None:
    result = compute_staffing(StaffingParams(staffing_max_occupancy_share=0.70))
    assert result.agents_for_target == 13
    assert result.agents == 15  # ceil(10 / 0.7)
    assert result.service_level > StaffingParams().staffing_service_level_target


def test_no_calls_need_no_agents() -> None:
    result = compute_staffing(StaffingParams(staffing_calls_per_hour=0))
    assert (result.agents, result.scheduled_staff, result.service_level) == (0, 0, 1.0)
    assert result.curve_service_level.tolist() == [1.0] * result.curve_agents.size


def test_the_model_record_runs_the_same_computation() -> None:
    params = StaffingParams(staffing_calls_per_hour=350)
    assert STAFFING.params_type is StaffingParams
    assert STAFFING.headline(STAFFING.run(params)) == compute_staffing(params).headline()
    assert STAFFING.run().agents == 13


def test_the_old_import_path_of_the_package_names_still_works() -> None:
    # workbook/__init__.py imports these two from the staffing model's module.
    from workbook.models.responsiveness import staffing

    assert staffing.service_level is service_level
    assert staffing.agents_for_service_level is agents_for_service_level
