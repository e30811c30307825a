"""Monte Carlo of the complaint and word-of-mouth models: exactness, reproducibility, draws."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from workbook.models.recovery.complaints import ComplaintParams, compute_complaint_recovery
from workbook.models.recovery.word_of_mouth import WordOfMouthParams, compute_word_of_mouth
from workbook.uncertainty import UncertaintyParams
from workbook.uncertainty.recovery import (
    COMPLAINT_FIXED,
    WORD_OF_MOUTH_FIXED,
    simulate_complaint_recovery,
    simulate_word_of_mouth,
)

SMALL = UncertaintyParams(draws=2_000)
MOVED_COMPLAINTS = ComplaintParams(complaint_capture_share=0.4, complaint_silent_retention=0.35,
                                   horizon_years=3)
MOVED_STORIES = WordOfMouthParams(wom_happy_share=0.5, unhappy_customer_tells=14,
                                  wom_social_amplification=2.5)


@pytest.mark.parametrize("params", [ComplaintParams(), MOVED_COMPLAINTS])
def test_collapsed_complaint_ranges_equal_the_model_exactly(params: ComplaintParams) -> None:
    simulation = simulate_complaint_recovery(params, UncertaintyParams(widen_factor=0))
    result = compute_complaint_recovery(params)
    for name, values in simulation.outcomes.items():
        assert (values == getattr(result, name)).all(), name
    assert simulation.inputs == {}


@pytest.mark.parametrize("params", [WordOfMouthParams(), MOVED_STORIES])
def test_collapsed_word_of_mouth_ranges_equal_the_model_exactly(
    params: WordOfMouthParams,
) -> None:
    everything = frozenset(f.name for f in dataclasses.fields(WordOfMouthParams))
    for uncertainty in (UncertaintyParams(widen_factor=0), UncertaintyParams(fixed=everything)):
        simulation = simulate_word_of_mouth(params, uncertainty)
        result = compute_word_of_mouth(params)
        assert (simulation.net_value == result.net_value).all()
        assert (simulation.outcomes["happy_reach"] == result.happy_reach).all()


def test_each_draw_is_the_model_at_that_draws_inputs() -> None:
    simulation = simulate_complaint_recovery(uncertainty=UncertaintyParams(draws=20, seed=7))
    for i in (0, 7, 19):
        drawn = {name: float(values[i]) for name, values in simulation.inputs.items()}
        single = compute_complaint_recovery(ComplaintParams(**drawn))
        assert simulation.net_value[i] == single.net_value
    stories = simulate_word_of_mouth(uncertainty=UncertaintyParams(draws=20, seed=7))
    for i in (0, 19):
        drawn = {name: values[i].item() for name, values in stories.inputs.items()}
        drawn["influence_circle"] = int(drawn["influence_circle"])
        assert stories.net_value[i] == compute_word_of_mouth(WordOfMouthParams(**drawn)).net_value


def test_seeded_reproducibility_and_a_different_seed() -> None:
    first = simulate_complaint_recovery(draws=3_000, seed=11)
    again = simulate_complaint_recovery(draws=3_000, seed=11)
    other = simulate_complaint_recovery(draws=3_000, seed=12)
    assert (first.net_value == again.net_value).all()
    assert first.headline() == again.headline()
    assert not (first.net_value == other.net_value).all()
    stories = simulate_word_of_mouth(draws=3_000, seed=11)
    assert (stories.net_value == simulate_word_of_mouth(draws=3_000, seed=11).net_value).all()


def test_default_fixed_sets_and_draws_within_the_registry_ranges() -> None:
    simulation = simulate_complaint_recovery(uncertainty=SMALL)
    assert simulation.uncertainty.fixed == COMPLAINT_FIXED
    assert set(simulation.inputs) == {"complaint_problem_share", "complaint_capture_share",
                                      "complaint_prompt_resolution_share",
                                      "complaint_recovery_retention",
                                      "complaint_unrecovered_retention",
                                      "complaint_silent_retention"}
    recovery = simulation.inputs["complaint_recovery_retention"]
    assert recovery.min() >= 0.6 and recovery.max() <= 0.8  # registry 0.6-0.8 around 0.7
    stories = simulate_word_of_mouth(uncertainty=SMALL)
    assert stories.uncertainty.fixed == WORD_OF_MOUTH_FIXED
    happy_customer_tells = stories.inputs["happy_customer_tells"]
    # seed 001: 3 to 5 people
    assert happy_customer_tells.min() >= 3 and happy_customer_tells.max() <= 5
    assert (stories.inputs["influence_circle"] == np.rint(stories.inputs["influence_circle"])).all()


def test_happy_and_unhappy_shares_never_exceed_everyone() -> None:
    wide = UncertaintyParams(draws=5_000, ranges={"wom_happy_share": (0.5, 0.95),
                                                  "wom_unhappy_share": (0.02, 0.45)})
    stories = simulate_word_of_mouth(WordOfMouthParams(wom_happy_share=0.7,
                                                       wom_unhappy_share=0.2), wide)
    total = stories.inputs["wom_happy_share"] + stories.outcomes["unhappy_customers"] / 10_000
    assert total.max() <= 1 + 1e-12


def test_headline_percentiles_and_probability_agree_with_numpy() -> None:
    simulation = simulate_word_of_mouth(uncertainty=SMALL)
    headline = simulation.headline()
    assert headline["word_of_mouth_net_value_p50"] == pytest.approx(
        np.percentile(simulation.net_value, 50))
    assert headline["word_of_mouth_probability_net_value_positive"] == pytest.approx(
        np.mean(simulation.net_value > 0))
    table = simulation.percentiles(["net_value", "prospects_won"])
    assert table.loc["prospects_won", "At the values"] == simulation.base.prospects_won
    assert table.loc["net_value", "P10"] <= table.loc["net_value", "P90"]


def test_a_wider_range_spreads_the_net_value() -> None:
    narrow = simulate_complaint_recovery(uncertainty=SMALL.replace(widen_factor=0.5))
    wide = simulate_complaint_recovery(uncertainty=SMALL.replace(widen_factor=1.0))
    assert np.std(narrow.net_value) < np.std(wide.net_value)


def test_ten_thousand_draws_by_default() -> None:
    assert simulate_complaint_recovery().draws == 10_000
    assert simulate_word_of_mouth().draws == 10_000
