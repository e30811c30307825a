"""Staffing to answer by the 4th ring: the model behind notebook 05 and the dashboard.

The service-strategy book (seed 002) sets the standard: answer the phone by the 4th ring with a
caring greeting; later disappoints. This model turns it into a head count. A ring lasts about
6 s (``staffing_ring_seconds``), so "by the 4th ring" means within 24 s, and the default target
is 80 % of offered calls answered that fast (``staffing_service_level_target``).

:class:`StaffingParams` (registry defaults) in, :func:`compute_staffing` sizes one hour of
steady load with Erlang C (:mod:`~workbook.models.responsiveness.erlang`,
:mod:`~workbook.models.responsiveness.sizing`), :class:`StaffingResult` out; :data:`STAFFING`
declares the model once. A day's plan from a call log is
:mod:`~workbook.models.responsiveness.day_plan`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from workbook.core.declare import Params
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.models.responsiveness.erlang import (
    SECONDS_PER_HOUR,
    average_speed_of_answer,
    occupancy,
    probability_of_waiting,
    service_level,
)
from workbook.models.responsiveness.sizing import agents_for_service_level, staff_to_schedule

__all__ = [
    "STAFFING",
    "StaffingParams",
    "StaffingResult",
    "compute_staffing",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffingParams(Params):
    """Inputs of the staffing model; defaults, kinds and limits from the registry.

    Attributes
    ----------
    staffing_calls_per_hour
        Offered calls per hour, answered and abandoned (at least 0).
    staffing_aht_seconds
        Average handle time per answered call: talk, hold and after-call work (above 0).
    phone_answer_ring
        Answer by this ring (the source's 4th ring; 1 to 30).
    staffing_ring_seconds
        Length of one ring cycle (about 6 s: 2 s ringing, 4 s silence).
    staffing_service_level_target
        Share of calls to answer by that ring, strictly between 0 and 1.
    staffing_shrinkage_share
        Share of paid time not on the phones (0 to 0.95).
    staffing_max_occupancy_share
        Cap on the share of logged-in time spent on calls (above 0; 1 means no cap; a
        slider needs a number, so ``None`` is refused).
    """

    staffing_calls_per_hour: float = assumed("staffing_calls_per_hour")
    staffing_aht_seconds: float = assumed("staffing_aht_seconds")
    phone_answer_ring: int = assumed("phone_answer_ring")
    staffing_ring_seconds: float = assumed("staffing_ring_seconds")
    staffing_service_level_target: float = assumed("staffing_service_level_target")
    staffing_shrinkage_share: float = assumed("staffing_shrinkage_share")
    staffing_max_occupancy_share: float = assumed("staffing_max_occupancy_share")

    @property
    def answer_within_seconds(self) -> float:
        """The answer time promised: ``phone_answer_ring × staffing_ring_seconds`` (24 s)."""
        return self.phone_answer_ring * self.staffing_ring_seconds

    @property
    def traffic_erlangs(self) -> float:
        """Offered load, ``staffing_calls_per_hour × staffing_aht_seconds / 3600``."""
        return self.staffing_calls_per_hour * self.staffing_aht_seconds / SECONDS_PER_HOUR


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
    """Agents and staff needed to answer the target share of calls by the target ring.

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
    the occupancy cap
    (:func:`~workbook.models.responsiveness.sizing.agents_for_service_level`); staff to schedule is
    :math:`\\lceil n / (1 - \\text{shrinkage}) \\rceil`. Everything is per hour of steady
    load: a day with changing load is planned interval by interval
    (:func:`workbook.models.responsiveness.day_plan.plan_day`).

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
    calls, aht = p.staffing_calls_per_hour, p.staffing_aht_seconds
    traffic = p.traffic_erlangs
    within = p.answer_within_seconds
    target = p.staffing_service_level_target
    for_target = agents_for_service_level(calls, aht, within, target)
    agents = agents_for_service_level(calls, aht, within, target,
                                      max_occupancy_share=p.staffing_max_occupancy_share)
    if agents == 0:
        level, waiting, asa, busy = 1.0, 0.0, 0.0, 0.0
    else:
        level = service_level(agents, calls, aht, within)
        waiting = probability_of_waiting(agents, calls, aht)
        asa = average_speed_of_answer(agents, calls, aht)
        busy = occupancy(agents, calls, aht)
    last = max(agents + max(4, math.ceil(0.3 * agents)), math.floor(traffic) + 2)
    curve_agents, curve_levels = _curve(traffic, aht, within, last)
    return StaffingResult(
        params=p,
        traffic_erlangs=traffic,
        agents_for_target=for_target,
        agents=agents,
        scheduled_staff=staff_to_schedule(agents, p.staffing_shrinkage_share),
        service_level=level,
        probability_of_waiting=waiting,
        average_speed_of_answer_seconds=asa,
        occupancy_share=busy,
        curve_agents=curve_agents,
        curve_service_level=curve_levels,
    )


STAFFING: Model[StaffingParams, StaffingResult] = Model(
    name="staffing",
    params_type=StaffingParams,
    compute=compute_staffing,
    headline=StaffingResult.headline,
)
"""The staffing model, declared once: :class:`StaffingParams` in, :class:`StaffingResult` out."""
