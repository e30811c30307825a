"""Charts of customer value: traces carry the numbers, figures keep their trace count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workbook.models.value import ClvResult, compute_customer_value, value_by_stage
from workbook.plotting.value.lifetime_value import (
    alive_matrix_traces,
    clv_distribution_traces,
    plot_alive_matrix,
    plot_clv_distribution,
    plot_value_at_risk,
    value_at_risk_traces,
)


@pytest.fixture(scope="module")
def result() -> ClvResult:
    from workbook.data.summary import summarize_customers

    return compute_customer_value(summarize_customers("data/samples/transactions.csv"))


def test_distribution_counts_every_customer(result: ClvResult) -> None:
    traces = clv_distribution_traces(result)
    assert sum(traces["data"][0]["y"]) == len(result.customers)
    figure = plot_clv_distribution(result)
    assert len(figure.data) == 1 and figure.layout.xaxis.type == "log"
    assert "2,828 customers" in figure.layout.title.text


def test_alive_matrix_is_a_probability_heat_map(result: ClvResult) -> None:
    data = alive_matrix_traces(result, max_frequency=12)["data"][0]
    z = np.asarray(data["z"], dtype=float)
    assert z.shape == (13, 51) and np.nanmax(z) <= 1 and np.nanmin(z) >= 0
    figure = plot_alive_matrix(result)
    assert len(figure.data) == 1 and isinstance(figure.data[0], go.Heatmap)


def test_value_at_risk_stacks_by_stage(result: ClvResult) -> None:
    stages = pd.Series(np.where(result.customers["frequency"] > 0, "repeat", "first_time"),
                       index=result.customers.index)
    table = value_by_stage(result, stages)
    kept, risk = value_at_risk_traces(table)["data"]
    assert sum(kept["y"]) == pytest.approx(result.customers["clv"].sum())
    assert sum(risk["y"]) == pytest.approx(result.customers["value_at_risk"].sum())
    figure = plot_value_at_risk(table)
    assert len(figure.data) == 2 and figure.layout.barmode == "stack"
    assert sorted(figure.data[0].x) == ["First-time customer", "Repeat customer"]


def test_traces_update_a_figure_in_place(result: ClvResult) -> None:
    figure = plot_clv_distribution(result)
    other = compute_customer_value(result.customers.iloc[:500])
    with figure.batch_update():
        for trace, data in zip(figure.data, clv_distribution_traces(other)["data"],
                               strict=True):
            trace.update(data)
    assert sum(figure.data[0].y) == 500
