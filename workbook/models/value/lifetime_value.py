"""Customer lifetime value from a transaction summary: both models fitted, every customer valued.

:func:`compute_customer_value` takes the per-customer summary
(:func:`workbook.data.summary.summarize_customers`), fits BG/NBD (how often, and whether still a
customer) and Gamma-Gamma (how much per purchase), and gives each customer the probability of
being alive, expected purchases and spend over the next year, and a discounted lifetime value
over the horizon. It also gives the two numbers the service-ROI model can be calibrated from
(:attr:`ClvResult.annual_spend_per_customer`, :attr:`ClvResult.annual_retention_rate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from workbook.core.declare import Params, declared
from workbook.core.formatting import format_money, format_percent
from workbook.core.model import Model
from workbook.core.parameters import assumed
from workbook.core.validation import ParameterError
from workbook.data.schema import HISTORY_COLUMNS
from workbook.models.value.bgnbd import (
    BgNbdFit,
    _expected_purchases_alive,
    fit_bgnbd,
    probability_alive,
    probability_alive_after,
)
from workbook.models.value.gamma_gamma import GammaGammaFit, expected_spend, fit_gamma_gamma
from workbook.models.value.inputs import ClvError, check_purchase_history, column, unique_rows

__all__ = [
    "CUSTOMER_VALUE",
    "DAYS_PER_YEAR",
    "DISCOUNTING",
    "ClvParams",
    "ClvResult",
    "clv_headline_text",
    "compute_customer_value",
    "lifetime_value",
    "probability_alive_matrix",
    "value_by_stage",
]

DAYS_PER_YEAR = 365.25
"""Days in a year: one year ahead is 365.25 days, a month 365.25 / 12."""

DISCOUNTING = ("monthly", "daily")
"""Steps at which future purchases are discounted (see :func:`lifetime_value`)."""

@dataclass(frozen=True, slots=True, kw_only=True)
class ClvParams(Params):
    """Inputs of the lifetime-value calculation; defaults from the registry.

    Attributes
    ----------
    gross_margin_rate
        Gross margin as a fraction of spend: lifetime value is margin, not revenue.
    discount_rate
        Yearly discount rate (fraction/year).
    horizon_years
        Years ahead counted in the lifetime value.
    discounting
        ``"monthly"`` (purchases of each month discounted at its end, the default) or
        ``"daily"`` (each day's; about 30 times the work).
    """

    gross_margin_rate: float = assumed("gross_margin_rate")
    discount_rate: float = assumed("discount_rate")
    horizon_years: int = assumed("horizon_years")
    discounting: str = declared("monthly")

    def check(self) -> None:
        """``discounting`` is one of :data:`DISCOUNTING`."""
        if self.discounting not in DISCOUNTING:
            raise ParameterError("discounting", f"one of {', '.join(DISCOUNTING)}",
                                 self.discounting)


def _time_grid(horizon_years: int, discounting: str,
               discount_rate: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Step ends in days (0 first) and the discount factor of each step's purchases."""
    per_year = 12 if discounting == "monthly" else round(DAYS_PER_YEAR)
    steps = np.arange(horizon_years * per_year + 1, dtype=np.float64)
    days = steps * DAYS_PER_YEAR / per_year
    factors = (1.0 + discount_rate) ** -(steps[1:] / per_year)
    return days, factors


def lifetime_value(bgnbd: BgNbdFit, gamma_gamma: GammaGammaFit, frequency: ArrayLike,
                   recency: ArrayLike, T: ArrayLike, monetary_value: ArrayLike, *,
                   gross_margin_rate: float, discount_rate: float, horizon_years: int,
                   discounting: str = "monthly") -> NDArray[np.float64]:
    """Discounted gross margin each customer is expected to bring over the horizon.

    Parameters
    ----------
    bgnbd, gamma_gamma
        Fitted purchase and spend models.
    frequency, recency, T, monetary_value
        Each customer's summary (days; currency).
    gross_margin_rate
        Margin as a fraction of spend.
    discount_rate
        Yearly discount rate.
    horizon_years
        Years ahead.
    discounting
        ``"monthly"`` or ``"daily"`` steps.

    Notes
    -----
    With steps :math:`k = 1..n` of length :math:`\\Delta` days (a month is 365.25/12 days,
    :math:`n = 12H`; daily: :math:`\\Delta = 365.25/365`, :math:`n = 365H`), cumulative expected
    purchases :math:`E(t)` (:func:`workbook.models.value.bgnbd.expected_purchases`) and expected
    spend :math:`\\bar s` (:func:`workbook.models.value.gamma_gamma.expected_spend`):

    .. math::

        \\mathrm{CLV} = g \\, \\bar s \\sum_{k=1}^{n}
            \\bigl[E(k\\Delta) - E((k-1)\\Delta)\\bigr] (1 + d)^{-k/m}

    with :math:`m` steps a year: each step's purchases are paid at its end and discounted as
    :mod:`workbook.core.finance` discounts a year-end cash flow, :math:`(1+d)^{-t}` with :math:`t`
    in years. lifetimes' ``customer_lifetime_value`` is the same sum with 30-day months and a
    monthly rate.

    Examples
    --------
    >>> fit = BgNbdFit(2.0, 60.0, 2.0, 3.0, 0.0, {}, 1, 0)
    >>> gg = GammaGammaFit(p=6.0, q=4.0, v=15.0, log_likelihood=0.0, standard_errors={},
    ...                    n_customers=1)
    >>> value = lifetime_value(fit, gg, [0], [0], [0], [0], gross_margin_rate=0.5,
    ...                        discount_rate=0.0, horizon_years=1)
    >>> from workbook.models.value.bgnbd import expected_purchases
    >>> bool(np.isclose(value[0], 0.5 * 30.0 * expected_purchases(fit, 365.25, [0], [0], [0])[0]))
    True
    """
    x, t_x, t = check_purchase_history(frequency, recency, T)
    m = column("monetary_value", monetary_value, size=x.size)
    if discounting not in DISCOUNTING:
        raise ParameterError("discounting", f"one of {', '.join(DISCOUNTING)}", discounting)
    spend = expected_spend(gamma_gamma, x, m)
    purchases = _discounted_purchases(bgnbd, x, t_x, t, horizon_years, discounting,
                                      discount_rate)
    return gross_margin_rate * spend * purchases


def _discounted_purchases(fit: BgNbdFit, x: NDArray[np.float64], t_x: NDArray[np.float64],
                          t: NDArray[np.float64], horizon_years: int, discounting: str,
                          discount_rate: float) -> NDArray[np.float64]:
    """Σ_k (E(t_k) − E(t_{k−1})) × factor_k per customer.

    The purchases of a customer alive depend on frequency and ``T`` only, so they are
    computed once per distinct pair, then weighted by each customer's probability alive.
    """
    (ux, ut), _, inverse = unique_rows([x, t], np.ones_like(x))
    days, factors = _time_grid(horizon_years, discounting, discount_rate)
    cumulative = _expected_purchases_alive(fit, days[np.newaxis, :], ux[:, np.newaxis],
                                           ut[:, np.newaxis])
    discounted = np.einsum("ij,j->i", np.diff(cumulative, axis=1), factors)
    return probability_alive(fit, x, t_x, t) * discounted[inverse]


def probability_alive_matrix(fit: BgNbdFit, T_days: float, *, max_frequency: int,
                             recency_days: ArrayLike | None = None) -> pd.DataFrame:
    """Probability alive of a customer first seen ``T_days`` ago, by frequency and recency.

    Rows: frequency ``0..max_frequency``; columns: recency in days (default 51 points from 0
    to ``T_days``). A customer with no repeat purchase has recency 0, so the frequency-0 row
    holds 1 at recency 0 and ``NaN`` elsewhere (an impossible history, left blank on a heat
    map).

    Examples
    --------
    >>> fit = BgNbdFit(1.0, 1.0, 1.0, 1.0, 0.0, {}, 1, 0)
    >>> # x = 1, t_x = 0, T = 1: odds gone 1/1 * (2/1)^2 = 4, so P = 1/5
    >>> probability_alive_matrix(fit, 1.0, max_frequency=1, recency_days=[0.0, 1.0]).to_numpy()
    array([[1. , nan],
           [0.2, 0.5]])
    """
    grid = (np.linspace(0.0, float(T_days), 51) if recency_days is None
            else np.asarray(recency_days, dtype=np.float64))
    frequency = np.arange(int(max_frequency) + 1, dtype=np.float64)
    xx, rr = np.meshgrid(frequency, grid, indexing="ij")
    values = probability_alive(fit, xx.ravel(), np.where(xx.ravel() > 0, rr.ravel(), 0.0),
                               np.full(xx.size, float(T_days))).reshape(xx.shape)
    values[0, grid > 0] = np.nan  # no repeat purchase: no recency but 0
    return pd.DataFrame(values, index=pd.Index(frequency.astype(int), name="frequency"),
                        columns=pd.Index(grid, name="recency_days"))


@dataclass(frozen=True, slots=True)
class ClvResult:
    """Outputs of :func:`compute_customer_value`.

    Attributes
    ----------
    params
        The inputs.
    bgnbd, gamma_gamma
        The two fits.
    customers
        One row per customer (index ``customer_id``): the summary columns, then
        ``probability_alive``, ``probability_alive_1y`` (alive now and a year from now),
        ``expected_purchases_1y``, ``expected_spend`` (per purchase), ``expected_spend_1y``,
        ``clv`` (discounted margin over the horizon), ``value_if_alive`` (``clv`` divided by
        ``probability_alive``: the value of the customer if they are, or come back, alive) and
        ``value_at_risk`` (``value_if_alive - clv``: the value lost if they are gone, times the
        chance they are).
    annual_spend_per_customer
        Mean expected spend over the next year of a customer alive today:
        ``sum(expected_spend_1y) / sum(probability_alive)``.
    annual_retention_rate
        Share of the customers alive today expected to be alive a year later:
        ``sum(probability_alive_1y) / sum(probability_alive)`` (BG/NBD survival).
    """

    params: ClvParams
    bgnbd: BgNbdFit
    gamma_gamma: GammaGammaFit
    customers: pd.DataFrame
    annual_spend_per_customer: float
    annual_retention_rate: float

    @property
    def expected_alive(self) -> float:
        """Expected customers still alive today (the sum of probabilities alive)."""
        return float(self.customers["probability_alive"].sum())

    def parameters_table(self) -> pd.DataFrame:
        """Both models' fitted parameters with their standard errors, one row each."""
        rows = [("BG/NBD", name, value, self.bgnbd.standard_errors.get(name, np.nan))
                for name, value in self.bgnbd.params.items()]
        rows += [("Gamma-Gamma", name, value, self.gamma_gamma.standard_errors.get(name,
                                                                                  np.nan))
                 for name, value in self.gamma_gamma.params.items()]
        return pd.DataFrame(rows, columns=["model", "parameter", "value", "standard_error"]) \
            .set_index(["model", "parameter"])

    def headline(self) -> dict[str, Any]:
        """The headline numbers (JSON-ready) for ``<stem>.results.json``."""
        frame = self.customers
        return {
            "customers": len(frame),
            "repeat_buyers": int((frame["frequency"] > 0).sum()),
            "bgnbd_r": self.bgnbd.r,
            "bgnbd_alpha": self.bgnbd.alpha,
            "bgnbd_a": self.bgnbd.a,
            "bgnbd_b": self.bgnbd.b,
            "bgnbd_log_likelihood": self.bgnbd.log_likelihood,
            "gamma_gamma_p": self.gamma_gamma.p,
            "gamma_gamma_q": self.gamma_gamma.q,
            "gamma_gamma_v": self.gamma_gamma.v,
            "expected_alive": self.expected_alive,
            "mean_clv": float(frame["clv"].mean()),
            "total_clv": float(frame["clv"].sum()),
            "total_value_at_risk": float(frame["value_at_risk"].sum()),
            "annual_spend_per_customer": self.annual_spend_per_customer,
            "annual_retention_rate": self.annual_retention_rate,
        }


def compute_customer_value(summary: pd.DataFrame,
                           params: ClvParams | None = None) -> ClvResult:
    """Fit BG/NBD and Gamma-Gamma to a customer summary and value every customer.

    Parameters
    ----------
    summary
        One row per customer with ``frequency, recency, T, monetary_value`` in days, as
        :func:`workbook.data.summary.summarize_customers` gives it (other columns are ignored;
        the index is kept as ``customer_id``).
    params
        Margin, discount rate, horizon; registry defaults when ``None``.

    Returns
    -------
    ClvResult

    Raises
    ------
    ClvError
        A column missing, NaN or negative values, recency after ``T``, no repeat buyers, a
        fit that does not converge, or a spend model with an infinite mean (``q <= 1``).

    Notes
    -----
    Per customer: :func:`workbook.models.value.bgnbd.probability_alive`,
    :func:`workbook.models.value.bgnbd.expected_purchases` over 365.25 days,
    :func:`workbook.models.value.gamma_gamma.expected_spend`, :func:`lifetime_value`, and
    :func:`workbook.models.value.bgnbd.probability_alive_after` a year ahead for the retention rate.

    References
    ----------
    Fader, Hardie & Lee (2005), Marketing Science 24(2); Fader & Hardie (2013), the
    Gamma-Gamma model of monetary value; Fader, Hardie & Lee (2005), RFM and CLV: using
    iso-value curves for customer base analysis, JMR 42(4).

    Examples
    --------
    >>> from workbook.data.summary import summarize_customers
    >>> from workbook.core.paths import SAMPLES
    >>> result = compute_customer_value(summarize_customers(SAMPLES / "transactions.csv"))
    >>> result.headline()["customers"], round(result.annual_retention_rate, 3)
    (2828, 0.796)
    """
    params = params or ClvParams()
    missing = [c for c in HISTORY_COLUMNS if c not in summary.columns]
    if missing:
        raise ClvError(f"summary: missing column(s) {', '.join(missing)}; expected the output "
                       "of workbook.data.summary.summarize_customers")
    x, t_x, t = check_purchase_history(summary["frequency"], summary["recency"], summary["T"])
    m = column("monetary_value", summary["monetary_value"], size=x.size)
    bgnbd = fit_bgnbd(x, t_x, t)
    gamma_gamma = fit_gamma_gamma(x, m)
    alive = probability_alive(bgnbd, x, t_x, t)
    (ux, utx, ut), _, inverse = unique_rows([x, t_x, t], np.ones_like(x))
    purchases_1y = alive * _expected_purchases_alive(bgnbd, DAYS_PER_YEAR, ux, ut)[inverse]
    alive_1y = probability_alive_after(bgnbd, DAYS_PER_YEAR, ux, utx, ut)[inverse]
    spend = expected_spend(gamma_gamma, x, m)
    clv = params.gross_margin_rate * spend * _discounted_purchases(
        bgnbd, x, t_x, t, params.horizon_years, params.discounting, params.discount_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        if_alive = np.where(alive > 0, clv / alive, 0.0)
    frame = pd.DataFrame({
        "frequency": x, "recency": t_x, "T": t, "monetary_value": m,
        "probability_alive": alive,
        "probability_alive_1y": alive_1y,
        "expected_purchases_1y": purchases_1y,
        "expected_spend": spend,
        "expected_spend_1y": purchases_1y * spend,
        "clv": clv,
        "value_if_alive": if_alive,
        "value_at_risk": if_alive - clv,
    }, index=summary.index.rename("customer_id"))
    if not np.all(np.isfinite(frame.to_numpy())):
        raise ClvError("customer value: non-finite values for some customers; check the fits "
                       f"(BG/NBD {bgnbd.params}, Gamma-Gamma {gamma_gamma.params})")
    alive_total = float(alive.sum())
    return ClvResult(
        params=params, bgnbd=bgnbd, gamma_gamma=gamma_gamma, customers=frame,
        annual_spend_per_customer=float(frame["expected_spend_1y"].sum()) / alive_total,
        annual_retention_rate=float(alive_1y.sum()) / alive_total,
    )


def value_by_stage(result: ClvResult, stages: pd.Series) -> pd.DataFrame:
    """Customers, value and value at risk per loyalty stage.

    Parameters
    ----------
    result
        From :func:`compute_customer_value`.
    stages
        Stage by ``customer_id`` (e.g. ``compute_ladder(...).snapshot["stage"]``); customers
        without a stage are counted under ``"unknown"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by stage (the categorical's order when ``stages`` is categorical, only stages
        with customers): ``customers``, ``expected_alive``, ``clv``, ``value_at_risk``,
        ``clv_per_customer``.
    """
    frame = result.customers
    stage = stages.reindex(frame.index)
    if isinstance(stage.dtype, pd.CategoricalDtype):
        order = [s for s in stage.cat.categories if (stage == s).any()]
        stage = stage.astype("string")
    else:
        order = list(pd.unique(stage.dropna()))
    stage = stage.fillna("unknown").astype(str)
    if (stage == "unknown").any():
        order.append("unknown")
    grouped = frame.groupby(stage.to_numpy())
    table = pd.DataFrame({
        "customers": grouped.size(),
        "expected_alive": grouped["probability_alive"].sum(),
        "clv": grouped["clv"].sum(),
        "value_at_risk": grouped["value_at_risk"].sum(),
    }).reindex(order)
    table["clv_per_customer"] = table["clv"] / table["customers"]
    table.index.name = "stage"
    return table


def clv_headline_text(result: ClvResult) -> str:
    """The lifetime-value headline as a few lines of plain text (notebooks and logs)."""
    head = result.headline()
    p, bg, gg = result.params, result.bgnbd, result.gamma_gamma
    return "\n".join([
        f"{head['customers']:,} customers, {head['repeat_buyers']:,} of them repeat buyers; "
        f"expected alive today: {head['expected_alive']:,.0f}",
        f"BG/NBD: r {bg.r:.3f}, alpha {bg.alpha:.2f} days, a {bg.a:.3f}, b {bg.b:.3f}; "
        f"Gamma-Gamma: p {gg.p:.3f}, q {gg.q:.3f}, v {gg.v:.2f}",
        f"Lifetime value over {p.horizon_years} years (margin "
        f"{format_percent(p.gross_margin_rate, 0)}, discounted {p.discounting} at "
        f"{format_percent(p.discount_rate)} a year): "
        f"mean {format_money(head['mean_clv'])}, total {format_money(head['total_clv'])}",
        f"Measured from the data: spend per customer alive "
        f"{format_money(result.annual_spend_per_customer)} a year, annual retention "
        f"{format_percent(result.annual_retention_rate)}",
    ])


def _sample_customer_value(params: ClvParams) -> ClvResult:
    """:func:`compute_customer_value` on the sample business's transactions."""
    from workbook.core.paths import SAMPLES
    from workbook.data.summary import summarize_customers

    return compute_customer_value(summarize_customers(SAMPLES / "transactions.csv"), params)


CUSTOMER_VALUE: Model[ClvParams, ClvResult] = Model(
    name="customer_value",
    params_type=ClvParams,
    compute=_sample_customer_value,
    headline=ClvResult.headline,
)
"""Customer lifetime value, declared once: :class:`ClvParams` in, :class:`ClvResult` out.

Its ``compute`` fits the sample business (``data/samples``); on other data call
:func:`compute_customer_value` on a summary (as
:func:`workbook.models.value.analysis.value_customers` does for the notebook and the dashboard).
"""
