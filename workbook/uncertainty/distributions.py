"""Bounded distributions of an uncertain input: triangular and PERT, mode at the value.

A figure such as "3–5 people" or "about five times" says where a value most likely lies and
how far it may stray. Both distributions here take exactly that: a ``low``, a most likely value
(``mode``) and a ``high``. Draws come from the quantile function applied to uniform numbers, so
the same uniforms (the same seed) give draws that move smoothly when a slider moves the mode or
a bound: a dashboard's risk panel does not flicker with sampling noise.

Which one: **PERT** (the default) is a beta distribution rescaled to ``[low, high]`` whose
weight on the mode is ``pert_shape`` (λ, 4 in the classic PERT); it puts less weight on the
extremes than the **triangular** with the same three numbers, which suits figures that are
"about" a value. The triangular is the plainer, more cautious choice (fatter tails).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.declare import Params, declared, number
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError, require_number

__all__ = ["DISTRIBUTION_KINDS", "InputDistribution"]

DISTRIBUTION_KINDS: tuple[str, ...] = ("pert", "triangular")
"""Names accepted for :attr:`InputDistribution.kind`."""

_PERT_NODES = 4096
"""Intervals of the table behind the PERT quantile function (see :meth:`quantile`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InputDistribution(Params):
    """A triangular or PERT distribution on ``[low, high]`` with its mode at ``mode``.

    Attributes
    ----------
    low, mode, high
        Bounds and most likely value, ``low <= mode <= high``. ``low == high`` is a fixed
        value (every draw equals it).
    kind
        ``"pert"`` or ``"triangular"``.
    pert_shape
        λ, the PERT weight of the mode (ignored by the triangular). 4 is the classic PERT;
        larger values concentrate the draws near the mode, 0 gives the uniform distribution.

    Notes
    -----
    With :math:`a` = ``low``, :math:`m` = ``mode``, :math:`b` = ``high``:

    Triangular: mean :math:`(a + m + b)/3`, variance
    :math:`(a^2 + m^2 + b^2 - am - ab - mb)/18`, quantile
    :math:`a + \\sqrt{u (b-a)(m-a)}` for :math:`u < c = (m-a)/(b-a)`, else
    :math:`b - \\sqrt{(1-u)(b-a)(b-m)}`.

    PERT: :math:`a + (b-a) X` with :math:`X \\sim \\mathrm{Beta}(\\alpha, \\beta)`,
    :math:`\\alpha = 1 + \\lambda (m-a)/(b-a)`, :math:`\\beta = 1 + \\lambda (b-m)/(b-a)`; mean
    :math:`\\mu = (a + \\lambda m + b)/(\\lambda + 2)`, variance
    :math:`(\\mu - a)(b - \\mu)/(\\lambda + 3)`. The beta quantile has no closed form: the
    cumulative distribution is integrated by the trapezoid rule on 4,096 intervals of
    :math:`\\theta`, with :math:`x = (1 - \\cos\\theta)/2` crowding the nodes at both ends
    where the density bends most, and inverted by linear interpolation. The error is below
    :math:`10^{-6}` of the range for λ up to 10 (checked against ``scipy.stats.beta.ppf``),
    far below the sampling error of 10,000 draws.

    References
    ----------
    Malcolm, D. G., Roseboom, J. H., Clark, C. E. & Fazar, W. (1959). Application of a
    technique for research and development program evaluation. *Operations Research* 7(5),
    646–669. Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley
    (the PERT and modified PERT distributions).

    Examples
    --------
    >>> pert = InputDistribution(low=0.03, mode=0.09, high=0.15)
    >>> round(pert.mean, 4), round(pert.quantile(0.5).item(), 4)
    (0.09, 0.09)
    >>> triangle = InputDistribution(low=3, mode=4, high=7, kind="triangular")
    >>> round(triangle.mean, 4), round(triangle.variance, 4)
    (4.6667, 0.7222)
    """

    low: float = declared(dataclasses.MISSING, number())
    mode: float = declared(dataclasses.MISSING, number())
    high: float = declared(dataclasses.MISSING, number())
    kind: str = declared("pert")
    pert_shape: float = assumed("pert_shape")

    def check(self) -> None:
        """The mode lies within ``[low, high]``; ``kind`` is one of :data:`DISTRIBUTION_KINDS`."""
        object.__setattr__(self, "mode",
                           require_number("mode", self.mode, low=self.low, high=self.high))
        if self.kind not in DISTRIBUTION_KINDS:
            raise ParameterError("kind", f"one of {', '.join(DISTRIBUTION_KINDS)}", self.kind)

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    @property
    def pert_alpha_beta(self) -> tuple[float, float]:
        """The beta shape parameters (α, β) of the PERT (1, 1 when the range is empty)."""
        if self.width == 0:
            return 1.0, 1.0
        lam, a, m, b = self.pert_shape, self.low, self.mode, self.high
        return 1.0 + lam * (m - a) / (b - a), 1.0 + lam * (b - m) / (b - a)

    @property
    def mean(self) -> float:
        """Expected value (formula in the class Notes)."""
        a, m, b = self.low, self.mode, self.high
        if self.kind == "triangular":
            return (a + m + b) / 3.0
        return (a + self.pert_shape * m + b) / (self.pert_shape + 2.0)

    @property
    def variance(self) -> float:
        """Variance (formula in the class Notes)."""
        a, m, b = self.low, self.mode, self.high
        if self.kind == "triangular":
            return (a * a + m * m + b * b - a * m - a * b - m * b) / 18.0
        mu = self.mean
        return (mu - a) * (b - mu) / (self.pert_shape + 3.0)

    def quantile(self, u: ArrayLike) -> NDArray[np.float64]:
        """The value below which a share ``u`` of the draws falls (``u`` in ``[0, 1]``).

        Increasing in ``u``; ``quantile(0) == low`` and ``quantile(1) == high``.
        """
        u = np.asarray(u, dtype=np.float64)
        if self.width == 0:
            return np.full(u.shape, self.low)
        if self.kind == "triangular":
            return self._triangular_quantile(u)
        return self.low + self.width * _beta_quantile(u, *self.pert_alpha_beta)

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """``size`` independent draws, as ``quantile(rng.random(size))``."""
        return self.quantile(rng.random(size))

    def _triangular_quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        a, m, b = self.low, self.mode, self.high
        split = (m - a) / (b - a)
        lower = a + np.sqrt(u * (b - a) * (m - a))
        upper = b - np.sqrt((1.0 - u) * (b - a) * (b - m))
        return np.where(u < split, lower, upper)


def _beta_quantile(u: NDArray[np.float64], alpha: float, beta: float) -> NDArray[np.float64]:
    """Quantile of Beta(α, β), α, β >= 1, by a tabulated and inverted distribution function."""
    theta = np.linspace(0.0, math.pi, _PERT_NODES + 1)
    x = 0.5 * (1.0 - np.cos(theta))
    # density in theta: x^(α-1) (1-x)^(β-1) dx/dθ, with dx/dθ = sin(θ)/2
    density = x ** (alpha - 1.0) * (1.0 - x) ** (beta - 1.0) * (0.5 * np.sin(theta))
    steps = 0.5 * (density[1:] + density[:-1]) * np.diff(theta)
    cdf = np.concatenate([[0.0], np.cumsum(steps)])
    cdf /= cdf[-1]
    return np.interp(u, cdf, x)
