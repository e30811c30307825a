"""Service decay: quality left alone runs down; maintenance holds it up, at a price.

Seed 000's "second law of thermodynamics": everything left to itself runs down. Don't paint a
house or mend its roof and in a few years it is a ruin; service is the same and has to be
worked on all the time. The model gives service quality a half-life (a registry figure) and
lets a yearly maintenance spend pull it back up, with diminishing returns. Quality scales the
excellent-service effects of the service-ROI model (:mod:`workbook.models.roi.service_roi`): at
quality ``q`` the customers reached get ``q`` times the spend uplift and ``q`` times the
retention uplift. Lost quality therefore costs margin and retention year after year; the model
finds the maintenance spend that maximises the NPV. :data:`SERVICE_DECAY` declares it once.

Quality index: 1 is the excellent service the ROI model's uplifts assume, 0 none of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.core.declare import Params
from workbook.core.finance import discount_factors
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import require_number
from workbook.models.roi.service_roi import ServiceRoiParams

__all__ = [
    "SERVICE_DECAY",
    "DecayParams",
    "DecayResult",
    "MaintenanceOptimum",
    "compute_service_decay",
    "full_quality_value",
    "npv_by_maintenance",
    "optimal_maintenance",
    "quality_path",
]

_GRID_POINTS = 201  # coarse grid of the optimum search
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayParams(Params):
    """Inputs of the service-decay model; defaults, kinds and limits from the registry.

    Attributes
    ----------
    service_quality_half_life_years
        Years in which quality with no maintenance falls to half (above 0).
    service_quality_initial
        Quality today, from 0 to 1 (1 = the excellent service of the ROI model).
    service_maintenance_spend
        Yearly maintenance spend (currency/year, at least 0), paid at each year end.
    service_maintenance_half_quality_spend
        Yearly maintenance at which quality settles at one half in the long run
        (currency/year, above 0): how effective the spend is.
    """

    service_quality_half_life_years: float = assumed("service_quality_half_life_years")
    service_quality_initial: float = assumed("service_quality_initial")
    service_maintenance_spend: float = assumed("service_maintenance_spend")
    service_maintenance_half_quality_spend: float = assumed(
        "service_maintenance_half_quality_spend")

    @property
    def decay_rate(self) -> float:
        """Rate at which quality runs down, ``ln 2 / service_quality_half_life_years`` (/year)."""
        return math.log(2.0) / self.service_quality_half_life_years

    @property
    def long_run_quality(self) -> float:
        """Quality the maintenance holds in the long run, ``m / (m + m_half)``."""
        spend = self.service_maintenance_spend
        return spend / (spend + self.service_maintenance_half_quality_spend)


def _rates(params: DecayParams, spend: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Total adjustment rate ``k`` and long-run quality ``q*`` for each spend."""
    decay = params.decay_rate
    restore = decay * spend / params.service_maintenance_half_quality_spend
    total = decay + restore
    return total, restore / total


def quality_path(params: DecayParams, years: ArrayLike) -> NDArray[np.float64]:
    """Quality at each time in ``years`` (from today) under the constant maintenance spend.

    Notes
    -----
    Quality runs down at rate :math:`\\lambda = \\ln 2 / T_{1/2}` and maintenance :math:`m`
    restores it at rate :math:`\\rho = \\lambda m / m_{1/2}` times the room left:

    .. math::

        \\frac{dq}{dt} = -\\lambda q + \\rho (1 - q), \\qquad
        q(t) = q^* + (q_0 - q^*) e^{-(\\lambda + \\rho) t}, \\qquad
        q^* = \\frac{\\rho}{\\lambda + \\rho} = \\frac{m}{m + m_{1/2}}

    With no maintenance :math:`q(t) = q_0 2^{-t / T_{1/2}}`: half in one half-life. More
    spend never lowers quality (the right-hand side rises with :math:`\\rho` for
    :math:`q \\le 1`). Maintenance reverses decay when :math:`q_0 < q^*`.

    Examples
    --------
    >>> params = DecayParams(service_maintenance_spend=0, service_quality_half_life_years=3)
    >>> quality_path(params, [0, 3, 6]).tolist()
    [1.0, 0.5, 0.25]
    """
    t = np.asarray(years, dtype=np.float64)
    total, settle = _rates(params, np.float64(params.service_maintenance_spend))
    return settle + (params.service_quality_initial - settle) * np.exp(-total * t)


def _mean_quality(params: DecayParams, spend: NDArray[np.float64],
                  years: int) -> NDArray[np.float64]:
    """Mean quality over each year ``1..years``, one row per spend: shape (spends, years)."""
    total, settle = _rates(params, spend)
    total, settle = total[:, None], settle[:, None]
    start = np.arange(years, dtype=np.float64)[None, :]
    within = (1.0 - np.exp(-total)) / total
    return settle + (params.service_quality_initial - settle) * np.exp(-total * start) * within


def full_quality_value(roi: ServiceRoiParams) -> float:
    """Yearly value of excellent service at quality 1, from the ROI model's inputs.

    ``N s (S u m + Δr A)``: customers reached times the margin on their extra spend plus the
    acquisitions avoided by their extra retention (currency/year).

    Examples
    --------
    >>> full_quality_value(ServiceRoiParams())
    226500.0
    """
    reached = roi.customers * roi.excellent_service_share
    margin = (roi.annual_spend_per_customer * roi.spend_uplift_excellent_service
              * roi.gross_margin_rate)
    return float(reached * (margin + roi.retention_uplift_rate * roi.acquisition_cost))


def npv_by_maintenance(
    params: DecayParams, roi: ServiceRoiParams, spends: ArrayLike
) -> NDArray[np.float64]:
    """NPV of the quality kept, net of maintenance, for each yearly spend in ``spends``.

    Same formula as :func:`compute_service_decay`'s ``npv``, vectorised over spends.
    """
    spend = np.atleast_1d(np.asarray(spends, dtype=np.float64))
    years = roi.horizon_years
    factors = discount_factors(roi.discount_rate, years)[1:]
    value = full_quality_value(roi) * _mean_quality(params, spend, years)
    return (value - spend[:, None]) @ factors


@dataclass(frozen=True, slots=True)
class MaintenanceOptimum:
    """The maintenance spend that maximises the NPV (:func:`optimal_maintenance`).

    Attributes
    ----------
    maintenance_spend
        Best yearly spend over the horizon (currency/year).
    npv
        NPV at that spend.
    long_run_quality
        Quality that spend holds in the long run.
    steady_state_spend
        Best spend for a business that has settled (open horizon, quality at its long-run
        level): ``max(0, sqrt(V m_half) - m_half)``.
    """

    maintenance_spend: float
    npv: float
    long_run_quality: float
    steady_state_spend: float


def optimal_maintenance(
    params: DecayParams, roi: ServiceRoiParams | None = None, *, tolerance: float = 1.0
) -> MaintenanceOptimum:
    """The yearly maintenance spend that maximises the NPV over the ROI horizon.

    Parameters
    ----------
    params
        Decay inputs (``service_maintenance_spend`` is ignored: it is what is searched).
    roi
        Service-ROI inputs; registry defaults when omitted.
    tolerance
        Width (currency/year) to which the optimum is narrowed.

    Notes
    -----
    A bounded search over :math:`[0, V]`, where :math:`V` is :func:`full_quality_value`:
    spending more than :math:`V` a year cannot pay, since quality never exceeds 1, whereas no
    spend has a non-negative NPV. A grid of 201 spends finds the best cell; a golden-section
    search then narrows the interval between its neighbours to ``tolerance``. The grid guards
    against a second local peak; within a cell the NPV is smooth and, in practice, unimodal.

    In the steady state, where :math:`q = q^* = m / (m + m_{1/2})` every year, the yearly net
    value :math:`V q^* - m` is concave and peaks at :math:`m^* = \\sqrt{V m_{1/2}} - m_{1/2}`
    (0 when :math:`V \\le m_{1/2}`), reported as ``steady_state_spend``.

    Examples
    --------
    >>> best = optimal_maintenance(DecayParams())
    >>> round(best.steady_state_spend)
    47305
    """
    roi = roi if roi is not None else ServiceRoiParams()
    tolerance = require_number("tolerance", tolerance, low=1e-9)
    full = full_quality_value(roi)
    half = params.service_maintenance_half_quality_spend
    steady = max(0.0, math.sqrt(full * half) - half)
    if full <= 0:
        npv = float(npv_by_maintenance(params, roi, [0.0])[0])
        return MaintenanceOptimum(0.0, npv, 0.0, steady)
    grid = np.linspace(0.0, full, _GRID_POINTS)
    best = int(np.argmax(npv_by_maintenance(params, roi, grid)))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, _GRID_POINTS - 1)]

    def npv(spend: float) -> float:
        return float(npv_by_maintenance(params, roi, [spend])[0])

    a, b = high - _GOLDEN * (high - low), low + _GOLDEN * (high - low)
    fa, fb = npv(a), npv(b)
    while high - low > tolerance:
        if fa >= fb:
            high, b, fb = b, a, fa
            a = high - _GOLDEN * (high - low)
            fa = npv(a)
        else:
            low, a, fa = a, b, fb
            b = low + _GOLDEN * (high - low)
            fb = npv(b)
    candidates = np.array([low, high, 0.5 * (low + high), grid[best]])
    values = npv_by_maintenance(params, roi, candidates)
    spend = float(candidates[int(np.argmax(values))])
    return MaintenanceOptimum(spend, float(values.max()), spend / (spend + half), steady)


@dataclass(frozen=True, slots=True)
class DecayResult:
    """Outputs of :func:`compute_service_decay`. Arrays run over years ``0..horizon_years``.

    Attributes
    ----------
    params, roi
        The inputs.
    quality, quality_without_maintenance
        Quality at each year end (today at index 0), with the maintenance and with none.
    mean_quality
        Mean quality during each year (index 0: today's quality, no flow).
    full_quality_value
        Yearly value at quality 1 (:func:`full_quality_value`).
    value
        Value of the quality kept in each year, ``V * mean_quality`` (0 in year 0).
    maintenance_cost
        The yearly spend (0 in year 0).
    cash_flow
        ``value - maintenance_cost``.
    discount_factor
        ``(1 + discount_rate) ** -t``.
    npv, npv_without_maintenance
        NPV of ``cash_flow``, and of the value kept with no maintenance.
    maintenance_npv
        ``npv - npv_without_maintenance``: what the maintenance itself adds.
    spend_grid, npv_grid
        The NPV at 61 spends from 0 to twice the larger of the spend and the optimum.
    optimum
        :func:`optimal_maintenance`.
    """

    params: DecayParams
    roi: ServiceRoiParams
    quality: NDArray[np.float64]
    quality_without_maintenance: NDArray[np.float64]
    mean_quality: NDArray[np.float64]
    full_quality_value: float
    value: NDArray[np.float64]
    maintenance_cost: NDArray[np.float64]
    cash_flow: NDArray[np.float64]
    discount_factor: NDArray[np.float64]
    npv: float
    npv_without_maintenance: float
    maintenance_npv: float
    spend_grid: NDArray[np.float64]
    npv_grid: NDArray[np.float64]
    optimum: MaintenanceOptimum

    def yearly_table(self) -> pd.DataFrame:
        """One row per year: quality, value kept, value lost against today, cost, cash."""
        lost = self.full_quality_value * (self.params.service_quality_initial - self.mean_quality)
        lost[0] = 0.0
        return pd.DataFrame(
            {
                "quality": self.quality,
                "quality_without_maintenance": self.quality_without_maintenance,
                "mean_quality": self.mean_quality,
                "value": self.value,
                "value_lost_vs_today": lost,
                "maintenance_cost": self.maintenance_cost,
                "cash_flow": self.cash_flow,
                "discounted_cash_flow": self.cash_flow * self.discount_factor,
            },
            index=pd.RangeIndex(len(self.quality), name="year"),
        )

    def headline(self) -> dict[str, float]:
        """The headline numbers (JSON-ready)."""
        return {
            "npv": self.npv,
            "maintenance_npv": self.maintenance_npv,
            "quality_at_horizon": float(self.quality[-1]),
            "quality_at_horizon_without_maintenance": float(self.quality_without_maintenance[-1]),
            "long_run_quality": self.params.long_run_quality,
            "optimal_maintenance_spend": self.optimum.maintenance_spend,
            "optimal_npv": self.optimum.npv,
        }


def compute_service_decay(
    params: DecayParams, roi: ServiceRoiParams | None = None
) -> DecayResult:
    """Quality path, value kept and NPV of a maintenance spend, and the best spend.

    Parameters
    ----------
    params
        Decay inputs; see :class:`DecayParams`.
    roi
        Service-ROI inputs (customers, reach, spend, margin, uplifts, acquisition cost,
        horizon, discount rate); registry defaults when omitted.

    Returns
    -------
    DecayResult

    Notes
    -----
    Quality follows :func:`quality_path`. Year :math:`t`'s value is earned through the year,
    at the year's mean quality,

    .. math::

        \\bar q_t = \\int_{t-1}^{t} q(s)\\,ds
                  = q^* + (q_0 - q^*) e^{-k (t-1)} \\frac{1 - e^{-k}}{k},
        \\qquad k = \\lambda + \\rho

    and booked, with the maintenance :math:`m`, at the year end (the convention of
    :mod:`workbook.core.finance` and of the ROI model's yearly programme cost):

    .. math::

        CF_t = V \\bar q_t - m, \\qquad
        \\mathrm{NPV} = \\sum_{t=1}^{H} CF_t (1 + d)^{-t}, \\qquad
        V = N s (S u \\mu + \\Delta r A)

    with the ROI model's customers :math:`N`, reach :math:`s`, spend :math:`S`, spend uplift
    :math:`u`, margin :math:`\\mu`, retention uplift :math:`\\Delta r` and acquisition cost
    :math:`A`. As in the ROI model, the base is held at :math:`N` by replacing lost
    customers, so lost retention costs acquisitions rather than a shrinking base. The ROI
    model's programme costs (``upfront_investment``, ``annual_service_cost``) are not
    counted: here the cost is the maintenance.

    References
    ----------
    "3 main laws of customer service" (seed 000): law 3, the second law of thermodynamics.

    Examples
    --------
    >>> result = compute_service_decay(DecayParams())
    >>> [round(float(q), 3) for q in (result.quality[-1], result.quality_without_maintenance[-1])]
    [0.677, 0.315]
    >>> round(result.optimum.maintenance_spend, -2)
    12200.0
    """
    roi = roi if roi is not None else ServiceRoiParams()
    years = roi.horizon_years
    t = np.arange(years + 1, dtype=np.float64)
    spend = params.service_maintenance_spend
    full = full_quality_value(roi)
    mean = np.r_[params.service_quality_initial,
                 _mean_quality(params, np.array([spend]), years)[0]]
    value = full * mean
    value[0] = 0.0
    cost = np.r_[0.0, np.full(years, spend)]
    factors = discount_factors(roi.discount_rate, years)
    npv = float((value - cost) @ factors)
    npv_without = float(npv_by_maintenance(params, roi, [0.0])[0])
    optimum = optimal_maintenance(params, roi)
    grid = np.linspace(0.0, 2.0 * max(spend, optimum.maintenance_spend, 1.0), 61)
    return DecayResult(
        params=params,
        roi=roi,
        quality=quality_path(params, t),
        quality_without_maintenance=quality_path(params.replace(service_maintenance_spend=0.0), t),
        mean_quality=mean,
        full_quality_value=full,
        value=value,
        maintenance_cost=cost,
        cash_flow=value - cost,
        discount_factor=factors,
        npv=npv,
        npv_without_maintenance=npv_without,
        maintenance_npv=npv - npv_without,
        spend_grid=grid,
        npv_grid=npv_by_maintenance(params, roi, grid),
        optimum=optimum,
    )


SERVICE_DECAY: Model[DecayParams, DecayResult] = Model(
    name="service_decay",
    params_type=DecayParams,
    compute=compute_service_decay,
    headline=DecayResult.headline,
)
"""The service-decay model, declared once: :class:`DecayParams` in, :class:`DecayResult` out
(with the service-ROI registry defaults; :func:`compute_service_decay` takes your own)."""
