"""What every dashboard shares: registry sliders, KPI cards, messages, URL scenarios, live charts.

A dashboard is a :class:`ModelApp` subclass that names its parameter object, its sliders and
its KPI cards, and implements :meth:`ModelApp.refresh` (compute the model from validated
parameters and update the page) and :meth:`ModelApp.make_figures`. The base class turns every
change (a slider, the reset button, a URL query) into validated parameters, and a bad value
into a message that names the parameter, never a traceback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl

import ipywidgets as widgets
import plotly.graph_objects as go

from workbook.core.parameters import build_params, field_assumption
from workbook.core.validation import ParameterError
from workbook.ui.assets import figure_widget
from workbook.ui.controls import assumption_slider, source_badge
from workbook.ui.kernel import query_string

__all__ = [
    "CSS",
    "ModelApp",
    "chart",
    "kpi_html",
    "parse_query",
    "run_soon",
    "running_loop",
    "update_figures",
]

log = logging.getLogger(__name__)

IGNORED_QUERY_KEYS = frozenset({"voila-template", "voila-theme", "template", "theme"})
"""Query keys that belong to Voilà, not to a model."""

Chart = tuple[go.FigureWidget, Callable[[Any], dict[str, Any]]]
"""A live chart and the ``*_traces`` function that gives its new data."""

CSS = """
<style>
.wb-app { font-family: system-ui, sans-serif; }
.wb-kpi { border: 1px solid #d9dee3; border-radius: 8px; padding: 8px 14px; min-width: 170px;
          margin: 0 12px 8px 0; background: #f8fafb; }
.wb-kpi .wb-kpi-label { font-size: 12px; color: #5b6770; }
.wb-kpi .wb-kpi-value { font-size: 26px; font-weight: 600; color: #264653; }
.wb-kpi .wb-kpi-note { font-size: 11px; color: #5b6770; }
.wb-stale .wb-kpi-value { color: #9aa5ad; text-decoration: line-through; }
.wb-message-box { border-left: 4px solid #e76f51; background: #fff3ef; padding: 6px 10px; }
.wb-source { cursor: help; display: inline-block; width: 16px; height: 16px; line-height: 16px;
             border-radius: 50%; background: #2a9d8f; color: white; text-align: center;
             font: italic 600 11px Georgia, serif; }
.wb-sources table { font-size: 12px; border-collapse: collapse; }
.wb-sources td, .wb-sources th { padding: 2px 8px; border-bottom: 1px solid #eee;
                                 text-align: left; vertical-align: top; }
</style>
"""


def kpi_html(label: str, text: str, note: str) -> str:
    """The inside of a KPI card: label, value, note (escaped)."""
    return (
        f'<div class="wb-kpi-label">{html.escape(label)}</div>'
        f'<div class="wb-kpi-value">{html.escape(text)}</div>'
        f'<div class="wb-kpi-note">{html.escape(note)}</div>'
    )


def parse_query(query: str | None, params_type: type) -> tuple[dict[str, str], list[str]]:
    """Split a URL query string into overrides of ``params_type`` and messages about the rest.

    Examples
    --------
    >>> from workbook.models.roi.service_roi import ServiceRoiParams
    >>> overrides, messages = parse_query("spend_uplift_excellent_service=0.12&colour=red",
    ...                                   ServiceRoiParams)
    >>> overrides
    {'spend_uplift_excellent_service': '0.12'}
    >>> messages
    ["Ignored 'colour' in the link: not a parameter of this dashboard."]
    """
    names = {f.name for f in dataclasses.fields(params_type)}
    overrides: dict[str, str] = {}
    messages: list[str] = []
    for key, value in parse_qsl((query or "").lstrip("?"), keep_blank_values=True):
        if key in IGNORED_QUERY_KEYS:
            continue
        if key not in names:
            messages.append(f"Ignored {key!r} in the link: not a parameter of this dashboard.")
            continue
        overrides[key] = value
    return overrides, messages


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread (a kernel's), if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def run_soon(owner: Any, pending: str, callback: Callable[[], Any], *, later: bool) -> None:
    """Run ``callback`` now, or, when ``later`` (a slider move) and a kernel loop runs, once in
    its next turn: ``owner.<pending>`` marks it queued, and ``callback`` clears it.

    So the charts of a move reach the browser first and the slower part (the risk panel, a
    download link, the customer-value refit) follows, queued once however many moves arrive.
    """
    loop = running_loop() if later else None
    if loop is None:
        callback()
    elif not getattr(owner, pending):
        setattr(owner, pending, True)
        loop.call_soon(callback)


def update_figures(figures: Sequence[Chart], sources: Sequence[Any]) -> None:
    """Copy each chart's new data into its live widget: one browser redraw per chart."""
    for (figure, traces_of), source in zip(figures, sources, strict=True):
        traces = traces_of(source)
        with figure.batch_update():
            for trace, properties in zip(figure.data, traces["data"], strict=True):
                trace.update(properties)
            if figure.layout.title.text != traces["title"]:  # a relayout costs a redraw
                figure.layout.title.text = traces["title"]


def chart(figure: go.Figure, name: str) -> go.FigureWidget:
    """A live chart carrying the stable CSS class ``chart-<name>`` (for tests and monitoring)."""
    widget = figure_widget(figure)
    widget.add_class(f"chart-{name}")
    return widget


class ModelApp:
    """Base of the dashboards: one parameter object, registry sliders, KPI cards, charts.

    Subclasses set :attr:`params_type`, :attr:`main_sliders`, :attr:`more_sliders` and
    :attr:`kpi_labels`, and implement :meth:`refresh` and :meth:`make_figures`.
    """

    params_type: ClassVar[type]
    main_sliders: ClassVar[tuple[str, ...]]
    more_sliders: ClassVar[tuple[str, ...]] = ()
    kpi_labels: ClassVar[dict[str, tuple[str, str]]]
    """KPI name → (label, note); each card carries the CSS class ``kpi-<name>``."""

    def __init__(self, params: Any = None) -> None:
        self.defaults = self.params_type()
        self.params = params or self.defaults
        self._muted = False
        self.sliders: dict[str, widgets.Widget] = {}
        self.badges: dict[str, widgets.HTML] = {}
        """Each slider's source badge, once :meth:`slider_row` has placed it."""
        for name in (*self.main_sliders, *self.more_sliders):
            self.sliders[name] = self._make_slider(name, getattr(self.params, name))
            self.sliders[name].observe(self._on_change, names="value")
        self.kpi: dict[str, widgets.HTML] = {}
        for name in self.kpi_labels:
            card = widgets.HTML()
            card.add_class("wb-kpi")
            card.add_class(f"kpi-{name}")
            self.kpi[name] = card
        self.message = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.message.add_class("wb-message")
        self.reset_button = widgets.Button(description="Reset to defaults", icon="undo")
        self.reset_button.add_class("wb-reset")
        self.reset_button.on_click(lambda _button: self.reset())

    # --- pieces for subclasses ---------------------------------------------------------------

    def show_kpi(self, name: str, text: str, note: str | None = None) -> None:
        """Set KPI card ``name`` to ``text`` (and its note, when given)."""
        label, default_note = self.kpi_labels[name]
        self.kpi[name].value = kpi_html(label, text, default_note if note is None else note)

    def _make_slider(self, name: str, value: float) -> widgets.Widget:
        assumption = field_assumption(self.params_type, name)
        assert assumption is not None, f"{name} has no registered assumption"
        integer = isinstance(getattr(self.defaults, name), int)
        return assumption_slider(name, assumption, value, integer=integer)

    def slider_row(self, name: str) -> widgets.HBox:
        """A slider with its source badge."""
        assumption = field_assumption(self.params_type, name)
        assert assumption is not None
        self.badges[name] = source_badge(assumption)
        return widgets.HBox([self.sliders[name], self.badges[name]],
                            layout=widgets.Layout(width="100%"))

    def kpi_row(self) -> widgets.HBox:
        """The KPI cards side by side, wrapping on a narrow page."""
        return widgets.HBox(list(self.kpi.values()), layout=widgets.Layout(flex_flow="row wrap"))

    def controls(self, *extra: widgets.Widget) -> widgets.VBox:
        """The page's left column: main sliders, "More assumptions" folded, the reset button,
        the sources table, then ``extra``."""
        more = widgets.Accordion([widgets.VBox([self.slider_row(n) for n in self.more_sliders])],
                                 titles=("More assumptions",))
        return widgets.VBox(
            [self.slider_row(n) for n in self.main_sliders]
            + [more, self.reset_button, self.sources_table(), *extra],
            layout=widgets.Layout(width="560px", min_width="420px"),
        )

    def sources_table(self) -> widgets.Accordion:
        """A folded table of every slider's assumption: label, unit, source."""
        names = (*self.main_sliders, *self.more_sliders)
        entries = [field_assumption(self.params_type, n) for n in names]
        rows = "".join(
            f"<tr><td>{html.escape(row.label)}</td><td>{html.escape(row.unit)}</td>"
            f"<td>{html.escape(row.source)}"
            f"{' [seed ' + row.seed + ']' if row.seed else ''}</td></tr>"
            for row in entries if row is not None
        )
        table = widgets.HTML("<table><tr><th>Assumption</th><th>Unit</th><th>Source</th></tr>"
                             + rows + "</table>")
        sources = widgets.Accordion([table], titles=("Assumptions and sources",))
        sources.add_class("wb-sources")
        return sources

    def header(self, title: str) -> widgets.HTML:
        """The page title and how to use it."""
        return widgets.HTML(
            CSS + f"<h2 style='margin:4px 0'>{html.escape(title)}</h2>"
            "<div>Move the sliders: the numbers and charts follow. Hover "
            "<span class='wb-source'>i</span> for where each default comes from.</div>"
        )

    # --- behaviour ----------------------------------------------------------------------------

    def refresh(self, params: Any, *, deferred: bool) -> None:
        """Compute the model for ``params`` (validated) and update KPIs and charts."""
        raise NotImplementedError

    def make_figures(self) -> None:
        """(Re)build every live chart from the current results and put them on the page."""
        raise NotImplementedError

    def show_messages(self, messages: list[str]) -> None:
        """Show ``messages`` above the KPI cards (hide the box when empty)."""
        if messages:
            items = "".join(f"<div>{html.escape(m)}</div>" for m in messages)
            self.message.value = f'<div class="wb-message-box">{items}</div>'
            self.message.layout.display = None
        else:
            self.message.value = ""
            self.message.layout.display = "none"

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        if not self._muted:
            self.recompute(deferred=True)

    def current_values(self) -> dict[str, Any]:
        """The value of every slider, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def recompute(self, *, deferred: bool = False) -> bool:
        """Rebuild the parameters from the sliders and refresh the page.

        Returns ``True`` when the inputs were valid. On invalid input the message names the
        parameter and what it accepts; the KPI cards keep the last good numbers, greyed out.
        ``deferred`` marks a slider move, which a subclass may answer in two steps.
        """
        try:
            params = build_params(self.params_type, self.current_values())
            self.refresh(params, deferred=deferred)
        except ParameterError as error:
            self._set_stale(True)
            self.show_messages([f"Check {error.name}: expected {error.expected}; "
                                f"got {error.got!r}. The numbers shown are from the last "
                                "valid inputs."])
            return False
        except Exception as error:  # never a traceback on the page
            return self.failed(error)
        self.params = params
        self._set_stale(False)
        self.show_messages([])
        return True

    def failed(self, error: Exception) -> bool:
        """Say that the model could not be computed, keep the last numbers greyed out."""
        log.exception("%s failed", type(self).__name__)
        self._set_stale(True)
        self.show_messages([f"Could not compute the model ({type(error).__name__}: "
                            f"{error}). The numbers shown are from the last valid inputs."])
        return False

    def _set_stale(self, stale: bool) -> None:
        for card in self.kpi.values():
            if stale:
                card.add_class("wb-stale")
            else:
                card.remove_class("wb-stale")

    def set_values(self, values: Mapping[str, Any]) -> bool:
        """Move several sliders at once and recompute once."""
        self._muted = True
        try:
            for name, value in values.items():
                slider = self.sliders[name]
                slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = value
        finally:
            self._muted = False
        return self.recompute()

    def reset(self) -> bool:
        """Put every slider back to its registry default."""
        return self.set_values({name: getattr(self.defaults, name) for name in self.sliders})

    def apply_query_string(self, query: str | None) -> list[str]:
        """Start from the scenario in a URL query (``name=value&...``).

        Each valid parameter is applied; an unknown or invalid one is reported in the page and
        left at its default. The charts are rebuilt (see :meth:`make_figures`): plotly's
        ``FigureWidget`` sends changes only to views open at the time, and in a preheated
        kernel the page's view connects after this runs. Returns the messages shown.
        """
        overrides, messages = parse_query(query, self.params_type)
        accepted: dict[str, Any] = {}
        for name, text in overrides.items():
            try:
                params = build_params(self.params_type, {**accepted, name: text},
                                      from_text=True)
            except ParameterError as error:
                messages.append(f"Ignored {name}={text!r} from the link: expected "
                                f"{error.expected}.")
                continue
            if name in self.sliders:
                accepted[name] = getattr(params, name)
            else:
                messages.append(f"Ignored {name!r} from the link: this dashboard has no "
                                "control for it.")
        if accepted:
            self.set_values(accepted)
            self.make_figures()
        if messages:
            self.show_messages(messages)
        return messages

    @classmethod
    def from_query_string(cls, query: str | None = None, **options: Any) -> Self:
        """Build the app and apply ``query`` (by default the one Voilà received).

        In a preheated Voilà kernel this waits until a viewer opens the page, so the URL's
        scenario is never lost; outside Voilà it returns at once with the defaults
        (:func:`workbook.ui.kernel.query_string`).
        """
        app = cls(**options)
        if query is None:
            query = query_string()
        app.apply_query_string(query)
        return app
