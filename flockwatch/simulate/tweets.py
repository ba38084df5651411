"""Turn the post log into the final table: time order, snowflake ids, retweet texts, counts.

Ids follow Twitter's snowflake layout (milliseconds since the Twitter epoch, then worker and
sequence bits), so ids grow with time and rows sorted by id are sorted by ``tweet_time``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import plan as P
from .timeline import QUOTE, REPLY, RETWEET, Posts

if TYPE_CHECKING:
    from .world import World

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


def repeat_reposts(posts: Posts) -> np.ndarray:
    """Mask of reposts of a post the same account already reposted (the platform allows one)."""
    rt = np.flatnonzero(posts.kind == RETWEET)
    key = posts.author[rt] * (len(posts) + 1) + posts.parent[rt]
    order = np.lexsort((posts.t[rt], key))
    repeat = np.zeros(len(rt), dtype=bool)
    repeat[1:] = key[order][1:] == key[order][:-1]
    mask = np.zeros(len(posts), dtype=bool)
    mask[rt[order[repeat]]] = True
    return mask


def finalize(rng: np.random.Generator, posts: Posts, world: World, window: P.Window) -> TweetTable:
    """Sort, assign ids, drop repeated reposts and fill in what reposts copy from originals.

    Reposts are never parents, so dropping repeats orphans no post. Retweet texts are left
    empty here and rendered chunk by chunk when written (see :func:`retweet_texts`).
    """
    kept = np.flatnonzero(~repeat_reposts(posts))
    first = kept[np.argsort(posts.t[kept], kind="stable")]
    ids = snowflake_ids(rng, window.epoch_ms + posts.t[first])
    second = np.argsort(ids, kind="stable")
    order = first[second]
    ids = ids[second]
    position = np.full(len(posts), -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    raw_parent = posts.parent[order]
    parent = np.where(raw_parent >= 0, position[np.maximum(raw_parent, 0)], -1)
    cols = {
        c: getattr(posts, c)[order]
        for c in ("author", "t", "kind", "text", "lang", "hashtags", "urls", "mentions", "client")
    }
    if np.any((raw_parent >= 0) & ((parent < 0) | (parent >= np.arange(len(parent))))):
        raise AssertionError("a post reacts to a missing or later post")
    quotes = np.flatnonzero(cols["kind"] == QUOTE)
    cols["urls"][quotes] = [
        f"['https://twitter.com/{world.screen[a]}/status/{i}']"
        for a, i in zip(
            cols["author"][parent[quotes]].tolist(), ids[parent[quotes]].tolist(), strict=True
        )
    ]
    retweets = np.flatnonzero(cols["kind"] == RETWEET)  # after quotes: a retweet may copy one
    for c in ("lang", "hashtags", "urls"):
        cols[c][retweets] = cols[c][parent[retweets]]
    blank = (cols["kind"] == RETWEET) & (rng.random(len(order)) < RETWEET_USER_BLANK)
    counts = engagement(rng, cols["author"], cols["kind"], parent, world)
    return TweetTable(parent=parent, tweet_id=ids, blank_retweet_user=blank, **cols, **counts)


def retweet_texts(table: TweetTable, rows: np.ndarray, world: World) -> tuple[list[str], list[str]]:
    """Text and ``user_mentions`` of the retweets at ``rows``: ``RT @author: original``.

    The retweeted account comes first among the mentions, then the original's own.
    """
    src = table.parent[rows]
    src_author = table.author[src].tolist()
    texts = [
        f"RT @{world.screen[a]}: {txt}"
        for a, txt in zip(src_author, table.text[src].tolist(), strict=True)
    ]
    ids = world.account_id
    mentions = [
        f"['{ids[a]}']" if m == "[]" else f"['{ids[a]}', {m[1:]}"
        for a, m in zip(src_author, table.mentions[src].tolist(), strict=True)
    ]
    return texts, mentions


def engagement(
    rng: np.random.Generator, author: np.ndarray, kind: np.ndarray, parent: np.ndarray, world: World
) -> dict[str, np.ndarray]:
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
