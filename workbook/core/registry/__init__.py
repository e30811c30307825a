"""The registry of assumptions: the one source of every figure the workbook uses.

Each entry carries its value, a plausible low–high range (the span of a dashboard slider and,
later, of an uncertainty distribution), a unit and the source that states it. Two kinds live
here:

- **figures from the source texts** (``../shared/service-facts.md``; the seed file is named in
  ``seed``). Where a text gives a range ("3–5 people") the range is the text's and the value
  its midpoint; where it gives one figure the range is the workbook's judgement, said in
  ``range_basis``.
- **business inputs** the models need (customers, spend, margin, retention, costs). Their
  defaults describe a *fictional* mid-size business and say so in ``source``: replace them with
  your own figures.

Nothing here is computed or read from disk: importing the module has no side effects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from workbook.core.declare import Limits
from workbook.core.registry.assumption import Assumption
from workbook.core.registry.entries import ENTRIES

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ASSUMPTIONS",
    "LIMITS",
    "Assumption",
    "assumptions_table",
    "default",
    "get_assumption",
]

ASSUMPTIONS: Mapping[str, Assumption] = MappingProxyType({a.key: a for a in ENTRIES})
"""Every registered assumption by key (read-only)."""

LIMITS: Mapping[str, Limits] = MappingProxyType({k: a.limits for k, a in ASSUMPTIONS.items()})
"""Kind and hard limits of every entry, by key (read from the entries)."""


def get_assumption(key: str) -> Assumption:
    """Return the registered assumption ``key``.

    Raises
    ------
    KeyError
        With the list of known keys, when ``key`` is not registered.
    """
    try:
        return ASSUMPTIONS[key]
    except KeyError:
        known = ", ".join(sorted(ASSUMPTIONS))
        raise KeyError(f"no assumption {key!r} in the registry; known: {known}") from None


def default(key: str) -> float:
    """The registered default value of ``key`` (for dataclass field defaults).

    Examples
    --------
    >>> default("spend_uplift_excellent_service")
    0.09
    """
    return get_assumption(key).value


def assumptions_table(keys: Iterable[str] | None = None) -> pd.DataFrame:
    """The registry (or the entries ``keys``) as a table, one row per assumption.

    Columns: ``label, value, low, high, unit, source, seed, range_basis, note``, indexed by
    ``key``. Reports show it next to the numbers it drives.
    """
    import pandas as pd  # kept out of the dashboard kernel: see workbook.ui.kernel

    chosen = [get_assumption(k) for k in keys] if keys is not None else list(ASSUMPTIONS.values())
    rows = [{f.name: getattr(a, f.name) for f in dataclasses.fields(a) if f.name != "limits"}
            for a in chosen]
    frame = pd.DataFrame(rows).set_index("key")
    return frame
