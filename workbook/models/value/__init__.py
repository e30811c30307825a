"""Customer lifetime value: BG/NBD purchases, Gamma-Gamma spend, value per customer.

The models (:mod:`workbook.models.value.bgnbd`, :mod:`workbook.models.value.gamma_gamma`), their
simulators (:mod:`workbook.models.value.simulate`), the valuation of a customer base
(:mod:`workbook.models.value.lifetime_value`, declared once as :data:`CUSTOMER_VALUE`), the
win-back campaign (:mod:`workbook.models.value.winback`) and the analysis the notebook and the
dashboard share (:mod:`workbook.models.value.analysis`). Input: the per-customer summary of
:func:`workbook.data.summary.summarize_customers` (frequency, recency, ``T`` in days, monetary
value).
"""

from __future__ import annotations

from workbook.models.value.bgnbd import (
    BgNbdFit,
    bgnbd_log_likelihood,
    expected_purchases,
    fit_bgnbd,
    probability_alive,
    probability_alive_after,
)
from workbook.models.value.gamma_gamma import (
    GammaGammaFit,
    expected_spend,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
)
from workbook.models.value.inputs import ClvError
from workbook.models.value.lifetime_value import (
    CUSTOMER_VALUE,
    ClvParams,
    ClvResult,
    clv_headline_text,
    compute_customer_value,
    lifetime_value,
    probability_alive_matrix,
    value_by_stage,
)
from workbook.models.value.simulate import simulate_bgnbd, simulate_gamma_gamma

__all__ = [
    "CUSTOMER_VALUE",
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
