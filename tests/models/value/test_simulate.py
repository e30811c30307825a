"""The simulators: seeded, shaped like a summary, faithful to the model's moments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.models.value.simulate import simulate_bgnbd, simulate_gamma_gamma


def test_same_seed_same_customers() -> None:
    first = simulate_bgnbd(500, 0.5, 20.0, 1.0, 3.0, T_days=200, seed=5)
    pd.testing.assert_frame_equal(first, simulate_bgnbd(500, 0.5, 20.0, 1.0, 3.0, 200, seed=5))
    assert not first.equals(simulate_bgnbd(500, 0.5, 20.0, 1.0, 3.0, 200, seed=6))


def test_histories_are_valid_summaries() -> None:
    data = simulate_bgnbd(5_000, 0.5, 20.0, 1.0, 3.0, T_days=np.arange(5_000) % 700 + 0.5,
                          seed=1, whole_days=True)
    assert (data["recency"] <= data["T"]).all()
    assert (data.loc[data["frequency"] == 0, "recency"] == 0).all()
    assert (data["T"] == np.floor(data["T"])).all()


def test_without_dropout_purchases_are_poisson_fhl_2005() -> None:
    # b huge: p ~ 0, so X(T) is negative binomial with mean r T / alpha
    data = simulate_bgnbd(50_000, 2.0, 10.0, 1e-3, 1e6, T_days=50, seed=2)
    assert abs(data["frequency"].mean() - 2.0 * 50 / 10.0) < 0.05
    assert data["alive"].mean() > 0.99


def test_spend_mean_matches_the_gamma_gamma_mean() -> None:
    # E[z] = p E[1/nu] = p v / (q - 1)
    x = np.full(100_000, 1.0)
    spend = simulate_gamma_gamma(x, p=6.0, q=4.0, v=15.0, seed=3)
    assert abs(spend.mean() / 30.0 - 1) < 0.02
    assert simulate_gamma_gamma([0.0], 6.0, 4.0, 15.0, seed=3).tolist() == [0.0]
