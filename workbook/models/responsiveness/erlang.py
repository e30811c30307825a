"""Erlang C for one contact queue: how a given number of agents answers the calls offered.

The queue is Erlang's M/M/n: calls arrive at random (Poisson) at ``calls_per_hour``, each takes
an exponential handle time with mean ``aht_seconds``, ``agents`` answer them first come, first
served, and nobody hangs up. The offered load is ``A = calls_per_hour * aht_seconds / 3600``
erlangs (agents' worth of work); the queue is stable only with more agents than that.

Given the agents, :func:`erlang_b`, :func:`erlang_c`, :func:`probability_of_waiting`,
:func:`service_level`, :func:`average_speed_of_answer` and :func:`occupancy` say how the queue
performs. The inverse question, the fewest agents for a target, is
:mod:`workbook.models.responsiveness.sizing`. These are plain functions of numbers, so their
arguments keep the short names of the formulas (``calls_per_hour``, ``aht_seconds``).
"""

from __future__ import annotations

import math

from workbook.core.validation import ParameterError, require_integer, require_number

__all__ = [
    "SECONDS_PER_HOUR",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "probability_of_waiting",
    "service_level",
    "traffic_erlangs",
]

SECONDS_PER_HOUR = 3600.0
"""Seconds in an hour: arrivals are per hour, handle times and waits in seconds."""


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
