"""Notebooks and dashboards only call the package: no logic, no bulky outputs, papermill-ready.

A report notebook's parameters are the fields of the parameter objects its metadata names
(``metadata.workbook.params``, read by :func:`workbook.run.runner.inspect_notebook`), so
``workbook run -p NAME VALUE`` is checked by the models themselves; the few that are not (data
files, an as-of date, a switch) are listed below, each with its reason.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
from pathlib import Path

import nbformat
import papermill
import pytest

from workbook.core.paths import DASHBOARDS, NOTEBOOKS
from workbook.run.runner import inspect_notebook

ALL = sorted([*NOTEBOOKS.glob("*.ipynb"), *DASHBOARDS.glob("*.ipynb")])
REPORTS = sorted(NOTEBOOKS.glob("*.ipynb"))

_CUSTOMER_FILES = {
    "transactions_path": "input file, read by workbook.data.load.load_customer_data",
    "customers_path": "input file, read by workbook.data.load.load_customer_data",
    "prospects_path": "input file, read by workbook.data.load.load_customer_data",
    "column_map": "how to read the input files (their column names), not a model input",
    "as_of": "the snapshot date of the data, given to the model beside its parameters",
}
RUN_OPTIONS: dict[str, dict[str, str]] = {
    "01-service-roi.ipynb": {},  # data_path, as_of, assumptions_from: CalibrationParams fields
    "02-loyalty-stages.ipynb": {
        **_CUSTOMER_FILES,
        "forecast_periods": "how far the stage forecast looks ahead: an option of "
                            "compute_ladder, not a figure of the ladder",
    },
    "03-customer-value.ipynb": dict(_CUSTOMER_FILES),
    "04-word-of-mouth-and-complaints.ipynb": {
        "complaints_path": "input file, read by workbook.data.complaints.measure_complaints",
        "transactions_path": "input file, read by workbook.data.complaints.measure_complaints",
        "complaint_prompt_days": "how measure_complaints reads the file (a complaint resolved "
                                 "within this many days is prompt), not a model input",
        "use_measured": "switch: the figures measured from the files replace the registry's",
    },
    "05-responsiveness.ipynb": {
        "call_log_path": "input file, read by workbook.data.calllog.load_call_log",
        "interval_minutes": "how plan_day cuts the day, not a staffing figure",
        "weekday": "which days of the log plan_day averages",
        "aht_from_log": "switch: plan_day takes handle times from the log",
    },
    "06-service-quality.ipynb": {
        "survey_path": "input file, read by load_survey",
        "importance": "how importance_performance weighs the qualities (stated or derived)",
    },
}
"""Per report notebook: the parameters that are run options, not fields, and why."""

LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
         ast.GeneratorExp)
CHECK_OUTPUT = "# NBVAL_CHECK_OUTPUT"


def _code_cells(path: Path) -> list[tuple[int, nbformat.NotebookNode, ast.Module]]:
    """Every code cell with its index and its syntax tree (IPython ``%``/``!`` lines left out)."""
    notebook = nbformat.read(path, as_version=4)
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                           for line in cell.source.splitlines())
        cells.append((index, cell, ast.parse(source, filename=f"{path.name} cell {index}")))
    return cells


def _is_parameters(cell: nbformat.NotebookNode) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


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


def test_every_report_notebook_lists_its_run_options() -> None:
    assert sorted(RUN_OPTIONS) == [p.name for p in REPORTS]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_notebook_parameters_are_fields_of_its_parameter_objects(path: Path) -> None:
    """Rule 1 of issue 11 reaches the notebooks: a parameter is named as the field it sets."""
    spec = inspect_notebook(path)
    fields = {f.name for t in spec.params_types for f in dataclasses.fields(t)}
    options = RUN_OPTIONS[path.name]
    types = ", ".join(t.__name__ for t in spec.params_types)
    unknown = []
    for name in spec.parameters:
        if name not in fields and name not in options:
            close = difflib.get_close_matches(name, sorted(fields), n=1, cutoff=0.5)
            unknown.append(f"{name} (did you mean {close[0]}?)" if close else name)
    assert not unknown, (f"{path.name}: parameters that are no field of {types} and no listed "
                         f"run option: {', '.join(unknown)}")
    stale = sorted(n for n in options if n in fields or n not in spec.parameters)
    assert not stale, f"{path.name}: RUN_OPTIONS lists fields or absent names: {stale}"


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_parameters_cell_holds_literals_only(path: Path) -> None:
    """papermill injects values after this cell: a value derived here would not follow them."""
    for index, cell, tree in _code_cells(path):
        if not _is_parameters(cell):
            continue
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "typing":
                continue
            assert isinstance(node, (ast.Assign, ast.AnnAssign)), (
                f"{path.name} cell {index} line {node.lineno}: only `name: type = literal`")
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assert all(isinstance(t, ast.Name) for t in targets), (
                f"{path.name} cell {index} line {node.lineno}: assign one plain name")
            try:
                ast.literal_eval(node.value)
            except ValueError:
                pytest.fail(f"{path.name} cell {index} line {node.lineno}: "
                            f"{ast.unparse(node.value)} is not a literal")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_loops_lambdas_or_comprehensions_outside_display_cells(path: Path) -> None:
    """Iterating over results is logic: it belongs in ``workbook/``, tested there.

    Cells that only print checked text (``# NBVAL_CHECK_OUTPUT``) may loop to print.
    """
    found = [
        f"cell {index} line {node.lineno}: {type(node).__name__}"
        for index, cell, tree in _code_cells(path)
        if not cell.source.lstrip().startswith(CHECK_OUTPUT)
        for node in ast.walk(tree) if isinstance(node, LOOPS)
    ]
    assert not found, f"{path.name}: logic belongs in workbook/: {'; '.join(found)}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_name_is_computed_with_arithmetic(path: Path) -> None:
    """``share = kept / total`` in a notebook is a model nobody tests: compute it in the package."""
    found = []
    for index, _cell, tree in _code_cells(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.AugAssign):
                found.append(f"cell {index} line {node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and (
                    node.value is not None
                    and any(isinstance(n, ast.BinOp) for n in ast.walk(node.value))):
                found.append(f"cell {index} line {node.lineno}: {ast.unparse(node)[:80]}")
    assert not found, f"{path.name}: arithmetic on results belongs in workbook/: {found}"
