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
from workbook.validation import ParameterError

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
    "assumptions_table",
    "build_params",
    "compute_service_roi",
    "customer_lifetime_value",
    "discount_factors",
    "get_assumption",
    "net_present_value",
    "params_from_namespace",
    "payback_months",
]
