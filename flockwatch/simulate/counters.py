"""Counts at any moment: how many events an account had received up to a time.

Follower counts on every post row, in snapshots and in profiles come from the same events,
so a purchase of fake followers shows up consistently everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .follows import Follows
    from .world import World

STRIDE = np.int64(1) << 42  # > any window length in milliseconds (about 139 years)


class EventCounter:
    """Cumulative sum of ``delta`` per account over time.

    ``at(account, t)`` is the total delta of the account's events with time ``<= t``.
    Event times must be non-negative window-relative milliseconds.
    """

    def __init__(self, account: np.ndarray, t: np.ndarray, delta: np.ndarray | None = None) -> None:
        account = np.asarray(account, dtype=np.int64)
        t = np.asarray(t, dtype=np.int64)
        if len(t) and t.min() < 0:
            raise ValueError("event times must be >= 0 (window-relative milliseconds)")
        delta = np.ones(len(t), dtype=np.int64) if delta is None else np.asarray(delta, np.int64)
        key = account * STRIDE + t
        order = np.argsort(key, kind="stable")
        self.keys = key[order]
        self.cum = np.concatenate([[0], np.cumsum(delta[order])])

    def at(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        account = np.asarray(account, dtype=np.int64)
        t = np.asarray(t, dtype=np.int64)
        upto = np.searchsorted(self.keys, account * STRIDE + np.maximum(t, -1), side="right")
        before = np.searchsorted(self.keys, account * STRIDE, side="left")
        return self.cum[upto] - self.cum[before]


class Tallies:
    """An account's public counts at any moment of the window.

    ``followers_at`` = count at the window start, plus slow organic growth, plus follows
    received in the window (including bought ones from outside the world).
    """

    def __init__(
        self,
        world: World,
        follows: Follows,
        offworld: tuple[np.ndarray, np.ndarray, np.ndarray],
        tweet_author: np.ndarray,
        tweet_t: np.ndarray,
    ) -> None:
        self.w = world
        inside = follows.t >= 0
        off_acc, off_t, off_delta = offworld
        self.followers = EventCounter(
            np.concatenate([follows.followee[inside], off_acc]),
            np.concatenate([follows.t[inside], off_t]),
            np.concatenate([np.ones(int(inside.sum()), np.int64), off_delta]),
        )
        self.following = EventCounter(follows.follower[inside], follows.t[inside])
        self.posts = EventCounter(tweet_author, tweet_t)

    def followers_at(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        w = self.w
        days = np.maximum(t, 0) / 86_400_000
        drift = np.floor(w.followers0[account] * w.growth[account] * days).astype(np.int64)
        return w.followers0[account] + drift + self.followers.at(account, t)

    def following_at(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        return self.w.following0[account] + self.following.at(account, t)

    def posts_at(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        return self.w.posts0[account] + self.posts.at(account, t)

    def likes_at(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        days = np.maximum(t - np.maximum(self.w.created[account], 0), 0) / 86_400_000
        return self.w.likes0[account] + np.floor(self.w.like_rate[account] * days).astype(np.int64)
