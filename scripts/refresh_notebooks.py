"""Re-execute notebooks in place and keep only the outputs nbval checks.

Notebooks are committed thin: no bulky outputs (charts, tables), only the text output of cells
marked ``# NBVAL_CHECK_OUTPUT``, which ``pytest --nbval-lax`` compares on every test run. Run
it after changing a notebook or a model: ``make notebooks``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        keep = cell.source.lstrip().startswith(MARK)
        cell.outputs = [o for o in cell.outputs if keep and o.get("output_type") == "stream"]
        if not cell.outputs:
            cell.execution_count = None  # nbval refuses stored outputs of an "unrun" cell
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    print(f"refreshed {path}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        refresh(Path(argument))
