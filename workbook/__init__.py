"""Service Strategy Workbook: models that show, with numbers, that good service pays.

All logic lives in this package; notebooks and dashboards only call it. Every default comes
from :mod:`workbook.core.registry`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from workbook.core.declare import Limits, Params
from workbook.core.finance import discount_factors, net_present_value, payback_months
from workbook.core.model import Model
from workbook.core.parameters import build_params, params_from_namespace
from workbook.core.registry import ASSUMPTIONS, Assumption, assumptions_table, get_assumption
from workbook.core.validation import ParameterError
from workbook.models.responsiveness.erlang import service_level
from workbook.models.responsiveness.sizing import agents_for_service_level
from workbook.models.roi.service_roi import (
    SERVICE_ROI,
    RoiResult,
    ServiceRoiParams,
    compute_service_roi,
    customer_lifetime_value,
)

_LAZY = {
    "summarize_customers": "workbook.data.summary",
    "fit_bgnbd": "workbook.models.value",
    "fit_gamma_gamma": "workbook.models.value",
    "simulate": "workbook.uncertainty",
}
"""Imported on first use: the data layer loads ibis and duckdb (about 0.5 s) and the
lifetime-value models scipy, which the dashboards and most commands never need."""


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workbook' has no attribute {name!r}")


try:
    __version__ = version("service-strategy-workbook")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "ASSUMPTIONS",
    "SERVICE_ROI",
    "Assumption",
    "Limits",
    "Model",
    "ParameterError",
    "Params",
    "RoiResult",
    "ServiceRoiParams",
    "__version__",
    "agents_for_service_level",
    "assumptions_table",
    "build_params",
    "compute_service_roi",
    "customer_lifetime_value",
    "discount_factors",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "get_assumption",
    "net_present_value",
    "params_from_namespace",
    "payback_months",
    "service_level",
    "simulate",
    "summarize_customers",
]
