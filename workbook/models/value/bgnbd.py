"""The BG/NBD purchase model: how often customers buy and whether they are still customers.

Fader, Hardie & Lee (2005), "Counting your customers" the easy way. While alive, a customer
makes repeat purchases as a Poisson process of rate λ; after each repeat purchase they drop out
with probability p. Across customers λ ~ Gamma(r, α) and p ~ Beta(a, b). The input is each
customer's purchase history in days, as :func:`workbook.data.summary.summarize_customers` gives
it: ``frequency`` (repeat purchase days), ``recency`` (days from the first to the last
purchase) and ``T`` (days from the first purchase to the end of observation).

Fitting is by maximum likelihood with the analytic gradient, in log-parameters, on time
rescaled so the longest ``T`` is 1 (for conditioning); the parameters are reported in days.
Customers with the same ``(frequency, recency, T)`` are one row with a weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, expit, gammaln, hyp2f1

from workbook.models.value.inputs import (
    ClvError,
    check_purchase_history,
    column,
    dot,
    fit_log_params,
    log_space_standard_errors,
    objective_hessian,
    unique_rows,
)

__all__ = [
    "BgNbdFit",
    "bgnbd_log_likelihood",
    "expected_purchases",
    "fit_bgnbd",
    "probability_alive",
    "probability_alive_after",
]

_NAMES = ("r", "alpha", "a", "b")
_SUBSAMPLE = 50_000


@dataclass(frozen=True, slots=True)
class BgNbdFit:
    """A fitted BG/NBD model (time in days).

    Attributes
    ----------
    r, alpha
        Shape and rate (per day) of the Gamma distribution of purchase rates: the mean rate
        is ``r / alpha`` repeat purchases per day.
    a, b
        The Beta distribution of the drop-out probability after a purchase (mean
        ``a / (a + b)``).
    log_likelihood
        Total log-likelihood of the data, time in days (see :func:`bgnbd_log_likelihood`).
    standard_errors
        Standard error of each parameter by name (from the observed information; infinite
        when the data do not pin the parameter down).
    n_customers
        Customers fitted (the sum of the weights).
    iterations
        Iterations of the optimiser.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    standard_errors: dict[str, float]
    n_customers: float
    iterations: int

    @property
    def params(self) -> dict[str, float]:
        """``{"r": ..., "alpha": ..., "a": ..., "b": ...}``."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}


def _log_likelihood_rows(params: NDArray[np.float64], x: NDArray[np.float64],
                         t_x: NDArray[np.float64], t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each customer's log-likelihood (the formula of :func:`bgnbd_log_likelihood`)."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + t)
    with np.errstate(divide="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                      - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def bgnbd_log_likelihood(r: float, alpha: float, a: float, b: float, frequency: ArrayLike,
                         recency: ArrayLike, T: ArrayLike, *,
                         weights: ArrayLike | None = None) -> float:
    """Total BG/NBD log-likelihood of purchase histories at the given parameters.

    Notes
    -----
    With :math:`x` = frequency, :math:`t_x` = recency (FHL 2005, eq. 6, in log space):

    .. math::

        \\ell = \\ln\\frac{\\Gamma(r+x)\\,\\alpha^r}{\\Gamma(r)}
              + \\ln\\frac{\\Gamma(a+b)\\,\\Gamma(b+x)}{\\Gamma(b)\\,\\Gamma(a+b+x)}
              + \\operatorname{logaddexp}\\Bigl(-(r+x)\\ln(\\alpha+T),\\;
                \\ln\\tfrac{a}{b+x-1} - (r+x)\\ln(\\alpha+t_x)\\Bigr)

    the second argument of logaddexp only when :math:`x > 0`. It is lifetimes'
    ``BetaGeoFitter`` likelihood; lifetimes reports minus the *mean* on time scaled by
    ``1 / max(T)``, which is this total minus :math:`\\sum x \\ln(\\max T)` divided by the
    number of customers.

    Examples
    --------
    >>> round(bgnbd_log_likelihood(1.0, 1.0, 1.0, 1.0, [0], [0], [1]), 6)  # ln(1/2)
    -0.693147
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    w = np.ones_like(x) if weights is None else column("weights", weights, size=x.size)
    rows = _log_likelihood_rows(np.array([r, alpha, a, b], dtype=np.float64), x, t_x, t)
    return float(dot(rows, w))


@dataclass(frozen=True, slots=True)
class _Data:
    """Unique histories, grouped by frequency for the terms that depend on it alone."""

    x: NDArray[np.float64]  # frequencies of rows with x > 0
    t_x: NDArray[np.float64]
    t: NDArray[np.float64]
    w: NDArray[np.float64]
    t0: NDArray[np.float64]  # T of rows with x == 0
    w0: NDArray[np.float64]
    ux: NDArray[np.float64]  # distinct frequencies and their total weight
    wx: NDArray[np.float64]
    total: float
    ix: NDArray[np.intp] | None = None  # each repeat row's position in ux


def _prepare(x: NDArray[np.float64], t_x: NDArray[np.float64], t: NDArray[np.float64],
             w: NDArray[np.float64]) -> _Data:
    (x, t_x, t), w, _ = unique_rows([x, t_x, t], w)
    keep = w > 0
    x, t_x, t, w = x[keep], t_x[keep], t[keep], w[keep]
    ux, inverse = np.unique(x, return_inverse=True)
    wx = np.bincount(inverse.reshape(-1), weights=w, minlength=ux.size)
    repeat = x > 0
    return _Data(x[repeat], t_x[repeat], t[repeat], w[repeat], t[~repeat], w[~repeat], ux, wx,
                 float(w.sum()), inverse.reshape(-1)[repeat])


def _objective(theta: NDArray[np.float64], d: _Data) -> tuple[float, NDArray[np.float64]]:
    """Mean negative log-likelihood and its gradient in log-parameters (analytic)."""
    r, alpha, a, b = np.exp(theta)
    ux, wx = d.ux, d.wx
    # terms that depend on the frequency alone, once per distinct frequency
    per_x = (gammaln(r + ux) - gammaln(r) + r * np.log(alpha) + gammaln(a + b)
             + gammaln(b + ux) - gammaln(b) - gammaln(a + b + ux))
    ll = dot(per_x, wx)
    dr = dot(digamma(r + ux) - digamma(r) + np.log(alpha), wx)
    dalpha = r / alpha * d.total
    dab = digamma(a + b) - digamma(a + b + ux)
    da = dot(dab, wx)
    db = dot(dab + digamma(b + ux) - digamma(b), wx)
    # customers with no repeat purchase: -r ln(alpha + T)
    log_t0 = np.log(alpha + d.t0)
    ll -= r * dot(log_t0, d.w0)
    dr -= dot(log_t0, d.w0)
    dalpha -= r * dot(d.w0, 1.0 / (alpha + d.t0))
    # repeat buyers: logaddexp(a3, a4) of "alive at T" and "dropped out after the last
    # purchase", written as a3 + softplus(u) with u = a4 - a3, w4 = expit(u) its weight
    s = r + d.x
    log_t = np.log(alpha + d.t)
    gap = np.log(alpha + d.t_x)
    gap -= log_t  # ln(alpha + t_x) - ln(alpha + T) <= 0
    if d.ix is None:
        inv_bx = 1.0 / (b + d.x - 1)
        u = np.log(inv_bx * a)
    else:  # one division and one logarithm per distinct frequency, then gathered
        per = 1.0 / (b + np.maximum(ux, 1) - 1)  # frequency 0 rows are not gathered
        inv_bx = per[d.ix]
        u = np.log(per * a)[d.ix]
    u -= s * gap
    e = np.exp(-np.abs(u))
    w4 = np.where(u > 0, 1.0, e)
    w4 /= 1.0 + e
    ll += dot(d.w, np.log1p(e) + np.maximum(u, 0.0) - s * log_t)
    dr -= dot(d.w, log_t + w4 * gap)
    inv_t = 1.0 / (alpha + d.t)
    inv_tx = 1.0 / (alpha + d.t_x)
    dalpha -= dot(d.w * s, inv_t + w4 * (inv_tx - inv_t))
    ww4 = d.w * w4
    da += float(ww4.sum()) / a
    db -= dot(ww4, inv_bx)
    gradient = np.array([dr * r, dalpha * alpha, da * a, db * b])
    return -ll / d.total, -gradient / d.total


def _warm_start(data: _Data, start: NDArray[np.float64],
                ) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """A start and its curvature from a seeded subsample of the histories (large data only).

    Fitting 50,000 rows first puts the full fit near its optimum, and the subsample's Hessian
    preconditions it, so it needs a few passes over the data instead of a few dozen. The
    result is the full-data optimum either way.
    """
    rows = data.x.size + data.t0.size
    if rows <= 2 * _SUBSAMPLE:
        return start, None
    rng = np.random.default_rng(0)
    pick = rng.random(data.x.size) < _SUBSAMPLE / rows
    pick0 = rng.random(data.t0.size) < _SUBSAMPLE / rows
    x, w, w0 = data.x[pick], data.w[pick], data.w0[pick0]
    if not np.any(x > 0):
        return start, None
    ux, inverse = np.unique(x, return_inverse=True)
    wx = np.bincount(inverse.reshape(-1), weights=w, minlength=ux.size)
    if data.t0.size:
        ux = np.concatenate([[0.0], ux])
        wx = np.concatenate([[float(w0.sum())], wx])
    small = _Data(x, data.t_x[pick], data.t[pick], w, data.t0[pick0], w0, ux, wx,
                  float(w.sum() + w0.sum()))
    try:
        theta, _ = fit_log_params(lambda th: _objective(th, small), start, _NAMES, "BG/NBD")
    except ClvError:
        return start, None
    return theta, objective_hessian(lambda th: _objective(th, small), theta)


def fit_bgnbd(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, *,
              weights: ArrayLike | None = None) -> BgNbdFit:
    """Fit the BG/NBD model to purchase histories by maximum likelihood.

    Parameters
    ----------
    frequency
        Repeat purchases of each customer (purchase days after the first).
    recency
        Days from the first to the last purchase (0 when ``frequency`` is 0).
    T
        Days from the first purchase to the end of observation.
    weights
        Customers each row stands for (default 1 each).

    Returns
    -------
    BgNbdFit
        Parameters in days, total log-likelihood, standard errors.

    Raises
    ------
    ClvError
        NaN, negative or fractional values, recency after ``T``, no repeat buyers, or an
        optimiser that does not converge.

    Notes
    -----
    Maximises :func:`bgnbd_log_likelihood` over :math:`\\ln r, \\ln \\alpha, \\ln a, \\ln b`
    (L-BFGS-B, analytic gradient) with time divided by :math:`\\max T`; :math:`\\alpha` is
    converted back to days. Rows with the same history are fitted once, weighted.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
    way: an alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275–284.

    Examples
    --------
    >>> from workbook.models.value.simulate import simulate_bgnbd
    >>> data = simulate_bgnbd(5_000, r=0.25, alpha=4.0, a=0.8, b=2.5, T_days=365, seed=1)
    >>> fit = fit_bgnbd(data["frequency"], data["recency"], data["T"])
    >>> round(fit.r, 2), round(fit.alpha, 1), round(fit.a, 2), round(fit.b, 1)
    (0.24, 3.8, 0.77, 2.4)
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    w = np.ones_like(x) if weights is None else column("weights", weights, size=x.size)
    if not np.any((x > 0) & (w > 0)):
        raise ClvError("frequency: no repeat buyers (every frequency is 0); the BG/NBD model "
                       "needs customers who bought on at least two days")
    scale = float(t.max())
    if scale <= 0:
        raise ClvError("T: every customer's T is 0; observe customers for at least a day")
    data = _prepare(x, t_x / scale, t / scale, w)
    mean_rate = float(dot(x, w) / max(float(dot(t / scale, w)), 1e-12))  # purchases per unit time
    start = np.log(np.array([1.0, 1.0 / max(mean_rate, 1e-6), 1.0, 1.0]))
    start, curvature = _warm_start(data, start)
    theta, iterations = fit_log_params(lambda th: _objective(th, data), start, _NAMES, "BG/NBD",
                                       curvature=curvature)
    errors = log_space_standard_errors(lambda th: _objective(th, data), theta, data.total)
    r, alpha, a, b = np.exp(theta)
    alpha_days = alpha * scale
    # in days: time scaled by 1/S multiplies each likelihood by S^x (FHL eq. 6)
    total = float(-_objective(theta, data)[0] * data.total - dot(x, w) * np.log(scale))
    return BgNbdFit(
        r=float(r), alpha=float(alpha_days), a=float(a), b=float(b), log_likelihood=total,
        standard_errors={"r": float(errors[0]), "alpha": float(errors[1] * scale),
                         "a": float(errors[2]), "b": float(errors[3])},
        n_customers=float(w.sum()), iterations=iterations,
    )


def _log_odds_dead(fit: BgNbdFit, x: NDArray[np.float64], t_x: NDArray[np.float64],
                   t: NDArray[np.float64]) -> NDArray[np.float64]:
    """ln of P(dropped out) / P(alive) for repeat buyers (−inf for frequency 0)."""
    with np.errstate(divide="ignore"):
        return np.where(
            x > 0,
            np.log(fit.a) - np.log(fit.b + np.maximum(x, 1) - 1)
            + (fit.r + x) * (np.log(fit.alpha + t) - np.log(fit.alpha + t_x)),
            -np.inf)


def probability_alive(fit: BgNbdFit, frequency: ArrayLike, recency: ArrayLike,
                      T: ArrayLike) -> NDArray[np.float64]:
    """Probability that each customer is still a customer at the end of observation.

    Notes
    -----
    .. math:: P(\\text{alive}) = \\Bigl[1 + \\delta_{x>0} \\frac{a}{b+x-1}
              \\Bigl(\\frac{\\alpha+T}{\\alpha+t_x}\\Bigr)^{r+x}\\Bigr]^{-1}

    so a customer with no repeat purchase is alive with probability 1 (under BG/NBD a
    customer can only drop out right after a repeat purchase).

    References
    ----------
    Fader, Hardie & Lee (2008). Computing P(alive) using the BG/NBD model.
    http://brucehardie.com/notes/021/

    Examples
    --------
    >>> fit = BgNbdFit(1.0, 1.0, 1.0, 1.0, 0.0, {}, 1, 0)
    >>> probability_alive(fit, [0, 1], [0, 1], [5, 1]).tolist()  # 1/(1 + 1/1 * 1) = 0.5
    [1.0, 0.5]
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    return expit(-_log_odds_dead(fit, x, t_x, t))


def _hyp2f1_log(a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64],
                z: NDArray[np.float64]) -> NDArray[np.float64]:
    """ln 2F1(a, b; c; z) for 0 <= z < 1, with Euler's transformation where 2F1 overflows."""
    a, b, c, z = np.broadcast_arrays(a, b, c, z)
    with np.errstate(all="ignore"):
        result = np.log(hyp2f1(a, b, c, z))
        bad = ~np.isfinite(result)
        if bad.any():
            a, b, c, z = a[bad], b[bad], c[bad], z[bad]
            result[bad] = np.log(hyp2f1(c - a, c - b, c, z)) + (c - a - b) * np.log1p(-z)
    return result


def _expected_purchases_alive(fit: BgNbdFit, t_days: ArrayLike, x: NDArray[np.float64],
                              t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Expected purchases in the next ``t_days`` of a customer known to be alive (broadcast)."""
    horizon = np.asarray(t_days, dtype=np.float64)
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    if abs(a - 1.0) < 1e-7:  # removable singularity at a = 1: average the two sides
        below = BgNbdFit(r, alpha, 1.0 - 1e-6, b, 0.0, {}, 0, 0)
        above = BgNbdFit(r, alpha, 1.0 + 1e-6, b, 0.0, {}, 0, 0)
        return 0.5 * (_expected_purchases_alive(below, horizon, x, t)
                      + _expected_purchases_alive(above, horizon, x, t))
    c = a + b + x - 1
    if np.any(c <= 0):
        raise ClvError(f"BG/NBD: a + b - 1 = {a + b - 1:.4g} is not positive, so expected "
                       "purchases of customers with no repeat purchase are undefined")
    z = horizon / (alpha + t + horizon)
    log_tail = _hyp2f1_log(r + x, b + x, c, z) + (r + x) * np.log1p(-z)
    value = (a + b + x - 1) / (a - 1) * -np.expm1(log_tail)
    bad = ~np.isfinite(value)
    if np.any(bad):
        raise ClvError("BG/NBD: expected purchases are not finite for some customers "
                       "(the Gauss hypergeometric function overflowed); check the fit")
    return np.where(horizon > 0, value, 0.0)


def expected_purchases(fit: BgNbdFit, t_days: float | ArrayLike, frequency: ArrayLike,
                       recency: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
    """Expected repeat purchases of each customer in the next ``t_days`` days.

    Parameters
    ----------
    fit
        A fitted model.
    t_days
        Days ahead (a number, or an array that broadcasts against the customers).
    frequency, recency, T
        Each customer's history, in days.

    Notes
    -----
    FHL (2005), eq. 10:

    .. math::

        E[Y(t) \\mid x, t_x, T] = P(\\text{alive}) \\, \\frac{a+b+x-1}{a-1}
        \\Bigl[1 - \\Bigl(\\frac{\\alpha+T}{\\alpha+T+t}\\Bigr)^{r+x}
        {}_2F_1\\Bigl(r+x, b+x; a+b+x-1; \\frac{t}{\\alpha+T+t}\\Bigr)\\Bigr]

    evaluated in log space; where :math:`{}_2F_1` overflows, Euler's transformation is used.

    Examples
    --------
    Almost no drop-out (b huge): a new customer buys at the mean rate r/α, 2 × 10/10 = 2.

    >>> fit = BgNbdFit(2.0, 10.0, 0.5, 1e8, 0.0, {}, 1, 0)
    >>> round(float(expected_purchases(fit, 10.0, [0], [0], [0])[0]), 4)
    2.0
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    horizon = np.asarray(t_days, dtype=np.float64)
    if np.any(~np.isfinite(horizon)) or np.any(horizon < 0):
        raise ClvError(f"t_days: expected days ahead, at least 0; got {t_days!r}")
    alive = expit(-_log_odds_dead(fit, x, t_x, t))
    return alive * _expected_purchases_alive(fit, horizon, x, t)


def probability_alive_after(fit: BgNbdFit, t_days: float, frequency: ArrayLike,
                            recency: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
    """Probability that each customer is alive now *and* still alive ``t_days`` days later.

    Notes
    -----
    Given alive at :math:`T`, the posterior is :math:`\\lambda \\sim \\Gamma(r+x, \\alpha+T)`,
    :math:`p \\sim \\mathrm{Beta}(a, b+x)`; drop-outs come at rate :math:`\\lambda p`, so

    .. math::

        S(t) = E\\Bigl[\\Bigl(1 + \\frac{p\\,t}{\\alpha+T}\\Bigr)^{-(r+x)}\\Bigr]
             = {}_2F_1\\Bigl(r+x, a; a+b+x; -\\frac{t}{\\alpha+T}\\Bigr)

    (Euler's integral) and the result is :math:`P(\\text{alive}) \\, S(t)`.

    Examples
    --------
    >>> fit = BgNbdFit(1.0, 1.0, 1.0, 1.0, 0.0, {}, 1, 0)
    >>> probability_alive_after(fit, 0.0, [0], [0], [5]).tolist()
    [1.0]
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    alive = expit(-_log_odds_dead(fit, x, t_x, t))
    survival = hyp2f1(fit.r + x, fit.a, fit.a + fit.b + x, -float(t_days) / (fit.alpha + t))
    if np.any(~np.isfinite(survival)):
        raise ClvError("BG/NBD: survival probability not finite; check the fit")
    return alive * np.clip(survival, 0.0, 1.0)
