"""The sample business: byte-identical on every run, valid, and shaped like a real one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.paths import SAMPLES
from workbook.data.load import check_file
from workbook.data.samples import SAMPLE_KINDS, SampleSpec, generate_samples, write_samples


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_samples(tmp_path_factory.mktemp("samples"))


def digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_two_runs_write_byte_identical_files(written: list[Path], tmp_path: Path) -> None:
    again = write_samples(tmp_path)
    assert [p.name for p in again] == [f"{k}.csv" for k in SAMPLE_KINDS]
    assert digests(again) == digests(written)


def test_committed_samples_are_what_the_generator_writes(written: list[Path]) -> None:
    committed = [SAMPLES / p.name for p in written]
    assert digests(committed) == digests(written), (
        "data/samples differs from the generator: run `workbook samples` (or "
        "workbook.data.samples.write_samples()) and commit the result")


def test_samples_are_small_and_documented(written: list[Path]) -> None:
    assert sum(p.stat().st_size for p in written) < 3 * 2**20
    card = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for path in written:
        rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
        assert f"| `{path.name}` | {rows:,}" in card, f"the data card's row count of {path.name}"


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_every_sample_file_passes_its_own_checks(written: list[Path], kind: str) -> None:
    path = next(p for p in written if p.stem == kind)
    assert check_file(path, kind).startswith(f"{kind}.csv: a valid {kind} file")


def test_another_seed_gives_another_business() -> None:
    small = SampleSpec(customers=200, unconverted_leads=50)
    a = generate_samples(small)["transactions"]
    b = generate_samples(SampleSpec(customers=200, unconverted_leads=50, seed=1))["transactions"]
    assert not a.equals(b)
    assert generate_samples(small)["transactions"].equals(a)


def test_the_business_has_seasonality_pareto_spend_churn_and_referrals() -> None:
    tables = {k: pd.read_csv(SAMPLES / f"{k}.csv", dtype={"customer_id": "string"})
              for k in SAMPLE_KINDS}
    tx = tables["transactions"]
    orders = tx[~tx["refund"]]
    month = pd.to_datetime(orders["date"]).dt.month
    assert (month == 12).sum() > 1.3 * (month == 6).sum()  # December busier than June
    revenue = orders.groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    top = revenue.iloc[: len(revenue) // 5].sum() / revenue.sum()
    assert 0.65 < top < 0.9  # near Griffin's 80/20
    last = pd.to_datetime(orders.groupby("customer_id")["date"].max())
    assert (last < "2025-01-01").mean() > 0.3  # many have stopped buying
    assert tables["customers"]["referred_by"].notna().sum() > 100
    assert tx["refund"].sum() > 100 and (tx.loc[tx["refund"], "amount"] < 0).all()
    assert set(tx.loc[tx["refund"], "order_id"]) <= set(orders["order_id"])
    assert len(tables["complaints"]) > 100 and len(tables["support_contacts"]) > 1000
