"""Customer data: the column vocabulary, validated loading, and the sample business.

- :mod:`workbook.data.schema`: the columns of each kind of file and the column map;
- :mod:`workbook.data.load`: CSV, Parquet, DuckDB files and DataFrames read through one
  DuckDB/Ibis layer, with :class:`DataError` naming the file, column and first bad rows;
- :mod:`workbook.data.samples`: the seeded sample business in ``data/samples``.
"""

from __future__ import annotations

from workbook.data.load import (
    CustomerData,
    DataError,
    check_file,
    connect,
    load_customer_data,
    load_table,
)
from workbook.data.samples import SAMPLE_KINDS, generate_samples, sample_path, write_samples
from workbook.data.schema import SCHEMAS, get_schema, parse_column_map

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
