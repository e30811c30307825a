"""Service decay: half-life, maintenance, the value of quality kept and the best upkeep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.finance import net_present_value
from workbook.core.registry import default
from workbook.core.validation import ParameterError
from workbook.models.quality.decay import (
    DecayParams,
    compute_service_decay,
    full_quality_value,
    npv_by_maintenance,
    optimal_maintenance,
    quality_path,
)
from workbook.models.roi.service_roi import ServiceRoiParams

ANNUITY_5Y_8PCT = 3.992710037  # (1 - 1.08**-5) / 0.08
ROI = ServiceRoiParams()

half_lives = st.floats(0.2, 20)
qualities = st.floats(0, 1)
spends = st.floats(0, 300_000)


def euler_path(params: DecayParams, years: float, steps: int = 20_000) -> np.ndarray:
    """dq/dt = -lambda q + rho (1 - q), integrated step by step (independent of the formula)."""
    decay = math.log(2) / params.service_quality_half_life_years
    restore = (decay * params.service_maintenance_spend
               / params.service_maintenance_half_quality_spend)
    dt = years / steps
    q = np.empty(steps + 1)
    q[0] = params.service_quality_initial
    for i in range(steps):  # Heun's method
        slope = -decay * q[i] + restore * (1 - q[i])
        guess = q[i] + dt * slope
        q[i + 1] = q[i] + dt / 2 * (slope - decay * guess + restore * (1 - guess))
    return q


# --- The quality path -----------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(half_lives, st.floats(0.01, 1))
def test_no_maintenance_halves_quality_in_one_half_life(half_life: float, start: float) -> None:
    params = DecayParams(service_quality_half_life_years=half_life, service_quality_initial=start,
                         service_maintenance_spend=0)
    path = quality_path(params, [0, half_life, 2 * half_life])
    assert path == pytest.approx([start, start / 2, start / 4], rel=1e-12)


def test_path_matches_a_step_by_step_integration_of_the_differential_equation() -> None:
    params = DecayParams(service_quality_half_life_years=2, service_quality_initial=0.9,
                         service_maintenance_spend=30_000)
    steps = euler_path(params, 5.0)
    exact = quality_path(params, np.linspace(0, 5, len(steps)))
    assert np.max(np.abs(steps - exact)) < 1e-8


@settings(max_examples=40, deadline=None)
@given(half_lives, qualities, spends, spends)
def test_more_maintenance_never_lowers_quality(half_life: float, start: float, a: float,
                                               b: float) -> None:
    low, high = sorted((a, b))
    t = np.linspace(0, 10, 41)
    base = DecayParams(service_quality_half_life_years=half_life, service_quality_initial=start)
    less = quality_path(base.replace(service_maintenance_spend=low), t)
    more = quality_path(base.replace(service_maintenance_spend=high), t)
    assert np.all(more >= less - 1e-12)
    assert np.all((more >= 0) & (more <= 1 + 1e-12))


def test_maintenance_reverses_decay_from_a_low_start() -> None:
    # settles at 0.75
    params = DecayParams(service_quality_initial=0.3, service_maintenance_spend=60_000)
    path = quality_path(params, np.arange(0, 31))
    assert np.all(np.diff(path) > 0)
    assert path[-1] == pytest.approx(params.long_run_quality, abs=1e-3)
    assert params.long_run_quality == pytest.approx(60_000 / 80_000)


def test_mean_quality_of_each_year_is_the_integral_of_the_path() -> None:
    result = compute_service_decay(DecayParams(service_quality_half_life_years=1.5,
                                               service_maintenance_spend=25_000))
    for year in range(1, ROI.horizon_years + 1):
        t = np.linspace(year - 1, year, 2001)
        q = quality_path(result.params, t)
        integral = float(np.sum((q[1:] + q[:-1]) / 2) * (t[1] - t[0]))
        assert result.mean_quality[year] == pytest.approx(integral, rel=1e-6)


# --- Value and NPV -------------------------------------------------------------------------

def test_full_quality_value_by_hand() -> None:
    # 5,000 customers reached x (1,200 x 9 % x 35 % margin + 3 points x 250 acquisition)
    assert full_quality_value(ROI) == pytest.approx(5_000 * (37.8 + 7.5))


def test_quality_that_never_decays_earns_the_full_value_every_year_by_hand() -> None:
    params = DecayParams(service_quality_half_life_years=1e9, service_maintenance_spend=0)
    result = compute_service_decay(params, ROI)
    assert result.npv == pytest.approx(226_500 * ANNUITY_5Y_8PCT, rel=1e-6)


def test_npv_uses_the_shared_discounting_convention() -> None:
    result = compute_service_decay(DecayParams(service_maintenance_spend=70_000),
                                   ROI.replace(discount_rate=0.11, horizon_years=8))
    assert result.npv == pytest.approx(net_present_value(0.11, result.cash_flow))
    assert result.cash_flow[0] == 0.0
    assert result.maintenance_cost[1:] == pytest.approx([70_000] * 8)
    table = result.yearly_table()
    assert table["discounted_cash_flow"].sum() == pytest.approx(result.npv)
    assert len(table) == 9


def test_maintenance_npv_is_the_difference_to_doing_nothing() -> None:
    result = compute_service_decay(DecayParams())
    nothing = compute_service_decay(DecayParams(service_maintenance_spend=0))
    assert result.npv_without_maintenance == pytest.approx(nothing.npv)
    assert result.maintenance_npv == pytest.approx(result.npv - nothing.npv)
    assert np.all(result.quality >= nothing.quality)


def test_vectorised_npv_agrees_with_the_full_model() -> None:
    params = DecayParams()
    spends = [0.0, 15_000.0, 90_000.0]
    many = npv_by_maintenance(params, ROI, spends)
    one_by_one = [compute_service_decay(params.replace(service_maintenance_spend=s)).npv
                  for s in spends]
    assert many == pytest.approx(one_by_one)


# --- The best maintenance ------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.floats(0.5, 10), st.floats(0.3, 1), st.floats(5_000, 100_000), st.integers(1, 15))
def test_the_optimum_beats_its_neighbours(half_life: float, start: float, half_spend: float,
                                          years: int) -> None:
    params = DecayParams(service_quality_half_life_years=half_life, service_quality_initial=start,
                         service_maintenance_half_quality_spend=half_spend)
    roi = ROI.replace(horizon_years=years)
    best = optimal_maintenance(params, roi)
    assert best.npv == pytest.approx(npv_by_maintenance(params, roi, [best.maintenance_spend])[0])
    step = max(50.0, 0.02 * best.maintenance_spend)
    around = [max(best.maintenance_spend - step, 0.0), best.maintenance_spend + step]
    assert np.all(npv_by_maintenance(params, roi, around) <= best.npv + 1e-6)
    grid = np.linspace(0, 2 * full_quality_value(roi), 97)
    assert np.all(npv_by_maintenance(params, roi, grid) <= best.npv + 1e-6)


def test_fast_adjustment_reaches_the_steady_state_optimum() -> None:
    # With a half-life of days, quality sits at m / (m + m_half) all the time, so the best spend
    # is sqrt(V m_half) - m_half = sqrt(226,500 x 20,000) - 20,000.
    params = DecayParams(service_quality_half_life_years=0.01)
    best = optimal_maintenance(params, ROI.replace(horizon_years=10))
    steady = math.sqrt(226_500 * 20_000) - 20_000
    assert best.steady_state_spend == pytest.approx(steady)
    assert best.maintenance_spend == pytest.approx(steady, rel=0.01)
    assert best.long_run_quality == pytest.approx(
        best.maintenance_spend / (best.maintenance_spend + 20_000))


def test_nothing_to_keep_means_no_maintenance() -> None:
    best = optimal_maintenance(DecayParams(), ROI.replace(excellent_service_share=0))
    assert best.maintenance_spend == 0.0
    assert best.steady_state_spend == 0.0
    assert best.npv == 0.0


def test_result_curve_and_headline() -> None:
    result = compute_service_decay(DecayParams())
    assert result.npv_grid == pytest.approx(npv_by_maintenance(DecayParams(), ROI,
                                                               result.spend_grid))
    assert result.spend_grid[-1] >= 2 * result.optimum.maintenance_spend
    headline = result.headline()
    assert headline["optimal_npv"] >= headline["npv"]
    assert headline["quality_at_horizon"] == pytest.approx(float(result.quality[-1]))


# --- Parameters ---------------------------------------------------------------------------

def test_defaults_come_from_the_registry() -> None:
    params = DecayParams()
    assert params.service_quality_half_life_years == default("service_quality_half_life_years")
    assert params.service_maintenance_spend == default("service_maintenance_spend")
    assert params.decay_rate == pytest.approx(math.log(2) / params.service_quality_half_life_years)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("service_quality_half_life_years", 0,
         "service_quality_half_life_years: expected a number above 0 years"),
        ("service_quality_half_life_years", -2,
         "service_quality_half_life_years: expected a number"),
        ("service_quality_half_life_years", "3",
         "service_quality_half_life_years: expected a number"),
        ("service_quality_initial", 1.5, "service_quality_initial: expected a fraction"),
        ("service_maintenance_spend", -1,
         "service_maintenance_spend: expected a number of at least 0"),
        ("service_maintenance_half_quality_spend", 0,
         "service_maintenance_half_quality_spend: expected a number above 0"),
    ],
)
def test_invalid_inputs_are_refused_with_the_parameter_named(field: str, value: float,
                                                             fragment: str) -> None:
    with pytest.raises(ParameterError, match=fragment):
        DecayParams(**{field: value})


def test_the_model_record_runs_the_same_computation() -> None:
    from workbook.models.quality.decay import SERVICE_DECAY

    params = DecayParams(service_maintenance_spend=10_000)
    assert SERVICE_DECAY.params_type is DecayParams
    assert SERVICE_DECAY.headline(SERVICE_DECAY.run(params)) == (
        compute_service_decay(params).headline())
