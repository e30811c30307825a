"""Building parameter objects from text (URLs, command lines) and from notebooks."""

from __future__ import annotations

import pytest

from workbook.core.parameters import (
    assumptions_used,
    build_params,
    coerce_text,
    field_assumption,
    field_types,
    params_from_namespace,
)
from workbook.core.validation import ParameterError
from workbook.models.roi.service_roi import ServiceRoiParams


def test_text_values_are_converted_to_field_types() -> None:
    params = build_params(ServiceRoiParams, {"customers": "2500",
                                             "spend_uplift_excellent_service": "0.12",
                                             "horizon_years": "3.0"}, from_text=True)
    assert (params.customers, params.spend_uplift_excellent_service, params.horizon_years) == (
        2500, 0.12, 3)
    assert isinstance(params.customers, int)


def test_empty_or_none_text_means_default() -> None:
    params = build_params(ServiceRoiParams,
                          {"spend_uplift_excellent_service": "", "customers": "None"},
                          from_text=True)
    assert params == ServiceRoiParams()


def test_percent_text_is_refused_with_a_hint() -> None:
    with pytest.raises(ParameterError, match="not a percent"):
        coerce_text("spend_uplift_excellent_service", "12%", float)


def test_non_numeric_text_names_the_parameter() -> None:
    with pytest.raises(ParameterError) as caught:
        build_params(ServiceRoiParams, {"discount_rate": "eight"}, from_text=True)
    assert caught.value.name == "discount_rate"


def test_unknown_names_are_refused_with_a_suggestion() -> None:
    with pytest.raises(ParameterError, match="did you mean spend_uplift_excellent_service"):
        build_params(ServiceRoiParams, {"spend_uplift_excelent_service": 0.1})


def test_namespace_picks_only_fields_and_skips_none() -> None:
    namespace = {"spend_uplift_excellent_service": 0.2, "customers": None, "In": [],
                 "pd": object()}
    params = params_from_namespace(ServiceRoiParams, namespace)
    assert params.spend_uplift_excellent_service == 0.2
    assert params.customers == ServiceRoiParams().customers


def test_field_metadata_reaches_the_registry() -> None:
    assert field_assumption(ServiceRoiParams, "spend_uplift_excellent_service").key == (
        "spend_uplift_excellent_service")
    assert field_assumption(ServiceRoiParams, "acquisition_cost_per_customer") is None
    assert field_types(ServiceRoiParams)["acquisition_cost_per_customer"] is float
    with pytest.raises(KeyError):
        field_assumption(ServiceRoiParams, "nope")


def test_assumptions_used_marks_changed_values_and_carries_sources() -> None:
    table = assumptions_used(ServiceRoiParams(spend_uplift_excellent_service=0.12))
    assert bool(table.loc["spend_uplift_excellent_service", "changed"]) is True
    assert bool(table.loc["customers", "changed"]) is False
    assert "American Express" in table.loc["spend_uplift_excellent_service", "source"]
    assert table["source"].str.len().min() > 0
