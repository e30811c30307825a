"""Sizing: the fewest agents that answer a target share of calls in time, and staff to schedule.

The inverse of :mod:`workbook.models.responsiveness.erlang`: :func:`agents_for_service_level`
for one queue, :func:`size_intervals` for many intervals at once (vectorised; a day of 96
intervals in under a millisecond), and :func:`staff_to_schedule` for the people behind
the agents once shrinkage is counted.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.validation import (
    ParameterError,
    require_fraction,
    require_integer,
    require_number,
)
from workbook.models.responsiveness.erlang import SECONDS_PER_HOUR, traffic_erlangs

__all__ = [
    "agents_for_service_level",
    "size_intervals",
    "staff_to_schedule",
]

_ROUNDING = 1e-9  # 14 / 0.7 is 20.000000000000004 in floating point: still 20 people


def _require_target(name: str, value: object) -> float:
    expected = "a fraction strictly between 0 and 1 (0.8 means 80 %)"
    try:
        number = require_fraction(name, value)
    except ParameterError:
        raise ParameterError(name, expected, value) from None
    if not 0.0 < number < 1.0:
        raise ParameterError(name, expected, value)
    return number


def _require_cap(value: object) -> float | None:
    if value is None:
        return None
    expected = "a fraction above 0 and at most 1 (1 means no cap), or None"
    try:
        number = require_fraction("max_occupancy_share", value)
    except ParameterError:
        raise ParameterError("max_occupancy_share", expected, value) from None
    if number <= 0:
        raise ParameterError("max_occupancy_share", expected, value)
    return number


# --- one queue ------------------------------------------------------------------------------

def staff_to_schedule(agents: int, shrinkage_share: float) -> int:
    """People to schedule so that ``agents`` are on the phones: ``agents / (1 − shrinkage)``.

    Shrinkage is the share of paid time not available for calls (breaks, training, meetings,
    absence). Rounded up, ignoring floating-point dust.

    Examples
    --------
    >>> staff_to_schedule(14, 0.30)
    20
    """
    n = require_integer("agents", agents, low=0)
    shrinkage = require_fraction("shrinkage_share", shrinkage_share, high=0.95)
    return math.ceil(n / (1.0 - shrinkage) - _ROUNDING)


def agents_for_service_level(
    calls_per_hour: float,
    aht_seconds: float,
    answer_within_seconds: float,
    target: float,
    *,
    max_occupancy_share: float | None = None,
    shrinkage_share: float = 0.0,
) -> int:
    """The fewest agents that answer ``target`` of calls within ``answer_within_seconds``.

    Parameters
    ----------
    calls_per_hour, aht_seconds, answer_within_seconds
        As in :func:`~workbook.models.responsiveness.erlang.service_level`.
    target
        The share to answer in time, strictly between 0 and 1.
    max_occupancy_share
        Optional cap on occupancy ``A / n``: adds agents until it holds (``None``: no cap).
    shrinkage_share
        Share of paid time off the phones. With the default 0 the result is agents on the
        phones; above 0 it is the staff to schedule (:func:`staff_to_schedule`).

    Returns
    -------
    int
        0 when no calls are offered.

    Notes
    -----
    The smallest :math:`n > A` with :math:`\\mathrm{SL}(n) \\ge` target and
    :math:`A / n \\le` cap, found by walking the Erlang B recursion upward from 1: one pass,
    no factorials, stable for thousands of agents. The service level rises with :math:`n`,
    so the first :math:`n` that meets the target is the answer.

    References
    ----------
    Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example": 100
    calls per 30 minutes, 180 s handle time, 80 % within 20 s needs 14 agents; with 30 %
    shrinkage, 20 people.

    Examples
    --------
    >>> agents_for_service_level(200, 180, 20, 0.80)
    14
    >>> agents_for_service_level(200, 180, 20, 0.80, shrinkage_share=0.30)
    20
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    within = require_number("answer_within_seconds", answer_within_seconds, low=0,
                            unit="seconds")
    goal = _require_target("target", target)
    cap = _require_cap(max_occupancy_share)
    agents = _size_one(traffic, float(aht_seconds), within, goal, cap)
    return staff_to_schedule(agents, shrinkage_share) if shrinkage_share else agents


def _fewest_agents(traffic: float, cap: float | None) -> int:
    """Smallest agent count above the load and within the occupancy cap."""
    floor_ = math.floor(traffic) + 1
    if cap is None or traffic == 0.0:
        return floor_
    return max(floor_, math.ceil(traffic / cap - _ROUNDING))


def _size_one(traffic: float, aht: float, within: float, target: float,
              cap: float | None) -> int:
    if traffic == 0.0:
        return 0
    start = _fewest_agents(traffic, cap)
    blocking, n = 1.0, 0
    while True:
        n += 1
        load = traffic * blocking
        blocking = load / (n + load)
        if n >= start:
            waiting = n * blocking / (n - traffic * (1.0 - blocking))
            if 1.0 - waiting * math.exp(-(n - traffic) * within / aht) >= target:
                return n


# --- many intervals at once -----------------------------------------------------------------

def _as_array(name: str, values: ArrayLike, *, positive: bool) -> NDArray[np.float64]:
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    bad = ~np.isfinite(array) | ((array <= 0) if positive else (array < 0))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        expected = "numbers above 0" if positive else "numbers of at least 0"
        raise ParameterError(name, f"{expected} (first bad value at position {first})",
                             array[first].item())
    return array


_GRID_LIMIT = 4_000_000  # cells of the intervals × agents grid before falling back


def _size_by_grid(
    traffic: NDArray[np.float64], aht: NDArray[np.float64], within: float, target: float,
    start: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]] | None:
    """All intervals × all agent counts at once; ``None`` when the grid would be too big.

    Erlang B is the Poisson ratio :math:`B(n, A) = p_A(n) / P_A(X \\le n)`; the weights
    :math:`p_A(k)` are taken in log space and scaled by each row's largest, so nothing
    overflows, and a cumulative sum gives every :math:`n` in one step.
    """
    width = int((start + 4.0 * np.sqrt(traffic)).max()) + 10
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while traffic.size * (width + 1) <= _GRID_LIMIT:
            n = np.arange(width + 1, dtype=np.float64)
            log_factorial = np.concatenate(([0.0], np.cumsum(np.log(n[1:]))))
            log_weight = n * np.log(traffic)[:, None] - log_factorial
            weight = np.exp(log_weight - log_weight.max(axis=1, keepdims=True))
            blocking = weight / np.cumsum(weight, axis=1)
            spare = n - traffic[:, None]
            waiting = n * blocking / (spare + traffic[:, None] * blocking)
            level = 1.0 - waiting * np.exp(-spare * within / aht[:, None])
            hit = (n >= start[:, None]) & (level >= target)
            if hit.any(axis=1).all():
                first = hit.argmax(axis=1)
                rows = np.arange(traffic.size)
                return first.astype(np.int64), level[rows, first], waiting[rows, first]
            width *= 2
    return None


def _size_by_recursion(
    traffic: NDArray[np.float64], aht: NDArray[np.float64], within: float, target: float,
    start: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """The Erlang B recursion run upward in n over all intervals together (little memory)."""
    agents = np.zeros(traffic.shape, dtype=np.int64)
    level = np.ones(traffic.shape)
    waiting = np.zeros(traffic.shape)
    done = np.zeros(traffic.shape, dtype=bool)
    blocking = np.ones(traffic.shape)
    n = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while not done.all():
            n += 1
            load = traffic * blocking
            blocking = load / (n + load)
            open_ = ~done & (n >= start)
            if not open_.any():
                continue
            c = n * blocking / (n - traffic * (1.0 - blocking))
            sl = 1.0 - c * np.exp(-(n - traffic) * within / aht)
            hit = open_ & (sl >= target)
            agents[hit], level[hit], waiting[hit] = n, sl[hit], c[hit]
            done |= hit
    return agents, level, waiting


def _size_vector(
    traffic: NDArray[np.float64], aht: NDArray[np.float64], within: float, target: float,
    cap: float | None,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Agents, service level and probability of waiting for each load (0 agents for none)."""
    agents = np.zeros(traffic.shape, dtype=np.int64)
    level = np.ones(traffic.shape)
    waiting = np.zeros(traffic.shape)
    busy = traffic > 0
    if busy.any():
        load, handle = traffic[busy], aht[busy]
        start = np.floor(load) + 1.0
        if cap is not None:
            start = np.maximum(start, np.ceil(load / cap - _ROUNDING))
        sized = _size_by_grid(load, handle, within, target, start)
        if sized is None:
            sized = _size_by_recursion(load, handle, within, target, start)
        agents[busy], level[busy], waiting[busy] = sized
    return agents, level, waiting


def size_intervals(
    calls_per_hour: ArrayLike,
    aht_seconds: ArrayLike,
    answer_within_seconds: float,
    target: float,
    *,
    max_occupancy_share: float | None = None,
) -> NDArray[np.int64]:
    """:func:`agents_for_service_level` for many intervals at once (agents on the phones).

    ``calls_per_hour`` and ``aht_seconds`` broadcast against each other (one handle time for
    the whole day, or one per interval).

    Notes
    -----
    Erlang B is computed for every interval and every agent count at once, as the Poisson
    ratio :math:`B(n, A) = p_A(n) / \\sum_{k \\le n} p_A(k)` with the weights in log space
    (no factorials, no overflow), then the first :math:`n` meeting the target and the cap is
    picked per interval. A day of 96 intervals peaking at 140 agents takes about 0.2 ms here
    (``benchmarks/bench_staffing.py``). Grids above four million cells fall back to the
    Erlang B recursion run upward in :math:`n` over all intervals together.

    Examples
    --------
    >>> size_intervals([0, 50, 200], 180, 20, 0.8).tolist()
    [0, 5, 14]
    """
    calls = _as_array("calls_per_hour", calls_per_hour, positive=False)
    aht = _as_array("aht_seconds", aht_seconds, positive=True)
    within = require_number("answer_within_seconds", answer_within_seconds, low=0,
                            unit="seconds")
    calls, aht = np.broadcast_arrays(calls, aht)
    traffic = calls * aht / SECONDS_PER_HOUR
    agents, _, _ = _size_vector(traffic, aht, within, _require_target("target", target),
                                _require_cap(max_occupancy_share))
    return agents

