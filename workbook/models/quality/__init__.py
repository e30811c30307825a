"""Service quality: the nine relationship qualities, Drucker's levels, and decay.

:mod:`~workbook.models.quality.relationship` (gap scores and importance–performance),
:mod:`~workbook.models.quality.drucker` (Drucker's four levels and what a step up is worth,
declared once as :data:`~workbook.models.quality.drucker.DRUCKER_LEVELS`),
:mod:`~workbook.models.quality.decay` (quality left alone runs down; declared once as
:data:`~workbook.models.quality.decay.SERVICE_DECAY`) and
:mod:`~workbook.models.quality.analysis` (notebook 06 and the dashboard's survey picture in one
call). The survey itself (schema, loader, sample) is :mod:`workbook.data.surveys`.
"""

__all__: list[str] = []
