"""Charts of the loyalty models (mirrors :mod:`workbook.models.loyalty`)."""
