"""Where things are: one place for every path, never the working directory.

The repository layout (``dashboards/``, ``notebooks/``, ``data/samples/``) is found from the
package's own location, since the Makefile installs it editable from the repository.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DASHBOARDS", "NOTEBOOKS", "REPO_ROOT", "SAMPLES"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = REPO_ROOT / "dashboards"
NOTEBOOKS = REPO_ROOT / "notebooks"
SAMPLES = REPO_ROOT / "data" / "samples"
