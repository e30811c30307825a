"""Dashboards: ipywidgets apps that Voilà notebooks show. The only layer importing ipywidgets.

The apps are imported on first use, so a dashboard kernel loads only its own app's modules
(the loyalty app, for one, brings the DuckDB data layer).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from workbook.ui.kernel import skip_slow_optional_imports

if TYPE_CHECKING:
    from workbook.ui.loyalty_app import LoyaltyApp
    from workbook.ui.recovery_app import RecoveryApp
    from workbook.ui.responsiveness_app import ResponsivenessApp
    from workbook.ui.roi_app import KPI_NAMES, RoiApp

_LAZY = {
    "KPI_NAMES": "workbook.ui.roi_app",
    "LoyaltyApp": "workbook.ui.loyalty_app",
    "RecoveryApp": "workbook.ui.recovery_app",
    "ResponsivenessApp": "workbook.ui.responsiveness_app",
    "RoiApp": "workbook.ui.roi_app",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workbook.ui' has no attribute {name!r}")


__all__ = ["KPI_NAMES", "LoyaltyApp", "RecoveryApp", "ResponsivenessApp", "RoiApp",
           "skip_slow_optional_imports"]
