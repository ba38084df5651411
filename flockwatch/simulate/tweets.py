"""Turn the post log into the final table: time order, snowflake ids, retweet texts, counts.

Ids follow Twitter's snowflake layout (milliseconds since the Twitter epoch, then worker and
sequence bits), so ids grow with time and rows sorted by id are sorted by ``tweet_time``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import plan as P
from .timeline import QUOTE, REPLY, RETWEET, Posts

TWITTER_EPOCH_MS = 1_288_834_974_657
RETWEET_USER_BLANK = 0.1  # the 2020 releases leave retweet_userid empty on some retweets


@dataclass
class TweetTable:
    """Posts in final order; ``parent`` indexes this table."""

    author: np.ndarray
    t: np.ndarray
    kind: np.ndarray
    parent: np.ndarray
    tweet_id: np.ndarray
    text: np.ndarray
    lang: np.ndarray
    hashtags: np.ndarray
    urls: np.ndarray
    mentions: np.ndarray
    client: np.ndarray
    blank_retweet_user: np.ndarray
    quote_count: np.ndarray
    reply_count: np.ndarray
    like_count: np.ndarray
    retweet_count: np.ndarray

    def __len__(self) -> int:
        return len(self.t)


def snowflake_ids(rng: np.random.Generator, abs_ms: np.ndarray) -> np.ndarray:
    """Ids for posts already sorted by time: time, 10 random worker bits, a sequence."""
    n = len(abs_ms)
    new_ms = np.ones(n, dtype=bool)
    new_ms[1:] = abs_ms[1:] != abs_ms[:-1]
    run_start = np.maximum.accumulate(np.where(new_ms, np.arange(n), 0))
    seq = np.arange(n) - run_start
    worker = rng.integers(0, 1024, n)
    return ((abs_ms - TWITTER_EPOCH_MS) << 22) + (worker << 12) + np.minimum(seq, 4095)


def finalize(rng: np.random.Generator, posts: Posts, world, window: P.Window) -> TweetTable:  # noqa: ANN001
    first = np.argsort(posts.t, kind="stable")
    ids = snowflake_ids(rng, window.epoch_ms + posts.t[first])
    second = np.argsort(ids, kind="stable")
    order = first[second]
    ids = ids[second]
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    raw_parent = posts.parent[order]
    parent = np.where(raw_parent >= 0, position[np.maximum(raw_parent, 0)], -1)
    cols = {c: getattr(posts, c)[order] for c in ("author", "t", "kind", "text", "lang", "hashtags",
                                                    "urls", "mentions", "client")}  # fmt: skip
    if np.any((parent >= 0) & (parent >= np.arange(len(parent)))):
        raise AssertionError("a post precedes the post it reacts to")
    derive_retweets(cols, parent, world, ids)
    blank = (cols["kind"] == RETWEET) & (rng.random(len(order)) < RETWEET_USER_BLANK)
    counts = engagement(rng, cols["author"], cols["kind"], parent, world)
    return TweetTable(parent=parent, tweet_id=ids, blank_retweet_user=blank, **cols, **counts)


def derive_retweets(cols: dict[str, np.ndarray], parent: np.ndarray, world, ids: np.ndarray) -> None:  # noqa: ANN001
    """Retweets copy the original's text and entities; quotes link to the quoted post."""
    screen, account_id = world.screen, world.account_id
    for kind in (QUOTE, RETWEET):  # quotes first: a retweet may copy a quote's entities
        rows = np.flatnonzero(cols["kind"] == kind)
        src = parent[rows]
        src_author = cols["author"][src]
        if kind == QUOTE:
            cols["urls"][rows] = [
                f"['https://twitter.com/{screen[a]}/status/{i}']"
                for a, i in zip(src_author.tolist(), ids[src].tolist(), strict=True)
            ]
            continue
        cols["text"][rows] = [
            f"RT @{screen[a]}: {txt}" for a, txt in zip(src_author.tolist(), cols["text"][src].tolist(), strict=True)
        ]
        for c in ("lang", "hashtags", "urls"):
            cols[c][rows] = cols[c][src]
        cols["mentions"][rows] = [
            f"['{account_id[a]}']" if m == "[]" else f"['{account_id[a]}', {m[1:]}"
            for a, m in zip(src_author.tolist(), cols["mentions"][src].tolist(), strict=True)
        ]


def engagement(rng: np.random.Generator, author: np.ndarray, kind: np.ndarray, parent: np.ndarray,
               world) -> dict[str, np.ndarray]:  # noqa: ANN001  # fmt: skip
    """Counts as collected after the window: in-world reactions plus the unseen audience.

    The unseen audience scales with the author's organic reach at the window start, so
    bought followers do not bring engagement.
    """
    n = len(author)
    has_parent = parent >= 0

    def received(k: int) -> np.ndarray:
        return np.bincount(parent[has_parent & (kind == k)], minlength=n)

    reach = world.followers0[author].astype(float)
    appeal = rng.lognormal(0.0, 1.0, n)
    rt_in = received(RETWEET)
    counts = {
        "retweet_count": rt_in + rng.poisson(reach * 0.0004 * appeal),
        "reply_count": received(REPLY) + rng.poisson(reach * 0.0002 * appeal),
        "quote_count": received(QUOTE) + rng.poisson(reach * 0.00008 * appeal),
        "like_count": rng.poisson(reach * 0.003 * appeal + 1.5 * rt_in),
    }
    for values in counts.values():
        values[kind == RETWEET] = 0
    return {k: v.astype(np.int64) for k, v in counts.items()}
