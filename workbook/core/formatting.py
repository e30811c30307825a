"""How numbers read on a KPI card, in a report headline and in tests: one place, one format."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbook.models.roi.service_roi import RoiResult
    from workbook.uncertainty import RoiSimulation

__all__ = [
    "format_money",
    "format_months",
    "format_percent",
    "risk_kpi_text",
    "roi_headline_text",
    "roi_kpi_texts",
]


def format_money(value: float | None) -> str:
    """Whole currency units with thousands separators and a true minus sign.

    Examples
    --------
    >>> format_money(384932.02)
    '384,932'
    >>> format_money(-1500.4)
    '−1,500'
    """
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{abs(value):,.0f}"
    return f"−{text}" if round(value) < 0 else text


def format_percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percent (0.0441 → ``4.4 %``).

    Examples
    --------
    >>> format_percent(0.74108)
    '74.1 %'
    >>> format_percent(None)
    '—'
    """
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{abs(value) * 100:,.{digits}f} %"
    return f"−{text}" if value < 0 and float(text.split()[0].replace(",", "")) != 0 else text


def format_months(value: float | None, horizon_years: int | None = None) -> str:
    """Payback in months, or why there is none.

    Examples
    --------
    >>> format_months(16.38)
    '16.4 months'
    >>> format_months(None, 5)
    'not within 5 years'
    """
    if value is None or not math.isfinite(value):
        return f"not within {horizon_years} years" if horizon_years else "none"
    return f"{value:.1f} months"


def roi_kpi_texts(result: RoiResult) -> dict[str, str]:
    """The text of each service-ROI KPI (``npv``, ``roi``, ``payback``, ``break-even``, ``clv``).

    The dashboard's KPI cards, the notebook's headline and the browser tests all read this,
    so what a person reads on the page and what the package computes agree by construction.
    """
    return {
        "npv": format_money(result.npv),
        "roi": format_percent(result.roi),
        "payback": format_months(result.payback_months, result.params.horizon_years),
        "break-even": format_percent(result.break_even_spend_uplift_rate),
        "clv": format_money(result.clv_after),
    }


def roi_headline_text(result: RoiResult) -> str:
    """The service-ROI headline as a few lines of plain text (notebooks and logs)."""
    kpi = roi_kpi_texts(result)
    return "\n".join(
        [
            f"Net present value:        {kpi['npv']} over {result.params.horizon_years} years",
            f"Return on investment:     {kpi['roi']}",
            f"Payback:                  {kpi['payback']}",
            f"Break-even spend uplift:  {kpi['break-even']} "
            f"(assumed: {format_percent(result.params.spend_uplift_excellent_service)})",
            f"Customers kept per year:  {result.customers_kept[1:].mean():,.0f}",
            f"Lifetime value:           {format_money(result.clv_before)} before, "
            f"{format_money(result.clv_after)} after",
        ]
    )


def risk_kpi_text(simulation: RoiSimulation) -> tuple[str, str]:
    """The risk KPI: the chance that the NPV is positive, and the P10–P90 span of the NPV.

    Examples
    --------
    >>> from workbook.uncertainty import simulate_service_roi
    >>> risk_kpi_text(simulate_service_roi())
    ('88 %', 'NPV P10 to P90: −27,245 to 986,378')
    """
    headline = simulation.headline()
    return (
        format_percent(headline["probability_npv_positive"], digits=0),
        f"NPV P10 to P90: {format_money(headline['npv_p10'])} to "
        f"{format_money(headline['npv_p90'])}",
    )
