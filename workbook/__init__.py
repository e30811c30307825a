"""Service Strategy Workbook: models that show, with numbers, that good service pays.

All logic lives in this package; notebooks and dashboards only call it. Every default comes
from :mod:`workbook.registry`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from workbook.finance import discount_factors, net_present_value, payback_months
from workbook.parameters import build_params, params_from_namespace
from workbook.registry import ASSUMPTIONS, Assumption, assumptions_table, get_assumption
from workbook.roi import RoiResult, ServiceRoiParams, compute_service_roi, customer_lifetime_value
from workbook.staffing import agents_for_service_level, service_level
from workbook.validation import ParameterError

_LAZY = {
    "summarize_customers": "workbook.customers",
    "fit_bgnbd": "workbook.clv",
    "fit_gamma_gamma": "workbook.clv",
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
    "Assumption",
    "ParameterError",
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
    "summarize_customers",
]
