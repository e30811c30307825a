"""The imitation moat: how long each kind of advantage earns before competitors copy it.

Seed 002: cut the price of your main product by 50 % in December and competitors match it
within a day; develop a new product or service concept and they copy it in 6–12 months; but
nobody rushes to copy your service strategy. The model gives each advantage the same excess
profit per year until it is imitated and none after, so what sets the advantages apart is how
long they last; their present values compare the moats. The imitation times and their ranges
are registry figures (``imitation_days_price_cut``, ``imitation_months_product``,
``imitation_service_strategy``; the last stands in for "never in practice").

Left out, on purpose: after a matched price cut everyone sells at the lower price (a loss that
makes the price cut worse still), and a copied product may keep some of its lead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.core.declare import Params
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.registry import get_assumption
from workbook.core.validation import ParameterError

__all__ = [
    "ADVANTAGES",
    "ADVANTAGE_LABELS",
    "MOAT",
    "MoatParams",
    "MoatResult",
    "compute_moat",
    "cumulative_value",
    "format_duration",
    "present_value_until_imitated",
]

ADVANTAGES: tuple[str, ...] = ("price_cut", "new_product", "service_strategy")
"""The three kinds of advantage of seed 002, quickest copied first."""

ADVANTAGE_LABELS: Mapping[str, str] = MappingProxyType({
    "price_cut": "50 % price cut",
    "new_product": "New product or service",
    "service_strategy": "Service strategy",
})

_DAYS_PER_YEAR, _MONTHS_PER_YEAR = 365.0, 12.0
_FIELDS: Mapping[str, tuple[str, float]] = MappingProxyType({
    # advantage: (parameter field, named as its registry entry; years per unit of that field)
    "price_cut": ("imitation_days_price_cut", 1.0 / _DAYS_PER_YEAR),
    "new_product": ("imitation_months_product", 1.0 / _MONTHS_PER_YEAR),
    "service_strategy": ("imitation_service_strategy", 1.0),
})


@dataclass(frozen=True, slots=True, kw_only=True)
class MoatParams(Params):
    """Inputs of the imitation-moat model; defaults from the registry.

    Attributes
    ----------
    imitation_days_price_cut
        Days until competitors match a 50 % price cut (about 1).
    imitation_months_product
        Months until a new product or service concept is copied (6–12).
    imitation_service_strategy
        Years until a service strategy is copied ("never in practice": 10 stands in).
    advantage_excess_profit
        Extra profit per year each advantage earns while it lasts (currency/year).
    discount_rate
        Yearly discount rate (fraction/year).
    """

    imitation_days_price_cut: float = assumed("imitation_days_price_cut")
    imitation_months_product: float = assumed("imitation_months_product")
    imitation_service_strategy: float = assumed("imitation_service_strategy")
    advantage_excess_profit: float = assumed("advantage_excess_profit")
    discount_rate: float = assumed("discount_rate")

    @property
    def imitation_years(self) -> dict[str, float]:
        """Years until each advantage is imitated (365 days and 12 months a year)."""
        return {kind: getattr(self, name) * per for kind, (name, per) in _FIELDS.items()}


def present_value_until_imitated(
    excess_profit_per_year: float, imitation_years: ArrayLike, discount_rate: float
) -> NDArray[np.float64] | float:
    """Present value of an excess profit earned evenly until the advantage is imitated.

    Parameters
    ----------
    excess_profit_per_year
        Profit per year while the advantage lasts (currency/year).
    imitation_years
        Years until it is imitated (scalar or array).
    discount_rate
        Yearly discount rate :math:`d`.

    Notes
    -----
    The profit accrues continuously (an advantage that lasts a day cannot be booked at a
    year end), discounted at the force of interest :math:`\\delta = \\ln(1 + d)`, which agrees
    with :mod:`workbook.core.finance`'s factor :math:`(1+d)^{-t}` at every year end:

    .. math:: \\mathrm{PV} = E \\int_0^T e^{-\\delta t}\\,dt = E \\frac{1 - (1+d)^{-T}}{\\delta}

    and :math:`E T` when :math:`d = 0`: the continuous annuity :math:`\\bar a_{T}` times
    :math:`E`.

    References
    ----------
    Bowers, N. L. et al. (1997). *Actuarial Mathematics*, 2nd ed., Society of Actuaries,
    section 5.2 (continuous annuities, :math:`\\bar a_{T} = (1 - v^T)/\\delta`).

    Examples
    --------
    >>> round(present_value_until_imitated(100_000, 1 / 365, 0.0), 2)
    273.97
    >>> round(present_value_until_imitated(100_000, 10, 0.08))
    697504
    """
    years = np.asarray(imitation_years, dtype=np.float64)
    x = math.log1p(discount_rate) * years
    # (1 - e^-x) / x, by its series where x is tiny (no 0/0, no loss of digits)
    small = x < 1e-6
    share = np.where(small, 1.0 - x / 2.0 + x * x / 6.0,
                     -np.expm1(-x) / np.where(small, 1.0, x))
    value = excess_profit_per_year * years * share
    return float(value) if value.ndim == 0 else value


@dataclass(frozen=True, slots=True)
class MoatResult:
    """Outputs of :func:`compute_moat`.

    Attributes
    ----------
    params
        The inputs.
    table
        Index :data:`ADVANTAGES`; columns ``label, imitation_years, imitation_years_low,
        imitation_years_high, present_value, present_value_low, present_value_high,
        times_price_cut`` (present value over the price cut's).
    """

    params: MoatParams
    table: pd.DataFrame

    def headline(self) -> dict[str, float]:
        """Present value of each advantage and how many times the price cut's (JSON-ready)."""
        table = self.table
        result = {f"pv_{kind}": float(table.loc[kind, "present_value"]) for kind in ADVANTAGES}
        result["service_vs_price_cut"] = float(table.loc["service_strategy", "times_price_cut"])
        result["service_vs_product"] = float(
            table.loc["service_strategy", "present_value"]
            / table.loc["new_product", "present_value"])
        return result


def compute_moat(params: MoatParams | None = None) -> MoatResult:
    """Present value of each kind of advantage until imitated, with the registry ranges.

    Parameters
    ----------
    params
        Validated inputs; registry defaults when omitted.

    Returns
    -------
    MoatResult
        One row per advantage: the imitation time, its low–high range and the present value
        at each (:func:`present_value_until_imitated`).

    Notes
    -----
    The range of each imitation time is the registry's ``low``–``high`` of its key, widened
    to include the value used when a user sets one outside it. A larger imitation time never
    lowers the present value, so the value range follows from the time range.

    References
    ----------
    Service-strategy book (seed 002): a price cut matched within 24 hours, a new product in
    6–12 months, a service strategy not rushed to be copied.

    Examples
    --------
    >>> result = compute_moat()
    >>> result.table["present_value"].round().tolist()
    [274.0, 72877.0, 697504.0]
    """
    params = params if params is not None else MoatParams()
    central = params.imitation_years
    rows = []
    for kind in ADVANTAGES:
        key, per = _FIELDS[kind]
        a = get_assumption(key)
        years = central[kind]
        low, high = min(a.low * per, years), max(a.high * per, years)
        pv = present_value_until_imitated(params.advantage_excess_profit,
                                          [years, low, high], params.discount_rate)
        rows.append({"advantage": kind, "label": ADVANTAGE_LABELS[kind],
                     "imitation_years": years, "imitation_years_low": low,
                     "imitation_years_high": high, "present_value": pv[0],
                     "present_value_low": pv[1], "present_value_high": pv[2]})
    table = pd.DataFrame(rows).set_index("advantage")
    base = table.loc["price_cut", "present_value"]
    table["times_price_cut"] = table["present_value"] / base if base > 0 else np.nan
    return MoatResult(params, table)


def cumulative_value(params: MoatParams, years: ArrayLike) -> pd.DataFrame:
    """Present value each advantage has earned by each time in ``years``.

    Returns
    -------
    pandas.DataFrame
        Index ``years``; one column per advantage: the present value of the profit earned up
        to ``min(t, imitation time)``, flat once the advantage is imitated.
    """
    t = np.asarray(years, dtype=np.float64)
    if t.ndim != 1 or (t < 0).any():
        raise ParameterError("years", "a list of times of at least 0 years", years)
    columns = {kind: present_value_until_imitated(
        params.advantage_excess_profit, np.minimum(t, stop), params.discount_rate)
        for kind, stop in params.imitation_years.items()}
    return pd.DataFrame(columns, index=pd.Index(t, name="years"))


def format_duration(years: float) -> str:
    """A duration in the unit a reader would use: days, months or years.

    Examples
    --------
    >>> format_duration(1 / 365), format_duration(0.75), format_duration(10)
    ('1 day', '9 months', '10 years')
    """
    if not math.isfinite(years):
        return "—"
    for limit, per, unit in ((1 / 12, _DAYS_PER_YEAR, "day"), (2.0, _MONTHS_PER_YEAR, "month")):
        if years < limit:
            count = years * per
            text = f"{count:.0f}" if abs(count - round(count)) < 0.05 else f"{count:.1f}"
            return f"{text} {unit}" + ("" if text == "1" else "s")
    text = f"{years:.0f}" if abs(years - round(years)) < 0.05 else f"{years:.1f}"
    return f"{text} year" + ("" if text == "1" else "s")


MOAT: Model[MoatParams, MoatResult] = Model("moat", MoatParams, compute_moat,
                                            headline=MoatResult.headline)
"""The imitation-moat model, declared once (no Monte Carlo core: its ranges are the registry's)."""
