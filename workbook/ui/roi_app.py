"""The service-ROI dashboard as an object: sliders, KPI cards, charts, messages.

The Voilà notebook ``dashboards/service-roi.ipynb`` only builds a :class:`RoiApp` and shows its
``layout``; everything here runs, and is tested, without a browser.

Nothing a user does may end in a traceback on the page: every change goes through
:meth:`RoiApp.recompute`, which turns a bad value into a message naming the parameter and keeps
the last good numbers on screen, greyed out.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import ipywidgets as widgets
import plotly.graph_objects as go

from workbook.formatting import format_money, risk_kpi_text, roi_kpi_texts
from workbook.parameters import build_params, field_assumption
from workbook.plotting.roi import (
    cumulative_cash_traces,
    lifetime_value_traces,
    plot_cumulative_cash,
    plot_lifetime_value,
    plot_value_drivers,
    value_drivers_traces,
)
from workbook.plotting.uncertainty import (
    npv_histogram_traces,
    plot_npv_histogram,
    plot_tornado,
    tornado_traces,
)
from workbook.registry import assumptions_table
from workbook.roi import ServiceRoiParams, compute_service_roi
from workbook.ui.assets import figure_widget
from workbook.ui.controls import assumption_slider, source_badge, source_text
from workbook.uncertainty import (
    RoiSimulation,
    Tornado,
    UncertaintyParams,
    compute_tornado,
    simulate_service_roi,
)
from workbook.validation import ParameterError

__all__ = ["KPI_NAMES", "RoiApp", "parse_query"]

log = logging.getLogger(__name__)

MAIN_SLIDERS: tuple[str, ...] = (
    "spend_uplift_rate",
    "annual_retention_rate",
    "upfront_investment",
    "annual_service_cost",
)
"""The levers a manager moves first."""

MORE_SLIDERS: tuple[str, ...] = (
    "retention_uplift_rate",
    "excellent_service_share",
    "customers",
    "annual_spend_per_customer",
    "gross_margin_rate",
    "retention_cost_per_customer",
    "acquisition_to_retention_cost_ratio",
    "horizon_years",
    "discount_rate",
)
"""The business inputs behind them, in a folded section."""

KPI_NAMES: tuple[str, ...] = ("npv", "roi", "payback", "break-even", "clv", "risk")
"""KPI cards; each carries the CSS class ``kpi-<name>``."""

IGNORED_QUERY_KEYS = frozenset({"voila-template", "voila-theme", "template", "theme"})
"""Query keys that belong to Voilà, not to the model."""

_CSS = """
<style>
.wb-app { font-family: system-ui, sans-serif; }
.wb-kpi { border: 1px solid #d9dee3; border-radius: 8px; padding: 8px 14px; min-width: 170px;
          margin: 0 12px 8px 0;
          background: #f8fafb; }
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


_KPI_LABELS = {
    "npv": ("Net present value", "currency, discounted"),
    "roi": ("Return on investment", "NPV ÷ PV of costs"),
    "payback": ("Payback", "undiscounted cash"),
    "break-even": ("Break-even spend uplift", "NPV = 0 at this uplift"),
    "clv": ("Customer lifetime value", "average customer, with the programme"),
    "risk": ("Chance the NPV is positive", ""),
}


def _kpi_html(name: str, text: str, note: str | None = None) -> str:
    label, default_note = _KPI_LABELS[name]
    note = html.escape(note) if note is not None else default_note
    return (
        f'<div class="wb-kpi-label">{label}</div>'
        f'<div class="wb-kpi-value">{html.escape(text)}</div>'
        f'<div class="wb-kpi-note">{note}</div>'
    )


def parse_query(query: str | None) -> tuple[dict[str, str], list[str]]:
    """Split a URL query string into model overrides and messages about unknown keys.

    Examples
    --------
    >>> parse_query("spend_uplift_rate=0.12&colour=red")
    ({'spend_uplift_rate': '0.12'}, ["Ignored 'colour' in the link: not a parameter of this dashboard."])
    """
    names = {f.name for f in dataclasses.fields(ServiceRoiParams)}
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


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _update_figures(figures: list[tuple[go.FigureWidget, Any]], sources: list[Any]) -> None:
    """Copy each chart's new data into its live widget: one browser redraw per chart."""
    for (figure, traces_of), source in zip(figures, sources, strict=True):
        traces = traces_of(source)
        with figure.batch_update():
            for trace, properties in zip(figure.data, traces["data"], strict=True):
                trace.update(properties)
            if figure.layout.title.text != traces["title"]:  # a relayout costs a redraw
                figure.layout.title.text = traces["title"]


def _chart(figure: go.Figure, name: str) -> go.FigureWidget:
    """A live chart carrying the stable CSS class ``chart-<name>`` (for tests and monitoring)."""
    widget = figure_widget(figure)
    widget.add_class(f"chart-{name}")
    return widget


class RoiApp:
    """Service-ROI dashboard: registry-driven sliders, KPI cards and three live charts.

    Parameters
    ----------
    params
        Starting values; registry defaults when omitted.
    defer_risk
        On slider moves, send the value KPIs and charts first and the risk panel in the next
        turn of the kernel's event loop (see :meth:`recompute`). The dashboard turns it on;
        off, every update is synchronous (tests, scripts).

    Examples
    --------
    >>> app = RoiApp()
    >>> app.kpi["npv"].value.count("384,932")
    1
    """

    def __init__(self, params: ServiceRoiParams | None = None, *,
                 defer_risk: bool = False) -> None:
        self.defaults = ServiceRoiParams()
        self.params = params or self.defaults
        self.result = compute_service_roi(self.params)
        self.uncertainty = UncertaintyParams()
        self.simulation, self.tornado = self._risk(self.params)
        self._muted = False
        self._risk_pending = False
        self.defer_risk = defer_risk

        self.sliders: dict[str, widgets.Widget] = {}
        for name in (*MAIN_SLIDERS, *MORE_SLIDERS):
            self.sliders[name] = self._make_slider(name, getattr(self.params, name))
            self.sliders[name].observe(self._on_change, names="value")

        self.kpi: dict[str, widgets.HTML] = {}
        for name in KPI_NAMES:
            card = widgets.HTML()
            card.add_class("wb-kpi")
            card.add_class(f"kpi-{name}")
            self.kpi[name] = card
        self._show_value_kpis()
        self._show_risk_kpi()

        self.message = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.message.add_class("wb-message")
        self.acquisition_note = widgets.HTML(self._acquisition_text())

        self.reset_button = widgets.Button(description="Reset to defaults", icon="undo")
        self.reset_button.add_class("wb-reset")
        self.reset_button.on_click(lambda _button: self.reset())

        self.figures = self._make_figures()
        self.risk_figures = self._make_risk_figures()
        self.risk_charts = widgets.VBox([figure for figure, _ in self.risk_figures])
        self.charts = widgets.VBox([figure for figure, _ in self.figures],
                                   layout=widgets.Layout(flex="1 1 480px", min_width="420px",
                                                         margin="0 0 0 16px"))
        self.layout = self._build_layout()

    # --- construction -----------------------------------------------------------------------

    def _risk(self, params: ServiceRoiParams) -> tuple[RoiSimulation, Tornado]:
        return (simulate_service_roi(params, self.uncertainty),
                compute_tornado(params, self.uncertainty))

    def _show_value_kpis(self) -> None:
        for name, text in roi_kpi_texts(self.result).items():
            self.kpi[name].value = _kpi_html(name, text)

    def _show_risk_kpi(self) -> None:
        chance, span = risk_kpi_text(self.simulation)
        self.kpi["risk"].value = _kpi_html("risk", chance, span)

    def _make_figures(self) -> list[tuple[go.FigureWidget, Any]]:
        return [
            (_chart(plot_value_drivers(self.result), "value-drivers"), value_drivers_traces),
            (_chart(plot_cumulative_cash(self.result), "cumulative-cash"),
             cumulative_cash_traces),
            (_chart(plot_lifetime_value(self.result), "lifetime-value"), lifetime_value_traces),
        ]

    def _make_risk_figures(self) -> list[tuple[go.FigureWidget, Any]]:
        histogram = plot_npv_histogram(self.simulation).update_layout(height=300)
        tornado = plot_tornado(self.tornado).update_layout(height=300)
        return [(_chart(histogram, "npv-histogram"), npv_histogram_traces),
                (_chart(tornado, "tornado"), tornado_traces)]



    def rebuild_figures(self) -> None:
        """Replace the charts with new ones drawn from the current result.

        plotly's ``FigureWidget`` sends later changes as messages to the views open at that
        moment; a change made before the page's view connects (a URL scenario applied in a
        preheated kernel) would be lost. New widgets carry the current data in their state.
        """
        old = self.figures + self.risk_figures
        self.figures, self.risk_figures = self._make_figures(), self._make_risk_figures()
        self.charts.children = [figure for figure, _ in self.figures]
        self.risk_charts.children = [figure for figure, _ in self.risk_figures]
        for figure, _ in old:
            figure.close()

    def _make_slider(self, name: str, value: float) -> widgets.Widget:
        assumption = field_assumption(ServiceRoiParams, name)
        assert assumption is not None, f"{name} has no registered assumption"
        integer = isinstance(getattr(self.defaults, name), int)
        return assumption_slider(name, assumption, value, integer=integer)

    def _slider_row(self, name: str) -> widgets.HBox:
        assumption = field_assumption(ServiceRoiParams, name)
        assert assumption is not None
        return widgets.HBox([self.sliders[name], source_badge(assumption)],
                            layout=widgets.Layout(width="100%"))

    def _sources_table(self) -> widgets.HTML:
        names = (*MAIN_SLIDERS, *MORE_SLIDERS)
        keys = [field_assumption(ServiceRoiParams, n).key for n in names]  # type: ignore[union-attr]
        table = assumptions_table(keys)
        rows = "".join(
            f"<tr><td>{html.escape(row.label)}</td><td>{html.escape(row.unit)}</td>"
            f"<td>{html.escape(row.source)}{' [seed ' + row.seed + ']' if row.seed else ''}</td></tr>"
            for row in table.itertuples()
        )
        return widgets.HTML(
            "<table><tr><th>Assumption</th><th>Unit</th><th>Source</th></tr>" + rows + "</table>"
        )

    def _build_layout(self) -> widgets.Widget:
        header = widgets.HTML(
            _CSS + "<h2 style='margin:4px 0'>Does excellent service pay?</h2>"
            "<div>Move the sliders: the numbers and charts follow. Hover <span class='wb-source'>i</span> for where each "
            "default comes from.</div>"
        )
        kpis = widgets.HBox(list(self.kpi.values()),
                            layout=widgets.Layout(flex_flow="row wrap"))
        more = widgets.Accordion(
            [widgets.VBox([self._slider_row(n) for n in MORE_SLIDERS] + [self.acquisition_note])],
            titles=("More assumptions",),
        )
        sources = widgets.Accordion([self._sources_table()], titles=("Assumptions and sources",))
        sources.add_class("wb-sources")
        risk_header = widgets.HTML(
            "<h4 style='margin:14px 0 0'>How wrong could this be?</h4><small>10,000 draws of "
            "the uncertain assumptions (PERT over each registry range, your business's own "
            "figures fixed); the tornado moves each to its low and high.</small>")
        controls = widgets.VBox(
            [self._slider_row(n) for n in MAIN_SLIDERS]
            + [more, self.reset_button, sources, risk_header, self.risk_charts],
            layout=widgets.Layout(width="560px", min_width="420px"),
        )
        body = widgets.HBox([controls, self.charts],
                            layout=widgets.Layout(flex_flow="row wrap"))
        app = widgets.VBox([header, self.message, kpis, body])
        app.add_class("wb-app")
        return app

    # --- behaviour --------------------------------------------------------------------------

    def _acquisition_text(self) -> str:
        p = self.params
        return (
            f"<small>Acquisition cost per new customer: {format_money(p.acquisition_cost)} "
            f"= {p.acquisition_to_retention_cost_ratio:g} × retention cost "
            f"({html.escape(source_text(field_assumption(ServiceRoiParams, 'acquisition_to_retention_cost_ratio')))}).</small>"  # type: ignore[arg-type]  # noqa: E501
        )

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
            self.recompute(defer_risk=self.defer_risk)

    def current_values(self) -> dict[str, Any]:
        """The value of every slider, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def recompute(self, *, defer_risk: bool = False) -> bool:
        """Rebuild the model from the sliders and refresh KPIs and charts.

        Returns ``True`` when the inputs were valid. On invalid input the message names the
        parameter and what it accepts, the KPI cards keep the last good numbers, greyed out.

        With ``defer_risk`` (slider moves in a running kernel), the value KPIs and charts go
        out first and the risk panel (10,000 draws, tornado, two charts) follows in the next
        turn of the kernel's event loop: the browser draws the value charts without waiting
        for the risk charts, and a burst of moves simulates only the latest inputs.
        """
        try:
            params = build_params(ServiceRoiParams, self.current_values())
            result = compute_service_roi(params)
        except ParameterError as error:
            self._set_stale(True)
            self.show_messages([f"Check {error.name}: expected {error.expected}; "
                                f"got {error.got!r}. The numbers shown are from the last "
                                "valid inputs."])
            return False
        except Exception as error:  # never a traceback on the page
            return self._failed(error)
        self.params, self.result = params, result
        self._set_stale(False)
        self.show_messages([])
        self._show_value_kpis()
        self.acquisition_note.value = self._acquisition_text()
        _update_figures(self.figures, [result] * len(self.figures))
        loop = _running_loop() if defer_risk else None
        if loop is None:
            return self.refresh_risk()
        if not self._risk_pending:
            self._risk_pending = True
            loop.call_soon(self.refresh_risk)
        return True

    def refresh_risk(self) -> bool:
        """Simulate the current inputs and refresh the risk KPI and charts."""
        self._risk_pending = False
        try:
            self.simulation, self.tornado = self._risk(self.params)
        except Exception as error:  # never a traceback on the page
            return self._failed(error)
        self._show_risk_kpi()
        _update_figures(self.risk_figures, [self.simulation, self.tornado])
        return True

    def _failed(self, error: Exception) -> bool:
        log.exception("service ROI recompute failed")
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
        """Start from the scenario in a URL query (``spend_uplift_rate=0.12&...``).

        Each valid parameter is applied; an unknown or invalid one is reported in the page
        and left at its default. Returns the messages shown.
        """
        overrides, messages = parse_query(query)
        accepted: dict[str, Any] = {}
        for name, text in overrides.items():
            try:
                params = build_params(ServiceRoiParams, {**accepted, name: text}, from_text=True)
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
            self.rebuild_figures()
        if messages:
            self.show_messages(messages)
        return messages

    @classmethod
    def from_query_string(cls, query: str | None = None) -> RoiApp:
        """Build the app and apply ``query`` (by default the one Voilà received).

        In a preheated Voilà kernel this waits until a viewer opens the page, so the URL's
        scenario is never lost; outside Voilà it returns at once with the defaults.
        """
        app = cls(defer_risk=True)
        if query is None:
            from voila.utils import get_query_string

            query = get_query_string()
        app.apply_query_string(query)
        return app
