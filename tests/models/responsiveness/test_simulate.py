"""The seeded queue simulation: Erlang C holds against it, and a seed gives the same waits."""

from __future__ import annotations

import numpy as np
import pytest

from workbook.core.validation import ParameterError
from workbook.models.responsiveness.erlang import (
    average_speed_of_answer,
    probability_of_waiting,
    service_level,
)
from workbook.models.responsiveness.simulate import simulate_queue


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


@pytest.mark.parametrize(("kwargs", "name"), [({"agents": 10}, "agents"),
                                              ({"calls": 50}, "calls"),
                                              ({"seed": -1}, "seed")])
def test_invalid_inputs_name_the_parameter(kwargs: dict, name: str) -> None:
    arguments = {"agents": 14, "calls_per_hour": 200, "aht_seconds": 180, **kwargs}
    with pytest.raises(ParameterError) as caught:
        simulate_queue(**arguments)
    assert caught.value.name == name
