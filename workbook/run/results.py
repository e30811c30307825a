"""Headline results that leave a notebook as data, not as text to scrape.

A notebook's last cell calls :func:`publish_results`, which displays a JSON payload under a
mimetype of our own. The executed notebook keeps it; ``workbook run`` reads it back with
:func:`extract_results` and writes ``<stem>.results.json``. Nothing is written to disk from
inside the kernel, so a notebook run by hand, by papermill or by nbval behaves the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["RESULTS_MIMETYPE", "extract_results", "jsonable", "publish_results"]

RESULTS_MIMETYPE = "application/vnd.workbook.results+json"


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars and arrays made plain, and NaN or infinity as ``None``."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def publish_results(headline: Mapping[str, Any], *, parameters: Mapping[str, Any]) -> None:
    """Display the headline numbers and the parameters used as a results payload.

    Parameters
    ----------
    headline
        Name to number, e.g. ``{"npv": 384932.0, "roi": 0.74}``.
    parameters
        The resolved parameters the numbers came from (defaults filled in).
    """
    from IPython.display import display

    payload = {"headline": jsonable(headline), "parameters": jsonable(parameters)}
    display({RESULTS_MIMETYPE: payload}, raw=True)


def extract_results(notebook: Mapping[str, Any]) -> dict[str, Any] | None:
    """The last results payload in an executed notebook, or ``None`` when there is none."""
    found = None
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                found = dict(data[RESULTS_MIMETYPE])
    return found
