"""Complaint recovery (:mod:`~workbook.models.recovery.complaints`, ``COMPLAINT_RECOVERY``), word
of mouth (:mod:`~workbook.models.recovery.word_of_mouth`, ``WORD_OF_MOUTH``), their inputs
together (:mod:`~workbook.models.recovery.combined`) and the analysis notebook 04 and the
dashboard share (:mod:`~workbook.models.recovery.analysis`)."""
