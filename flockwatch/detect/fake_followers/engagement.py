"""Engagement rate against follower count, compared with peers of similar size.

Bought followers do not like, repost or reply, so an account whose followers were bought gets
less engagement per follower than accounts of its size. The rate is the mean of
``like + repost + reply + quote`` counts over the account's own posts (``post`` and ``quote``
with at least one count) divided by its follower count (``accounts.followers_count``, else its
latest snapshot). Peers are the accounts of the same platform with a rate whose follower count
is within about a factor of three (:data:`PEER_BINS` quarter-decade bins either side); the
account's percentile among them is reported with the peers' median.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

__all__ = ["MIN_PEERS", "MIN_POSTS", "PEER_BINS", "Engagement", "engagement"]

#: Posts with counts an account needs for a rate (one viral or dead post says little).
MIN_POSTS = 3
#: Peers needed for a percentile.
MIN_PEERS = 10
#: Follower-count bins are quarter decades; peers are in the same bin or up to this many away.
BIN_WIDTH = 0.25
PEER_BINS = 2


@dataclass(frozen=True)
class Engagement:
    """An account's engagement: ``rate`` per follower per post over ``posts`` posts, its
    ``percentile`` in [0, 1] among ``peers`` accounts, whose median rate is ``peer_median``."""

    rate: float
    posts: int
    followers: int
    percentile: float | None
    peer_median: float | None
    peers: int


_SQL = """
WITH p AS (
  SELECT platform, account_id, count(*) AS posts,
         avg(coalesce(like_count, 0) + coalesce(repost_count, 0) + coalesce(reply_count, 0)
             + coalesce(quote_count, 0)) AS per_post
  FROM posts
  WHERE account_id IS NOT NULL AND coalesce(kind, 'post') IN ('post', 'quote')
    AND (like_count IS NOT NULL OR repost_count IS NOT NULL OR reply_count IS NOT NULL
         OR quote_count IS NOT NULL)
  GROUP BY ALL HAVING count(*) >= $min_posts
), s AS (
  SELECT platform, account_id, arg_max(followers_count, observed_at) AS followers
  FROM account_snapshots WHERE followers_count IS NOT NULL GROUP BY ALL
)
SELECT p.platform, p.account_id, p.posts, p.per_post,
       coalesce(a.followers_count, s.followers) AS followers
FROM p
LEFT JOIN accounts a USING (platform, account_id)
LEFT JOIN s USING (platform, account_id)
WHERE coalesce(a.followers_count, s.followers) > 0
ORDER BY 1, 2
"""


def engagement(
    cur: duckdb.DuckDBPyConnection, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], Engagement]:
    """Engagement of the ``wanted`` accounts that have enough posts, against every account of
    their platform as peers.

    Returns
    -------
    dict
        ``(platform, account_id) -> Engagement``; accounts without a rate are absent.
    """
    rows = cur.sql(_SQL, params={"min_posts": MIN_POSTS}).fetchnumpy()
    if not len(rows["account_id"]):
        return {}
    platforms = np.asarray(rows["platform"], dtype=object)
    ids = np.asarray(rows["account_id"], dtype=object)
    followers = np.asarray(rows["followers"], dtype=float)
    rate = np.asarray(rows["per_post"], dtype=float) / followers
    posts = np.asarray(rows["posts"], dtype=np.int64)
    bins = np.floor(np.log10(followers) / BIN_WIDTH).astype(np.int64)
    index = {(p, a): i for i, (p, a) in enumerate(zip(platforms, ids, strict=True))}
    windows: dict[tuple[str, int], np.ndarray] = {}
    out: dict[tuple[str, str], Engagement] = {}
    for key in wanted:
        i = index.get(key)
        if i is None:
            continue
        wkey = (key[0], int(bins[i]))
        if wkey not in windows:
            near = (platforms == key[0]) & (np.abs(bins - bins[i]) <= PEER_BINS)
            windows[wkey] = np.sort(rate[near])
        peers = windows[wkey]
        n = len(peers) - 1  # without the account itself
        pct = median = None
        if n >= MIN_PEERS:
            below = np.searchsorted(peers, rate[i], side="left")
            equal = np.searchsorted(peers, rate[i], side="right") - below - 1
            pct = float((below + 0.5 * equal) / n)
            median = float(np.median(np.delete(peers, below)))
        out[key] = Engagement(float(rate[i]), int(posts[i]), int(followers[i]), pct, median, n)
    return out
