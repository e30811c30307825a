"""Uncertainty and sensitivity (issue 7): distributions, draws, Monte Carlo, tornado, maps."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.finance import payback_months, payback_months_array
from workbook.core.parameters import assumed
from workbook.core.registry import get_assumption
from workbook.core.validation import ParameterError
from workbook.models.roi.service_roi import (
    SERVICE_ROI,
    ServiceRoiParams,
    compute_service_roi,
    service_roi_outcomes,
)
from workbook.uncertainty import (
    QUALITY_PAIR,
    SERVICE_ROI_FIXED,
    InputDistribution,
    RoiSimulation,
    UncertaintyParams,
    compute_break_even_map,
    compute_spider,
    compute_tornado,
    correlate_uniforms,
    input_distributions,
    input_ranges,
    normal_correlation_for_rank,
    percentile,
    rank_correlation,
    sample_inputs,
    simulate_service_roi,
)

NORMAL_Z_10 = -1.2815515655446004  # 10th percentile of the standard normal (Φ⁻¹(0.1))
ROI_FIELDS = [f.name for f in dataclasses.fields(ServiceRoiParams)]


def normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def same(value: float, expected: float | None) -> bool:
    """A per-draw value (``nan`` for none) equals a model result (``None`` for none)."""
    return bool(np.isnan(value)) if expected is None else value == expected


def midpoint_moments(distribution: InputDistribution, n: int = 200_000) -> tuple[float, float]:
    """Mean and variance by the midpoint rule on the quantile function (no sampling noise)."""
    x = distribution.quantile((np.arange(n) + 0.5) / n)
    return float(x.mean()), float(x.var())


# --- distributions --------------------------------------------------------------------------


def test_triangular_moments_by_hand() -> None:
    # (3, 4, 7): mean 14/3, variance (9 + 16 + 49 - 12 - 21 - 28) / 18 = 13/18
    triangle = InputDistribution(low=3, mode=4, high=7, kind="triangular")
    assert triangle.mean == pytest.approx(14 / 3)
    assert triangle.variance == pytest.approx(13 / 18)
    mean, variance = midpoint_moments(triangle)
    assert mean == pytest.approx(14 / 3, abs=1e-6)
    assert variance == pytest.approx(13 / 18, rel=1e-5)


def test_triangular_with_mode_at_low_has_closed_form_quantile() -> None:
    # mode at the low end: F(x) = 1 - (1 - x)^2 on [0, 1], so x = 1 - sqrt(1 - u)
    u = np.linspace(0, 1, 11)
    triangle = InputDistribution(low=0, mode=0, high=1, kind="triangular")
    np.testing.assert_allclose(triangle.quantile(u), 1 - np.sqrt(1 - u), atol=1e-15)


def test_symmetric_pert_is_beta_3_3_with_closed_form_cdf() -> None:
    # λ = 4, mode in the middle: Beta(3, 3), whose CDF is x³ (10 - 15 x + 6 x²)
    pert = InputDistribution(low=0, mode=0.5, high=1, pert_shape=4)
    assert pert.pert_alpha_beta == (3.0, 3.0)
    u = np.linspace(0, 1, 101)
    x = pert.quantile(u)
    np.testing.assert_allclose(x**3 * (10 - 15 * x + 6 * x**2), u, atol=2e-6)
    assert pert.mean == 0.5
    assert pert.variance == pytest.approx(1 / 28)  # αβ / ((α+β)² (α+β+1)) = 9 / 252


def test_registry_pert_shape_is_the_classic_four() -> None:
    assert get_assumption("pert_shape").value == 4
    assert InputDistribution(low=0, mode=1, high=2).pert_shape == 4


triples = st.tuples(st.floats(-1e3, 1e3), st.floats(0.0, 1.0), st.floats(1e-3, 1e3)).map(
    lambda t: (t[0], t[0] + t[1] * t[2], t[0] + t[2]))


@settings(max_examples=60, deadline=None)
@given(triples, st.sampled_from(["pert", "triangular"]), st.floats(0.0, 10.0))
def test_moments_match_their_formulas(triple: tuple[float, float, float], kind: str,
                                      shape: float) -> None:
    low, mode, high = triple
    distribution = InputDistribution(low=low, mode=mode, high=high, kind=kind,
                                     pert_shape=shape)
    mean, variance = midpoint_moments(distribution, 50_000)
    width = high - low
    assert mean == pytest.approx(distribution.mean, abs=2e-6 * width)
    assert variance == pytest.approx(distribution.variance, rel=1e-3, abs=1e-7 * width**2)


@pytest.mark.parametrize("kind", ["pert", "triangular"])
def test_sample_moments_within_sampling_error(kind: str) -> None:
    distribution = InputDistribution(low=0.03, mode=0.09, high=0.15, kind=kind)
    draws = distribution.sample(np.random.default_rng(7), 100_000)
    standard_error = math.sqrt(distribution.variance / draws.size)
    assert abs(draws.mean() - distribution.mean) < 5 * standard_error
    assert draws.var() == pytest.approx(distribution.variance, rel=0.03)
    assert draws.min() >= 0.03 and draws.max() <= 0.15


@settings(max_examples=60, deadline=None)
@given(triples, st.sampled_from(["pert", "triangular"]))
def test_quantile_rises_from_low_to_high(triple: tuple[float, float, float], kind: str) -> None:
    low, mode, high = triple
    distribution = InputDistribution(low=low, mode=mode, high=high, kind=kind)
    x = distribution.quantile(np.linspace(0, 1, 501))
    assert x[0] == pytest.approx(low) and x[-1] == pytest.approx(high)
    assert np.all(np.diff(x) >= -1e-9 * (high - low))


def test_a_point_range_gives_its_value() -> None:
    point = InputDistribution(low=2.5, mode=2.5, high=2.5)
    assert point.quantile([0.0, 0.3, 1.0]).tolist() == [2.5, 2.5, 2.5]
    assert point.variance == 0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [(dict(low=0, mode=2, high=1), "mode"), (dict(low=0, mode=0.5, high=1, kind="normal"), "kind"),
     (dict(low=0, mode=0.5, high=1, pert_shape=-1), "pert_shape"),
     (dict(low=math.nan, mode=0.5, high=1), "low")],
)
def test_invalid_distributions_name_the_parameter(kwargs: dict, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        InputDistribution(**kwargs)
    assert caught.value.name == name


# --- correlation ----------------------------------------------------------------------------


def test_rank_one_maps_to_normal_one_by_pearsons_arcsine_relation() -> None:
    # ρ_S = (6/π) arcsin(ρ/2): ρ_S = 1 at ρ = 1, 0 at 0, and odd
    assert float(normal_correlation_for_rank(1.0)) == pytest.approx(1.0)
    assert float(normal_correlation_for_rank(0.0)) == 0.0
    rho = float(normal_correlation_for_rank(0.4))
    assert 6 / math.pi * math.asin(rho / 2) == pytest.approx(0.4)
    assert float(normal_correlation_for_rank(-0.4)) == pytest.approx(-rho)


@pytest.mark.parametrize("target", [-0.4, 0.3, 0.5, 0.8])
def test_correlation_on_gives_the_requested_rank_correlation(target: float) -> None:
    uncertainty = UncertaintyParams(draws=20_000, correlate_quality=True,
                                    service_quality_rank_correlation=target)
    draws = sample_inputs(ServiceRoiParams(), uncertainty, model=SERVICE_ROI)
    realised = rank_correlation(*(draws[name] for name in QUALITY_PAIR))
    assert realised == pytest.approx(target, abs=0.03)  # sampling error ≈ (1 - ρ²)/√n < 0.01


def test_correlation_off_gives_independent_draws() -> None:
    draws = sample_inputs(ServiceRoiParams(), UncertaintyParams(draws=20_000), model=SERVICE_ROI)
    assert abs(rank_correlation(*(draws[name] for name in QUALITY_PAIR))) < 0.03
    # structurally independent: one input's draws do not depend on whether the other varies
    alone = sample_inputs(ServiceRoiParams(), UncertaintyParams(
        draws=20_000, fixed=SERVICE_ROI_FIXED | {"retention_uplift_rate"}), model=SERVICE_ROI)
    np.testing.assert_array_equal(alone["spend_uplift_excellent_service"],
                                  draws["spend_uplift_excellent_service"])


def test_correlation_keeps_each_inputs_distribution() -> None:
    off = sample_inputs(ServiceRoiParams(), UncertaintyParams(draws=5_000), model=SERVICE_ROI)
    on = sample_inputs(ServiceRoiParams(), UncertaintyParams(draws=5_000, correlate_quality=True),
                       model=SERVICE_ROI)
    for name in QUALITY_PAIR:
        np.testing.assert_array_equal(np.sort(on[name]), np.sort(off[name]))
        assert not np.array_equal(on[name], off[name])
    np.testing.assert_array_equal(on["excellent_service_share"], off["excellent_service_share"])


def test_invalid_correlation_matrix_is_refused() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ParameterError, match="rank_correlation"):
        correlate_uniforms(rng.random((2, 10)), [[1.0, 1.5], [1.5, 1.0]], rng)
    not_positive = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    with pytest.raises(ParameterError, match="positive definite"):
        correlate_uniforms(rng.random((3, 10)), not_positive, rng)


# --- inputs ---------------------------------------------------------------------------------


def test_default_distributions_sit_on_the_registry_ranges() -> None:
    params = ServiceRoiParams()
    spread = input_distributions(params, model=SERVICE_ROI)
    assert set(spread) == set(ROI_FIELDS) - SERVICE_ROI_FIXED - {"acquisition_cost_per_customer"}
    uplift = get_assumption("spend_uplift_excellent_service")
    uplift_spread = spread["spend_uplift_excellent_service"]
    assert (uplift_spread.low, uplift_spread.mode,
            uplift_spread.high) == (uplift.low, uplift.value, uplift.high)
    assert all(d.kind == "pert" for d in spread.values())


def test_widening_scales_the_distance_to_each_bound_and_stops_at_zero() -> None:
    # spend uplift 9 %, range 3–15 %: doubled, 9 - 2·6 = -3 % is cut to 0, 9 + 2·6 = 21 %
    ranges = input_ranges(ServiceRoiParams(), UncertaintyParams(widen_factor=2), model=SERVICE_ROI)
    assert (ranges["spend_uplift_excellent_service"].low,
            ranges["spend_uplift_excellent_service"].high) == pytest.approx((0.0, 0.21))
    halved = input_ranges(ServiceRoiParams(), UncertaintyParams(
        widen_factors={"spend_uplift_excellent_service": 0.5}), model=SERVICE_ROI)
    assert (halved["spend_uplift_excellent_service"].low,
            halved["spend_uplift_excellent_service"].high) == pytest.approx((0.06, 0.12))


def test_a_value_outside_the_registry_range_widens_the_range() -> None:
    ranges = input_ranges(ServiceRoiParams(spend_uplift_excellent_service=0.3), model=SERVICE_ROI)
    assert (ranges["spend_uplift_excellent_service"].low,
            ranges["spend_uplift_excellent_service"].high) == (0.03, 0.3)


def test_retention_uplift_range_stops_where_retention_reaches_099() -> None:
    params = ServiceRoiParams(annual_retention_rate=0.93, retention_uplift_rate=0.03)
    assert input_ranges(params, model=SERVICE_ROI)["retention_uplift_rate"].high == \
        pytest.approx(0.06)


def test_given_ranges_replace_the_registry() -> None:
    u = UncertaintyParams(ranges={"spend_uplift_excellent_service": (0.05, 0.10)})
    distributions = input_distributions(ServiceRoiParams(), u, model=SERVICE_ROI)
    assert distributions["spend_uplift_excellent_service"].high == 0.10


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [(dict(draws=0), "draws"), (dict(distribution="normal"), "distribution"),
     (dict(widen_factor=-1), "widen_factor"), (dict(fixed="customers"), "fixed"),
     (dict(ranges={"spend_uplift_excellent_service": (0.2, 0.1)}),
      "ranges[spend_uplift_excellent_service]"),
     (dict(service_quality_rank_correlation=1.0), "service_quality_rank_correlation"),
     (dict(correlate_quality="yes"), "correlate_quality")],
)
def test_invalid_uncertainty_settings_name_the_parameter(kwargs: dict, name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        UncertaintyParams(**kwargs)
    assert caught.value.name == name


def test_unknown_field_names_are_refused_with_a_suggestion() -> None:
    with pytest.raises(ParameterError, match="did you mean spend_uplift_excellent_service"):
        sample_inputs(ServiceRoiParams(),
                      UncertaintyParams(fixed={"spend_uplift_excelent_service"}),
                      model=SERVICE_ROI)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class WordOfMouthStandIn:
    """A model's parameters other than the service ROI's: registry fields and a text field."""

    happy_customer_tells: float = assumed("happy_customer_tells")
    complaint_recovery_retention: float = assumed("complaint_recovery_retention")
    channel: str = "phone"


def test_any_parameter_object_with_registry_fields_can_be_sampled() -> None:
    # no default fixed set: both figures vary. Tripled: 4 ± 3 people; 70 % ± 30 points, cut
    # at 100 % because the registry unit is a fraction.
    u = UncertaintyParams(draws=1_000, widen_factor=3)
    ranges = input_ranges(WordOfMouthStandIn(), u)
    assert (ranges["happy_customer_tells"].low, ranges["happy_customer_tells"].high) == (1, 7)
    assert (ranges["complaint_recovery_retention"].low,
            ranges["complaint_recovery_retention"].high) == pytest.approx((0.4, 1.0))
    draws = sample_inputs(WordOfMouthStandIn(), u)
    assert draws["channel"] == "phone"
    assert draws["happy_customer_tells"].shape == (1_000,)
    assert draws["complaint_recovery_retention"].max() <= 1.0


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    params = ServiceRoiParams()
    first = simulate_service_roi(params, UncertaintyParams(seed=11))
    again = simulate_service_roi(params, UncertaintyParams(seed=11))
    other = simulate_service_roi(params, UncertaintyParams(seed=12))
    for name in ("npv", "roi", "payback_months", "cumulative_cash"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.npv, other.npv)
    assert first.headline() == again.headline()


released = st.sets(st.sampled_from(sorted(SERVICE_ROI_FIXED)))
params_strategy = st.builds(
    ServiceRoiParams,
    customers=st.integers(1, 200_000),
    annual_retention_rate=st.floats(0.0, 0.95),
    retention_uplift_rate=st.floats(0.0, 0.04),
    spend_uplift_excellent_service=st.floats(0.0, 0.5),
    excellent_service_share=st.floats(0.0, 1.0),
    upfront_investment=st.floats(0, 2_000_000),
    horizon_years=st.integers(1, 20),
    discount_rate=st.floats(0.0, 0.3),
)


@settings(max_examples=40, deadline=None)
@given(params_strategy, released, st.floats(0.0, 5.0), st.booleans())
def test_every_draw_is_a_valid_parameter_set(params: ServiceRoiParams, free: set[str],
                                             widen: float, correlated: bool) -> None:
    uncertainty = UncertaintyParams(draws=40, widen_factor=widen, fixed=SERVICE_ROI_FIXED - free,
                                    correlate_quality=correlated)
    simulation = simulate_service_roi(params, uncertainty)
    for i in range(uncertainty.draws):
        draw = {name: float(values[i]) for name, values in simulation.inputs.items()}
        ServiceRoiParams(**{**params.to_dict(), **draw})  # raises if a draw is invalid


# --- simulation -----------------------------------------------------------------------------

CASES = [
    ServiceRoiParams(),
    ServiceRoiParams(spend_uplift_excellent_service=0.01, upfront_investment=900_000),  # no payback
    ServiceRoiParams(upfront_investment=0, annual_service_cost=0),  # no ROI, payback 0
    ServiceRoiParams(horizon_years=12, discount_rate=0.13, customers=2_345),
]


@pytest.mark.parametrize("params", CASES)
@pytest.mark.parametrize("collapse", ["widen_factor", "ranges"])
def test_collapsed_ranges_equal_the_deterministic_model_exactly(params: ServiceRoiParams,
                                                                collapse: str) -> None:
    if collapse == "widen_factor":
        uncertainty = UncertaintyParams(draws=500, widen_factor=0.0, fixed=frozenset())
    else:
        point = {name: (getattr(params, name),) * 2 for name in ROI_FIELDS
                 if name != "acquisition_cost_per_customer"}
        uncertainty = UncertaintyParams(draws=500, ranges=point, fixed=frozenset())
    simulation = simulate_service_roi(params, uncertainty)
    result = compute_service_roi(params)
    assert (simulation.npv == result.npv).all()
    assert (simulation.cumulative_cash == result.cumulative_cash).all()
    for name in ("roi", "payback_months"):
        expected = getattr(result, name)
        values = getattr(simulation, name)
        assert np.isnan(values).all() if expected is None else (values == expected).all()
    headline = simulation.headline()
    assert headline["npv_p10"] == headline["npv_p50"] == headline["npv_p90"] == result.npv
    assert headline["probability_npv_positive"] == float(result.npv > 0)


def test_each_draw_equals_the_deterministic_model_on_its_inputs() -> None:
    params = ServiceRoiParams()
    simulation = simulate_service_roi(params, UncertaintyParams(draws=300, seed=3))
    for i in range(0, 300, 7):
        draw = {name: float(values[i]) for name, values in simulation.inputs.items()}
        result = compute_service_roi(params.replace(**draw))
        assert simulation.npv[i] == result.npv  # same lines, same order: bit for bit
        assert same(simulation.roi[i], result.roi)
        assert same(simulation.payback_months[i], result.payback_months)


def test_draws_with_every_input_released_match_the_model() -> None:
    params = ServiceRoiParams()
    simulation = simulate_service_roi(params, UncertaintyParams(draws=200, fixed=frozenset()))
    assert set(simulation.inputs) == set(ROI_FIELDS) - {"acquisition_cost_per_customer"}
    for i in range(0, 200, 9):
        draw = {name: float(values[i]) for name, values in simulation.inputs.items()}
        result = compute_service_roi(params.replace(**draw))
        assert simulation.npv[i] == pytest.approx(result.npv, rel=1e-12, abs=1e-6)
        payback = simulation.payback_months[i]
        assert (np.isnan(payback) and result.payback_months is None) or \
            payback == pytest.approx(result.payback_months, rel=1e-12)


def _linear_in_uplifts() -> tuple[ServiceRoiParams, float, float, float]:
    """NPV = a + b·u + c·Δr for the default business (other inputs at their values)."""
    params = ServiceRoiParams()
    a = compute_service_roi(params.replace(spend_uplift_excellent_service=0,
                                           retention_uplift_rate=0)).npv
    b = compute_service_roi(params.replace(spend_uplift_excellent_service=1,
                                           retention_uplift_rate=0)).npv - a
    c = compute_service_roi(params.replace(spend_uplift_excellent_service=0,
                                           retention_uplift_rate=0.1)).npv
    return params, a, b, (c - a) / 0.1


def test_probability_npv_positive_against_the_normal_analytic_case() -> None:
    # NPV is affine in both uplifts; with independent normal uplifts it is normal, so
    # P(NPV > 0) = Φ(μ/σ) and P10 = μ + σ Φ⁻¹(0.1).
    params, a, b, c = _linear_in_uplifts()
    rng = np.random.default_rng(2010)
    n = 400_000
    u = rng.normal(0.07, 0.03, n)
    dr = rng.normal(0.02, 0.01, n)
    outcome = service_roi_outcomes({**params.to_dict(), "spend_uplift_excellent_service": u,
                                    "retention_uplift_rate": dr})
    mu = a + b * 0.07 + c * 0.02
    sigma = math.hypot(b * 0.03, c * 0.01)
    simulation = RoiSimulation(
        model=SERVICE_ROI, params=params, uncertainty=UncertaintyParams(draws=n),
        base=compute_service_roi(params),
        inputs={"spend_uplift_excellent_service": u, "retention_uplift_rate": dr},
        outcomes=outcome)
    expected = normal_cdf(mu / sigma)
    assert 0.6 < expected < 0.9  # a case where the probability is informative
    assert simulation.probability_npv_positive == pytest.approx(expected, abs=0.004)  # 5 s.e.
    assert simulation.headline()["npv_p10"] == pytest.approx(mu + sigma * NORMAL_Z_10,
                                                            abs=0.01 * sigma)
    assert simulation.headline()["npv_p50"] == pytest.approx(mu, abs=0.01 * sigma)


def test_default_simulation_reads_sensibly() -> None:
    simulation = simulate_service_roi()
    assert simulation.draws == 10_000
    headline = simulation.headline()
    assert set(headline) == {"npv_p10", "npv_p50", "npv_p90", "probability_npv_positive"}
    assert headline["npv_p10"] < headline["npv_p50"] < headline["npv_p90"]
    assert 0 < headline["probability_npv_positive"] < 1
    assert json.loads(json.dumps(headline)) == headline
    table = simulation.summary_table()
    assert list(table.columns) == ["P10", "P50", "P90", "At the values"]
    assert table.loc["Net present value", "At the values"] == simulation.base.npv


def test_positive_correlation_widens_the_npv_spread() -> None:
    # both uplifts raise NPV, so moving them together spreads NPV further
    params = ServiceRoiParams()
    apart = simulate_service_roi(params)
    together = simulate_service_roi(params, UncertaintyParams(correlate_quality=True,
                                                              service_quality_rank_correlation=0.8))
    def spread(s: RoiSimulation) -> float:
        return float(np.subtract(*np.percentile(s.npv, [90, 10])))
    assert spread(together) > spread(apart)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.03, 0.14), st.floats(0.001, 0.01), st.sampled_from(["pert", "triangular"]))
def test_a_higher_value_lifts_every_draw(mode: float, step: float, kind: str) -> None:
    # the same seed draws the same uniform numbers, so the risk panel moves smoothly
    u = UncertaintyParams(draws=2_000, distribution=kind)
    low = simulate_service_roi(ServiceRoiParams(spend_uplift_excellent_service=mode), u)
    high = simulate_service_roi(ServiceRoiParams(spend_uplift_excellent_service=mode + step), u)
    assert np.all(high.npv >= low.npv - 1e-6 * np.abs(low.npv).max())
    assert high.probability_npv_positive >= low.probability_npv_positive


def test_cash_fan_bands_are_ordered_and_start_at_the_investment() -> None:
    fan = simulate_service_roi().cash_fan()
    assert list(fan.columns) == ["P10", "P25", "P50", "P75", "P90"]
    assert len(fan) == ServiceRoiParams().horizon_years + 1
    assert (np.diff(fan.to_numpy(), axis=1) >= 0).all()
    assert (fan.loc[0] == -ServiceRoiParams().upfront_investment).all()


def test_vectorised_payback_equals_finance_payback_on_textbook_flows() -> None:
    cases = [[-100, 50, 50, 50], [-100, 200], [0, 10], [-100, 40, 40], [-100, 150, -100, 100],
             [-100, 100]]
    for flows in cases:
        got = payback_months_array(np.asarray(flows, dtype=float))
        expected = payback_months(flows)
        assert (np.isnan(got) and expected is None) or float(got) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12))
def test_vectorised_payback_equals_finance_payback(flows: list[float]) -> None:
    one = payback_months_array(np.asarray(flows))
    expected = payback_months(flows)
    assert (np.isnan(one) and expected is None) or float(one) == expected
    many = payback_months_array(np.tile(flows, (3, 1)))
    np.testing.assert_array_equal(many, np.full(3, one))


def test_percentile_missing_draws() -> None:
    assert percentile([np.nan, np.nan], 50) is None
    assert percentile([1.0, np.nan, 3.0], 50) == 2.0  # nan left out
    assert percentile([1.0, np.nan, 3.0], 50, missing_is_worst=True) == 3.0
    assert percentile([1.0, np.nan, 3.0], 51, missing_is_worst=True) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50), st.floats(0, 100))
def test_percentile_is_numpys_linear_type_7(values: list[float], p: float) -> None:
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)),
                                                  rel=1e-12, abs=1e-6)


# --- sensitivity ----------------------------------------------------------------------------


def test_tornado_order_and_swings_worked_by_hand() -> None:
    # 1,000 customers, half reached, spend 100, margin 50 %, 2 years, no discounting:
    #   spend uplift 0–20 %:      1000·0.5·100·0.5·2 = 50,000 per unit → swing 10,000
    #   retention uplift 0–10 %:  acquisition cost 5·10 = 50; 1000·0.5·50·2 = 50,000 → 5,000
    #   investment 0–4,000:       paid today, one for one → 4,000
    #   reach 40–60 %:            1000·(100·0.1·0.5 + 0.05·50)·2 = 15,000 per unit → 3,000
    #   cost ratio 3–7:           1000·0.5·0.05·10·2 = 500 per unit → 2,000
    params = ServiceRoiParams(
        customers=1_000, excellent_service_share=0.5, annual_spend_per_customer=100,
        gross_margin_rate=0.5, spend_uplift_excellent_service=0.1, retention_uplift_rate=0.05,
        retention_cost_per_customer=10, acquisition_to_retention_cost_ratio=5,
        upfront_investment=1_000, annual_service_cost=0, horizon_years=2, discount_rate=0.0,
    )
    uncertainty = UncertaintyParams(ranges={
        "spend_uplift_excellent_service": (0.0, 0.2), "retention_uplift_rate": (0.0, 0.1),
        "upfront_investment": (0, 4_000), "excellent_service_share": (0.4, 0.6),
        "acquisition_to_retention_cost_ratio": (3, 7),
    })
    names = ["acquisition_to_retention_cost_ratio", "excellent_service_share",
             "upfront_investment", "retention_uplift_rate", "spend_uplift_excellent_service"]
    tornado = compute_tornado(params, uncertainty, names=names)
    assert tornado.table.index.tolist() == names[::-1]
    assert tornado.table["swing"].tolist() == pytest.approx([10_000, 5_000, 4_000, 3_000, 2_000])
    assert tornado.base_npv == pytest.approx(2 * (1000 * 0.5 * (5 + 2.5)) - 1_000)
    row = tornado.table.loc["upfront_investment"]
    assert (row["npv_low"], row["npv_high"]) == pytest.approx(
        (tornado.base_npv + 1_000, tornado.base_npv - 3_000))


@settings(max_examples=30, deadline=None)
@given(params_strategy, st.floats(0.0, 3.0))
def test_tornado_bars_are_the_model_at_each_bound(params: ServiceRoiParams, widen: float) -> None:
    uncertainty = UncertaintyParams(widen_factor=widen)
    names = [n for n in ROI_FIELDS if n != "acquisition_cost_per_customer"]
    tornado = compute_tornado(params, uncertainty, names=names)
    swings = tornado.table["swing"].to_numpy()
    assert (swings >= 0).all() and (np.diff(swings) <= 0).all()
    for name, row in tornado.table.iterrows():
        for side in ("low", "high"):
            value = row[side]
            expected = compute_service_roi(params.replace(**{name: value})).npv
            assert row[f"npv_{side}"] == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_spider_passes_through_the_value_and_the_tornado_ends() -> None:
    params = ServiceRoiParams()
    spider = compute_spider(params, points=11)
    tornado = compute_tornado(params)
    assert list(spider.npv.columns) == list(input_distributions(params, model=SERVICE_ROI))
    np.testing.assert_allclose(spider.npv.loc[0.0], spider.base_npv, rtol=1e-12)
    for name in spider.npv.columns:
        assert spider.npv[name].iloc[0] == pytest.approx(tornado.table.loc[name, "npv_low"])
        assert spider.npv[name].iloc[-1] == pytest.approx(tornado.table.loc[name, "npv_high"])
    with pytest.raises(ParameterError, match="odd"):
        compute_spider(params, points=10)


def test_break_even_map_zero_line_is_where_the_model_breaks_even() -> None:
    params = ServiceRoiParams()
    grid = compute_break_even_map(params, points=9)
    assert grid.npv.shape == (9, 9)
    i, j = 3, 6
    here = params.replace(spend_uplift_excellent_service=grid.x_values[j],
                          upfront_investment=grid.y_values[i])
    assert grid.npv[i, j] == pytest.approx(compute_service_roi(here).npv)
    crossed = ~np.isnan(grid.zero_line)
    assert crossed.sum() >= 5
    for x, y in zip(grid.x_values[crossed], grid.zero_line[crossed], strict=True):
        at_line = compute_service_roi(params.replace(spend_uplift_excellent_service=x,
                                                     upfront_investment=y))
        assert at_line.npv == pytest.approx(0.0, abs=1e-6 * params.upfront_investment)
    # the line is NPV at no investment (paid today, one for one)
    no_investment = compute_service_roi(params.replace(upfront_investment=0)).npv
    assert grid.zero_line[4] == pytest.approx(no_investment)


def test_sensitivity_needs_two_different_axes_and_some_input() -> None:
    with pytest.raises(ParameterError):
        compute_break_even_map(x="upfront_investment", y="upfront_investment")
    everything = UncertaintyParams(fixed=frozenset(ROI_FIELDS))
    with pytest.raises(ParameterError, match="at least one input"):
        compute_tornado(ServiceRoiParams(), everything)
