"""The loyalty dashboard as an object, driven without a browser."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from workbook.data.load import CustomerData, load_customer_data
from workbook.models.loyalty.ladder import STAGES, LadderParams, LadderResult, compute_ladder
from workbook.ui.loyalty_app import (
    LoyaltyApp,
    as_of_options,
    ladder_kpi_texts,
    stage_list,
    stage_list_link,
)
from workbook.ui.upload import (
    UPLOAD_LIMIT_BYTES,
    WEBSOCKET_MESSAGE_LIMIT_BYTES,
    CsvUpload,
    UploadedFile,
    UploadError,
    load_uploaded_data,
)

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small_transactions.csv"
SMALL_CUSTOMERS = DATA / "small_customers.csv"


def upload_of(path: Path) -> UploadedFile:
    return UploadedFile(path.name, path.read_bytes())


def kpi_value(app: LoyaltyApp, name: str) -> str:
    match = re.search(r'class="wb-kpi-value">([^<]*)<', app.kpi[name].value)
    assert match
    return match.group(1)


def kpis(app: LoyaltyApp) -> dict[str, str]:
    return {name: kpi_value(app, name) for name in app.kpi}


def funnel_counts(app: LoyaltyApp) -> list[int]:
    return list(app.figures[0][0].data[0].x)


def link_rows(app: LoyaltyApp) -> list[list[str]]:
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', app.download.value)
    assert href, app.download.value
    text = base64.b64decode(href.group(1)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def sample() -> CustomerData:
    return load_customer_data()


@pytest.fixture
def app(sample: CustomerData) -> LoyaltyApp:
    return LoyaltyApp(data=sample)


def test_opens_on_the_sample_data_as_the_package_computes_it(app: LoyaltyApp,
                                                             sample: CustomerData) -> None:
    expected = compute_ladder(sample)
    assert kpis(app) == ladder_kpi_texts(expected)
    assert kpi_value(app, "customers") == "2,828"  # compute_ladder's doctest
    assert funnel_counts(app) == [int(expected.counts[s]) for s in STAGES]
    assert app.as_of_slider.value == sample.as_of == dt.date(2025, 12, 31)
    assert [c for c in app.figures[0][0]._dom_classes] == ["chart-funnel"]


@pytest.mark.parametrize("changes", [{"ladder_lost_after_days": 365},
                                     {"ladder_repeat_min_purchases": 3},
                                     {"ladder_client_min_active_periods": 2,
                                      "ladder_client_lookback_periods": 6}])
def test_thresholds_move_counts_the_way_the_package_computes(
        app: LoyaltyApp, sample: CustomerData, changes: dict[str, int]) -> None:
    assert app.set_values(changes)
    expected = compute_ladder(sample, LadderParams(**changes))
    assert funnel_counts(app) == [int(expected.counts[s]) for s in STAGES]
    assert kpis(app) == ladder_kpi_texts(expected)
    assert app.result.counts.equals(expected.counts)
    assert f"{int(expected.counts['client']):,}" in app.stage_table.value


def test_a_longer_lost_threshold_loses_fewer_customers(app: LoyaltyApp) -> None:
    lost = []
    for days in (90, 180, 365, 730):
        app.sliders["ladder_lost_after_days"].value = days
        lost.append(int(app.result.counts["lost"]))
    assert lost == sorted(lost, reverse=True) and lost[0] > lost[-1]
    assert "no purchase in 730 days" in app.kpi["lost-share"].value


def test_an_impossible_client_rule_says_so_and_keeps_the_numbers(app: LoyaltyApp) -> None:
    before = kpis(app)
    app.sliders["ladder_client_lookback_periods"].value = 2  # 3 of the last 2 periods: impossible
    assert "ladder_client_min_active_periods" in app.message.value
    assert "wb-stale" in app.kpi["customers"]._dom_classes
    assert kpis(app) == before


def test_as_of_slider_offers_month_ends_and_moves_the_ladder(app: LoyaltyApp,
                                                             sample: CustomerData) -> None:
    dates = [value for _label, value in app.as_of_slider.options]
    assert dates[0] == dt.date(2023, 1, 31) and dates[-1] == sample.as_of
    app.as_of_slider.value = dt.date(2024, 6, 30)
    expected = compute_ladder(sample, as_of="2024-06-30")
    assert funnel_counts(app) == [int(expected.counts[s]) for s in STAGES]
    sankey = app.figures[1][0].data[0]
    assert "Client (2024-06-30)" in sankey.node.label
    assert "2024-06-30" in app.figures[0][0].layout.title.text


def test_as_of_options_by_hand() -> None:
    assert as_of_options(dt.date(2024, 12, 31), dt.date(2024, 12, 31)) == [dt.date(2024, 12, 31)]
    assert as_of_options(dt.date(2024, 11, 2), dt.date(2025, 1, 31))[-2:] == [
        dt.date(2024, 12, 31), dt.date(2025, 1, 31)]


def test_link_scenarios_take_registry_keys_and_refuse_future_dates(app: LoyaltyApp) -> None:
    messages = app.apply_query_string("ladder_lost_after_days=365&as_of=2031-01-01")
    assert app.params.ladder_lost_after_days == 365
    assert app.sliders["ladder_lost_after_days"].value == 365
    assert any("2031-01-01" in m and "after the data's last date" in m for m in messages)
    assert app.result.as_of == dt.date(2025, 12, 31)
    assert "after the data" in app.message.value


def test_a_link_with_an_old_field_name_is_refused(app: LoyaltyApp) -> None:
    messages = app.apply_query_string("lost_after_days=365")
    assert len(messages) == 1 and "lost_after_days" in messages[0]
    assert app.params.ladder_lost_after_days == LadderParams().ladder_lost_after_days


def test_link_as_of_picks_the_date(app: LoyaltyApp, sample: CustomerData) -> None:
    assert app.apply_query_string("as_of=2024-05-15&pareto_top_customer_share=0.1") == []
    assert app.result.as_of == dt.date(2024, 5, 15) == app.as_of_slider.value
    assert app.result.pareto.top_share == pytest.approx(0.1)
    assert "Revenue from the top 10 %" in app.kpi["top-share"].value


def test_a_good_upload_shows_its_own_ladder(app: LoyaltyApp) -> None:
    assert app.upload(upload_of(SMALL), upload_of(SMALL_CUSTOMERS))
    expected = compute_ladder(load_customer_data(SMALL, SMALL_CUSTOMERS))
    assert kpis(app) == ladder_kpi_texts(expected)
    assert funnel_counts(app) == [int(expected.counts[s]) for s in STAGES]
    assert expected.counts["advocate"] == 1 and expected.counts["prospect"] == 1
    assert app.as_of_slider.value == dt.date(2024, 12, 25)
    assert "small_transactions.csv and small_customers.csv" in app.data_note.value
    assert app.upload_message.layout.display == "none"


@pytest.mark.parametrize("name, column, where", [("missing_amount.csv", "amount", "missing"),
                                                 ("bad_date.csv", "date", "line 6")])
def test_a_bad_upload_names_file_column_and_line_and_keeps_the_old_data(
        app: LoyaltyApp, name: str, column: str, where: str) -> None:
    before, data, result = kpis(app), app.data, app.result
    assert not app.upload(upload_of(DATA / name))
    text = app.upload_message.value
    assert name in text and f"column &#x27;{column}&#x27;" in text and where in text
    assert "wb-upload-error" in text and "/tmp" not in text and "Traceback" not in text
    assert kpis(app) == before and app.data is data and app.result is result


def test_a_file_over_the_limit_is_refused_in_the_browser_with_a_message(
        app: LoyaltyApp) -> None:
    upload = app.transactions_upload
    assert upload.limit_bytes == UPLOAD_LIMIT_BYTES == 20 * 1024 * 1024
    assert upload.chunk_bytes < WEBSOCKET_MESSAGE_LIMIT_BYTES  # every message gets through
    before = kpis(app)
    upload._on_message(upload, {"kind": "refused", "id": "a", "name": "big.csv",
                                "size": 30 * 1024 * 1024}, [])
    assert "big.csv: 30.0 MB is over the upload limit of 20.0 MB" in app.upload_message.value
    assert kpis(app) == before


def test_the_kernel_checks_the_limit_too() -> None:
    with pytest.raises(UploadError, match=re.escape("over the upload limit of 0.0 MB")):
        load_uploaded_data(upload_of(SMALL), limit_bytes=100)


def test_uploads_refuse_other_file_types_and_empty_files() -> None:
    with pytest.raises(UploadError, match="expected a CSV file"):
        load_uploaded_data(UploadedFile("export.xlsx", b"PK\x03\x04"))
    with pytest.raises(UploadError, match="empty"):
        load_uploaded_data(UploadedFile("t.csv", b"  \n"))


def send_in_chunks(upload: CsvUpload, path: Path, chunk_bytes: int, *,
                   drop: int | None = None) -> None:
    """What the browser sends for ``path``: start, chunks (one dropped if asked), end."""
    upload.chunk_bytes = chunk_bytes  # the page slices by the widget's chunk size
    content = path.read_bytes()
    parts = [content[i:i + chunk_bytes] for i in range(0, len(content), chunk_bytes)]
    upload._on_message(upload, {"kind": "start", "id": "u1", "name": path.name,
                                "size": len(content), "chunks": len(parts)}, [])
    for index, part in enumerate(parts):
        if index != drop:
            upload._on_message(upload, {"kind": "chunk", "id": "u1", "index": index},
                               [memoryview(part)])
    upload._on_message(upload, {"kind": "end", "id": "u1"}, [])


def test_chunks_from_the_browser_drive_the_upload(app: LoyaltyApp) -> None:
    send_in_chunks(app.customers_upload, SMALL_CUSTOMERS, 100)
    assert "small_customers.csv is ready" in app.upload_message.value
    send_in_chunks(app.transactions_upload, SMALL, 256)
    assert app.transactions_upload.file == upload_of(SMALL)
    expected = compute_ladder(load_customer_data(SMALL, SMALL_CUSTOMERS))
    assert kpis(app) == ladder_kpi_texts(expected)
    app.sample_button.click()
    assert kpi_value(app, "customers") == "2,828"
    assert app.transactions_upload.file is None and app.customers_upload.file is None


def test_a_file_missing_a_chunk_is_not_loaded(app: LoyaltyApp) -> None:
    before = kpis(app)
    send_in_chunks(app.transactions_upload, SMALL, 256, drop=2)
    assert "could not send the whole file" in app.upload_message.value
    assert kpis(app) == before and app.transactions_upload.file is None


def test_the_download_link_holds_every_person_with_formulas_escaped(app: LoyaltyApp) -> None:
    assert app.upload(upload_of(SMALL))
    rows = link_rows(app)
    assert rows[0][:3] == ["customer_id", "stage", "stage_label"]
    ids = [r[0] for r in rows[1:]]
    assert len(ids) == len(app.result.snapshot) == 13
    assert "'=HYPERLINK(\"http://example.com\",\"x\")" in ids
    assert not any(i.startswith("=") for i in ids)
    assert 'download="loyalty-stages-2024-12-25.csv"' in app.download.value


def test_stage_list_follows_the_thresholds(sample: CustomerData) -> None:
    result: LadderResult = compute_ladder(sample, LadderParams(ladder_lost_after_days=365))
    table = stage_list(result)
    assert table["stage"].value_counts().to_dict() == {
        s: int(n) for s, n in result.counts.items() if n}
    assert "too large" in stage_list_link(result, limit_bytes=1000)
