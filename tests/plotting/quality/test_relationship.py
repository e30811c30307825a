"""Charts of service quality: fixed traces, and the traces a dashboard copies in place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workbook.data.surveys import QUALITIES, load_survey
from workbook.models.quality.drucker import (
    LEVEL_LABELS,
    LEVELS,
    DruckerRules,
    level_shares,
    respondent_levels,
)
from workbook.models.quality.relationship import gap_scores, importance_performance
from workbook.plotting.quality.relationship import (
    drucker_mix_traces,
    importance_performance_traces,
    plot_drucker_mix,
    plot_importance_performance,
    plot_quality_radar,
    quality_radar_traces,
)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return load_survey()


def assert_update_in_place(figure: go.Figure, traces: dict, fresh: go.Figure) -> None:
    """Copying ``traces`` into ``figure`` gives the same data and title as ``fresh``."""
    with figure.batch_update():
        for trace, data in zip(figure.data, traces["data"], strict=True):
            trace.update(data)
        figure.layout.title.text = traces["title"]
    for old, new in zip(figure.data, fresh.data, strict=True):
        for key in traces["data"][0]:
            assert np.array_equal(np.asarray(old[key], dtype=object),
                                  np.asarray(new[key], dtype=object)), key
    assert figure.layout.title.text == fresh.layout.title.text


def test_radar_has_expectation_and_perception_over_the_nine_qualities(survey) -> None:
    scores = gap_scores(survey)
    figure = plot_quality_radar(scores)
    assert [type(t).__name__ for t in figure.data] == ["Scatterpolar", "Scatterpolar"]
    assert [t.name for t in figure.data] == ["Expectation", "Perception"]
    expected, perceived = figure.data
    assert len(expected.theta) == 10 and expected.theta[0] == expected.theta[-1]  # closed loop
    assert perceived.r[:9] == pytest.approx(scores.loc[list(QUALITIES), "perception"].tolist())
    assert f"{scores['gap'].mean():+.2f}" in figure.layout.title.text


def test_radar_updates_in_place_for_another_segment(survey) -> None:
    by_segment = gap_scores(survey, by_segment=True)
    figure = plot_quality_radar(by_segment.loc["consumer"])
    enterprise = by_segment.loc["enterprise"]
    assert_update_in_place(figure, quality_radar_traces(enterprise),
                           plot_quality_radar(enterprise))


def test_importance_performance_has_points_and_two_crosshairs(survey) -> None:
    ipa = importance_performance(survey)
    figure = plot_importance_performance(ipa)
    assert [type(t).__name__ for t in figure.data] == ["Scatter"] * 3
    points, vertical, horizontal = figure.data
    assert len(points.x) == 9
    assert set(vertical.x) == {ipa.performance_cut}
    assert set(horizontal.y) == {ipa.importance_cut}
    assert "stated importance" in figure.layout.title.text
    derived = importance_performance(survey, importance="derived")
    assert_update_in_place(figure, importance_performance_traces(derived),
                           plot_importance_performance(derived))


def test_drucker_mix_has_one_stacked_trace_per_level(survey) -> None:
    shares = level_shares(respondent_levels(survey))
    figure = plot_drucker_mix(shares)
    assert [t.name for t in figure.data] == [LEVEL_LABELS[level] for level in LEVELS]
    assert figure.layout.barmode == "stack"
    assert list(figure.data[0].y) == ["consumer", "enterprise", "small_business", "all"]
    totals = np.sum([np.asarray(t.x) for t in figure.data], axis=0)
    assert totals == pytest.approx(np.ones(4))
    strict = level_shares(respondent_levels(survey, DruckerRules(drucker_satisfy_min_gap=0.0)))
    assert_update_in_place(figure, drucker_mix_traces(strict), plot_drucker_mix(strict))
