"""The Gamma-Gamma spend model: what a customer spends per purchase.

Fader & Hardie (2013). Each purchase's spend is Gamma(p, ν) around the customer's own mean
p/ν; across customers ν ~ Gamma(q, v). Fitted on repeat buyers (frequency > 0) from their
number of repeat purchases and the mean spend of those purchases, by maximum likelihood with
the analytic gradient in log-parameters, on spend rescaled to mean 1 for conditioning (``v``
is reported in currency). The model assumes spend per purchase does not depend on how often a
customer buys: check the correlation of frequency and monetary value before trusting it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, gammaln

from workbook.models.value.inputs import (
    ClvError,
    column,
    dot,
    fit_log_params,
    log_space_standard_errors,
    unique_rows,
)

__all__ = [
    "GammaGammaFit",
    "expected_spend",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
]

_NAMES = ("p", "q", "v")


@dataclass(frozen=True, slots=True)
class GammaGammaFit:
    """A fitted Gamma-Gamma model (spend in the currency of the input).

    Attributes
    ----------
    p
        Shape of the spend of one purchase around the customer's mean.
    q, v
        Shape and rate of the Gamma distribution of ν across customers: the population's mean
        spend per purchase is ``p * v / (q - 1)`` (finite when ``q > 1``).
    log_likelihood
        Total log-likelihood of the repeat buyers' mean spends (lifetimes' definition).
    standard_errors
        Standard error of each parameter by name.
    n_customers
        Repeat buyers fitted.
    """

    p: float
    q: float
    v: float
    log_likelihood: float
    standard_errors: dict[str, float]
    n_customers: int

    @property
    def params(self) -> dict[str, float]:
        """``{"p": ..., "q": ..., "v": ...}``."""
        return {"p": self.p, "q": self.q, "v": self.v}

    @property
    def mean_spend(self) -> float:
        """The population's mean spend per purchase, ``p v / (q - 1)``."""
        if self.q <= 1:
            raise ClvError(f"Gamma-Gamma: q = {self.q:.4g} is at most 1, so the population's "
                           "mean spend per purchase is infinite")
        return self.p * self.v / (self.q - 1)


def _rows(params: NDArray[np.float64], x: NDArray[np.float64],
          m: NDArray[np.float64]) -> NDArray[np.float64]:
    p, q, v = params
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(x * m + v))


def _repeat_buyers(frequency: ArrayLike,
                   monetary_value: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = column("frequency", frequency)
    m = column("monetary_value", monetary_value, size=x.size)
    repeat = x > 0
    if not repeat.any():
        raise ClvError("frequency: no repeat buyers (every frequency is 0); the Gamma-Gamma "
                       "model needs customers who bought on at least two days")
    zero = repeat & (m <= 0)
    if zero.any():
        where = np.flatnonzero(zero)
        raise ClvError(f"monetary_value: must be above 0 for repeat buyers; 0 in {where.size} "
                       f"row(s), first at position(s) {', '.join(map(str, where[:5]))}")
    return x[repeat], m[repeat]


def gamma_gamma_log_likelihood(p: float, q: float, v: float, frequency: ArrayLike,
                               monetary_value: ArrayLike) -> float:
    """Total Gamma-Gamma log-likelihood of the repeat buyers' mean spends.

    Notes
    -----
    With :math:`x` repeat purchases of mean spend :math:`m` (Fader & Hardie 2013, eq. 1a):

    .. math::

        \\ell = \\ln\\frac{\\Gamma(px+q)}{\\Gamma(px)\\Gamma(q)} + q\\ln v + (px-1)\\ln m
              + px\\ln x - (px+q)\\ln(xm+v)

    summed over customers with :math:`x > 0`; lifetimes' ``GammaGammaFitter`` reports minus
    its mean.

    Examples
    --------
    >>> round(gamma_gamma_log_likelihood(1.0, 1.0, 1.0, [1], [1.0]), 6)  # ln(1/4)
    -1.386294
    """
    x, m = _repeat_buyers(frequency, monetary_value)
    return float(_rows(np.array([p, q, v], dtype=np.float64), x, m).sum())


@dataclass(frozen=True, slots=True)
class _Data:
    x: NDArray[np.float64]
    m: NDArray[np.float64]
    w: NDArray[np.float64]
    ux: NDArray[np.float64]
    wx: NDArray[np.float64]
    wx_x: NDArray[np.float64]  # total weight × x per distinct x
    sum_x_log_m: float
    sum_log_m: float
    sum_x_log_x: float
    total: float


def _objective(theta: NDArray[np.float64], d: _Data) -> tuple[float, NDArray[np.float64]]:
    """Mean negative log-likelihood and its analytic gradient in log-parameters."""
    p, q, v = np.exp(theta)
    ux, wx = d.ux, d.wx
    px = p * ux
    ll = dot(gammaln(px + q) - gammaln(px) - gammaln(q), wx) + q * np.log(v) * d.total
    ll += p * (d.sum_x_log_m + d.sum_x_log_x) - d.sum_log_m
    xm_v = d.x * d.m + v
    log_xm_v = np.log(xm_v)
    wpx_q = d.w * (p * d.x + q)
    ll -= dot(wpx_q, log_xm_v)
    dig = digamma(px + q)
    dp = dot(dig - digamma(px), d.wx_x) + d.sum_x_log_m + d.sum_x_log_x
    dp -= dot(d.w * d.x, log_xm_v)
    dq = dot(dig - digamma(q), wx) + (np.log(v)) * d.total - dot(d.w, log_xm_v)
    dv = q / v * d.total - dot(wpx_q, 1.0 / xm_v)
    gradient = np.array([dp * p, dq * q, dv * v])
    return -ll / d.total, -gradient / d.total


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGammaFit:
    """Fit the Gamma-Gamma spend model to repeat buyers by maximum likelihood.

    Parameters
    ----------
    frequency
        Repeat purchases of each customer; customers with 0 are left out.
    monetary_value
        Mean spend of each customer's repeat purchases (above 0 for repeat buyers).

    Returns
    -------
    GammaGammaFit

    Raises
    ------
    ClvError
        NaN or negative values, a repeat buyer with no spend, no repeat buyers, or an
        optimiser that does not converge.

    Notes
    -----
    Maximises :func:`gamma_gamma_log_likelihood` over :math:`\\ln p, \\ln q, \\ln v`
    (L-BFGS-B, analytic gradient) with spend divided by its mean; ``v`` is converted back.
    Customers with the same ``(frequency, monetary_value)`` are fitted once, weighted.

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
    http://brucehardie.com/notes/025/

    Examples
    --------
    >>> from workbook.models.value.simulate import simulate_gamma_gamma
    >>> x = np.random.default_rng(0).integers(1, 10, size=20_000).astype(float)
    >>> fit = fit_gamma_gamma(x, simulate_gamma_gamma(x, p=6.0, q=4.0, v=15.0, seed=1))
    >>> round(fit.p, 1), round(fit.q, 1), round(fit.v, 1)
    (5.8, 4.0, 15.6)
    """
    x, m = _repeat_buyers(frequency, monetary_value)
    scale = float(m.mean())
    (ux_rows, um), w, _ = unique_rows([x, m / scale], np.ones_like(x))
    ux, inverse = np.unique(ux_rows, return_inverse=True)
    wx = np.bincount(inverse.reshape(-1), weights=w, minlength=ux.size)
    data = _Data(ux_rows, um, w, ux, wx, wx * ux,
                 sum_x_log_m=dot(w * ux_rows, np.log(um)), sum_log_m=dot(w, np.log(um)),
                 sum_x_log_x=dot(w * ux_rows, np.log(ux_rows)), total=float(w.sum()))
    start = np.zeros(3)
    theta, _ = fit_log_params(lambda th: _objective(th, data), start, _NAMES, "Gamma-Gamma")
    errors = log_space_standard_errors(lambda th: _objective(th, data), theta, data.total)
    p, q, v = np.exp(theta)
    total = float(_rows(np.array([p, q, v * scale]), x, m).sum())
    return GammaGammaFit(
        p=float(p), q=float(q), v=float(v * scale), log_likelihood=total,
        standard_errors={"p": float(errors[0]), "q": float(errors[1]),
                         "v": float(errors[2] * scale)},
        n_customers=int(x.size),
    )


def expected_spend(fit: GammaGammaFit, frequency: ArrayLike,
                   monetary_value: ArrayLike) -> NDArray[np.float64]:
    """Expected mean spend of each customer's future purchases, given their history.

    Notes
    -----
    Fader & Hardie (2013), eq. 5: a weighted mean of the customer's own mean spend
    :math:`m` and the population mean,

    .. math:: E[M \\mid x, m] = \\frac{p\\,(v + x m)}{p x + q - 1}

    so a customer with no repeat purchase is expected to spend the population mean
    :math:`p v / (q - 1)`. Needs :math:`q > 1`.

    Examples
    --------
    >>> fit = GammaGammaFit(p=6.0, q=4.0, v=15.0, log_likelihood=0.0, standard_errors={},
    ...                     n_customers=1)
    >>> expected_spend(fit, [0, 2], [0.0, 50.0]).tolist()  # 6·15/3; 6·(15+100)/15
    [30.0, 46.0]
    """
    x = column("frequency", frequency)
    m = column("monetary_value", monetary_value, size=x.size)
    if fit.q <= 1:
        raise ClvError(f"Gamma-Gamma: q = {fit.q:.4g} is at most 1, so expected spend is "
                       "infinite (too few repeat buyers, or spend with a very heavy tail)")
    m = np.where(x > 0, m, 0.0)
    return fit.p * (fit.v + x * m) / (fit.p * x + fit.q - 1)
