"""Who follows whom: the observed part of the follow graph.

Organic follows go preferentially to popular accounts and mostly within a language; fans
follow their star and each other; amplifiers follow the core and each other right after
they are created. Follows made before the window carry ``t = -1`` (written as the window
start). Fake-follower purchases are added by :mod:`.seller`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import plan as P

if TYPE_CHECKING:
    from .world import World

BEFORE = -1
SAME_LANGUAGE = 0.7
REACH_CAP = 20_000  # popularity beyond this does not attract more observed follows


@dataclass
class Follows:
    """Follow edges; ``t`` is window-relative ms or ``BEFORE``."""

    follower: np.ndarray
    followee: np.ndarray
    t: np.ndarray

    @staticmethod
    def join(
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n_accounts: int, horizon_ms: int
    ) -> Follows:
        """Concatenate, drop self-follows and follows after ``horizon_ms``, keep the earliest
        copy of each edge."""
        a = np.concatenate([np.asarray(p[0], np.int64) for p in parts])
        b = np.concatenate([np.asarray(p[1], np.int64) for p in parts])
        t = np.concatenate([np.asarray(p[2], np.int64) for p in parts])
        keep = (a != b) & (t < horizon_ms)
        a, b, t = a[keep], b[keep], t[keep]
        order = np.lexsort((t, a * n_accounts + b))
        a, b, t = a[order], b[order], t[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, t = a[first], b[first], t[first]
        order = np.lexsort((b, a, t))
        return Follows(a[order], b[order], t[order])


def cover_earlier_follows(w: World, follows: Follows) -> None:
    """Raise starting counts so they include every observed follow made before the window."""
    before = follows.t < 0
    w.followers0 = np.maximum(w.followers0, np.bincount(follows.followee[before], minlength=w.n))
    w.following0 = np.maximum(w.following0, np.bincount(follows.follower[before], minlength=w.n))


def pick_weighted(
    rng: np.random.Generator, pool: np.ndarray, weight: np.ndarray, size: int
) -> np.ndarray:
    if size == 0 or not len(pool):
        return np.empty(0, dtype=np.int64)
    cdf = np.cumsum(weight)
    picks = np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right")
    return pool[np.minimum(picks, len(pool) - 1)]


def preferential(
    rng: np.random.Generator, w: World, followers: np.ndarray, pool: np.ndarray
) -> np.ndarray:
    """One followee per follower, by capped popularity, mostly in the follower's language."""
    weight = np.minimum(w.followers0[pool], REACH_CAP).astype(float) ** 0.6 + 1.0
    out = pick_weighted(rng, pool, weight, len(followers))
    same = rng.random(len(followers)) < SAME_LANGUAGE
    for lang in np.unique(w.lang[followers]).tolist():
        rows = np.flatnonzero(same & (w.lang[followers] == lang))
        mine = w.lang[pool] == lang
        if len(rows) and mine.any():
            out[rows] = pick_weighted(rng, pool[mine], weight[mine], len(rows))
    return out


def build_follows(
    rng: np.random.Generator,
    w: World,
    window: P.Window,
    amp_active_from: np.ndarray,
    amps_sorted: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """All follow edges except purchases, as ``(follower, followee, t)`` parts."""
    parts = []
    people = w.of(*P.ORGANIC_LIKE, P.REPORTER, P.IO_CORE, P.IMPERSONATOR)
    pool = w.of(*P.ORGANIC_LIKE, P.CELEBRITY, P.IO_CORE)
    no_critics = pool[w.role[pool] != P.CRITIC]
    for before in (True, False):
        k = rng.poisson(3.0 if before else 0.5, len(people))
        follower = np.repeat(people, k)
        followee = np.empty(len(follower), dtype=np.int64)
        reporter = w.role[follower] == P.REPORTER
        followee[~reporter] = preferential(rng, w, follower[~reporter], pool)
        followee[reporter] = preferential(rng, w, follower[reporter], no_critics)
        t = (
            np.full(len(follower), BEFORE)
            if before
            else rng.integers(0, window.length_ms, len(follower))
        )
        parts.append((follower, followee, t))
    fans = w.of(P.FAN)
    parts.append((fans, w.celeb_of[fans], np.full(len(fans), BEFORE)))
    k = rng.poisson(1.0, len(fans))
    follower = np.repeat(fans, k)
    star = w.celeb_of[follower]
    followee = np.empty(len(follower), dtype=np.int64)
    for celeb in np.unique(star).tolist():
        rows = np.flatnonzero(star == celeb)
        same_star = fans[w.celeb_of[fans] == celeb]
        followee[rows] = same_star[rng.integers(0, len(same_star), len(rows))]
    parts.append((follower, followee, np.full(len(follower), BEFORE)))
    parts.extend(operation_follows(rng, w, amp_active_from, amps_sorted))
    parts.append(camouflage_follows(rng, w))
    reporters = w.of(P.REPORTER)
    k = rng.poisson(3.0, len(reporters))
    follower = np.repeat(reporters, k)
    followee = reporters[rng.integers(0, len(reporters), len(follower))]
    parts.append((follower, followee, np.full(len(follower), BEFORE)))
    return parts


def operation_follows(
    rng: np.random.Generator, w: World, active_from: np.ndarray, amps: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Amplifiers follow the core and each other within a day of joining."""
    core = w.of(P.IO_CORE)
    hit = rng.random((len(amps), len(core))) < min(0.7, 40 / len(core))
    amp_i, core_i = np.nonzero(hit)
    t = active_from[amp_i] - rng.integers(0, 6 * P.HOUR_MS, len(amp_i))
    t = np.maximum(t, w.created[amps[amp_i]] + P.MINUTE_MS)
    parts = [(amps[amp_i], core[core_i], t)]
    k = rng.poisson(6.0, len(amps))
    src = np.repeat(np.arange(len(amps)), k)
    t = active_from[src] + rng.integers(0, P.DAY_MS, len(src))
    reachable = np.searchsorted(active_from, t, side="right")
    dst = (rng.random(len(src)) * reachable).astype(np.int64)
    parts.append((amps[src], amps[dst], t))
    a, b = np.nonzero(rng.random((len(core), len(core))) < min(0.6, 30 / len(core)))
    parts.append((core[a], core[b], np.full(len(a), BEFORE)))
    return [(f, g, np.where(t < 0, BEFORE, t)) for f, g, t in parts]


def camouflage_follows(
    rng: np.random.Generator, w: World
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fake followers also follow famous accounts, to look like fans."""
    fakes = w.of(P.FAKE_FOLLOWER)
    famous = np.concatenate(
        [w.of(P.CELEBRITY), w.of(P.ORGANIC)[np.argsort(-w.followers0[w.of(P.ORGANIC)])[:50]]]
    )
    k = rng.poisson(4.0, len(fakes))
    follower = np.repeat(fakes, k)
    return (
        follower,
        famous[rng.integers(0, len(famous), len(follower))],
        np.full(len(follower), BEFORE),
    )
