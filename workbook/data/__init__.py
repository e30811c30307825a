"""Customer data: the column vocabulary, validated loading, and the sample business.

- :mod:`workbook.data.schema`: the columns of each kind of file and the column map;
- :mod:`workbook.data.load`: CSV, Parquet, DuckDB files and DataFrames read through one
  DuckDB/Ibis layer, with :class:`DataError` naming the file, column and first bad rows;
- :mod:`workbook.data.samples`: the seeded sample business in ``data/samples``.

The names below are imported on first use (PEP 562): importing one reader of this package
(the call log's, the survey's) does not load the DuckDB/Ibis layer (see
:mod:`workbook.ui.kernel`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbook.data.load import (
        CustomerData,
        check_file,
        connect,
        load_customer_data,
        load_table,
    )
    from workbook.data.samples import SAMPLE_KINDS, generate_samples, sample_path, write_samples
    from workbook.data.schema import SCHEMAS, get_schema, parse_column_map
    from workbook.data.validate import DataError

_LAZY: dict[str, str] = {
    "CustomerData": "workbook.data.load",
    "DataError": "workbook.data.validate",
    "check_file": "workbook.data.load",
    "connect": "workbook.data.load",
    "load_customer_data": "workbook.data.load",
    "load_table": "workbook.data.load",
    "SAMPLE_KINDS": "workbook.data.samples",
    "generate_samples": "workbook.data.samples",
    "sample_path": "workbook.data.samples",
    "write_samples": "workbook.data.samples",
    "SCHEMAS": "workbook.data.schema",
    "get_schema": "workbook.data.schema",
    "parse_column_map": "workbook.data.schema",
}
"""Where each name lives."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'workbook.data' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "SAMPLE_KINDS",
    "SCHEMAS",
    "CustomerData",
    "DataError",
    "check_file",
    "connect",
    "generate_samples",
    "get_schema",
    "load_customer_data",
    "load_table",
    "parse_column_map",
    "sample_path",
    "write_samples",
]
