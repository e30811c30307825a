"""Charts of the quality models (mirrors :mod:`workbook.models.quality`)."""
