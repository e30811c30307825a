"""Each model declared once: a small public record that every surface runs the same way.

A :class:`Model` names a model's parameter type, its deterministic computation, its vectorised
core (the same formulas over arrays of draws, for the Monte Carlo) and its headline numbers.
:func:`workbook.uncertainty.simulate` is one function over any model with a core; notebooks,
dashboards and batch reports call ``model.compute`` and ``model.headline`` rather than
re-assembling the calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["Model"]

P = TypeVar("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Model(Generic[P, R]):
    """One model: parameters in, result out, and the same core over draws.

    Attributes
    ----------
    name
        Short identifier, e.g. ``"service_roi"``.
    params_type
        The parameter dataclass (a :class:`~workbook.core.declare.Params`).
    compute
        ``compute(params) -> result``: the deterministic run.
    outcomes
        ``outcomes(values) -> {metric: array}``: the vectorised core. ``values`` maps every
        field of ``params_type`` to a number or an array of draws (shape ``(draws,)``); the
        returned arrays broadcast over the draws. ``None`` for a model with no Monte Carlo.
    headline
        ``headline(result) -> {name: number}``: the JSON-ready numbers a report publishes.
    fixed
        Fields a simulation holds at their value unless released (the business's own books).
    joint_bounds
        ``joint_bounds(params, name) -> (low, high) | None``: the values ``name`` may take given
        the other fields (a rule across fields), beyond its declared limits.
    joint_limits
        ``joint_limits(values) -> values``: cuts each draw to the same rules across fields.
    """

    name: str
    params_type: type[P]
    compute: Callable[[P], R]
    outcomes: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    headline: Callable[[R], Mapping[str, Any]] | None = None
    fixed: frozenset[str] = field(default_factory=frozenset)
    joint_bounds: Callable[[P, str], tuple[float, float] | None] | None = None
    joint_limits: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def run(self, params: P | None = None) -> R:
        """``compute`` on ``params`` (the registry defaults when omitted)."""
        return self.compute(params if params is not None else self.params_type())
