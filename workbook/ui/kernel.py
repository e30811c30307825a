"""Kernel start-up for dashboards: a dashboard kernel imports only what its page needs.

Every viewer of a dashboard gets a kernel of their own, so what a kernel imports is paid in
CPU-seconds and resident memory once per viewer (docs/serving.md). This module holds the
three things that keep a dashboard kernel light, and the table that says what each page must
not load (:data:`DASHBOARD_FORBIDDEN_MODULES`, checked by ``tests/ui/test_light_kernels.py``):

- :func:`skip_slow_optional_imports`, which the dashboard notebooks call first. Creating a
  plotly ``FigureWidget`` imports ``plotly.io._renderers``, which imports nbformat (an optional
  import of plotly's, used only by ``fig.show()``); nbformat imports jsonschema, whose optional
  ``iri`` format checker imports ``rfc3987_syntax``, which compiles its Earley grammars at
  import (field notes; python-jsonschema/jsonschema#1392). This call makes ``rfc3987_syntax``
  unimportable and hands plotly a stand-in for nbformat that imports it on first use
  (:func:`defer_plotly_nbformat`): the charts never use it, so the kernel never loads
  nbformat, jsonschema and their format checkers (136 modules; about 0.12 CPU-s and 6 MB
  here, on top of the ~1 s that blocking rfc3987_syntax saves).
- :func:`query_string`: the viewer's URL query, by the protocol of Voilà's
  ``voila.utils.get_query_string`` without importing ``voila.utils``, which brings
  jupyter_server, nbconvert and jsonschema into the kernel (690 modules; about 0.5 CPU-s and
  30 MB here, 2.2 CPU-s without the blocked rfc3987_syntax).
- heavy packages imported inside the functions that need them throughout the package (pandas
  for a table, the DuckDB/Ibis data layer, nbconvert for a report), marked "kept out of the
  dashboard kernel: see workbook.ui.kernel", and package namespaces (``workbook``,
  ``workbook.data``, ``workbook.ui``) that import their names on first use (PEP 562).

Under ``workbook dashboard`` a chart's widget also opens with the small module that loads
plotly's bundle by URL, not with the 4.8 MB bundle itself
(:func:`workbook.ui.assets.figure_widget`): that saves the kernel and Voilà, which reads every
kernel message, 4.8 MB per chart.

Only the dashboard kernels call :func:`skip_slow_optional_imports`; the JupyterLab server,
papermill runs and the notebooks are left as they are.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = [
    "DASHBOARD_FORBIDDEN_MODULES",
    "SLOW_OPTIONAL_MODULES",
    "defer_plotly_nbformat",
    "query_string",
    "skip_slow_optional_imports",
]

SLOW_OPTIONAL_MODULES: tuple[str, ...] = ("rfc3987_syntax",)
"""Optional imports that cost start-up time and serve no dashboard."""

_SERVER_SIDE: tuple[str, ...] = (
    "nbconvert", "nbclient", "papermill", "nbformat", "jsonschema", "voila", "jupyter_server",
    "rfc3987_syntax",
)
"""Running, converting and serving notebooks: the server's and the reports' work, no page's."""

_DATA_LAYER: tuple[str, ...] = ("ibis", "duckdb", "sqlglot")
"""The DuckDB/Ibis reader of customer files (:mod:`workbook.data.load`)."""

DASHBOARD_FORBIDDEN_MODULES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "service-roi.ipynb": (*_SERVER_SIDE, *_DATA_LAYER, "pandas", "pyarrow", "scipy"),
    "word-of-mouth.ipynb": (*_SERVER_SIDE, *_DATA_LAYER, "pandas", "pyarrow", "scipy"),
    "responsiveness.ipynb": (*_SERVER_SIDE, *_DATA_LAYER, "scipy"),
    "loyalty.ipynb": _SERVER_SIDE,
})
"""Top-level packages each dashboard's kernel must not import, by notebook in ``dashboards/``.

The ROI and word-of-mouth pages compute with NumPy alone; the responsiveness page reads a call
log and a survey with pandas but no database; the loyalty page reads customer files through
DuckDB/Ibis (pandas, pyarrow) and fits BG/NBD (scipy). No page runs, converts or serves
notebooks. ROI: the measured-from-data switch loads the data layer when a viewer turns it on,
not before; the scenario panel never runs a notebook.
"""


class _ImportedOnFirstUse:
    """Stands in for an optional module a library imports eagerly but uses rarely.

    Any attribute read imports the real module and reads it there. ``__spec__`` is ``None``
    so that the import system, asked for the module while the stand-in is in ``sys.modules``,
    returns the stand-in as it is instead of reading its attributes.
    """

    __spec__ = None

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(object.__getattribute__(self, "_name")),
                       attribute)

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_name')}, imported on first use>"


def defer_plotly_nbformat() -> bool:
    """Let plotly's renderers import without importing nbformat (until ``fig.show()`` needs it).

    ``plotly.io._renderers`` reads ``nbformat = optional_imports.get_module("nbformat")`` at
    import and uses it in one place: ``plotly.io.show`` checks ``nbformat.__version__`` before
    a mimetype render. ``plotly.basewidget`` (every ``FigureWidget``) imports that module for
    ``display_jupyter_version_warnings`` alone. This imports ``plotly.io._renderers`` with an
    :class:`_ImportedOnFirstUse` stand-in for nbformat in ``sys.modules``, then takes the
    stand-in out again: plotly keeps it as its ``nbformat`` and imports the real one on
    ``fig.show()``; every other ``import nbformat`` gets the real package, as before.

    Returns
    -------
    bool
        ``True`` when this call imported plotly's renderers with the stand-in; ``False`` when
        they or nbformat were imported already (nothing to save).
    """
    if "plotly.io._renderers" in sys.modules or "nbformat" in sys.modules:
        return False
    sys.modules["nbformat"] = _ImportedOnFirstUse("nbformat")  # type: ignore[assignment]
    try:
        import plotly.io._renderers  # noqa: F401  (imported for its side effect)
    finally:
        del sys.modules["nbformat"]
    return True


def skip_slow_optional_imports() -> list[str]:
    """Keep the slow optional imports out of this (dashboard) kernel.

    Makes the modules in :data:`SLOW_OPTIONAL_MODULES` unimportable (a ``None`` entry in
    ``sys.modules`` makes ``import name`` raise ``ImportError``, which is how their importers
    detect that an optional package is absent; modules already imported are left alone), and
    defers plotly's nbformat (:func:`defer_plotly_nbformat`).

    Returns
    -------
    list of str
        The modules this call blocked or deferred (``"nbformat"`` when deferred).
    """
    blocked = [name for name in SLOW_OPTIONAL_MODULES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    return blocked + (["nbformat"] if defer_plotly_nbformat() else [])


# --- the viewer's URL query, as Voilà hands it to a kernel -----------------------------------

_VOILA_ENV = MappingProxyType({
    "preheat": "VOILA_PREHEAT",
    "kernel_id": "VOILA_KERNEL_ID",
    "protocol": "VOILA_WS_PROTOCOL",
    "ip": "VOILA_APP_IP",
    "port": "VOILA_APP_PORT",
    "server_url": "VOILA_SERVER_URL",
    "ws_base_url": "VOILA_WS_BASE_URL",
    "query": "QUERY_STRING",
})
"""The environment variables Voilà 0.5 sets in a kernel (``voila.utils.ENV_VARIABLE``)."""


def _request_info_url() -> str:
    """The websocket on which Voilà sends a preheated kernel its viewer's request."""
    protocol = os.getenv(_VOILA_ENV["protocol"], "ws")
    ip = os.getenv(_VOILA_ENV["ip"], "127.0.0.1")
    port = os.getenv(_VOILA_ENV["port"], "8866")
    ws_base_url = os.getenv(_VOILA_ENV["ws_base_url"], os.getenv(_VOILA_ENV["server_url"], "/"))
    return f"{protocol}://{ip}:{port}{ws_base_url}voila/query/{os.getenv(_VOILA_ENV['kernel_id'])}"


async def _receive_request_info(url: str) -> str | None:
    import websockets  # the one client Voilà itself uses; ~0.03 s

    try:
        async with websockets.connect(url, open_timeout=5) as websocket:
            message = await websocket.recv()
    except (TimeoutError, ConnectionRefusedError):
        warnings.warn(f"Failed to connect to {url}", stacklevel=2)
        return None
    return message if isinstance(message, str) else message.decode()


def _wait_for_viewer() -> None:
    """Block until Voilà sends the viewer's request, then put it in ``os.environ``.

    The kernel's own event loop is busy running the notebook cell, so the websocket is read
    in a thread with a loop of its own, as ``voila.utils.wait_for_request`` does.
    """
    received: list[str | None] = []
    url = _request_info_url()
    thread = threading.Thread(
        target=lambda: received.append(asyncio.run(_receive_request_info(url))))
    thread.start()
    thread.join()
    if received and received[0] is not None:
        for key, value in json.loads(received[0]).items():
            os.environ[key] = value


def query_string() -> str | None:
    """The query string of the URL the viewer opened, as ``voila.utils.get_query_string()``.

    In a preheated Voilà kernel (``VOILA_PREHEAT`` set to anything but ``"False"``) this waits
    until a viewer opens the page and Voilà sends the request over its ``voila/query``
    websocket; everywhere else it returns at once. Either way the answer is the kernel's
    ``QUERY_STRING`` variable (``None`` outside Voilà). Voilà 0.5.13's protocol, followed here
    without importing ``voila.utils`` (about 0.5 CPU-s: see the module docstring);
    ``tests/ui/test_light_kernels.py`` holds this function to Voilà's on the same websocket.
    """
    if os.getenv(_VOILA_ENV["preheat"], "False") != "False":
        _wait_for_viewer()
    return os.getenv(_VOILA_ENV["query"])
