"""Erlang C for one queue: exact references, the issue's known values, properties, bad inputs."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.models.responsiveness.erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    probability_of_waiting,
    service_level,
    traffic_erlangs,
)


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


# --- known values ---------------------------------------------------------------------------------

def test_issue5_thirteen_agents_answer_about_80_percent_within_24_seconds() -> None:
    # Issue 5: "13 give about 0.80 within 24 s", i.e. by the 4th ring of 6 s.
    level = service_level(13, 200, 180, 24)
    assert level == pytest.approx(0.80, abs=0.01)
    assert service_level(12, 200, 180, 24) < 0.80 <= level


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


def test_traffic_and_occupancy_of_the_worked_example() -> None:
    # 200 calls an hour of 180 s are 10 erlangs; 14 agents are busy 10 / 14 of the time.
    assert traffic_erlangs(200, 180) == 10.0
    assert occupancy(14, 200, 180) == pytest.approx(10 / 14)


# --- properties -----------------------------------------------------------------------------------

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


# --- invalid inputs -------------------------------------------------------------------------------

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
