"""The responsiveness analysis of notebook 05, in one call: one steady hour, the log, the day.

:func:`analyse_responsiveness` sizes the steady hour of :class:`StaffingParams`
(:data:`~workbook.models.responsiveness.staffing.STAFFING`), reads the call log, measures the
share it answered by the target ring and plans an average day from it; its
:meth:`~ResponsivenessAnalysis.headline` and :meth:`~ResponsivenessAnalysis.parameters` are
what ``workbook run`` publishes. The notebook shows the result; it assembles nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.data.calllog import SAMPLE_CALL_LOG, load_call_log
from workbook.models.responsiveness.day_plan import DayPlanResult, plan_day
from workbook.models.responsiveness.observed import share_answered_within
from workbook.models.responsiveness.staffing import STAFFING, StaffingParams, StaffingResult

__all__ = ["ResponsivenessAnalysis", "analyse_responsiveness"]


@dataclass(frozen=True, slots=True)
class ResponsivenessAnalysis:
    """Outputs of :func:`analyse_responsiveness`.

    Attributes
    ----------
    params
        The staffing inputs.
    staffing
        One hour of steady load (``staffing_calls_per_hour``, ``staffing_aht_seconds``).
    call_log, call_log_source
        The validated log and where it came from (the path as given).
    log_share
        Share of the log's offered calls answered by the target ring.
    plan
        The average day planned from the log.
    aht_from_log
        Whether the plan took each interval's handle time from the log.
    """

    params: StaffingParams
    staffing: StaffingResult
    call_log: pd.DataFrame
    call_log_source: str
    log_share: float
    plan: DayPlanResult
    aht_from_log: bool

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready): the hour's, the day's and the log's."""
        return {
            **STAFFING.headline(self.staffing), **self.plan.headline(),
            "agents_needed": self.staffing.agents,
            "share_answered_by_4th_ring_in_log": self.log_share,
        }

    def parameters(self) -> dict[str, Any]:
        """The inputs as a report records them (JSON-ready)."""
        return {
            **self.params.to_dict(), "answer_within_seconds": self.params.answer_within_seconds,
            "call_log": self.call_log_source, "interval_minutes": self.plan.interval_minutes,
            "weekday": self.plan.weekday, "aht_from_log": self.aht_from_log,
        }


def analyse_responsiveness(
    params: StaffingParams | None = None,
    call_log_path: str | Path | None = None,
    *,
    interval_minutes: int = 30,
    weekday: int | None = None,
    aht_from_log: bool = True,
) -> ResponsivenessAnalysis:
    """Staffing for a steady hour, the log's share answered in time, and a day's plan.

    Parameters
    ----------
    params
        Staffing inputs; registry defaults when omitted.
    call_log_path
        A call-log CSV (:mod:`workbook.data.calllog`); the sample log when omitted.
    interval_minutes, weekday, aht_from_log
        As in :func:`~workbook.models.responsiveness.day_plan.plan_day`.

    Returns
    -------
    ResponsivenessAnalysis

    Examples
    --------
    >>> analysis = analyse_responsiveness()
    >>> analysis.headline()["agents_needed"], analysis.headline()["peak_agents"]
    (13, 7)
    """
    p = params if params is not None else StaffingParams()
    source = call_log_path or SAMPLE_CALL_LOG
    call_log = load_call_log(source)
    return ResponsivenessAnalysis(
        params=p,
        staffing=STAFFING.compute(p),
        call_log=call_log,
        call_log_source=str(source),
        log_share=share_answered_within(call_log, p.answer_within_seconds),
        plan=plan_day(call_log, p, interval_minutes=interval_minutes, weekday=weekday,
                      aht_from_log=aht_from_log),
        aht_from_log=aht_from_log,
    )
