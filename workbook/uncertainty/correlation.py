"""Rank correlation between uncertain inputs: a Gaussian copula by reordering (Iman–Conover).

Spend uplift and retention uplift both come from the same service quality: a programme that
lifts one more than expected likely lifts the other. Treating them as independent understates
how wide the outcomes spread. :func:`correlate_uniforms` gives a set of inputs a requested
*rank* (Spearman) correlation without changing any input's own distribution: each input keeps
exactly its uniform numbers, only their order across the draws changes, following the ranks of
correlated normal scores. This is a Gaussian copula, rank for rank.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.validation import ParameterError

__all__ = ["correlate_uniforms", "normal_correlation_for_rank", "rank_correlation"]


def normal_correlation_for_rank(rank_corr: ArrayLike) -> NDArray[np.float64]:
    """The normal (Pearson) correlation whose Gaussian copula has rank correlation ``rank_corr``.

    Notes
    -----
    For a bivariate normal with correlation :math:`\\rho`, Spearman's rank correlation is
    :math:`\\rho_S = (6/\\pi) \\arcsin(\\rho/2)`, so :math:`\\rho = 2 \\sin(\\pi \\rho_S / 6)`.

    References
    ----------
    Pearson, K. (1907). *On Further Methods of Determining Correlation*. Drapers' Company
    Research Memoirs, Biometric Series IV (the arcsine relation).

    Examples
    --------
    >>> round(float(normal_correlation_for_rank(0.5)), 4)
    0.5176
    """
    return 2.0 * np.sin(math.pi * np.asarray(rank_corr, dtype=np.float64) / 6.0)


def rank_correlation(first: ArrayLike, second: ArrayLike) -> float:
    """Spearman's rank correlation of two samples without ties (Pearson of the ranks).

    Examples
    --------
    >>> round(rank_correlation([1, 2, 3, 4], [10, 20, 40, 30]), 6)
    0.8
    """
    ranks = [np.argsort(np.argsort(np.asarray(x))).astype(np.float64) for x in (first, second)]
    return float(np.corrcoef(ranks[0], ranks[1])[0, 1])


def correlate_uniforms(
    uniforms: ArrayLike, rank_corr: ArrayLike, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Reorder each row of ``uniforms`` so the rows have rank correlation ``rank_corr``.

    Parameters
    ----------
    uniforms
        Shape ``(k, n)``: ``n`` independent uniform numbers for each of ``k`` inputs.
    rank_corr
        Shape ``(k, k)``: the requested Spearman correlation, symmetric with a unit diagonal.
    rng
        Source of the normal scores.

    Returns
    -------
    numpy.ndarray
        Shape ``(k, n)``; row ``j`` holds the same numbers as ``uniforms[j]``, reordered.

    Raises
    ------
    ParameterError
        When ``rank_corr`` is not a valid correlation matrix.

    Notes
    -----
    Draw normal scores :math:`Z = L E` with :math:`E` independent standard normals and
    :math:`L L^\\top` the normal correlation matrix of :func:`normal_correlation_for_rank`;
    then give the :math:`r`-th smallest number of row :math:`j` to the draw holding the
    :math:`r`-th smallest score of row :math:`j`. The rows' rank correlation is that of the
    scores: :math:`\\rho_S` in expectation, within sampling error
    (about :math:`(1 - \\rho_S^2)/\\sqrt{n}`).

    References
    ----------
    Iman, R. L. & Conover, W. J. (1982). A distribution-free approach to inducing rank
    correlation among input variables. *Communications in Statistics – Simulation and
    Computation* 11(3), 311–334.
    """
    u = np.asarray(uniforms, dtype=np.float64)
    target = np.asarray(rank_corr, dtype=np.float64)
    k = u.shape[0]
    if (target.shape != (k, k) or not np.allclose(target, target.T)
            or not np.allclose(np.diag(target), 1.0) or np.any(np.abs(target) > 1.0)):
        raise ParameterError("rank_correlation",
                             f"a symmetric {k}×{k} matrix with unit diagonal and entries in "
                             "[-1, 1]", target.tolist())
    try:
        lower = np.linalg.cholesky(normal_correlation_for_rank(target))
    except np.linalg.LinAlgError:
        raise ParameterError("rank_correlation", "a positive definite correlation matrix",
                             target.tolist()) from None
    scores = lower @ rng.standard_normal(u.shape)
    reordered = np.empty_like(u)
    for j in range(k):
        reordered[j, np.argsort(scores[j])] = np.sort(u[j])
    return reordered
