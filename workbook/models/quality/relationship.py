"""The nine relationship qualities: survey data, gap scores and importance–performance.

Seed 002 says what good service is, seen as a relationship: caring, politeness, honesty,
willingness to help, promptness, accessibility, friendliness, knowledge and professionalism.
A customer judges each by comparing what they expected with what they got (seed 002's phone
example: answered by the 4th ring, expectations are met; later, they are disappointed). So a
survey asks, per quality, for an expectation and a perception score, as SERVQUAL does
(Parasuraman, Zeithaml & Berry 1988), and the **gap** ``perception − expectation`` says where
service falls short (negative) or beats expectations (positive).

Survey schema
-------------
Long format, one row per respondent and quality, scores on a 1–7 scale (1 = very low,
7 = very high):

=================  ===========================================================================
column             meaning
=================  ===========================================================================
``respondent_id``  text; the same id on each of the respondent's rows
``segment``        text, not blank; one segment per respondent (e.g. ``consumer``)
``quality``        one of :data:`QUALITIES` (``willingness_to_help``; case, spaces and hyphens
                   are normalised: ``"Willingness to help"`` reads as ``willingness_to_help``)
``expectation``    number from 1 to 7: how much of the quality the respondent expects
``perception``     number from 1 to 7: how much they got
``importance``     optional column, number from 1 to 7 or blank: how much the quality matters
=================  ===========================================================================

Each respondent answers each quality at most once and may skip some; statistics use the
qualities answered. :func:`load_survey` and :func:`validate_survey` check all of this and
name the file, the column and the first offending lines; they never modify their input.

The sample ``data/samples/survey.csv`` is written by :func:`write_sample_survey` from the
seeded :func:`generate_survey` (never edit it by hand): regenerate it with
``python -c "from workbook.models.quality.relationship import write_sample_survey; write_sample_survey()"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook.core.atomic import atomic_write_text
from workbook.core.paths import SAMPLES
from workbook.core.validation import ParameterError, require_integer

__all__ = [
    "IMPORTANCE_METHODS",
    "QUADRANTS",
    "QUADRANT_LABELS",
    "QUALITIES",
    "QUALITY_LABELS",
    "REQUIRED_COLUMNS",
    "SAMPLE_SURVEY",
    "SCALE_MAX",
    "SCALE_MIN",
    "SURVEY_COLUMNS",
    "ImportancePerformance",
    "SurveyError",
    "gap_scores",
    "generate_survey",
    "importance_performance",
    "load_survey",
    "respondent_gaps",
    "respondent_segments",
    "survey_csv_text",
    "validate_survey",
    "write_sample_survey",
]

QUALITIES: tuple[str, ...] = (
    "caring", "politeness", "honesty", "willingness_to_help", "promptness", "accessibility",
    "friendliness", "knowledge", "professionalism",
)
"""The nine relationship qualities of seed 002, in the text's order (stable keys)."""

QUALITY_LABELS: Mapping[str, str] = MappingProxyType(
    {key: key.replace("_", " ").capitalize() for key in QUALITIES}
)
"""Display name of each quality (``"Willingness to help"``)."""

SCALE_MIN, SCALE_MAX = 1, 7
"""The score scale of expectation, perception and importance."""

REQUIRED_COLUMNS: tuple[str, ...] = (
    "respondent_id", "segment", "quality", "expectation", "perception",
)
SURVEY_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, "importance")
"""Every column of the schema; ``importance`` is optional."""

IMPORTANCE_METHODS: tuple[str, ...] = ("auto", "stated", "derived")

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

SAMPLE_SURVEY = SAMPLES / "survey.csv"
"""The sample survey written by :func:`write_sample_survey`."""

_SCORES = ("expectation", "perception", "importance")
_SHOWN = 5  # offending lines named in an error message


class SurveyError(ValueError):
    """A survey that does not follow the schema, naming where.

    Attributes
    ----------
    source
        The file (or ``"<frame>"``) the survey came from.
    column
        The offending column.
    lines
        The first offending lines: file line numbers (the header is line 1) for a file, row
        positions from 0 for a frame.
    """

    def __init__(
        self, source: str, column: str, problem: str,
        lines: Sequence[int] = (), values: Sequence[object] = (), *, unit: str = "lines",
    ) -> None:
        self.source, self.column = source, column
        self.lines = [int(n) for n in lines[:_SHOWN]]
        where = ""
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines)
            more = f" and {len(lines) - _SHOWN} more" if len(lines) > _SHOWN else ""
            seen = ", ".join(repr(v) for v in values[:_SHOWN])
            where = f"; first offending {unit}: {shown}{more} (values: {seen})"
        super().__init__(f"{source}: column {column!r}: {problem}{where}")


def _normalise_quality(text: object) -> object:
    if not isinstance(text, str):
        return text
    return "_".join(text.strip().lower().replace("-", " ").split())


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("str").str.strip() == "")


def validate_survey(
    frame: pd.DataFrame, source: str = "<frame>", *, first_line: int = 0
) -> pd.DataFrame:
    """Check a survey against the schema and return a clean copy.

    Parameters
    ----------
    frame
        The survey in long format (see the module docstring). Not modified.
    source
        Name of where it came from, shown in error messages.
    first_line
        Number of the first data row in messages: 2 for a file with a header line (what
        :func:`load_survey` passes), 0 for row positions.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SURVEY_COLUMNS` (``importance`` only when present), text columns as
        ``str``, scores as ``float64``, quality keys normalised, a fresh ``RangeIndex``.

    Raises
    ------
    SurveyError
        A missing column, a blank id or segment, an unknown quality, a score that is not a
        number from 1 to 7, a quality answered twice, or a respondent in two segments.

    Examples
    --------
    >>> rows = [("r1", "retail", "Honesty", 6, 5)]
    >>> survey = pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS))
    >>> validate_survey(survey)["quality"].tolist()
    ['honesty']
    >>> validate_survey(survey.assign(perception=9))
    Traceback (most recent call last):
    ...
    workbook.models.quality.relationship.SurveyError: <frame>: column 'perception': scores must be numbers from 1 to 7; first offending rows: 0 (values: 9)
    """
    unit = "lines" if first_line else "rows"
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SurveyError(source, missing[0], "missing column (the survey needs "
                          + ", ".join(REQUIRED_COLUMNS) + ")")
    if len(frame) == 0:
        raise SurveyError(source, REQUIRED_COLUMNS[0], "the survey has no rows")
    columns = [c for c in SURVEY_COLUMNS if c in frame.columns]
    clean = frame.loc[:, columns].copy()
    clean.index = pd.RangeIndex(len(clean))
    line = np.arange(len(clean)) + first_line

    def fail(column: str, problem: str, bad: pd.Series) -> None:
        mask = bad.to_numpy(dtype=bool)
        raise SurveyError(source, column, problem, line[mask].tolist(),
                          frame[column].to_numpy()[mask].tolist(), unit=unit)

    for column in ("respondent_id", "segment"):
        blank = _blank(clean[column])
        if blank.any():
            fail(column, "blank values", blank)
        clean[column] = clean[column].astype("str").str.strip()
    clean["quality"] = clean["quality"].map(_normalise_quality)
    unknown = ~clean["quality"].isin(QUALITIES)
    if unknown.any():
        fail("quality", "unknown quality (expected one of " + ", ".join(QUALITIES) + ")",
             unknown)
    clean["quality"] = clean["quality"].astype("str")
    for column in (c for c in _SCORES if c in clean.columns):
        raw = clean[column]
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        allowed_blank = _blank(raw) if column == "importance" else pd.Series(False, raw.index)
        bad = ~numbers.between(SCALE_MIN, SCALE_MAX) & ~allowed_blank
        if bad.any():
            fail(column, f"scores must be numbers from {SCALE_MIN} to {SCALE_MAX}", bad)
        clean[column] = numbers
    twice = clean.duplicated(["respondent_id", "quality"], keep="first")
    if twice.any():
        fail("quality", "quality answered twice by the same respondent", twice)
    segments = clean.groupby("respondent_id")["segment"].transform("nunique")
    if (segments > 1).any():
        fail("segment", "respondent appears in more than one segment", segments > 1)
    return clean


def load_survey(path: Path | str = SAMPLE_SURVEY) -> pd.DataFrame:
    """Read a survey CSV and validate it (see :func:`validate_survey`).

    Examples
    --------
    >>> survey = load_survey()
    >>> sorted(survey["segment"].unique())
    ['consumer', 'enterprise', 'small_business']
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype={"respondent_id": "str", "segment": "str",
                                         "quality": "str"}, keep_default_na=False,
                            na_values={c: [""] for c in _SCORES})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise SurveyError(str(path), "", f"not a readable CSV file ({error})") from None
    return validate_survey(frame, str(path), first_line=2)


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
    >>> scores = gap_scores(pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS)))
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


# --- Sample data: a seeded, realistic survey -------------------------------------------------

_SEGMENTS: Mapping[str, float] = MappingProxyType(
    {"consumer": 0.5, "small_business": 0.3, "enterprise": 0.2})
# Mean expectation, perception and stated importance per quality (order of QUALITIES).
# Promptness and accessibility fall short (the 4th-ring problem), friendliness beats
# expectations; honesty, knowledge and promptness matter most.
_EXPECT = np.array([5.4, 5.8, 6.2, 5.9, 6.0, 5.7, 5.4, 6.0, 6.0])
_PERCEIVE = np.array([5.6, 6.1, 6.0, 5.6, 5.2, 5.1, 6.1, 5.8, 5.9])
_IMPORTANCE = np.array([5.2, 5.3, 6.4, 5.9, 6.3, 5.8, 4.9, 6.2, 6.0])
# Per segment: shift of expectations and of perceptions.
_SEGMENT_SHIFT: Mapping[str, tuple[float, float]] = MappingProxyType({
    "consumer": (0.0, 0.1), "small_business": (0.2, -0.1), "enterprise": (0.4, 0.2)})
_SKIP_SHARE = 0.02  # answers left blank


def generate_survey(*, respondents: int = 300, seed: int = 2) -> pd.DataFrame:
    """A realistic synthetic survey of the nine qualities, reproducible from ``seed``.

    Three segments (consumer 50 %, small business 30 %, enterprise 20 %, expecting more in
    that order). Each respondent has a general level of expectation and a general experience
    (a halo shared by all nine qualities) plus noise per answer; scores are rounded to the
    1–7 scale. About 2 % of answers are skipped. Promptness and accessibility fall short of
    expectations, friendliness and politeness beat them.

    Returns
    -------
    pandas.DataFrame
        The schema's columns (with ``importance``), integer scores, one row per answer.

    Examples
    --------
    >>> survey = generate_survey()
    >>> survey["respondent_id"].nunique(), len(survey.columns)
    (300, 6)
    """
    respondents = require_integer("respondents", respondents, low=1, high=1_000_000)
    rng = np.random.default_rng(seed)
    names = list(_SEGMENTS)
    segment = rng.choice(len(names), size=respondents, p=list(_SEGMENTS.values()))
    shift = np.array([_SEGMENT_SHIFT[n] for n in names])[segment]
    n = len(QUALITIES)
    expect_level = rng.normal(0.0, 0.45, respondents)[:, None]
    experience = rng.normal(0.0, 0.8, respondents)[:, None]
    expectation = _EXPECT + shift[:, :1] + expect_level + rng.normal(0, 0.35, (respondents, n))
    perception = _PERCEIVE + shift[:, 1:] + experience + rng.normal(0, 0.45, (respondents, n))
    importance = _IMPORTANCE + 0.5 * expect_level + rng.normal(0, 0.7, (respondents, n))
    answered = rng.random((respondents, n)) >= _SKIP_SHARE

    def score(values: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(values), SCALE_MIN, SCALE_MAX).astype(np.int64)

    rows, cols = np.nonzero(answered)
    width = len(str(respondents))
    ids = np.array([f"R{i + 1:0{width}d}" for i in range(respondents)])
    return pd.DataFrame({
        "respondent_id": ids[rows],
        "segment": np.array(names)[segment][rows],
        "quality": np.array(QUALITIES)[cols],
        "expectation": score(expectation)[rows, cols],
        "perception": score(perception)[rows, cols],
        "importance": score(importance)[rows, cols],
    })


def survey_csv_text(survey: pd.DataFrame) -> str:
    """The survey as CSV text, byte-for-byte the same for the same frame (``\\n`` lines)."""
    return survey.to_csv(index=False, lineterminator="\n")


def write_sample_survey(path: Path | str = SAMPLE_SURVEY, *, respondents: int = 300,
                        seed: int = 2) -> Path:
    """Write :func:`generate_survey` to ``path`` (atomically); returns the path."""
    return atomic_write_text(Path(path), survey_csv_text(
        generate_survey(respondents=respondents, seed=seed)))
