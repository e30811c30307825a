"""One Monte Carlo over any model (issue 11): bounds from the declarations, cores per model."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from workbook.core.declare import declaration
from workbook.models.recovery.complaints import COMPLAINT_RECOVERY, ComplaintParams
from workbook.models.recovery.word_of_mouth import WORD_OF_MOUTH, WordOfMouthParams
from workbook.models.roi.service_roi import SERVICE_ROI, ServiceRoiParams
from workbook.uncertainty import (
    Simulation,
    UncertaintyParams,
    accepted_bounds,
    simulate,
    simulate_service_roi,
)
from workbook.uncertainty.recovery import simulate_complaint_recovery, simulate_word_of_mouth

MODELS = [SERVICE_ROI, COMPLAINT_RECOVERY, WORD_OF_MOUTH]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_collapsed_ranges_give_the_deterministic_model_in_every_draw(model) -> None:
    simulation = simulate(model, uncertainty=UncertaintyParams(draws=50, widen_factor=0))
    assert isinstance(simulation, Simulation) and simulation.draws == 50
    assert simulation.inputs == {}
    base = model.compute(model.params_type())
    assert bool((simulation.outcomes["npv" if model is SERVICE_ROI else "net_value"]
                 == (base.npv if model is SERVICE_ROI else base.net_value)).all())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_every_draw_is_accepted_by_the_model(model) -> None:
    simulation = simulate(model, uncertainty=UncertaintyParams(draws=200, widen_factor=3,
                                                               fixed=frozenset()))
    values = model.params_type().to_dict()
    for i in range(0, 200, 20):
        draw = {name: drawn[i].item() for name, drawn in simulation.inputs.items()}
        model.params_type(**{**values, **draw})  # refuses a draw past a limit or a joint rule


def test_the_named_simulations_are_the_generic_one() -> None:
    u = UncertaintyParams(draws=300, seed=7)
    generic = simulate(SERVICE_ROI, ServiceRoiParams(), u)
    np.testing.assert_array_equal(simulate_service_roi(ServiceRoiParams(), u).npv,
                                  generic.outcomes["npv"])
    complaint = simulate_complaint_recovery(uncertainty=u)
    assert complaint.model is COMPLAINT_RECOVERY
    np.testing.assert_array_equal(
        complaint.net_value,
        simulate(COMPLAINT_RECOVERY, ComplaintParams(),
                 u.replace(fixed=COMPLAINT_RECOVERY.fixed)).outcomes["net_value"])
    stories = simulate_word_of_mouth(WordOfMouthParams(), u)
    assert stories.headline().keys() >= {"word_of_mouth_net_value_p10"}


def test_bounds_are_the_declared_limits_cut_by_the_rules_across_fields() -> None:
    params = ServiceRoiParams(annual_retention_rate=0.93, retention_uplift_rate=0.03)
    assert accepted_bounds(params, "retention_uplift_rate", SERVICE_ROI) == (0.0, 0.06)
    assert accepted_bounds(params, "annual_retention_rate", SERVICE_ROI) == (0.0, 0.96)
    for f in dataclasses.fields(ComplaintParams):
        limits = declaration(ComplaintParams, f.name)
        assert accepted_bounds(ComplaintParams(), f.name, COMPLAINT_RECOVERY) == limits.bounds()
    assert accepted_bounds(ServiceRoiParams(), "horizon_years") == (1.0, 50.0)
    assert accepted_bounds(ServiceRoiParams(), "customers") == (1.0, math.inf)


def test_retention_has_one_hard_limit_in_every_model() -> None:
    for params_type in (ServiceRoiParams, ComplaintParams, WordOfMouthParams):
        assert declaration(params_type, "annual_retention_rate").high == 0.99
