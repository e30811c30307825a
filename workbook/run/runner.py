"""Run a parameterised notebook as a report: validate, execute with papermill, export.

papermill alone only warns about an unknown parameter name and runs with the defaults, and it
checks no types (field notes). :func:`validate_parameters` refuses both before any cell runs.
A notebook declares the parameter objects its values must build in its metadata
(``metadata.workbook.params = "workbook.models.roi.service_roi:ServiceRoiParams"``, or a list
of such names when its parameters feed several models), so the checks are the models' own.

Outputs, each written to a temporary name and renamed into place:
``DIR/<stem>.ipynb`` (executed, kept even when a cell fails), ``DIR/<stem>.html`` (no code) and
``DIR/<stem>.results.json`` (headline numbers, parameters used, package version).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import default

import workbook
from workbook.core.atomic import atomic_write_text, temporary_path
from workbook.core.parameters import build_params, coerce_text
from workbook.core.validation import ParameterError
from workbook.run.results import extract_results, jsonable

__all__ = [
    "NotebookParameter",
    "NotebookSpec",
    "RunError",
    "RunOutcome",
    "inspect_notebook",
    "run_notebook",
    "validate_parameters",
]

_BASE_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}


class RunError(Exception):
    """A run that cannot start: a missing or unreadable notebook, a bad output folder."""


@dataclass(frozen=True, slots=True)
class NotebookParameter:
    """One variable of a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: str
    help: str

    @property
    def base_type(self) -> type | None:
        """``int``, ``float``, ``str`` or ``bool`` from the annotation (``float | None``: float)."""
        for part in self.type_name.replace("Optional[", "").rstrip("]").split("|"):
            if part.strip() in _BASE_TYPES:
                return _BASE_TYPES[part.strip()]
        return None


@dataclass(frozen=True, slots=True)
class NotebookSpec:
    """What a notebook accepts: its parameters and the parameter objects that check them."""

    path: Path
    parameters: dict[str, NotebookParameter]
    params_types: tuple[type, ...] = ()

    @property
    def params_type(self) -> type | None:
        """The first (main) parameter object, if any."""
        return self.params_types[0] if self.params_types else None

    def describe(self) -> str:
        """One line per parameter: name, type and help, for ``--help``-style listings."""
        return "\n".join(
            f"  {p.name} ({p.type_name}): {p.help}".rstrip(": ") for p in self.parameters.values()
        )


@dataclass(slots=True)
class RunOutcome:
    """What :func:`run_notebook` produced."""

    notebook: Path
    html: Path | None = None
    results_path: Path | None = None
    results: dict[str, Any] | None = None
    error: str | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """``True`` when every cell ran and the results were written."""
        return self.error is None


def _load_params_types(reference: str | list[str] | None, path: Path) -> tuple[type, ...]:
    references = [reference] if isinstance(reference, str) else list(reference or [])
    types: list[type] = []
    for item in references:
        module_name, _, attribute = item.partition(":")
        try:
            types.append(getattr(importlib.import_module(module_name), attribute))
        except (ImportError, AttributeError) as error:
            raise RunError(f"{path}: metadata names parameter object {item!r}, which cannot "
                           f"be imported ({error})") from None
    return tuple(types)


def inspect_notebook(path: Path) -> NotebookSpec:
    """Read a notebook's parameters cell (via papermill) and its declared parameter object.

    Raises
    ------
    RunError
        When the file is missing, not a notebook, or has no cell tagged ``parameters``.
    """
    # kept out of the dashboard kernel (its scenario panel imports this module): see
    # workbook.ui.kernel
    import nbformat
    import papermill

    path = Path(path)
    if not path.is_file():
        raise RunError(f"{path}: no such notebook")
    if path.suffix != ".ipynb":
        raise RunError(f"{path}: expected a Jupyter notebook (.ipynb)")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds
        raise RunError(f"{path}: not a readable notebook ({error})") from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in notebook.cells):
        raise RunError(f"{path}: no cell tagged 'parameters', so it takes no parameters")
    found = papermill.inspect_notebook(str(path))
    parameters = {
        name: NotebookParameter(name, str(info.get("inferred_type_name") or "None"),
                                str(info.get("default")), str(info.get("help") or ""))
        for name, info in found.items()
    }
    reference = notebook.metadata.get("workbook", {}).get("params")
    return NotebookSpec(path, parameters, _load_params_types(reference, path))


def validate_parameters(
    spec: NotebookSpec, values: Mapping[str, Any], *, from_text: bool = False
) -> dict[str, Any]:
    """Check ``values`` against the notebook, return them typed, ready for papermill.

    An unknown name is refused with the list of known ones; a value is converted to the
    annotated type (when ``from_text``) and checked by the notebook's parameter object, so
    ``spend_uplift_excellent_service 1.5`` fails here, before any cell runs.

    Raises
    ------
    ParameterError
        Naming the parameter and what it accepts.
    """
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if name not in spec.parameters:
            raise ParameterError.unknown(name, spec.parameters, spec.path.name)
        kind = spec.parameters[name].base_type
        if from_text and isinstance(value, str) and kind is not None:
            value = coerce_text(name, value, kind)
        typed[name] = value
    for params_type in spec.params_types:
        fields = {f.name for f in dataclasses.fields(params_type)}
        build_params(params_type, {k: v for k, v in typed.items() if k in fields})
    return typed


def ipc_kernel_manager(folder: Path) -> type:
    """A kernel manager class whose kernel talks over Unix sockets in ``folder``.

    Kernels on TCP ports warn that they are unencrypted, and parallel runs can race for ports
    (``ZMQError: Address already in use``, nteract/papermill#511). Sockets in a private
    folder avoid both.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return str(folder / "kernel")

    return IpcKernelManager


def run_notebook(
    path: Path,
    out_dir: Path,
    parameters: Mapping[str, Any] | None = None,
    *,
    from_text: bool = False,
    progress: bool = False,
    timeout_seconds: int | None = None,
) -> RunOutcome:
    """Validate ``parameters``, execute the notebook, write notebook, HTML and results.

    Parameters
    ----------
    path
        The notebook (never written to).
    out_dir
        Folder for ``<stem>.ipynb``, ``<stem>.html`` and ``<stem>.results.json``; created when
        missing.
    parameters
        Name to value; validated first (see :func:`validate_parameters`).
    from_text
        Values are command-line text to convert to each parameter's type.
    progress
        Show papermill's progress bar.
    timeout_seconds
        Per-cell time limit.

    Raises
    ------
    ParameterError, RunError
        Before anything runs, for bad parameters or paths.
    """
    # kept out of the dashboard kernel (its scenario panel imports this module): see
    # workbook.ui.kernel
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from workbook.run.report import notebook_to_html  # nbconvert

    path = Path(path).resolve()
    spec = inspect_notebook(path)
    values = validate_parameters(spec, parameters or {}, from_text=from_text)
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise RunError(f"{out_dir}: exists and is not a folder")
    stem = path.stem
    executed_path = out_dir / f"{stem}.ipynb"
    if executed_path == path:
        raise RunError(f"{out_dir}: is the notebook's own folder; the executed copy would "
                       "overwrite the notebook. Choose another --out folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    outcome = RunOutcome(notebook=executed_path)
    html_path, results_path = out_dir / f"{stem}.html", out_dir / f"{stem}.results.json"

    temp = temporary_path(executed_path)
    try:
        with tempfile.TemporaryDirectory(prefix="workbook-kernel-") as sockets:
            papermill.execute_notebook(
                str(path), str(temp), parameters=values, progress_bar=progress,
                cwd=str(path.parent), execution_timeout=timeout_seconds, log_output=False,
                kernel_manager_class=ipc_kernel_manager(Path(sockets)),
            )
    except PapermillExecutionError as error:
        outcome.error = (f"cell {error.exec_count} failed: {error.ename}: {error.evalue}")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if temp.stat().st_size:
        os.replace(temp, executed_path)
        outcome.files.append(executed_path)
    else:
        temp.unlink(missing_ok=True)
    if outcome.error is not None:
        # A stale report beside a failed run would be read as this run's: remove it.
        for stale in (html_path, results_path):
            stale.unlink(missing_ok=True)
        return outcome

    executed = nbformat.read(executed_path, as_version=4)
    results = extract_results(executed)
    if results is None:
        outcome.error = ("the notebook ran but published no results (it must call "
                         "workbook.run.results.publish_results)")
        return outcome
    atomic_write_text(html_path, notebook_to_html(executed))
    record = {
        **results["headline"],
        "parameters": results["parameters"],
        "notebook": path.name,
        "workbook_version": workbook.__version__,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(results_path, json.dumps(jsonable(record), indent=2) + "\n")
    outcome.html, outcome.results_path, outcome.results = html_path, results_path, record
    outcome.files += [html_path, results_path]
    return outcome
