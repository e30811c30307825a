"""The loyalty analysis of notebook 02, in one call: the data loaded, the ladder computed.

:func:`analyse_loyalty` loads a business's files (the sample business by default) and runs
:func:`~workbook.models.loyalty.ladder.compute_ladder`, the model of
:data:`~workbook.models.loyalty.ladder.LOYALTY_LADDER`, which the dashboard
(:class:`workbook.ui.loyalty_app.LoyaltyApp`) runs on its own data too. Its
:meth:`~LoyaltyAnalysis.headline` and :meth:`~LoyaltyAnalysis.parameters` are what ``workbook
run`` publishes. The notebook shows the result; it assembles nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workbook.data.load import CustomerData, load_customer_data
from workbook.models.loyalty.ladder import (
    LOYALTY_LADDER,
    LadderParams,
    LadderResult,
    compute_ladder,
    ladder_headline_text,
)

__all__ = ["LoyaltyAnalysis", "analyse_loyalty"]


@dataclass(frozen=True, slots=True)
class LoyaltyAnalysis:
    """Outputs of :func:`analyse_loyalty`.

    Attributes
    ----------
    data
        The loaded files.
    ladder
        The ladder on ``data`` (:func:`~workbook.models.loyalty.ladder.compute_ladder`).
    column_map
        The transactions' column map as given (``""``: none).
    forecast_periods
        Periods ahead in the stage forecast.
    """

    data: CustomerData
    ladder: LadderResult
    column_map: str
    forecast_periods: int

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready): :data:`LOYALTY_LADDER`'s."""
        assert LOYALTY_LADDER.headline is not None
        return dict(LOYALTY_LADDER.headline(self.ladder))

    def headline_text(self) -> str:
        """The headline as a few lines of plain text."""
        return ladder_headline_text(self.ladder)

    def parameters(self) -> dict[str, Any]:
        """The inputs as a report records them (JSON-ready)."""
        return {
            **self.ladder.params.to_dict(), "transactions": self.data.source,
            "as_of": self.ladder.as_of.isoformat(), "column_map": self.column_map,
            "forecast_periods": self.forecast_periods,
        }


def analyse_loyalty(
    params: LadderParams | None = None,
    transactions_path: str = "",
    customers_path: str = "",
    prospects_path: str = "",
    *,
    column_map: str = "",
    as_of: dt.date | str | None = None,
    forecast_periods: int = 4,
) -> LoyaltyAnalysis:
    """Load a business's files and place every person on the loyalty ladder.

    Parameters
    ----------
    params
        Ladder thresholds; registry defaults when omitted.
    transactions_path, customers_path, prospects_path
        Files as :func:`workbook.data.load.load_customer_data` reads them; an empty
        transactions path means the sample business.
    column_map
        The transactions' column names as ``"THEIRS:OURS, ..."``.
    as_of
        Snapshot date (``None`` or ``""``: the data's last date).
    forecast_periods
        Periods of ``ladder_period_days`` ahead in the Markov forecast.

    Returns
    -------
    LoyaltyAnalysis

    Examples
    --------
    >>> analysis = analyse_loyalty()
    >>> analysis.headline()["customers"], analysis.parameters()["ladder_lost_after_days"]
    (2828, 180)
    """
    data = load_customer_data(transactions_path, customers_path, prospects_path,
                              column_map=column_map)
    ladder = compute_ladder(data, params, as_of or None, forecast_periods=forecast_periods)
    return LoyaltyAnalysis(data=data, ladder=ladder, column_map=column_map,
                           forecast_periods=forecast_periods)
