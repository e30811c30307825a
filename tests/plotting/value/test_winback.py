"""Charts of win-back: traces carry the numbers, figures keep their trace count."""

from __future__ import annotations

import pytest

from tests.models.value.test_winback import HAND
from workbook.models.value.winback import WinbackParams, compute_winback_campaign
from workbook.plotting.value.winback import (
    campaign_curve_traces,
    cost_comparison_traces,
    plot_campaign_curve,
    plot_cost_comparison,
    plot_winback_list,
    winback_list_traces,
)


def test_list_shows_the_best_candidates_best_on_top() -> None:
    result = compute_winback_campaign(HAND)
    data = winback_list_traces(result, top=2)["data"][0]
    assert data["y"] == ["C1", "C0"]  # plotly draws the last bar at the top
    assert list(data["x"]) == pytest.approx([10.0, 100.0])
    assert len(plot_winback_list(result).data) == 1


def test_campaign_curve_peaks_at_the_contacts_chosen() -> None:
    result = compute_winback_campaign(HAND)
    curve, marker = campaign_curve_traces(result)["data"]
    assert list(curve["y"]) == pytest.approx([0.0, 85.0, 80.0, 70.0])
    assert marker["x"] == [1] and marker["y"] == [pytest.approx(85.0)]
    assert len(plot_campaign_curve(result).data) == 2


def test_cost_comparison_by_hand() -> None:
    result = compute_winback_campaign(HAND, WinbackParams())
    assert cost_comparison_traces(result)["data"][0]["y"] == pytest.approx([150.0, 250.0])
    assert list(plot_cost_comparison(result).data[0].x) == ["Won back", "New customer"]
