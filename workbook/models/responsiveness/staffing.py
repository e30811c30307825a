"""Staffing to answer by the 4th ring: Erlang C for a contact queue.

The service-strategy book (seed 002) sets the standard: answer the phone by the 4th ring with a
caring greeting; later disappoints. This module turns it into a head count. A ring lasts about
6 s (``staffing_ring_seconds``), so "by the 4th ring" means within 24 s, and the default target
is 80 % of offered calls answered that fast (``staffing_service_level_target``).

The queue is Erlang's M/M/n: calls arrive at random (Poisson) at ``calls_per_hour``, each takes
an exponential handle time with mean ``aht_seconds``, ``agents`` answer them first come, first
served, and nobody hangs up. The offered load is ``A = calls_per_hour * aht_seconds / 3600``
erlangs (agents' worth of work); the queue is stable only with more agents than that.

Three layers:

- formulas for one queue: :func:`erlang_b`, :func:`erlang_c`, :func:`probability_of_waiting`,
  :func:`service_level`, :func:`average_speed_of_answer`, :func:`occupancy`,
  :func:`agents_for_service_level`, :func:`staff_to_schedule`, and :func:`size_intervals`,
  the same sizing vectorised over many intervals;
- the model behind the dashboard: :class:`StaffingParams` (registry defaults) and
  :func:`compute_staffing`;
- a day's plan from a call log (:func:`plan_day`, schema in :mod:`workbook.data.calllog`), and
  :func:`simulate_queue`, a seeded discrete-event simulation the tests hold Erlang C against.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.data.calllog import validate_call_log
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError, require_fraction, require_integer, require_number

__all__ = [
    "DayPlanResult",
    "QueueSimulation",
    "StaffingParams",
    "StaffingResult",
    "agents_for_service_level",
    "average_speed_of_answer",
    "compute_staffing",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "plan_day",
    "probability_of_waiting",
    "service_level",
    "simulate_queue",
    "size_intervals",
    "staff_to_schedule",
    "traffic_erlangs",
]

SECONDS_PER_HOUR = 3600.0
_ROUNDING = 1e-9  # 14 / 0.7 is 20.000000000000004 in floating point: still 20 people


# --- validation -----------------------------------------------------------------------------

def _require_positive(name: str, value: object, unit: str) -> float:
    expected = f"a number above 0 {unit}"
    try:
        number = require_number(name, value, unit=unit)
    except ParameterError:
        raise ParameterError(name, expected, value) from None
    if number <= 0:
        raise ParameterError(name, expected, value)
    return number


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


def _require_agents(agents: object, traffic: float) -> int:
    n = require_integer("agents", agents, low=0)
    if n <= traffic:
        raise ParameterError(
            "agents",
            f"more agents than the offered load of {traffic:.4g} erlangs (calls_per_hour × "
            "aht_seconds / 3600); with fewer the queue grows without end",
            agents,
        )
    return n


def traffic_erlangs(calls_per_hour: float, aht_seconds: float) -> float:
    """Offered load in erlangs: the agents' worth of work arriving, ``λ · AHT``.

    Examples
    --------
    >>> traffic_erlangs(200, 180)
    10.0
    """
    calls = require_number("calls_per_hour", calls_per_hour, low=0, unit="calls/hour")
    aht = _require_positive("aht_seconds", aht_seconds, "seconds")
    return calls * aht / SECONDS_PER_HOUR


# --- one queue ------------------------------------------------------------------------------

def _erlang_b(agents: int, traffic: float) -> float:
    blocking = 1.0
    for n in range(1, agents + 1):
        load = traffic * blocking
        blocking = load / (n + load)
    return blocking


def _erlang_c(agents: int, traffic: float) -> float:
    if traffic == 0.0:
        return 0.0
    blocking = _erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def erlang_b(agents: int, traffic_erlangs: float) -> float:
    """Erlang B: the share of calls blocked when ``agents`` lines carry the load and nobody queues.

    Notes
    -----
    Computed by the recursion :math:`B(0) = 1`, :math:`B(n) = A B(n-1) / (n + A B(n-1))`,
    which needs no factorials and stays within [0, 1] for any number of agents.

    Examples
    --------
    >>> round(erlang_b(10, 10.0), 4)
    0.2146
    """
    n = require_integer("agents", agents, low=0)
    traffic = require_number("traffic_erlangs", traffic_erlangs, low=0, unit="erlangs")
    return _erlang_b(n, traffic)


def erlang_c(agents: int, traffic_erlangs: float) -> float:
    """Erlang C: the probability that a call has to wait, with ``agents`` and ``A`` erlangs.

    Notes
    -----
    .. math:: C(n, A) = \\frac{n B(n, A)}{n - A (1 - B(n, A))}, \\qquad n > A

    from Erlang B (:func:`erlang_b`), which avoids the factorials of the textbook form.

    Examples
    --------
    >>> round(erlang_c(14, 10.0), 4)
    0.1741
    """
    traffic = require_number("traffic_erlangs", traffic_erlangs, low=0, unit="erlangs")
    return _erlang_c(_require_agents(agents, traffic), traffic)


def probability_of_waiting(agents: int, calls_per_hour: float, aht_seconds: float) -> float:
    """The share of calls that wait at all before an agent answers (Erlang C).

    Examples
    --------
    >>> round(probability_of_waiting(14, 200, 180), 4)
    0.1741
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    return _erlang_c(_require_agents(agents, traffic), traffic)


def service_level(
    agents: int, calls_per_hour: float, aht_seconds: float, answer_within_seconds: float
) -> float:
    """The share of calls answered within ``answer_within_seconds``.

    Parameters
    ----------
    agents
        Agents on the phones, more than the offered load.
    calls_per_hour
        Offered calls per hour (at least 0).
    aht_seconds
        Average handle time per call (talk, hold, after-call work), above 0.
    answer_within_seconds
        The answer time promised, at least 0 (0 gives the share answered without waiting).
        Answering by ring ``r`` with rings of ``s`` seconds means ``r * s``.

    Returns
    -------
    float
        A fraction from 0 to 1.

    Raises
    ------
    ParameterError
        Naming the parameter, e.g. ``agents`` when they do not exceed the load.

    Notes
    -----
    With :math:`A = \\lambda \\cdot \\mathrm{AHT}` erlangs, :math:`n` agents and Erlang C
    :math:`C(n, A)` (:func:`erlang_c`), waits in an M/M/n queue are exponential once a call
    has to wait, so

    .. math:: \\mathrm{SL}(T) = 1 - C(n, A)\\, e^{-(n - A) T / \\mathrm{AHT}}

    References
    ----------
    Erlang, A. K. (1917). Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges.
    Gans, N., Koole, G. & Mandelbaum, A. (2003). Telephone call centers: tutorial, review,
    and research prospects. *Manufacturing & Service Operations Management*, 5(2), 79–141.

    Examples
    --------
    Issue 5's worked example (Call Centre Helper's): 100 calls per half hour, 3 minutes each.

    >>> round(service_level(14, 200, 180, 20), 3)
    0.888
    >>> round(service_level(13, 200, 180, 24), 3)
    0.809
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    within = require_number("answer_within_seconds", answer_within_seconds, low=0,
                            unit="seconds")
    n = _require_agents(agents, traffic)
    aht = float(aht_seconds)
    return 1.0 - _erlang_c(n, traffic) * math.exp(-(n - traffic) * within / aht)


def average_speed_of_answer(agents: int, calls_per_hour: float, aht_seconds: float) -> float:
    """Average wait before an answer over all calls, in seconds (ASA).

    Notes
    -----
    .. math:: \\mathrm{ASA} = C(n, A)\\, \\mathrm{AHT} / (n - A)

    Examples
    --------
    >>> round(average_speed_of_answer(14, 200, 180), 1)
    7.8
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    n = _require_agents(agents, traffic)
    return _erlang_c(n, traffic) * float(aht_seconds) / (n - traffic)


def occupancy(agents: int, calls_per_hour: float, aht_seconds: float) -> float:
    """Share of the agents' logged-in time spent handling calls, ``A / n``.

    Examples
    --------
    >>> round(occupancy(14, 200, 180), 3)
    0.714
    """
    traffic = traffic_erlangs(calls_per_hour, aht_seconds)
    return traffic / _require_agents(agents, traffic)


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
        As in :func:`service_level`.
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


# --- the model ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class StaffingParams:
    """Inputs of the staffing model; defaults from the registry.

    Attributes
    ----------
    calls_per_hour
        Offered calls per hour, answered and abandoned (at least 0).
    aht_seconds
        Average handle time per answered call: talk, hold and after-call work (above 0).
    answer_within_rings
        Answer by this ring (the source's 4th ring, ``phone_answer_ring``).
    ring_seconds
        Length of one ring cycle (about 6 s: 2 s ringing, 4 s silence).
    service_level_target
        Share of calls to answer by that ring, strictly between 0 and 1.
    shrinkage_share
        Share of paid time not on the phones (0 to 0.95).
    max_occupancy_share
        Cap on the share of logged-in time spent on calls (above 0; 1 means no cap).
    """

    calls_per_hour: float = assumed("staffing_calls_per_hour")
    aht_seconds: float = assumed("staffing_aht_seconds")
    answer_within_rings: int = assumed("phone_answer_ring")
    ring_seconds: float = assumed("staffing_ring_seconds")
    service_level_target: float = assumed("staffing_service_level_target")
    shrinkage_share: float = assumed("staffing_shrinkage_share")
    max_occupancy_share: float = assumed("staffing_max_occupancy_share")

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "calls_per_hour", require_number(
            "calls_per_hour", self.calls_per_hour, low=0, high=1e6, unit="calls/hour"))
        set_(self, "aht_seconds", _require_positive("aht_seconds", self.aht_seconds, "seconds"))
        set_(self, "answer_within_rings", require_integer(
            "answer_within_rings", self.answer_within_rings, low=1, high=30))
        set_(self, "ring_seconds", _require_positive("ring_seconds", self.ring_seconds,
                                                     "seconds"))
        set_(self, "service_level_target", _require_target("service_level_target",
                                                           self.service_level_target))
        set_(self, "shrinkage_share", require_fraction("shrinkage_share", self.shrinkage_share,
                                                       high=0.95))
        if self.max_occupancy_share is None:  # a slider needs a number: 1 means no cap
            raise ParameterError("max_occupancy_share", "a fraction above 0 and at most 1 "
                                 "(1 means no cap)", None)
        set_(self, "max_occupancy_share", _require_cap(self.max_occupancy_share))

    @property
    def answer_within_seconds(self) -> float:
        """The answer time promised: ``answer_within_rings × ring_seconds`` (24 s by default)."""
        return self.answer_within_rings * self.ring_seconds

    @property
    def traffic_erlangs(self) -> float:
        """Offered load, ``calls_per_hour × aht_seconds / 3600``."""
        return self.calls_per_hour * self.aht_seconds / SECONDS_PER_HOUR

    def replace(self, **changes: Any) -> StaffingParams:
        """A copy with ``changes`` applied and validated."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Field name to value (JSON-ready)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Outputs of :func:`compute_staffing`.

    Attributes
    ----------
    params
        The inputs.
    traffic_erlangs
        Offered load.
    agents_for_target
        Fewest agents on the phones that meet the service-level target.
    agents
        Agents on the phones: ``agents_for_target``, raised if needed to respect the
        occupancy cap.
    scheduled_staff
        People to schedule for ``agents`` after shrinkage.
    service_level, probability_of_waiting, average_speed_of_answer_seconds, occupancy_share
        The queue with ``agents`` on the phones.
    curve_agents, curve_service_level
        The service level for a range of agent counts around ``agents`` (the curve the
        dashboard draws).
    """

    params: StaffingParams
    traffic_erlangs: float
    agents_for_target: int
    agents: int
    scheduled_staff: int
    service_level: float
    probability_of_waiting: float
    average_speed_of_answer_seconds: float
    occupancy_share: float
    curve_agents: NDArray[np.int64]
    curve_service_level: NDArray[np.float64]

    def headline(self) -> dict[str, float]:
        """The headline numbers (JSON-ready)."""
        return {
            "traffic_erlangs": self.traffic_erlangs,
            "agents": self.agents,
            "scheduled_staff": self.scheduled_staff,
            "service_level": self.service_level,
            "probability_of_waiting": self.probability_of_waiting,
            "average_speed_of_answer_seconds": self.average_speed_of_answer_seconds,
            "occupancy_share": self.occupancy_share,
        }


def _curve(traffic: float, aht: float, within: float,
           last: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    first = math.floor(traffic) + 1
    agents = np.arange(first, last + 1, dtype=np.int64)
    levels = np.empty(agents.size)
    blocking = 1.0
    for n in range(1, last + 1):
        load = traffic * blocking
        blocking = load / (n + load)
        if n >= first:
            waiting = n * blocking / (n - traffic * (1.0 - blocking)) if traffic else 0.0
            levels[n - first] = 1.0 - waiting * math.exp(-(n - traffic) * within / aht)
    return agents, levels


def compute_staffing(params: StaffingParams) -> StaffingResult:
    """Agents and staff needed to answer ``service_level_target`` of calls by the target ring.

    Parameters
    ----------
    params
        Validated inputs; see :class:`StaffingParams`.

    Returns
    -------
    StaffingResult
        The agents, the queue they give and the service-level curve.

    Notes
    -----
    :math:`T` = rings × ring length. Agents on the phones are the fewest :math:`n > A` with
    :math:`1 - C(n, A) e^{-(n - A) T / \\mathrm{AHT}} \\ge` target and :math:`A / n \\le`
    the occupancy cap (:func:`agents_for_service_level`); staff to schedule is
    :math:`\\lceil n / (1 - \\text{shrinkage}) \\rceil`. Everything is per hour of steady
    load: a day with changing load is planned interval by interval (:func:`plan_day`).

    References
    ----------
    Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example".
    Service-strategy book (seed 002): answer by the 4th ring.

    Examples
    --------
    Issue 5's example answered by the 4th ring (24 s) rather than within 20 s:

    >>> result = compute_staffing(StaffingParams())
    >>> result.agents, result.scheduled_staff
    (13, 19)
    >>> round(result.service_level, 3)
    0.809
    """
    p = params
    traffic = p.traffic_erlangs
    within = p.answer_within_seconds
    for_target = _size_one(traffic, p.aht_seconds, within, p.service_level_target, None)
    agents = _size_one(traffic, p.aht_seconds, within, p.service_level_target,
                       p.max_occupancy_share)
    if agents == 0:
        level, waiting, asa, busy = 1.0, 0.0, 0.0, 0.0
    else:
        waiting = _erlang_c(agents, traffic)
        level = 1.0 - waiting * math.exp(-(agents - traffic) * within / p.aht_seconds)
        asa = waiting * p.aht_seconds / (agents - traffic)
        busy = traffic / agents
    last = max(agents + max(4, math.ceil(0.3 * agents)), math.floor(traffic) + 2)
    curve_agents, curve_levels = _curve(traffic, p.aht_seconds, within, last)
    return StaffingResult(
        params=p,
        traffic_erlangs=traffic,
        agents_for_target=for_target,
        agents=agents,
        scheduled_staff=staff_to_schedule(agents, p.shrinkage_share),
        service_level=level,
        probability_of_waiting=waiting,
        average_speed_of_answer_seconds=asa,
        occupancy_share=busy,
        curve_agents=curve_agents,
        curve_service_level=curve_levels,
    )


# --- a day's plan from a call log ----------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class DayPlanResult:
    """Outputs of :func:`plan_day`.

    Attributes
    ----------
    params
        Target, rings, shrinkage and occupancy cap used (their ``calls_per_hour`` is not:
        arrivals come from the log).
    interval_minutes
        Length of each interval.
    weekday
        0 (Monday) to 6 (Sunday) when the plan is for one weekday, ``None`` for all days.
    days
        Days of the log averaged over.
    table
        One row per interval of the day, indexed by its start (``"08:30"``); columns
        ``calls`` (average per day), ``calls_per_hour``, ``aht_seconds``, ``traffic_erlangs``,
        ``agents``, ``scheduled_staff``, ``service_level``, ``probability_of_waiting``,
        ``average_speed_of_answer_seconds``, ``occupancy_share`` (the plan), and
        ``observed_calls``, ``observed_answered_within_share`` (the log; NaN without calls).
    observed_answered_within_share
        Share of all calls in the log (on the days used) answered within the target time.
    expected_service_level
        Share the plan is expected to answer in time, weighted by calls.
    """

    params: StaffingParams
    interval_minutes: int
    weekday: int | None
    days: int
    table: pd.DataFrame
    observed_answered_within_share: float
    expected_service_level: float

    @property
    def days_label(self) -> str:
        """``"all days"`` or the weekday's name."""
        return "all days" if self.weekday is None else f"{_WEEKDAYS[self.weekday]}s"

    def headline(self) -> dict[str, float]:
        """The headline numbers (JSON-ready)."""
        hours = self.interval_minutes / 60.0
        table = self.table
        return {
            "days": self.days,
            "calls_per_day": float(table["calls"].sum()),
            "peak_agents": int(table["agents"].max()),
            "peak_scheduled_staff": int(table["scheduled_staff"].max()),
            "agent_hours": float(table["agents"].sum() * hours),
            "scheduled_staff_hours": float(table["scheduled_staff"].sum() * hours),
            "expected_service_level": self.expected_service_level,
            "observed_answered_within_share": self.observed_answered_within_share,
        }


def plan_day(
    call_log: pd.DataFrame,
    params: StaffingParams | None = None,
    *,
    interval_minutes: int = 30,
    weekday: int | None = None,
    aht_from_log: bool = True,
) -> DayPlanResult:
    """A day's staffing plan from a call log: arrivals, agents and service level per interval.

    Parameters
    ----------
    call_log
        Calls in the schema of :mod:`workbook.data.calllog` (validated here; not modified).
    params
        Target, rings, ring length, shrinkage and occupancy cap (registry defaults if None).
    interval_minutes
        15, 30 or 60.
    weekday
        Plan an average Monday (0) … Sunday (6) from those days of the log, or ``None``
        (default) for an average day over all days of the log.
    aht_from_log
        True: each interval's handle time is the mean ``handle_seconds`` of the calls
        answered in it (the log's overall mean where an interval has none). False:
        ``params.aht_seconds`` for every interval.

    Returns
    -------
    DayPlanResult

    Notes
    -----
    **Averaging.** A day counts when the log has at least one call on it, so days the
    centre is closed (no calls) are left out rather than averaged in as zeros, while an
    interval without calls on an open day counts as zero. Arrivals per interval are the
    calls that arrived in it (answered and abandoned: the offered load), summed over the
    days counted and divided by their number. Timestamps are local wall-clock time; a
    daylight-saving change is not corrected for.

    **Sizing.** Each interval is sized on its own as a steady Erlang C queue with
    :func:`size_intervals` (vectorised over intervals): the fewest agents meeting the target
    within the occupancy cap, then staff to schedule after shrinkage. Calls that spill over
    from one interval into the next are ignored, as in the usual interval-by-interval
    practice.

    **Observed.** The log's share answered in time is answered calls with ``wait_seconds``
    at most the target time, over all offered calls (abandoned calls count as not answered
    in time).

    Examples
    --------
    >>> from workbook.data.calllog import load_sample_call_log
    >>> plan = plan_day(load_sample_call_log(), interval_minutes=30)
    >>> len(plan.table), int(plan.table["agents"].max())
    (48, 7)
    """
    p = params if params is not None else StaffingParams()
    minutes = require_integer("interval_minutes", interval_minutes, low=1)
    if minutes not in (15, 30, 60):
        raise ParameterError("interval_minutes", "15, 30 or 60", interval_minutes)
    if weekday is not None:
        weekday = require_integer("weekday", weekday, low=0, high=6)
    log = validate_call_log(call_log)
    stamps = log["arrived_at"]
    if weekday is not None:
        keep = (stamps.dt.day_of_week == weekday).to_numpy()
        log, stamps = log[keep], stamps[keep]
    if log.empty:
        where = "the call log" if weekday is None else f"the call log on {_WEEKDAYS[weekday]}s"
        raise ParameterError("call_log" if weekday is None else "weekday",
                             f"calls in {where}", weekday)
    days = int(stamps.dt.normalize().nunique())
    slots = 24 * 60 // minutes
    slot = ((stamps.dt.hour * 60 + stamps.dt.minute) // minutes).to_numpy()
    answered = ~log["abandoned"].to_numpy(dtype=bool)
    handle = log["handle_seconds"].to_numpy(dtype=np.float64)
    within = p.answer_within_seconds
    in_time = answered & (log["wait_seconds"].to_numpy(dtype=np.float64) <= within)

    counts = np.bincount(slot, minlength=slots).astype(np.float64)
    answered_counts = np.bincount(slot[answered], minlength=slots)
    handle_sums = np.bincount(slot[answered], weights=handle[answered], minlength=slots)
    in_time_counts = np.bincount(slot[in_time], minlength=slots)

    calls = counts / days
    calls_per_hour = calls * 60.0 / minutes
    if aht_from_log and answered.any():
        overall = handle[answered].mean()
        aht = np.where(answered_counts > 0, handle_sums / np.maximum(answered_counts, 1),
                       overall)
        aht = np.where(aht > 0, aht, p.aht_seconds)
    else:
        aht = np.full(slots, p.aht_seconds)
    traffic = calls_per_hour * aht / SECONDS_PER_HOUR
    agents, level, waiting = _size_vector(traffic, aht, within, p.service_level_target,
                                          p.max_occupancy_share)
    scheduled = np.ceil(agents / (1.0 - p.shrinkage_share) - _ROUNDING).astype(np.int64)
    staffed = agents > 0
    spare = np.where(staffed, agents - traffic, 1.0)
    labels = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, minutes)]
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(counts > 0, in_time_counts / counts, np.nan)
        busy = np.where(staffed, traffic / np.maximum(agents, 1), 0.0)
    table = pd.DataFrame(
        {
            "calls": calls,
            "calls_per_hour": calls_per_hour,
            "aht_seconds": aht,
            "traffic_erlangs": traffic,
            "agents": agents,
            "scheduled_staff": scheduled,
            "service_level": level,
            "probability_of_waiting": waiting,
            "average_speed_of_answer_seconds": np.where(staffed, waiting * aht / spare, 0.0),
            "occupancy_share": busy,
            "observed_calls": counts.astype(np.int64),
            "observed_answered_within_share": observed,
        },
        index=pd.Index(labels, name="interval_start"),
    )
    return DayPlanResult(
        params=p,
        interval_minutes=minutes,
        weekday=weekday,
        days=days,
        table=table,
        observed_answered_within_share=float(in_time.sum() / len(log)),
        expected_service_level=float((level * calls).sum() / calls.sum()),
    )


# --- simulation -----------------------------------------------------------------------------

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
        The queue, as in :func:`service_level` (more agents than the load).
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
    for i, (arrival, handle) in enumerate(zip(arrivals.tolist(), handles.tolist())):
        start = max(arrival, free_at[0])
        waits[i] = start - arrival
        heapq.heapreplace(free_at, start + handle)
    return QueueSimulation(agents=n, calls_per_hour=float(calls_per_hour),
                           aht_seconds=float(aht_seconds), wait_seconds=waits[warmup:])
