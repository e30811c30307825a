"""Charts of the responsiveness models (mirrors :mod:`workbook.models.responsiveness`)."""
