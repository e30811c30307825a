"""The "Customer value" tab of the loyalty dashboard: lifetime value, who is gone, win-back.

On the loyalty dashboard's data and as-of date (:class:`workbook.ui.loyalty_app.LoyaltyApp`),
the per-customer purchase history already on the ladder snapshot
(:func:`workbook.models.loyalty.ladder.compute_ladder`) is valued as notebook 03 values it
(:func:`workbook.models.value.analysis.value_customers`: BG/NBD and Gamma-Gamma, value per
stage, the win-back campaign). Shown: KPI cards (from the same headline numbers), the
lifetime-value distribution, the probability-alive matrix, value at risk per ladder stage, and
the win-back campaign: its top 20 as a table and the whole list as a spreadsheet-safe CSV link
(:func:`workbook.run.export.to_safe_csv`).

Speed: the fit (about 0.1 s on the sample) runs only when the data or the date changes (or
the ladder's gross margin, which lifetime value shares); a ladder threshold move only regroups
by stage (when the tab is next shown); a win-back slider recomputes the campaign from the
fitted values (milliseconds). A model that cannot be fitted
(:class:`workbook.models.value.ClvError`, e.g. no repeat buyers) is said in the tab, never as a
traceback.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import Any

import ipywidgets as widgets
import pandas as pd

from workbook.core.formatting import format_money, format_percent
from workbook.core.parameters import build_params, field_assumption
from workbook.core.validation import ParameterError
from workbook.models.loyalty.ladder import STAGE_LABELS, LadderResult
from workbook.models.value import CUSTOMER_VALUE, ClvError, ClvParams, ClvResult
from workbook.models.value.analysis import CustomerValueAnalysis, value_customers
from workbook.models.value.winback import WINBACK, WinbackParams, WinbackResult
from workbook.plotting.value.lifetime_value import (
    alive_matrix_traces,
    clv_distribution_traces,
    plot_alive_matrix,
    plot_clv_distribution,
    plot_value_at_risk,
    value_at_risk_traces,
)
from workbook.plotting.value.winback import campaign_curve_traces, plot_campaign_curve
from workbook.ui.app import Chart, chart, kpi_html, run_soon, update_figures
from workbook.ui.controls import assumption_slider, source_badge
from workbook.ui.download import DOWNLOAD_LIMIT_BYTES, csv_download_link

__all__ = [
    "FITTING_TEXT",
    "TOP_CANDIDATES",
    "VALUE_KPI_LABELS",
    "WINBACK_SLIDERS",
    "ValueTab",
    "value_kpi_texts",
    "winback_list",
    "winback_list_link",
    "winback_table_html",
]

log = logging.getLogger(__name__)

FITTING_TEXT = "Fitting…"
"""What the tab says while the models are fitted."""

TOP_CANDIDATES = 20
"""Win-back candidates shown in the table (the download holds them all)."""

WINBACK_SLIDERS = ("winback_alive_threshold", "winback_cost_per_contact",
                   "winback_new_customer_conversion_rate")
"""Fields of :class:`workbook.models.value.winback.WinbackParams` with a slider in the tab."""

VALUE_KPI_LABELS = {
    "expected-alive": ("Customers still alive", "expected: probabilities alive summed"),
    "mean-clv": ("Mean lifetime value", "discounted margin per customer"),
    "value-at-risk": ("Value at risk", "margin lost if the quiet ones are gone"),
    "winback-net": ("Win-back campaign, net", "value recovered minus contact cost"),
}
"""KPI name → (label, note); each card carries the CSS class ``kpi-<name>``."""

WINBACK_LIST_COLUMNS = ("rank", "customer_id", "stage", "stage_label", "ladder_lost",
                        "probability_alive", "frequency", "recency", "T", "value_at_stake",
                        "chance_of_return", "expected_value", "net_value", "contacted")
"""Columns of the downloaded win-back list."""


def value_kpi_texts(value: ClvResult, campaign: WinbackResult) -> dict[str, str]:
    """The text of each KPI card of the tab, as the page shows it: the headline numbers.

    Examples
    --------
    >>> from workbook.data.load import load_customer_data
    >>> from workbook.models.loyalty.ladder import assign_stages
    >>> analysis = value_customers(assign_stages(load_customer_data()))
    >>> value_kpi_texts(analysis.value, analysis.winback)["expected-alive"]
    '1,789'
    """
    assert CUSTOMER_VALUE.headline is not None and WINBACK.headline is not None
    head = {**CUSTOMER_VALUE.headline(value), **WINBACK.headline(campaign)}
    return {
        "expected-alive": f"{head['expected_alive']:,.0f}",
        "mean-clv": format_money(head["mean_clv"]),
        "value-at-risk": format_money(head["total_value_at_risk"]),
        "winback-net": format_money(head["winback_net_value"]),
    }


def winback_list(campaign: WinbackResult) -> pd.DataFrame:
    """Every win-back candidate, best first: what the download holds."""
    table = campaign.candidates.reset_index()
    stage = table["stage"].astype("string")
    table = table.assign(stage=stage,
                         stage_label=stage.map(lambda s: STAGE_LABELS.get(s, s)).astype("string"))
    return table[list(WINBACK_LIST_COLUMNS)]


def winback_list_link(campaign: WinbackResult, as_of: dt.date,
                      limit_bytes: int = DOWNLOAD_LIMIT_BYTES) -> str:
    """HTML of the "Download win-back list (CSV)" link: a ``data:`` URI of the safe CSV."""
    day = as_of.isoformat()
    return csv_download_link(winback_list(campaign), filename=f"winback-list-{day}.csv",
                             label="Download win-back list (CSV)",
                             what=f"{campaign.lost_customers:,} lost customers as of {day}",
                             notebook="notebooks/03-customer-value.ipynb",
                             limit_bytes=limit_bytes)


def winback_table_html(campaign: WinbackResult, top: int = TOP_CANDIDATES) -> str:
    """The ``top`` win-back candidates as an HTML table (ids escaped)."""
    best = campaign.candidates.head(top)
    rows = "".join(
        f"<tr><td>{int(row.rank):,}</td><td>{html.escape(str(customer))}</td>"
        f"<td>{html.escape(STAGE_LABELS.get(str(row.stage), str(row.stage)) or '—')}</td>"
        f"<td>{format_percent(row.probability_alive)}</td><td>{int(row.frequency):,}</td>"
        f"<td>{format_money(row.value_at_stake)}</td>"
        f"<td>{format_money(row.expected_value)}</td><td>{format_money(row.net_value)}</td>"
        f"<td>{'yes' if row.contacted else 'no'}</td></tr>"
        for customer, row in zip(best.index, best.itertuples(), strict=True))
    if not rows:
        return "<p>No customer is below the probability-alive threshold: nobody to win back.</p>"
    return (
        f"<div><b>The best {len(best):,} of {campaign.lost_customers:,} lost customers</b> "
        f"<small>(probability alive below "
        f"{format_percent(campaign.params.winback_alive_threshold, 0)}"
        f"; contact {campaign.contacts:,} of them)</small></div>"
        "<table class='wb-stage-table wb-winback-table'><tr><th>Rank</th><th>Customer</th>"
        "<th>Stage</th><th>P(alive)</th><th>Repeat purchases</th><th>Value at stake</th>"
        "<th>Expected from a contact</th><th>Net of contact cost</th><th>Contact</th></tr>"
        f"{rows}</table>"
    )


class ValueTab:
    """The "Customer value" tab: fitted once per data and date, campaign live on its sliders.

    Parameters
    ----------
    params
        Starting win-back inputs; registry defaults when omitted.
    clv_params
        Discount rate and horizon of the lifetime value; registry defaults when omitted. The
        gross margin is the ladder's
        (:attr:`workbook.models.loyalty.ladder.LadderParams.gross_margin_rate`), so both tabs
        count margin alike.
    defer_download
        On a win-back slider move, rebuild the download link in the next turn of the kernel's
        event loop, after the KPI cards, table and chart have gone out (the dashboard turns it
        on; off, every update is synchronous).

    Examples
    --------
    >>> from workbook.data.load import load_customer_data
    >>> from workbook.models.loyalty.ladder import compute_ladder
    >>> data = load_customer_data()
    >>> tab = ValueTab()
    >>> tab.update(compute_ladder(data), data)
    True
    >>> tab.analysis.headline()["customers"]
    2828
    """

    def __init__(self, params: WinbackParams | None = None, *,
                 clv_params: ClvParams | None = None, defer_download: bool = False) -> None:
        self.defer_download = defer_download
        self._download_pending = False
        self.defaults = WinbackParams()
        self.params = params or self.defaults
        self.clv_params = clv_params or ClvParams()
        self.analysis: CustomerValueAnalysis | None = None
        """Values, stage table and campaign shown (:func:`value_customers`); ``None`` unfitted."""
        self.ladder: LadderResult | None = None
        """The ladder result whose stages are shown."""
        self.fits = 0
        """Times the models were fitted (a threshold move must not add to it)."""
        self._fitted_as_of: dt.date | None = None
        self._data: object | None = None
        self.status = widgets.HTML("")
        self.status.add_class("wb-value-status")
        self.kpi: dict[str, widgets.HTML] = {}
        for name in VALUE_KPI_LABELS:
            card = widgets.HTML()
            card.add_class("wb-kpi")
            card.add_class(f"kpi-{name}")
            self.kpi[name] = card
        self.sliders: dict[str, widgets.Widget] = {}
        rows = []
        for name in WINBACK_SLIDERS:
            assumption = field_assumption(WinbackParams, name)
            assert assumption is not None, f"{name} has no registered assumption"
            slider = assumption_slider(name, assumption, getattr(self.params, name))
            slider.observe(self._on_slider, names="value")
            self.sliders[name] = slider
            rows.append(widgets.HBox([slider, source_badge(assumption)],
                                     layout=widgets.Layout(width="100%")))
        self.message = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.message.add_class("wb-value-message")
        self.winback_table = widgets.HTML()
        self.winback_table.add_class("wb-winback-table-box")
        self.download = widgets.HTML()
        self.download.add_class("wb-winback-download")
        self.figures: list[Chart] = []
        self.charts_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.campaign_box = widgets.VBox(layout=widgets.Layout(flex="1 1 480px",
                                                               min_width="420px"))
        self.content = widgets.VBox([
            widgets.HBox(list(self.kpi.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.charts_box,
            widgets.HTML("<h3 style='margin:18px 0 0'>Win-back: whom to call first</h3>"
                         "<small>Lost: probability alive below the threshold. A contact wins a "
                         "customer back with the chance shown; it is made when the expected "
                         "value recovered exceeds its cost.</small>"),
            widgets.HBox([widgets.VBox([*rows, self.message],
                                       layout=widgets.Layout(width="560px",
                                                             min_width="420px")),
                          self.campaign_box], layout=widgets.Layout(flex_flow="row wrap")),
            self.winback_table, self.download,
        ], layout=widgets.Layout(display="none"))
        self.layout = widgets.VBox([self.status, self.content])
        self.layout.add_class("wb-value-tab")

    @property
    def value(self) -> ClvResult | None:
        """Every customer valued (``None`` before a fit, or when it failed)."""
        return self.analysis.value if self.analysis is not None else None

    @property
    def campaign(self) -> WinbackResult | None:
        """The win-back campaign shown."""
        return self.analysis.winback if self.analysis is not None else None

    @property
    def stage_value(self) -> pd.DataFrame | None:
        """Value and value at risk per ladder stage, as shown."""
        return self.analysis.stage_value if self.analysis is not None else None

    # --- updating from the ladder -----------------------------------------------------------

    def update(self, ladder: LadderResult, data: object) -> bool:
        """Bring the tab up to date with ``ladder`` (computed on ``data``).

        Refits when the data, the date or the gross margin differs from the last fit;
        otherwise only regroups by the ladder's stages when they changed (a threshold move).
        Returns ``True`` when the tab shows numbers for ``ladder``.
        """
        if self.needs_fit(ladder, data):
            return self.fit(ladder, data)
        if self.analysis is None:
            return False  # this data and date could not be fitted; the message says why
        if ladder is not self.ladder:
            return self._show_stages(ladder)
        return True

    def data_changed(self, ladder: LadderResult, data: object) -> bool:
        """Whether ``ladder`` is on other data or another date than the last fit."""
        return data is not self._data or ladder.as_of != self._fitted_as_of

    def needs_fit(self, ladder: LadderResult, data: object) -> bool:
        """Whether ``ladder`` is on other data, date or gross margin than the last fit."""
        return (self.data_changed(ladder, data)
                or ladder.params.gross_margin_rate != self.clv_params.gross_margin_rate)

    def shows(self, ladder: LadderResult) -> bool:
        """Whether the tab shows numbers for ``ladder`` (fitted and grouped by its stages)."""
        return self.analysis is not None and self.ladder is ladder

    def fit(self, ladder: LadderResult, data: object) -> bool:
        """Fit both models to the customers of ``ladder`` and show everything."""
        self._fitted_as_of, self._data = ladder.as_of, data
        self.clv_params = self.clv_params.replace(
            gross_margin_rate=ladder.params.gross_margin_rate)
        self._show_status(FITTING_TEXT, css="wb-value-fitting")
        try:
            analysis = value_customers(ladder.snapshot, self.clv_params, self.params,
                                       as_of=ladder.as_of)
        except ClvError as error:
            return self._fit_failed(f"Lifetime value cannot be computed for this data as of "
                                    f"{ladder.as_of.isoformat()}: {error}")
        except Exception as error:  # never a traceback on the page
            log.exception("customer value failed")
            return self._fit_failed(f"Lifetime value could not be computed "
                                    f"({type(error).__name__}: {error}).")
        self.fits += 1
        self.analysis, self.ladder = analysis, ladder
        self._show_all()
        return True

    def _fit_failed(self, text: str) -> bool:
        self.analysis = None
        self.ladder = None
        self.content.layout.display = "none"
        self._show_status(text.rstrip(" .:") + ". The loyalty ladder is unaffected.",
                          css="wb-upload-error wb-value-error")
        return False

    def _show_stages(self, ladder: LadderResult) -> bool:
        """Regroup the fitted values by ``ladder``'s stages (a threshold moved): no refit."""
        assert self.analysis is not None
        try:
            analysis = self.analysis.with_stages(ladder.snapshot["stage"])
        except Exception as error:  # never a traceback on the page
            log.exception("win-back failed")
            return self._fit_failed(f"The win-back campaign could not be computed "
                                    f"({type(error).__name__}: {error}).")
        self.analysis, self.ladder = analysis, ladder
        self._show_all()
        return True

    # --- the win-back sliders ---------------------------------------------------------------

    def _on_slider(self, _change: dict[str, Any]) -> None:
        self.recompute_campaign(deferred=True)

    def recompute_campaign(self, *, deferred: bool = False) -> bool:
        """Rebuild the win-back parameters from the sliders and the campaign from the fit.

        Never refits. An invalid combination (a chance of return over 1) is said under the
        sliders and the last valid campaign stays shown.
        """
        values = {**self.params.to_dict(),
                  **{name: slider.value for name, slider in self.sliders.items()}}
        try:
            params = build_params(WinbackParams, values)
        except ParameterError as error:
            self._show_message(f"Check {error.name}: expected {error.expected}; got "
                               f"{error.got!r}. The campaign shown is from the last valid "
                               "inputs.")
            return False
        self.params = params
        self._show_message("")
        if self.analysis is None or self.ladder is None:
            return True  # nothing fitted yet: the next fit uses these inputs
        self.analysis = self.analysis.with_winback(params)
        self._show_campaign(deferred=deferred)
        return True

    def set_values(self, values: dict[str, float]) -> bool:
        """Move several win-back sliders at once and recompute once."""
        for name, value in values.items():
            slider = self.sliders[name]
            slider.unobserve(self._on_slider, names="value")
            try:
                slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = value
            finally:
                slider.observe(self._on_slider, names="value")
        return self.recompute_campaign()

    # --- showing ------------------------------------------------------------------------------

    def _show_status(self, text: str, *, css: str) -> None:
        self.status.value = f'<div class="{css}">{html.escape(text)}</div>' if text else ""

    def _show_message(self, text: str) -> None:
        self.message.value = (f'<div class="wb-message-box">{html.escape(text)}</div>'
                              if text else "")
        self.message.layout.display = None if text else "none"

    def _show_kpis(self) -> None:
        assert self.value is not None and self.campaign is not None
        texts = value_kpi_texts(self.value, self.campaign)
        customers = len(self.value.customers)
        campaign = self.campaign
        notes = {
            "expected-alive": f"of {customers:,} customers (probabilities alive summed)",
            "mean-clv": f"discounted margin over {self.value.params.horizon_years} years "
                        f"({format_percent(self.value.params.gross_margin_rate, 0)} of spend)",
            "value-at-risk": VALUE_KPI_LABELS["value-at-risk"][1],
            "winback-net": f"contact {campaign.contacts:,}, win back "
                           f"{campaign.expected_won_back:,.1f}",
        }
        for name, (label, _note) in VALUE_KPI_LABELS.items():
            self.kpi[name].value = kpi_html(label, texts[name], notes[name])

    def _show_campaign(self, *, deferred: bool = False) -> None:
        assert self.campaign is not None and self.ladder is not None
        self._show_kpis()
        self.winback_table.value = winback_table_html(self.campaign)
        if self.figures:
            update_figures(self.figures[3:], [self.campaign])
        run_soon(self, "_download_pending", self.refresh_download,
                 later=deferred and self.defer_download)

    def refresh_download(self) -> None:
        """Rebuild the win-back list link for the current campaign."""
        self._download_pending = False
        if self.campaign is None or self.ladder is None:
            return
        try:
            self.download.value = winback_list_link(self.campaign, self.ladder.as_of)
        except Exception as error:  # never a traceback on the page
            log.exception("win-back list failed")
            self.download.value = (f"<small>The win-back list could not be written "
                                   f"({html.escape(type(error).__name__)}).</small>")

    def _show_all(self) -> None:
        assert self.value is not None and self.stage_value is not None
        if not self.figures:
            self.make_figures()
        else:
            update_figures(self.figures[:3], [self.value, self.value, self.stage_value])
        self._show_campaign()
        self._show_status("", css="")
        self.content.layout.display = None

    def make_figures(self) -> None:
        """(Re)build the four charts from the current results and put them on the page."""
        assert self.value is not None and self.stage_value is not None
        assert self.campaign is not None
        old = [figure for figure, _ in self.figures]
        self.figures = [
            (chart(plot_clv_distribution(self.value), "clv-distribution"),
             clv_distribution_traces),
            (chart(plot_alive_matrix(self.value), "alive-matrix"), alive_matrix_traces),
            (chart(plot_value_at_risk(self.stage_value), "value-at-risk"),
             value_at_risk_traces),
            (chart(plot_campaign_curve(self.campaign), "campaign-curve"),
             campaign_curve_traces),
        ]
        self.charts_box.children = [
            widgets.Box([figure], layout=widgets.Layout(flex="1 1 700px", min_width="700px"))
            for figure, _ in self.figures[:3]]
        self.campaign_box.children = [self.figures[3][0]]
        for figure in old:
            figure.close()
