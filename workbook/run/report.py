"""Executed notebook → a self-contained HTML report without code.

nbconvert has no renderer for plotly's ``application/vnd.plotly.v1+json`` output, the format
plotly stores under papermill (small, diff-friendly). :func:`notebook_to_html` turns each such
output into a plotly ``<div>``, embeds plotly.js once (so the report opens offline and can be
mailed), and drops code cells, prompts and our results payload.
"""

from __future__ import annotations

import copy
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from workbook.run.results import RESULTS_MIMETYPE

__all__ = ["PLOTLY_MIMETYPE", "notebook_to_html"]

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def _plotly_html(figure_json: dict[str, Any], div_id: str, include_plotlyjs: bool) -> str:
    import plotly.io as pio

    return pio.to_html(
        figure_json,
        include_plotlyjs=include_plotlyjs,
        full_html=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
        validate=False,
    )


def _prepare(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    prepared = copy.deepcopy(notebook)
    figures = 0
    for cell in prepared.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                continue
            if PLOTLY_MIMETYPE in data:
                figures += 1
                html = _plotly_html(data[PLOTLY_MIMETYPE], f"figure-{figures}", figures == 1)
                output["data"] = {"text/html": html}
                output["metadata"] = {}
            kept.append(output)
        cell.outputs = kept
    return prepared


def notebook_to_html(notebook: nbformat.NotebookNode, *, title: str | None = None) -> str:
    """Render an executed notebook as report HTML: narrative, tables, charts; no code.

    Parameters
    ----------
    notebook
        An executed notebook (not modified).
    title
        The page title; the notebook's first heading when omitted.
    """
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {"metadata": {"name": title}} if title else None
    body, _ = exporter.from_notebook_node(_prepare(notebook), resources=resources)
    return body
