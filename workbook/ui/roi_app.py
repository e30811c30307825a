"""The service-ROI dashboard as an object: sliders, KPI cards, value and risk charts.

The Voilà notebook ``dashboards/service-roi.ipynb`` only builds a :class:`RoiApp` and shows its
``layout``; everything here runs, and is tested, without a browser. The shared behaviour
(validation, messages, URL scenarios, reset) is :class:`workbook.ui.app.ModelApp`'s.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import ipywidgets as widgets

from workbook.core.formatting import format_money, risk_kpi_text, roi_kpi_texts
from workbook.core.parameters import field_assumption
from workbook.models.roi.analysis import analyse_service_roi, assess_roi_risk
from workbook.models.roi.service_roi import RoiResult, ServiceRoiParams, compute_service_roi
from workbook.plotting.roi.service_roi import (
    cumulative_cash_traces,
    plot_cumulative_cash,
    plot_value_drivers,
    value_drivers_traces,
)
from workbook.plotting.uncertainty import plot_risk_panel, risk_panel_traces
from workbook.ui.app import Chart, ModelApp, chart, run_soon, update_figures
from workbook.ui.calibration import CalibrationSwitch
from workbook.ui.controls import source_text
from workbook.ui.scenario_panel import ScenarioPanel
from workbook.uncertainty import RoiSimulation, Tornado, UncertaintyParams

__all__ = ["KPI_LABELS", "KPI_NAMES", "RoiApp"]

MAIN_SLIDERS: tuple[str, ...] = (
    "spend_uplift_excellent_service",
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

KPI_LABELS: dict[str, tuple[str, str]] = {
    "npv": ("Net present value", "currency, discounted"),
    "roi": ("Return on investment", "NPV ÷ PV of costs"),
    "payback": ("Payback", "undiscounted cash"),
    "break-even": ("Break-even spend uplift", "NPV = 0 at this uplift"),
    "clv": ("Customer lifetime value", "average customer, with the programme"),
    "risk": ("Chance the NPV is positive", ""),
}
KPI_NAMES: tuple[str, ...] = tuple(KPI_LABELS)
"""KPI cards; each carries the CSS class ``kpi-<name>``."""


class RoiApp(ModelApp):
    """Service-ROI dashboard: registry-driven sliders, KPI cards, value and risk charts.

    Parameters
    ----------
    params
        Starting values; registry defaults when omitted.
    defer_risk
        On slider moves, send the value KPIs and charts first and the risk panel (10,000 draws,
        tornado, two charts) in the next turn of the kernel's event loop: the browser draws the
        value charts without waiting for the risk charts, and a burst of moves simulates only
        the latest inputs. The dashboard turns it on; off, every update is synchronous.

    Examples
    --------
    >>> app = RoiApp()
    >>> app.kpi["npv"].value.count("384,932")
    1
    """

    params_type: ClassVar[type] = ServiceRoiParams
    main_sliders = MAIN_SLIDERS
    more_sliders = MORE_SLIDERS
    kpi_labels = KPI_LABELS

    def __init__(self, params: ServiceRoiParams | None = None, *,
                 defer_risk: bool = False) -> None:
        super().__init__(params)
        self.defer_risk = defer_risk
        self._risk_pending = False
        self.uncertainty = UncertaintyParams()
        analysis = analyse_service_roi(self.params, self.uncertainty)  # as notebook 01
        self.result: RoiResult = analysis.result
        self.simulation: RoiSimulation = analysis.simulation
        self.tornado: Tornado = analysis.tornado
        self._show_value_kpis()
        self._show_risk_kpi()
        self.acquisition_note = widgets.HTML(self._acquisition_text())
        self.charts = widgets.VBox(layout=widgets.Layout(flex="1 1 480px", min_width="420px",
                                                         margin="0 0 0 16px"))
        self.risk_charts = widgets.VBox()
        self.figures: list[Chart] = []
        self.risk_figures: list[Chart] = []
        self.make_figures()
        self.calibration = CalibrationSwitch(self)
        self.layout = self._build_layout()

    @classmethod
    def from_query_string(cls, query: str | None = None, **options: Any) -> RoiApp:
        """:meth:`ModelApp.from_query_string`, with the risk panel deferred (the dashboard)."""
        return super().from_query_string(query, **{"defer_risk": True, **options})

    # --- construction -----------------------------------------------------------------------

    def _show_value_kpis(self) -> None:
        clv_note = (f"average customer, with the programme; "
                    f"{format_money(self.result.clv_before)} without")
        for name, text in roi_kpi_texts(self.result).items():
            self.show_kpi(name, text, clv_note if name == "clv" else None)

    def _show_risk_kpi(self) -> None:
        chance, span = risk_kpi_text(self.simulation)
        self.show_kpi("risk", chance, span)

    def make_figures(self) -> None:
        """(Re)build the three charts from the current results.

        Three figures, not five: each figure is a browser redraw on every slider move (about
        15 ms each here), so the risk panel is one figure (histogram above tornado) and the
        lifetime value before and after the programme is in its KPI card, not a chart
        (``benchmarks/bench_dashboard.py``; the notebook keeps every chart).
        """
        old = self.figures + self.risk_figures
        self.figures = [
            (chart(plot_value_drivers(self.result), "value-drivers"), value_drivers_traces),
            (chart(plot_cumulative_cash(self.result), "cumulative-cash"),
             cumulative_cash_traces),
        ]
        self.risk_figures = [(chart(plot_risk_panel(self.simulation, self.tornado),
                                    "risk-panel"), risk_panel_traces)]
        self.charts.children = [figure for figure, _ in self.figures]
        self.risk_charts.children = [figure for figure, _ in self.risk_figures]
        for figure, _ in old:
            figure.close()

    def _acquisition_text(self) -> str:
        p = self.params
        ratio = field_assumption(ServiceRoiParams, "acquisition_to_retention_cost_ratio")
        assert ratio is not None
        return (
            f"<small>Acquisition cost per new customer: {format_money(p.acquisition_cost)} "
            f"= {p.acquisition_to_retention_cost_ratio:g} × retention cost "
            f"({html.escape(source_text(ratio))}).</small>"
        )

    def _build_layout(self) -> widgets.Widget:
        kpis = self.kpi_row()
        more = widgets.Accordion(
            [widgets.VBox([self.slider_row(n) for n in MORE_SLIDERS] + [self.acquisition_note])],
            titles=("More assumptions",),
        )
        risk_header = widgets.HTML(
            "<h4 style='margin:14px 0 0'>How wrong could this be?</h4><small>10,000 draws of "
            "the uncertain assumptions (PERT over each registry range, your business's own "
            "figures fixed); the tornado moves each to its low and high.</small>")
        self.scenario_panel = ScenarioPanel(self, on_load=self.calibration.forget_measured)
        controls = widgets.VBox(
            [self.calibration.widget]
            + [self.slider_row(n) for n in MAIN_SLIDERS]
            + [more, self.reset_button, self.scenario_panel.layout, self.sources_table(),
               risk_header, self.risk_charts],
            layout=widgets.Layout(width="560px", min_width="420px"),
        )
        body = widgets.HBox([controls, self.charts], layout=widgets.Layout(flex_flow="row wrap"))
        app = widgets.VBox([self.header("Does excellent service pay?"), self.message, kpis, body])
        app.add_class("wb-app")
        return app

    # --- behaviour --------------------------------------------------------------------------

    def refresh(self, params: ServiceRoiParams, *, deferred: bool) -> None:
        """Value KPIs and charts now; the risk panel now or, for a slider move with
        ``defer_risk``, in the next turn of the kernel's event loop."""
        self.result = compute_service_roi(params)
        self.params = params
        self._show_value_kpis()
        self.acquisition_note.value = self._acquisition_text()
        update_figures(self.figures, [self.result] * len(self.figures))
        run_soon(self, "_risk_pending", self.refresh_risk, later=deferred and self.defer_risk)

    def refresh_risk(self) -> bool:
        """Simulate the current inputs and refresh the risk KPI and charts."""
        self._risk_pending = False
        try:
            self.simulation, self.tornado = assess_roi_risk(self.params, self.uncertainty)
        except Exception as error:  # never a traceback on the page
            return self.failed(error)
        self._show_risk_kpi()
        update_figures(self.risk_figures, [(self.simulation, self.tornado)])
        return True

    def reset(self) -> bool:
        """Every slider back to its registry default, the inputs switch back to "registry"."""
        self.calibration.forget_measured()
        return super().reset()

    def apply_query_string(self, query: str | None) -> list[str]:
        """:meth:`ModelApp.apply_query_string`, plus ``assumptions_from=data`` (measured
        inputs, which the link's other values then override)."""
        pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True)
        switch = [value for key, value in pairs if key == "assumptions_from"]
        rest = urlencode([(key, value) for key, value in pairs if key != "assumptions_from"])
        messages: list[str] = []
        if switch and switch[-1] == "data":
            if not self.calibration.select("data"):
                messages.append("Could not measure from the data: see the message under "
                                "“Business inputs”; registry defaults used.")
        elif switch and switch[-1] != "registry":
            messages.append(f"Ignored assumptions_from={switch[-1]!r} from the link: expected "
                            "'registry' or 'data'.")
        messages += super().apply_query_string(rest)
        if switch:
            self.make_figures()  # see ModelApp.apply_query_string: views connect after this
        if messages:
            self.show_messages(messages)
        return messages
