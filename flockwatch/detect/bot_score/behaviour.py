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
import pyarrow.compute as pc

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
        "mentions and whitespace, repeats another of its posts: 1 - distinct / all"
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


def behaviour_sql(exact_keys: bool = False) -> str:
    """One ``SELECT`` with a row per account that has at least one timed post.

    Columns: ``platform, account_id, key_collision, n_posts, first_post_at, last_post_at``,
    the :data:`BEHAVIOUR_FEATURES` except ``age_at_first_post_days`` (which needs
    ``accounts``), and ``evidence_post_ids`` (the ids of its :data:`EVIDENCE_POSTS` latest
    posts, newest first).

    Parameters
    ----------
    exact_keys
        Posts are grouped by a 64-bit hash of ``(platform, account_id)``, several times faster
        than grouping by the two strings. ``key_collision`` is true on a row whose hash two
        accounts share (about one chance in 10^7 for a million accounts); rerun with
        ``exact_keys=True`` then.

    Notes
    -----
    The features are computed in separate small aggregations joined on the account key: one
    DuckDB aggregation holding the window, the DISTINCT counts and ``max_by`` together was
    ten times slower.
    """
    key = (
        "struct_pack(p := platform, a := account_id)"
        if exact_keys
        else "hash(platform, account_id)"
    )
    # lower-cased, without links, mentions and whitespace (NULL when nothing is left)
    norm_text = "nullif(regexp_replace(lower(text), 'https?://\\S+|@\\w+|\\s+', '', 'g'), '')"
    return f"""
    WITH p AS NOT MATERIALIZED (
      SELECT {key} AS k, platform, account_id, post_id, created_at, kind, client, urls, text,
        CAST(floor(epoch(created_at) / 60) AS BIGINT) AS m
      FROM posts
      WHERE account_id IS NOT NULL AND created_at IS NOT NULL
    ), base AS (
      SELECT k, min(platform) AS platform, min(account_id) AS account_id,
        min(platform) <> max(platform) OR min(account_id) <> max(account_id) AS key_collision,
        count(*) AS n_posts, min(created_at) AS first_post_at, max(created_at) AS last_post_at,
        min(m) AS m_first, max(m) AS m_last,
        count(kind) AS n_kind, count_if(kind = 'repost') AS n_repost,
        count_if(kind = 'reply') AS n_reply,
        count(urls) AS n_urls, count_if(len(urls) > 0) AS n_with_url
      FROM p GROUP BY k
    ), gaps AS (
      -- exact integer sums (a parallel floating-point sum is not reproducible to the bit)
      SELECT k, count(gap) AS n_gaps, sum(gap) AS gap_sum,
        sum(CAST(gap AS HUGEINT) * gap) AS gap_sq_sum
      FROM (SELECT k, m - lag(m) OVER (PARTITION BY k ORDER BY m) AS gap FROM p)
      GROUP BY k
    ), hours AS (
      -- the hour counts in hour order, so that the sum below is always done the same way
      SELECT k, list_sum(list_transform(list(c ORDER BY h), lambda x: x * log2(x))) AS c_log_c
      FROM (SELECT k, hour(created_at) AS h, count(*) AS c FROM p GROUP BY k, h)
      GROUP BY k
    ), clients AS (
      SELECT k, count(*) AS n_clients
      FROM (SELECT DISTINCT k, client FROM p WHERE client IS NOT NULL) GROUP BY k
    ), texts AS (
      -- own posts only; texts compared by a 64-bit hash
      SELECT k, sum(c) AS n_texts, count(*) AS n_distinct_texts
      FROM (
        SELECT k, hash(t) AS t, count(*) AS c
        FROM (SELECT k, {norm_text} AS t FROM p WHERE kind IS DISTINCT FROM 'repost')
        WHERE t IS NOT NULL GROUP BY ALL
      )
      GROUP BY k
    ), recent AS (
      -- newest first; ties (same millisecond) broken by a hash of the post id
      SELECT k, max_by(post_id, epoch_ms(created_at) * 1000000
          + CAST(hash(post_id) % 1000000 AS BIGINT), {EVIDENCE_POSTS}) AS evidence_post_ids
      FROM p GROUP BY k
    )
    SELECT platform, account_id, key_collision, n_posts, first_post_at, last_post_at,
      n_posts / greatest((m_last - m_first) / 1440.0, 1.0) AS observed_posts_per_day,
      CASE WHEN n_kind > 0 THEN n_repost / n_kind END AS repost_share,
      CASE WHEN n_kind > 0 THEN n_reply / n_kind END AS reply_share,
      -- entropy of the hour counts c: log2(n) - sum(c log2 c) / n
      greatest(log2(n_posts) - c_log_c / n_posts, 0.0) AS hour_entropy,
      -- sd / mean = sqrt(n * sum(g^2) - sum(g)^2) / sum(g)
      CASE WHEN n_gaps >= 2 AND gap_sum > 0
        THEN sqrt(CAST(n_gaps * gap_sq_sum - CAST(gap_sum AS HUGEINT) * gap_sum AS DOUBLE))
          / gap_sum END AS gap_cv,
      n_clients,
      CASE WHEN n_urls > 0 THEN n_with_url / n_urls END AS url_share,
      CASE WHEN n_texts > 0 THEN 1.0 - n_distinct_texts / n_texts END AS duplicate_text_share,
      evidence_post_ids
    FROM base
    JOIN gaps USING (k) JOIN hours USING (k) JOIN recent USING (k)
    LEFT JOIN clients USING (k) LEFT JOIN texts USING (k)
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

    def sql(exact_keys: bool) -> str:
        return f"""
        SELECT b.* EXCLUDE (evidence_post_ids, key_collision),
          {age_at_first_post_sql("b.first_post_at", "a.created_at")} AS age_at_first_post_days,
          b.evidence_post_ids, b.key_collision
        FROM ({behaviour_sql(exact_keys)}) b
        LEFT JOIN accounts a USING (platform, account_id)
        ORDER BY b.platform, b.account_id
        """

    table = query_arrow(store, sql(False))
    if pc.any(table.column("key_collision")).as_py():
        table = query_arrow(store, sql(True))
    df = table.drop_columns(["key_collision"]).to_pandas()
    for col in BEHAVIOUR_FEATURES:
        df[col] = df[col].astype("float64")
    return df
