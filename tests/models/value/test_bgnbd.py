"""BG/NBD: hand-worked probabilities, integrals, gradient, parameter recovery, lifetimes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.optimize import approx_fprime

from workbook.models.value.bgnbd import (
    BgNbdFit,
    _objective,
    _prepare,
    bgnbd_log_likelihood,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
    probability_alive_after,
)
from workbook.models.value.inputs import ClvError, fit_log_params
from workbook.models.value.simulate import simulate_bgnbd

TRUE = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}


def model(r: float = 1.0, alpha: float = 1.0, a: float = 1.0, b: float = 1.0) -> BgNbdFit:
    return BgNbdFit(r, alpha, a, b, 0.0, {}, 1, 0)


@pytest.fixture(scope="module")
def simulated():
    return simulate_bgnbd(20_000, **TRUE, T_days=365, seed=11)


@pytest.fixture(scope="module")
def sample_summary():
    from workbook.data.summary import summarize_customers

    return summarize_customers("data/samples/transactions.csv")


def test_no_repeat_purchase_means_alive_fhl_2008() -> None:
    # Fader, Hardie & Lee (2008), note 021: a customer can only drop out after a repeat purchase
    alive = probability_alive(model(0.3, 5.0, 0.7, 2.0), [0, 0], [0, 0], [10, 1_000])
    assert alive.tolist() == [1.0, 1.0]


def test_probability_alive_by_hand() -> None:
    # odds of having dropped out: a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)
    assert probability_alive(model(), [1], [1], [1])[0] == pytest.approx(0.5)
    # 2/(3+2-1) * ((1+3)/(1+1))^(1+2) = 0.5 * 8 = 4: P = 1/5
    assert probability_alive(model(1, 1, 2, 3), [2], [1], [3])[0] == pytest.approx(0.2)


def posterior_integral(fit: BgNbdFit, x: float, t: float, f) -> float:
    """E[f(p, L)] over p ~ Beta(a, b + x), the posterior of a customer known alive, by quadrature.

    ``L(u) = E[exp(-lambda u)] = (beta / (beta + u))^(r + x)`` is the Laplace transform of the
    rate's posterior Gamma(r + x, beta = alpha + T), done by hand so one integral remains.
    """
    shape, rate = fit.r + x, fit.alpha + t
    density = stats.beta(fit.a, fit.b + x).pdf
    def laplace(u: float) -> float:
        return (rate / (rate + u)) ** shape
    value, _ = integrate.quad(lambda q: f(q, laplace) * density(q), 0, 1, epsabs=1e-12,
                              epsrel=1e-10, limit=200)
    return value


@pytest.mark.parametrize("x, t_x, T, horizon", [(0, 0, 0, 30.0), (3, 40, 100, 60.0),
                                                (1, 5, 200, 365.0)])
def test_expected_purchases_equal_the_posterior_integral(x, t_x, T, horizon) -> None:
    # alive with rate l and drop-out p, purchases until drop-out in t: (1 - exp(-l p t)) / p
    fit = model(2.0, 30.0, 2.5, 4.0)
    alive = probability_alive(fit, [x], [t_x], [T])[0]
    integral = posterior_integral(fit, x, T, lambda q, laplace: (1 - laplace(q * horizon)) / q)
    assert expected_purchases(fit, horizon, [x], [t_x], [T])[0] == pytest.approx(
        alive * integral, rel=1e-6)


def test_survival_equals_the_posterior_integral() -> None:
    fit = model(2.0, 30.0, 2.5, 4.0)
    integral = posterior_integral(fit, 3, 100, lambda q, laplace: laplace(q * 365.0))
    alive = probability_alive(fit, [3], [40], [100])[0]
    assert probability_alive_after(fit, 365.0, [3], [40], [100])[0] == pytest.approx(
        alive * integral, rel=1e-6)


def test_expected_purchases_at_a_equal_1_are_continuous() -> None:
    at_one = expected_purchases(model(2.0, 30.0, 1.0, 4.0), 90.0, [2], [10], [50])[0]
    near = expected_purchases(model(2.0, 30.0, 1.0 + 1e-4, 4.0), 90.0, [2], [10], [50])[0]
    assert at_one == pytest.approx(near, rel=1e-3)


def test_gradient_matches_finite_differences(simulated) -> None:
    x = simulated["frequency"].to_numpy()
    data = _prepare(x, simulated["recency"].to_numpy() / 365,
                    simulated["T"].to_numpy() / 365, np.ones_like(x))
    for theta in (np.log([0.3, 0.02, 0.9, 2.0]), np.log([1.0, 1.0, 1.0, 1.0])):
        analytic = _objective(theta, data)[1]
        numeric = approx_fprime(theta, lambda th: _objective(th, data)[0], 1e-7)
        assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


def test_recovers_the_parameters_it_was_simulated_with(simulated) -> None:
    fit = fit_bgnbd(simulated["frequency"], simulated["recency"], simulated["T"])
    for name, true in TRUE.items():
        assert abs(getattr(fit, name) - true) < 4 * fit.standard_errors[name], name
    assert fit.n_customers == 20_000 and fit.iterations > 0


def test_fit_is_a_maximum_of_its_log_likelihood(simulated) -> None:
    args = simulated["frequency"], simulated["recency"], simulated["T"]
    fit = fit_bgnbd(*args)
    best = [fit.r, fit.alpha, fit.a, fit.b]
    assert bgnbd_log_likelihood(*best, *args) == pytest.approx(fit.log_likelihood, rel=1e-12)
    for i in range(4):
        for factor in (0.99, 1.01):
            moved = list(best)
            moved[i] *= factor
            assert bgnbd_log_likelihood(*moved, *args) < fit.log_likelihood


def test_identical_histories_weighted_once_give_the_same_fit() -> None:
    rows = np.array([[0, 0, 30], [1, 10, 30], [1, 10, 30], [3, 25, 40], [2, 5, 40],
                     [0, 0, 40], [5, 39, 40], [1, 2, 30]] * 3, dtype=float)
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    full = fit_bgnbd(rows[:, 0], rows[:, 1], rows[:, 2])
    weighted = fit_bgnbd(unique[:, 0], unique[:, 1], unique[:, 2], weights=counts)
    assert weighted.r == pytest.approx(full.r, rel=1e-6)
    assert weighted.log_likelihood == pytest.approx(full.log_likelihood, rel=1e-9)


@pytest.mark.parametrize("frequency, recency, T, message", [
    ([1, np.nan], [1, 0], [2, 2], "frequency: NaN"),
    ([1, 0], [1, 0], [2, -1], "T: negative"),
    ([1, 0], [3, 0], [2, 2], "recency: after T"),
    ([1.5, 0], [1, 0], [2, 2], "whole numbers"),
    ([0, 0], [0, 0], [2, 2], "no repeat buyers"),
    ([0, 1], [1, 1], [2, 2], "must be 0 where frequency is 0"),
])
def test_bad_input_is_refused_with_its_cause(frequency, recency, T, message) -> None:
    with pytest.raises(ClvError, match=message):
        fit_bgnbd(frequency, recency, T)


def test_an_unidentified_parameter_is_reported_not_returned() -> None:
    def runaway(theta):  # falls for ever as theta[0] grows: no maximum-likelihood estimate
        return float(-theta[0] + theta[1] ** 2), np.array([-1.0, 2 * theta[1]])
    with pytest.raises(ClvError, match="r ran to the edge"):
        fit_log_params(runaway, np.zeros(2), ["r", "alpha"], "BG/NBD")


@settings(max_examples=60, deadline=None)
@given(x=st.integers(1, 40), t_x=st.floats(0, 300), extra=st.floats(0, 300),
       more=st.floats(1, 200))
def test_probability_alive_falls_with_silence(x, t_x, extra, more) -> None:
    fit = model(0.5, 30.0, 1.2, 5.0)
    now = probability_alive(fit, [x], [t_x], [t_x + extra])[0]
    later = probability_alive(fit, [x], [t_x], [t_x + extra + more])[0]
    assert 0.0 <= later <= now <= 1.0


def test_same_log_likelihood_as_lifetimes_on_the_sample(sample_summary) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    s = sample_summary
    ours = fit_bgnbd(s["frequency"], s["recency"], s["T"])
    theirs = lifetimes.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    # lifetimes reports minus the mean on time scaled by 1 / max(T); in days the total is:
    n, scale = len(s), float(s["T"].max())
    total = -theirs._negative_log_likelihood_ * n - float(s["frequency"].sum()) * np.log(scale)
    assert ours.log_likelihood == pytest.approx(total, rel=1e-6)
    assert bgnbd_log_likelihood(*theirs.params_.to_numpy(), s["frequency"], s["recency"],
                                s["T"]) == pytest.approx(ours.log_likelihood, rel=1e-6)
    ours_alive = probability_alive(ours, s["frequency"], s["recency"], s["T"])
    assert np.allclose(ours_alive, theirs.conditional_probability_alive(
        s["frequency"], s["recency"], s["T"]), atol=1e-5)
    assert np.allclose(expected_purchases(ours, 365.0, s["frequency"], s["recency"], s["T"]),
                       theirs.conditional_expected_number_of_purchases_up_to_time(
                           365.0, s["frequency"], s["recency"], s["T"]), rtol=1e-4)
