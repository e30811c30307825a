"""Typed parameter objects: defaults from the registry, overrides from anywhere.

A model's parameters are a frozen dataclass whose fields take their defaults from the registry
through :func:`assumed`. Every way a user sets a value, a dashboard slider, a URL query string,
``workbook run -p NAME VALUE``, a scenario file, goes through :func:`build_params`, so the same
names and the same checks hold everywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from workbook.core.registry import Assumption, get_assumption
from workbook.core.validation import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "assumed",
    "assumptions_used",
    "build_params",
    "coerce_text",
    "field_assumption",
    "field_types",
    "params_from_namespace",
]

P = TypeVar("P")


def assumed(key: str) -> Any:
    """A dataclass field whose default is the registry value ``key``.

    The key is kept in the field's metadata, so a slider, a report table or a tooltip can find
    the assumption (range, unit, source) behind the field, and so are the entry's kind and hard
    limits, which :class:`~workbook.core.declare.Params` checks on construction. Name the field
    as its registry entry.
    """
    entry = get_assumption(key)
    return dataclasses.field(default=entry.value,
                             metadata={"assumption": key, "limits": entry.limits})


def field_assumption(params_type: type, name: str) -> Assumption | None:
    """The registered assumption behind field ``name`` of ``params_type``, if any."""
    for f in dataclasses.fields(params_type):
        if f.name == name:
            key = f.metadata.get("assumption")
            return get_assumption(key) if key else None
    raise KeyError(f"{params_type.__name__} has no field {name!r}")


def field_types(params_type: type) -> dict[str, type]:
    """The base type (``int``, ``float``, ``str``, ``bool``) of each field.

    A declared field's type is its kind's (:attr:`~workbook.core.declare.Limits.python_type`:
    ``int`` for a count, else ``float``); other fields' come from their annotation
    (``X | None`` gives X). Read once per class (a class's fields do not change); the Monte
    Carlo asks on every run.
    """
    return dict(_field_types(params_type))


@functools.cache
def _field_types(params_type: type) -> tuple[tuple[str, type], ...]:
    fields = dataclasses.fields(params_type)
    undeclared = [f for f in fields if f.metadata.get("limits") is None]
    hints = typing.get_type_hints(params_type) if undeclared else {}
    result: list[tuple[str, type]] = []
    for f in fields:
        limits = f.metadata.get("limits")
        if limits is not None:  # a declared field: its kind says the type
            result.append((f.name, limits.python_type))
            continue
        hint = hints[f.name]
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        result.append((f.name, hint))
    return tuple(result)


def coerce_text(name: str, text: str, target: type) -> Any:
    """Turn the text of a URL value or a ``-p`` argument into ``target``.

    ``"none"`` or an empty string give ``None`` (the registry default). Percent signs are
    refused with a hint, since parameters are fractions: ``0.09``, not ``9%``.
    """
    raw = text.strip()
    if raw == "" or raw.lower() == "none":
        return None
    if raw.endswith("%"):
        raise ParameterError(name, "a fraction such as 0.09 (not a percent)", text)
    if target is bool:
        lowered = raw.lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no"}:
            return False
        raise ParameterError(name, "true or false", text)
    if target is str:
        return raw
    try:
        number = float(raw.replace("_", ""))
    except ValueError:
        raise ParameterError(name, f"a number ({target.__name__})", text) from None
    if target is int and math.isfinite(number) and number.is_integer():
        return int(number)
    return number


def build_params(
    params_type: type[P],
    overrides: Mapping[str, Any] | None = None,
    *,
    from_text: bool = False,
) -> P:
    """Build ``params_type`` from registry defaults and the given overrides.

    Parameters
    ----------
    params_type
        A parameter dataclass such as :class:`workbook.models.roi.service_roi.ServiceRoiParams`.
    overrides
        Field name to value. ``None`` values keep the default.
    from_text
        Values are strings (a URL query, a command line) to be converted to each field's type.

    Raises
    ------
    ParameterError
        For an unknown name (listing the known ones), a value of the wrong type or out of range.
    """
    names = {f.name for f in dataclasses.fields(params_type)}
    kinds = field_types(params_type) if from_text else {}
    values: dict[str, Any] = {}
    for name, value in (overrides or {}).items():
        if name not in names:
            raise ParameterError.unknown(name, names, params_type.__name__)
        if from_text and isinstance(value, str):
            value = coerce_text(name, value, kinds[name])
        if value is not None:
            values[name] = value
    return params_type(**values)


def params_from_namespace(params_type: type[P], namespace: Mapping[str, Any]) -> P:
    """Build ``params_type`` from the variables of a notebook's parameters cell.

    Picks every name in ``namespace`` that is a field of ``params_type``; ``None`` means the
    registry default. Notebooks call it as ``params_from_namespace(ServiceRoiParams, globals())``.
    """
    names = {f.name for f in dataclasses.fields(params_type)}
    return build_params(params_type, {k: v for k, v in namespace.items() if k in names})


def assumptions_used(params: Any, sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every registry-backed input of ``params``: the value used beside the default and source.

    Reports show this table next to the numbers it drives. Columns: ``label, value, default,
    low, high, unit, source, changed`` (``changed`` is true where the user overrode the
    default), indexed by parameter name. ``sources`` replaces the source of the named
    parameters, e.g. for values measured from data (:mod:`workbook.models.roi.calibrate`).
    """
    import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

    sources = sources or {}
    rows = []
    for f in dataclasses.fields(params):
        key = f.metadata.get("assumption")
        if not key:
            continue
        a = get_assumption(key)
        value = getattr(params, f.name)
        named = not a.seed or f"seed {a.seed}" in a.source
        source = a.source if named else f"{a.source} [seed {a.seed}]"
        source = sources.get(f.name, source)
        rows.append({"parameter": f.name, "label": a.label, "value": value, "default": a.value,
                     "low": a.low, "high": a.high, "unit": a.unit, "source": source,
                     "changed": value != a.value})
    return pd.DataFrame(rows).set_index("parameter")
