"""Which inputs are uncertain, over which range, and their seeded draws.

Every registry-backed field of a model's parameters has a plausible range (``low``–``high`` in
:mod:`workbook.core.registry`). :class:`UncertaintyParams` says how a simulation or a sensitivity
chart uses it: the distribution (PERT or triangular, mode at the field's current value), which
fields stay fixed, how far each range is widened, and whether the two service-quality effects
move together. A range is cut to the values the model accepts: each field's declared limits
(:func:`workbook.core.declare.declaration`) and the model's rules across fields
(:attr:`workbook.core.model.Model.joint_bounds`), see :func:`accepted_bounds`.

**Fixed by default** (the model's :attr:`~workbook.core.model.Model.fixed`, for the service
ROI :data:`~workbook.models.roi.service_roi.SERVICE_ROI_FIXED`): the figures a business reads
from its own books or decides itself: ``customers``, ``annual_spend_per_customer``,
``gross_margin_rate``, ``annual_retention_rate``, ``retention_cost_per_customer``, the budget
(``upfront_investment``, ``annual_service_cost``), ``horizon_years`` and ``discount_rate``.
Their registry ranges are slider spans across different businesses, not the doubt one business
has about itself; drawing from them would measure "which business are you", not risk.
**Uncertain by default**: the effects of service that the sources state roughly
(``spend_uplift_excellent_service``, 9 % in one 2010 survey;
``acquisition_to_retention_cost_ratio``, "about five times") or not at all
(``retention_uplift_rate``), and the reach of a programme not yet run
(``excellent_service_share``). Any field can be fixed or released through ``fixed``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from workbook.core.declare import Params, count, declaration, declared, number
from workbook.core.model import Model
from workbook.core.parameters import assumed, field_types
from workbook.core.registry import get_assumption
from workbook.core.validation import ParameterError, require_number
from workbook.uncertainty.correlation import correlate_uniforms
from workbook.uncertainty.distributions import DISTRIBUTION_KINDS, InputDistribution

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "QUALITY_PAIR",
    "InputRange",
    "UncertaintyParams",
    "accepted_bounds",
    "input_distributions",
    "input_ranges",
    "sample_inputs",
]

DEFAULT_DRAWS = 10_000
"""Monte Carlo draws: percentiles of 10,000 draws are stable to about 1 % of the spread."""

DEFAULT_SEED = 2010
"""Seed of the draws (the year of the American Express barometer; any fixed number will do)."""

QUALITY_PAIR: tuple[str, str] = ("spend_uplift_excellent_service", "retention_uplift_rate")
"""The two effects of service quality that :attr:`UncertaintyParams.correlate_quality` links."""

@dataclass(frozen=True, slots=True, kw_only=True)
class UncertaintyParams(Params):
    """How a simulation and the sensitivity charts vary the inputs.

    Attributes
    ----------
    draws
        Number of Monte Carlo draws.
    seed
        Seed of ``numpy.random.default_rng``; the same seed gives the same draws.
    distribution
        ``"pert"`` (default) or ``"triangular"``; see :class:`InputDistribution`.
    pert_shape
        λ of the PERT (registry ``pert_shape``).
    widen_factor
        Every range is scaled about the value by this factor: 2 doubles the distance from the
        value to each bound, 0 collapses every range to the value (no uncertainty).
    widen_factors
        Factor per field name, overriding ``widen_factor`` for that field.
    ranges
        ``(low, high)`` per field name, replacing the registry's range.
    fixed
        Field names held at their value in a simulation. ``None`` (the default) means the
        model's own default set (:attr:`~workbook.core.model.Model.fixed`;
        :data:`~workbook.models.roi.service_roi.SERVICE_ROI_FIXED` for the service-ROI model,
        see the module notes), none without a model. To release one input, pass the default set
        without it: ``fixed=SERVICE_ROI_FIXED - {"upfront_investment"}``.
    correlate_quality
        Give the two effects of service quality (:data:`QUALITY_PAIR`) the rank correlation
        ``service_quality_rank_correlation`` (a Gaussian copula; see
        :func:`~workbook.uncertainty.correlation.correlate_uniforms`). Off by default: the
        sources give no figure for it.
    service_quality_rank_correlation
        Spearman correlation of spend uplift and retention uplift when ``correlate_quality``.

    Notes
    -----
    Range of a field with value :math:`v`, range :math:`[l, h]` (widened to include
    :math:`v`) and factor :math:`k`: :math:`[v - k (v - l),\\; v + k (h - v)]`, cut to the
    values the model accepts (:func:`accepted_bounds`: fractions in :math:`[0, 1]`, amounts
    at least 0, retention with its uplift at most 0.99, ...) and, for whole-number fields, to
    whole numbers.
    """

    draws: int = declared(DEFAULT_DRAWS, count(low=1, high=10_000_000))
    seed: int = declared(DEFAULT_SEED, count(low=0))
    distribution: str = declared("pert")
    pert_shape: float = assumed("pert_shape")
    widen_factor: float = declared(1.0, number(low=0, high=100))
    widen_factors: Mapping[str, float] = declared(dataclasses.MISSING, default_factory=dict,
                                                  hash=False)
    ranges: Mapping[str, tuple[float, float]] = declared(dataclasses.MISSING,
                                                         default_factory=dict, hash=False)
    fixed: frozenset[str] | None = declared(None)
    correlate_quality: bool = declared(False)
    service_quality_rank_correlation: float = assumed("service_quality_rank_correlation")

    def check(self) -> None:
        """The distribution's name, the per-field settings, the fixed set and the switch."""
        set_ = object.__setattr__
        if self.distribution not in DISTRIBUTION_KINDS:
            raise ParameterError("distribution", f"one of {', '.join(DISTRIBUTION_KINDS)}",
                                 self.distribution)
        set_(self, "widen_factors", MappingProxyType({
            name: require_number(f"widen_factors[{name}]", factor, low=0, high=100)
            for name, factor in dict(self.widen_factors).items()
        }))
        set_(self, "ranges", MappingProxyType({
            name: _checked_range(name, span) for name, span in dict(self.ranges).items()
        }))
        if self.fixed is not None:
            if isinstance(self.fixed, str) or not isinstance(self.fixed, Iterable):
                raise ParameterError("fixed", "a set of parameter names", self.fixed)
            set_(self, "fixed", frozenset(self.fixed))
        if not isinstance(self.correlate_quality, bool):
            raise ParameterError("correlate_quality", "true or false", self.correlate_quality)

    def fixed_for(self, model: Model[Any, Any] | None) -> frozenset[str]:
        """The fields held at their value: ``fixed``, or the model's default (none without).

        Examples
        --------
        >>> from workbook.models.roi.service_roi import SERVICE_ROI, SERVICE_ROI_FIXED
        >>> UncertaintyParams().fixed_for(SERVICE_ROI) == SERVICE_ROI_FIXED
        True
        """
        if self.fixed is not None:
            return self.fixed
        return model.fixed if model is not None else frozenset()


def _checked_range(name: str, span: object) -> tuple[float, float]:
    expected = "a pair (low, high) of finite numbers with low <= high"
    if not isinstance(span, tuple | list) or len(span) != 2:
        raise ParameterError(f"ranges[{name}]", expected, span)
    low = require_number(f"ranges[{name}]", span[0])
    high = require_number(f"ranges[{name}]", span[1], low=low)
    return low, high


@dataclass(frozen=True, slots=True)
class InputRange:
    """The span one input moves over, with what a chart needs to label it.

    Attributes
    ----------
    name
        Field name of the parameter object.
    label, unit
        From the registry (the field name and ``""`` for a field with no registry entry).
    low, value, high
        The range and the current value, ``low <= value <= high``.
    integer
        Whole-number field, by its type annotation (bounds and draws are rounded).
    fixed
        Held at its value in a simulation.
    kind
        The declared kind (``"fraction"``, ``"number"``, ``"count"``;
        :mod:`workbook.core.declare`): how a chart writes the value.
    """

    name: str
    label: str
    unit: str
    low: float
    value: float
    high: float
    integer: bool
    fixed: bool
    kind: str = "number"


def accepted_bounds(
    params: Any, name: str, model: Model[Any, Any] | None = None
) -> tuple[float, float]:
    """The values a draw of field ``name`` may take, the other fields of ``params`` as they are.

    The field's declared limits (:meth:`workbook.core.declare.Limits.bounds`; unbounded for a
    field declared without limits), intersected with the model's rules across fields
    (:attr:`~workbook.core.model.Model.joint_bounds`) when ``model`` is given.

    Examples
    --------
    >>> from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams
    >>> accepted_bounds(ServiceRoiParams(), "retention_uplift_rate", SERVICE_ROI)
    (0.0, 0.24)
    >>> accepted_bounds(ServiceRoiParams(), "horizon_years")
    (1.0, 50.0)
    """
    limits = declaration(type(params), name)
    low, high = limits.bounds() if limits is not None else (-math.inf, math.inf)
    joint = model.joint_bounds(params, name) if model and model.joint_bounds else None
    if joint is not None:
        low, high = max(low, joint[0]), min(high, joint[1])
    return low, high


def _assumption_key(params: Any, name: str) -> str | None:
    for f in dataclasses.fields(params):
        if f.name == name:
            return f.metadata.get("assumption")
    return None


def _check_names(params: Any, names: Iterable[str], what: str) -> None:
    known = {f.name for f in dataclasses.fields(params)}
    for name in names:
        if name not in known:
            raise ParameterError.unknown(name, known, f"{type(params).__name__} ({what})")


def input_ranges(
    params: Any,
    uncertainty: UncertaintyParams | None = None,
    *,
    names: Iterable[str] | None = None,
    model: Model[Any, Any] | None = None,
) -> dict[str, InputRange]:
    """The range of every registry-backed (or ``ranges``-given) numeric field of ``params``.

    Parameters
    ----------
    params
        A parameter object such as :class:`~workbook.models.roi.service_roi.ServiceRoiParams`.
    uncertainty
        Ranges, widening and fixed fields; defaults when omitted.
    names
        Only these fields, in this order (default: every field with a range, in field order).
    model
        The model ``params`` belong to: its default fixed fields and its rules across fields
        (:func:`accepted_bounds`). Without it, nothing is fixed by default and each range is
        cut to its field's declared limits only.

    Raises
    ------
    ParameterError
        For a name that is not a field of ``params``.
    """
    u = uncertainty or UncertaintyParams()
    fixed = u.fixed_for(model)
    _check_names(params, [*fixed, *u.widen_factors, *u.ranges], "uncertainty settings")
    chosen = list(names) if names is not None else [f.name for f in dataclasses.fields(params)]
    _check_names(params, chosen, "names")
    kinds = field_types(type(params))
    result: dict[str, InputRange] = {}
    for name in chosen:
        value = getattr(params, name)
        key = _assumption_key(params, name)
        assumption = get_assumption(key) if key else None
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or (assumption is None and name not in u.ranges):
            if names is not None:
                raise ParameterError(name, "a numeric field with a registered or given range",
                                     value)
            continue
        if name in u.ranges:
            low, high = u.ranges[name]
        else:
            low, high = assumption.low, assumption.high  # type: ignore[union-attr]
        factor = u.widen_factors.get(name, u.widen_factor)
        low, high = min(low, value), max(high, value)
        if factor != 1:
            low, high = value - factor * (value - low), value + factor * (high - value)
        floor, ceiling = accepted_bounds(params, name, model)
        low, high = max(low, floor), min(high, ceiling)
        integer = kinds[name] is int
        if integer:
            low, high = float(math.ceil(low - 1e-9)), float(math.floor(high + 1e-9))
        result[name] = InputRange(
            name=name, label=assumption.label if assumption else name,
            unit=assumption.unit if assumption else "", low=min(low, value), value=value,
            high=max(high, value), integer=integer, fixed=name in fixed,
            kind=assumption.limits.kind if assumption else ("count" if integer else "number"),
        )
    return result


def input_distributions(
    params: Any, uncertainty: UncertaintyParams | None = None, *,
    model: Model[Any, Any] | None = None,
) -> dict[str, InputDistribution]:
    """The distribution of each uncertain field: not fixed, and with a range wider than a point.

    Mode at the field's value, bounds from :func:`input_ranges`.

    Examples
    --------
    >>> from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams
    >>> spread = input_distributions(ServiceRoiParams(), model=SERVICE_ROI)
    >>> for name in sorted(spread):
    ...     print(name)
    acquisition_to_retention_cost_ratio
    excellent_service_share
    retention_uplift_rate
    spend_uplift_excellent_service
    >>> spread["spend_uplift_excellent_service"].low, spread["spend_uplift_excellent_service"].high
    (0.03, 0.15)
    """
    u = uncertainty or UncertaintyParams()
    return {
        name: InputDistribution(low=r.low, mode=r.value, high=r.high, kind=u.distribution,
                                pert_shape=u.pert_shape)
        for name, r in input_ranges(params, u, model=model).items()
        if not r.fixed and r.high > r.low
    }


def sample_inputs(
    params: Any, uncertainty: UncertaintyParams | None = None, *,
    model: Model[Any, Any] | None = None,
) -> dict[str, Any]:
    """Every field of ``params``: its value, or an array of ``draws`` draws if uncertain.

    Returns
    -------
    dict
        Field name to the field's value (fixed fields, and fields whose range is a point) or
        to a float array of shape ``(draws,)``. Whole-number fields are rounded.

    Notes
    -----
    Reproducible: ``numpy.random.default_rng(seed)`` spawns one independent stream per field
    (by field position) and one for the copula, so fixing or releasing one field leaves the
    draws of the others unchanged. Each draw is the field's quantile function at a uniform
    number (:meth:`InputDistribution.quantile`); with ``correlate_quality`` the uniforms of
    :data:`QUALITY_PAIR` are first reordered by
    :func:`~workbook.uncertainty.correlation.correlate_uniforms`.

    Examples
    --------
    >>> from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams
    >>> draws = sample_inputs(ServiceRoiParams(), UncertaintyParams(draws=5, seed=1),
    ...                       model=SERVICE_ROI)
    >>> draws["customers"], draws["spend_uplift_excellent_service"].shape
    (10000, (5,))
    """
    u = uncertainty or UncertaintyParams()
    distributions = input_distributions(params, u, model=model)
    fields = dataclasses.fields(params)
    streams = np.random.default_rng(u.seed).spawn(len(fields) + 1)
    uniforms: dict[str, NDArray[np.float64]] = {
        f.name: streams[i].random(u.draws) for i, f in enumerate(fields)
        if f.name in distributions
    }
    pair = [name for name in QUALITY_PAIR if name in uniforms]
    if u.correlate_quality and len(pair) == 2:
        rho = u.service_quality_rank_correlation
        linked = correlate_uniforms(np.stack([uniforms[name] for name in pair]),
                                    [[1.0, rho], [rho, 1.0]], streams[-1])
        uniforms.update(zip(pair, linked, strict=True))
    values: dict[str, Any] = {f.name: getattr(params, f.name) for f in fields}
    kinds = field_types(type(params))
    for name, distribution in distributions.items():
        draws = distribution.quantile(uniforms[name])
        values[name] = np.rint(draws) if kinds[name] is int else draws
    return values
