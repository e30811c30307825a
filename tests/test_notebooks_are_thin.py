"""Notebooks and dashboards only call the package: no logic, no bulky outputs, papermill-ready."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from workbook.core.paths import DASHBOARDS, NOTEBOOKS
from workbook.run.runner import inspect_notebook

ALL = sorted([*NOTEBOOKS.glob("*.ipynb"), *DASHBOARDS.glob("*.ipynb")])


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_functions_or_classes_in_cells(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            assert not line.lstrip().startswith(("def ", "class ", "async def ")), (
                f"{path.name} cell {index}: logic belongs in workbook/")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_committed_without_bulky_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.outputs:
            assert cell.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT"), (
                f"{path.name} cell {index} has stored outputs; run `make notebooks`")
            assert len(nbformat.writes(notebook)) < 100_000


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_report_notebooks_declare_parameters_papermill_can_read(path: Path) -> None:
    spec = inspect_notebook(path)
    assert spec.parameters, f"{path.name}: papermill found no parameters"
    assert spec.params_type is not None, f"{path.name}: metadata.workbook.params is missing"
    # every declared parameter has a help comment and a type papermill understood
    for parameter in spec.parameters.values():
        assert parameter.help, f"{path.name}: {parameter.name} has no help comment"
        assert parameter.base_type is not None, f"{path.name}: {parameter.name} type unread"
    # papermill's own parser sees exactly the same names (no silently skipped lines)
    assert set(papermill.inspect_notebook(str(path))) == set(spec.parameters)


def test_roi_notebook_parameters_are_the_model_fields() -> None:
    import dataclasses

    from workbook.models.roi.calibrate import CalibrationParams
    from workbook.models.roi.service_roi import ServiceRoiParams

    spec = inspect_notebook(NOTEBOOKS / "01-service-roi.ipynb")
    assert set(spec.parameters) == {f.name for f in dataclasses.fields(ServiceRoiParams)} | {
        f.name for f in dataclasses.fields(CalibrationParams)}
