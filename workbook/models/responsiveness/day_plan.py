"""A day's staffing plan from a call log: arrivals, agents and service level per interval.

:func:`plan_day` averages the log's arrivals (and handle times) per interval of the day, sizes
each interval as a steady Erlang C queue with the vectorised
:func:`~workbook.models.responsiveness.sizing.size_intervals` core, and sets the plan beside
what the log observed. The log's schema is :mod:`workbook.data.calllog`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.core.validation import ParameterError, require_integer
from workbook.data.calllog import validate_call_log
from workbook.models.responsiveness.erlang import SECONDS_PER_HOUR
from workbook.models.responsiveness.sizing import _ROUNDING, _size_vector
from workbook.models.responsiveness.staffing import StaffingParams

__all__ = ["INTERVAL_MINUTES", "WEEKDAYS", "DayPlanResult", "plan_day"]

INTERVAL_MINUTES: tuple[int, ...] = (15, 30, 60)
"""The interval lengths a plan accepts, in minutes."""

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday", "Sunday")
"""Names of ``weekday`` 0 to 6."""


@dataclass(frozen=True, slots=True)
class DayPlanResult:
    """Outputs of :func:`plan_day`.

    Attributes
    ----------
    params
        Target, rings, shrinkage and occupancy cap used (their ``staffing_calls_per_hour`` is
        not: arrivals come from the log).
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
        return "all days" if self.weekday is None else f"{WEEKDAYS[self.weekday]}s"

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
        ``params.staffing_aht_seconds`` for every interval.

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

    **Sizing.** Each interval is sized on its own as a steady Erlang C queue, vectorised over
    intervals as in :func:`~workbook.models.responsiveness.sizing.size_intervals`: the fewest
    agents meeting the target within the occupancy cap, then staff to schedule after
    shrinkage. Calls that spill over
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
    if minutes not in INTERVAL_MINUTES:
        raise ParameterError("interval_minutes", "15, 30 or 60", interval_minutes)
    if weekday is not None:
        weekday = require_integer("weekday", weekday, low=0, high=6)
    log = validate_call_log(call_log)
    stamps = log["arrived_at"]
    if weekday is not None:
        keep = (stamps.dt.day_of_week == weekday).to_numpy()
        log, stamps = log[keep], stamps[keep]
    if log.empty:
        where = "the call log" if weekday is None else f"the call log on {WEEKDAYS[weekday]}s"
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
        aht = np.where(aht > 0, aht, p.staffing_aht_seconds)
    else:
        aht = np.full(slots, p.staffing_aht_seconds)
    traffic = calls_per_hour * aht / SECONDS_PER_HOUR
    agents, level, waiting = _size_vector(traffic, aht, within, p.staffing_service_level_target,
                                          p.staffing_max_occupancy_share)
    scheduled = np.ceil(agents / (1.0 - p.staffing_shrinkage_share)
                        - _ROUNDING).astype(np.int64)
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
