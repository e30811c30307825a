"""Sizing: the worked example's head count, vectorised against one by one, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.models.responsiveness import sizing
from workbook.models.responsiveness.erlang import occupancy, service_level
from workbook.models.responsiveness.sizing import (
    agents_for_service_level,
    size_intervals,
    staff_to_schedule,
)

# --- known values ---------------------------------------------------------------------------------

def test_call_centre_helper_worked_example_needs_14_agents() -> None:
    # Issue 5 / Call Centre Helper, "Erlang C Formula - Made Simple": 100 calls per 30
    # minutes, 180 s handle time, 80 % answered within 20 s -> 14 agents.
    assert agents_for_service_level(200, 180, 20, 0.80) == 14
    assert service_level(13, 200, 180, 20) < 0.80 <= service_level(14, 200, 180, 20)


def test_call_centre_helper_shrinkage_and_occupancy_steps() -> None:
    # Same worked example: 14 agents at 71 % occupancy pass an 85 % cap unchanged, and
    # 30 % shrinkage makes 14 / 0.7 = 20 people to schedule (not 21 from float dust).
    assert occupancy(14, 200, 180) == pytest.approx(10 / 14)
    assert agents_for_service_level(200, 180, 20, 0.80, max_occupancy_share=0.85) == 14
    assert agents_for_service_level(200, 180, 20, 0.80, shrinkage_share=0.30) == 20
    assert staff_to_schedule(14, 0.30) == 20


def test_sizing_hundreds_of_agents() -> None:
    calls = 10_000.0  # 500 erlangs at 180 s
    n = agents_for_service_level(calls, 180, 24, 0.80)
    assert 500 < n < 560
    assert service_level(n, calls, 180, 24) >= 0.80 > service_level(n - 1, calls, 180, 24)
    assert size_intervals([calls], 180, 24, 0.80).tolist() == [n]


def test_issue5_thirteen_agents_answer_by_the_fourth_ring() -> None:
    # Issue 5: 13 agents answer about 80 % within 24 s, i.e. by the 4th ring of 6 s.
    assert agents_for_service_level(200, 180, 24, 0.80) == 13


# --- properties -----------------------------------------------------------------------------------

loads = st.floats(1.0, 2_000.0)
handle_times = st.floats(30.0, 900.0)
answer_times = st.floats(0.0, 120.0)
targets = st.floats(0.05, 0.99)


@settings(max_examples=80, deadline=None)
@given(calls=loads, aht=handle_times, within=answer_times, target=targets)
def test_agents_found_are_the_fewest_that_meet_the_target(calls: float, aht: float,
                                                           within: float,
                                                           target: float) -> None:
    n = agents_for_service_level(calls, aht, within, target)
    traffic = calls * aht / 3600
    assert service_level(n, calls, aht, within) >= target
    assert n - 1 <= traffic or service_level(n - 1, calls, aht, within) < target


@settings(max_examples=60, deadline=None)
@given(calls=loads, aht=handle_times, target=targets, cap=st.floats(0.5, 1.0))
def test_occupancy_cap_adds_only_the_agents_it_needs(calls: float, aht: float, target: float,
                                                     cap: float) -> None:
    plain = agents_for_service_level(calls, aht, 24, target)
    capped = agents_for_service_level(calls, aht, 24, target, max_occupancy_share=cap)
    traffic = calls * aht / 3600
    assert capped >= plain
    assert traffic / capped <= cap + 1e-9
    assert capped == plain or traffic / (capped - 1) > cap - 1e-9


@settings(max_examples=40, deadline=None)
@given(calls=st.lists(st.floats(0.0, 1_500.0), min_size=1, max_size=30),
       aht=handle_times, within=answer_times, target=targets,
       cap=st.none() | st.floats(0.6, 1.0))
def test_vectorised_sizing_equals_one_by_one(calls: list[float], aht: float, within: float,
                                             target: float, cap: float | None) -> None:
    vector = size_intervals(calls, aht, within, target, max_occupancy_share=cap)
    one_by_one = [agents_for_service_level(c, aht, within, target, max_occupancy_share=cap)
                  for c in calls]
    assert vector.tolist() == one_by_one


@settings(max_examples=30, deadline=None)
@given(calls=st.lists(st.floats(0.0, 3_000.0), min_size=1, max_size=20),
       aht=handle_times, within=answer_times, target=targets,
       cap=st.none() | st.floats(0.6, 1.0))
def test_recursion_fallback_sizes_like_the_grid(calls: list[float], aht: float, within: float,
                                                target: float, cap: float | None) -> None:
    grid = size_intervals(calls, aht, within, target, max_occupancy_share=cap)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sizing, "_GRID_LIMIT", 0)  # every grid is "too big"
        recursion = size_intervals(calls, aht, within, target, max_occupancy_share=cap)
    assert grid.tolist() == recursion.tolist()


@settings(max_examples=40, deadline=None)
@given(agents=st.integers(0, 500), shrinkage=st.floats(0.0, 0.95))
def test_scheduled_staff_covers_the_agents(agents: int, shrinkage: float) -> None:
    staff = staff_to_schedule(agents, shrinkage)
    assert staff * (1 - shrinkage) >= agents - 1e-6
    assert staff == 0 or (staff - 1) * (1 - shrinkage) < agents


# --- invalid inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: agents_for_service_level(200, 180, 20, 0.0), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 1.0), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 80), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 0.8, max_occupancy_share=0),
         "max_occupancy_share"),
        (lambda: agents_for_service_level(200, 180, 20, 0.8, shrinkage_share=1.0),
         "shrinkage_share"),
        (lambda: agents_for_service_level(-1, 180, 20, 0.8), "calls_per_hour"),
        (lambda: size_intervals([100, -5], 180, 20, 0.8), "calls_per_hour"),
        (lambda: size_intervals([100], [0.0], 20, 0.8), "aht_seconds"),
    ],
)
def test_invalid_inputs_name_the_parameter(call, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}: expected ")
