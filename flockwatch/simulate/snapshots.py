"""Daily profile snapshots of the accounts an investigator would be watching.

Snapshotted: every fake-follower customer, every influence-operation account, every
celebrity, and a random tenth of organic accounts (the baseline). Each account is crawled
once a day around the same time; renamed accounts show their old persona before the rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import plan as P

if TYPE_CHECKING:
    from .counters import Tallies
    from .world import World

ORGANIC_SAMPLE = 0.1


@dataclass
class Snapshots:
    account: np.ndarray
    t: np.ndarray
    followers: np.ndarray
    following: np.ndarray
    posts: np.ndarray
    likes: np.ndarray
    screen: np.ndarray
    display: np.ndarray
    bio: np.ndarray


def make_snapshots(
    rng: np.random.Generator, w: World, window: P.Window, tallies: Tallies
) -> Snapshots:
    watched = w.of(P.CUSTOMER, P.IO_CORE, P.IO_AMPLIFIER, P.CELEBRITY)
    organic = w.of(P.ORGANIC, P.FAN)
    sample = organic[rng.random(len(organic)) < ORGANIC_SAMPLE]
    accounts = np.sort(np.concatenate([watched, sample]))
    offset = rng.integers(0, P.HOUR_MS, len(accounts))
    account = np.tile(accounts, window.days)
    day = np.repeat(np.arange(window.days), len(accounts))
    jitter = rng.normal(0, 60_000, len(account)).astype(np.int64)
    t = day * P.DAY_MS + 12 * P.HOUR_MS + np.tile(offset, window.days) + jitter
    keep = t >= w.created[account] + P.HOUR_MS
    account, t = account[keep], t[keep]
    order = np.lexsort((w.account_id[account], t))
    account, t = account[order], t[order]
    before = (w.renamed_at[account] >= 0) & (t < w.renamed_at[account])
    screen, display, bio = w.screen[account], w.display[account], w.bio[account]
    screen[before] = w.old_screen[account[before]]
    display[before] = w.old_display[account[before]]
    bio[before] = w.old_bio[account[before]]
    return Snapshots(
        account=account,
        t=t,
        followers=tallies.followers_at(account, t),
        following=tallies.following_at(account, t),
        posts=tallies.posts_at(account, t),
        likes=tallies.likes_at(account, t),
        screen=screen,
        display=display,
        bio=bio,
    )
