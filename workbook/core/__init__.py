"""The contract every model shares: the registry of assumptions, parameter declarations
(:mod:`~workbook.core.declare`), the model record (:mod:`~workbook.core.model`), validation,
finance, formatting, paths and atomic writes. Nothing here imports a model."""
