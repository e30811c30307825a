"""Calibrate the service-ROI model from a business's own transactions.

The registry's business inputs describe a fictional business. With transaction data the three
that data can measure are replaced by measured values:

=============================  ===================================================================
ROI input                      measured as (as of the data's date)
=============================  ===================================================================
``customers``                  expected customers alive: the sum over customers of the BG/NBD
                               probability that the customer is still active (rounded)
``annual_spend_per_customer``  the mean expected spend over the next year of a customer alive
                               (BG/NBD expected purchases × Gamma-Gamma expected spend)
``annual_retention_rate``      the mean probability that a customer alive today is still alive a
                               year later (BG/NBD)
=============================  ===================================================================

The last two are :attr:`workbook.models.value.ClvResult.annual_spend_per_customer` and
:attr:`~workbook.models.value.ClvResult.annual_retention_rate`, whose definitions live with the
models. Margin, costs and the programme's effect are not in transaction logs: they stay
registry values (or the user's). Precedence, lowest first: registry default → measured → a
value the user sets.

The switch is the parameter :attr:`CalibrationParams.assumptions_from` (``"registry"`` or
``"data"``), shared by the ROI notebook, the dashboard and report runs, so the same inputs give
the same numbers everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.core.declare import Params, declared
from workbook.core.parameters import build_params
from workbook.core.validation import ParameterError
from workbook.models.roi.service_roi import ServiceRoiParams

__all__ = [
    "ASSUMPTIONS_FROM",
    "CALIBRATED_FIELDS",
    "CalibrationParams",
    "RoiCalibration",
    "calibrate_from_path",
    "calibrate_service_roi",
    "calibrated_roi_params",
    "roi_inputs_from_namespace",
]

ASSUMPTIONS_FROM = ("registry", "data")
"""The two settings of the switch: registry defaults, or measured from the data."""

CALIBRATED_FIELDS = ("customers", "annual_spend_per_customer", "annual_retention_rate")
"""The :class:`~workbook.models.roi.service_roi.ServiceRoiParams` fields measured from
transactions."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationParams(Params):
    """Where the ROI model's business inputs come from.

    Attributes
    ----------
    assumptions_from
        ``"registry"`` (the registry's defaults) or ``"data"`` (measured from transactions).
    data_path
        Transactions file (CSV or Parquet) for ``"data"``; ``None`` or ``""`` means the sample
        business in ``data/samples``.
    as_of
        Measure as of this date (ISO ``YYYY-MM-DD``); ``None`` means the last transaction date.
    """

    assumptions_from: str = declared("registry")
    data_path: str | None = declared(None)
    as_of: str | None = declared(None)

    def check(self) -> None:
        """``assumptions_from`` is one of :data:`ASSUMPTIONS_FROM`; ``as_of`` a date."""
        if self.assumptions_from not in ASSUMPTIONS_FROM:
            raise ParameterError("assumptions_from", "'registry' or 'data'",
                                 repr(self.assumptions_from))
        if self.as_of not in (None, ""):
            try:
                dt.date.fromisoformat(str(self.as_of))
            except ValueError:
                raise ParameterError("as_of", "a date as YYYY-MM-DD", repr(self.as_of)) from None


@dataclass(frozen=True, slots=True)
class RoiCalibration:
    """ROI inputs measured from transactions, with where they came from.

    Attributes
    ----------
    values
        Measured value of each field in :data:`CALIBRATED_FIELDS`.
    source
        One line naming the data, the date and the models, shown as these inputs' source.
    as_of
        The date measured at.
    customers_seen
        Customers in the data who have bought (before weighting by the chance they are alive).
    """

    values: Mapping[str, float]
    source: str
    as_of: dt.date
    customers_seen: int

    def sources(self) -> dict[str, str]:
        """The source text of each measured field (for assumptions tables and badges)."""
        return {name: self.source for name in self.values}


def calibrate_service_roi(data: Any, as_of: dt.date | str | None = None) -> RoiCalibration:
    """Measure the ROI model's customers, spend and retention from transactions.

    Parameters
    ----------
    data
        :class:`workbook.data.load.CustomerData` (from
        :func:`workbook.data.load.load_customer_data`).
    as_of
        Date measured at; ``None`` means the data's as-of date.

    Returns
    -------
    RoiCalibration

    Raises
    ------
    workbook.models.value.ClvError
        When the models cannot be fitted to the data (e.g. no repeat buyers).

    Notes
    -----
    Fits BG/NBD and Gamma-Gamma to the per-customer summary
    (:func:`workbook.data.summary.summary_expr`, purchases up to ``as_of``) with
    :func:`workbook.models.value.compute_customer_value` and reads
    ``customers = round(Σ P(alive))``, ``annual_spend_per_customer`` and
    ``annual_retention_rate`` from its result.
    """
    from workbook.data.load import parse_as_of
    from workbook.data.summary import SUMMARY_COLUMNS, fetch_by_customer, summary_expr
    from workbook.models.value import compute_customer_value

    day = parse_as_of(as_of) or data.as_of
    summary = fetch_by_customer(summary_expr(data.transactions, day))[list(SUMMARY_COLUMNS)]
    value = compute_customer_value(summary)
    alive = float(value.customers["probability_alive"].sum())
    values = {
        "customers": max(1, round(alive)),
        "annual_spend_per_customer": round(float(value.annual_spend_per_customer), 2),
        "annual_retention_rate": round(float(value.annual_retention_rate), 4),
    }
    source = (f"Measured from {_data_label(data.source)} as of {day.isoformat()}: "
              f"BG/NBD and Gamma-Gamma fitted to {len(summary):,} customers "
              "(workbook.models.value)")
    return RoiCalibration(values, source, day, len(summary))


def _data_label(source: str) -> str:
    """``source`` relative to the repository when inside it (stable across clones)."""
    from workbook.core.paths import REPO_ROOT

    try:
        return Path(source).resolve().relative_to(REPO_ROOT).as_posix()
    except (ValueError, OSError):
        return source


def calibrated_roi_params(
    overrides: Mapping[str, Any] | None = None,
    calibration: RoiCalibration | None = None,
) -> ServiceRoiParams:
    """:class:`~workbook.models.roi.service_roi.ServiceRoiParams` from registry → measured →
    user overrides.

    ``overrides`` entries that are ``None`` mean "not set" (the notebook's parameters cell
    convention) and do not hide a measured value.

    Examples
    --------
    >>> import datetime as dt
    >>> c = RoiCalibration({"customers": 2000}, "measured", dt.date(2025, 1, 1), 2400)
    >>> calibrated_roi_params({"discount_rate": 0.1}, c).customers
    2000
    >>> calibrated_roi_params({"customers": 500}, c).customers
    500
    """
    fields = {f.name for f in dataclasses.fields(ServiceRoiParams)}
    merged: dict[str, Any] = dict(calibration.values) if calibration else {}
    merged.update({k: v for k, v in (overrides or {}).items() if k in fields and v is not None})
    return build_params(ServiceRoiParams, merged)


def roi_inputs_from_namespace(
    namespace: Mapping[str, Any],
) -> tuple[ServiceRoiParams, RoiCalibration | None]:
    """The ROI notebook's inputs from its parameters cell, measured from data when asked.

    Reads :class:`CalibrationParams` and the
    :class:`~workbook.models.roi.service_roi.ServiceRoiParams` fields from ``namespace``
    (``globals()`` of the notebook); with ``assumptions_from="data"`` loads ``data_path`` (the
    sample business when empty) and calibrates. Returns the parameters and the calibration
    (``None`` for registry defaults).
    """
    from workbook.core.parameters import params_from_namespace

    switch = params_from_namespace(CalibrationParams, namespace)
    calibration = None
    if switch.assumptions_from == "data":
        calibration = calibrate_from_path(switch.data_path, switch.as_of)
    return calibrated_roi_params(namespace, calibration), calibration


def calibrate_from_path(data_path: str | None = None,
                        as_of: dt.date | str | None = None) -> RoiCalibration:
    """Load transactions (the sample business when ``data_path`` is empty) and calibrate.

    Raises
    ------
    workbook.data.load.DataError
        The file cannot be read or fails validation (naming file, column and rows).
    workbook.models.value.ClvError
        The models cannot be fitted to it.
    """
    from workbook.data.load import load_customer_data

    return calibrate_service_roi(load_customer_data(data_path or None), as_of or None)
