"""Charts of the recovery models (mirrors :mod:`workbook.models.recovery`)."""
