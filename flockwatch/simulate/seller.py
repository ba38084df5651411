"""The fake-follower seller ``seller_1``: a pool of fake accounts sold to customers.

On each purchase date the seller delivers a package (250 to 5,000 followers) over a few
hours. Pool members inside the simulated world follow the customer (rows in follows.csv,
clustered in time); the rest of the package comes from the seller's accounts outside the
world and shows only as a step in the customer's follower count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import phrases as T
from . import plan as P
from .timeline import ORIGINAL, TweetLog

if TYPE_CHECKING:
    from .texts import TextFactory
    from .world import World

PACKAGES = np.array([250, 500, 1000, 2500, 5000])
PACKAGE_SHARES = np.array([0.35, 0.3, 0.2, 0.1, 0.05])
IN_WORLD_SHARE = (0.2, 0.6)  # part of a package the seller fills from accounts inside the world
OFFWORLD_CHUNKS = 12


@dataclass
class Sales:
    """Purchases and what they add to follower counts."""

    customer: np.ndarray
    start: np.ndarray
    size: np.ndarray
    delivered_in_world: np.ndarray
    follows: tuple[np.ndarray, np.ndarray, np.ndarray]
    offworld: tuple[np.ndarray, np.ndarray, np.ndarray]  # (account, t, delta)


def sell_followers(rng: np.random.Generator, w: World, window: P.Window) -> Sales:
    pool = w.of(P.FAKE_FOLLOWER)
    rows: list[tuple[int, int, int, int]] = []
    follower, followee, times = [], [], []
    off_acc, off_t, off_delta = [], [], []
    for customer in w.of(P.CUSTOMER).tolist():
        count = 1 + int(rng.binomial(2, 0.35))
        days = np.sort(rng.choice(np.arange(1, window.days - 1), count, replace=False))
        order = rng.permutation(pool)
        used = 0
        for day in days.tolist():
            start = day * P.DAY_MS + int(rng.integers(0, P.DAY_MS - 6 * P.HOUR_MS))
            size = int(PACKAGES[rng.choice(len(PACKAGES), p=PACKAGE_SHARES)])
            share = rng.uniform(*IN_WORLD_SHARE)
            k = min(int(size * share), len(pool) - used, int(len(pool) * rng.uniform(0.3, 0.7)))
            duration = int(rng.uniform(1, 6) * P.HOUR_MS)
            follower.append(order[used : used + k])
            followee.append(np.full(k, customer))
            times.append(start + np.sort(rng.integers(0, duration, k)))
            used += k
            rest = size - k
            chunk_t = start + np.sort(rng.integers(0, duration, OFFWORLD_CHUNKS))
            chunk = np.full(OFFWORLD_CHUNKS, rest // OFFWORLD_CHUNKS)
            chunk[0] += rest - chunk.sum()
            off_acc.append(np.full(OFFWORLD_CHUNKS, customer))
            off_t.append(chunk_t)
            off_delta.append(chunk)
            rows.append((customer, start, size, k))
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return Sales(
        customer=table[:, 0],
        start=table[:, 1],
        size=table[:, 2],
        delivered_in_world=table[:, 3],
        follows=(cat(follower), cat(followee), cat(times)),
        offworld=(cat(off_acc), cat(off_t), cat(off_delta)),
    )


def cat(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate int64 arrays (possibly none)."""
    return np.concatenate([np.empty(0, np.int64), *parts]).astype(np.int64)


def pool_posts(
    rng: np.random.Generator, w: World, texts: TextFactory, window: P.Window, log: TweetLog
) -> None:
    """Pool accounts rarely post, and only stock lines."""
    fakes = w.of(P.FAKE_FOLLOWER)
    counts = rng.poisson(w.rate[fakes] * window.days)
    authors = np.repeat(fakes, counts)
    t = rng.integers(0, window.length_ms, len(authors))
    text = texts.pick_lines(T.FAKE_FOLLOWER_TEXTS, len(authors))
    log.add(authors, t, ORIGINAL, w.client_main[authors], text=text)
