"""Surveys of the nine relationship qualities: the schema, loading with validation, a sample.

Seed 002 names the nine qualities a customer judges service on, as a relationship: caring,
politeness, honesty, willingness to help, promptness, accessibility, friendliness, knowledge
and professionalism. A survey asks, per quality, for an expectation and a perception score,
as SERVQUAL does (Parasuraman, Zeithaml & Berry 1988); what the scores say (gaps,
importance–performance) is :mod:`workbook.models.quality.relationship`.

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
``python -m workbook.data.surveys``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook.core.atomic import atomic_write_text
from workbook.core.paths import SAMPLES
from workbook.core.validation import require_integer
from workbook.data.validate import SHOWN_ROWS, DataError, Problem

__all__ = [
    "QUALITIES",
    "QUALITY_LABELS",
    "REQUIRED_COLUMNS",
    "SAMPLE_SURVEY",
    "SCALE_MAX",
    "SCALE_MIN",
    "SURVEY_COLUMNS",
    "SurveyError",
    "generate_survey",
    "load_survey",
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


SAMPLE_SURVEY = SAMPLES / "survey.csv"
"""The sample survey written by :func:`write_sample_survey`."""

_SCORES = ("expectation", "perception", "importance")


class SurveyError(DataError):
    """A survey that does not follow the schema (a :class:`~workbook.data.DataError`).

    ``source`` is the file (or ``"<frame>"``), ``column`` the offending column, ``rows`` the
    first offending rows: file line numbers (the header is line 1) for a file, row positions
    from 0 for a frame.
    """


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
    >>> validate_survey(survey.assign(perception=9))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbook.data.surveys.SurveyError: <frame>: column 'perception': scores must be ... row 0 (9)
    """
    word = "line" if first_line else "row"
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SurveyError(source, [Problem(missing[0], "missing column (the survey needs "
                                           + ", ".join(REQUIRED_COLUMNS) + ")")])
    if len(frame) == 0:
        raise SurveyError(source, [Problem(REQUIRED_COLUMNS[0], "the survey has no rows")])
    columns = [c for c in SURVEY_COLUMNS if c in frame.columns]
    clean = frame.loc[:, columns].copy()
    clean.index = pd.RangeIndex(len(clean))
    line = np.arange(len(clean)) + first_line

    def fail(column: str, problem: str, bad: pd.Series) -> None:
        mask = bad.to_numpy(dtype=bool)
        raise SurveyError.at(source, column, problem, line[mask][:SHOWN_ROWS],
                             frame[column].to_numpy()[mask][:SHOWN_ROWS], word=word,
                             total=int(mask.sum()))

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
        raise SurveyError(str(path), [f"not a readable CSV file ({error})"]) from None
    return validate_survey(frame, str(path), first_line=2)

# --- the sample generator -------------------------------------------------------------------------

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


if __name__ == "__main__":
    print(write_sample_survey())
