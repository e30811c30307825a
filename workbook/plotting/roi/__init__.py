"""Charts of the roi models (mirrors :mod:`workbook.models.roi`)."""
