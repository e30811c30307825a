"""The loyalty ladder: one test per rung and per boundary on tiny logs, then properties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.validation import ParameterError
from workbook.data.load import CustomerData, load_customer_data
from workbook.data.samples import sample_path
from workbook.models.loyalty.ladder import (
    BUYER_STAGES,
    STAGES,
    LadderParams,
    apply_ladder_rules,
    assign_stages,
    compute_ladder,
    compute_transitions,
    forecast_stages,
    ladder_headline_text,
    stage_counts,
    stage_economics,
    transition_matrix,
)

AS_OF = dt.date(2025, 6, 30)
LATER = dt.date(2025, 7, 31)  # the data's as-of date: leads and sign-ups may come after AS_OF
PARAMS = LadderParams()  # repeat 2, period 91, client 3 of 4 periods, 1 referral, lost 180


def ago(days: int) -> str:
    return (AS_OF - dt.timedelta(days=days)).isoformat()


def ladder(purchases: dict[str, list[int]], *, customers: list[dict] | None = None,
           prospects: list[dict] | None = None, refunds: dict[str, list[int]] | None = None,
           params: LadderParams = PARAMS) -> pd.Series:
    """Stages on AS_OF of a tiny business: purchases as days before AS_OF per customer."""
    rows = [(c, ago(d), 10.0, False) for c, days in purchases.items() for d in days]
    rows += [(c, ago(d), -10.0, True) for c, days in (refunds or {}).items() for d in days]
    tx = pd.DataFrame(rows or [("z", ago(0), 0.0, False)],
                      columns=["customer_id", "date", "amount", "refund"])
    data = load_customer_data(
        tx, pd.DataFrame(customers) if customers else None,
        pd.DataFrame(prospects) if prospects else None, as_of=LATER)
    return assign_stages(data, params, AS_OF)["stage"].astype(str)


# --- one test per rung -----------------------------------------------------------------

def test_suspect_is_a_lead_who_never_qualified() -> None:
    stages = ladder({}, prospects=[{"customer_id": "s", "first_contact_date": ago(10)}])
    assert stages["s"] == "suspect"


def test_prospect_is_a_qualified_lead() -> None:
    stages = ladder({}, prospects=[{"customer_id": "p", "first_contact_date": ago(10),
                                    "qualified_date": ago(5)}])
    assert stages["p"] == "prospect"


def test_prospect_is_also_a_customer_who_signed_up_but_never_bought() -> None:
    stages = ladder({}, customers=[{"customer_id": "p", "signup_date": ago(3)}])
    assert stages["p"] == "prospect"


def test_first_time_customer_bought_once() -> None:
    assert ladder({"f": [3]})["f"] == "first_time"


def test_repeat_customer_bought_on_two_days() -> None:
    assert ladder({"r": [3, 40]})["r"] == "repeat"


def test_client_bought_in_three_of_the_last_four_periods() -> None:
    assert ladder({"c": [3, 100, 200]})["c"] == "client"


def test_advocate_is_a_client_who_referred_someone() -> None:
    customers = [{"customer_id": "a", "signup_date": ago(300)},
                 {"customer_id": "x", "signup_date": ago(20), "referred_by": "a"}]
    assert ladder({"a": [3, 100, 200]}, customers=customers)["a"] == "advocate"


def test_lost_customer_has_not_bought_for_longer_than_the_threshold() -> None:
    assert ladder({"l": [181, 250, 300]})["l"] == "lost"


# --- one test per boundary ---------------------------------------------------------------

def test_not_yet_known_people_are_left_out() -> None:
    stages = ladder({"f": [1]}, prospects=[{"customer_id": "s", "first_contact_date": ago(0)},
                                           {"customer_id": "later",
                                            "first_contact_date": ago(-1)}])
    assert set(stages.index) == {"f", "s"}


def test_qualification_after_the_date_leaves_a_suspect() -> None:
    stages = ladder({}, prospects=[{"customer_id": "s", "first_contact_date": ago(10),
                                    "qualified_date": "2025-07-05"}])
    assert stages["s"] == "suspect"


def test_two_orders_on_one_day_are_one_purchase() -> None:
    assert ladder({"f": [3, 3]})["f"] == "first_time"


def test_repeat_threshold_is_a_registry_figure_and_can_move() -> None:
    three = PARAMS.replace(ladder_repeat_min_purchases=3)
    assert ladder({"r": [3, 40]}, params=three)["r"] == "first_time"
    assert ladder({"r": [3, 40, 50]}, params=three)["r"] == "repeat"


def test_two_of_four_periods_is_not_yet_a_client() -> None:
    assert ladder({"r": [3, 100]})["r"] == "repeat"


def test_period_edges() -> None:
    # period 0 is days 0..90 back, period 1 is 91..181 back (ladder_period_days 91)
    assert ladder({"c": [90, 91, 182]})["c"] == "client"  # periods 0, 1, 2
    assert ladder({"r": [0, 90, 182]})["r"] == "repeat"  # periods 0, 0, 2


def test_activity_older_than_the_lookback_does_not_count() -> None:
    assert ladder({"r": [3, 100, 400]})["r"] == "repeat"  # 400 days back: period 4


def test_lost_after_exactly_the_threshold_is_not_yet_lost() -> None:
    assert ladder({"c": [180, 200]})["c"] == "repeat"
    assert ladder({"c": [181, 200]})["c"] == "lost"


def test_lost_wins_over_history() -> None:
    customers = [{"customer_id": "a", "signup_date": ago(900)},
                 {"customer_id": "x", "signup_date": ago(800), "referred_by": "a"}]
    assert ladder({"a": [200, 300, 400, 500]}, customers=customers)["a"] == "lost"


def test_a_referral_after_the_date_does_not_count() -> None:
    customers = [{"customer_id": "a", "signup_date": ago(300)},
                 {"customer_id": "x", "signup_date": "2025-07-02", "referred_by": "a"}]
    assert ladder({"a": [3, 100, 200]}, customers=customers)["a"] == "client"


def test_referral_count_column_and_advocate_flag() -> None:
    customers = [{"customer_id": "a", "signup_date": ago(300), "referrals": 2},
                 {"customer_id": "b", "signup_date": ago(300), "advocate": True},
                 {"customer_id": "c", "signup_date": ago(300), "referrals": 2}]
    stages = ladder({"a": [3, 100, 200], "b": [3, 100, 200], "c": [3]}, customers=customers,
                    params=PARAMS.replace(ladder_advocate_min_referrals=2))
    assert stages[["a", "b", "c"]].tolist() == ["advocate", "advocate", "first_time"]


def test_a_refund_is_not_a_purchase() -> None:
    assert ladder({"f": [30]}, refunds={"f": [20]})["f"] == "first_time"


def test_win_back_returns_a_lost_customer() -> None:
    stages = ladder({"w": [3, 400, 500]})
    assert stages["w"] == "repeat"


# --- snapshot, economics, transitions, forecast -------------------------------------------

@pytest.fixture(scope="module")
def sample() -> CustomerData:
    return load_customer_data()


def test_sample_snapshot_counts_and_economics(sample: CustomerData) -> None:
    snapshot = assign_stages(sample)
    counts = stage_counts(snapshot)
    assert list(counts.index) == list(STAGES)
    assert counts.sum() == len(snapshot) == 4_500
    assert counts[list(BUYER_STAGES)].sum() == 2_828  # everyone with a purchase
    economics = stage_economics(snapshot)
    assert economics["people"].tolist() == counts.tolist()
    assert economics["margin_to_date"].sum() == pytest.approx(
        0.35 * economics["revenue_to_date"].sum())
    assert economics.loc[["suspect", "prospect"], "revenue_to_date"].eq(0).all()


def test_sample_revenue_is_net_of_refunds(sample: CustomerData) -> None:
    tx = pd.read_csv(sample.source)
    net = tx["amount"].sum()  # refund rows carry negative amounts
    assert stage_economics(assign_stages(sample))["revenue_to_date"].sum() == pytest.approx(net)


def test_snapshot_summary_columns_equal_the_customer_summary(sample: CustomerData) -> None:
    from workbook.data.summary import summarize_customers

    snapshot = assign_stages(sample, as_of="2024-12-31")
    summary = summarize_customers(pd.read_csv(sample.source).query("date <= '2024-12-31'"))
    buyers = snapshot[snapshot["purchase_days"] > 0]
    columns = ["frequency", "recency", "T", "monetary_value"]
    pd.testing.assert_frame_equal(buyers[columns], summary[columns], check_dtype=False,
                                  check_index_type=False)


def test_transitions_by_hand() -> None:
    start = pd.Series({"a": "first_time", "b": "first_time", "c": "client"})
    end = pd.Series({"a": "repeat", "b": "lost", "c": "client", "d": "suspect"})
    counts, probabilities = transition_matrix(start, end)
    assert counts.loc["first_time", "repeat"] == 1 and counts.loc["new", "suspect"] == 1
    assert probabilities.loc["first_time", ["repeat", "lost"]].tolist() == [0.5, 0.5]
    assert probabilities.loc["advocate", "advocate"] == 1.0  # nobody there: stays put
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_sample_transitions_one_period_back(sample: CustomerData) -> None:
    result = compute_transitions(sample)
    assert result.start == dt.date(2025, 10, 1) and result.end == dt.date(2025, 12, 31)
    assert np.allclose(result.probabilities.sum(axis=1), 1.0)
    before = stage_counts(assign_stages(sample, as_of=result.start))
    assert result.counts.loc[list(STAGES)].sum(axis=1).tolist() == before.tolist()
    assert result.counts.loc["suspect", ["first_time", "repeat"]].sum() > 0  # conversions


def test_forecast_conserves_people_and_follows_the_chain(sample: CustomerData) -> None:
    result = compute_ladder(sample, forecast_periods=3)
    forecast = result.forecast
    assert forecast.index.tolist() == [0, 1, 2, 3]
    assert np.allclose(forecast.sum(axis=1), result.counts.sum())
    p = result.transitions.probabilities.to_numpy()
    assert np.allclose(forecast.loc[2].to_numpy(), result.counts.to_numpy() @ p @ p)


def test_ladder_headline(sample: CustomerData) -> None:
    result = compute_ladder(sample)
    head = result.headline()
    assert head["customers"] == 2_828 and head["people"] == 4_500
    assert head["stage_counts"] == {k: int(v) for k, v in result.counts.items()}
    assert 0.2 < head["top20_revenue_share"] < 1
    text = ladder_headline_text(result)
    assert text.startswith("As of 2025-12-31: 4,500 people on the ladder, 2,828 customers")
    assert "Top 20 % of customers bring" in text


def test_snapshot_dates_after_the_data_are_refused(sample: CustomerData) -> None:
    with pytest.raises(ParameterError, match="as_of: expected a date on or before"):
        assign_stages(sample, as_of="2026-01-01")


def test_moving_a_threshold_reuses_the_engine_query(sample: CustomerData) -> None:
    assign_stages(sample, as_of="2025-06-30")
    cached = len(sample.cache)
    assign_stages(sample, PARAMS.replace(ladder_lost_after_days=365), as_of="2025-06-30")
    assert len(sample.cache) == cached
    assign_stages(sample, PARAMS.replace(ladder_period_days=30), as_of="2025-06-30")
    assert len(sample.cache) == cached + 1


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("ladder_repeat_min_purchases", 1, "whole number from 2"),
        ("ladder_period_days", 0, "whole number from 1"),
        ("ladder_client_min_active_periods", 5, "at most ladder_client_lookback_periods (4)"),
        ("ladder_lost_after_days", 10.5, "whole number"),
        ("gross_margin_rate", 1.5, "fraction"),
        ("pareto_top_customer_share", 0, "above 0"),
    ],
)
def test_invalid_thresholds_name_the_parameter(field: str, value: object,
                                               fragment: str) -> None:
    with pytest.raises(ParameterError) as caught:
        LadderParams(**{field: value})
    assert caught.value.name == field
    assert fragment in str(caught.value)


def test_defaults_come_from_the_registry() -> None:
    from workbook.core.parameters import assumptions_used

    table = assumptions_used(PARAMS)
    assert table.loc["ladder_repeat_min_purchases", "value"] == 2
    assert table.loc["ladder_lost_after_days", "default"] == 180
    assert not table["changed"].any()


# --- properties ---------------------------------------------------------------------------

feature_rows = st.lists(
    st.tuples(st.integers(0, 8), st.integers(0, 400), st.integers(0, 2**20 - 1),
              st.integers(0, 3), st.booleans(), st.booleans(), st.booleans()),
    min_size=1, max_size=60,
)


def features_of(rows: list[tuple[int, int, int, int, bool, bool, bool]]) -> pd.DataFrame:
    return pd.DataFrame({
        "purchase_days": [r[0] for r in rows],
        "last_purchase": [pd.Timestamp(AS_OF) - pd.Timedelta(days=r[1]) if r[0] else pd.NaT
                          for r in rows],
        "active_mask": [r[2] if r[0] else 0 for r in rows],
        "referrals": [r[3] for r in rows],
        "advocate_flag": [r[4] for r in rows],
        "qualified": [r[5] for r in rows],
        "signed_up": [r[6] for r in rows],
    })


thresholds = st.builds(
    LadderParams, ladder_repeat_min_purchases=st.integers(2, 6),
    ladder_period_days=st.integers(7, 120), ladder_client_lookback_periods=st.just(6),
    ladder_client_min_active_periods=st.integers(1, 6),
    ladder_advocate_min_referrals=st.integers(1, 3), ladder_lost_after_days=st.integers(30, 400))


@settings(max_examples=200, deadline=None)
@given(feature_rows, thresholds, st.integers(1, 200))
def test_rules_every_person_gets_one_stage_and_thresholds_move_the_right_way(
        rows: list, params: LadderParams, step: int) -> None:
    features = features_of(rows)
    stages = pd.Series(apply_ladder_rules(features, params, AS_OF))
    assert stages.notna().all() and len(stages) == len(rows)
    buyers = features["purchase_days"] > 0
    assert stages[buyers].isin(BUYER_STAGES).all()
    assert stages[~buyers].isin(["suspect", "prospect"]).all()
    longer = pd.Series(apply_ladder_rules(
        features, params.replace(ladder_lost_after_days=params.ladder_lost_after_days + step),
        AS_OF))
    assert (longer == "lost").sum() <= (stages == "lost").sum()
    stricter = pd.Series(apply_ladder_rules(
        features,
        params.replace(ladder_repeat_min_purchases=params.ladder_repeat_min_purchases + 1),
        AS_OF))
    upper = ["repeat", "client", "advocate"]
    assert stricter.isin(upper).sum() <= stages.isin(upper).sum()


square = st.integers(0, 2**31 - 1).map(lambda seed: np.random.default_rng(seed))


@settings(max_examples=100, deadline=None)
@given(square, st.integers(0, 12))
def test_forecast_conserves_people_for_any_chain(rng: np.random.Generator, periods: int) -> None:
    start = pd.Series(rng.integers(0, 1000, size=len(STAGES)), index=list(STAGES))
    weights = rng.random((len(STAGES), len(STAGES))) * (rng.random((7, 7)) < 0.6)
    weights[np.arange(7), np.arange(7)] += 1e-3
    p = pd.DataFrame(weights / weights.sum(axis=1, keepdims=True), index=list(STAGES),
                     columns=list(STAGES))
    forecast = forecast_stages(p, start, periods)
    assert np.allclose(forecast.sum(axis=1), start.sum())
    assert (forecast.to_numpy() >= -1e-9).all()


logs = st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 700)), min_size=1,
                max_size=30)


@settings(max_examples=10, deadline=None)
@given(logs, st.integers(1, 300))
def test_engine_counts_sum_to_people_and_rows_sum_to_one(rows: list[tuple[str, int]],
                                                          back: int) -> None:
    tx = pd.DataFrame({"customer_id": [r[0] for r in rows],
                       "date": [ago(r[1]) for r in rows], "amount": 1.0})
    data = load_customer_data(tx, as_of=AS_OF)
    result = compute_transitions(data, start=AS_OF - dt.timedelta(days=back))
    snapshot = assign_stages(data)
    assert stage_counts(snapshot).sum() == tx["customer_id"].nunique()
    assert np.allclose(result.probabilities.sum(axis=1), 1.0)
    assert result.counts.to_numpy().sum() == len(snapshot)


def test_short_periods_place_clients_like_a_plain_calculation() -> None:
    """Periods of a week: the period masks once overflowed a 64-bit shift in the engine."""
    data = load_customer_data()
    params = LadderParams(ladder_period_days=7, ladder_client_lookback_periods=4,
                          ladder_client_min_active_periods=2)
    snapshot = assign_stages(data, params)
    tx = pd.read_csv(sample_path("transactions"), parse_dates=["date"])
    tx = tx[~tx["refund"].astype(str).str.lower().isin(["true", "1"])]
    days_back = (pd.Timestamp(data.as_of) - tx["date"]).dt.days
    recent = tx[days_back < 28].assign(period=days_back[days_back < 28] // 7)
    active = recent.groupby("customer_id")["period"].nunique()
    clients = snapshot.index[snapshot["stage"].isin(["client", "advocate"])]
    # bought in 2 of the last 4 weeks: 2+ purchase days and not lost, so a client (or advocate)
    assert len(clients) > 0
    assert set(clients) == set(active.index[active >= 2])
