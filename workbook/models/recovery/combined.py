"""Complaint recovery and word of mouth together: one parameter object for a page or a report.

The dashboard (:mod:`workbook.ui.recovery_app`) has one slider per field of
:class:`RecoveryParams`, which holds every input of both models once (the business's own
figures are shared); :meth:`RecoveryParams.complaint_params` and
:meth:`RecoveryParams.word_of_mouth_params` give each model its own validated inputs.
:func:`build_recovery_params` does the same for notebook 04, where inputs left at ``None`` take
the figures measured from a complaints file when asked, else the registry defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbook.models.recovery.complaints import ComplaintParams
from workbook.core.parameters import assumed, build_params
from workbook.core.validation import ParameterError
from workbook.models.recovery.word_of_mouth import WordOfMouthParams

if TYPE_CHECKING:  # reading data needs ibis and duckdb: not imported by the dashboard
    from workbook.data.complaints import ComplaintStatistics

__all__ = ["RecoveryParams", "build_recovery_params"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryParams:
    """Every input of :class:`~workbook.models.recovery.complaints.ComplaintParams` and
    :class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams`, each once; defaults from the registry.

    Validated by building both models' parameters, so a bad value is refused with the same
    message either model gives.
    """

    customers: int = assumed("customers")
    problem_share: float = assumed("complaint_problem_share")
    complaint_capture_share: float = assumed("complaint_capture_share")
    prompt_resolution_share: float = assumed("complaint_prompt_resolution_share")
    recovered_retention_rate: float = assumed("complaint_recovery_retention")
    unrecovered_retention_rate: float = assumed("complaint_unrecovered_retention")
    silent_retention_rate: float = assumed("complaint_silent_retention")
    complaint_handling_cost: float = assumed("complaint_handling_cost")
    happy_share: float = assumed("wom_happy_share")
    unhappy_share: float = assumed("wom_unhappy_share")
    happy_tells: float = assumed("happy_customer_tells")
    unhappy_tells: float = assumed("unhappy_customer_tells")
    influence_circle: int = assumed("influence_circle")
    social_amplification: float = assumed("wom_social_amplification")
    referral_conversion_share: float = assumed("wom_referral_conversion")
    detraction_loss_share: float = assumed("wom_detraction_loss")
    annual_spend_per_customer: float = assumed("annual_spend_per_customer")
    gross_margin_rate: float = assumed("gross_margin_rate")
    annual_retention_rate: float = assumed("annual_retention_rate")
    horizon_years: int = assumed("horizon_years")
    discount_rate: float = assumed("discount_rate")

    def __post_init__(self) -> None:
        for name, model in (("customers", self.complaint_params()),
                            ("influence_circle", self.word_of_mouth_params())):
            # the models return whole numbers as int: keep them so
            object.__setattr__(self, name, getattr(model, name))
        object.__setattr__(self, "horizon_years", self.complaint_params().horizon_years)

    def _pick(self, params_type: type) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(params_type)}

    def complaint_params(self) -> ComplaintParams:
        """The inputs of the complaint-recovery model."""
        return ComplaintParams(**self._pick(ComplaintParams))

    def word_of_mouth_params(self) -> WordOfMouthParams:
        """The inputs of the word-of-mouth model."""
        return WordOfMouthParams(**self._pick(WordOfMouthParams))

    def replace(self, **changes: Any) -> RecoveryParams:
        """A copy with ``changes`` applied and validated."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Field name to value (JSON-ready)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def build_recovery_params(
    values: Mapping[str, Any], statistics: ComplaintStatistics | None = None
) -> tuple[ComplaintParams, WordOfMouthParams]:
    """Both models' parameters from a notebook's parameters (``None`` means not set).

    A value set explicitly wins; where ``statistics`` is given, a complaint input left at
    ``None`` takes the measured figure (:meth:`ComplaintStatistics.overrides`, the capture share
    read against the ``problem_share`` in effect); every other input the registry default.

    Raises
    ------
    ParameterError
        Naming the parameter, as each model's own checks do.

    Examples
    --------
    >>> complaint, stories = build_recovery_params({"customers": 2_000, "happy_tells": None})
    >>> complaint.customers, stories.customers, stories.happy_tells
    (2000, 2000, 4.0)
    """
    fields = {f.name for f in dataclasses.fields(RecoveryParams)}
    given = {k: v for k, v in values.items() if k in fields and v is not None}
    measured: dict[str, Any] = {}
    if statistics is not None:
        problem = given.get("problem_share")
        measured = {k: v for k, v in statistics.overrides(problem).items() if k not in given}
    try:
        combined = build_params(RecoveryParams, {**measured, **given})
    except ParameterError as error:
        if error.name in measured and error.name not in given:
            raise ParameterError(error.name, f"{error.expected} (measured from the data)",
                                 error.got) from None
        raise
    return combined.complaint_params(), combined.word_of_mouth_params()
