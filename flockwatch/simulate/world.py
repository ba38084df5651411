"""Who exists: every account, its role, creation time, profile and starting counts.

A :class:`World` holds one numpy array per account attribute, indexed by an internal
account index. Times are integer milliseconds relative to the window start (negative
before it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import names as N
from . import plan as P
from .identities import IdentityBuilder
from .traits import assign_clients, assign_counts, assign_profile_flags, assign_renames

YEAR_DAYS = 365.25


@dataclass
class World:
    """All accounts; see the module docstring for units."""

    role: np.ndarray
    group: np.ndarray
    celeb_of: np.ndarray
    lang: np.ndarray
    tz: np.ndarray
    created: np.ndarray
    account_id: np.ndarray = field(init=False)
    screen: np.ndarray = field(init=False)
    display: np.ndarray = field(init=False)
    bio: np.ndarray = field(init=False)
    location: np.ndarray = field(init=False)
    profile_url: np.ndarray = field(init=False)
    verified: np.ndarray = field(init=False)
    default_image: np.ndarray = field(init=False)
    image_url: np.ndarray = field(init=False)
    followers0: np.ndarray = field(init=False)
    following0: np.ndarray = field(init=False)
    posts0: np.ndarray = field(init=False)
    likes0: np.ndarray = field(init=False)
    listed: np.ndarray = field(init=False)
    growth: np.ndarray = field(init=False)
    like_rate: np.ndarray = field(init=False)
    rate: np.ndarray = field(init=False)
    client_main: np.ndarray = field(init=False)
    client_alt: np.ndarray = field(init=False)
    renamed_at: np.ndarray = field(init=False)
    old_screen: np.ndarray = field(init=False)
    old_display: np.ndarray = field(init=False)
    old_bio: np.ndarray = field(init=False)
    celebrity_work: dict[int, str] = field(init=False, default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.role)

    def of(self, *roles: int) -> np.ndarray:
        """Indices of the accounts with any of ``roles``."""
        return np.flatnonzero(np.isin(self.role, roles))


def burst_times(
    rng: np.random.Generator, size: int, centers_ms: np.ndarray, width_ms: float
) -> np.ndarray:
    """Creation times clustered around a few burst centres."""
    pick = rng.integers(0, len(centers_ms), size)
    return (centers_ms[pick] + rng.normal(0, width_ms, size)).astype(np.int64)


def build_world(
    rng: np.random.Generator, roles: P.RolePlan, window: P.Window, trigger_ms: int
) -> World:
    """Create every account with identity, counts and habits.

    Accounts are laid out in blocks by role; public ids are assigned in creation order, as
    the platform's own ids grow with creation time.
    """
    role = np.repeat(np.arange(len(P.LABELS), dtype=np.int8), roles.counts)
    n = len(role)
    celebs = np.flatnonzero(role == P.CELEBRITY)
    celeb_of = np.full(n, -1, dtype=np.int64)
    for r in (P.FAN, P.IMPERSONATOR):
        idx = np.flatnonzero(role == r)
        # Every celebrity gets at least one fan and one impersonator when there are enough.
        order = np.concatenate([rng.permutation(len(celebs)), rng.integers(0, len(celebs), n)])
        celeb_of[idx] = celebs[order[: len(idx)]]
    lang = assign_languages(rng, role, celeb_of)
    tz = np.array([N.TIMEZONES[x][int(rng.integers(0, len(N.TIMEZONES[x])))] for x in lang])
    tz[role == P.IO_CORE] = 3.0
    created = creation_times(rng, role, celeb_of, window, trigger_ms)
    world = World(
        role=role,
        group=np.empty(n, dtype=object),
        celeb_of=celeb_of,
        lang=lang,
        tz=tz,
        created=created,
    )
    world.group[:] = group_names(role, celeb_of)
    world.account_id = assign_ids(rng, created)
    for i, g in enumerate(world.group.tolist()):
        if g.startswith("celebrity:"):
            world.group[i] = f"celebrity_{world.account_id[int(g.split(':')[1])]}"
    IdentityBuilder(rng, world).build()
    assign_profile_flags(rng, world)
    assign_counts(rng, world)
    assign_clients(rng, world)
    assign_renames(rng, world, trigger_ms)
    return world


def assign_languages(
    rng: np.random.Generator, role: np.ndarray, celeb_of: np.ndarray
) -> np.ndarray:
    n = len(role)
    lang = np.asarray(N.LANGUAGES, dtype=object)[
        rng.choice(len(N.LANGUAGES), n, p=np.asarray(N.LANGUAGE_SHARES))
    ]
    english_roles = (P.IO_CORE, P.IO_AMPLIFIER, P.SPAM_BOT, P.REPORTER)
    mostly_en = np.isin(role, english_roles) & (rng.random(n) < 0.9)
    lang[mostly_en] = "en"
    celebs = role == P.CELEBRITY
    lang[celebs] = np.asarray(("en", "hi", "es"), dtype=object)[rng.integers(0, 3, celebs.sum())]
    imps = role == P.IMPERSONATOR
    lang[imps] = lang[celeb_of[imps]]
    return lang


def creation_times(
    rng: np.random.Generator,
    role: np.ndarray,
    celeb_of: np.ndarray,
    window: P.Window,
    trigger_ms: int,
) -> np.ndarray:
    """Account creation times; bulk-created roles come in bursts."""
    n = len(role)
    day = float(P.DAY_MS)
    age_days = 30 + 6900 * rng.beta(1.3, 1.7, n)  # organic: from 2007 to last month
    created = -(age_days * day).astype(np.int64) - rng.integers(0, P.DAY_MS, n)

    def put(r: int, values: np.ndarray) -> None:
        created[role == r] = values

    def count(r: int) -> int:
        return int((role == r).sum())

    put(
        P.CELEBRITY, -(rng.uniform(12.5, 17, count(P.CELEBRITY)) * YEAR_DAYS * day).astype(np.int64)
    )
    put(P.IO_CORE, -(rng.uniform(365, 1500, count(P.IO_CORE)) * day).astype(np.int64))
    amps = count(P.IO_AMPLIFIER)
    aged = rng.permutation(amps) < round(0.2 * amps)  # bought or parked accounts, made in a burst
    centers = trigger_ms + np.sort(rng.uniform(0.05, 2.8, 6)) * day
    fresh = burst_times(rng, amps, centers, 2 * P.HOUR_MS)
    fresh = np.clip(fresh, trigger_ms + 10 * P.MINUTE_MS, trigger_ms + 3 * P.DAY_MS)
    old = burst_times(rng, amps, np.array([-rng.uniform(380, 460) * day]), 0.8 * day)
    put(P.IO_AMPLIFIER, np.where(aged, old, fresh))
    spam_centers = -np.sort(rng.uniform(45, 200, 2))[::-1] * day
    put(P.SPAM_BOT, burst_times(rng, count(P.SPAM_BOT), spam_centers, 0.4 * day))
    fake_centers = -rng.uniform(60, 1200, int(rng.integers(3, 5))) * day
    put(P.FAKE_FOLLOWER, burst_times(rng, count(P.FAKE_FOLLOWER), fake_centers, 0.7 * day))
    imps = role == P.IMPERSONATOR
    lo = (created[celeb_of[imps]] / day + 5 * YEAR_DAYS).clip(max=-30)
    created[imps] = (rng.uniform(lo, -8) * day).astype(np.int64)
    reporters = np.flatnonzero(role == P.REPORTER)
    recent = reporters[rng.random(len(reporters)) < 0.4]
    created[recent] = -(rng.uniform(3, 60, len(recent)) * day).astype(np.int64)
    return created


def group_names(role: np.ndarray, celeb_of: np.ndarray) -> list[str]:
    op = {
        P.IO_CORE: "io_1",
        P.IO_AMPLIFIER: "io_1",
        P.SPAM_BOT: "farm_1",
        P.FAKE_FOLLOWER: "seller_1",
        P.CUSTOMER: "seller_1",
        P.REPORTER: "brigade_1",
        P.CRITIC: "brigade_1",
    }
    out = []
    for i, r in enumerate(role.tolist()):
        if r in (P.FAN, P.IMPERSONATOR):
            out.append(f"celebrity:{int(celeb_of[i])}")  # resolved to the public id later
        elif r == P.CELEBRITY:
            out.append(f"celebrity:{i}")
        else:
            out.append(op.get(r, ""))
    return out


def assign_ids(rng: np.random.Generator, created: np.ndarray) -> np.ndarray:
    """Distinct 10-digit ids, increasing with creation time."""
    n = len(created)
    pool = np.unique(rng.integers(1_000_000_000, 9_999_999_999, 2 * n + 64))
    ids = np.sort(rng.choice(pool, n, replace=False))
    out = np.empty(n, dtype=np.int64)
    out[np.argsort(created, kind="stable")] = ids
    return out
