"""Responsiveness: staffing the phones to answer by the 4th ring (Erlang C).

One concept per module: :mod:`~workbook.models.responsiveness.erlang` (how a given number of
agents answers a queue), :mod:`~workbook.models.responsiveness.sizing` (the fewest agents for
a target, one queue or many intervals at once), :mod:`~workbook.models.responsiveness.staffing`
(the model: :class:`~workbook.models.responsiveness.staffing.StaffingParams` in, declared once
as :data:`~workbook.models.responsiveness.staffing.STAFFING`),
:mod:`~workbook.models.responsiveness.day_plan` (an average day planned from a call log),
:mod:`~workbook.models.responsiveness.observed` (what the log measured),
:mod:`~workbook.models.responsiveness.simulate` (the seeded queue simulation the tests hold
Erlang C against) and :mod:`~workbook.models.responsiveness.analysis` (notebook 05 in one
call). The call log itself is :mod:`workbook.data.calllog`.
"""

__all__: list[str] = []
