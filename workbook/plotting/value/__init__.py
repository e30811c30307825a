"""Charts of the value models (mirrors :mod:`workbook.models.value`)."""
