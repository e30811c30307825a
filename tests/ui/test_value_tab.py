"""The "Customer value" tab of the loyalty dashboard, driven without a browser."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import csv
import dataclasses
import datetime as dt
import io
import re

import pandas as pd
import pytest

from workbook.data.load import CustomerData, fetch_frame, load_customer_data
from workbook.data.schema import HISTORY_COLUMNS
from workbook.data.summary import summary_expr
from workbook.models.loyalty.ladder import STAGE_LABELS, LadderParams, compute_ladder
from workbook.models.value import ClvParams, ClvResult, compute_customer_value, value_by_stage
from workbook.models.value.analysis import customer_summary
from workbook.models.value.winback import WinbackParams, compute_winback_campaign
from workbook.ui.loyalty_app import TAB_TITLES, LoyaltyApp
from workbook.ui.upload import UploadedFile
from workbook.ui.value_tab import (
    FITTING_TEXT,
    TOP_CANDIDATES,
    value_kpi_texts,
    winback_list_link,
)

NO_REPEAT_BUYERS = b"customer_id,date,amount\n" + b"".join(
    f"K{i:02d},2024-{1 + i % 9:02d}-{10 + i % 9},{10 + i}\n".encode() for i in range(30))
"""Thirty customers who each bought once: BG/NBD cannot be fitted."""


def kpi_value(card: str) -> str:
    match = re.search(r'class="wb-kpi-value">([^<]*)<', card)
    assert match, card
    return match.group(1)


def value_kpis(app: LoyaltyApp) -> dict[str, str]:
    return {name: kpi_value(card.value) for name, card in app.value_tab.kpi.items()}


def summary_of(data: CustomerData, day: dt.date) -> pd.DataFrame:
    """The summary as :func:`workbook.models.roi.calibrate.calibrate_service_roi` computes it."""
    frame = fetch_frame(summary_expr(data.transactions, day)).set_index("customer_id")
    return frame.sort_index()[list(HISTORY_COLUMNS)]


def link_rows(html_text: str) -> list[list[str]]:
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', html_text)
    assert href, html_text
    text = base64.b64decode(href.group(1)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def sample() -> CustomerData:
    return load_customer_data()


@pytest.fixture(scope="module")
def sample_value(sample: CustomerData) -> ClvResult:
    return compute_customer_value(summary_of(sample, sample.as_of))


@pytest.fixture
def app(sample: CustomerData) -> LoyaltyApp:
    return LoyaltyApp(data=sample)


def test_the_tab_is_computed_only_when_first_opened(app: LoyaltyApp) -> None:
    assert [app.tabs.get_title(i) for i in range(2)] == list(TAB_TITLES)
    app.sliders["ladder_lost_after_days"].value = 365
    app.as_of_slider.value = dt.date(2024, 6, 30)
    assert app.value_tab.fits == 0 and app.value_tab.value is None
    assert app.value_tab.content.layout.display == "none"
    assert app.open_value_tab()
    assert app.value_tab.fits == 1 and app.tabs.selected_index == 1
    assert app.value_tab.content.layout.display is None
    assert app.value_tab.value.customers.index.equals(
        customer_summary(app.result.snapshot).index)


def test_kpis_equal_the_package_on_the_same_summary(app: LoyaltyApp, sample: CustomerData,
                                                    sample_value: ClvResult) -> None:
    assert app.open_value_tab()
    stages = compute_ladder(sample).snapshot["stage"]
    campaign = compute_winback_campaign(sample_value, WinbackParams(), stages)
    assert value_kpis(app) == value_kpi_texts(sample_value, campaign)
    assert app.value_tab.value.headline() == pytest.approx(sample_value.headline(), rel=1e-9)
    pd.testing.assert_frame_equal(app.value_tab.stage_value,
                                  value_by_stage(sample_value, stages), rtol=1e-9)
    assert "contact" in app.value_tab.kpi["winback-net"].value


def test_the_tab_shows_distribution_matrix_value_at_risk_and_campaign(app: LoyaltyApp) -> None:
    assert app.open_value_tab()
    tab = app.value_tab
    names = [next(c for c in figure._dom_classes if c.startswith("chart-"))
             for figure, _ in tab.figures]
    assert names == ["chart-clv-distribution", "chart-alive-matrix", "chart-value-at-risk",
                     "chart-campaign-curve"]
    assert sum(tab.figures[0][0].data[0].y) == len(tab.value.customers)
    assert list(tab.figures[2][0].data[0].x) == [STAGE_LABELS[s] for s in tab.stage_value.index]
    assert list(tab.figures[2][0].data[1].y) == pytest.approx(
        tab.stage_value["value_at_risk"].tolist())
    shown = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", tab.winback_table.value)
    best = tab.campaign.candidates.head(TOP_CANDIDATES)
    assert [customer for _rank, customer in shown] == list(best.index)
    assert len(shown) == min(TOP_CANDIDATES, tab.campaign.lost_customers)


def test_a_winback_slider_recomputes_the_campaign_without_refitting(
        app: LoyaltyApp, sample: CustomerData, sample_value: ClvResult) -> None:
    assert app.open_value_tab()
    tab = app.value_tab
    before = tab.campaign.contacts
    tab.sliders["winback_cost_per_contact"].value = 40.0
    tab.sliders["winback_alive_threshold"].value = 0.2
    params = WinbackParams(winback_cost_per_contact=40.0, winback_alive_threshold=0.2)
    expected = compute_winback_campaign(sample_value, params,
                                        compute_ladder(sample).snapshot["stage"])
    assert tab.fits == 1 and tab.params == params
    assert tab.campaign.contacts == expected.contacts != before
    assert tab.campaign.net_value == pytest.approx(expected.net_value, rel=1e-9)
    assert list(tab.campaign.candidates.index) == list(expected.candidates.index)
    assert value_kpis(app)["winback-net"] == value_kpi_texts(sample_value, expected)["winback-net"]
    assert f"contact {expected.contacts:,}" in tab.kpi["winback-net"].value
    curve = tab.figures[3][0].data[1]
    assert list(curve.x) == [expected.contacts]


def test_a_chance_of_return_over_one_is_refused_and_the_campaign_kept(app: LoyaltyApp) -> None:
    assert app.open_value_tab()
    tab = app.value_tab
    campaign = tab.campaign
    odds = tab.params.winback_vs_new_odds
    assert not tab.set_values({"winback_new_customer_conversion_rate": min(1.0, 1.5 / odds)})
    assert "winback_new_customer_conversion_rate" in tab.message.value
    assert tab.campaign is campaign and tab.message.layout.display is None
    assert tab.set_values({"winback_new_customer_conversion_rate": 0.05})
    assert tab.message.layout.display == "none"


def test_a_date_change_refits_and_a_threshold_move_does_not(app: LoyaltyApp,
                                                            sample: CustomerData) -> None:
    assert app.open_value_tab()
    tab = app.value_tab
    app.tabs.selected_index = 0
    app.sliders["ladder_lost_after_days"].value = 365  # ladder shown: the value tab waits
    assert tab.fits == 1 and tab.ladder is not app.result
    app.tabs.selected_index = 1  # shown again: regrouped by the new stages, not refitted
    assert tab.fits == 1 and tab.ladder is app.result
    stages = compute_ladder(sample, LadderParams(ladder_lost_after_days=365)).snapshot["stage"]
    assert tab.campaign.ladder_lost_customers == int((stages == "lost").sum())

    app.tabs.selected_index = 0
    app.as_of_slider.value = dt.date(2024, 6, 30)  # once opened, a date change refits
    assert tab.fits == 2
    expected = compute_customer_value(summary_of(sample, dt.date(2024, 6, 30)))
    assert tab.value.headline() == pytest.approx(expected.headline(), rel=1e-9)
    campaign = compute_winback_campaign(expected, tab.params, app.result.snapshot["stage"])
    assert value_kpis(app) == value_kpi_texts(expected, campaign)
    assert "2024-06-30" in tab.download.value


def test_fitting_is_shown_while_the_models_are_fitted(app: LoyaltyApp) -> None:
    seen: list[str] = []
    app.value_tab.status.observe(lambda change: seen.append(change["new"]), names="value")
    assert app.open_value_tab()
    assert FITTING_TEXT in seen[0] and app.value_tab.status.value == ""


def test_an_upload_without_repeat_buyers_says_so_and_the_ladder_keeps_working(
        app: LoyaltyApp) -> None:
    assert app.open_value_tab()
    assert app.upload(UploadedFile("once.csv", NO_REPEAT_BUYERS))
    tab = app.value_tab
    assert "no repeat buyers" in tab.status.value and "wb-value-error" in tab.status.value
    assert "Traceback" not in tab.status.value
    assert tab.content.layout.display == "none" and tab.value is None
    assert kpi_value(app.kpi["customers"].value) == "30"  # the ladder shows the upload
    app.sliders["ladder_lost_after_days"].value = 90
    assert app.result.params.ladder_lost_after_days == 90 and app.message.layout.display == "none"
    tab.sliders["winback_cost_per_contact"].value = 30.0  # nothing fitted: no error either
    assert tab.campaign is None
    assert app.use_sample()
    assert tab.value is not None and tab.status.value == ""
    assert tab.content.layout.display is None


def test_the_winback_download_holds_every_candidate_with_formulas_escaped(
        sample_value: ClvResult) -> None:
    ids = sample_value.customers.index.to_series()
    renamed = ids.where(ids != ids.iloc[0], '=HYPERLINK("http://example.com","x")')
    value = dataclasses.replace(
        sample_value, customers=sample_value.customers.set_axis(pd.Index(renamed,
                                                                         name="customer_id")))
    campaign = compute_winback_campaign(value, WinbackParams(winback_alive_threshold=0.99))
    rows = link_rows(winback_list_link(campaign, dt.date(2025, 12, 31)))
    assert rows[0][:3] == ["rank", "customer_id", "stage"]
    assert len(rows) - 1 == campaign.lost_customers
    assert [r[1] for r in rows[1:]] == [str(i).replace("=", "'=", 1) if str(i).startswith("=")
                                         else str(i) for i in campaign.candidates.index]
    assert "'=HYPERLINK(\"http://example.com\",\"x\")" in [r[1] for r in rows[1:]]
    assert "too large" in winback_list_link(campaign, dt.date(2025, 12, 31), limit_bytes=100)


def test_in_the_kernel_loop_the_refit_and_the_link_follow_the_ladder(
        sample: CustomerData) -> None:
    async def drive() -> None:
        app = LoyaltyApp(data=sample, defer_download=True)
        assert app.open_value_tab()
        tab = app.value_tab
        link = tab.download.value
        tab.sliders["winback_cost_per_contact"].value = 40.0
        assert tab.params.winback_cost_per_contact == 40.0 and tab.download.value == link
        await asyncio.sleep(0)  # the next turn of the loop writes the link
        assert tab.download.value != link
        app.tabs.selected_index = 0
        app.as_of_slider.value = dt.date(2024, 6, 30)
        assert tab.fits == 1  # the ladder's charts go out first
        await asyncio.sleep(0)
        assert tab.fits == 2 and tab.value is not None
        assert len(tab.value.customers) == len(customer_summary(app.result.snapshot))

    # A fresh loop in a thread of its own: the browser tests' Playwright (sync API) keeps a
    # loop running in this thread for the session.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, drive()).result()


def test_lifetime_value_counts_the_ladders_gross_margin(app: LoyaltyApp,
                                                        sample: CustomerData) -> None:
    assert app.open_value_tab()
    app.tabs.selected_index = 0
    app.sliders["gross_margin_rate"].value = 0.5
    assert app.value_tab.fits == 1  # a ladder slider: nothing refitted while hidden
    app.tabs.selected_index = 1
    expected = compute_customer_value(summary_of(sample, sample.as_of),
                                      ClvParams(gross_margin_rate=0.5))
    campaign = compute_winback_campaign(expected, WinbackParams(),
                                        app.result.snapshot["stage"])
    assert app.value_tab.fits == 2
    assert value_kpis(app) == value_kpi_texts(expected, campaign)
    assert "50 % of spend" in app.value_tab.kpi["mean-clv"].value
