"""The loyalty ladder (:mod:`~workbook.models.loyalty.ladder`), the 80/20 rule measured
(:mod:`~workbook.models.loyalty.pareto`) and the analysis notebook 02 and the dashboard share
(:mod:`~workbook.models.loyalty.analysis`)."""
