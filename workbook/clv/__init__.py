"""Customer lifetime value: BG/NBD purchases, Gamma-Gamma spend, value per customer.

The models (:mod:`workbook.clv.bgnbd`, :mod:`workbook.clv.gamma_gamma`), their simulators
(:mod:`workbook.clv.simulate`) and the valuation of a customer base
(:mod:`workbook.clv.value`). Input: the per-customer summary of
:func:`workbook.customers.summarize_customers` (frequency, recency, ``T`` in days, monetary
value).
"""

from __future__ import annotations

from workbook.clv.bgnbd import (
    BgNbdFit,
    bgnbd_log_likelihood,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
    probability_alive_after,
)
from workbook.clv.gamma_gamma import (
    GammaGammaFit,
    expected_spend,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
)
from workbook.clv.inputs import ClvError
from workbook.clv.simulate import simulate_bgnbd, simulate_gamma_gamma
from workbook.clv.value import (
    ClvParams,
    ClvResult,
    clv_headline_text,
    compute_customer_value,
    lifetime_value,
    probability_alive_matrix,
    value_by_stage,
)

__all__ = [
    "BgNbdFit",
    "ClvError",
    "ClvParams",
    "ClvResult",
    "GammaGammaFit",
    "bgnbd_log_likelihood",
    "clv_headline_text",
    "compute_customer_value",
    "expected_purchases",
    "expected_spend",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
    "lifetime_value",
    "probability_alive",
    "probability_alive_after",
    "probability_alive_matrix",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "value_by_stage",
]
