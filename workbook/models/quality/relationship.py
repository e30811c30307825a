"""The nine relationship qualities: gap scores and importance–performance.

Seed 002 says what good service is, seen as a relationship: caring, politeness, honesty,
willingness to help, promptness, accessibility, friendliness, knowledge and professionalism.
A customer judges each by comparing what they expected with what they got (seed 002's phone
example: answered by the 4th ring, expectations are met; later, they are disappointed). So a
survey (schema, loader and sample in :mod:`workbook.data.surveys`) asks, per quality, for an
expectation and a perception score, as SERVQUAL does (Parasuraman, Zeithaml & Berry 1988),
and the **gap** ``perception − expectation`` says where service falls short (negative) or
beats expectations (positive). :func:`importance_performance` says where to concentrate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook.core.validation import ParameterError
from workbook.data.surveys import QUALITIES

__all__ = [
    "IMPORTANCE_METHODS",
    "QUADRANTS",
    "QUADRANT_LABELS",
    "ImportancePerformance",
    "gap_scores",
    "importance_performance",
    "respondent_gaps",
    "respondent_segments",
]

IMPORTANCE_METHODS: tuple[str, ...] = ("auto", "stated", "derived")
"""How :func:`importance_performance` takes importance."""

QUADRANTS: tuple[str, ...] = (
    "concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill",
)
"""Importance–performance quadrants (Martilla & James 1977)."""

QUADRANT_LABELS: Mapping[str, str] = MappingProxyType({
    "concentrate_here": "Concentrate here",
    "keep_up_the_good_work": "Keep up the good work",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
    "undetermined": "Undetermined",
})


def respondent_segments(survey: pd.DataFrame) -> pd.Series:
    """Each respondent's segment, indexed by ``respondent_id`` (in order of appearance)."""
    first = survey.drop_duplicates("respondent_id")
    return pd.Series(first["segment"].to_numpy(), index=pd.Index(
        first["respondent_id"].to_numpy(), name="respondent_id"), name="segment")


def respondent_gaps(survey: pd.DataFrame) -> pd.DataFrame:
    """Gap ``perception − expectation`` per respondent (rows) and quality (columns).

    Columns are the qualities present, in :data:`QUALITIES` order; a skipped quality is NaN.
    Rows follow the order in which respondents first appear.
    """
    gaps = survey.assign(gap=survey["perception"] - survey["expectation"]).pivot(
        index="respondent_id", columns="quality", values="gap")
    order = respondent_segments(survey).index
    present = [q for q in QUALITIES if q in gaps.columns]
    gaps = gaps.reindex(index=order, columns=present)
    gaps.columns.name = "quality"
    return gaps


def gap_scores(survey: pd.DataFrame, *, by_segment: bool = False) -> pd.DataFrame:
    """Mean expectation, perception and gap per quality (and segment).

    Parameters
    ----------
    survey
        A validated survey.
    by_segment
        One block of rows per segment (index ``segment, quality``) instead of one for all.

    Returns
    -------
    pandas.DataFrame
        Index ``quality`` (in :data:`QUALITIES` order) or ``(segment, quality)``; columns
        ``expectation, perception, gap, respondents``.

    Notes
    -----
    The gap of a quality is the mean over the respondents who answered it of
    :math:`P_{iq} - E_{iq}`, which equals mean perception minus mean expectation, since each
    answer has both scores.

    References
    ----------
    Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL: a multiple-item scale
    for measuring consumer perceptions of service quality. *Journal of Retailing*, 64(1).

    Examples
    --------
    >>> rows = [("a", "s", "honesty", 6, 5), ("b", "s", "honesty", 4, 7)]
    >>> columns = ["respondent_id", "segment", "quality", "expectation", "perception"]
    >>> scores = gap_scores(pd.DataFrame(rows, columns=columns))
    >>> scores.loc["honesty"].tolist()
    [5.0, 6.0, 1.0, 2.0]
    """
    keys = ["segment", "quality"] if by_segment else ["quality"]
    table = survey.groupby(keys, sort=False).agg(
        expectation=("expectation", "mean"), perception=("perception", "mean"),
        respondents=("respondent_id", "size"))
    table.insert(2, "gap", table["perception"] - table["expectation"])
    rank = {q: i for i, q in enumerate(QUALITIES)}
    order = sorted(table.index, key=lambda k: (k[0], rank[k[1]]) if by_segment else rank[k])
    return table.loc[order]


@dataclass(frozen=True, slots=True)
class ImportancePerformance:
    """An importance–performance analysis (:func:`importance_performance`).

    Attributes
    ----------
    table
        Index ``quality``; columns ``importance, performance, expectation, gap, quadrant``.
    importance_method
        ``"stated"`` (mean importance score) or ``"derived"`` (see the function's Notes).
    importance_cut, performance_cut
        The crosshairs: mean importance and mean performance over the qualities.
    """

    table: pd.DataFrame
    importance_method: str
    importance_cut: float
    performance_cut: float

    def priorities(self) -> list[str]:
        """Qualities to concentrate on, the widest shortfall of expectation first."""
        focus = self.table[self.table["quadrant"] == "concentrate_here"]
        return focus.sort_values("gap").index.tolist()


def _derived_importance(survey: pd.DataFrame) -> pd.Series:
    scores = survey.pivot(index="respondent_id", columns="quality", values="perception")
    totals, counts = scores.sum(axis=1), scores.count(axis=1)
    result = {}
    for quality in scores.columns:
        rest = (totals - scores[quality]) / (counts - 1)
        pair = pd.concat([scores[quality], rest], axis=1).dropna()
        spread = pair.std()
        usable = len(pair) > 2 and bool((spread > 0).all())
        result[quality] = float(pair.iloc[:, 0].corr(pair.iloc[:, 1])) if usable else np.nan
    return pd.Series(result, dtype="float64")


def importance_performance(
    survey: pd.DataFrame, *, importance: str = "auto"
) -> ImportancePerformance:
    """Importance–performance analysis of the nine qualities.

    Parameters
    ----------
    survey
        A validated survey.
    importance
        ``"stated"``: the mean of the ``importance`` column; ``"derived"``: from perceptions
        (see Notes); ``"auto"`` (default): stated when the survey has importance scores,
        derived otherwise.

    Returns
    -------
    ImportancePerformance
        Per quality: importance, performance (mean perception), mean expectation, gap and
        quadrant, with the crosshairs.

    Notes
    -----
    Performance is the mean perception :math:`\\bar P_q`. Derived importance is the corrected
    item–total correlation: across respondents, the Pearson correlation of the quality's
    perception with the mean perception of the *other* qualities the respondent answered, a
    stand-in for an overall-satisfaction score the schema does not ask for. A quality whose
    scores do not vary (or with fewer than three answers) gets NaN and quadrant
    ``"undetermined"``.

    The crosshairs are the means over qualities of importance and of performance (the
    data-centred variant, which works for either importance scale); a value at a cut counts as
    high. Quadrants: high importance and low performance, *concentrate here*; high and high,
    *keep up the good work*; low and low, *low priority*; low importance and high
    performance, *possible overkill*.

    References
    ----------
    Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77–79.

    Examples
    --------
    >>> from workbook.data.surveys import load_survey
    >>> ipa = importance_performance(load_survey())
    >>> ipa.importance_method
    'stated'
    """
    if importance not in IMPORTANCE_METHODS:
        raise ParameterError("importance", "one of " + ", ".join(IMPORTANCE_METHODS),
                             importance)
    stated = "importance" in survey.columns and bool(survey["importance"].notna().any())
    if importance == "stated" and not stated:
        raise ParameterError("importance", "'derived' or 'auto': the survey has no "
                             "importance scores", importance)
    method = "stated" if importance == "stated" or (importance == "auto" and stated) else "derived"
    scores = gap_scores(survey)
    if method == "stated":
        weight = survey.groupby("quality")["importance"].mean()
    else:
        weight = _derived_importance(survey)
    table = pd.DataFrame({
        "importance": weight.reindex(scores.index).astype("float64"),
        "performance": scores["perception"],
        "expectation": scores["expectation"],
        "gap": scores["gap"],
    })
    importance_cut = float(table["importance"].mean())
    performance_cut = float(table["performance"].mean())
    high_i = table["importance"] >= importance_cut
    high_p = table["performance"] >= performance_cut
    quadrant = np.select(
        [high_i & ~high_p, high_i & high_p, ~high_i & ~high_p, ~high_i & high_p],
        list(QUADRANTS), default="undetermined")
    quadrant[table["importance"].isna().to_numpy()] = "undetermined"
    table["quadrant"] = quadrant
    return ImportancePerformance(table, method, importance_cut, performance_cut)

