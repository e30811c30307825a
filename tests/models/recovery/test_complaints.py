"""The complaint-recovery model and the complaint statistics read from data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.data import DataError, sample_path
from workbook.data.complaints import measure_complaints
from workbook.models.recovery.complaints import (
    ComplaintParams,
    compute_capture_lever,
    compute_complaint_recovery,
)

# Registry defaults worked by hand: 10,000 customers, 20 % with a problem, 25 % of them
# complain, 60 % resolved promptly; retention 0.7 recovered (seed 001), 0.4 not, 0.5 silent.
WITH_PROBLEM = 10_000 * 0.20  # 2,000
COMPLAINERS = WITH_PROBLEM * 0.25  # 500
RECOVERED = COMPLAINERS * 0.6  # 300
# margin 1,200 x 0.35 = 420 a year, retention 0.75, 8 %, 5 years
VALUE = 420 * sum(0.75 ** (t - 1) / 1.08**t for t in range(1, 6))


def test_default_business_known_values_by_hand() -> None:
    result = compute_complaint_recovery(ComplaintParams())
    assert result.customers_with_problem == WITH_PROBLEM
    assert result.complainers == COMPLAINERS
    assert result.stay_recovered == pytest.approx(300 * 0.7)
    assert result.stay_unrecovered == pytest.approx(200 * 0.4)
    assert result.stay_silent == pytest.approx(1_500 * 0.5)
    assert result.customers_staying == pytest.approx(210 + 80 + 750)
    kept = 500 * (0.4 - 0.5) + 300 * (0.7 - 0.4)  # -50 heard but not fixed, +90 fixed: 40
    assert result.customers_kept == pytest.approx(kept)
    assert result.customer_value == pytest.approx(VALUE, rel=1e-12)
    assert result.value_kept == pytest.approx(kept * VALUE)
    assert result.handling_cost == pytest.approx(500 * 40)
    assert result.net_value == pytest.approx(kept * VALUE - 20_000)
    assert result.net_value == pytest.approx(22_686.99, abs=0.01)
    gain = (0.6 * 0.7 + 0.4 * 0.4 - 0.5) * VALUE
    assert result.capture_point_value == pytest.approx(0.01 * 2_000 * (gain - 40))
    assert result.break_even_handling_cost == pytest.approx(gain)


def test_seed_001_seventy_percent_of_recovered_complainers_stay() -> None:
    everyone_recovered = ComplaintParams(complaint_capture_share=1.0,
                                         complaint_prompt_resolution_share=1.0)
    table = compute_complaint_recovery(everyone_recovered).flow_table()
    assert table.loc["Complained, recovered", "retention"] == pytest.approx(0.70)
    assert table.loc["All with a problem", "retention"] == pytest.approx(0.70)


def test_capture_lever_is_the_model_at_each_share_and_linear() -> None:
    params = ComplaintParams()
    lever = compute_capture_lever(params, points=11)
    for share, net in zip(lever.shares, lever.net_value, strict=True):
        single = compute_complaint_recovery(params.replace(complaint_capture_share=float(share)))
        assert net == pytest.approx(single.net_value, abs=1e-6)
    slope = np.diff(lever.net_value) / np.diff(lever.shares)
    assert slope == pytest.approx([100 * lever.current.capture_point_value] * 10)


def test_bad_inputs_name_the_parameter() -> None:
    with pytest.raises(ParameterError, match="complaint_capture_share"):
        ComplaintParams(complaint_capture_share=25)
    with pytest.raises(ParameterError, match="complaint_handling_cost"):
        ComplaintParams(complaint_handling_cost=-1)
    with pytest.raises(ParameterError, match="horizon_years"):
        ComplaintParams(horizon_years=0)


fractions = st.floats(0.0, 1.0)
params_strategy = st.builds(
    ComplaintParams,
    complaint_problem_share=st.floats(0.01, 1.0),
    complaint_capture_share=fractions,
    complaint_prompt_resolution_share=fractions,
    complaint_recovery_retention=fractions,
    complaint_unrecovered_retention=fractions,
    complaint_silent_retention=fractions,
    complaint_handling_cost=st.floats(0.0, 500.0),
    horizon_years=st.integers(1, 10),
)


@settings(max_examples=100, deadline=None)
@given(params_strategy, st.floats(0.0, 0.99))
def test_value_kept_rises_with_capture_when_recovery_beats_silence(
    params: ComplaintParams, share: float
) -> None:
    params = params.replace(complaint_prompt_resolution_share=1.0, complaint_capture_share=share)
    more = params.replace(complaint_capture_share=share + 0.01)
    low, high = compute_complaint_recovery(params), compute_complaint_recovery(more)
    if params.complaint_recovery_retention > params.complaint_silent_retention + 1e-6:
        assert high.value_kept > low.value_kept
    elif params.complaint_recovery_retention < params.complaint_silent_retention - 1e-6:
        assert high.value_kept < low.value_kept


@settings(max_examples=100, deadline=None)
@given(params_strategy)
def test_flows_add_up(params: ComplaintParams) -> None:
    result = compute_complaint_recovery(params)
    assert result.complainers + result.silent_customers == pytest.approx(
        result.customers_with_problem)
    assert result.customers_staying + result.customers_leaving == pytest.approx(
        result.customers_with_problem)
    assert 0 <= result.customers_staying <= result.customers_with_problem + 1e-9
    assert result.customers_kept == pytest.approx(
        result.customers_kept_by_hearing + result.customers_kept_by_recovery, abs=1e-9)
    # the one-point capture value is the change of net value, exactly (net is linear in c)
    if params.complaint_capture_share <= 0.99:
        step = compute_complaint_recovery(params.replace(
            complaint_capture_share=params.complaint_capture_share + 0.01))
        assert step.net_value - result.net_value == pytest.approx(
            result.capture_point_value, rel=1e-6, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(params_strategy, st.floats(0.0, 0.99))
def test_prompt_resolution_never_hurts_when_recovery_beats_no_recovery(
    params: ComplaintParams, share: float
) -> None:
    params = params.replace(complaint_prompt_resolution_share=share)
    more = compute_complaint_recovery(
        params.replace(complaint_prompt_resolution_share=share + 0.01))
    base = compute_complaint_recovery(params)
    if params.complaint_recovery_retention >= params.complaint_unrecovered_retention:
        assert more.net_value >= base.net_value - 1e-9
    assert more.net_value - base.net_value == pytest.approx(base.prompt_point_value,
                                                            rel=1e-6, abs=1e-6)


# --- reading complaint statistics ------------------------------------------------------------

def test_sample_complaints_measured_against_pandas() -> None:
    stats = measure_complaints()
    raw = pd.read_csv(sample_path("complaints"), parse_dates=["date", "resolved_date"])
    days = (raw["resolved_date"] - raw["date"]).dt.days
    assert stats.complaints == len(raw) == 370
    assert stats.prompt_share == pytest.approx((days <= 2).mean())
    assert stats.open_share == pytest.approx(raw["resolved_date"].isna().mean())
    assert stats.resolution_days.median() == days.median()
    table = stats.resolution_table()
    assert table["complaints"].sum() == 370 and table.loc["open", "complaints"] == 49
    # the sample generator makes customers more likely to drop out after a slow complaint
    assert stats.retention_prompt > stats.retention_not_prompt
    assert 0 < stats.complaint_rate < 1


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    complaints = _write(tmp_path, "complaints.csv", (
        "complaint_id,customer_id,date,resolved_date\n"
        "Q1,A,2024-01-10,2024-01-11\n"   # prompt; A buys again in March
        "Q2,B,2024-01-10,2024-02-20\n"   # slow; B never buys again
        "Q3,C,2024-02-01,\n"             # open; C buys again within the year
        "Q4,D,2025-06-01,2025-06-01\n"))  # prompt, too recent to follow for a year
    transactions = _write(tmp_path, "transactions.csv", (
        "customer_id,date,amount\n"
        "A,2024-01-05,10\nA,2024-03-01,10\nB,2024-01-02,10\nC,2024-01-03,10\n"
        "C,2024-12-01,10\nD,2025-01-01,10\nE,2025-12-31,10\n"))
    return complaints, transactions


def test_hand_worked_file(tiny: tuple[Path, Path]) -> None:
    stats = measure_complaints(*tiny)
    assert stats.as_of.isoformat() == "2025-12-31"
    assert stats.resolution_days.tolist()[:2] == [1.0, 41.0] and math.isnan(
        stats.resolution_days.iloc[2])
    assert stats.prompt_share == pytest.approx(2 / 4)
    assert (stats.followed_prompt, stats.followed_not_prompt) == (1, 2)
    assert stats.retention_prompt == 1.0 and stats.retention_not_prompt == 0.5
    # (customer, year) with a complaint: A, B, C in 2024, D in 2025; with a purchase: A, B, C
    # in 2024, C... D and E in 2025 -> 4 of 5 pairs
    assert stats.complaint_rate == pytest.approx(4 / 5)
    overrides = stats.overrides(complaint_problem_share=0.9)
    assert overrides["complaint_capture_share"] == pytest.approx(0.8 / 0.9)
    assert ComplaintParams(**overrides).complaint_recovery_retention == 1.0


def test_a_resolution_before_its_complaint_names_file_column_and_line(tmp_path: Path) -> None:
    complaints = _write(tmp_path, "bad.csv", (
        "complaint_id,customer_id,date,resolved_date\n"
        "Q1,A,2024-01-10,2024-01-11\nQ2,B,2024-01-10,2024-01-02\n"))
    with pytest.raises(DataError) as caught:
        measure_complaints(complaints)
    error = caught.value
    assert error.column == "resolved_date" and error.rows == (3,)
    assert "bad.csv" in str(error)


def test_a_missing_column_is_reported_by_the_data_layer(tmp_path: Path) -> None:
    complaints = _write(tmp_path, "bad.csv", "complaint_id,customer,date\nQ1,A,2024-01-10\n")
    with pytest.raises(DataError, match="customer_id"):
        measure_complaints(complaints)


def test_own_complaints_need_own_transactions(tiny: tuple[Path, Path]) -> None:
    with pytest.raises(ParameterError, match="transactions"):
        measure_complaints(tiny[0])
