"""Monte Carlo of the complaint-recovery and word-of-mouth models (issue 7, part 2).

Both are :func:`workbook.uncertainty.simulate` of the model records
(:data:`~workbook.models.recovery.complaints.COMPLAINT_RECOVERY`,
:data:`~workbook.models.recovery.word_of_mouth.WORD_OF_MOUTH`): the draws come from
:func:`~workbook.uncertainty.inputs.sample_inputs` (registry ranges cut to the declared limits,
PERT or triangular, mode at each value, seeded), and each model runs on all draws at once
through the very lines its ``compute_*`` function runs on single numbers
(:func:`~workbook.models.recovery.complaints.complaint_outcomes`,
:func:`~workbook.models.recovery.word_of_mouth.word_of_mouth_outcomes`). So with every range
collapsed each draw equals the deterministic model exactly.

**Fixed by default**: the business's own figures (customers, spend, margin, retention,
horizon, discount rate, and for complaints the handling cost). **Uncertain**: the shares and
rates the sources state roughly or not at all (who has a problem, who complains, recovery and
silent retention; people told, circle, amplification, conversion). Pass
``UncertaintyParams(fixed=...)`` to choose otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from workbook.core.model import Model
from workbook.models.recovery.complaints import (
    COMPLAINT_FIXED,
    COMPLAINT_RECOVERY,
    ComplaintParams,
)
from workbook.models.recovery.word_of_mouth import (
    WORD_OF_MOUTH,
    WORD_OF_MOUTH_FIXED,
    WordOfMouthParams,
)
from workbook.uncertainty.inputs import UncertaintyParams
from workbook.uncertainty.monte_carlo import HEADLINE_PERCENTILES, Simulation, simulate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMPLAINT_FIXED",
    "WORD_OF_MOUTH_FIXED",
    "RecoverySimulation",
    "simulate_complaint_recovery",
    "simulate_word_of_mouth",
]


@dataclass(frozen=True, slots=True)
class RecoverySimulation(Simulation):
    """Outputs of :func:`simulate_complaint_recovery` or :func:`simulate_word_of_mouth`.

    A :class:`~workbook.uncertainty.monte_carlo.Simulation` whose ``outcomes`` are every
    outcome of the model's result per draw, shape ``(draws,)``; ``model.name``
    (``"complaint"`` or ``"word_of_mouth"``) is the prefix of the headline keys.
    """

    @property
    def net_value(self) -> NDArray[np.float64]:
        """Net value per draw (currency)."""
        return self.outcomes["net_value"]

    @property
    def probability_net_value_positive(self) -> float:
        """Share of the draws with ``net_value > 0``."""
        return self.probability_positive("net_value")

    def percentiles(self, metrics: Sequence[str] = ("net_value",),
                    ps: Sequence[float] = HEADLINE_PERCENTILES, *,
                    missing_is_worst: Sequence[str] = ()) -> pd.DataFrame:
        """Percentiles of ``metrics``: one row per metric, one column per ``P<p>``, and the
        deterministic value in ``At the values``."""
        table = Simulation.percentiles(self, metrics, ps, missing_is_worst=missing_is_worst)
        table["At the values"] = [float(getattr(self.base, metric)) for metric in metrics]
        return table.astype(float)

    def headline(self) -> dict[str, float | None]:
        """``<model>_net_value_p10/p50/p90`` and ``<model>_probability_net_value_positive``."""
        low, mid, high = (self.percentile("net_value", p) for p in HEADLINE_PERCENTILES)
        prefix = self.model.name
        return {
            f"{prefix}_net_value_p10": low,
            f"{prefix}_net_value_p50": mid,
            f"{prefix}_net_value_p90": high,
            f"{prefix}_probability_net_value_positive": self.probability_net_value_positive,
        }


def _settings(model: Model[Any, Any], uncertainty: UncertaintyParams | None,
              draws: int | None, seed: int | None) -> UncertaintyParams:
    u = uncertainty or UncertaintyParams()
    changes: dict[str, Any] = {}
    if draws is not None:
        changes["draws"] = draws
    if seed is not None:
        changes["seed"] = seed
    if u.fixed is None:
        changes["fixed"] = model.fixed
    return u.replace(**changes) if changes else u


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
    :func:`workbook.uncertainty.simulate` of
    :data:`~workbook.models.recovery.complaints.COMPLAINT_RECOVERY`. No joint limit is
    needed: every input may take any value in its own range.

    Examples
    --------
    >>> from workbook.models.recovery.complaints import compute_complaint_recovery
    >>> simulation = simulate_complaint_recovery()
    >>> simulation.draws
    10000
    >>> none = simulate_complaint_recovery(uncertainty=UncertaintyParams(widen_factor=0))
    >>> bool((none.net_value == compute_complaint_recovery(ComplaintParams()).net_value).all())
    True
    """
    u = _settings(COMPLAINT_RECOVERY, uncertainty, draws, seed)
    return RecoverySimulation.of(simulate(COMPLAINT_RECOVERY, params, u))


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
    Where both shares vary, a draw's ``wom_unhappy_share`` is cut to ``1 - wom_happy_share``
    (the limit :class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams` enforces). The
    circle of influence is a whole number of people, so its draws are rounded.

    Examples
    --------
    >>> simulation = simulate_word_of_mouth(draws=2_000, seed=1)
    >>> simulation.draws, simulation.model.name
    (2000, 'word_of_mouth')
    >>> 0.5 < simulation.probability_net_value_positive <= 1.0
    True
    """
    u = _settings(WORD_OF_MOUTH, uncertainty, draws, seed)
    return RecoverySimulation.of(simulate(WORD_OF_MOUTH, params, u))
