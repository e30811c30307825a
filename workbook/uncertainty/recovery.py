"""Monte Carlo of the complaint-recovery and word-of-mouth models (issue 7, part 2).

The draws come from :func:`~workbook.uncertainty.inputs.sample_inputs` (registry ranges, PERT
or triangular, mode at each value, seeded), and each model runs on all draws at once through
the very lines its ``compute_*`` function runs on single numbers
(:func:`workbook.models.recovery.complaints._outcomes`, :func:`workbook.models.recovery.word_of_mouth._outcomes`). So with
every range collapsed each draw equals the deterministic model exactly.

**Fixed by default**: the business's own figures (customers, spend, margin, retention,
horizon, discount rate, and for complaints the handling cost). **Uncertain**: the shares and
rates the sources state roughly or not at all (who has a problem, who complains, recovery and
silent retention; people told, circle, amplification, conversion). Pass
``UncertaintyParams(fixed=...)`` to choose otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from workbook.models.recovery import complaints as _complaints
from workbook.models.recovery import word_of_mouth as _word_of_mouth
from workbook.models.recovery.complaints import (
    ComplaintParams,
    ComplaintResult,
    compute_complaint_recovery,
)
from workbook.uncertainty.inputs import (
    UncertaintyParams,
    accepted_bounds,
    sample_inputs,
)
from workbook.uncertainty.simulation import HEADLINE_PERCENTILES, percentile
from workbook.models.recovery.word_of_mouth import (
    WordOfMouthParams,
    WordOfMouthResult,
    compute_word_of_mouth,
)

__all__ = [
    "COMPLAINT_FIXED",
    "WORD_OF_MOUTH_FIXED",
    "RecoverySimulation",
    "complaint_bounds",
    "simulate_complaint_recovery",
    "simulate_word_of_mouth",
    "word_of_mouth_bounds",
]

_BUSINESS = frozenset({"customers", "annual_spend_per_customer", "gross_margin_rate",
                       "annual_retention_rate", "horizon_years", "discount_rate"})

COMPLAINT_FIXED: frozenset[str] = _BUSINESS | {"complaint_handling_cost"}
"""Fields of :class:`~workbook.models.recovery.complaints.ComplaintParams` held at their value by default."""

WORD_OF_MOUTH_FIXED: frozenset[str] = _BUSINESS
"""Fields of :class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams` held at their value by default."""


def complaint_bounds(params: ComplaintParams, name: str) -> tuple[float, float]:
    """The values :class:`~workbook.models.recovery.complaints.ComplaintParams` accepts for ``name``.

    Examples
    --------
    >>> complaint_bounds(ComplaintParams(), "silent_retention_rate")
    (0.0, 1.0)
    """
    special = {"customers": (1.0, math.inf), "horizon_years": (1.0, 50.0)}
    return special.get(name) or accepted_bounds(params, name)


def word_of_mouth_bounds(params: WordOfMouthParams, name: str) -> tuple[float, float]:
    """The values :class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams` accepts for ``name``.

    Examples
    --------
    >>> word_of_mouth_bounds(WordOfMouthParams(), "social_amplification")
    (1.0, 100000000.0)
    """
    special = {"customers": (1.0, math.inf), "horizon_years": (1.0, 50.0),
               "influence_circle": (1.0, math.inf),
               "social_amplification": (1.0, _word_of_mouth._MAX_AMPLIFICATION)}
    return special.get(name) or accepted_bounds(params, name)


@dataclass(frozen=True, slots=True)
class RecoverySimulation:
    """Outputs of :func:`simulate_complaint_recovery` or :func:`simulate_word_of_mouth`.

    Attributes
    ----------
    model
        ``"complaint"`` or ``"word_of_mouth"`` (the prefix of the headline keys).
    params, uncertainty
        The inputs: values (the modes) and how they vary.
    base
        The deterministic result at the values.
    inputs
        The draws of each uncertain input, shape ``(draws,)``.
    outcomes
        Every outcome of the model's result per draw, shape ``(draws,)``.
    """

    model: str
    params: Any
    uncertainty: UncertaintyParams
    base: ComplaintResult | WordOfMouthResult
    inputs: Mapping[str, NDArray[np.float64]]
    outcomes: Mapping[str, NDArray[np.float64]]

    @property
    def net_value(self) -> NDArray[np.float64]:
        """Net value per draw (currency)."""
        return self.outcomes["net_value"]

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.net_value.size)

    @property
    def probability_net_value_positive(self) -> float:
        """Share of the draws with ``net_value > 0``."""
        return float(np.count_nonzero(self.net_value > 0) / self.net_value.size)

    def percentiles(self, metrics: Sequence[str] = ("net_value",),
                    ps: Sequence[float] = HEADLINE_PERCENTILES) -> pd.DataFrame:
        """Percentiles of ``metrics``: one row per metric, one column per ``P<p>``, and the
        deterministic value in ``At the values``."""
        rows = {metric: {**{f"P{p:g}": percentile(self.outcomes[metric], p) for p in ps},
                         "At the values": getattr(self.base, metric)}
                for metric in metrics}
        return pd.DataFrame.from_dict(rows, orient="index").astype(float)

    def headline(self) -> dict[str, float | None]:
        """``<model>_net_value_p10/p50/p90`` and ``<model>_probability_net_value_positive``."""
        low, mid, high = (percentile(self.net_value, p) for p in HEADLINE_PERCENTILES)
        return {
            f"{self.model}_net_value_p10": low,
            f"{self.model}_net_value_p50": mid,
            f"{self.model}_net_value_p90": high,
            f"{self.model}_probability_net_value_positive": self.probability_net_value_positive,
        }


def _settings(uncertainty: UncertaintyParams | None, draws: int | None, seed: int | None,
              fixed: frozenset[str]) -> UncertaintyParams:
    u = uncertainty or UncertaintyParams()
    changes: dict[str, Any] = {}
    if draws is not None:
        changes["draws"] = draws
    if seed is not None:
        changes["seed"] = seed
    if u.fixed is None:
        changes["fixed"] = fixed
    return u.replace(**changes) if changes else u


def _simulate(model: str, params: Any, u: UncertaintyParams, bounds: Callable[[Any, str],
              tuple[float, float]], outcomes_of: Callable[[Mapping[str, Any]], dict[str, Any]],
              base: Any, joint: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
              ) -> RecoverySimulation:
    values = sample_inputs(params, u, bounds=bounds)
    if joint is not None:
        values = joint(values)
    outcome = outcomes_of(values)
    n = u.draws
    return RecoverySimulation(
        model=model, params=params, uncertainty=u, base=base,
        inputs={name: value for name, value in values.items() if np.ndim(value) == 1},
        outcomes={name: np.array(np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)))
                  for name, value in outcome.items()},
    )


def simulate_complaint_recovery(
    params: ComplaintParams | None = None,
    uncertainty: UncertaintyParams | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> RecoverySimulation:
    """Monte Carlo of :func:`~workbook.models.recovery.complaints.compute_complaint_recovery`.

    Parameters
    ----------
    params
        The values (each uncertain input's mode); registry defaults when omitted.
    uncertainty
        Distributions, fixed fields, widening; defaults when omitted (PERT, 10,000 draws,
        :data:`COMPLAINT_FIXED` fixed).
    draws, seed
        Override ``uncertainty.draws`` and ``uncertainty.seed``.

    Notes
    -----
    Draws as :func:`~workbook.uncertainty.inputs.sample_inputs` makes them; the model as
    :func:`~workbook.models.recovery.complaints.compute_complaint_recovery` computes it, vectorised. No joint
    limit is needed: every input may take any value in its own range.

    Examples
    --------
    >>> simulation = simulate_complaint_recovery()
    >>> simulation.draws
    10000
    >>> none = simulate_complaint_recovery(uncertainty=UncertaintyParams(widen_factor=0))
    >>> bool((none.net_value == compute_complaint_recovery(ComplaintParams()).net_value).all())
    True
    """
    params = params or ComplaintParams()
    u = _settings(uncertainty, draws, seed, COMPLAINT_FIXED)
    return _simulate("complaint", params, u, complaint_bounds, _complaints._outcomes,
                     compute_complaint_recovery(params))


def _happy_and_unhappy_within_all(values: dict[str, Any]) -> dict[str, Any]:
    """Cut each draw's unhappy share so happy and unhappy shares add up to at most 1."""
    happy, unhappy = values["happy_share"], values["unhappy_share"]
    if np.ndim(happy) or np.ndim(unhappy):
        values["unhappy_share"] = np.minimum(unhappy, 1.0 - np.asarray(happy))
    return values


def simulate_word_of_mouth(
    params: WordOfMouthParams | None = None,
    uncertainty: UncertaintyParams | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> RecoverySimulation:
    """Monte Carlo of :func:`~workbook.models.recovery.word_of_mouth.compute_word_of_mouth`.

    Parameters and defaults as :func:`simulate_complaint_recovery`, with
    :data:`WORD_OF_MOUTH_FIXED` fixed by default. People told are drawn over their source
    ranges (3–5, 10–15).

    Notes
    -----
    Where both shares vary, a draw's ``unhappy_share`` is cut to ``1 - happy_share`` (the
    limit :class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams` enforces). The circle of
    influence is a whole number of people, so its draws are rounded.

    Examples
    --------
    >>> simulation = simulate_word_of_mouth(draws=2_000, seed=1)
    >>> simulation.draws, simulation.model
    (2000, 'word_of_mouth')
    >>> 0.5 < simulation.probability_net_value_positive <= 1.0
    True
    """
    params = params or WordOfMouthParams()
    u = _settings(uncertainty, draws, seed, WORD_OF_MOUTH_FIXED)
    return _simulate("word_of_mouth", params, u, word_of_mouth_bounds,
                     _word_of_mouth._outcomes, compute_word_of_mouth(params),
                     _happy_and_unhappy_within_all)
