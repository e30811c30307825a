"""What a call log measured: the share of offered calls answered by the target ring.

The log itself (schema, loading, validation, the sample) is :mod:`workbook.data.calllog`;
this is the statistic the staffing model's target is held against. The same count per
interval of the day is the ``observed_answered_within_share`` column of
:func:`workbook.models.responsiveness.day_plan.plan_day`.
"""

from __future__ import annotations

import pandas as pd

from workbook.data.calllog import validate_call_log

__all__ = ["share_answered_within"]


def share_answered_within(call_log: pd.DataFrame, answer_within_seconds: float) -> float:
    """Share of offered calls answered within ``answer_within_seconds``.

    Abandoned calls count as not answered in time; the log is validated first.

    Examples
    --------
    >>> log = pd.DataFrame({"call_id": ["a", "b", "c", "d"],
    ...                     "arrived_at": ["2026-03-02 09:00:00"] * 4,
    ...                     "wait_seconds": [5, 30, 10, 3], "handle_seconds": [90, 60, 0, 120],
    ...                     "abandoned": [0, 0, 1, 0]})
    >>> share_answered_within(log, 24)
    0.5
    """
    log = validate_call_log(call_log)
    answered = ~log["abandoned"].to_numpy(dtype=bool)
    in_time = answered & (log["wait_seconds"].to_numpy() <= answer_within_seconds)
    return float(in_time.mean()) if len(log) else float("nan")
