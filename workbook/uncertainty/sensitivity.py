"""Which assumption matters most: tornado, spider and break-even map of the service-ROI NPV.

All three move inputs one (or two) at a time across the ranges of
:func:`~workbook.uncertainty.inputs.input_ranges`, with every other input at its value, and
evaluate all the cases in one vectorised call of the service-ROI model.

By default the tornado and the spider move the inputs a simulation draws (those not in
:attr:`~workbook.uncertainty.inputs.UncertaintyParams.fixed`), so they explain the spread of
the simulated NPV. Pass ``names`` to move any registry-backed input, fixed or not ("what if our
margin were 10 %?"); mind that the ranges of the business's own figures are slider spans across
businesses (1,000 to 100,000 customers), so such an input tops the tornado by scale alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workbook.core.validation import ParameterError, require_integer
from workbook.models.roi.service_roi import (
    SERVICE_ROI,
    ServiceRoiParams,
    compute_service_roi,
    service_roi_outcomes,
)
from workbook.uncertainty.inputs import InputRange, UncertaintyParams, input_ranges

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TORNADO_COLUMNS",
    "BreakEvenMap",
    "Spider",
    "Tornado",
    "compute_break_even_map",
    "compute_spider",
    "compute_tornado",
]


def _npv_of_cases(
    params: ServiceRoiParams, changes: Mapping[str, ArrayLike]
) -> NDArray[np.float64]:
    """NPV of cases that differ from ``params`` in ``changes`` (arrays of one shape)."""
    arrays = {name: np.asarray(v, np.float64) for name, v in changes.items()}
    shape = np.broadcast_shapes(*(v.shape for v in arrays.values()))
    npv = service_roi_outcomes({**params.to_dict(), **arrays})["npv"]
    return np.array(np.broadcast_to(npv, shape))  # an input the NPV ignores leaves it a scalar


def _chosen_ranges(
    params: ServiceRoiParams, uncertainty: UncertaintyParams | None, names: Iterable[str] | None
) -> dict[str, InputRange]:
    ranges = input_ranges(params, uncertainty, names=names, model=SERVICE_ROI)
    if names is None:
        ranges = {name: r for name, r in ranges.items() if not r.fixed}
    if not ranges:
        raise ParameterError("names", "at least one input with a range", names)
    return ranges


TORNADO_COLUMNS: tuple[str, ...] = ("label", "unit", "kind", "low", "value", "high", "npv_low",
                                     "npv_high", "swing")
"""The columns of :attr:`Tornado.table`, in order."""


@dataclass(frozen=True, slots=True)
class Tornado:
    """Outputs of :func:`compute_tornado`.

    Attributes
    ----------
    base_npv
        NPV with every input at its value.
    names
        The inputs moved (field names), largest swing first.
    columns
        Each column of :attr:`table` (:data:`TORNADO_COLUMNS`), one entry per input in the
        order of ``names``: ``label``, ``unit``, ``kind`` (lists of text), ``low``, ``value``,
        ``high`` (lists of numbers), ``npv_low``, ``npv_high`` (arrays: NPV with the input at
        its low or high, the others at their values) and ``swing`` (``|npv_high - npv_low|``).
        What a chart reads; a dashboard draws them without building a table.
    """

    base_npv: float
    names: tuple[str, ...]
    columns: Mapping[str, Any]

    @property
    def table(self) -> pd.DataFrame:
        """The tornado as a table: one row per input (index ``parameter``, the field name),
        largest swing first, one column per :data:`TORNADO_COLUMNS`."""
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        return pd.DataFrame({name: self.columns[name] for name in TORNADO_COLUMNS},
                            index=pd.Index(list(self.names), name="parameter"))


def compute_tornado(
    params: ServiceRoiParams | None = None,
    uncertainty: UncertaintyParams | None = None,
    *,
    names: Iterable[str] | None = None,
) -> Tornado:
    """NPV at each input's low and high with the others at their values, sorted by swing.

    Parameters
    ----------
    params
        The values; registry defaults when omitted.
    uncertainty
        Ranges and widening; defaults when omitted.
    names
        Inputs to move, in any order; default the inputs not ``fixed`` in ``uncertainty``
        (those a simulation draws), in field order.

    Returns
    -------
    Tornado
        The table, largest swing first (ties keep the field order).

    Examples
    --------
    >>> tornado = compute_tornado()
    >>> tornado.table.index.tolist()[:2]
    ['excellent_service_share', 'spend_uplift_excellent_service']
    >>> retention = compute_tornado(names=["annual_retention_rate"])
    >>> float(retention.table.loc["annual_retention_rate", "swing"])
    0.0
    """
    params = params or ServiceRoiParams()
    ranges = _chosen_ranges(params, uncertainty, names)
    cases = 2 * len(ranges)
    changes: dict[str, NDArray[np.float64]] = {}
    for i, (name, r) in enumerate(ranges.items()):
        column = np.full(cases, float(r.value))
        column[2 * i: 2 * i + 2] = (r.low, r.high)
        changes[name] = column
    npv = _npv_of_cases(params, changes).reshape(-1, 2)
    swing = np.abs(npv[:, 1] - npv[:, 0])
    order = np.argsort(-swing, kind="stable")  # largest first; ties keep the field order
    fields, chosen = list(ranges), list(ranges.values())
    rows = [chosen[i] for i in order]
    columns = {
        "label": [r.label for r in rows],
        "unit": [r.unit for r in rows],
        "kind": [r.kind for r in rows],
        "low": [r.low for r in rows],
        "value": [float(r.value) for r in rows],
        "high": [r.high for r in rows],
        "npv_low": npv[order, 0],
        "npv_high": npv[order, 1],
        "swing": swing[order],
    }
    return Tornado(base_npv=compute_service_roi(params).npv,
                   names=tuple(fields[i] for i in order), columns=MappingProxyType(columns))


@dataclass(frozen=True, slots=True)
class Spider:
    """Outputs of :func:`compute_spider`.

    Attributes
    ----------
    base_npv
        NPV with every input at its value.
    ranges
        The range of each input, by field name (in the order of the columns below).
    positions
        Where each input stands in its range: -1 at its low, 0 at its value, +1 at its high.
    input_values, npv_values
        Per input (in the order of ``ranges``), one value per position: the input's value,
        and the NPV with that input there and the others at their values. What a chart
        reads; :attr:`inputs` and :attr:`npv` are the same as tables.
    """

    base_npv: float
    ranges: Mapping[str, InputRange]
    positions: NDArray[np.float64]
    input_values: Mapping[str, NDArray[np.float64]]
    npv_values: Mapping[str, NDArray[np.float64]]

    @property
    def inputs(self) -> pd.DataFrame:
        """:attr:`input_values` as a frame indexed by ``positions``, one column per input."""
        return self._frame(self.input_values)

    @property
    def npv(self) -> pd.DataFrame:
        """:attr:`npv_values` as a frame indexed by ``positions``, one column per input."""
        return self._frame(self.npv_values)

    def _frame(self, columns: Mapping[str, NDArray[np.float64]]) -> pd.DataFrame:
        import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

        return pd.DataFrame(dict(columns), index=pd.Index(self.positions, name="position"))


def _value_at(r: InputRange, positions: NDArray[np.float64]) -> NDArray[np.float64]:
    below = r.value + positions * (r.value - r.low)
    above = r.value + positions * (r.high - r.value)
    values = np.where(positions < 0, below, above)
    return np.rint(values) if r.integer else values


def compute_spider(
    params: ServiceRoiParams | None = None,
    uncertainty: UncertaintyParams | None = None,
    *,
    names: Iterable[str] | None = None,
    points: int = 21,
) -> Spider:
    """NPV as each input moves across its range, the others at their values.

    Parameters
    ----------
    params, uncertainty, names
        As for :func:`compute_tornado`.
    points
        Positions per input, from the low (-1) through the value (0) to the high (+1); odd, so
        that the value itself is one of them.

    Notes
    -----
    The horizontal axis is the position within the range, not a percent change: an input
    whose value is 0 (no retention uplift) has no percent change, and ranges from the texts are
    lopsided ("3–5 people" around 4 is symmetric; "9 %, plausibly 3–15 %" is not). A steep
    line is an input that matters; a line that bends is one whose effect is not linear.

    Examples
    --------
    >>> spider = compute_spider(names=["spend_uplift_excellent_service"], points=5)
    >>> spider.positions.tolist()
    [-1.0, -0.5, 0.0, 0.5, 1.0]
    >>> spider.inputs["spend_uplift_excellent_service"].round(3).tolist()
    [0.03, 0.06, 0.09, 0.12, 0.15]
    """
    points = require_integer("points", points, low=3, high=1001)
    if points % 2 == 0:
        raise ParameterError("points", "an odd whole number (the value is the middle point)",
                             points)
    params = params or ServiceRoiParams()
    ranges = _chosen_ranges(params, uncertainty, names)
    positions = np.linspace(-1.0, 1.0, points)
    positions[points // 2] = 0.0
    columns = {name: _value_at(r, positions) for name, r in ranges.items()}
    cases = points * len(ranges)
    changes: dict[str, NDArray[np.float64]] = {}
    for i, (name, r) in enumerate(ranges.items()):
        column = np.full(cases, float(r.value))
        column[i * points:(i + 1) * points] = columns[name]
        changes[name] = column
    npv = _npv_of_cases(params, changes).reshape(len(ranges), points)
    return Spider(
        base_npv=compute_service_roi(params).npv,
        ranges=ranges,
        positions=positions,
        input_values=MappingProxyType(columns),
        npv_values=MappingProxyType(dict(zip(ranges, npv, strict=True))),
    )


@dataclass(frozen=True, slots=True)
class BreakEvenMap:
    """Outputs of :func:`compute_break_even_map`.

    Attributes
    ----------
    x_name, y_name
        The two inputs on the axes; the others stay at their values.
    x_label, y_label, x_unit, y_unit
        Their registry labels and units.
    x_kind, y_kind
        Their declared kinds (``"fraction"`` reads as a percent).
    x_values, y_values
        Grid points of each axis.
    npv
        NPV at each grid point, shape ``(len(y_values), len(x_values))``.
    zero_line
        For each ``x``, the ``y`` at which NPV is 0 (``nan`` where NPV keeps one sign over
        the ``y`` range).
    base_x, base_y, base_npv
        The current values and their NPV (the "you are here" point).
    """

    x_name: str
    y_name: str
    x_label: str
    y_label: str
    x_unit: str
    y_unit: str
    x_kind: str
    y_kind: str
    x_values: NDArray[np.float64]
    y_values: NDArray[np.float64]
    npv: NDArray[np.float64]
    zero_line: NDArray[np.float64]
    base_x: float
    base_y: float
    base_npv: float


def _zero_crossings(y: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per column of ``z`` (rows along ``y``), the first ``y`` where ``z`` reaches 0."""
    crossing = np.full(z.shape[1], np.nan)
    for j in range(z.shape[1]):
        column = z[:, j]
        exact = np.flatnonzero(column == 0)
        change = np.flatnonzero(np.sign(column[:-1]) * np.sign(column[1:]) < 0)
        candidates = [*(y[exact]), *(y[i] + (y[i + 1] - y[i]) * column[i]
                                     / (column[i] - column[i + 1]) for i in change)]
        if candidates:
            crossing[j] = min(candidates)
    return crossing


def compute_break_even_map(
    params: ServiceRoiParams | None = None,
    uncertainty: UncertaintyParams | None = None,
    *,
    x: str = "spend_uplift_excellent_service",
    y: str = "upfront_investment",
    points: int = 41,
) -> BreakEvenMap:
    """NPV over a grid of two inputs (default spend uplift × upfront investment), with NPV = 0.

    Parameters
    ----------
    params, uncertainty
        As for :func:`compute_tornado`; the axes span the two inputs' ranges.
    x, y
        Field names of the two axes.
    points
        Grid points per axis.

    Notes
    -----
    The zero line is found per ``x`` by linear interpolation along ``y`` between grid points.
    It is exact for the default axes: NPV is affine in the upfront investment (paid today:
    :math:`\\mathrm{NPV}(u, I) = \\mathrm{NPV}(u, 0) - I`), and affine in the spend uplift,
    so the line is straight.

    Examples
    --------
    >>> grid = compute_break_even_map(points=5)
    >>> grid.npv.shape
    (5, 5)
    >>> grid.x_values[2], round(grid.zero_line[2])
    (np.float64(0.09), 584932)
    """
    points = require_integer("points", points, low=2, high=1001)
    params = params or ServiceRoiParams()
    if x == y:
        raise ParameterError("y", f"an input other than x ({x})", y)
    ranges = input_ranges(params, uncertainty, names=[x, y], model=SERVICE_ROI)
    rx, ry = ranges[x], ranges[y]
    x_values = np.linspace(rx.low, rx.high, points)
    y_values = np.linspace(ry.low, ry.high, points)
    if rx.integer:
        x_values = np.unique(np.rint(x_values))
    if ry.integer:
        y_values = np.unique(np.rint(y_values))
    grid_x, grid_y = np.meshgrid(x_values, y_values)
    npv = _npv_of_cases(params, {x: grid_x, y: grid_y})
    return BreakEvenMap(
        x_name=x, y_name=y, x_label=rx.label, y_label=ry.label, x_unit=rx.unit, y_unit=ry.unit,
        x_kind=rx.kind, y_kind=ry.kind,
        x_values=x_values, y_values=y_values, npv=npv,
        zero_line=_zero_crossings(y_values, npv),
        base_x=float(rx.value), base_y=float(ry.value),
        base_npv=compute_service_roi(params).npv,
    )
