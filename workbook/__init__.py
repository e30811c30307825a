"""Service Strategy Workbook: models that show, with numbers, that good service pays.

All logic lives in this package; notebooks and dashboards only call it. Every default comes
from :mod:`workbook.core.registry`.

Every public name is imported on first use (PEP 562 ``__getattr__``): ``from workbook import
X`` works as always, and ``import workbook.ui`` (a dashboard kernel) loads nothing of the
package beyond what its page imports (see :mod:`workbook.ui.kernel`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbook.core.declare import Limits, Params
    from workbook.core.finance import discount_factors, net_present_value, payback_months
    from workbook.core.model import Model
    from workbook.core.parameters import build_params, params_from_namespace
    from workbook.core.registry import (
        ASSUMPTIONS,
        Assumption,
        assumptions_table,
        get_assumption,
    )
    from workbook.core.validation import ParameterError
    from workbook.data.summary import summarize_customers
    from workbook.models.responsiveness.erlang import service_level
    from workbook.models.responsiveness.sizing import agents_for_service_level
    from workbook.models.roi.service_roi import (
        SERVICE_ROI,
        RoiResult,
        ServiceRoiParams,
        compute_service_roi,
        customer_lifetime_value,
    )
    from workbook.models.value import fit_bgnbd, fit_gamma_gamma
    from workbook.uncertainty import simulate

_LAZY: dict[str, str] = {
    "ASSUMPTIONS": "workbook.core.registry",
    "Assumption": "workbook.core.registry",
    "assumptions_table": "workbook.core.registry",
    "get_assumption": "workbook.core.registry",
    "Limits": "workbook.core.declare",
    "Params": "workbook.core.declare",
    "discount_factors": "workbook.core.finance",
    "net_present_value": "workbook.core.finance",
    "payback_months": "workbook.core.finance",
    "Model": "workbook.core.model",
    "build_params": "workbook.core.parameters",
    "params_from_namespace": "workbook.core.parameters",
    "ParameterError": "workbook.core.validation",
    "service_level": "workbook.models.responsiveness.erlang",
    "agents_for_service_level": "workbook.models.responsiveness.sizing",
    "SERVICE_ROI": "workbook.models.roi.service_roi",
    "RoiResult": "workbook.models.roi.service_roi",
    "ServiceRoiParams": "workbook.models.roi.service_roi",
    "compute_service_roi": "workbook.models.roi.service_roi",
    "customer_lifetime_value": "workbook.models.roi.service_roi",
    "summarize_customers": "workbook.data.summary",
    "fit_bgnbd": "workbook.models.value",
    "fit_gamma_gamma": "workbook.models.value",
    "simulate": "workbook.uncertainty",
}
"""Where each public name lives. Imported on first use: the data layer loads ibis and duckdb,
the lifetime-value models scipy, and the rest pandas or NumPy, none of which a dashboard
kernel should pay for unless its page uses them."""


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # ~0.1 s: read on first use

    try:
        return version("service-strategy-workbook")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name == "__version__":
        value = _package_version()
    else:
        raise AttributeError(f"module 'workbook' has no attribute {name!r}")
    globals()[name] = value  # the next read is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
