"""Charts of service decay: fixed traces, and the traces a dashboard copies in place."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from workbook.models.quality.decay import DecayParams, compute_service_decay
from workbook.plotting.quality.decay import (
    decay_path_traces,
    maintenance_npv_traces,
    plot_decay_path,
    plot_maintenance_npv,
)


def assert_update_in_place(figure: go.Figure, traces: dict, fresh: go.Figure) -> None:
    """Copying ``traces`` into ``figure`` gives the same data and title as ``fresh``."""
    with figure.batch_update():
        for trace, data in zip(figure.data, traces["data"], strict=True):
            trace.update(data)
        figure.layout.title.text = traces["title"]
    for old, new in zip(figure.data, fresh.data, strict=True):
        assert np.allclose(np.asarray(old.x, dtype=float), np.asarray(new.x, dtype=float))
        assert np.allclose(np.asarray(old.y, dtype=float), np.asarray(new.y, dtype=float))
    assert figure.layout.title.text == fresh.layout.title.text


def test_decay_path_with_and_without_maintenance_and_the_long_run_level() -> None:
    result = compute_service_decay(DecayParams())
    figure = plot_decay_path(result)
    assert [type(t).__name__ for t in figure.data] == ["Scatter"] * 3
    kept, left, settle = figure.data
    assert len(kept.x) == 12 * result.roi.horizon_years + 1  # monthly points
    assert kept.y[0] == left.y[0] == 1.0
    assert kept.y[-1] == pytest.approx(result.quality[-1])
    assert left.y[-1] == pytest.approx(result.quality_without_maintenance[-1])
    assert list(settle.y) == pytest.approx([result.params.long_run_quality] * 2)
    other = compute_service_decay(DecayParams(service_quality_half_life_years=1,
                                              service_maintenance_spend=90_000))
    assert_update_in_place(figure, decay_path_traces(other), plot_decay_path(other))


def test_npv_against_maintenance_marks_the_chosen_and_the_best_spend() -> None:
    result = compute_service_decay(DecayParams())
    figure = plot_maintenance_npv(result)
    curve, chosen, best = figure.data
    assert len(curve.x) == len(result.spend_grid)
    assert (chosen.x[0], chosen.y[0]) == pytest.approx((40_000, result.npv))
    assert best.y[0] == pytest.approx(result.optimum.npv)
    assert max(curve.y) <= best.y[0] + 1e-6
    other = compute_service_decay(DecayParams(service_quality_initial=0.5))
    assert_update_in_place(figure, maintenance_npv_traces(other), plot_maintenance_npv(other))
