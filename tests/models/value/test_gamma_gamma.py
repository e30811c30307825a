"""Gamma-Gamma: hand-worked spend, gradient, parameter recovery, lifetimes cross-check."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from workbook.models.value.gamma_gamma import (
    GammaGammaFit,
    _objective,
    expected_spend,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
)
from workbook.models.value.inputs import ClvError
from workbook.models.value.simulate import simulate_gamma_gamma

TRUE = {"p": 6.0, "q": 4.0, "v": 15.0}


def model(p: float, q: float, v: float) -> GammaGammaFit:
    return GammaGammaFit(p=p, q=q, v=v, log_likelihood=0.0, standard_errors={}, n_customers=1)


@pytest.fixture(scope="module")
def simulated():
    x = np.random.default_rng(3).integers(1, 12, size=20_000).astype(float)
    return x, simulate_gamma_gamma(x, **TRUE, seed=4)


def test_expected_spend_by_hand_fader_hardie_2013() -> None:
    # eq. 5: p (v + x m) / (p x + q - 1); no repeat purchase: the population mean p v / (q - 1)
    spend = expected_spend(model(6.0, 4.0, 15.0), [0, 1, 2], [0.0, 20.0, 50.0])
    assert spend.tolist() == pytest.approx([30.0, 6 * 35 / 9, 46.0])


def test_log_likelihood_by_hand() -> None:
    # p = q = v = 1, x = 1, m = 1: Gamma(2)/(Gamma(1)Gamma(1)) * 1 * 1 / (1 + 1)^2 = 1/4
    assert gamma_gamma_log_likelihood(1, 1, 1, [1, 0], [1.0, 0.0]) == pytest.approx(
        np.log(0.25))


def test_gradient_matches_finite_differences(simulated) -> None:
    from workbook.models.value.gamma_gamma import _Data

    x, m = simulated
    m = m / m.mean()
    w = np.ones_like(x)
    ux, inverse = np.unique(x, return_inverse=True)
    wx = np.bincount(inverse, minlength=ux.size).astype(float)
    data = _Data(x, m, w, ux, wx, wx * ux, float(np.sum(x * np.log(m))),
                 float(np.sum(np.log(m))), float(np.sum(x * np.log(x))), float(x.size))
    for theta in (np.log([5.0, 3.0, 2.0]), np.zeros(3)):
        analytic = _objective(theta, data)[1]
        numeric = approx_fprime(theta, lambda th: _objective(th, data)[0], 1e-7)
        assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


def test_recovers_the_parameters_it_was_simulated_with(simulated) -> None:
    fit = fit_gamma_gamma(*simulated)
    for name, true in TRUE.items():
        assert abs(getattr(fit, name) - true) < 4 * fit.standard_errors[name], name
    assert fit.log_likelihood == pytest.approx(
        gamma_gamma_log_likelihood(fit.p, fit.q, fit.v, *simulated), rel=1e-12)


def test_customers_with_no_repeat_purchase_are_left_out(simulated) -> None:
    x, m = simulated
    with_zeros = fit_gamma_gamma(np.r_[x, [0, 0]], np.r_[m, [0.0, 0.0]])
    assert with_zeros.n_customers == x.size
    assert with_zeros.p == pytest.approx(fit_gamma_gamma(x, m).p, rel=1e-9)


@pytest.mark.parametrize("frequency, monetary, message", [
    ([0, 0], [0.0, 0.0], "no repeat buyers"),
    ([1, 2], [5.0, np.nan], "monetary_value: NaN"),
    ([1, 2], [5.0, -1.0], "monetary_value: negative"),
    ([1, 2], [5.0, 0.0], "must be above 0"),
])
def test_bad_input_is_refused_with_its_cause(frequency, monetary, message) -> None:
    with pytest.raises(ClvError, match=message):
        fit_gamma_gamma(frequency, monetary)


def test_infinite_mean_spend_is_an_error_not_nan() -> None:
    with pytest.raises(ClvError, match=re.escape("q = 0.9")):
        expected_spend(model(2.0, 0.9, 10.0), [1], [5.0])


@settings(max_examples=60, deadline=None)
@given(x=st.integers(0, 50), m=st.floats(0.01, 1e4))
def test_expected_spend_lies_between_own_mean_and_population_mean(x, m) -> None:
    fit = model(6.0, 4.0, 15.0)
    spend = expected_spend(fit, [x], [m])[0]
    own = m if x > 0 else fit.mean_spend
    assert min(own, fit.mean_spend) * (1 - 1e-12) <= spend <= max(own, fit.mean_spend) * (
        1 + 1e-12)


def test_same_fit_as_lifetimes_on_the_sample() -> None:
    lifetimes = pytest.importorskip("lifetimes")
    from workbook.data.summary import summarize_customers

    s = summarize_customers("data/samples/transactions.csv")
    s = s[s["frequency"] > 0]
    ours = fit_gamma_gamma(s["frequency"], s["monetary_value"])
    theirs = lifetimes.GammaGammaFitter().fit(s["frequency"], s["monetary_value"])
    assert ours.log_likelihood == pytest.approx(-theirs._negative_log_likelihood_ * len(s),
                                                rel=1e-6)
    assert np.allclose(expected_spend(ours, s["frequency"], s["monetary_value"]),
                       theirs.conditional_expected_average_profit(s["frequency"],
                                                                  s["monetary_value"]),
                       rtol=1e-4)
