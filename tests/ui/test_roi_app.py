"""The ROI dashboard as an object: what the page shows, driven without a browser."""

from __future__ import annotations

import re

import pytest

from workbook.core.formatting import format_money, format_percent, risk_kpi_text, roi_kpi_texts
from workbook.core.registry import get_assumption
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi
from workbook.ui import RoiApp
from workbook.ui.app import parse_query
from workbook.uncertainty import compute_tornado, simulate_service_roi


def kpi_value(app: RoiApp, name: str) -> str:
    match = re.search(r'class="wb-kpi-value">([^<]*)<', app.kpi[name].value)
    assert match, app.kpi[name].value
    return match.group(1)


@pytest.fixture
def app() -> RoiApp:
    return RoiApp()


def test_opens_on_registry_defaults(app: RoiApp) -> None:
    expected = roi_kpi_texts(compute_service_roi(ServiceRoiParams()))
    assert {name: kpi_value(app, name) for name in expected} == expected
    assert app.sliders["spend_uplift_excellent_service"].value == 0.09
    assert app.message.layout.display == "none"


def test_kpi_cards_carry_stable_classes(app: RoiApp) -> None:
    for name in ("npv", "roi", "payback", "break-even", "clv", "risk"):
        assert f"kpi-{name}" in app.kpi[name]._dom_classes


def test_slider_spans_and_tooltips_come_from_the_registry(app: RoiApp) -> None:
    slider = app.sliders["spend_uplift_excellent_service"]
    source = get_assumption("spend_uplift_excellent_service")
    assert (slider.min, slider.max) == (source.low, source.high)
    assert "American Express" in slider.tooltip
    assert app.sliders["customers"].step >= 1 and isinstance(app.sliders["customers"].value, int)


def test_moving_a_slider_updates_kpis_and_charts(app: RoiApp) -> None:
    app.sliders["spend_uplift_excellent_service"].value = 0.12
    expected = compute_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.12))
    assert kpi_value(app, "npv") == roi_kpi_texts(expected)["npv"]
    waterfall, cash = (figure for figure, _ in app.figures)
    assert waterfall.data[0].y[-1] == pytest.approx(expected.npv)
    assert "payback 11.5 months" in cash.layout.title.text


def test_risk_panel_follows_the_sliders(app: RoiApp) -> None:
    app.sliders["spend_uplift_excellent_service"].value = 0.05
    simulation = simulate_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.05))
    chance, span = risk_kpi_text(simulation)
    assert kpi_value(app, "risk") == chance and span in app.kpi["risk"].value
    (panel, _), = app.risk_figures  # one figure: the histogram above the tornado
    assert f"P(NPV > 0) = {format_percent(simulation.probability_npv_positive)}" in (
        panel.layout.title.text)
    expected = compute_tornado(ServiceRoiParams(spend_uplift_excellent_service=0.05))
    assert list(panel.data[5].y) == expected.table["label"].tolist()
    assert list(panel.data[5].x) == pytest.approx(
        (expected.table["npv_high"] - expected.base_npv).tolist())


def test_clv_card_gives_the_value_with_and_without_the_programme(app: RoiApp) -> None:
    result = compute_service_roi(ServiceRoiParams())
    card = app.kpi["clv"].value
    assert roi_kpi_texts(result)["clv"] in card and format_money(result.clv_before) in card


def test_invalid_combination_shows_message_and_keeps_last_numbers(app: RoiApp) -> None:
    before = kpi_value(app, "npv")
    app.sliders["annual_retention_rate"].value = 0.95
    app.sliders["retention_uplift_rate"].value = 0.08
    assert "retention_uplift_rate" in app.message.value
    assert "Traceback" not in app.message.value
    assert app.message.layout.display is None
    assert "wb-stale" in app.kpi["npv"]._dom_classes
    assert kpi_value(app, "npv") == before
    app.sliders["retention_uplift_rate"].value = 0.03
    assert app.message.layout.display == "none"
    assert "wb-stale" not in app.kpi["npv"]._dom_classes


def test_reset_restores_defaults(app: RoiApp) -> None:
    app.set_values({"spend_uplift_excellent_service": 0.14, "customers": 20_000})
    app.reset_button.click()
    assert app.params == ServiceRoiParams()
    assert kpi_value(app, "npv") == roi_kpi_texts(compute_service_roi(ServiceRoiParams()))["npv"]


def test_query_string_scenario_applies_and_rebuilds_charts(app: RoiApp) -> None:
    old_figures = [figure for figure, _ in app.figures]
    messages = app.apply_query_string("spend_uplift_excellent_service=0.12&horizon_years=3")
    assert messages == []
    expected = compute_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.12,
                                                    horizon_years=3))
    assert kpi_value(app, "npv") == roi_kpi_texts(expected)["npv"]
    new_figures = [figure for figure, _ in app.figures]
    assert all(new is not old for new, old in zip(new_figures, old_figures, strict=True))
    assert list(app.charts.children) == new_figures
    assert new_figures[0].data[0].y[-1] == pytest.approx(expected.npv)


def test_query_value_outside_the_slider_span_widens_it(app: RoiApp) -> None:
    app.apply_query_string("spend_uplift_excellent_service=0.3")
    assert app.sliders["spend_uplift_excellent_service"].max == 0.3
    assert app.params.spend_uplift_excellent_service == 0.3


@pytest.mark.parametrize(("query", "fragment"), [
    ("spend_uplift_excellent_service=abc", "spend_uplift_excellent_service"),
    ("spend_uplift_excellent_service=2", "fraction from 0 to 1"),
    ("customers=-5", "customers"),
    ("colour=red", "'colour'"),
    ("acquisition_cost_per_customer=100", "no control"),
])
def test_bad_query_values_are_reported_and_defaults_kept(app: RoiApp, query: str,
                                                          fragment: str) -> None:
    messages = app.apply_query_string(query)
    assert any(fragment in m for m in messages), messages
    assert fragment.strip("'") in app.message.value or fragment in app.message.value
    assert app.params == ServiceRoiParams()


def test_voila_keys_are_not_reported() -> None:
    assert parse_query("?voila-theme=dark&spend_uplift_excellent_service=0.1",
                       ServiceRoiParams) == ({"spend_uplift_excellent_service": "0.1"}, [])


def test_from_query_string_outside_voila_opens_defaults() -> None:
    app = RoiApp.from_query_string()
    assert app.params == ServiceRoiParams()


def test_deferred_risk_follows_in_the_next_loop_turn() -> None:
    import asyncio
    import concurrent.futures

    async def move() -> tuple[str, str]:
        app = RoiApp(defer_risk=True)
        before = app.kpi["risk"].value
        app.sliders["spend_uplift_excellent_service"].value = 0.05
        assert app.kpi["risk"].value == before  # value KPIs first, risk not yet
        assert kpi_value(app, "npv") == roi_kpi_texts(
            compute_service_roi(ServiceRoiParams(spend_uplift_excellent_service=0.05)))["npv"]
        await asyncio.sleep(0)
        return kpi_value(app, "risk"), before

    # a loop of its own in a thread: the browser tests' Playwright may own this thread's loop
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        after, _ = pool.submit(asyncio.run, move()).result()
    assert after == risk_kpi_text(simulate_service_roi(
        ServiceRoiParams(spend_uplift_excellent_service=0.05)))[0]
