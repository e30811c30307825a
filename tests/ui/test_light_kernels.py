"""A dashboard kernel imports only what its page needs (issue 12; workbook.ui.kernel).

Each dashboard notebook's code runs in a fresh interpreter, as a kernel runs it, and the
packages its page must not load (``DASHBOARD_FORBIDDEN_MODULES``) must be absent afterwards.
Before issue 12 the ROI page loaded pandas (through the registry), nbconvert (through the
scenario panel), nbformat and jsonschema (through plotly's renderers) and jupyter_server
(through ``voila.utils``). Run against that tree (31ca9aa), each dashboard's check fails:
ROI and word of mouth load jsonschema, jupyter_server, nbclient, nbconvert, nbformat, pandas,
pyarrow and voila; responsiveness ibis and sqlglot besides; loyalty the server-side six.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator

import nbformat
import pytest

import workbook
from workbook.core.paths import DASHBOARDS
from workbook.ui import kernel
from workbook.ui.kernel import DASHBOARD_FORBIDDEN_MODULES

LOADED = """
import json, sys
def loaded(names):
    return sorted(n for n in names if sys.modules.get(n) is not None)
"""
"""Which of ``names`` this interpreter has imported (a ``None`` entry is a blocked module)."""


def run_fresh(code: str, *, cwd: object = None) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last, returned here."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def dashboard_code(name: str) -> str:
    """The notebook's code cells, joined, as the kernel runs them."""
    notebook = nbformat.read(DASHBOARDS / name, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def test_every_dashboard_says_what_its_kernel_must_not_load() -> None:
    assert sorted(DASHBOARD_FORBIDDEN_MODULES) == sorted(p.name for p in
                                                         DASHBOARDS.glob("*.ipynb"))


@pytest.mark.parametrize("module", sorted({m for names in DASHBOARD_FORBIDDEN_MODULES.values()
                                           for m in names}))
def test_every_forbidden_module_is_installed_so_its_absence_means_something(module: str) -> None:
    assert importlib.util.find_spec(module) is not None, f"{module} is not installed here"


def test_the_check_sees_a_module_that_was_imported() -> None:
    found = run_fresh(LOADED + "import pandas\nprint(json.dumps({'loaded': "
                      "loaded(['pandas', 'duckdb'])}))")
    assert found == {"loaded": ["pandas"]}


@pytest.mark.parametrize("name", sorted(DASHBOARD_FORBIDDEN_MODULES))
def test_dashboard_kernel_imports_none_of_its_forbidden_modules(name: str) -> None:
    forbidden = list(DASHBOARD_FORBIDDEN_MODULES[name])
    code = (
        LOADED
        + "import ipykernel.ipkernel, ipywidgets\n"  # what every kernel has loaded
        + dashboard_code(name)
        + "\nimport ipywidgets as _w\n"
        + "print(json.dumps({'built': isinstance(app.layout, _w.Widget), "
        + f"'loaded': loaded({forbidden!r})}}))\n"
    )
    found = run_fresh(code, cwd=DASHBOARDS)
    assert found == {"built": True, "loaded": []}


# --- plotly's nbformat, imported on first use --------------------------------------------------


def test_a_chart_does_not_import_nbformat_and_show_still_finds_it() -> None:
    found = run_fresh(LOADED + """
import plotly.graph_objects as go
from workbook.ui.kernel import skip_slow_optional_imports
skipped = skip_slow_optional_imports()
widget = go.FigureWidget(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
state = widget.get_state()
before = loaded(['nbformat', 'jsonschema'])
import nbformat                                  # anyone else gets the real package
import plotly.io as pio
import plotly.io._renderers as renderers
pio.show(go.Figure(), renderer="json")           # plotly's one use of nbformat
print(json.dumps({"skipped": skipped, "before": before, "real": hasattr(nbformat, "reads"),
                  "plotly_sees": renderers.nbformat.__version__ == nbformat.__version__,
                  "bars": state["_widget_data"][0]["y"]}))
""")
    assert found == {"skipped": ["rfc3987_syntax", "nbformat"], "before": [], "real": True,
                     "plotly_sees": True, "bars": [3, 4]}


def test_nothing_is_deferred_once_nbformat_is_imported() -> None:
    found = run_fresh("""
import json, sys, nbformat
from workbook.ui.kernel import defer_plotly_nbformat
deferred = defer_plotly_nbformat()
import plotly.io._renderers as renderers
print(json.dumps({"deferred": deferred, "same": renderers.nbformat is nbformat}))
""")
    assert found == {"deferred": False, "same": True}


def opened_states(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The state each widget's comm opens with from now on (what the kernel sends first)."""
    import ipywidgets

    states: list[dict[str, object]] = []
    original = ipywidgets.Widget.open

    def open_and_record(widget: ipywidgets.Widget) -> None:
        states.append(widget.get_state())
        original(widget)

    monkeypatch.setattr(ipywidgets.Widget, "open", open_and_record)
    return states


def test_a_served_chart_opens_with_the_small_module_not_plotlys_bundle(monkeypatch) -> None:
    import plotly.graph_objects as go

    from workbook.ui.assets import ENV_FLAG, figure_widget, plotly_bundle

    monkeypatch.setenv(ENV_FLAG, "_assets/plotly-widget-test.js")
    states = opened_states(monkeypatch)
    widget = figure_widget(go.Figure(go.Bar(y=[1, 2])))
    plain = go.FigureWidget()
    bundle = plotly_bundle().stat().st_size
    assert isinstance(widget, go.FigureWidget)
    assert [len(state["_esm"]) < 1_000 for state in states] == [True, False]
    assert len(states[1]["_esm"]) > bundle / 2  # plotly's own: the bundle itself
    assert "_assets/plotly-widget-test.js" in widget._esm
    assert widget._anywidget_id == plain._anywidget_id == states[0]["_anywidget_id"]
    assert list(widget.data[0].y) == [1, 2]


def test_elsewhere_a_chart_is_plotlys_own_widget(monkeypatch) -> None:
    import plotly.graph_objects as go

    from workbook.ui.assets import ENV_FLAG, figure_widget

    monkeypatch.delenv(ENV_FLAG, raising=False)
    widget = figure_widget(go.Figure())
    assert type(widget).__bases__ == (go.FigureWidget,)  # traitlets subclasses each instance
    assert widget._esm == go.FigureWidget()._esm


# --- the viewer's query string, without voila.utils ---------------------------------------------


class FakeVoila:
    """Voilà's ``voila/query/<kernel id>`` websocket: sends each client the request info."""

    def __init__(self, info: dict[str, str]) -> None:
        self.info, self.paths = info, []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    async def _serve(self) -> None:
        from websockets.asyncio.server import serve

        async def handler(connection: object) -> None:
            self.paths.append(connection.request.path)  # type: ignore[attr-defined]
            await connection.send(json.dumps(self.info))  # type: ignore[attr-defined]

        self.stop = asyncio.get_running_loop().create_future()
        async with serve(handler, "127.0.0.1", 0) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self.loop = asyncio.get_running_loop()
            self.ready.set()
            await self.stop

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set_result, None)
        self.thread.join(10)


VOILA_KEYS = ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_APP_IP", "VOILA_APP_PORT",
              "VOILA_WS_PROTOCOL", "VOILA_SERVER_URL", "VOILA_WS_BASE_URL", "QUERY_STRING",
              "SCRIPT_NAME")


@pytest.fixture
def voila_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No Voilà variables; afterwards the environment as it was (the functions under test
    write the request's variables into ``os.environ``, as Voilà's does)."""
    saved = {key: os.environ.get(key) for key in VOILA_KEYS}
    for key in VOILA_KEYS:
        monkeypatch.delenv(key, raising=False)
    yield monkeypatch
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_the_environment_names_are_voilas() -> None:
    from voila.utils import ENV_VARIABLE

    assert set(kernel._VOILA_ENV.values()) <= {v.value for v in ENV_VARIABLE}


def test_outside_a_preheated_kernel_the_query_is_the_environments(voila_env) -> None:
    from voila.utils import get_query_string

    assert kernel.query_string() is None is get_query_string()
    voila_env.setenv("QUERY_STRING", "spend_uplift_excellent_service=0.12")
    voila_env.setenv("VOILA_PREHEAT", "False")
    assert kernel.query_string() == "spend_uplift_excellent_service=0.12" == get_query_string()


def test_a_preheated_kernel_waits_for_the_viewer_as_voila_does(voila_env) -> None:
    from voila.utils import get_query_string

    server = FakeVoila({"QUERY_STRING": "horizon_years=3", "SCRIPT_NAME": "/voila/render/x"})
    try:
        voila_env.setenv("VOILA_PREHEAT", "True")
        voila_env.setenv("VOILA_KERNEL_ID", "k-1")
        voila_env.setenv("VOILA_APP_PORT", str(server.port))
        voila_env.setenv("VOILA_SERVER_URL", "/base/")
        ours = kernel.query_string()
        ours_script = os.environ["SCRIPT_NAME"]
        os.environ.pop("QUERY_STRING")  # written by query_string, as by Voilà
        os.environ.pop("SCRIPT_NAME")
        theirs = get_query_string()
        theirs_script = os.environ["SCRIPT_NAME"]
    finally:
        server.close()
    assert (ours, ours_script) == ("horizon_years=3", "/voila/render/x")
    assert (theirs, theirs_script) == (ours, ours_script)
    assert server.paths == ["/base/voila/query/k-1"] * 2


def test_an_unreachable_voila_is_a_warning_and_the_defaults(voila_env) -> None:
    from tests.ui.conftest import free_port

    voila_env.setenv("VOILA_PREHEAT", "True")
    voila_env.setenv("VOILA_KERNEL_ID", "k-2")
    voila_env.setenv("VOILA_APP_PORT", str(free_port()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert kernel.query_string() is None
    assert any("Failed to connect" in str(w.message) for w in caught)


# --- lazy package namespaces (PEP 562) ------------------------------------------------------


def test_every_public_name_is_importable_as_before() -> None:
    for name in workbook.__all__:
        value = getattr(workbook, name)
        assert name in dir(workbook)
        if name == "__version__":
            assert isinstance(value, str) and value
            continue
        home = importlib.import_module(workbook._LAZY[name])
        assert value is getattr(home, name), name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        workbook.nope  # noqa: B018


def test_every_data_name_is_importable_as_before() -> None:
    import workbook.data as data

    for name in data.__all__:
        assert getattr(data, name) is getattr(importlib.import_module(data._LAZY[name]), name)
        assert name in dir(data)


def test_importing_the_package_imports_none_of_it() -> None:
    found = run_fresh(LOADED + """
import workbook, workbook.data, workbook.ui
import workbook.data.surveys, workbook.data.calllog
names = [m for m in sys.modules if m.startswith('workbook.')]
print(json.dumps({"loaded": loaded(['numpy', 'pandas', 'ibis', 'duckdb', 'plotly']),
                  "workbook": sorted(n for n in names if n.count('.') == 1)}))
""")
    # the survey and call-log readers need pandas, never the DuckDB/Ibis layer
    assert found == {"loaded": ["numpy", "pandas"],
                     "workbook": ["workbook.core", "workbook.data", "workbook.ui"]}


def test_the_tornado_table_is_its_columns() -> None:
    from workbook.uncertainty import compute_tornado
    from workbook.uncertainty.sensitivity import TORNADO_COLUMNS

    tornado = compute_tornado()
    table = tornado.table
    assert table.index.name == "parameter" and tuple(table.columns) == TORNADO_COLUMNS
    assert tuple(table.index) == tornado.names
    for column in TORNADO_COLUMNS:
        assert list(table[column]) == list(tornado.columns[column]), column
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
