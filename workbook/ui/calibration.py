"""The "registry defaults / measured from my data" switch of the service-ROI dashboard.

With "measured", the customers, spend and retention sliders move to the values measured from
the transactions by :func:`workbook.models.roi.calibrate.calibrate_from_path` (the sample
business, or the file ``workbook dashboard --transactions PATH`` names), and their source
badges say so. The numbers equal those of the ROI notebook run with
``assumptions_from="data"`` on the same file.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from workbook.core.parameters import field_assumption
from workbook.models.roi.calibrate import CALIBRATED_FIELDS, RoiCalibration, calibrate_from_path
from workbook.ui.controls import source_text

__all__ = ["DATA_ENV", "CalibrationSwitch"]

log = logging.getLogger(__name__)

DATA_ENV = "WORKBOOK_TRANSACTIONS"
"""Environment variable naming the transactions file the dashboard measures from (set by
``workbook dashboard --transactions PATH``); unset means the sample business."""

OPTIONS = (("Registry defaults", "registry"), ("Measured from my data", "data"))


def _badge_html(title: str, measured: bool) -> str:
    style = ' style="background:#e9c46a;color:#264653"' if measured else ""
    return (f'<span class="wb-source{" wb-measured" if measured else ""}"{style} '
            f'title="{html.escape(title, quote=True)}">{"m" if measured else "i"}</span>')


class CalibrationSwitch:
    """Toggle a :class:`~workbook.ui.app.ModelApp` between registry and measured inputs.

    Parameters
    ----------
    app
        The dashboard (its ``sliders``, ``badges``, ``defaults`` and ``set_values``).
    data_path
        Transactions to measure from; ``None`` reads :data:`DATA_ENV`, then the sample data.
    measure
        The measuring function (tests pass a fake);
        :func:`workbook.models.roi.calibrate.calibrate_from_path`.
    """

    def __init__(self, app: Any, data_path: str | None = None,
                 measure: Callable[[str | None], RoiCalibration] = calibrate_from_path) -> None:
        self.app = app
        self.data_path = data_path if data_path is not None else os.environ.get(DATA_ENV) or None
        self.measure = measure
        self.calibration: RoiCalibration | None = None
        self._muted = False
        self.toggle = widgets.ToggleButtons(options=OPTIONS, value="registry",
                                            style={"button_width": "190px"},
                                            tooltips=["The registry's illustrative business",
                                                      "Customers, spend and retention measured "
                                                      "from transactions"])
        self.toggle.add_class("wb-assumptions-from")
        self.toggle.observe(self._on_toggle, names="value")
        self.status = widgets.HTML(self._registry_text())
        self.status.add_class("wb-calibration-status")
        self.widget = widgets.VBox([widgets.HTML("<b>Business inputs</b>"), self.toggle,
                                    self.status])

    @property
    def source_name(self) -> str:
        return self.data_path or "the sample business (data/samples)"

    def _registry_text(self) -> str:
        return (f"<small>Customers, spend and retention: registry defaults. “Measured” fits "
                f"lifetime-value models to {html.escape(self.source_name)}.</small>")

    def _on_toggle(self, change: dict[str, Any]) -> None:
        if not self._muted:
            self.select(change["new"])

    def _set_toggle(self, value: str) -> None:
        self._muted = True
        try:
            self.toggle.value = value
        finally:
            self._muted = False

    def select(self, value: str) -> bool:
        """Switch to ``"registry"`` or ``"data"``; returns ``False`` if measuring failed."""
        self._set_toggle(value)
        if value == "registry":
            self.app.set_values({n: getattr(self.app.defaults, n) for n in CALIBRATED_FIELDS})
            self._show_sources(None)
            self.status.value = self._registry_text()
            return True
        self.status.value = f"<small>Measuring from {html.escape(self.source_name)}…</small>"
        try:
            if self.calibration is None:
                self.calibration = self.measure(self.data_path)
        except Exception as error:  # bad data or a model that cannot be fitted: say so
            log.warning("calibration failed: %s", error)
            self._set_toggle("registry")
            self.status.value = (
                "<div class='wb-message-box'>Could not measure from "
                f"{html.escape(self.source_name)}: {html.escape(str(error))}. Registry "
                "defaults kept.</div>")
            return False
        self.app.set_values(dict(self.calibration.values))
        self._show_sources(self.calibration)
        self.status.value = f"<small>{html.escape(self.calibration.source)}.</small>"
        return True

    def forget_measured(self) -> None:
        """Show the switch at "registry" without moving sliders (after a reset)."""
        self._set_toggle("registry")
        self._show_sources(None)
        self.status.value = self._registry_text()

    def _show_sources(self, calibration: RoiCalibration | None) -> None:
        for name in CALIBRATED_FIELDS:
            assumption = field_assumption(self.app.params_type, name)
            if assumption is None or name not in self.app.sliders:
                continue
            title = source_text(assumption)
            if calibration is not None:
                title = f"{assumption.label}: {calibration.source}. Registry: {title}"
            self.app.sliders[name].tooltip = title
            badge = self.app.badges.get(name)
            if badge is not None:
                badge.value = _badge_html(title, calibration is not None)
