"""Kernel start-up for dashboards: keep the time to interactive short.

Creating a plotly ``FigureWidget`` imports ``plotly.io._renderers`` → nbformat → jsonschema,
whose optional ``iri`` format checker imports ``rfc3987_syntax``; that package compiles its
Earley grammars at import, about 1 s of a 1.4 s warm-up measured here (field notes;
python-jsonschema/jsonschema#1392). Nothing in a dashboard kernel validates IRIs, so the
dashboard notebooks call :func:`skip_slow_optional_imports` first. jsonschema treats the checker
as optional and simply does without it. Only the dashboard kernel is affected, never the
JupyterLab server, papermill runs or the notebooks.
"""

from __future__ import annotations

import sys

__all__ = ["SLOW_OPTIONAL_MODULES", "skip_slow_optional_imports"]

SLOW_OPTIONAL_MODULES: tuple[str, ...] = ("rfc3987_syntax",)
"""Optional imports that cost start-up time and serve no dashboard."""


def skip_slow_optional_imports() -> list[str]:
    """Make the modules in :data:`SLOW_OPTIONAL_MODULES` unimportable in this process.

    A ``None`` entry in ``sys.modules`` makes ``import name`` raise ``ImportError``, which is
    how their importers detect that an optional package is absent. Modules already imported
    are left alone.

    Returns
    -------
    list of str
        The modules this call blocked.
    """
    blocked = [name for name in SLOW_OPTIONAL_MODULES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    return blocked
