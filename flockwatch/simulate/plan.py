"""How many accounts play each role, and the calendar of the simulated window.

Roles scale with the number of accounts, with minimums so that even the smallest world
(200 accounts, 7 days) contains every phenomenon the detectors hunt for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

LABELS = (
    "organic",
    "celebrity",
    "fan",
    "io_core",
    "io_amplifier",
    "spam_bot",
    "fake_follower",
    "customer",
    "impersonator",
    "reporter",
    "critic",
)
"""Ground-truth labels; an account's role code is its index in this tuple."""

ORGANIC, CELEBRITY, FAN, IO_CORE, IO_AMPLIFIER, SPAM_BOT = 0, 1, 2, 3, 4, 5
FAKE_FOLLOWER, CUSTOMER, IMPERSONATOR, REPORTER, CRITIC = 6, 7, 8, 9, 10

ORGANIC_LIKE = (ORGANIC, FAN, CUSTOMER, CRITIC)
"""Roles whose everyday behaviour is that of ordinary people."""

MIN_ACCOUNTS = 200
MIN_DAYS = 7
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000


@dataclass(frozen=True)
class RolePlan:
    """Number of accounts per role (index = role code)."""

    counts: tuple[int, ...]

    def count(self, role: int) -> int:
        return self.counts[role]

    @property
    def total(self) -> int:
        return sum(self.counts)


def plan_roles(accounts: int) -> RolePlan:
    """Split ``accounts`` into roles with the documented shares and minimums."""
    n = accounts
    celebrities = int(np.clip(n // 250, 3, 10))
    io_core = max(5, round(0.01 * n))
    amplifiers = max(40, round(0.08 * n))
    spam = max(10, round(0.02 * n))
    fakes = max(40, round(0.08 * n))
    customers = max(5, round(0.01 * n))
    impersonators = max(3, celebrities, round(0.001 * n))
    reporters = max(15, round(0.02 * n))
    critics = max(3, round(0.003 * n))
    special = (
        (celebrities + io_core + amplifiers + spam + fakes + customers + impersonators)
        + reporters
        + critics
    )
    organic_total = n - special
    fans = max(3 * celebrities, round(0.1 * organic_total))
    organic = organic_total - fans
    counts = [0] * len(LABELS)
    for role, count in (
        (ORGANIC, organic),
        (CELEBRITY, celebrities),
        (FAN, fans),
        (IO_CORE, io_core),
        (IO_AMPLIFIER, amplifiers),
        (SPAM_BOT, spam),
        (FAKE_FOLLOWER, fakes),
        (CUSTOMER, customers),
        (IMPERSONATOR, impersonators),
        (REPORTER, reporters),
        (CRITIC, critics),
    ):
        counts[role] = count
    if organic < 10:
        raise ValueError(f"accounts={accounts} leaves too few organic accounts; use at least 200")
    return RolePlan(tuple(counts))


@dataclass(frozen=True)
class Window:
    """The observed period: ``days`` whole UTC days from ``start``.

    Times inside the simulator are integer milliseconds relative to the window start;
    ``epoch_ms`` converts them to Unix time.
    """

    start: dt.date
    days: int

    @property
    def epoch_ms(self) -> int:
        start = dt.datetime(self.start.year, self.start.month, self.start.day, tzinfo=dt.UTC)
        return int(start.timestamp() * 1000)

    @property
    def length_ms(self) -> int:
        return self.days * DAY_MS

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)

    def iso(self, t_ms: int) -> str:
        """ISO-8601 UTC text for a window-relative time."""
        moment = dt.datetime.fromtimestamp((self.epoch_ms + int(t_ms)) / 1000, tz=dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
