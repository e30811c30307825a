"""Serve plotly's widget code once, by URL, instead of once per chart in the widget state.

plotly's ``FigureWidget`` is an anywidget whose ``_esm`` trait holds its whole front-end
bundle (4.8 MB of JavaScript). Every chart sends it again in the widget state, and the browser
parses it again from a blob: with the five charts of the ROI dashboard the page waited for a
25 MB websocket frame and five parses, about 1.5 s of a 2.7 s time to interactive here.

``workbook dashboard`` copies the bundle once into ``<dashboards>/_assets/`` (git-ignored),
lets Voilà serve that folder's ``.js`` files (``/voila/files/_assets/...``, cached by the
browser) and sets :data:`ENV_FLAG` for its kernels. Charts made with :func:`figure_widget` then
carry a three-line module that imports the bundle from that URL: the browser fetches and parses
it once per page (once per session, with its cache). Anywhere else (JupyterLab, nbval, plain
``voila``) the flag is absent and charts keep plotly's own embedded bundle.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import plotly
import plotly.graph_objects as go

__all__ = [
    "ASSET_FOLDER",
    "ENV_FLAG",
    "FILE_ALLOWLIST",
    "figure_widget",
    "install_widget_assets",
    "plotly_bundle",
    "shared_esm",
]

ASSET_FOLDER = "_assets"
ENV_FLAG = "WORKBOOK_WIDGET_ASSETS"
FILE_ALLOWLIST = [r".*\.(png|jpg|gif|svg)", ASSET_FOLDER + r"/[\w.-]+\.js"]
"""Voilà's default allowlist (images) plus the bundle folder."""


def plotly_bundle() -> Path:
    """The installed plotly's anywidget bundle."""
    return Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"


def install_widget_assets(dashboards: Path) -> str:
    """Copy plotly's bundle into ``dashboards/_assets`` (once per plotly version).

    Returns
    -------
    str
        The bundle's path relative to ``dashboards`` (what :data:`ENV_FLAG` carries).
    """
    source = plotly_bundle()
    relative = f"{ASSET_FOLDER}/plotly-widget-{plotly.__version__}.js"
    target = Path(dashboards) / relative
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".partial")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    return relative


def shared_esm() -> str | None:
    """The module that imports the served bundle, when this kernel runs under
    ``workbook dashboard``; ``None`` elsewhere.

    The URL is built in the browser from the page's own address, so it holds behind any host
    name or base URL Voilà is reached by.
    """
    relative = os.environ.get(ENV_FLAG)
    if not relative:
        return None
    return (
        "const base = location.pathname.split('/voila/render/')[0];\n"
        f"const bundle = await import(location.origin + base + '/voila/files/{relative}');\n"
        "export default bundle.default;\n"
    )


@functools.cache
def _shared_bundle_figure_widget(esm: str) -> type[go.FigureWidget]:
    """``go.FigureWidget`` with ``esm`` as its module from the start.

    anywidget reads a widget's ``_esm`` from its class when the instance is made, and the
    widget's comm opens, with its whole state, inside that constructor. Setting ``_esm`` on
    the instance afterwards would still send plotly's 4.8 MB bundle once per chart to the
    server (Voilà's executor reads every message of the kernel), then the small module.
    Named and placed as plotly's class, so the widget's state (``_anywidget_id`` included)
    is the one ``go.FigureWidget`` gives.
    """
    return type(go.FigureWidget.__name__, (go.FigureWidget,),
                {"_esm": esm, "__module__": go.FigureWidget.__module__,
                 "__qualname__": go.FigureWidget.__qualname__})


def figure_widget(figure: go.Figure) -> go.FigureWidget:
    """A ``FigureWidget`` of ``figure`` that loads plotly's code by URL when it can."""
    esm = shared_esm()
    if esm is None:
        return go.FigureWidget(figure)
    return _shared_bundle_figure_widget(esm)(figure)
