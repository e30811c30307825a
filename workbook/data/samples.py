"""A seeded sample business: customers, leads, transactions, complaints and support contacts.

A small, realistic and entirely fictional business, generated from a fixed seed so the files
in ``data/samples/`` are byte-identical on every run (``workbook samples``). They are the
embedded default of the loyalty notebook and dashboard, and the known input of the tests. The
data card ``data/samples/README.md`` describes every file.

The story (days from 2023-01-01 to 2025-12-31):

- **Leads.** People become known (a suspect) on a first-contact day; some qualify (a prospect)
  days later; some sign up as customers. Leads who never sign up stay in ``prospects.csv``.
- **Customers.** Sign-ups grow through the period and peak before Christmas. Each customer has
  a segment (household, small business, corporate), a purchase rate drawn from a gamma
  distribution and a typical basket drawn from a lognormal one scaled by the segment: a few
  customers buy often and big, most rarely and small (a Pareto-shaped spend).
- **Purchases.** The first purchase comes on sign-up or soon after; later ones follow a Poisson
  process thinned by a yearly season (December high, summer low). After each purchase the
  customer may drop out for good (BG/NBD's story), more likely after a complaint that was not
  resolved within two days (70 % of those resolved fast stay, seed 001).
- **Refunds.** About 3 % of orders are refunded in full 3–30 days later: a row with the same
  ``order_id``, a negative amount and ``refund`` true.
- **Referrals.** Some customers are referred by an earlier customer, more often by one who buys
  often and big (``referred_by``).
- **Complaints and support contacts.** A few orders lead to a complaint (channel, category,
  resolution date, or open); customers get in touch with support now and then.

Nothing depends on the date the generator runs; amounts are written with two decimals.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.core.atomic import atomic_write_text
from workbook.core.paths import SAMPLES

__all__ = [
    "SAMPLE_KINDS",
    "SampleSpec",
    "generate_samples",
    "sample_path",
    "write_samples",
]

SAMPLE_KINDS = ("transactions", "customers", "prospects", "complaints", "support_contacts")
"""The files this module writes, as ``<kind>.csv``."""

_SEGMENTS = ("household", "small_business", "corporate")
_CHANNELS = ("web", "store", "phone")
_LEAD_CHANNELS = ("web_form", "event", "advertising", "partner")
_COMPLAINT_CATEGORIES = ("delivery", "product_quality", "billing", "staff", "website")
_CONTACT_CHANNELS = ("phone", "email", "chat")
_CONTACT_REASONS = ("order_status", "billing", "product_question", "account", "returns")


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleSpec:
    """Size, seed and period of the sample business.

    Attributes
    ----------
    customers
        People who sign up (most then buy).
    unconverted_leads
        Leads who never sign up (suspects and prospects only).
    start, end
        First and last day of the period.
    seed
        Seed of the random generator; the same seed gives the same files.
    """

    customers: int = 3_000
    unconverted_leads: int = 1_500
    start: dt.date = dt.date(2023, 1, 1)
    end: dt.date = dt.date(2025, 12, 31)
    seed: int = 20_251_231

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1


def sample_path(kind: str, folder: Path = SAMPLES) -> Path:
    """The sample file of ``kind`` (e.g. ``"transactions"``) in ``folder``."""
    return Path(folder) / f"{kind}.csv"


def _season(days: np.ndarray, start: dt.date) -> np.ndarray:
    """Relative purchase intensity by day: peaks mid-December, dips in late June (mean ≈ 1)."""
    day_of_year = (days + start.timetuple().tm_yday - 1) % 365.25
    return 1.0 + 0.35 * np.cos(2 * np.pi * (day_of_year - 350) / 365.25)


def _next_purchase(rng: np.random.Generator, day: float, rate_per_day: float,
                   spec: SampleSpec) -> float | None:
    """The next purchase day after ``day`` (Poisson process thinned by the season), or None."""
    peak = 1.35 * rate_per_day
    doy0 = spec.start.timetuple().tm_yday - 1
    while True:
        day += rng.exponential(1.0 / peak)
        if day >= spec.days:
            return None
        season = 1.0 + 0.35 * math.cos(2 * math.pi * ((day + doy0) % 365.25 - 350) / 365.25)
        if rng.random() < season / 1.35:
            return day


def generate_samples(spec: SampleSpec | None = None) -> dict[str, pd.DataFrame]:
    """The sample business as tables of text, ready to write (see the module docstring).

    Returns
    -------
    dict of str to pandas.DataFrame
        One table per kind in :data:`SAMPLE_KINDS`, every column already formatted as text
        (ISO dates, amounts with two decimals, ``true``/``false``), empty where missing.
    """
    spec = spec or SampleSpec()
    rng = np.random.default_rng(spec.seed)
    n, days = spec.customers, spec.days
    grid = np.arange(days)
    weight = (1.0 + 0.8 * grid / days) * _season(grid, spec.start)
    early = weight[: days - 30]  # nobody signs up in the last month
    signup = np.sort(rng.choice(days - 30, size=n, p=early / early.sum()))
    segment = rng.choice(3, size=n, p=[0.70, 0.25, 0.05])
    rate = rng.gamma(shape=0.9, scale=7.0 / 0.9, size=n) / 365.25  # purchases/day, mean 7/yr
    dropout = rng.beta(1.3, 7.0, size=n)
    basket = 60.0 * np.array([1.0, 3.0, 9.0])[segment] * rng.lognormal(0.0, 0.9, size=n)
    preferred = rng.choice(3, size=n, p=[0.55, 0.35, 0.10])
    first_lag = np.where(rng.random(n) < 0.6, 0, rng.geometric(1 / 10, size=n))

    orders: list[tuple[int, int, float, int]] = []  # customer, day, amount, channel
    complaints: list[tuple[int, int, int, int, int]] = []  # customer, day, channel, cat, resolved
    for i in range(n):
        if rng.random() < 0.06:  # signed up but never bought
            continue
        p = float(dropout[i])
        day: float | None = float(min(int(signup[i] + first_lag[i]), days - 1))
        while day is not None:
            channel = preferred[i] if rng.random() < 0.8 else rng.integers(3)
            orders.append((i, int(day), round(float(rng.gamma(4.0, basket[i] / 4.0)), 2),
                           int(channel)))
            if rng.random() < 0.03:
                when = min(int(day) + int(rng.integers(0, 6)), days - 1)
                fast = rng.random() < 0.6
                lag = int(rng.integers(0, 3)) if fast else int(rng.integers(3, 31))
                resolved = when + lag if rng.random() < 0.9 and when + lag < days else -1
                complaints.append((i, when, int(rng.integers(4)), int(rng.integers(5)), resolved))
                if not fast:
                    p = min(1.0, p + 0.3)
            if rng.random() < p:  # drops out for good
                break
            day = _next_purchase(rng, day, float(rate[i]), spec)

    # people: customers and unconverted leads share one id space, numbered by first contact
    lead_of_customer = rng.random(n) < 0.7
    contact_lag = rng.geometric(1 / 30, size=n)
    customer_contact = np.where(lead_of_customer, signup - contact_lag, signup)
    leads = spec.unconverted_leads
    lead_contact = np.sort(rng.choice(days, size=leads, p=weight / weight.sum()))
    first_seen = np.concatenate([customer_contact, lead_contact])
    order = np.argsort(first_seen, kind="stable")
    person_id = np.empty(n + leads, dtype=object)
    person_id[order] = [f"C{k:05d}" for k in range(1, n + leads + 1)]
    customer_id, lead_id = person_id[:n], person_id[n:]

    def iso(day: np.ndarray | list[int]) -> list[str]:
        return [(spec.start + dt.timedelta(days=int(d))).isoformat() for d in day]

    # referrals: later sign-ups referred by earlier customers who buy often and big
    value = rate * basket
    referred_by = np.full(n, "", dtype=object)
    referred = (rng.random(n) < 0.18) & (signup > 60)
    for i in np.flatnonzero(referred):
        earlier = np.flatnonzero(signup < signup[i] - 14)
        if earlier.size:
            w = value[earlier] ** 1.5
            referred_by[i] = customer_id[rng.choice(earlier, p=w / w.sum())]

    tx = pd.DataFrame(orders, columns=["i", "day", "amount", "channel"])
    tx = tx.sort_values(["day", "i"], kind="stable").reset_index(drop=True)
    tx["order_id"] = [f"O{k:06d}" for k in range(1, len(tx) + 1)]
    tx["refund"] = False
    refund_day = tx["day"] + rng.integers(3, 31, size=len(tx))
    taken_back = (rng.random(len(tx)) < 0.03) & (refund_day < days)
    refunds = tx[taken_back].assign(day=refund_day[taken_back],
                                    amount=-tx["amount"][taken_back], refund=True)
    tx = pd.concat([tx, refunds], ignore_index=True).sort_values(
        ["day", "order_id", "refund"], kind="stable")
    transactions = pd.DataFrame({
        "order_id": tx["order_id"].to_numpy(),
        "customer_id": customer_id[tx["i"].to_numpy()],
        "date": iso(tx["day"].to_numpy()),
        "amount": [f"{a:.2f}" for a in tx["amount"]],
        "channel": np.array(_CHANNELS)[tx["channel"].to_numpy()],
        "refund": np.where(tx["refund"].to_numpy(), "true", "false"),
    })

    customers = pd.DataFrame({
        "customer_id": customer_id, "signup_date": iso(signup),
        "segment": np.array(_SEGMENTS)[segment], "referred_by": referred_by,
    }).sort_values("customer_id", kind="stable")

    qualify_lag = rng.geometric(1 / 10, size=n)
    qualified = lead_of_customer & (rng.random(n) < 0.8)
    customer_leads = pd.DataFrame({
        "customer_id": customer_id[lead_of_customer],
        "first_contact": customer_contact[lead_of_customer],
        "qualified": np.where(qualified, np.minimum(customer_contact + qualify_lag, signup),
                              -1)[lead_of_customer],
        "channel": rng.choice(4, size=n)[lead_of_customer],
    })
    lead_qualified = np.where(rng.random(leads) < 0.35,
                              lead_contact + rng.geometric(1 / 14, size=leads), -1)
    lead_qualified[lead_qualified >= days] = -1
    other_leads = pd.DataFrame({"customer_id": lead_id, "first_contact": lead_contact,
                                "qualified": lead_qualified,
                                "channel": rng.choice(4, size=leads)})
    all_leads = pd.concat([customer_leads, other_leads]).sort_values("customer_id", kind="stable")
    prospects = pd.DataFrame({
        "customer_id": all_leads["customer_id"].to_numpy(),
        "first_contact_date": iso(all_leads["first_contact"].to_numpy()),
        "qualified_date": [iso([d])[0] if d >= 0 else "" for d in all_leads["qualified"]],
        "channel": np.array(_LEAD_CHANNELS)[all_leads["channel"].to_numpy()],
    })

    cp = pd.DataFrame(complaints, columns=["i", "day", "channel", "category", "resolved"])
    cp = cp.sort_values(["day", "i"], kind="stable").reset_index(drop=True)
    complaints_table = pd.DataFrame({
        "complaint_id": [f"Q{k:05d}" for k in range(1, len(cp) + 1)],
        "customer_id": customer_id[cp["i"].to_numpy()],
        "date": iso(cp["day"].to_numpy()),
        "channel": np.array(("phone", "email", "chat", "store"))[cp["channel"].to_numpy()],
        "category": np.array(_COMPLAINT_CATEGORIES)[cp["category"].to_numpy()],
        "resolved_date": [iso([d])[0] if d >= 0 else "" for d in cp["resolved"]],
    })

    first_order = tx[~tx["refund"]].groupby("i")["day"].agg(["min", "max"])
    active_from = first_order["min"].to_numpy()
    active_to = np.minimum(first_order["max"].to_numpy() + 60, days - 1)
    contacts_per_customer = rng.poisson(1.5 * (active_to - active_from + 1) / 365.25)
    who = np.repeat(first_order.index.to_numpy(), contacts_per_customer)
    span = np.repeat(active_to - active_from + 1, contacts_per_customer)
    offset = (rng.random(who.size) * span).astype(int)
    when = np.repeat(active_from, contacts_per_customer) + offset
    sc = pd.DataFrame({"i": who, "day": when}).sort_values(["day", "i"], kind="stable")
    support = pd.DataFrame({
        "contact_id": [f"S{k:05d}" for k in range(1, len(sc) + 1)],
        "customer_id": customer_id[sc["i"].to_numpy()],
        "date": iso(sc["day"].to_numpy()),
        "channel": np.array(_CONTACT_CHANNELS)[rng.choice(3, size=len(sc), p=[0.5, 0.3, 0.2])],
        "reason": np.array(_CONTACT_REASONS)[rng.choice(5, size=len(sc))],
        "resolved_first_contact": np.where(rng.random(len(sc)) < 0.7, "true", "false"),
    })
    return {
        "transactions": transactions.reset_index(drop=True),
        "customers": customers.reset_index(drop=True),
        "prospects": prospects,
        "complaints": complaints_table,
        "support_contacts": support,
    }


def write_samples(folder: Path = SAMPLES, spec: SampleSpec | None = None) -> list[Path]:
    """Generate the sample business and write one CSV per kind into ``folder``.

    The same ``spec`` gives byte-identical files. Each file is written to a temporary name and
    renamed into place. Returns the paths written, in :data:`SAMPLE_KINDS` order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, table in generate_samples(spec).items():
        text = table.to_csv(index=False, lineterminator="\n")
        written.append(atomic_write_text(sample_path(kind, folder), text))
    return written
