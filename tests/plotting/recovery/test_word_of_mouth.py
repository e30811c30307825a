"""Word-of-mouth charts: the band spans the source ranges, updates in place."""

from __future__ import annotations

import pytest

from workbook.models.recovery.word_of_mouth import WordOfMouthParams, compute_word_of_mouth_range
from workbook.plotting.recovery.word_of_mouth import (
    plot_word_of_mouth_reach,
    plot_word_of_mouth_value,
    word_of_mouth_reach_traces,
    word_of_mouth_value_traces,
)

BASE = compute_word_of_mouth_range(WordOfMouthParams())
MOVED = compute_word_of_mouth_range(WordOfMouthParams(wom_happy_share=0.4,
                                                      wom_social_amplification=3))
CHARTS = [(plot_word_of_mouth_reach, word_of_mouth_reach_traces),
          (plot_word_of_mouth_value, word_of_mouth_value_traces)]


@pytest.mark.parametrize(("plot", "traces_of"), CHARTS)
def test_one_trace_updated_in_place_equals_a_fresh_figure(plot, traces_of) -> None:
    figure, fresh, traces = plot(BASE), plot(MOVED), traces_of(MOVED)
    assert len(figure.data) == len(traces["data"]) == 1
    with figure.batch_update():
        figure.data[0].update(traces["data"][0])
        figure.layout.title.text = traces["title"]
    assert figure.to_plotly_json() == fresh.to_plotly_json()


def test_reach_band_spans_the_source_ranges() -> None:
    data = word_of_mouth_reach_traces(BASE)["data"][0]
    happy, unhappy = data["y"]
    assert happy == 6_000 * 4 and unhappy == 1_000 * 12.5
    # 3-5 people for a happy customer, 10-15 for an unhappy one (seed 001)
    assert data["error_y"]["array"] == [6_000 * (5 - 4), 1_000 * (15 - 12.5)]
    assert data["error_y"]["arrayminus"] == [6_000 * (4 - 3), 1_000 * (12.5 - 10)]


def test_value_band_runs_from_pessimistic_to_optimistic() -> None:
    data = word_of_mouth_value_traces(BASE)["data"][0]
    net = data["y"][2]
    assert net == BASE.mid.net_value
    assert net + data["error_y"]["array"][2] == pytest.approx(
        BASE.cases["optimistic"].net_value)
    assert net - data["error_y"]["arrayminus"][2] == pytest.approx(
        BASE.cases["pessimistic"].net_value)
    assert data["y"][1] == -BASE.mid.value_lost
