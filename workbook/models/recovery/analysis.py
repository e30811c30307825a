"""The complaint and word-of-mouth analysis: every result a page or a report shows, computed once.

Notebook 04 and the dashboard (:class:`workbook.ui.recovery_app.RecoveryApp`) show the same
things for one set of inputs: the complaint flow, the capture-share lever, word of mouth over
the source ranges and a Monte Carlo of each model's net value. :func:`analyse_recovery` makes
those five calls in one place and :meth:`RecoveryAnalysis.headline` gives the numbers a report
publishes, so both surfaces give the same numbers for the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook.models.recovery.combined import RecoveryParams
from workbook.models.recovery.complaints import (
    CaptureLever,
    ComplaintResult,
    compute_capture_lever,
    compute_complaint_recovery,
)
from workbook.models.recovery.word_of_mouth import WordOfMouthRange, compute_word_of_mouth_range
from workbook.uncertainty.inputs import UncertaintyParams
from workbook.uncertainty.recovery import (
    RecoverySimulation,
    simulate_complaint_recovery,
    simulate_word_of_mouth,
)

__all__ = ["RecoveryAnalysis", "analyse_recovery"]


@dataclass(frozen=True, slots=True)
class RecoveryAnalysis:
    """Both models' results for one set of inputs (:func:`analyse_recovery`).

    Attributes
    ----------
    params
        The inputs (:class:`~workbook.models.recovery.combined.RecoveryParams`).
    complaints
        The complaint flow and its value
        (:func:`~workbook.models.recovery.complaints.compute_complaint_recovery`).
    lever
        Net value over the capture share
        (:func:`~workbook.models.recovery.complaints.compute_capture_lever`).
    stories
        Word of mouth over the source ranges
        (:func:`~workbook.models.recovery.word_of_mouth.compute_word_of_mouth_range`).
    complaint_risk, story_risk
        Monte Carlo of each model's net value
        (:func:`~workbook.uncertainty.recovery.simulate_complaint_recovery`,
        :func:`~workbook.uncertainty.recovery.simulate_word_of_mouth`).
    """

    params: Any
    complaints: ComplaintResult
    lever: CaptureLever
    stories: WordOfMouthRange
    complaint_risk: RecoverySimulation
    story_risk: RecoverySimulation

    def headline(self) -> dict[str, float | None]:
        """The headline numbers (JSON-ready): both models, their ranges and Monte Carlo."""
        low, high = self.stories.band("net_value")
        return {
            **self.complaints.headline(), **self.stories.mid.headline(),
            **self.complaint_risk.headline(), **self.story_risk.headline(),
            "word_of_mouth_net_value_low": low, "word_of_mouth_net_value_high": high,
        }


def analyse_recovery(params: Any = None,
                     uncertainty: UncertaintyParams | None = None) -> RecoveryAnalysis:
    """Complaint recovery and word of mouth for ``params``, with their Monte Carlo.

    Parameters
    ----------
    params
        A :class:`~workbook.models.recovery.combined.RecoveryParams`; registry defaults when
        omitted.
    uncertainty
        Draws, seed and ranges of both simulations; defaults (10,000 draws) when omitted.

    Examples
    --------
    >>> analysis = analyse_recovery(uncertainty=UncertaintyParams(draws=1_000))
    >>> round(analysis.headline()["complaint_net_value"])
    22687
    """
    params = params if params is not None else RecoveryParams()
    uncertainty = uncertainty or UncertaintyParams()
    complaint_params = params.complaint_params()
    story_params = params.word_of_mouth_params()
    return RecoveryAnalysis(
        params=params,
        complaints=compute_complaint_recovery(complaint_params),
        lever=compute_capture_lever(complaint_params),
        stories=compute_word_of_mouth_range(story_params),
        complaint_risk=simulate_complaint_recovery(complaint_params, uncertainty),
        story_risk=simulate_word_of_mouth(story_params, uncertainty),
    )
