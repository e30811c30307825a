"""The service-quality analysis of notebook 06 and the dashboard, each in one call.

:func:`analyse_survey` reads a survey: the gap per quality, the importance–performance matrix
and Drucker's levels (:data:`~workbook.models.quality.drucker.DRUCKER_LEVELS`); the
responsiveness dashboard shows its gaps and level mix. :func:`analyse_service_quality` adds
what a step up a level is worth, the decay of quality without maintenance
(:data:`~workbook.models.quality.decay.SERVICE_DECAY`) and the imitation moat
(:data:`~workbook.models.roi.moat.MOAT`); its :meth:`~ServiceQualityAnalysis.headline` and
:meth:`~ServiceQualityAnalysis.parameters` are what ``workbook run`` publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.data.surveys import SAMPLE_SURVEY, load_survey
from workbook.models.quality.decay import (
    SERVICE_DECAY,
    DecayParams,
    DecayResult,
    compute_service_decay,
)
from workbook.models.quality.drucker import (
    DRUCKER_LEVELS,
    DruckerLevels,
    DruckerRules,
    LevelUplifts,
    best_level_shift,
    level_shift_values,
    place_levels,
)
from workbook.models.quality.relationship import (
    ImportancePerformance,
    gap_scores,
    importance_performance,
)
from workbook.models.roi.moat import MOAT, MoatParams, MoatResult
from workbook.models.roi.service_roi import ServiceRoiParams

__all__ = [
    "ServiceQualityAnalysis",
    "SurveyAnalysis",
    "analyse_service_quality",
    "analyse_survey",
]


@dataclass(frozen=True, slots=True)
class SurveyAnalysis:
    """What a survey says (:func:`analyse_survey`).

    Attributes
    ----------
    survey, source
        The validated survey and where it came from (the path as given).
    scores
        :func:`~workbook.models.quality.relationship.gap_scores` for all respondents.
    importance_performance
        :func:`~workbook.models.quality.relationship.importance_performance`.
    levels
        :func:`~workbook.models.quality.drucker.place_levels`.
    """

    survey: pd.DataFrame
    source: str
    scores: pd.DataFrame
    importance_performance: ImportancePerformance
    levels: DruckerLevels


def analyse_survey(
    survey_path: str | Path | None = None,
    rules: DruckerRules | None = None,
    *,
    importance: str = "auto",
) -> SurveyAnalysis:
    """Gaps, importance–performance and Drucker's levels of a survey file.

    Parameters
    ----------
    survey_path
        A survey CSV (:mod:`workbook.data.surveys`); the sample survey when omitted.
    rules
        Drucker's thresholds; registry defaults when omitted.
    importance
        ``"stated"``, ``"derived"`` or ``"auto"``, as in
        :func:`~workbook.models.quality.relationship.importance_performance`.

    Examples
    --------
    >>> reading = analyse_survey()
    >>> reading.importance_performance.priorities()[0], len(reading.levels.respondents)
    ('promptness', 300)
    """
    source = survey_path or SAMPLE_SURVEY
    survey = load_survey(source)
    return SurveyAnalysis(
        survey=survey,
        source=str(source),
        scores=gap_scores(survey),
        importance_performance=importance_performance(survey, importance=importance),
        levels=place_levels(rules, survey),
    )


@dataclass(frozen=True, slots=True)
class ServiceQualityAnalysis:
    """Outputs of :func:`analyse_service_quality`.

    Attributes
    ----------
    reading
        The survey's gaps, matrix and levels (:class:`SurveyAnalysis`).
    uplifts, roi
        Retention gained per level, and the service-ROI inputs the values go through.
    shift_values, best_shift
        :func:`~workbook.models.quality.drucker.level_shift_values` of the mix of all
        respondents, and the shift worth most.
    decay
        :func:`~workbook.models.quality.decay.compute_service_decay`.
    moat
        :func:`~workbook.models.roi.moat.compute_moat`.
    """

    reading: SurveyAnalysis
    uplifts: LevelUplifts
    roi: ServiceRoiParams
    shift_values: pd.DataFrame
    best_shift: str
    decay: DecayResult
    moat: MoatResult

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready)."""
        scores = self.reading.scores
        return {
            **DRUCKER_LEVELS.headline(self.reading.levels),
            "worst_gap_quality": scores["gap"].idxmin(), "worst_gap": scores["gap"].min(),
            "concentrate_here": self.reading.importance_performance.priorities(),
            "best_level_shift": self.best_shift,
            "best_level_shift_present_value":
                self.shift_values.loc[self.best_shift, "present_value"],
            "steady_state_maintenance_spend": self.decay.optimum.steady_state_spend,
            **SERVICE_DECAY.headline(self.decay), **MOAT.headline(self.moat),
        }

    def parameters(self) -> dict[str, Any]:
        """The inputs as a report records them (JSON-ready)."""
        return {
            **self.roi.to_dict(), **self.reading.levels.rules.to_dict(),
            **self.uplifts.to_dict(), **self.decay.params.to_dict(),
            **self.moat.params.to_dict(), "survey": self.reading.source,
            "importance": self.reading.importance_performance.importance_method,
        }


def analyse_service_quality(
    survey_path: str | Path | None = None,
    *,
    importance: str = "auto",
    rules: DruckerRules | None = None,
    uplifts: LevelUplifts | None = None,
    roi: ServiceRoiParams | None = None,
    decay: DecayParams | None = None,
    moat: MoatParams | None = None,
) -> ServiceQualityAnalysis:
    """Where service falls short, who is merely satisfied, what keeping it good costs and earns.

    Parameters
    ----------
    survey_path, importance, rules
        As in :func:`analyse_survey`.
    uplifts, roi, decay, moat
        The level uplifts, service-ROI, decay and moat inputs; registry defaults when
        omitted.

    Examples
    --------
    >>> analysis = analyse_service_quality()
    >>> analysis.best_shift, round(analysis.headline()["long_run_quality"], 3)
    ('dissatisfied→satisfy', 0.667)
    """
    uplifts = uplifts if uplifts is not None else LevelUplifts()
    roi = roi if roi is not None else ServiceRoiParams()
    reading = analyse_survey(survey_path, rules, importance=importance)
    shift_values = level_shift_values(reading.levels.shares.loc["all"], uplifts, roi)
    return ServiceQualityAnalysis(
        reading=reading,
        uplifts=uplifts,
        roi=roi,
        shift_values=shift_values,
        best_shift=best_level_shift(shift_values),
        decay=compute_service_decay(decay if decay is not None else DecayParams(), roi),
        moat=MOAT.compute(moat if moat is not None else MoatParams()),
    )
