"""Dashboards: ipywidgets apps that Voilà notebooks show. The only layer importing ipywidgets."""

from __future__ import annotations

from workbook.ui.kernel import skip_slow_optional_imports
from workbook.ui.responsiveness_app import ResponsivenessApp
from workbook.ui.roi_app import KPI_NAMES, RoiApp

__all__ = ["KPI_NAMES", "ResponsivenessApp", "RoiApp", "skip_slow_optional_imports"]
