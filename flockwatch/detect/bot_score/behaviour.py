"""Behaviour features of each account from its posts, computed in SQL.

One query over ``posts`` (a window for the gaps between consecutive posts, then one
aggregation per account) joined to ``accounts`` for the creation date; it is plain SQL so it can
move to Spark unchanged. Features that need a column the source lacks (no ``client``, no
``urls``, no ``kind``, no account ``created_at``) are NULL, never 0.

**Times are truncated to the minute** before anything is computed. Takedown archives give
post times to the minute only (``posts.time_precision = 'minute'``); truncating second-precision
sources too makes the features mean the same thing on every source (and on the simulated
worlds the behaviour model was trained on, which are minute-precision). Consequence: gaps are
whole minutes and posts within the same minute have a gap of 0.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from flockwatch.store.db import Store

__all__ = [
    "BEHAVIOUR_DESCRIPTIONS",
    "BEHAVIOUR_FEATURES",
    "EVIDENCE_POSTS",
    "age_at_first_post_sql",
    "behaviour_features",
    "behaviour_sql",
    "query_arrow",
]

#: Ordered names of the behaviour features (the behaviour model's column order).
BEHAVIOUR_FEATURES: list[str] = [
    "observed_posts_per_day",
    "repost_share",
    "reply_share",
    "hour_entropy",
    "gap_cv",
    "n_clients",
    "url_share",
    "duplicate_text_share",
    "age_at_first_post_days",
]

#: What each feature measures (model card, docs).
BEHAVIOUR_DESCRIPTIONS: dict[str, str] = {
    "observed_posts_per_day": (
        "posts per day between the account's first and last post in the store "
        "(the span counts as at least 1 day)"
    ),
    "repost_share": "share of its posts that are reposts (kind = 'repost')",
    "reply_share": "share of its posts that are replies (kind = 'reply')",
    "hour_entropy": (
        "Shannon entropy in bits of the UTC hour of day of its posts: 0 = always the same "
        "hour, 4.58 = all 24 hours equally"
    ),
    "gap_cv": (
        "coefficient of variation (standard deviation / mean) of the minutes between "
        "consecutive posts: 0 = clockwork; needs 3 posts and a non-zero mean gap"
    ),
    "n_clients": "number of distinct clients (apps) it posted from",
    "url_share": "share of its posts that carry at least one link",
    "duplicate_text_share": (
        "share of its own posts (reposts excluded) whose text, lower-cased without links, "
        "mentions and extra spaces, repeats an earlier one of its posts"
    ),
    "age_at_first_post_days": "account age in days at its first post in the store",
}

#: Post ids kept as evidence per account: its latest posts.
EVIDENCE_POSTS: int = 5


def query_arrow(store: Store, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
    """Run a read query on its own cursor and return Arrow.

    A cursor, because the store's connection may hold an unfinished result of an earlier
    ``execute`` (DuckDB then refuses ``sql()`` on it), and ``execute(...).to_arrow_table()``
    copies every row once more.
    """
    cur = store.con.cursor()
    try:
        return cur.sql(sql, params=params).to_arrow_table()
    finally:
        cur.close()


def behaviour_sql() -> str:
    """One ``SELECT`` with a row per account that has at least one timed post.

    Columns: ``platform, account_id, n_posts, first_post_at, last_post_at``, the
    :data:`BEHAVIOUR_FEATURES` except ``age_at_first_post_days`` (which needs ``accounts``),
    and ``evidence_post_ids`` (the ids of its :data:`EVIDENCE_POSTS` latest posts).
    """
    return f"""
    SELECT platform, account_id,
      count(*) AS n_posts,
      min(created_at) AS first_post_at,
      max(created_at) AS last_post_at,
      count(*) / greatest((epoch(max(t)) - epoch(min(t))) / 86400.0, 1.0)
        AS observed_posts_per_day,
      CASE WHEN count(kind) > 0 THEN count_if(kind = 'repost') / count(kind) END
        AS repost_share,
      CASE WHEN count(kind) > 0 THEN count_if(kind = 'reply') / count(kind) END
        AS reply_share,
      entropy(hour(t)) AS hour_entropy,
      CASE WHEN count(gap) >= 2 AND avg(gap) > 0 THEN stddev_pop(gap) / avg(gap) END AS gap_cv,
      CASE WHEN count(client) > 0 THEN count(DISTINCT client) END AS n_clients,
      CASE WHEN count(urls) > 0 THEN count_if(len(urls) > 0) / count(urls) END AS url_share,
      CASE WHEN count(norm_text) > 0
        THEN 1.0 - count(DISTINCT norm_text) / count(norm_text) END AS duplicate_text_share,
      max_by(post_id, struct_pack(t := created_at, id := post_id), {EVIDENCE_POSTS})
        AS evidence_post_ids
    FROM (
      SELECT platform, account_id, post_id, created_at, t, kind, client, urls, norm_text,
        (epoch(t) - epoch(lag(t) OVER (PARTITION BY platform, account_id ORDER BY t))) / 60.0
          AS gap
      FROM (
        SELECT platform, account_id, post_id, created_at, kind, client, urls,
          date_trunc('minute', created_at) AS t,
          CASE WHEN kind IS DISTINCT FROM 'repost' THEN nullif(trim(regexp_replace(
            lower(regexp_replace(text, '(https?://\\S+)|(@\\w+)', ' ', 'g')),
            '\\s+', ' ', 'g')), '') END AS norm_text
        FROM posts
        WHERE account_id IS NOT NULL AND created_at IS NOT NULL
      )
    )
    GROUP BY platform, account_id
    """


def age_at_first_post_sql(first_post_at: str, created_at: str) -> str:
    """SQL for ``age_at_first_post_days`` from the first post time of :func:`behaviour_sql`
    and the account's ``created_at``: NULL when the creation date is unknown or after the first
    post (bad data)."""
    return (
        f"CASE WHEN {first_post_at} >= {created_at} "
        f"THEN (epoch({first_post_at}) - epoch({created_at})) / 86400.0 END"
    )


def behaviour_features(store: Store) -> pd.DataFrame:
    """Behaviour features of every account with at least one timed post.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    pandas.DataFrame
        One row per ``(platform, account_id)`` with ``n_posts, first_post_at, last_post_at``,
        the float columns :data:`BEHAVIOUR_FEATURES` (NaN = unknown; see
        :data:`BEHAVIOUR_DESCRIPTIONS`) and ``evidence_post_ids``; sorted by platform and
        account id.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> store.con.execute(
    ...     "INSERT INTO posts (platform, post_id, account_id, created_at, kind) VALUES "
    ...     "('x', '1', 'a', '2024-01-01 10:00', 'post'), ('x', '2', 'a', '2024-01-01 10:15', "
    ...     "'repost'), ('x', '3', 'a', '2024-01-01 10:30', 'post')")  # doctest: +ELLIPSIS
    <...>
    >>> row = behaviour_features(store).iloc[0]
    >>> float(row.gap_cv), float(row.repost_share), float(row.hour_entropy)
    (0.0, 0.3333333333333333, 0.0)
    """
    sql = f"""
    SELECT b.* EXCLUDE (evidence_post_ids),
      {age_at_first_post_sql("b.first_post_at", "a.created_at")} AS age_at_first_post_days,
      b.evidence_post_ids
    FROM ({behaviour_sql()}) b
    LEFT JOIN accounts a USING (platform, account_id)
    ORDER BY b.platform, b.account_id
    """
    df = query_arrow(store, sql).to_pandas()
    for col in BEHAVIOUR_FEATURES:
        df[col] = df[col].astype("float64")
    return df
