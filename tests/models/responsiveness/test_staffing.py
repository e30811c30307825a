"""Erlang C staffing: the issue's worked example, exact references, properties, simulation."""

from __future__ import annotations

import dataclasses
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.models.responsiveness import staffing
from workbook.data.calllog import load_sample_call_log, share_answered_within
from workbook.core.parameters import build_params
from workbook.core.registry import default
from workbook.models.responsiveness.staffing import (
    StaffingParams,
    agents_for_service_level,
    average_speed_of_answer,
    compute_staffing,
    erlang_b,
    erlang_c,
    occupancy,
    plan_day,
    probability_of_waiting,
    service_level,
    simulate_queue,
    size_intervals,
    staff_to_schedule,
)
from workbook.core.validation import ParameterError


def exact_erlang_c(agents: int, traffic: float) -> Fraction:
    """The textbook factorial form, in exact rational arithmetic (no rounding, no overflow)."""
    a = Fraction(traffic)
    term = Fraction(1)
    below = Fraction(0)
    for k in range(agents):
        below += term
        term = term * a / (k + 1)  # a**(k+1) / (k+1)!
    top = term * agents / (agents - a)
    return top / (below + top)


# --- known values ---------------------------------------------------------------------------

def test_call_centre_helper_worked_example_needs_14_agents() -> None:
    # Issue 5 / Call Centre Helper, "Erlang C Formula - Made Simple": 100 calls per 30
    # minutes, 180 s handle time, 80 % answered within 20 s -> 14 agents.
    assert agents_for_service_level(200, 180, 20, 0.80) == 14
    assert service_level(13, 200, 180, 20) < 0.80 <= service_level(14, 200, 180, 20)


def test_issue5_thirteen_agents_answer_about_80_percent_within_24_seconds() -> None:
    # Issue 5: "13 give about 0.80 within 24 s", i.e. by the 4th ring of 6 s.
    level = service_level(13, 200, 180, 24)
    assert level == pytest.approx(0.80, abs=0.01)
    assert agents_for_service_level(200, 180, 24, 0.80) == 13


def test_call_centre_helper_shrinkage_and_occupancy_steps() -> None:
    # Same worked example: 14 agents at 71 % occupancy pass an 85 % cap unchanged, and
    # 30 % shrinkage makes 14 / 0.7 = 20 people to schedule (not 21 from float dust).
    assert occupancy(14, 200, 180) == pytest.approx(10 / 14)
    assert agents_for_service_level(200, 180, 20, 0.80, max_occupancy_share=0.85) == 14
    assert agents_for_service_level(200, 180, 20, 0.80, shrinkage_share=0.30) == 20
    assert staff_to_schedule(14, 0.30) == 20


def test_erlang_b_table_ten_lines_ten_erlangs() -> None:
    # Standard Erlang B tables: 10 erlangs offered to 10 lines block 21.46 % of calls.
    assert erlang_b(10, 10.0) == pytest.approx(0.21458, abs=5e-5)


def test_service_level_formula_by_hand() -> None:
    # SL = 1 - C e^{-(n - A) T / AHT} and ASA = C AHT / (n - A), with C from the exact form.
    c = float(exact_erlang_c(14, 10.0))
    assert probability_of_waiting(14, 200, 180) == pytest.approx(c, rel=1e-12)
    assert service_level(14, 200, 180, 20) == pytest.approx(1 - c * math.exp(-4 * 20 / 180))
    assert average_speed_of_answer(14, 200, 180) == pytest.approx(c * 180 / 4)
    assert service_level(14, 200, 180, 0) == pytest.approx(1 - c)


@settings(max_examples=60, deadline=None)
@given(agents=st.integers(1, 60), load_share=st.floats(0.01, 0.99))
def test_erlang_c_matches_the_exact_factorial_formula(agents: int, load_share: float) -> None:
    traffic = agents * load_share
    assert erlang_c(agents, traffic) == pytest.approx(float(exact_erlang_c(agents, traffic)),
                                                      rel=1e-10, abs=1e-15)


@pytest.mark.parametrize(("agents", "traffic"), [(300, 285.0), (600, 570.5), (1000, 900.0)])
def test_stable_for_hundreds_of_agents(agents: int, traffic: float) -> None:
    # 600! overflows a float: the recursion never forms it.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = erlang_c(agents, traffic)
    assert value == pytest.approx(float(exact_erlang_c(agents, traffic)), rel=1e-9)


def test_sizing_hundreds_of_agents() -> None:
    calls = 10_000.0  # 500 erlangs at 180 s
    n = agents_for_service_level(calls, 180, 24, 0.80)
    assert 500 < n < 560
    assert service_level(n, calls, 180, 24) >= 0.80 > service_level(n - 1, calls, 180, 24)
    assert size_intervals([calls], 180, 24, 0.80).tolist() == [n]


# --- properties -----------------------------------------------------------------------------

loads = st.floats(1.0, 2_000.0)
handle_times = st.floats(30.0, 900.0)
answer_times = st.floats(0.0, 120.0)
targets = st.floats(0.05, 0.99)


@settings(max_examples=80, deadline=None)
@given(calls=loads, aht=handle_times, within=answer_times, extra=st.integers(1, 30))
def test_service_level_rises_with_agents(calls: float, aht: float, within: float,
                                         extra: int) -> None:
    n = math.floor(calls * aht / 3600) + extra
    low, high = service_level(n, calls, aht, within), service_level(n + 1, calls, aht, within)
    assert 0.0 <= low <= high + 1e-12 <= 1.0 + 1e-12
    assert average_speed_of_answer(n + 1, calls, aht) <= average_speed_of_answer(n, calls, aht)


@settings(max_examples=80, deadline=None)
@given(calls=loads, more=st.floats(1.0, 3.0), aht=handle_times, within=answer_times)
def test_service_level_falls_with_load(calls: float, more: float, aht: float,
                                       within: float) -> None:
    n = math.floor(calls * more * aht / 3600) + 1
    busy, calm = service_level(n, calls * more, aht, within), service_level(n, calls, aht,
                                                                            within)
    assert busy <= calm + 1e-12
    assert probability_of_waiting(n, calls * more, aht) >= probability_of_waiting(n, calls,
                                                                                  aht) - 1e-12


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
        patch.setattr(staffing, "_GRID_LIMIT", 0)  # every grid is "too big"
        recursion = size_intervals(calls, aht, within, target, max_occupancy_share=cap)
    assert grid.tolist() == recursion.tolist()


@settings(max_examples=40, deadline=None)
@given(agents=st.integers(0, 500), shrinkage=st.floats(0.0, 0.95))
def test_scheduled_staff_covers_the_agents(agents: int, shrinkage: float) -> None:
    staff = staff_to_schedule(agents, shrinkage)
    assert staff * (1 - shrinkage) >= agents - 1e-6
    assert staff == 0 or (staff - 1) * (1 - shrinkage) < agents


# --- invalid inputs -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: service_level(10, 200, 180, 20), "agents"),  # load 10 = agents
        (lambda: service_level(9, 200, 180, 20), "agents"),  # load above agents
        (lambda: probability_of_waiting(0, 0, 180), "agents"),
        (lambda: service_level(14, -1, 180, 20), "calls_per_hour"),
        (lambda: service_level(14, float("nan"), 180, 20), "calls_per_hour"),
        (lambda: service_level(14, 200, 0, 20), "aht_seconds"),
        (lambda: service_level(14, 200, -180, 20), "aht_seconds"),
        (lambda: service_level(14, 200, 180, -1), "answer_within_seconds"),
        (lambda: service_level(14.5, 200, 180, 20), "agents"),
        (lambda: service_level(True, 200, 180, 20), "agents"),
        (lambda: agents_for_service_level(200, 180, 20, 0.0), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 1.0), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 80), "target"),
        (lambda: agents_for_service_level(200, 180, 20, 0.8, max_occupancy_share=0),
         "max_occupancy_share"),
        (lambda: agents_for_service_level(200, 180, 20, 0.8, shrinkage_share=1.0),
         "shrinkage_share"),
        (lambda: size_intervals([100, -5], 180, 20, 0.8), "calls_per_hour"),
        (lambda: size_intervals([100], [0.0], 20, 0.8), "aht_seconds"),
        (lambda: simulate_queue(10, 200, 180), "agents"),
    ],
)
def test_invalid_inputs_name_the_parameter(call, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}: expected ")


def test_load_at_the_agents_explains_the_load() -> None:
    with pytest.raises(ParameterError, match=r"offered load of 10 erlangs"):
        service_level(10, 200, 180, 20)


# --- the model ------------------------------------------------------------------------------

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
    [("calls_per_hour", -1), ("aht_seconds", 0), ("answer_within_rings", 0),
     ("answer_within_rings", 2.5), ("ring_seconds", -6), ("service_level_target", 1.0),
     ("shrinkage_share", 0.99), ("max_occupancy_share", 0.0), ("max_occupancy_share", 1.2),
     ("max_occupancy_share", None)],
)
def test_params_refuse_bad_values(name: str, value: float) -> None:
    with pytest.raises(ParameterError) as caught:
        StaffingParams(**{name: value})
    assert caught.value.name == name


def test_params_from_text_as_the_dashboard_sends_them() -> None:
    params = build_params(StaffingParams, {"calls_per_hour": "300", "answer_within_rings": "3"},
                          from_text=True)
    assert params.calls_per_hour == 300 and params.answer_within_seconds == 18


def test_result_agrees_with_the_formulas() -> None:
    params = StaffingParams(calls_per_hour=350, aht_seconds=240)
    result = compute_staffing(params)
    n, within = result.agents, params.answer_within_seconds
    assert n == agents_for_service_level(350, 240, within, params.service_level_target,
                                         max_occupancy_share=params.max_occupancy_share)
    assert result.service_level == pytest.approx(service_level(n, 350, 240, within))
    assert result.probability_of_waiting == pytest.approx(probability_of_waiting(n, 350, 240))
    assert result.average_speed_of_answer_seconds == pytest.approx(
        average_speed_of_answer(n, 350, 240))
    assert result.occupancy_share == pytest.approx(occupancy(n, 350, 240))
    assert result.scheduled_staff == staff_to_schedule(n, params.shrinkage_share)
    chosen = result.curve_agents.tolist().index(n)
    assert result.curve_service_level[chosen] == pytest.approx(result.service_level)
    assert np.all(np.diff(result.curve_service_level) >= 0)
    assert set(result.headline()) >= {"agents", "scheduled_staff", "service_level"}


def test_occupancy_cap_can_bind() -> None:
    result = compute_staffing(StaffingParams(max_occupancy_share=0.70))
    assert result.agents_for_target == 13
    assert result.agents == 15  # ceil(10 / 0.7)
    assert result.service_level > StaffingParams().service_level_target


def test_no_calls_need_no_agents() -> None:
    result = compute_staffing(StaffingParams(calls_per_hour=0))
    assert (result.agents, result.scheduled_staff, result.service_level) == (0, 0, 1.0)
    assert result.curve_service_level.tolist() == [1.0] * result.curve_agents.size


# --- simulation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("agents", "calls_per_hour", "aht_seconds", "seed"),
                         [(13, 200, 180, 11), (14, 200, 180, 12), (50, 800, 200, 13)])
def test_erlang_c_agrees_with_a_simulated_queue(agents: int, calls_per_hour: float,
                                                aht_seconds: float, seed: int) -> None:
    sim = simulate_queue(agents, calls_per_hour, aht_seconds, calls=100_000,
                         seed=seed)
    for within in (0.0, 24.0, 60.0):
        expected = service_level(agents, calls_per_hour, aht_seconds, within)
        assert abs(sim.service_level(within) - expected) <= 4 * sim.service_level_error(within)
    waiting = probability_of_waiting(agents, calls_per_hour, aht_seconds)
    assert abs(sim.probability_of_waiting - waiting) <= 4 * sim.probability_of_waiting_error
    asa = average_speed_of_answer(agents, calls_per_hour, aht_seconds)
    assert abs(sim.average_speed_of_answer - asa) <= 4 * sim.average_speed_of_answer_error


def test_simulation_is_reproducible_by_seed() -> None:
    first = simulate_queue(14, 200, 180, calls=2_000, seed=5).wait_seconds
    again = simulate_queue(14, 200, 180, calls=2_000, seed=5).wait_seconds
    other = simulate_queue(14, 200, 180, calls=2_000, seed=6).wait_seconds
    assert np.array_equal(first, again) and not np.array_equal(first, other)


# --- a day's plan ---------------------------------------------------------------------------

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
            params.service_level_target, max_occupancy_share=params.max_occupancy_share)
        assert row.scheduled_staff == staff_to_schedule(row.agents, params.shrinkage_share)
        if row.agents:
            assert row.service_level == pytest.approx(service_level(
                row.agents, row.calls_per_hour, row.aht_seconds, params.answer_within_seconds))
    assert (table["service_level"] >= params.service_level_target).all()
    assert plan.expected_service_level >= params.service_level_target


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
    plan = plan_day(hand_made_log(), StaffingParams(aht_seconds=240), aht_from_log=False)
    assert (plan.table["aht_seconds"] == 240).all()


@pytest.mark.parametrize(("kwargs", "name"), [({"interval_minutes": 20}, "interval_minutes"),
                                              ({"weekday": 7}, "weekday")])
def test_plan_refuses_bad_options(kwargs: dict, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        plan_day(hand_made_log(), **kwargs)
    assert caught.value.name == name
