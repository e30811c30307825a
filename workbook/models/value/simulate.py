"""Seeded simulators of the BG/NBD and Gamma-Gamma models, for tests and benchmarks.

Data drawn from known parameters let the tests check that the fits recover them, and let the
benchmark build a customer base of any size. Both are vectorised (no loop over customers) and
give the same data for the same seed on every run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.core.validation import require_integer, require_number

__all__ = ["simulate_bgnbd", "simulate_gamma_gamma"]


def simulate_bgnbd(n_customers: int, r: float, alpha: float, a: float, b: float,
                   T_days: float | ArrayLike, seed: int, *,
                   whole_days: bool = False) -> pd.DataFrame:
    """Purchase histories drawn from the BG/NBD model.

    Parameters
    ----------
    n_customers
        Customers to draw.
    r, alpha, a, b
        Model parameters, ``alpha`` per day (see :class:`workbook.models.value.bgnbd.BgNbdFit`).
    T_days
        Days each customer has been observed since their first purchase: one number, or one
        per customer.
    seed
        Seed of the random generator.
    whole_days
        Round ``recency`` and ``T`` down to whole days, as a transaction log summarised by day
        gives them (frequency is not collapsed to distinct days).

    Returns
    -------
    pandas.DataFrame
        ``frequency, recency, T`` plus the drawn ``purchase_rate`` (per day),
        ``dropout_probability`` and ``alive`` (still alive at ``T``), indexed ``0..n-1``.

    Notes
    -----
    Per customer :math:`\\lambda \\sim \\Gamma(r, \\alpha)`, :math:`p \\sim \\mathrm{Beta}(a,
    b)`. The repeat purchases before drop-out number :math:`J \\sim \\mathrm{Geometric}(p)`
    (drop-out after each with probability :math:`p`); those that fall in :math:`(0, T]` number
    :math:`N \\sim \\mathrm{Poisson}(\\lambda T)`, so :math:`x = \\min(J, N)`, and the
    :math:`x`-th of :math:`N` uniform arrival times is :math:`T \\cdot \\mathrm{Beta}(x,
    N - x + 1)`: the recency.

    Examples
    --------
    >>> data = simulate_bgnbd(3, 0.5, 10.0, 1.0, 2.0, T_days=100, seed=0)
    >>> list(data.columns)
    ['frequency', 'recency', 'T', 'purchase_rate', 'dropout_probability', 'alive']
    """
    n = require_integer("n_customers", n_customers, low=1)
    for name, value in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        require_number(name, value, low=1e-12)
    rng = np.random.default_rng(seed)
    t = np.broadcast_to(np.asarray(T_days, dtype=np.float64), (n,)).copy()
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("T_days: expected days of at least 0")
    rate = rng.gamma(r, 1.0 / alpha, size=n)
    dropout = rng.beta(a, b, size=n)
    before_dropout = rng.geometric(np.clip(dropout, 1e-300, 1.0))
    arrivals = rng.poisson(rate * t)
    x = np.minimum(before_dropout, arrivals)
    safe_x = np.maximum(x, 1)
    recency = np.where(x > 0, t * rng.beta(safe_x, np.maximum(arrivals - x + 1, 1)), 0.0)
    if whole_days:
        t = np.floor(t)
        recency = np.minimum(np.floor(recency), t)
    return pd.DataFrame({
        "frequency": x.astype(np.float64),
        "recency": recency,
        "T": t,
        "purchase_rate": rate,
        "dropout_probability": dropout,
        "alive": before_dropout > arrivals,
    })


def simulate_gamma_gamma(frequency: ArrayLike, p: float, q: float, v: float,
                         seed: int) -> NDArray[np.float64]:
    """Mean spend per repeat purchase drawn from the Gamma-Gamma model (0 where frequency 0).

    Notes
    -----
    Per customer :math:`\\nu \\sim \\Gamma(q, v)` (rate :math:`v`); each purchase's spend
    :math:`z \\sim \\Gamma(p, \\nu)`, so the sum of :math:`x` purchases is
    :math:`\\Gamma(p x, \\nu)` and the mean is that sum over :math:`x`.

    Examples
    --------
    >>> simulate_gamma_gamma([0, 3], p=6.0, q=4.0, v=15.0, seed=0)[0]
    np.float64(0.0)
    """
    x = np.asarray(frequency, dtype=np.float64)
    for name, value in (("p", p), ("q", q), ("v", v)):
        require_number(name, value, low=1e-12)
    rng = np.random.default_rng(seed)
    nu = rng.gamma(q, 1.0 / v, size=x.shape)
    total = rng.gamma(np.maximum(p * x, 1e-12), 1.0 / nu)
    return np.where(x > 0, total / np.maximum(x, 1), 0.0)
