"""Parameter checks name the parameter, what it accepts and what it got."""

from __future__ import annotations

import math

import pytest

from workbook.core.validation import (
    ParameterError,
    require_fraction,
    require_integer,
    require_number,
)


def test_fraction_accepts_bounds_and_refuses_percent_like_values() -> None:
    assert require_fraction("x", 0) == 0.0
    assert require_fraction("x", 1) == 1.0
    with pytest.raises(ParameterError,
                       match=r"x: expected a fraction from 0 to 1 \(0.09 means 9 %\); got 9"):
        require_fraction("x", 9)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, "1", None, True])
def test_number_refuses_non_finite_and_non_numbers(bad: object) -> None:
    with pytest.raises(ParameterError) as caught:
        require_number("amount", bad, low=0)
    assert caught.value.name == "amount"
    assert caught.value.got is bad or (isinstance(bad, float) and math.isnan(bad))


def test_integer_accepts_whole_floats_from_yaml() -> None:
    assert require_integer("n", 12.0, low=1) == 12
    with pytest.raises(ParameterError, match="whole number from 1 to 3"):
        require_integer("n", 4, low=1, high=3)


def test_unknown_name_suggests_the_closest() -> None:
    error = ParameterError.unknown("custmers", ["customers", "discount_rate"], "ServiceRoiParams")
    assert "did you mean customers?" in str(error)
    assert error.name == "custmers"
