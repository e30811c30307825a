"""A seeded discrete-event simulation of the Erlang C queue: the check the closed forms face.

:func:`simulate_queue` plays an M/M/n queue call by call from a seeded random generator and
shares no code with :mod:`workbook.models.responsiveness.erlang`; the tests hold the
service level, the chance of waiting and the average speed of answer against it (within four
batch-means standard errors). It is a check, not a model: nothing else runs it.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from workbook.core.validation import require_integer
from workbook.models.responsiveness.erlang import (
    SECONDS_PER_HOUR,
    _require_agents,
    traffic_erlangs,
)

__all__ = ["QueueSimulation", "simulate_queue"]

@dataclass(frozen=True, slots=True)
class QueueSimulation:
    """The waits of a simulated M/M/n queue (:func:`simulate_queue`).

    Attributes
    ----------
    agents, calls_per_hour, aht_seconds
        The queue simulated.
    wait_seconds
        Each call's wait before an answer, in arrival order, warm-up calls left out.
    batches
        Number of consecutive batches used for standard errors (batch means: waits of
        neighbouring calls are correlated, so a binomial error would be too small).
    """

    agents: int
    calls_per_hour: float
    aht_seconds: float
    wait_seconds: NDArray[np.float64]
    batches: int = 20

    def _batch_error(self, values: NDArray[np.float64]) -> float:
        means = np.array([chunk.mean() for chunk in np.array_split(values, self.batches)])
        return float(means.std(ddof=1) / math.sqrt(self.batches))

    def service_level(self, answer_within_seconds: float) -> float:
        """Share of simulated calls answered within ``answer_within_seconds``."""
        return float((self.wait_seconds <= answer_within_seconds).mean())

    def service_level_error(self, answer_within_seconds: float) -> float:
        """Standard error of :meth:`service_level` (batch means)."""
        return self._batch_error((self.wait_seconds <= answer_within_seconds).astype(float))

    @property
    def probability_of_waiting(self) -> float:
        """Share of simulated calls that waited at all."""
        return float((self.wait_seconds > 0).mean())

    @property
    def probability_of_waiting_error(self) -> float:
        """Standard error of :attr:`probability_of_waiting` (batch means)."""
        return self._batch_error((self.wait_seconds > 0).astype(float))

    @property
    def average_speed_of_answer(self) -> float:
        """Mean simulated wait, seconds."""
        return float(self.wait_seconds.mean())

    @property
    def average_speed_of_answer_error(self) -> float:
        """Standard error of :attr:`average_speed_of_answer` (batch means)."""
        return self._batch_error(self.wait_seconds)


def simulate_queue(
    agents: int,
    calls_per_hour: float,
    aht_seconds: float,
    *,
    calls: int = 50_000,
    warmup_calls: int = 2_000,
    seed: int = 0,
) -> QueueSimulation:
    """Simulate an M/M/n queue call by call, first come first served, nobody hanging up.

    Parameters
    ----------
    agents, calls_per_hour, aht_seconds
        The queue, as in :func:`~workbook.models.responsiveness.erlang.service_level` (more
        agents than the load).
    calls
        Calls kept after the warm-up.
    warmup_calls
        Calls simulated first, from an empty queue, and dropped.
    seed
        Seed of the random generator: the same seed gives the same waits.

    Notes
    -----
    Inter-arrival times are exponential with mean ``3600 / calls_per_hour`` s and handle
    times exponential with mean ``aht_seconds``. Each call takes the agent who frees up first
    (a heap of the agents' next free times): it starts at the later of its arrival and that
    time, and its wait is the difference. This is an independent check of the closed forms,
    sharing no code with them.

    Examples
    --------
    >>> sim = simulate_queue(14, 200, 180, calls=5_000, seed=1)
    >>> 0.8 < sim.service_level(24) < 0.97
    True
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    n = _require_agents(agents, traffic)
    kept = require_integer("calls", calls, low=100)
    warmup = require_integer("warmup_calls", warmup_calls, low=0)
    rng = np.random.default_rng(require_integer("seed", seed, low=0))
    total = kept + warmup
    arrivals = np.cumsum(rng.exponential(SECONDS_PER_HOUR / float(calls_per_hour), total))
    handles = rng.exponential(float(aht_seconds), total)
    free_at = [0.0] * n
    waits = np.empty(total)
    for i, (arrival, handle) in enumerate(zip(arrivals.tolist(), handles.tolist(), strict=True)):
        start = max(arrival, free_at[0])
        waits[i] = start - arrival
        heapq.heapreplace(free_at, start + handle)
    return QueueSimulation(agents=n, calls_per_hour=float(calls_per_hour),
                           aht_seconds=float(aht_seconds), wait_seconds=waits[warmup:])
