"""Drucker's four levels of service, placed from survey gaps, and what moving up is worth.

Seed 003 gives Peter Drucker's levels: **1 satisfy** (the basic needs are met so that the
customer has nothing to complain about: the minimum to survive), **2 exceed expectations**
(the condition for growth), **3 delight** (do much more than meet or exceed) and **4 amaze**
(the highest form: always do more than you are paid for). Below the first level a customer is
*dissatisfied*.

The texts name the levels, not how to measure them. The workbook places a respondent from
their gaps ``perception − expectation`` over the nine qualities
(:mod:`workbook.models.quality.relationship`) by the rules of :class:`DruckerRules`, whose
thresholds are registry entries; a segment is placed by the same rules applied to its mean gap
per quality (:func:`place_levels`, declared once as :data:`DRUCKER_LEVELS`). What moving a
share of customers up a level is worth goes through the service-ROI model
(:mod:`workbook.models.roi.service_roi`): the retention gained per level
(:class:`LevelUplifts`, fictional registry defaults: measure them) becomes its
``retention_uplift_rate``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook.core.declare import Params
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError, require_fraction
from workbook.data.surveys import load_survey
from workbook.models.quality.relationship import respondent_gaps, respondent_segments
from workbook.models.roi.service_roi import ServiceRoiParams, compute_service_roi

__all__ = [
    "DRUCKER_LEVELS",
    "LEVELS",
    "LEVEL_LABELS",
    "DruckerLevels",
    "DruckerRules",
    "LevelUplifts",
    "assign_levels",
    "best_level_shift",
    "level_shares",
    "level_shift_values",
    "place_levels",
    "respondent_levels",
    "roi_params_for_shift",
    "segment_levels",
]

LEVELS: tuple[str, ...] = ("dissatisfied", "satisfy", "exceed", "delight", "amaze")
"""Drucker's four levels, lowest first, after the level below them."""

LEVEL_LABELS: Mapping[str, str] = MappingProxyType({
    "dissatisfied": "Below satisfy (dissatisfied)",
    "satisfy": "1 Satisfy",
    "exceed": "2 Exceed expectations",
    "delight": "3 Delight",
    "amaze": "4 Amaze",
})

_TOLERANCE = 1e-9  # a mean of integer gaps that equals a threshold counts as reaching it


@dataclass(frozen=True, slots=True, kw_only=True)
class DruckerRules(Params):
    """Thresholds, in scale points of gap ``perception − expectation``, that place a level.

    Attributes
    ----------
    drucker_satisfy_min_gap
        *Satisfy*: no answered quality falls short of expectation by more than this (a gap at
        or above it, e.g. −1; from −6 to 0). Below it the customer has a reason to complain:
        dissatisfied.
    drucker_exceed_mean_gap
        *Exceed*: satisfied, and the mean gap is at least this (0 to 6).
    drucker_delight_mean_gap
        *Delight*: satisfied, and the mean gap is at least this (0 to 6, and at least
        ``drucker_exceed_mean_gap``).
    drucker_amaze_min_gap
        *Amaze*: delighted, and every answered quality beats expectation by at least this
        (0 to 6).
    """

    drucker_satisfy_min_gap: float = assumed("drucker_satisfy_min_gap")
    drucker_exceed_mean_gap: float = assumed("drucker_exceed_mean_gap")
    drucker_delight_mean_gap: float = assumed("drucker_delight_mean_gap")
    drucker_amaze_min_gap: float = assumed("drucker_amaze_min_gap")

    def check(self) -> None:
        """Delight asks at least as much as exceed."""
        if self.drucker_delight_mean_gap < self.drucker_exceed_mean_gap:
            raise ParameterError(
                "drucker_delight_mean_gap",
                f"at least drucker_exceed_mean_gap ({self.drucker_exceed_mean_gap:g}): delight "
                "is more than exceeding expectations", self.drucker_delight_mean_gap)


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelUplifts(Params):
    """Annual retention gained by moving a customer up into each level from the one below.

    Fractions per year (percentage points of retention, 0.04 = 4 points; at most 0.5).
    Fictional registry defaults: measure them as the retention differences between
    respondents at adjacent levels, with the survey linked to the customer file.

    Attributes
    ----------
    drucker_retention_uplift_satisfy, drucker_retention_uplift_exceed
        Dissatisfied → satisfy, satisfy → exceed.
    drucker_retention_uplift_delight, drucker_retention_uplift_amaze
        Exceed → delight, delight → amaze.
    """

    drucker_retention_uplift_satisfy: float = assumed("drucker_retention_uplift_satisfy")
    drucker_retention_uplift_exceed: float = assumed("drucker_retention_uplift_exceed")
    drucker_retention_uplift_delight: float = assumed("drucker_retention_uplift_delight")
    drucker_retention_uplift_amaze: float = assumed("drucker_retention_uplift_amaze")

    def step(self, level: str) -> float:
        """Retention gained by moving up into ``level`` (not ``"dissatisfied"``)."""
        if level not in LEVELS[1:]:
            raise ParameterError("level", "one of " + ", ".join(LEVELS[1:]), level)
        return float(getattr(self, f"drucker_retention_uplift_{level}"))


def assign_levels(gaps: pd.DataFrame, rules: DruckerRules | None = None) -> pd.Series:
    """Drucker level of each row of a gap table.

    Parameters
    ----------
    gaps
        One row per respondent (or segment), one column per quality, values
        ``perception − expectation``; NaN for a quality not answered.
    rules
        The thresholds; registry defaults when omitted.

    Returns
    -------
    pandas.Series
        Ordered categorical over :data:`LEVELS`, same index as ``gaps``, named ``level``.

    Raises
    ------
    ParameterError
        When a row has no answered quality.

    Notes
    -----
    With :math:`g_{\\min}` and :math:`\\bar g` the smallest and the mean gap over the answered
    qualities, the level is the highest whose test passes:

    ============  =========================================================
    level         test
    ============  =========================================================
    dissatisfied  :math:`g_{\\min} < s` (a reason to complain)
    satisfy       :math:`g_{\\min} \\ge s`
    exceed        satisfy and :math:`\\bar g \\ge e`
    delight       satisfy and :math:`\\bar g \\ge d`
    amaze         delight and :math:`g_{\\min} \\ge a`
    ============  =========================================================

    with :math:`s, e, d, a` the fields of :class:`DruckerRules`. "At or above" allows
    :math:`10^{-9}` for rounding, so a mean of nine integer gaps that equals a threshold
    reaches it.

    References
    ----------
    Drucker's levels of customer service, as listed in seed 003 (blog post, 13 May 2008).

    Examples
    --------
    >>> gaps = pd.DataFrame({"honesty": [-2, 0, 1, 2, 1], "knowledge": [1, 0, 0, 0, 1]})
    >>> assign_levels(gaps).tolist()
    ['dissatisfied', 'satisfy', 'exceed', 'delight', 'amaze']
    """
    rules = rules if rules is not None else DruckerRules()
    values = gaps.to_numpy(dtype=np.float64)
    empty = np.isnan(values).all(axis=1)
    if empty.any():
        raise ParameterError("gaps", "at least one answered quality per row",
                             gaps.index[empty].tolist()[:5])
    low, mean = np.nanmin(values, axis=1), np.nanmean(values, axis=1)
    satisfied = low >= rules.drucker_satisfy_min_gap - _TOLERANCE
    delighted = satisfied & (mean >= rules.drucker_delight_mean_gap - _TOLERANCE)
    codes = (satisfied.astype(np.int64)
             + (satisfied & (mean >= rules.drucker_exceed_mean_gap - _TOLERANCE))
             + delighted
             + (delighted & (low >= rules.drucker_amaze_min_gap - _TOLERANCE)))
    levels = pd.Categorical.from_codes(codes, categories=list(LEVELS), ordered=True)
    return pd.Series(levels, index=gaps.index, name="level")


def respondent_levels(survey: pd.DataFrame, rules: DruckerRules | None = None) -> pd.DataFrame:
    """Each respondent's segment, mean and smallest gap, and Drucker level.

    Returns
    -------
    pandas.DataFrame
        Index ``respondent_id``; columns ``segment, mean_gap, min_gap, level``.
    """
    gaps = respondent_gaps(survey)
    return pd.DataFrame({
        "segment": respondent_segments(survey),
        "mean_gap": gaps.mean(axis=1),
        "min_gap": gaps.min(axis=1),
        "level": assign_levels(gaps, rules),
    })


def segment_levels(survey: pd.DataFrame, rules: DruckerRules | None = None) -> pd.DataFrame:
    """Each segment placed on a level from its mean gap per quality.

    The segment is read as one average respondent: its gap on each quality is the mean over
    the respondents who answered it, and :func:`assign_levels` applies to that profile. (The
    mix of the respondents' own levels is :func:`level_shares`.)

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (sorted); columns ``respondents, mean_gap, min_gap, level``.
    """
    gaps = respondent_gaps(survey)
    segments = respondent_segments(survey)
    profile = gaps.groupby(segments, sort=True).mean()
    profile.index.name = "segment"
    return pd.DataFrame({
        "respondents": segments.value_counts().reindex(profile.index),
        "mean_gap": profile.mean(axis=1),
        "min_gap": profile.min(axis=1),
        "level": assign_levels(profile, rules),
    })


def level_shares(levels: pd.DataFrame) -> pd.DataFrame:
    """Share of respondents at each level, per segment and for all.

    Parameters
    ----------
    levels
        :func:`respondent_levels` (columns ``segment`` and ``level``).

    Returns
    -------
    pandas.DataFrame
        One row per segment (sorted) and a last row ``"all"``; columns :data:`LEVELS`; each
        row sums to 1.

    Raises
    ------
    ParameterError
        When a segment is itself called ``"all"``.

    Examples
    --------
    >>> levels = pd.DataFrame({"segment": ["a", "a", "b"],
    ...                        "level": ["satisfy", "amaze", "amaze"]})
    >>> shares = level_shares(levels)
    >>> shares.loc["a", ["satisfy", "amaze"]].tolist(), round(float(shares.loc["all", "amaze"]), 3)
    ([0.5, 0.5], 0.667)
    """
    if (levels["segment"] == "all").any():
        raise ParameterError("segment", "names other than 'all' (the total row)", "all")
    level = levels["level"].astype("str")
    table = pd.crosstab(levels["segment"], level, normalize="index")
    table.loc["all"] = level.value_counts(normalize=True)
    table = table.reindex(columns=list(LEVELS)).fillna(0.0).astype("float64")
    table.index.name, table.columns.name = "segment", None
    return table


@dataclass(frozen=True, slots=True)
class DruckerLevels:
    """A survey's respondents and segments placed on Drucker's levels (:func:`place_levels`).

    Attributes
    ----------
    rules
        The thresholds used.
    respondents
        :func:`respondent_levels`: each respondent's segment, gaps and level.
    shares
        :func:`level_shares`: the mix of levels per segment and for ``"all"``.
    segments
        :func:`segment_levels`: each segment read as one average respondent.
    """

    rules: DruckerRules
    respondents: pd.DataFrame
    shares: pd.DataFrame
    segments: pd.DataFrame

    def headline(self) -> dict[str, float]:
        """Share of all respondents at each level, as ``share_<level>`` (JSON-ready)."""
        return self.shares.loc["all"].add_prefix("share_").to_dict()


def place_levels(rules: DruckerRules | None = None,
                 survey: pd.DataFrame | None = None) -> DruckerLevels:
    """Every respondent and segment of ``survey`` placed on a level by ``rules``.

    Parameters
    ----------
    rules
        The thresholds; registry defaults when omitted.
    survey
        A validated survey (:mod:`workbook.data.surveys`); the sample survey when omitted.

    Examples
    --------
    >>> placed = place_levels()
    >>> round(placed.headline()["share_satisfy"], 3)
    0.397
    """
    rules = rules if rules is not None else DruckerRules()
    survey = survey if survey is not None else load_survey()
    respondents = respondent_levels(survey, rules)
    return DruckerLevels(rules=rules, respondents=respondents,
                         shares=level_shares(respondents),
                         segments=segment_levels(survey, rules))


DRUCKER_LEVELS: Model[DruckerRules, DruckerLevels] = Model(
    name="drucker_levels",
    params_type=DruckerRules,
    compute=place_levels,
    headline=DruckerLevels.headline,
)
"""Drucker's levels, declared once: :class:`DruckerRules` in, :class:`DruckerLevels` out (on the
sample survey when run alone; :func:`place_levels` takes your own)."""


def _checked_shares(shares: Mapping[str, float] | pd.Series) -> dict[str, float]:
    values = {str(k): float(v) for k, v in dict(shares).items()}
    unknown = sorted(set(values) - set(LEVELS))
    if unknown:
        raise ParameterError("shares", "level keys among " + ", ".join(LEVELS), unknown)
    for level, value in values.items():
        require_fraction(f"shares[{level!r}]", value)
    total = sum(values.values())
    if abs(total - 1.0) > 1e-6:
        raise ParameterError("shares", "fractions summing to 1", round(total, 9))
    return {level: values.get(level, 0.0) for level in LEVELS}


def roi_params_for_shift(
    from_level: str,
    shares: Mapping[str, float] | pd.Series,
    uplifts: LevelUplifts | None = None,
    roi: ServiceRoiParams | None = None,
) -> ServiceRoiParams:
    """ROI inputs for moving every customer at ``from_level`` up one level.

    The customers reached are those at ``from_level`` (``excellent_service_share`` = its
    share) and their retention rises by the step into the next level
    (``retention_uplift_rate``); every other input is ``roi``'s (registry defaults when
    omitted).

    Examples
    --------
    >>> shares = {"dissatisfied": 0.3, "satisfy": 0.5, "exceed": 0.2}
    >>> params = roi_params_for_shift("satisfy", shares)
    >>> params.excellent_service_share, params.retention_uplift_rate
    (0.5, 0.04)
    """
    checked = _checked_shares(shares)
    if from_level not in LEVELS[:-1]:
        raise ParameterError("from_level", "one of " + ", ".join(LEVELS[:-1]), from_level)
    uplifts = uplifts if uplifts is not None else LevelUplifts()
    roi = roi if roi is not None else ServiceRoiParams()
    to_level = LEVELS[LEVELS.index(from_level) + 1]
    return roi.replace(excellent_service_share=checked[from_level],
                       retention_uplift_rate=uplifts.step(to_level))


def level_shift_values(
    shares: Mapping[str, float] | pd.Series,
    uplifts: LevelUplifts | None = None,
    roi: ServiceRoiParams | None = None,
) -> pd.DataFrame:
    """What moving each level's customers up one level is worth.

    Parameters
    ----------
    shares
        Share of customers at each level (e.g. a row of :func:`level_shares`); sums to 1.
    uplifts
        Retention gained per step; registry defaults when omitted.
    roi
        The service-ROI inputs (customers, acquisition cost, horizon, discount rate...);
        registry defaults when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per shift, index ``"dissatisfied→satisfy"``...; columns ``from_level,
        to_level, share, retention_uplift_rate, base_retention_uplift_rate,
        customers_kept_per_year, present_value``.

    Notes
    -----
    Shift :math:`k \\to k+1` reaches share :math:`p_k` of the :math:`N` customers and raises
    their retention by :math:`\\Delta_{k+1}`. Fed to
    :func:`workbook.models.roi.service_roi.compute_service_roi` as ``excellent_service_share``
    :math:`= p_k` and ``retention_uplift_rate`` :math:`= \\Delta_{k+1}` (see
    :func:`roi_params_for_shift`), with no spend uplift and no cost, its NPV is the present
    value of the acquisitions avoided, :math:`N p_k \\Delta_{k+1} A \\sum_{t=1}^{H} (1+d)^{-t}`:
    the most the shift is worth spending on, from retention alone.
    ``base_retention_uplift_rate`` :math:`= p_k \\Delta_{k+1}` is the same shift as a retention
    uplift of the whole base (for ``excellent_service_share = 1``). The shift worth most is
    :func:`best_level_shift`.

    Examples
    --------
    >>> shares = {"dissatisfied": 0.3, "satisfy": 0.5, "exceed": 0.2}
    >>> values = level_shift_values(shares)
    >>> values["customers_kept_per_year"].round(1).tolist()
    [240.0, 200.0, 40.0, 0.0]
    """
    checked = _checked_shares(shares)
    uplifts = uplifts if uplifts is not None else LevelUplifts()
    roi = roi if roi is not None else ServiceRoiParams()
    rows = []
    for from_level, to_level in itertools.pairwise(LEVELS):
        params = roi_params_for_shift(from_level, checked, uplifts, roi).replace(
            spend_uplift_excellent_service=0.0, upfront_investment=0.0, annual_service_cost=0.0)
        result = compute_service_roi(params)
        rows.append({
            "shift": f"{from_level}→{to_level}",
            "from_level": from_level,
            "to_level": to_level,
            "share": checked[from_level],
            "retention_uplift_rate": params.retention_uplift_rate,
            "base_retention_uplift_rate": checked[from_level] * params.retention_uplift_rate,
            "customers_kept_per_year": float(result.customers_kept[1]),
            "present_value": result.npv,
        })
    return pd.DataFrame(rows).set_index("shift")


def best_level_shift(values: pd.DataFrame) -> str:
    """The shift of :func:`level_shift_values` worth most (the first, on a tie)."""
    return str(values["present_value"].idxmax())
