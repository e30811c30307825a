"""The complaints and word-of-mouth dashboard: hunt for complaints, and what people hear.

Sliders over :class:`workbook.models.recovery.combined.RecoveryParams` (both models' inputs,
each once) drive KPI cards and live charts: where a year's customers with a problem go, what
hearing one more complaint is worth, the reach and value of word of mouth over the source
ranges, and a Monte Carlo of each model's net value, all from one
:func:`~workbook.models.recovery.analysis.analyse_recovery` (as notebook 04).
``dashboards/word-of-mouth.ipynb`` only shows it.
"""

from __future__ import annotations

import math
from typing import ClassVar

import ipywidgets as widgets

from workbook.core.formatting import format_money, format_percent
from workbook.models.recovery.analysis import RecoveryAnalysis, analyse_recovery
from workbook.models.recovery.combined import RecoveryParams
from workbook.plotting.recovery.complaints import (
    capture_lever_traces,
    complaint_flow_traces,
    net_value_histogram_traces,
    plot_capture_lever,
    plot_complaint_flow,
    plot_net_value_histogram,
)
from workbook.plotting.recovery.word_of_mouth import (
    plot_word_of_mouth_reach,
    plot_word_of_mouth_value,
    word_of_mouth_reach_traces,
    word_of_mouth_value_traces,
)
from workbook.ui.app import Chart, ModelApp, chart, update_figures
from workbook.uncertainty import UncertaintyParams

__all__ = ["RecoveryApp", "recovery_kpi_texts"]

KPI_LABELS: dict[str, tuple[str, str]] = {
    "complaint-net": ("Complaint handling, net", "a year's complaints, value kept − cost"),
    "capture-point": ("One more point heard", "worth of +1 % of problems complained about"),
    "customers-kept": ("Customers kept", "by hearing and fixing complaints, a year"),
    "wom-net": ("Word of mouth, net", ""),
    "unhappy-ratio": ("One unhappy customer undoes", "happy customers' word of mouth"),
    "risk-complaint": ("Chance complaints pay", ""),
    "risk-wom": ("Chance word of mouth gains", ""),
}


def recovery_kpi_texts(results: RecoveryAnalysis) -> dict[str, tuple[str, str | None]]:
    """The text (and note, ``None`` for the label's own) of each KPI card, as the page shows it.

    Examples
    --------
    >>> recovery_kpi_texts(analyse_recovery())["complaint-net"][0]
    '22,687'
    """
    low, high = results.stories.band("net_value")
    ratio = results.stories.mid.unhappy_to_happy_ratio
    complaint_risk = results.complaint_risk.headline()
    story_risk = results.story_risk.headline()
    return {
        "complaint-net": (format_money(results.complaints.net_value), None),
        "capture-point": (format_money(results.complaints.capture_point_value), None),
        "customers-kept": (f"{results.complaints.customers_kept:,.1f}", None),
        "wom-net": (format_money(results.stories.mid.net_value),
                    f"{format_money(low)} to {format_money(high)} over the source ranges"),
        "unhappy-ratio": ("—" if math.isnan(ratio) else f"{ratio:.1f} happy", None),
        "risk-complaint": (
            format_percent(complaint_risk["complaint_probability_net_value_positive"], 0),
            (f"P10 to P90: {format_money(complaint_risk['complaint_net_value_p10'])} to "
             f"{format_money(complaint_risk['complaint_net_value_p90'])}")),
        "risk-wom": (
            format_percent(story_risk["word_of_mouth_probability_net_value_positive"], 0),
            (f"P10 to P90: {format_money(story_risk['word_of_mouth_net_value_p10'])} to "
             f"{format_money(story_risk['word_of_mouth_net_value_p90'])}")),
    }


class RecoveryApp(ModelApp):
    """Complaint recovery and word of mouth: sliders, KPI cards, live and risk charts.

    Parameters
    ----------
    params
        Starting values; registry defaults when omitted.

    Examples
    --------
    >>> app = RecoveryApp()
    >>> app.kpi["complaint-net"].value.count("22,687")
    1
    """

    params_type: ClassVar[type] = RecoveryParams
    main_sliders = ("complaint_capture_share", "complaint_prompt_resolution_share",
                    "wom_happy_share", "wom_unhappy_share", "wom_social_amplification")
    more_sliders = ("complaint_problem_share", "complaint_recovery_retention",
                    "complaint_unrecovered_retention", "complaint_silent_retention",
                    "complaint_handling_cost", "happy_customer_tells",
                    "unhappy_customer_tells", "influence_circle", "wom_referral_conversion",
                    "wom_detraction_loss", "customers", "annual_spend_per_customer",
                    "gross_margin_rate", "annual_retention_rate", "horizon_years",
                    "discount_rate")
    kpi_labels = KPI_LABELS

    def __init__(self, params: RecoveryParams | None = None) -> None:
        super().__init__(params)
        self.uncertainty = UncertaintyParams()
        self.results = analyse_recovery(self.params, self.uncertainty)
        self._show_kpis()
        self.charts = widgets.VBox(layout=widgets.Layout(flex="1 1 480px", min_width="420px",
                                                         margin="0 0 0 16px"))
        self.risk_charts = widgets.VBox()
        self.figures: list[Chart] = []
        self.make_figures()
        self.layout = self._build_layout()

    def _show_kpis(self) -> None:
        for name, (text, note) in recovery_kpi_texts(self.results).items():
            self.show_kpi(name, text, note)

    def _sources(self) -> list[object]:
        r = self.results
        return [r.complaints, r.lever, r.stories, r.stories, r.complaint_risk, r.story_risk]

    def make_figures(self) -> None:
        """(Re)build the six live charts from the current results."""
        old = self.figures
        r = self.results
        self.figures = [
            (chart(plot_complaint_flow(r.complaints), "complaint-flow"), complaint_flow_traces),
            (chart(plot_capture_lever(r.lever), "capture-lever"), capture_lever_traces),
            (chart(plot_word_of_mouth_reach(r.stories), "wom-reach"),
             word_of_mouth_reach_traces),
            (chart(plot_word_of_mouth_value(r.stories), "wom-value"),
             word_of_mouth_value_traces),
            (chart(plot_net_value_histogram(r.complaint_risk).update_layout(height=300),
                   "complaint-histogram"), net_value_histogram_traces),
            (chart(plot_net_value_histogram(r.story_risk).update_layout(height=300),
                   "wom-histogram"), net_value_histogram_traces),
        ]
        self.charts.children = [figure for figure, _ in self.figures[:4]]
        self.risk_charts.children = [figure for figure, _ in self.figures[4:]]
        for figure, _ in old:
            figure.close()

    def _build_layout(self) -> widgets.Widget:
        kpis = self.kpi_row()
        risk_header = widgets.HTML(
            "<h4 style='margin:14px 0 0'>How wrong could this be?</h4><small>10,000 draws of "
            "the rough figures (PERT over each registry range; your business's own figures "
            "fixed).</small>")
        controls = self.controls(risk_header, self.risk_charts)
        body = widgets.HBox([controls, self.charts], layout=widgets.Layout(flex_flow="row wrap"))
        app = widgets.VBox([self.header("Hunt for complaints; mind what people hear"),
                            self.message, kpis, body])
        app.add_class("wb-app")
        return app

    def refresh(self, params: RecoveryParams, *, deferred: bool) -> None:
        """Both models, their ranges and Monte Carlo for ``params``; KPIs and charts."""
        self.results = analyse_recovery(params, self.uncertainty)
        self.params = params
        self._show_kpis()
        update_figures(self.figures, self._sources())
