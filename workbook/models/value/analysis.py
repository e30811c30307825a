"""The customer-value analysis of notebook 03 and the dashboard's "Customer value" tab.

:func:`value_customers` takes a loyalty-ladder snapshot (each person's stage and purchase
history, :func:`workbook.models.loyalty.ladder.assign_stages`), fits lifetime value
(:data:`~workbook.models.value.lifetime_value.CUSTOMER_VALUE`), sums it per stage and plans the
win-back campaign (:data:`~workbook.models.value.winback.WINBACK`). The dashboard's tab
(:class:`workbook.ui.value_tab.ValueTab`) calls it on the ladder it shows, and moves a slider
through :meth:`CustomerValueAnalysis.with_stages` and :meth:`CustomerValueAnalysis.with_winback`
without a refit; notebook 03 calls :func:`analyse_customer_value`, which loads the files first.
:meth:`CustomerValueAnalysis.headline` is what ``workbook run`` publishes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbook.data.load import load_customer_data, parse_as_of
from workbook.data.schema import HISTORY_COLUMNS
from workbook.models.loyalty.ladder import LadderParams, assign_stages
from workbook.models.value.lifetime_value import (
    CUSTOMER_VALUE,
    ClvParams,
    ClvResult,
    clv_headline_text,
    compute_customer_value,
    value_by_stage,
)
from workbook.models.value.winback import (
    WINBACK,
    WinbackParams,
    WinbackResult,
    compute_winback_campaign,
    winback_headline_text,
)

__all__ = [
    "CustomerValueAnalysis",
    "analyse_customer_value",
    "customer_summary",
    "value_customers",
]


def customer_summary(snapshot: pd.DataFrame) -> pd.DataFrame:
    """The purchase history of everyone in ``snapshot`` who has bought.

    ``snapshot`` is a ladder snapshot (:func:`workbook.models.loyalty.ladder.assign_stages`),
    which carries :data:`workbook.data.schema.HISTORY_COLUMNS` as of its date; prospects (no
    purchase) are left out, as the purchase models need one.
    """
    buyers = snapshot[snapshot["purchase_days"] > 0]
    return buyers[list(HISTORY_COLUMNS)].astype("float64")


@dataclass(frozen=True, slots=True)
class CustomerValueAnalysis:
    """Outputs of :func:`value_customers` (and :func:`analyse_customer_value`).

    Attributes
    ----------
    value
        Every customer valued (:func:`~workbook.models.value.compute_customer_value`).
    stages
        The ladder stage of every person (by ``customer_id``).
    stage_value
        Value and value at risk per stage (:func:`~workbook.models.value.value_by_stage`).
    winback
        The win-back campaign (:func:`~workbook.models.value.winback.compute_winback_campaign`).
    as_of
        The snapshot's date, when known.
    ladder_params, source, column_map
        What a report records beside the model inputs: the ladder thresholds the stages come
        from, where the transactions came from, their column map (set by
        :func:`analyse_customer_value`).
    """

    value: ClvResult
    stages: pd.Series
    stage_value: pd.DataFrame
    winback: WinbackResult
    as_of: dt.date | None = None
    ladder_params: LadderParams | None = None
    source: str = ""
    column_map: str = ""

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready): lifetime value's, then the campaign's."""
        assert CUSTOMER_VALUE.headline is not None and WINBACK.headline is not None
        return {**CUSTOMER_VALUE.headline(self.value), **WINBACK.headline(self.winback)}

    def headline_text(self) -> str:
        """The headline as a few lines of plain text."""
        return f"{clv_headline_text(self.value)}\n{winback_headline_text(self.winback)}"

    def parameters(self) -> dict[str, Any]:
        """The inputs as a report records them (JSON-ready): ladder, value, win-back, data."""
        ladder = self.ladder_params.to_dict() if self.ladder_params is not None else {}
        return {
            **ladder, **self.value.params.to_dict(), **self.winback.params.to_dict(),
            "transactions": self.source,
            "as_of": self.as_of.isoformat() if self.as_of is not None else None,
            "column_map": self.column_map,
        }

    def with_stages(self, stages: pd.Series) -> CustomerValueAnalysis:
        """The same fit regrouped by other stages (a ladder threshold moved): no refit."""
        return dataclasses.replace(
            self, stages=stages, stage_value=value_by_stage(self.value, stages),
            winback=compute_winback_campaign(self.value, self.winback.params, stages))

    def with_winback(self, params: WinbackParams) -> CustomerValueAnalysis:
        """The same fit with another campaign (a win-back input moved): no refit."""
        return dataclasses.replace(
            self, winback=compute_winback_campaign(self.value, params, self.stages))


def value_customers(snapshot: pd.DataFrame, clv_params: ClvParams | None = None,
                    winback_params: WinbackParams | None = None, *,
                    as_of: dt.date | None = None) -> CustomerValueAnalysis:
    """Value the customers of a ladder snapshot, per stage, and plan the win-back campaign.

    Parameters
    ----------
    snapshot
        A ladder snapshot (:func:`workbook.models.loyalty.ladder.assign_stages`, or
        ``compute_ladder(...).snapshot``): ``stage`` and the purchase history of every person.
    clv_params, winback_params
        Registry defaults when omitted.
    as_of
        The snapshot's date, recorded with the result.

    Returns
    -------
    CustomerValueAnalysis

    Raises
    ------
    ClvError
        When the models cannot be fitted (see
        :func:`~workbook.models.value.compute_customer_value`).
    """
    stages = snapshot["stage"]
    value = compute_customer_value(customer_summary(snapshot), clv_params)
    return CustomerValueAnalysis(
        value=value, stages=stages, stage_value=value_by_stage(value, stages),
        winback=compute_winback_campaign(value, winback_params, stages), as_of=as_of)


def analyse_customer_value(
    ladder_params: LadderParams | None = None,
    clv_params: ClvParams | None = None,
    winback_params: WinbackParams | None = None,
    transactions_path: str = "",
    customers_path: str = "",
    prospects_path: str = "",
    *,
    column_map: str = "",
    as_of: dt.date | str | None = None,
) -> CustomerValueAnalysis:
    """Load a business's files, place people on the ladder and value its customers.

    Parameters
    ----------
    ladder_params
        Ladder thresholds for the stages; registry defaults when omitted.
    clv_params, winback_params
        As in :func:`value_customers`.
    transactions_path, customers_path, prospects_path, column_map
        As :func:`workbook.data.load.load_customer_data` reads them (an empty transactions
        path: the sample business).
    as_of
        End of the observation period (``None`` or ``""``: the data's last date).

    Returns
    -------
    CustomerValueAnalysis

    Examples
    --------
    >>> analysis = analyse_customer_value()
    >>> analysis.headline()["customers"], analysis.parameters()["winback_alive_threshold"]
    (2828, 0.3)
    """
    ladder_params = ladder_params if ladder_params is not None else LadderParams()
    data = load_customer_data(transactions_path, customers_path, prospects_path,
                              column_map=column_map)
    day = parse_as_of(as_of) or data.as_of
    analysis = value_customers(assign_stages(data, ladder_params, day), clv_params,
                               winback_params, as_of=day)
    return dataclasses.replace(analysis, ladder_params=ladder_params, source=data.source,
                               column_map=column_map)
