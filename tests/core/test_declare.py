"""Declarations: each parameter's kind and hard limits, checked once, wherever it is set."""

from __future__ import annotations

import dataclasses
import importlib
import math
import pkgutil
import types
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.core.declare import (
    KINDS,
    Limits,
    Params,
    count,
    declaration,
    declared,
    fraction,
    number,
)
from workbook.core.parameters import assumed
from workbook.core.registry import ASSUMPTIONS, LIMITS, Assumption
from workbook.core.validation import ParameterError

FIXED = settings(derandomize=True, max_examples=200, deadline=None, database=None)
"""Hypothesis with a fixed seed: the same examples on every run and every machine."""


# --- Limits.check, one kind at a time ------------------------------------------------------

def test_count_accepts_a_whole_float_as_an_int() -> None:
    value = count(low=1).check("customers", 10000.0)
    assert value == 10000
    assert type(value) is int


def test_count_refuses_a_fraction_of_one_naming_the_parameter() -> None:
    with pytest.raises(ParameterError, match=r"^customers: expected a whole number") as caught:
        count(low=1).check("customers", 10000.5)
    assert caught.value.name == "customers"


def test_fraction_and_number_return_floats() -> None:
    assert type(fraction().check("gross_margin_rate", 1)) is float
    assert type(number(low=0).check("upfront_investment", 5)) is float


@pytest.mark.parametrize("limits", [fraction(), number(low=0), count(low=0)],
                         ids=["fraction", "number", "count"])
@pytest.mark.parametrize("value", [True, False, math.nan, math.inf, "0.5", None],
                         ids=["True", "False", "nan", "inf", "text", "None"])
def test_bools_nan_infinity_text_and_none_are_refused(limits: Limits, value: object) -> None:
    with pytest.raises(ParameterError) as caught:
        limits.check("some_parameter", value)
    assert caught.value.name == "some_parameter"
    assert str(caught.value).startswith("some_parameter: expected ")


@pytest.mark.parametrize(("limits", "value", "expected"), [
    (fraction(), 1.5, "a fraction from 0 to 1"),
    (fraction(), -0.1, "a fraction from 0 to 1"),
    (fraction(high=0.99), 0.995, "a fraction from 0 to 0.99"),
    (fraction(low=0.2), 0.1, "a fraction from 0.2 to 1"),
    (number(low=0, high=100), 101, "a number from 0 to 100"),
    (number(low=0, unit="seconds"), -1, "a number of at least 0 seconds"),
    (count(low=1, high=50), 51, "a whole number from 1 to 50"),
    (count(low=1), 0, "a whole number of at least 1"),
], ids=lambda v: repr(v) if not isinstance(v, Limits) else v.kind)
def test_out_of_range_names_the_parameter_and_the_range(limits: Limits, value: object,
                                                        expected: str) -> None:
    with pytest.raises(ParameterError) as caught:
        limits.check("x_rate", value)
    assert caught.value.name == "x_rate"
    assert caught.value.expected.startswith(expected), caught.value.expected
    assert caught.value.got == value


def test_limits_are_inclusive() -> None:
    assert fraction().check("a", 0.0) == 0.0
    assert fraction().check("a", 1.0) == 1.0
    assert number(low=-6, high=0).check("gap", -6) == -6.0
    assert count(low=1, high=50).check("horizon_years", 50) == 50


def test_above_low_refuses_low_itself_and_accepts_just_above() -> None:
    seconds = number(low=0, above_low=True, unit="seconds")
    with pytest.raises(ParameterError, match="above 0 seconds") as caught:
        seconds.check("aht_seconds", 0)
    assert caught.value.name == "aht_seconds"
    assert seconds.check("aht_seconds", 1e-9) == 1e-9
    share = fraction(above_low=True)
    with pytest.raises(ParameterError, match="a fraction above 0 and at most 1"):
        share.check("top_customer_share", 0.0)
    assert share.check("top_customer_share", 1.0) == 1.0


def test_optional_accepts_none_and_still_checks_values() -> None:
    cost = number(low=0, optional=True)
    assert cost.check("acquisition_cost_per_customer", None) is None
    with pytest.raises(ParameterError, match="acquisition_cost_per_customer"):
        cost.check("acquisition_cost_per_customer", -1)
    assert count(low=1, optional=True).check("max_contacts", None) is None


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind: expected one of fraction, number, count"):
        Limits("percent")  # type: ignore[arg-type]


def test_a_fraction_is_bounded_0_to_1_unless_narrowed() -> None:
    assert (fraction().low, fraction().high) == (0.0, 1.0)
    assert (fraction(low=0.1, high=0.5).low, fraction(low=0.1, high=0.5).high) == (0.1, 0.5)
    assert fraction().python_type is float
    assert count().python_type is int
    assert KINDS == ("fraction", "number", "count")


# --- bounds, parse ----------------------------------------------------------------------

def test_bounds_are_the_hard_limits_infinite_where_unbounded() -> None:
    assert fraction().bounds() == (0.0, 1.0)
    assert number().bounds() == (-math.inf, math.inf)
    assert number(low=0).bounds() == (0.0, math.inf)
    assert count(low=1, high=50).bounds() == (1.0, 50.0)


def test_bounds_above_low_start_just_above_low() -> None:
    low, high = number(low=0, above_low=True).bounds()
    assert low == math.nextafter(0.0, 1.0)
    assert high == math.inf
    assert number(low=0, above_low=True).check("x", low) == low


@pytest.mark.parametrize(("limits", "text", "expected"), [
    (count(low=1), "10000", 10000),
    (count(low=1), "10000.0", 10000),
    (count(low=1), "10_000", 10000),
    (fraction(), "0.09", 0.09),
    (number(), " 12.5 ", 12.5),
    (number(), "none", None),
    (number(), "", None),
], ids=repr)
def test_parse_turns_text_into_the_kind(limits: Limits, text: str, expected: object) -> None:
    value = limits.parse("p", text)
    assert value == expected
    assert type(value) is type(expected)


def test_parse_refuses_percent_and_words_naming_the_parameter() -> None:
    with pytest.raises(ParameterError, match="not a percent") as caught:
        fraction().parse("spend_uplift_excellent_service", "9%")
    assert caught.value.name == "spend_uplift_excellent_service"
    with pytest.raises(ParameterError, match="discount_rate: expected a number"):
        fraction().parse("discount_rate", "eight")


def test_parse_does_not_range_check() -> None:
    """Parsing is only the text; :meth:`Limits.check` refuses the value afterwards."""
    assert fraction().parse("x", "1.5") == 1.5
    with pytest.raises(ParameterError):
        fraction().check("x", fraction().parse("x", "1.5"))


# --- strategy: every value it draws passes check --------------------------------------------

LIMITS_UNDER_TEST = {
    "fraction": fraction(),
    "fraction_high": fraction(high=0.99),
    "fraction_above_low": fraction(above_low=True),
    "fraction_low_high": fraction(low=0.2, high=0.5),
    "number": number(),
    "number_low": number(low=0),
    "number_above_low": number(low=0, above_low=True, unit="seconds"),
    "number_low_high": number(low=-6, high=0),
    "count": count(),
    "count_low": count(low=1),
    "count_low_high": count(low=2, high=100),
}


@pytest.mark.parametrize("name", sorted(LIMITS_UNDER_TEST))
def test_strategy_values_always_pass_check(name: str) -> None:
    limits = LIMITS_UNDER_TEST[name]

    @FIXED
    @given(limits.strategy())
    def passes(value: float) -> None:
        assert limits.check(name, value) == value

    passes()


@pytest.mark.parametrize("key", sorted(ASSUMPTIONS))
def test_strategy_within_the_plausible_range_passes_check(key: str) -> None:
    entry = ASSUMPTIONS[key]

    @settings(derandomize=True, max_examples=20, deadline=None, database=None)
    @given(entry.limits.strategy((entry.low, entry.high)))
    def passes(value: float) -> None:
        assert entry.low <= value <= entry.high
        entry.limits.check(key, value)

    passes()


# --- a Params subclass ----------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ExampleParams(Params):
    """Two registry figures, a declared fraction, an optional override and a switch."""

    customers: int = assumed("customers")
    annual_retention_rate: float = assumed("annual_retention_rate")
    retention_uplift_rate: float = assumed("retention_uplift_rate")
    acquisition_cost_per_customer: float | None = declared(None, number(low=0, optional=True))
    include_referrals: bool = declared(True)

    def check(self) -> None:
        if self.annual_retention_rate + self.retention_uplift_rate > 0.99:
            raise ParameterError("retention_uplift_rate",
                                 f"at most {0.99 - self.annual_retention_rate:.4g} so that "
                                 "retention with the uplift stays at most 0.99",
                                 self.retention_uplift_rate)


def test_defaults_are_the_registry_values() -> None:
    params = ExampleParams()
    assert params.customers == ASSUMPTIONS["customers"].value
    assert params.annual_retention_rate == ASSUMPTIONS["annual_retention_rate"].value
    assert params.acquisition_cost_per_customer is None
    assert params.include_referrals is True


def test_post_init_checks_every_declared_field_and_coerces() -> None:
    params = ExampleParams(customers=2500.0)
    assert params.customers == 2500
    assert type(params.customers) is int
    with pytest.raises(ParameterError) as caught:
        ExampleParams(annual_retention_rate=1.2)
    assert caught.value.name == "annual_retention_rate"
    with pytest.raises(ParameterError, match="acquisition_cost_per_customer"):
        ExampleParams(acquisition_cost_per_customer=-5)
    with pytest.raises(ParameterError, match="customers"):
        ExampleParams(customers=True)


def test_a_field_declared_without_limits_is_not_checked() -> None:
    assert declaration(ExampleParams, "include_referrals") is None
    assert ExampleParams(include_referrals=False).include_referrals is False


def test_declaration_is_the_registry_entrys_limits() -> None:
    assert declaration(ExampleParams, "customers") == ASSUMPTIONS["customers"].limits
    assert declaration(ExampleParams, "acquisition_cost_per_customer") == number(
        low=0, optional=True)
    with pytest.raises(KeyError, match="ExampleParams has no field 'customer'"):
        declaration(ExampleParams, "customer")


def test_check_is_called_on_construction_and_on_replace() -> None:
    with pytest.raises(ParameterError, match="retention_uplift_rate: expected at most"):
        ExampleParams(annual_retention_rate=0.9, retention_uplift_rate=0.2)
    params = ExampleParams(annual_retention_rate=0.9, retention_uplift_rate=0.05)
    with pytest.raises(ParameterError) as caught:
        params.replace(retention_uplift_rate=0.1)
    assert caught.value.name == "retention_uplift_rate"


def test_replace_validates_and_keeps_the_original() -> None:
    params = ExampleParams()
    changed = params.replace(customers=12.0)
    assert changed.customers == 12
    assert type(changed) is ExampleParams
    assert params.customers == ASSUMPTIONS["customers"].value
    with pytest.raises(ParameterError, match="customers"):
        params.replace(customers=0)


def test_to_dict_round_trips_in_field_order() -> None:
    params = ExampleParams(customers=3, acquisition_cost_per_customer=120.0)
    as_dict = params.to_dict()
    assert list(as_dict) == [f.name for f in dataclasses.fields(ExampleParams)]
    assert ExampleParams(**as_dict) == params


def test_params_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ExampleParams().customers = 5  # type: ignore[misc]


# --- the registry and the package's declarations ----------------------------------------------

def test_an_entry_cannot_be_registered_without_its_limits() -> None:
    # each entry states its kind and hard limits beside its value: there is no default
    with pytest.raises(TypeError, match="limits"):
        Assumption("x", "X", 1.0, 0.0, 2.0, "ratio", "nobody")  # type: ignore[call-arg]
    assert sorted(LIMITS) == sorted(ASSUMPTIONS)


@pytest.mark.parametrize("key", sorted(ASSUMPTIONS))
def test_every_entry_passes_its_own_limits(key: str) -> None:
    """The default and both ends of the plausible range are accepted values."""
    entry = ASSUMPTIONS[key]
    for what in ("value", "low", "high"):
        figure = getattr(entry, what)
        try:
            entry.limits.check(key, figure)
        except ParameterError as error:
            pytest.fail(f"{key}: its {what} {figure!r} fails its own limits ({error})")


SCANNED = ("workbook.models", "workbook.uncertainty")
"""Where parameter objects are declared: every model, and the Monte Carlo settings."""


def _package_modules() -> list[str]:
    names = []
    for package in SCANNED:
        path = importlib.import_module(package).__path__
        names += [package, *(m.name for m in pkgutil.walk_packages(path, prefix=f"{package}."))]
    return sorted(names)


def _declared_dataclasses() -> list[type]:
    """Every dataclass defined in the modules of :data:`SCANNED`."""
    found: dict[str, type] = {}
    for name in _package_modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (isinstance(value, type) and dataclasses.is_dataclass(value)
                    and value.__module__ == name):
                found[f"{name}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


def test_every_model_module_is_scanned() -> None:
    scanned = {c.__module__ for c in _declared_dataclasses()}
    assert "workbook.models.roi.service_roi" in scanned
    assert len({m for m in scanned if m.startswith("workbook.models.")}) >= 10


def test_every_assumed_field_is_named_as_its_registry_key() -> None:
    """Rule 1 of issue 11: ``x: float = assumed("x")``, never ``y: float = assumed("x")``."""
    offenders = [
        f"{cls.__module__}.{cls.__qualname__}.{f.name} = assumed({f.metadata['assumption']!r})"
        for cls in _declared_dataclasses()
        for f in dataclasses.fields(cls)
        if f.metadata.get("assumption") and f.name != f.metadata["assumption"]
    ]
    assert not offenders, "fields not named as their registry key:\n  " + "\n  ".join(offenders)


def test_every_dataclass_with_assumed_fields_derives_from_params() -> None:
    """Rule 3: declared once, so checked by :class:`Params`, not by a hand-written check."""
    offenders = [
        f"{cls.__module__}.{cls.__qualname__}" for cls in _declared_dataclasses()
        if any(f.metadata.get("assumption") for f in dataclasses.fields(cls))
        and not issubclass(cls, Params)
    ]
    assert not offenders, f"dataclasses with assumed(...) fields that are not Params: {offenders}"


def test_every_declared_field_is_annotated_with_its_kinds_type() -> None:
    """A count is an ``int`` field, a fraction or number a ``float`` one: URL and ``-p``
    coercion (:func:`~workbook.core.parameters.field_types`) read the kind, so the two agree."""
    from workbook.core.parameters import field_types

    offenders = []
    for cls in _declared_dataclasses():
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            limits = f.metadata.get("limits")
            if limits is None:
                continue
            hint = hints[f.name]
            if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
            if hint is not limits.python_type:
                offenders.append(f"{cls.__qualname__}.{f.name}: {hint} but kind {limits.kind}")
            assert field_types(cls)[f.name] is limits.python_type
    assert not offenders, offenders


def test_params_strategy_draws_valid_objects_within_the_plausible_ranges() -> None:
    from workbook.core.declare import params_strategy
    from workbook.models.roi.service_roi import ServiceRoiParams

    @FIXED
    @given(params_strategy(ServiceRoiParams, horizon_years=5))
    def check(params: ServiceRoiParams) -> None:
        assert params.horizon_years == 5
        entry = ASSUMPTIONS["spend_uplift_excellent_service"]
        assert entry.low <= params.spend_uplift_excellent_service <= entry.high
        assert params.annual_retention_rate + params.retention_uplift_rate <= 0.99 + 1e-12

    check()


def test_registry_strategies_draw_only_accepted_values() -> None:
    """A cross-check of both: any key's strategy, any field declared with it."""

    @FIXED
    @given(st.sampled_from(sorted(ASSUMPTIONS)), st.data())
    def passes(key: str, data: st.DataObject) -> None:
        limits = ASSUMPTIONS[key].limits
        limits.check(key, data.draw(limits.strategy()))

    passes()
