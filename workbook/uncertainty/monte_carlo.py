"""One Monte Carlo over any model: draw the uncertain inputs, run the model's core on all draws.

:func:`simulate` takes a :class:`~workbook.core.model.Model` (the service ROI, complaint
recovery, word of mouth, ...), draws every uncertain input of its parameters
(:func:`~workbook.uncertainty.inputs.sample_inputs`: registry ranges cut to the declared limits
and the model's rules across fields) and runs the model's vectorised core
(:attr:`~workbook.core.model.Model.outcomes`) on all draws at once: the very lines its
``compute`` runs on single numbers. So when every range collapses to its value, each draw
equals the deterministic model exactly, by construction. The result, :class:`Simulation`, holds
every outcome per draw with percentile and probability helpers; the per-model results
(:class:`~workbook.uncertainty.simulation.RoiSimulation`,
:class:`~workbook.uncertainty.recovery.RecoverySimulation`) add their own names on top.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.model import Model
from workbook.uncertainty.inputs import UncertaintyParams, sample_inputs

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HEADLINE_PERCENTILES", "Simulation", "percentile", "simulate"]

HEADLINE_PERCENTILES: tuple[int, int, int] = (10, 50, 90)
"""P10, P50, P90: a pessimistic case, the median, an optimistic case."""


def percentile(values: ArrayLike, p: float, *, missing_is_worst: bool = False) -> float | None:
    """The ``p``-th percentile of ``values`` (``p`` in ``[0, 100]``), linear between draws.

    Parameters
    ----------
    values
        The draws; ``nan`` marks a draw with no value.
    p
        Percent of the draws at or below the result.
    missing_is_worst
        Treat ``nan`` as larger than any value (a payback that never comes) instead of
        leaving those draws out.

    Returns
    -------
    float or None
        ``None`` when no draw has a value, or when the percentile falls among the missing
        draws.

    Notes
    -----
    Position :math:`h = (n - 1) p / 100` in the sorted draws :math:`x_{(0)} \\le \\dots`,
    value :math:`x_{(\\lfloor h \\rfloor)} + (h - \\lfloor h \\rfloor)
    (x_{(\\lfloor h \\rfloor + 1)} - x_{(\\lfloor h \\rfloor)})`: Hyndman & Fan's type 7,
    numpy's and Excel's ``PERCENTILE.INC`` default.

    Examples
    --------
    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    >>> percentile([12.0, float("nan"), 30.0], 90, missing_is_worst=True) is None
    True
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    x = (np.sort(np.where(np.isnan(x), np.inf, x)) if missing_is_worst
         else np.sort(x[~np.isnan(x)]))
    if x.size == 0:
        return None
    h = (x.size - 1) * p / 100.0
    low = math.floor(h)
    high = min(low + 1, x.size - 1)
    fraction = h - low
    if math.isinf(x[low]) or (fraction > 0 and math.isinf(x[high])):
        return None
    if fraction == 0:
        return float(x[low])
    return float(x[low] + fraction * (x[high] - x[low]))


@dataclass(frozen=True, slots=True)
class Simulation:
    """Outputs of :func:`simulate`: every outcome of the model, one value per draw.

    Attributes
    ----------
    model
        The model simulated.
    params, uncertainty
        The inputs: values (the modes) and how they vary.
    base
        The deterministic result at the values (``model.compute(params)``).
    inputs
        The draws of each uncertain input, shape ``(draws,)``.
    outcomes
        Every outcome of the model's core per draw: shape ``(draws,)``, or ``(draws, years)``
        for a yearly flow.
    """

    model: Model[Any, Any]
    params: Any
    uncertainty: UncertaintyParams
    base: Any
    inputs: Mapping[str, NDArray[np.float64]]
    outcomes: Mapping[str, NDArray[np.float64]]

    @classmethod
    def of(cls, simulation: Simulation) -> Self:
        """The same simulation as this (per-model) type."""
        return cls(*(getattr(simulation, f.name) for f in fields(Simulation)))

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.uncertainty.draws)

    def probability_positive(self, metric: str) -> float:
        """Share of the draws with ``metric > 0``."""
        values = self.outcomes[metric]
        return float(np.count_nonzero(values > 0) / values.shape[0])

    def percentile(self, metric: str, p: float, *, missing_is_worst: bool = False
                   ) -> float | None:
        """The ``p``-th percentile of ``metric`` over the draws (:func:`percentile`)."""
        return percentile(self.outcomes[metric], p, missing_is_worst=missing_is_worst)

    def percentiles(self, metrics: Sequence[str],
                    ps: Sequence[float] = HEADLINE_PERCENTILES, *,
                    missing_is_worst: Sequence[str] = ()) -> pd.DataFrame:
        """Percentiles of ``metrics``: one row per metric, one column per ``P<p>``.

        Metrics named in ``missing_is_worst`` count ``nan`` draws as the worst (a payback
        that never comes); others leave them out.
        """
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        rows = {metric: {f"P{p:g}": self.percentile(metric, p,
                                                     missing_is_worst=metric in missing_is_worst)
                         for p in ps}
                for metric in metrics}
        return pd.DataFrame.from_dict(rows, orient="index").astype(float)


_CORE_NDIMS: dict[str, dict[str, int]] = {}


def _core_ndims(model: Model[Any, Any], params: Any) -> dict[str, int]:
    """The number of axes of each outcome for one set of inputs (a year axis, or none).

    The same for every input of a model, so the core runs on plain numbers once per model
    and process, not on every simulation.
    """
    if model.name not in _CORE_NDIMS:
        assert model.outcomes is not None
        core = model.outcomes(params.to_dict())
        _CORE_NDIMS[model.name] = {name: int(np.ndim(value)) for name, value in core.items()}
    return _CORE_NDIMS[model.name]


def _per_draw(value: Any, core_ndim: int, draws: int) -> NDArray[np.float64]:
    """``value`` with a leading axis of ``draws`` (broadcast where nothing varied)."""
    array = np.asarray(value, dtype=np.float64)
    shape = (draws, *array.shape[array.ndim - core_ndim:]) if core_ndim else (draws,)
    return array if array.shape == shape else np.array(np.broadcast_to(array, shape))


def simulate(
    model: Model[Any, Any], params: Any = None, uncertainty: UncertaintyParams | None = None
) -> Simulation:
    """Monte Carlo of ``model`` over the uncertain inputs of ``params``.

    Parameters
    ----------
    model
        A model with a vectorised core (:attr:`~workbook.core.model.Model.outcomes`).
    params
        The values (each uncertain input's mode); the registry defaults when omitted.
    uncertainty
        Draws, seed, distributions, fixed fields (the model's own by default), widening,
        correlation; defaults when omitted (10,000 draws, PERT).

    Returns
    -------
    Simulation
        Every outcome per draw, with percentiles and probabilities.

    Notes
    -----
    Draws: :func:`~workbook.uncertainty.inputs.sample_inputs`, each range cut to the field's
    declared limits and the model's :attr:`~workbook.core.model.Model.joint_bounds`; each draw
    is then cut to the model's rules across fields
    (:attr:`~workbook.core.model.Model.joint_limits`). Inputs that do not vary stay plain
    numbers, so with every range collapsed (``widen_factor=0``, or all fields fixed) each draw
    *is* the deterministic result.

    References
    ----------
    Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley (Monte Carlo of
    a cash-flow model; PERT inputs).

    Examples
    --------
    >>> from workbook.models.recovery.complaints import COMPLAINT_RECOVERY
    >>> simulation = simulate(COMPLAINT_RECOVERY, uncertainty=UncertaintyParams(draws=500))
    >>> simulation.outcomes["net_value"].shape
    (500,)
    """
    if model.outcomes is None:
        raise ValueError(f"model {model.name!r} has no vectorised core to simulate")
    params = params if params is not None else model.params_type()
    u = uncertainty or UncertaintyParams()
    values = sample_inputs(params, u, model=model)
    if model.joint_limits is not None:
        values = model.joint_limits(values)
    outcome = model.outcomes(values)
    core = _core_ndims(model, params)
    return Simulation(
        model=model,
        params=params,
        uncertainty=u,
        base=model.compute(params),
        inputs={name: value for name, value in values.items() if np.ndim(value) == 1},
        outcomes={name: _per_draw(value, core[name], u.draws)
                  for name, value in outcome.items()},
    )
