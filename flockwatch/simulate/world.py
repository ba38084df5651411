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
from .identities import IdentityBuilder, bulk_handle, organic_bio, organic_display, person, token

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


def lognormal_int(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return np.floor(rng.lognormal(np.log(median), sigma, size)).astype(np.int64)


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
    world = World(role=role, group=np.empty(n, dtype=object), celeb_of=celeb_of, lang=lang,
                  tz=tz, created=created)  # fmt: skip
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

    count = lambda r: int((role == r).sum())  # noqa: E731
    put(
        P.CELEBRITY, -(rng.uniform(12.5, 17, count(P.CELEBRITY)) * YEAR_DAYS * day).astype(np.int64)
    )
    put(P.IO_CORE, -(rng.uniform(365, 1500, count(P.IO_CORE)) * day).astype(np.int64))
    amps = count(P.IO_AMPLIFIER)
    aged = rng.random(amps) < 0.2  # bought or long-parked accounts, themselves made in a burst
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
    op = {P.IO_CORE: "io_1", P.IO_AMPLIFIER: "io_1", P.SPAM_BOT: "farm_1",
          P.FAKE_FOLLOWER: "seller_1", P.CUSTOMER: "seller_1", P.REPORTER: "brigade_1",
          P.CRITIC: "brigade_1"}  # fmt: skip
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


def assign_profile_flags(rng: np.random.Generator, w: World) -> None:
    n = w.n
    default_share = np.array([0.06, 0, 0.05, 0.1, 0.7, 0.2, 0.8, 0, 0, 0.35, 0])[w.role]
    w.default_image = rng.random(n) < default_share
    verified_share = np.array([0.002, 1, 0.002, 0, 0, 0, 0, 0.02, 0, 0, 0.15])[w.role]
    w.verified = rng.random(n) < verified_share
    urls = [
        f"https://pbs.twimg.com/profile_images/{int(x)}/{token(rng, 8)}_normal.jpg"
        for x in rng.integers(10**17, 10**18, n)
    ]
    w.image_url = np.asarray(urls, dtype=object)
    w.image_url[w.default_image] = N.DEFAULT_IMAGE_URL
    for i in w.of(P.IMPERSONATOR).tolist():
        if rng.random() < 0.55:
            w.image_url[i] = w.image_url[w.celeb_of[i]]


def assign_counts(rng: np.random.Generator, w: World) -> None:
    """Follower/following/posts/likes counts at the window start, and daily habits."""
    n, role = w.n, w.role
    age_days = np.maximum(-w.created / P.DAY_MS, 0.0)
    maturity = np.clip(age_days / 365.0, 0.05, 1.0) ** 0.5
    followers = lognormal_int(rng, 120, 1.6, n) * maturity
    following = np.minimum(lognormal_int(rng, 250, 1.0, n), 7500)
    rate = rng.lognormal(np.log(0.35), 1.1, n) * (rng.random(n) > 0.12)

    def put(r: int, f: np.ndarray | float, g: np.ndarray | float, rt: np.ndarray | float) -> None:
        m = role == r
        followers[m], following[m], rate[m] = f, g, rt

    k = lambda r: int((role == r).sum())  # noqa: E731
    put(P.CELEBRITY, 10 ** rng.uniform(5, 7, k(P.CELEBRITY)), rng.integers(40, 900, k(P.CELEBRITY)),
        rng.uniform(2, 5, k(P.CELEBRITY)))  # fmt: skip
    put(
        P.CUSTOMER,
        lognormal_int(rng, 400, 1.0, k(P.CUSTOMER)),
        lognormal_int(rng, 900, 0.5, k(P.CUSTOMER)),
        rng.lognormal(np.log(0.8), 0.5, k(P.CUSTOMER)),
    )
    put(
        P.CRITIC,
        lognormal_int(rng, 2500, 1.1, k(P.CRITIC)),
        lognormal_int(rng, 700, 0.6, k(P.CRITIC)),
        rng.lognormal(np.log(2.0), 0.4, k(P.CRITIC)),
    )
    put(
        P.IO_CORE,
        lognormal_int(rng, 800, 1.0, k(P.IO_CORE)),
        lognormal_int(rng, 400, 0.7, k(P.IO_CORE)),
        0.0,
    )
    put(P.IO_AMPLIFIER, 0, 0, 0.0)
    put(
        P.SPAM_BOT,
        lognormal_int(rng, 15, 1.0, k(P.SPAM_BOT)),
        lognormal_int(rng, 300, 0.8, k(P.SPAM_BOT)),
        0.0,
    )
    put(
        P.FAKE_FOLLOWER,
        rng.geometric(0.15, k(P.FAKE_FOLLOWER)) - 1,
        rng.integers(1000, 4800, k(P.FAKE_FOLLOWER)),
        0.02,
    )
    put(
        P.IMPERSONATOR,
        lognormal_int(rng, 300, 1.3, k(P.IMPERSONATOR)),
        lognormal_int(rng, 150, 0.8, k(P.IMPERSONATOR)),
        rng.uniform(0.3, 1.0, k(P.IMPERSONATOR)),
    )
    reporters = role == P.REPORTER
    followers[reporters] = lognormal_int(rng, 60, 1.2, k(P.REPORTER)) * maturity[reporters]
    rate[reporters] = rng.lognormal(np.log(0.3), 0.8, k(P.REPORTER)) * (
        rng.random(k(P.REPORTER)) > 0.3
    )
    aged_amps = (role == P.IO_AMPLIFIER) & (w.created < 0)
    followers[aged_amps] = lognormal_int(rng, 30, 1.0, int(aged_amps.sum()))
    following[aged_amps] = lognormal_int(rng, 80, 0.8, int(aged_amps.sum()))
    w.followers0 = np.floor(followers).astype(np.int64)
    w.following0 = np.floor(following).astype(np.int64)
    w.rate = rate
    lifetime_rate = np.where(rate > 0, rate, 0.05) * rng.uniform(0.4, 1.6, n)
    w.posts0 = np.floor(age_days * lifetime_rate).astype(np.int64)
    w.posts0[role == P.CELEBRITY] += rng.integers(3000, 20000, k(P.CELEBRITY))
    w.likes0 = np.floor(w.posts0 * rng.lognormal(np.log(2.0), 0.8, n)).astype(np.int64)
    w.likes0[role == P.FAKE_FOLLOWER] = rng.integers(0, 30, k(P.FAKE_FOLLOWER))
    w.listed = np.floor(w.followers0 * 0.004 * rng.lognormal(0, 0.7, n)).astype(np.int64)
    w.growth = rng.lognormal(np.log(0.0008), 0.8, n)  # share of followers gained per day
    w.growth[~np.isin(role, (*P.ORGANIC_LIKE, P.CELEBRITY, P.IMPERSONATOR))] = 0.0
    w.like_rate = np.where(rate > 0, rate, 0.1) * rng.lognormal(np.log(2.0), 0.7, n)
    w.like_rate[role == P.IO_AMPLIFIER] = rng.uniform(5, 25, k(P.IO_AMPLIFIER))
    w.like_rate[role == P.FAKE_FOLLOWER] = 0.05


def assign_clients(rng: np.random.Generator, w: World) -> None:
    names = np.asarray([c for c, _ in N.ORGANIC_CLIENTS], dtype=object)
    shares = np.asarray([s for _, s in N.ORGANIC_CLIENTS])
    shares = shares / shares.sum()
    w.client_main = names[rng.choice(len(names), w.n, p=shares)]
    w.client_alt = names[rng.choice(len(names), w.n, p=shares)]
    role = w.role
    celebs = role == P.CELEBRITY
    w.client_main[celebs] = "Twitter for iPhone"
    w.client_alt[celebs] = N.CELEBRITY_CLIENT
    core = role == P.IO_CORE
    w.client_main[core] = "Twitter Web App"
    w.client_alt[core] = "TweetDeck"
    amps = np.flatnonzero(role == P.IO_AMPLIFIER)
    automated = amps[rng.random(len(amps)) < 0.8]
    w.client_main[automated] = N.AUTOMATION_CLIENT
    w.client_alt[automated] = N.AUTOMATION_CLIENT
    spam = role == P.SPAM_BOT
    w.client_main[spam] = N.SPAM_CLIENT
    w.client_alt[spam] = N.SPAM_CLIENT
    fakes = role == P.FAKE_FOLLOWER
    w.client_main[fakes] = "Twitter for Android"


def assign_renames(rng: np.random.Generator, w: World, trigger_ms: int) -> None:
    """Some aged amplifiers had an ordinary persona before the operation repurposed them."""
    n = w.n
    w.renamed_at = np.full(n, -1, dtype=np.int64)
    w.old_screen = np.full(n, None, dtype=object)
    w.old_display = np.full(n, None, dtype=object)
    w.old_bio = np.full(n, None, dtype=object)
    aged = np.flatnonzero((w.role == P.IO_AMPLIFIER) & (w.created < 0))
    for i in aged[rng.random(len(aged)) < 0.35].tolist():
        first, last = person(rng, w.lang[i])
        w.old_screen[i] = bulk_handle(rng, first, last)
        w.old_display[i] = organic_display(rng, first, last, w.lang[i])
        w.old_bio[i] = organic_bio(rng, w.lang[i])
        w.renamed_at[i] = trigger_ms - int(rng.integers(1, 36)) * P.HOUR_MS
