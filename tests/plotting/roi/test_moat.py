"""Charts of the imitation moat: fixed traces, and the traces a dashboard copies in place."""

from __future__ import annotations

import numpy as np
import pytest

from workbook.models.roi.moat import ADVANTAGE_LABELS, ADVANTAGES, MoatParams, compute_moat
from workbook.plotting.roi.moat import (
    moat_earnings_traces,
    moat_traces,
    plot_moat,
    plot_moat_earnings,
)


def test_moat_bars_with_ranges_on_a_log_scale() -> None:
    result = compute_moat()
    figure = plot_moat(result)
    (bars,) = figure.data
    assert list(bars.x) == [ADVANTAGE_LABELS[k] for k in ADVANTAGES]
    assert list(bars.y) == pytest.approx(result.table["present_value"].tolist())
    assert figure.layout.yaxis.type == "log"
    assert np.all(np.asarray(bars.error_y.array) >= 0)
    assert "copied in 1 day" in bars.text[0] and "copied in 9 months" in bars.text[1]
    other = compute_moat(MoatParams(discount_rate=0.15, imitation_service_strategy=20))
    traces = moat_traces(other)
    with figure.batch_update():
        bars.update(traces["data"][0])
        figure.layout.title.text = traces["title"]
    fresh = plot_moat(other)
    assert list(bars.y) == pytest.approx(list(fresh.data[0].y))
    assert list(bars.text) == list(fresh.data[0].text)
    assert figure.layout.title.text == fresh.layout.title.text


def test_moat_earnings_one_line_per_advantage_flat_once_copied() -> None:
    result = compute_moat()
    figure = plot_moat_earnings(result)
    assert [t.name for t in figure.data] == [ADVANTAGE_LABELS[k] for k in ADVANTAGES]
    price = np.asarray(figure.data[0].y)
    assert np.all(price[1:] == pytest.approx(result.table.loc["price_cut", "present_value"]))
    service = np.asarray(figure.data[2].y)
    assert service[-1] == pytest.approx(result.table.loc["service_strategy", "present_value"])
    assert np.all(np.diff(service) >= 0)
    other = compute_moat(MoatParams(imitation_months_product=12))
    traces = moat_earnings_traces(other)
    with figure.batch_update():
        for trace, data in zip(figure.data, traces["data"], strict=True):
            trace.update(data)
    for old, new in zip(figure.data, plot_moat_earnings(other).data, strict=True):
        assert np.allclose(np.asarray(old.y, dtype=float), np.asarray(new.y, dtype=float))
