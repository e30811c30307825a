"""The loyalty dashboard: the ladder of a business's own customers, as of any month.

Data: the sample business (default) or the user's transactions CSV (and optionally customers
CSV), uploaded in the page (:mod:`workbook.ui.upload`). Controls: the as-of month and the
ladder thresholds (registry sliders, :class:`workbook.models.loyalty.ladder.LadderParams`,
named in a link as their registry keys: ``?ladder_lost_after_days=365``). Shown: KPI cards
(from the headline numbers notebook 02 publishes), the stage funnel, the Sankey of moves since
the previous period, the Lorenz curve, a stage table and a link downloading the stage of every
person as spreadsheet-safe CSV (:func:`workbook.run.export.to_safe_csv`). A second tab,
"Customer value" (:mod:`workbook.ui.value_tab`), shows lifetime value, probability alive,
value at risk by stage and the win-back campaign on the same data and date.

Speed: the per-person features are one engine query per (as-of date, period length), kept on
the data (:func:`workbook.models.loyalty.ladder.compute_features`); a threshold move re-applies
the rules to them (milliseconds) and updates the charts in place. The download link (the
whole stage list) follows in the next turn of the kernel's event loop, so the charts never
wait for it. The customer-value tab is computed only when first opened; once opened, a data or
date change refits it (in the next turn of the loop, after the ladder's charts), and a
threshold move only regroups it by stage when it is next shown.

``dashboards/loyalty.ipynb`` only shows it.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import ipywidgets as widgets
import pandas as pd

from workbook.core.formatting import format_money, format_percent
from workbook.core.validation import ParameterError
from workbook.data.load import (
    CustomerData,
    fetch_value,
    load_customer_data,
    parse_as_of,
)
from workbook.models.loyalty.ladder import (
    LOYALTY_LADDER,
    STAGE_LABELS,
    STAGES,
    LadderParams,
    LadderResult,
    compute_ladder,
)
from workbook.plotting.loyalty.ladder import (
    funnel_traces,
    lorenz_traces,
    plot_funnel,
    plot_lorenz,
    plot_sankey,
    sankey_traces,
)
from workbook.ui.app import Chart, ModelApp, chart, kpi_html, run_soon, update_figures
from workbook.ui.download import DOWNLOAD_LIMIT_BYTES, csv_download_link
from workbook.ui.upload import (
    UPLOAD_LIMIT_BYTES,
    CsvUpload,
    UploadedFile,
    UploadError,
    load_uploaded_data,
)
from workbook.ui.value_tab import ValueTab

__all__ = [
    "DOWNLOAD_LIMIT_BYTES",
    "TAB_TITLES",
    "LoyaltyApp",
    "as_of_options",
    "ladder_kpi_texts",
    "stage_list",
    "stage_list_link",
    "stage_table_html",
]


SAMPLE_LABEL = "the sample business (data/samples)"

TAB_TITLES = ("Loyalty ladder", "Customer value")
"""The dashboard's two tabs, in order."""

STAGE_LIST_COLUMNS = ("stage", "stage_label", "segment", "purchase_days", "first_purchase",
                      "last_purchase", "active_periods", "referrals", "revenue_to_date",
                      "period_revenue")
"""Columns of the downloaded stage list, after ``customer_id``."""


def ladder_kpi_texts(result: LadderResult) -> dict[str, str]:
    """The text of each KPI card, as the page shows it: the headline numbers notebook 02
    publishes (:data:`~workbook.models.loyalty.ladder.LOYALTY_LADDER`).

    Examples
    --------
    >>> from workbook.data.load import load_customer_data
    >>> ladder_kpi_texts(compute_ladder(load_customer_data()))["customers"]
    '2,828'
    """
    assert LOYALTY_LADDER.headline is not None
    head = LOYALTY_LADDER.headline(result)
    customers, lost = head["customers"], head["stage_counts"]["lost"]
    return {
        "customers": f"{customers:,}",
        "top-share": format_percent(head["top20_revenue_share"]),
        "gini": f"{head['gini']:.2f}",
        "lost-share": format_percent(lost / customers if customers else None),
    }


def as_of_options(first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates the as-of slider offers: every month end from ``first`` on, and ``last``.

    Examples
    --------
    >>> [d.isoformat() for d in as_of_options(dt.date(2025, 1, 15), dt.date(2025, 3, 20))]
    ['2025-01-31', '2025-02-28', '2025-03-20']
    """
    ends = [t.date() for t in pd.date_range(first, last, freq="ME")]
    return sorted({*ends, last})


def stage_list(result: LadderResult) -> pd.DataFrame:
    """The stage of every person as of the result's date: what the download holds."""
    snapshot = result.snapshot
    table = snapshot.assign(
        stage=snapshot["stage"].astype("string"),
        stage_label=snapshot["stage"].map(STAGE_LABELS).astype("string"),
    )
    return table.reset_index()[["customer_id", *STAGE_LIST_COLUMNS]]


def stage_list_link(result: LadderResult, limit_bytes: int = DOWNLOAD_LIMIT_BYTES) -> str:
    """HTML of the "Download stage list (CSV)" link: a ``data:`` URI of the safe CSV."""
    day = result.as_of.isoformat()
    return csv_download_link(stage_list(result), filename=f"loyalty-stages-{day}.csv",
                             label="Download stage list (CSV)",
                             what=f"{len(result.snapshot):,} people as of {day}",
                             notebook="notebooks/02-loyalty-stages.ipynb",
                             limit_bytes=limit_bytes)


def stage_table_html(result: LadderResult) -> str:
    """People, revenue and margin per stage as an HTML table."""
    economics = result.economics
    days = result.params.ladder_period_days
    rows = "".join(
        f"<tr class='stage-{s}'><td>{html.escape(STAGE_LABELS[s])}</td>"
        f"<td>{int(row.people):,}</td><td>{format_percent(row.people_share)}</td>"
        f"<td>{format_money(row.revenue_to_date)}</td>"
        f"<td>{format_percent(row.revenue_share)}</td>"
        f"<td>{format_money(row.margin_to_date)}</td>"
        f"<td>{format_money(row.period_revenue)}</td></tr>"
        for s, row in zip(STAGES, economics.loc[list(STAGES)].itertuples(), strict=True))
    return (
        "<table class='wb-stage-table'><tr><th>Stage</th><th>People</th><th>Share</th>"
        "<th>Revenue to date</th><th>Revenue share</th><th>Margin to date</th>"
        f"<th>Revenue, last {days} days</th></tr>{rows}</table>"
    )


TABLE_CSS = """
<style>
.wb-stage-table { font-size: 13px; border-collapse: collapse; margin: 8px 0; }
.wb-stage-table td, .wb-stage-table th { padding: 3px 10px; border-bottom: 1px solid #eee;
                                          text-align: right; }
.wb-stage-table td:first-child, .wb-stage-table th:first-child { text-align: left; }
.wb-download-link { color: #1f6f8b; font-weight: 600; text-decoration: underline; }
.wb-upload-error { border-left: 4px solid #e76f51; background: #fff3ef; padding: 6px 10px; }
</style>
"""


class LoyaltyApp(ModelApp):
    """The loyalty ladder of the sample business or an uploaded CSV, live.

    Parameters
    ----------
    params
        Starting thresholds; registry defaults when omitted.
    data
        Loaded data (:func:`workbook.data.load.load_customer_data`); the sample business
        when omitted.
    defer_download
        On a slider move, rebuild the download link (and refit the customer-value tab, once
        opened) in the next turn of the kernel's event loop, after the charts have gone out.
        The dashboard turns it on; off, every update is synchronous.

    Examples
    --------
    >>> app = LoyaltyApp()
    >>> app.result.customers
    2828
    """

    params_type: ClassVar[type] = LadderParams
    main_sliders = ("ladder_lost_after_days", "ladder_repeat_min_purchases",
                    "ladder_client_min_active_periods", "ladder_client_lookback_periods",
                    "ladder_advocate_min_referrals")
    more_sliders = ("ladder_period_days", "gross_margin_rate", "pareto_top_customer_share")
    kpi_labels: ClassVar[dict[str, tuple[str, str]]] = {
        "customers": ("Customers", "people who have bought"),
        "top-share": ("Revenue from the top 20 %", "of customers (the 80/20 rule)"),
        "gini": ("Gini coefficient of revenue", "0 = all spend alike, 1 = one spends all"),
        "lost-share": ("Customers lost", "no purchase in 180 days"),
    }

    def __init__(self, params: LadderParams | None = None, *, data: CustomerData | None = None,
                 defer_download: bool = False) -> None:
        super().__init__(params)
        self.defer_download = defer_download
        self._download_pending = False
        self.data = data if data is not None else load_customer_data()
        self._source = SAMPLE_LABEL if data is None else data.source
        self.as_of: dt.date = self.data.as_of
        self.result: LadderResult = compute_ladder(self.data, self.params, self.as_of)
        self.as_of_slider = widgets.SelectionSlider(
            options=[(self.as_of.isoformat(), self.as_of)], description="As of",
            continuous_update=False, style={"description_width": "250px"},
            layout=widgets.Layout(width="100%"))
        self.as_of_slider.add_class("asof-date")
        self._set_date_options()
        self.as_of_slider.observe(self._on_as_of, names="value")
        self.data_note = widgets.HTML()
        self.data_note.add_class("wb-data-source")
        self.upload_message = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.upload_message.add_class("wb-upload-message")
        self.transactions_upload = CsvUpload(description="Transactions CSV")
        self.transactions_upload.add_class("upload-transactions")
        self.customers_upload = CsvUpload(description="Customers CSV")
        self.customers_upload.add_class("upload-customers")
        self.transactions_upload.on_file(lambda _file: self._on_upload())
        self.customers_upload.on_file(lambda _file: self._on_upload())
        self.transactions_upload.on_error(self._on_refused)
        self.customers_upload.on_error(self._on_refused)
        self.sample_button = widgets.Button(description="Use the sample data", icon="database",
                                            layout=widgets.Layout(width="auto"))
        self.sample_button.add_class("wb-use-sample")
        self.sample_button.on_click(lambda _button: self.use_sample())
        self.stage_table = widgets.HTML()
        self.stage_table.add_class("wb-stage-table-box")
        self.download = widgets.HTML()
        self.download.add_class("wb-download")
        self.funnel_box = widgets.VBox(layout=widgets.Layout(flex="1 1 480px", min_width="420px",
                                                             margin="0 0 0 16px"))
        self.flow_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.figures: list[Chart] = []
        self._show_result()
        self.refresh_download()
        self.make_figures()
        self.value_tab = ValueTab(defer_download=defer_download)
        """The "Customer value" tab; empty until :meth:`open_value_tab`."""
        self.value_opened = False
        self._value_pending = False
        self.tabs = widgets.Tab()
        self.layout = self._build_layout()

    @classmethod
    def from_query_string(cls, query: str | None = None, **options: Any) -> LoyaltyApp:
        """:meth:`ModelApp.from_query_string`, with the download link deferred (the
        dashboard). ``as_of=YYYY-MM-DD`` in the query picks the date."""
        return super().from_query_string(query, **{"defer_download": True, **options})

    # --- construction -----------------------------------------------------------------------

    def _set_date_options(self, extra: dt.date | None = None) -> None:
        """Offer the month ends of the data's span (and ``extra``); select :attr:`as_of`."""
        key = ("first_date",)
        if key not in self.data.cache:
            first = fetch_value(self.data.transactions.date.min())
            self.data.cache[key] = (pd.Timestamp(first).date() if first is not None
                                    else self.data.as_of)
        dates = as_of_options(self.data.cache[key], self.data.as_of)
        if extra is not None and extra not in dates:
            dates = sorted([*dates, extra])
        self._muted = True
        try:
            self.as_of_slider.options = [(d.isoformat(), d) for d in dates]
            self.as_of_slider.value = self.as_of
        finally:
            self._muted = False

    def make_figures(self) -> None:
        """(Re)build the funnel, Sankey and Lorenz charts from the current result."""
        old = [figure for figure, _ in self.figures]
        funnel = (chart(plot_funnel(self.result), "funnel"), funnel_traces)
        sankey = (chart(plot_sankey(self.result.transitions), "sankey"),
                  lambda r: sankey_traces(r.transitions))
        lorenz = (chart(plot_lorenz(self.result.pareto), "lorenz"),
                  lambda r: lorenz_traces(r.pareto))
        self.figures = [funnel, sankey, lorenz]
        self.funnel_box.children = [funnel[0]]
        self.flow_box.children = [sankey[0], lorenz[0]]
        for figure in old:
            figure.close()

    def _build_layout(self) -> widgets.Widget:
        kpis = self.kpi_row()
        limit = UPLOAD_LIMIT_BYTES / (1024 * 1024)
        data_box = widgets.VBox([
            widgets.HTML(
                "<b>Data</b><br><small>The sample business, or your own transactions as CSV "
                f"(up to {limit:.0f} MB; columns <code>customer_id</code>, <code>date</code>, "
                "<code>amount</code>, optional <code>order_id</code>, <code>channel</code>, "
                "<code>refund</code>), optionally with customers (<code>customer_id</code>, "
                "<code>signup_date</code>, optional <code>segment</code>, "
                "<code>referred_by</code>, <code>referrals</code>, <code>advocate</code>). "
                "Larger files: notebooks/02-loyalty-stages.ipynb.</small>"),
            widgets.HBox([self.transactions_upload, self.customers_upload, self.sample_button]),
            self.data_note, self.upload_message, self.as_of_slider,
        ], layout=widgets.Layout(max_width="1000px"))
        controls = self.controls()
        table_box = widgets.VBox([
            widgets.HTML("<h3 style='margin:18px 0 0'>Customers, revenue and margin per "
                         "stage</h3>"),
            self.stage_table, self.download])
        ladder = widgets.VBox([
            kpis,
            widgets.HBox([controls, self.funnel_box],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.flow_box, table_box,
        ])
        self.tabs.children = [ladder, self.value_tab.layout]
        self.tabs.titles = TAB_TITLES
        self.tabs.selected_index = 0
        self.tabs.add_class("wb-tabs")
        self.tabs.observe(self._on_tab, names="selected_index")
        app = widgets.VBox([
            widgets.HTML(TABLE_CSS), self.header("The loyalty ladder"), self.message,
            data_box, self.tabs,
        ])
        app.add_class("wb-app")
        return app

    # --- behaviour --------------------------------------------------------------------------

    def _show_result(self) -> None:
        result = self.result
        texts = ladder_kpi_texts(result)
        self.show_kpi("customers", texts["customers"],
                      f"{result.active_customers:,} active on {result.as_of.isoformat()}")
        top = format_percent(result.params.pareto_top_customer_share, 0)
        self.kpi["top-share"].value = kpi_html(f"Revenue from the top {top}",
                                               texts["top-share"], self.kpi_labels["top-share"][1])
        self.show_kpi("gini", texts["gini"])
        self.show_kpi("lost-share", texts["lost-share"],
                      f"no purchase in {result.params.ladder_lost_after_days} days")
        self.stage_table.value = stage_table_html(result)
        self.data_note.value = (f"<small>Showing {html.escape(self._source)}: "
                                f"{result.customers:,} customers, data up to "
                                f"{self.data.as_of.isoformat()}.</small>")

    def refresh(self, params: LadderParams, *, deferred: bool) -> None:
        """Re-apply the ladder rules for ``params`` on the current data and date."""
        self.result = compute_ladder(self.data, params, self.as_of)
        self.params = params
        self._show_result()
        update_figures(self.figures, [self.result] * len(self.figures))
        run_soon(self, "_download_pending", self.refresh_download,
                 later=deferred and self.defer_download)
        self._follow_value(deferred=deferred)

    def refresh_download(self) -> bool:
        """Rebuild the download link for the current result."""
        self._download_pending = False
        try:
            self.download.value = stage_list_link(self.result)
        except Exception as error:  # never a traceback on the page
            return self.failed(error)
        return True

    # --- the customer-value tab -------------------------------------------------------------

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == 1:
            self.refresh_value()

    def open_value_tab(self) -> bool:
        """Select the "Customer value" tab (as a click does), fitting it when data or date
        are new. Returns ``True`` when it shows numbers (``False``: its message says why)."""
        if self.tabs.selected_index == 1:
            return self.refresh_value()
        self.tabs.selected_index = 1  # observed: _on_tab refreshes it
        return self.value_tab.shows(self.result)

    def refresh_value(self) -> bool:
        """Bring the customer-value tab up to date with the ladder shown (refit if needed)."""
        self.value_opened = True
        self._value_pending = False
        return self.value_tab.update(self.result, self.data)

    def _follow_value(self, *, deferred: bool) -> None:
        """After the ladder changed: refit an opened value tab when the data or date did.

        A threshold move (or the margin) alone waits until the tab is shown.
        """
        if not self.value_opened:
            return
        if self.tabs.selected_index != 1 and not self.value_tab.data_changed(self.result,
                                                                              self.data):
            return
        run_soon(self, "_value_pending", self.refresh_value,
                 later=deferred and self.defer_download)

    def _on_as_of(self, change: dict[str, Any]) -> None:
        if self._muted:
            return
        self.set_as_of(change["new"])

    def set_as_of(self, day: dt.date | str) -> bool:
        """Show the ladder as of ``day`` (on or before the data's last date)."""
        parsed = parse_as_of(day)
        previous = self.as_of
        self.as_of = parsed or self.data.as_of
        if self.as_of_slider.value != self.as_of:
            self._set_date_options(extra=self.as_of)
        if not self.recompute(deferred=True):
            self.as_of = previous
            self._set_date_options()
            return False
        return True

    def apply_query_string(self, query: str | None) -> list[str]:
        """:meth:`ModelApp.apply_query_string`, plus ``as_of=YYYY-MM-DD``.

        Thresholds are named as their fields, which are their registry keys
        (``ladder_lost_after_days=365``).

        A date after the data's last date (or before its first) is reported and the data's
        last date shown instead.
        """
        pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True)
        dates = [value for key, value in pairs if key == "as_of"]
        rest = urlencode([(key, value) for key, value in pairs if key != "as_of"])
        messages = super().apply_query_string(rest)
        if dates:
            messages += self._apply_as_of_text(dates[-1])
            if messages:
                self.show_messages(messages)
            self.make_figures()
        return messages

    def _apply_as_of_text(self, text: str) -> list[str]:
        try:
            day = parse_as_of(text)
        except ParameterError as error:
            return [f"Ignored as_of={text!r} from the link: expected {error.expected}."]
        if day is None:
            return []
        first = self.as_of_slider.options[0][1]
        if day > self.data.as_of:
            return [f"as_of {day.isoformat()} is after the data's last date "
                    f"{self.data.as_of.isoformat()}: showing {self.data.as_of.isoformat()}."]
        if day < first:
            return [f"as_of {day.isoformat()} is before the data's first month end "
                    f"{first.isoformat()}: showing {self.as_of.isoformat()}."]
        if not self.set_as_of(day):
            return [f"Could not show as_of {day.isoformat()}."]
        return []

    # --- data -------------------------------------------------------------------------------

    def _on_upload(self) -> None:
        transactions = self.transactions_upload.file
        customers = self.customers_upload.file
        if transactions is None:
            if customers is not None:
                self.show_upload_message(
                    f"{customers.name} is ready: now upload the transactions CSV to use it.",
                    error=False)
            return
        self.upload(transactions, customers)

    def _on_refused(self, text: str) -> None:
        """An upload the kernel refused (too large, or not what the page announced)."""
        self.show_upload_message(f"{text}. The data shown is unchanged.", error=True)

    def upload(self, transactions: UploadedFile, customers: UploadedFile | None = None) -> bool:
        """Load uploaded files and show them.

        A bad file shows its problem (file, column, first lines) in the page and keeps the
        data and charts shown before. Returns ``True`` when the new data is shown.
        """
        try:
            data = load_uploaded_data(transactions, customers)
        except UploadError as error:
            self.show_upload_message(f"{error} The data shown is unchanged.", error=True)
            return False
        except Exception as error:  # never a traceback on the page
            self.show_upload_message(f"{transactions.name}: could not be read "
                                     f"({type(error).__name__}: {error}). The data shown is "
                                     "unchanged.", error=True)
            return False
        name = transactions.name + (f" and {customers.name}" if customers else "")
        return self.use_data(data, name)

    def use_sample(self) -> bool:
        """Go back to the sample business."""
        self.transactions_upload.clear()
        self.customers_upload.clear()
        return self.use_data(load_customer_data(), SAMPLE_LABEL)

    def use_data(self, data: CustomerData, label: str) -> bool:
        """Show ``data`` as of its last date; on failure keep the current data."""
        try:
            result = compute_ladder(data, self.params, data.as_of)
        except ParameterError as error:
            self.show_upload_message(f"{label}: cannot place customers on the ladder ("
                                     f"{error.name}: expected {error.expected}). The data "
                                     "shown is unchanged.", error=True)
            return False
        except Exception as error:  # never a traceback on the page
            self.show_upload_message(f"{label}: could not be analysed ({type(error).__name__}"
                                     f": {error}). The data shown is unchanged.", error=True)
            return False
        self.data, self.as_of, self.result, self._source = data, data.as_of, result, label
        self._set_date_options()
        self._show_result()
        update_figures(self.figures, [self.result] * len(self.figures))
        self.refresh_download()
        self.hide_upload_message()
        self._follow_value(deferred=True)
        return True

    def hide_upload_message(self) -> None:
        """Clear the upload message (the data line says what is shown)."""
        self.upload_message.value = ""
        self.upload_message.layout.display = "none"

    def show_upload_message(self, text: str, *, error: bool) -> None:
        """Say what happened to an upload (an error in the red box)."""
        css = "wb-upload-error" if error else "wb-upload-ok"
        self.upload_message.value = f'<div class="{css}">{html.escape(text)}</div>'
        self.upload_message.layout.display = None
