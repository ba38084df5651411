"""What accounts look like and how they behave: profile flags, starting counts, clients.

Counts at the window start are heavy-tailed for organic accounts (lognormal followers and
following, grown with account age), huge for celebrities, lopsided for fake followers
(following thousands, followed by few) and zero for accounts created inside the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import names as N
from . import plan as P
from .identities import bulk_handle, organic_bio, organic_display, person, token

if TYPE_CHECKING:
    from .world import World


def lognormal_int(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return np.floor(rng.lognormal(np.log(median), sigma, size)).astype(np.int64)


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

    def k(r: int) -> int:
        return int((role == r).sum())

    put(
        P.CELEBRITY,
        10 ** rng.uniform(5, 7, k(P.CELEBRITY)),
        rng.integers(40, 900, k(P.CELEBRITY)),
        rng.uniform(2, 5, k(P.CELEBRITY)),
    )
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
