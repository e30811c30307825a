"""The responsiveness and service-quality dashboard: answer by the 4th ring, and how good it is.

Staffing sliders (calls per hour, handle time, rings, target) drive the agents needed and the
service-level curve live (Erlang C, :data:`workbook.models.responsiveness.staffing.STAFFING`);
below, the sample survey's nine relationship qualities (expectation vs perception) and
Drucker's four levels, read by the same :func:`workbook.models.quality.analysis.analyse_survey`
as notebook 06. ``dashboards/responsiveness.ipynb`` only shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import ipywidgets as widgets
import pandas as pd

from workbook.core.formatting import format_percent
from workbook.data.surveys import SAMPLE_SURVEY
from workbook.models.quality.analysis import analyse_survey
from workbook.models.responsiveness.staffing import STAFFING, StaffingParams, StaffingResult
from workbook.plotting.quality.relationship import plot_drucker_mix, plot_quality_radar
from workbook.plotting.responsiveness.staffing import (
    plot_service_level_curve,
    service_level_curve_traces,
)
from workbook.ui.app import Chart, ModelApp, chart, update_figures

__all__ = ["ResponsivenessApp", "staffing_kpi_texts"]


def staffing_kpi_texts(result: StaffingResult) -> dict[str, str]:
    """The text of each staffing KPI card, as the page shows it.

    Examples
    --------
    >>> staffing_kpi_texts(STAFFING.compute(StaffingParams()))["agents"]
    '13'
    """
    return {
        "agents": f"{result.agents:,d}",
        "staff": f"{result.scheduled_staff:,d}",
        "service-level": format_percent(result.service_level),
        "asa": f"{result.average_speed_of_answer_seconds:.1f} s",
    }


class ResponsivenessApp(ModelApp):
    """Staffing to answer by the 4th ring, with the quality picture of the sample survey.

    Parameters
    ----------
    params
        Starting staffing values; registry defaults when omitted.
    survey_path
        A survey file (see :mod:`workbook.data.surveys`); the sample survey when omitted.
    """

    params_type: ClassVar[type] = StaffingParams
    main_sliders = ("staffing_calls_per_hour", "staffing_aht_seconds", "phone_answer_ring",
                    "staffing_service_level_target")
    more_sliders = ("staffing_ring_seconds", "staffing_shrinkage_share",
                    "staffing_max_occupancy_share")
    kpi_labels: ClassVar[dict[str, tuple[str, str]]] = {
        "agents": ("Agents on the phones", "fewest meeting target and occupancy cap"),
        "staff": ("People to schedule", "after shrinkage"),
        "service-level": ("Answered in time", "by the target ring (Erlang C)"),
        "asa": ("Average speed of answer", "mean wait of all calls"),
    }

    def __init__(self, params: StaffingParams | None = None, *,
                 survey_path: Path | str = SAMPLE_SURVEY) -> None:
        super().__init__(params)
        self.result = STAFFING.compute(self.params)
        self._show_kpis()
        reading = analyse_survey(survey_path)
        self.quality_scores: pd.DataFrame = reading.scores
        self.level_shares: pd.DataFrame = reading.levels.shares
        self.curve_box = widgets.VBox(layout=widgets.Layout(flex="1 1 480px", min_width="420px",
                                                            margin="0 0 0 16px"))
        self.quality_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.figures: list[Chart] = []
        self.make_figures()
        self.layout = self._build_layout()

    def _show_kpis(self) -> None:
        rings = self.result.params.phone_answer_ring
        for name, text in staffing_kpi_texts(self.result).items():
            note = f"by ring {rings} (Erlang C)" if name == "service-level" else None
            self.show_kpi(name, text, note)

    def make_figures(self) -> None:
        """(Re)build the live service-level curve and the two survey charts."""
        old = [figure for figure, _ in self.figures] + list(self.quality_box.children)
        curve = chart(plot_service_level_curve(self.result), "service-level-curve")
        self.figures = [(curve, service_level_curve_traces)]
        self.curve_box.children = [curve]
        self.quality_box.children = [
            chart(plot_quality_radar(self.quality_scores), "quality-radar"),
            chart(plot_drucker_mix(self.level_shares), "drucker-mix"),
        ]
        for figure in old:
            figure.close()

    def _build_layout(self) -> widgets.Widget:
        kpis = self.kpi_row()
        controls = self.controls()
        quality_header = widgets.HTML(
            "<h3 style='margin:18px 0 0'>How good is the service?</h3><small>The sample "
            "survey: expectation and perception of the nine relationship qualities (seed 002) "
            "and the share of customers at each of Drucker's levels (seed 003).</small>")
        app = widgets.VBox([
            self.header("Answer by the fourth ring"), self.message, kpis,
            widgets.HBox([controls, self.curve_box], layout=widgets.Layout(flex_flow="row wrap")),
            quality_header, self.quality_box,
        ])
        app.add_class("wb-app")
        return app

    def refresh(self, params: StaffingParams, *, deferred: bool) -> None:
        """Agents, queue and curve for ``params``."""
        self.result = STAFFING.compute(params)
        self._show_kpis()
        update_figures(self.figures, [self.result])
