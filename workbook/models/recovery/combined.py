"""Complaint recovery and word of mouth together: one parameter object for a page or a report.

The dashboard (:mod:`workbook.ui.recovery_app`) has one slider per field of
:class:`RecoveryParams`, which holds every input of both models once (the business's own
figures are shared), declared from the two models' own fields;
:meth:`RecoveryParams.complaint_params` and :meth:`RecoveryParams.word_of_mouth_params` give
each model its own validated inputs. :func:`build_recovery_params` builds it for notebook 04,
where inputs left at ``None`` take the figures measured from a complaints file when asked,
else the registry defaults. Both run the same analysis,
:func:`workbook.models.recovery.analysis.analyse_recovery`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbook.core.declare import Params
from workbook.core.parameters import build_params
from workbook.core.validation import ParameterError
from workbook.models.recovery.complaints import ComplaintParams
from workbook.models.recovery.word_of_mouth import WordOfMouthParams

if TYPE_CHECKING:  # reading data needs ibis and duckdb: not imported by the dashboard
    from workbook.data.complaints import ComplaintStatistics

__all__ = ["RecoveryParams", "build_recovery_params", "merged_fields"]


def merged_fields(*params_types: type) -> list[dataclasses.Field[Any]]:
    """The fields of ``params_types``, each once, in an order that keeps every type's own.

    Fields met only in one type come where that type has them; a field they share comes once,
    when every type has reached it. For the complaint and word-of-mouth models: ``customers``,
    the complaint fields, the word-of-mouth fields, then the business figures they share.
    The order matters: the Monte Carlo draws one random stream per field position.

    Examples
    --------
    >>> [f.name for f in merged_fields(ComplaintParams, WordOfMouthParams)][:3]
    ['customers', 'complaint_problem_share', 'complaint_capture_share']
    """
    queues = [list(dataclasses.fields(t)) for t in params_types]
    result: list[dataclasses.Field[Any]] = []
    seen: set[str] = set()
    while any(queues):
        left = sum(map(len, queues))
        for queue in queues:
            while queue:
                name = queue[0].name
                if name in seen:
                    queue.pop(0)
                elif any(name in {f.name for f in other[1:]}
                         for other in queues if other is not queue):
                    break  # another type has it further on: wait until it gets there
                else:
                    seen.add(name)
                    result.append(queue.pop(0))
        if sum(map(len, queues)) == left:
            raise ValueError("the parameter types order their shared fields differently")
    return result


def _check_both(self: Params) -> None:
    """Both models' rules across fields (happy and unhappy shares at most all customers)."""
    ComplaintParams.check(self)  # type: ignore[arg-type]
    WordOfMouthParams.check(self)  # type: ignore[arg-type]


def _complaint_params(self: Params) -> ComplaintParams:
    """The inputs of the complaint-recovery model."""
    return ComplaintParams(**{f.name: getattr(self, f.name)
                              for f in dataclasses.fields(ComplaintParams)})


def _word_of_mouth_params(self: Params) -> WordOfMouthParams:
    """The inputs of the word-of-mouth model."""
    return WordOfMouthParams(**{f.name: getattr(self, f.name)
                                for f in dataclasses.fields(WordOfMouthParams)})


RecoveryParams = dataclasses.make_dataclass(
    "RecoveryParams",
    [(f.name, f.type, dataclasses.field(default=f.default, metadata=f.metadata))
     for f in merged_fields(ComplaintParams, WordOfMouthParams)],
    bases=(Params,),
    namespace={"check": _check_both, "complaint_params": _complaint_params,
               "word_of_mouth_params": _word_of_mouth_params, "__module__": __name__},
    frozen=True, slots=True, kw_only=True,
)
RecoveryParams.__doc__ = """Every input of the complaint and word-of-mouth models, each once.

The fields of :class:`~workbook.models.recovery.complaints.ComplaintParams` and
:class:`~workbook.models.recovery.word_of_mouth.WordOfMouthParams`.

Declared from the two (:func:`merged_fields`): each field, with its registry entry and limits,
is the models' own, so a bad value is refused with the message either model gives, and their
rules across fields (:meth:`check`) hold. :meth:`complaint_params` and
:meth:`word_of_mouth_params` give each model its inputs.
"""


def build_recovery_params(
    values: Mapping[str, Any], statistics: ComplaintStatistics | None = None
) -> Any:
    """Both models' parameters (a :class:`RecoveryParams`) from a notebook's parameters.

    ``None`` means not set. A value set explicitly wins; where ``statistics`` is given, a
    complaint input left at ``None`` takes the measured figure
    (:meth:`ComplaintStatistics.overrides`, the capture share read against the
    ``complaint_problem_share`` in effect); every other input the registry default.

    Raises
    ------
    ParameterError
        Naming the parameter, as each model's own checks do.

    Examples
    --------
    >>> params = build_recovery_params({"customers": 2_000, "happy_customer_tells": None})
    >>> params.complaint_params().customers, params.word_of_mouth_params().happy_customer_tells
    (2000, 4.0)
    """
    fields = {f.name for f in dataclasses.fields(RecoveryParams)}
    given = {k: v for k, v in values.items() if k in fields and v is not None}
    measured: dict[str, Any] = {}
    if statistics is not None:
        problem = given.get("complaint_problem_share")
        measured = {k: v for k, v in statistics.overrides(problem).items() if k not in given}
    try:
        return build_params(RecoveryParams, {**measured, **given})
    except ParameterError as error:
        if error.name in measured and error.name not in given:
            raise ParameterError(error.name, f"{error.expected} (measured from the data)",
                                 error.got) from None
        raise
