"""Call logs: the schema, loading with validation, and a seeded sample generator.

A call log has one row per offered call (answered or abandoned), as a telephone system's
queue report exports it. CSV, UTF-8, comma-separated, with this header row:

``call_id``
    The call's identifier: any non-empty text, unique within the log.
``arrived_at``
    When the call reached the queue: local wall-clock time in ISO 8601 without a time
    zone, e.g. ``2026-03-02 08:00:13`` (fractions of a second allowed).
``wait_seconds``
    Seconds from arrival until an agent answered or, for an abandoned call, until the caller
    hung up. At least 0.
``handle_seconds``
    Seconds an agent spent on the call: talk, hold and after-call work; 0 for an abandoned
    call (ignored there). At least 0.
``abandoned``
    Whether the caller hung up before an answer: ``1``/``0``, ``true``/``false`` or
    ``yes``/``no`` (any case).

Further columns are kept as they are. :func:`load_call_log` reads a file and
:func:`validate_call_log` checks a table; both return a new typed table (``arrived_at`` as
datetimes, the seconds as floats, ``abandoned`` as booleans), never modify their input, and
refuse a bad log with a :class:`CallLogError` naming the file, the column and the first
offending lines.

:func:`generate_call_log` makes a realistic small log for a fictional centre (see its
notes); :func:`write_sample_call_log` writes it, byte for byte the same on every run, to
``data/samples/call_log.csv`` (``python -m workbook.data.calllog`` regenerates it).

What the log measured (the share answered by the target ring) is
:mod:`workbook.models.responsiveness.observed`; the plan made from it,
:mod:`workbook.models.responsiveness.day_plan`.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from workbook.core.atomic import atomic_write_text
from workbook.core.paths import SAMPLES
from workbook.core.validation import ParameterError, require_integer
from workbook.data.validate import SHOWN_ROWS, DataError, Problem

__all__ = [
    "COLUMNS",
    "SAMPLE_CALL_LOG",
    "CallLogError",
    "generate_call_log",
    "load_call_log",
    "load_sample_call_log",
    "validate_call_log",
    "write_sample_call_log",
]

COLUMNS: tuple[str, ...] = ("call_id", "arrived_at", "wait_seconds", "handle_seconds",
                            "abandoned")
"""The required columns, in the order the sample file has them."""

SAMPLE_CALL_LOG = SAMPLES / "call_log.csv"
"""The sample log written by :func:`write_sample_call_log`."""

_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f"})
_ZONE = r"(?:[Zz]|[+-]\d{2}:?\d{2})\s*$"


class CallLogError(DataError):
    """A call log that does not follow the schema (a :class:`~workbook.data.DataError`).

    ``source`` is the file (or ``"call log"`` for a table passed in memory), ``column`` the
    column at fault (``None`` for the whole file), ``rows`` the first offending rows: file line
    numbers (the header is line 1) for a file, index labels for a table.
    """


# --- validation -----------------------------------------------------------------------------

class _Checker:
    """Builds the messages of one validation run (file line numbers or index labels)."""

    def __init__(self, frame: pd.DataFrame, source: str, from_file: bool) -> None:
        self.frame, self.source, self.from_file = frame, source, from_file

    def fail(self, column: str, problem: str, bad: NDArray[np.bool_]) -> None:
        positions = np.flatnonzero(bad)
        first = positions[:SHOWN_ROWS]
        places = first + 2 if self.from_file else self.frame.index[first]
        raise CallLogError.at(self.source, column, problem, list(places),
                              self.frame[column].to_numpy()[first],
                              word="line" if self.from_file else "row", total=len(positions))

    def timestamps(self, column: str) -> pd.Series:
        values = self.frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            raise CallLogError(self.source, [Problem(
                column, "times carry a time zone; give local wall-clock times "
                "(e.g. series.dt.tz_localize(None))")])
        if pd.api.types.is_datetime64_dtype(values.dtype):
            parsed = values.copy()
        else:
            text = values.astype(str).str.strip()
            zoned = text.str.contains(_ZONE, regex=True).to_numpy(dtype=bool)
            if zoned.any():
                self.fail(column, "a time zone in the timestamp (give local time without "
                          "one)", zoned)
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        missing = parsed.isna().to_numpy()
        if missing.any():
            self.fail(column, "not a timestamp like 2026-03-02 08:00:13", missing)
        return parsed

    def seconds(self, column: str) -> pd.Series:
        values = self.frame[column]
        numbers = pd.to_numeric(values, errors="coerce").astype(np.float64)
        array = numbers.to_numpy()
        unreadable = ~np.isfinite(array)
        if unreadable.any():
            self.fail(column, "not a finite number of seconds", unreadable)
        negative = array < 0
        if negative.any():
            self.fail(column, "negative seconds", negative)
        return numbers

    def flags(self, column: str) -> pd.Series:
        values = self.frame[column]
        if pd.api.types.is_bool_dtype(values.dtype):
            return values.astype(bool)
        text = values.astype(str).str.strip().str.lower()
        text = text.str.replace(r"\.0+$", "", regex=True)  # 1.0 / 0.0 from a numeric column
        is_true = text.isin(_TRUE).to_numpy()
        bad = ~(is_true | text.isin(_FALSE).to_numpy())
        if bad.any():
            self.fail(column, "not 1/0, true/false or yes/no", bad)
        return pd.Series(is_true, index=values.index, name=column)

    def identifiers(self, column: str) -> pd.Series:
        text = self.frame[column].astype(str).str.strip()
        empty = (text == "").to_numpy() | self.frame[column].isna().to_numpy()
        if empty.any():
            self.fail(column, "an empty call id", empty)
        repeated = text.duplicated(keep="first").to_numpy()
        if repeated.any():
            self.fail(column, "a call id already used on an earlier row", repeated)
        return text


def _validate(frame: pd.DataFrame, source: str, from_file: bool) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise CallLogError(source, [*(Problem(c, "missing") for c in missing), Problem(
            None, f"the log needs {', '.join(COLUMNS)} (found: {found})")])
    check = _Checker(frame, source, from_file)
    checked = {
        "call_id": check.identifiers("call_id"),
        "arrived_at": check.timestamps("arrived_at"),
        "wait_seconds": check.seconds("wait_seconds"),
        "handle_seconds": check.seconds("handle_seconds"),
        "abandoned": check.flags("abandoned"),
    }
    result = pd.DataFrame({name: series.to_numpy() for name, series in checked.items()})
    for extra in (c for c in frame.columns if c not in COLUMNS):
        result[extra] = frame[extra].to_numpy(copy=True)
    return result


def validate_call_log(frame: pd.DataFrame, source: str = "call log") -> pd.DataFrame:
    """Check a call-log table against the schema and return a typed copy.

    Parameters
    ----------
    frame
        The log; it is not modified. Columns may be text (as read from a CSV) or already
        typed (datetimes, numbers, booleans).
    source
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        The schema columns first, typed, then any further columns; a fresh 0-based index.

    Raises
    ------
    CallLogError
        For a missing column, an empty or repeated call id, an unreadable or zoned timestamp,
        missing, unreadable or negative seconds, or an ``abandoned`` value that is not a
        yes/no. The message quotes the first offending rows by index label.
    """
    return _validate(frame, source, from_file=False)


def load_call_log(path: str | Path) -> pd.DataFrame:
    """Read and validate a call-log CSV (see the module docstring for the schema).

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    CallLogError
        As :func:`validate_call_log`, quoting file line numbers (the header is line 1), or
        when the file is empty or not a readable CSV.

    Examples
    --------
    >>> log = load_call_log(SAMPLE_CALL_LOG)
    >>> list(log.columns)
    ['call_id', 'arrived_at', 'wait_seconds', 'handle_seconds', 'abandoned']
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such call log")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise CallLogError(str(path), ["the file is empty; expected a header row "
                                       f"{','.join(COLUMNS)}"]) from None
    except pd.errors.ParserError as error:
        raise CallLogError(str(path), [f"not a readable CSV ({error})"]) from None
    return _validate(raw, str(path), from_file=True)


def load_sample_call_log() -> pd.DataFrame:
    """The sample log shipped in ``data/samples/call_log.csv``, validated."""
    return load_call_log(SAMPLE_CALL_LOG)


# --- the sample generator -------------------------------------------------------------------

SAMPLE_SEED = 20260302
_INTERVAL_SECONDS = 1800
_BUCKET_SECONDS = 300
_OPEN_HOURS = ((8, 20), (8, 20), (8, 20), (8, 20), (8, 20), (9, 17), None)  # Mon … Sun
_DAILY_CALLS = (620.0, 560.0, 540.0, 530.0, 500.0, 260.0, 0.0)
_MEAN_HANDLE_SECONDS = 210.0
_HANDLE_SIGMA = 0.6
_MEAN_PATIENCE_SECONDS = 150.0
_ROSTER_SAFETY = 0.6  # square-root staffing: agents = A + 0.6 √A, rounded up
_LUNCH = (12 * 3600, 13 * 3600 + 1800)  # one agent fewer on weekdays (lunch breaks)


def _intraday_weight(hours: NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative arrival rate by hour of day: a morning and an afternoon peak."""
    morning = np.exp(-0.5 * ((hours - 10.5) / 1.3) ** 2)
    afternoon = 0.8 * np.exp(-0.5 * ((hours - 14.5) / 1.6) ** 2)
    return 0.25 + morning + afternoon


def _expected_rates(days: int, start_weekday: int) -> NDArray[np.float64]:
    """Expected calls per 5-minute bucket, for every bucket of every day (closed: 0)."""
    per_day = 86_400 // _BUCKET_SECONDS
    mid_hours = (np.arange(per_day) + 0.5) * _BUCKET_SECONDS / 3600.0
    rates = np.zeros((days, per_day))
    for d in range(days):
        weekday = (start_weekday + d) % 7
        hours = _OPEN_HOURS[weekday]
        if hours is None:
            continue
        open_ = (mid_hours >= hours[0]) & (mid_hours < hours[1])
        weight = np.where(open_, _intraday_weight(mid_hours), 0.0)
        rates[d] = _DAILY_CALLS[weekday] * weight / weight.sum()
    return rates


def _roster(rates: NDArray[np.float64], start_weekday: int) -> NDArray[np.int64]:
    """Agents on duty per 30-minute interval: square-root staffing on the expected load."""
    per_interval = _INTERVAL_SECONDS // _BUCKET_SECONDS
    days, buckets = rates.shape
    calls = rates.reshape(days, buckets // per_interval, per_interval).sum(axis=2)
    load = calls * (3600.0 / _INTERVAL_SECONDS) * _MEAN_HANDLE_SECONDS / 3600.0
    agents = np.where(load > 0, np.ceil(load + _ROSTER_SAFETY * np.sqrt(load)), 0)
    starts = np.arange(agents.shape[1]) * _INTERVAL_SECONDS
    lunch = (starts >= _LUNCH[0]) & (starts < _LUNCH[1])
    weekdays = (start_weekday + np.arange(days)) % 7 < 5
    agents = agents - (lunch[None, :] & weekdays[:, None] & (agents > 1))
    return agents.astype(np.int64).ravel()


def _simulate(arrivals: NDArray[np.int64], handles: NDArray[np.int64],
              patience: NDArray[np.int64],
              roster: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Queue the calls first come first served on the roster; impatient callers hang up.

    Agent ``k`` is on duty in the intervals where the roster has more than ``k`` agents; one
    whose shift ends mid-call finishes it. A call takes the agent who can start it first;
    if that start is later than the caller's patience, the caller hangs up then.
    """
    intervals = roster.size
    on = np.arange(roster.max())[:, None] < roster[None, :]
    next_on = np.full((on.shape[0], intervals + 1), intervals)
    for i in range(intervals - 1, -1, -1):
        next_on[:, i] = np.where(on[:, i], i, next_on[:, i + 1])
    rows = np.arange(on.shape[0])
    free = np.zeros(on.shape[0])
    waits = np.zeros(arrivals.size, dtype=np.int64)
    abandoned = np.zeros(arrivals.size, dtype=bool)
    for c, (arrival, handle, limit) in enumerate(zip(arrivals.tolist(), handles.tolist(),
                                                     patience.tolist(), strict=True)):
        ready = np.maximum(free, arrival)
        slot = np.minimum(ready // _INTERVAL_SECONDS, intervals).astype(np.int64)
        first = next_on[rows, slot]
        start = np.where(first == slot, ready, first * float(_INTERVAL_SECONDS))
        start[first >= intervals] = np.inf
        agent = int(np.argmin(start))
        wait = start[agent] - arrival
        if wait > limit:
            waits[c], abandoned[c] = limit, True
        else:
            waits[c] = int(wait)
            free[agent] = start[agent] + handle
    return waits, abandoned


def _first_day(start: str) -> np.datetime64:
    try:
        return np.datetime64(start, "D")
    except (TypeError, ValueError):
        raise ParameterError("start", "an ISO date such as 2026-03-02", start) from None


def _call_log_text(seed: int, start: str, weeks: int) -> str:
    first_day = _first_day(start)
    start_weekday = int(pd.Timestamp(first_day).weekday())
    days = 7 * weeks
    rng = np.random.default_rng(seed)
    rates = _expected_rates(days, start_weekday)
    day_factor = rng.gamma(40.0, 1.0 / 40.0, size=days)  # busier and quieter days (CV 16 %)
    counts = rng.poisson(rates * day_factor[:, None]).ravel()
    bucket_starts = np.arange(counts.size, dtype=np.int64) * _BUCKET_SECONDS
    arrivals = np.repeat(bucket_starts, counts)
    arrivals = np.sort(arrivals + rng.integers(0, _BUCKET_SECONDS, size=arrivals.size))
    mu = math.log(_MEAN_HANDLE_SECONDS) - _HANDLE_SIGMA**2 / 2
    handles = np.maximum(10, np.rint(rng.lognormal(mu, _HANDLE_SIGMA, arrivals.size)))
    patience = np.maximum(1, np.rint(rng.exponential(_MEAN_PATIENCE_SECONDS, arrivals.size)))
    waits, abandoned = _simulate(arrivals, handles.astype(np.int64),
                                 patience.astype(np.int64), _roster(rates, start_weekday))
    stamps = np.datetime_as_string(first_day.astype("datetime64[s]") + arrivals, unit="s")
    handles = np.where(abandoned, 0, handles).astype(np.int64)
    lines = [",".join(COLUMNS)]
    lines += [f"{i + 1},{stamp.replace('T', ' ')},{wait},{handle},{int(gone)}"
              for i, (stamp, wait, handle, gone)
              in enumerate(zip(stamps, waits.tolist(), handles.tolist(), abandoned.tolist(),
                               strict=True))]
    return "\n".join(lines) + "\n"


def generate_call_log(*, seed: int = SAMPLE_SEED, start: str = "2026-03-02",
                      weeks: int = 3) -> pd.DataFrame:
    """A realistic call log for a fictional centre, the same for the same arguments.

    Parameters
    ----------
    seed
        Seed of the random generator.
    start
        First day (ISO date); the default is a Monday.
    weeks
        Whole weeks to generate (1 to 12).

    Returns
    -------
    pandas.DataFrame
        A validated log in the schema of this module, in arrival order.

    Notes
    -----
    - **Opening hours**: Monday to Friday 08:00–20:00, Saturday 09:00–17:00, closed Sunday.
    - **Arrivals**: Poisson in 5-minute buckets around 620 calls on a Monday falling to 500 on
      a Friday and 260 on a Saturday; each day's volume is scaled by a gamma factor with
      mean 1 (coefficient of variation 16 %). Within the day, a morning peak at 10:30 and a
      smaller afternoon one at 14:30 over a flat base.
    - **Handle times**: lognormal, mean 210 s (log-sd 0.6), at least 10 s, whole seconds.
    - **Staffing**: the fictional centre rosters each 30-minute interval by square-root
      staffing on the expected load, ``⌈A + 0.6 √A⌉`` agents, one fewer from 12:00 to 13:30
      on weekdays (lunch breaks), and not by Erlang C, so the workbook's plan has something
      to correct.
    - **Waits**: simulated from that queue, first come first served; callers hang up after
      an exponential patience (mean 150 s), and that is their ``wait_seconds``.

    Everything is drawn from one ``numpy.random.default_rng(seed)`` stream in a fixed order
    and written with fixed formats, so the CSV is byte-identical on every run (with the same
    numpy).
    """
    require_integer("seed", seed, low=0)
    weeks = require_integer("weeks", weeks, low=1, high=12)
    text = _call_log_text(seed, start, weeks)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    return _validate(raw, "generated call log", from_file=True)


def write_sample_call_log(path: str | Path = SAMPLE_CALL_LOG, *, seed: int = SAMPLE_SEED,
                          start: str = "2026-03-02", weeks: int = 3) -> Path:
    """Write :func:`generate_call_log`'s log as CSV (atomically) and return the path.

    The defaults write the shipped sample, ``data/samples/call_log.csv``.
    """
    require_integer("seed", seed, low=0)
    weeks = require_integer("weeks", weeks, low=1, high=12)
    return atomic_write_text(Path(path), _call_log_text(seed, start, weeks))


if __name__ == "__main__":
    print(write_sample_call_log())
