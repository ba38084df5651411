"""Which accounts are audited, and the seeded sample of their followers that gets scored.

All in DuckDB: the follow table can hold tens of millions of edges. Audit tools score a random
sample of a large follower list (a share is estimated as well from 1,000 followers as from
100,000); the sample here is the ``sample_size`` followers with the smallest
``hash(follower_id, seed)``, a uniform random choice that a seed reproduces. The same hash
orders every account's followers, so a follower drawn for one account is drawn for every
account it follows where it is among the smallest (coordinated sampling): fewer distinct
followers to score, each account's sample still uniform.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

__all__ = ["TARGET_SCHEMA", "follow_times", "follower_sample", "targets"]

#: Columns of a targets table: the audited accounts; ``k`` numbers them from 0 in this order.
TARGET_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("account_id", pa.string()),
        ("followers_seen", pa.int64()),
        ("k", pa.int64()),
    ]
)
#: Sampling keeps the followers whose hash is below a cut-off expected to let through this
#: many standard deviations more than ``sample_size`` (then the smallest ``sample_size`` of
#: them): one window over the few kept instead of a sort of every follow.
SAMPLE_MARGIN_SD = 6


def _arrow(cur: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pa.Table:
    return cur.sql(sql, params=params).to_arrow_table()


def targets(
    cur: duckdb.DuckDBPyConnection,
    min_followers_seen: int,
    only: list[tuple[str, str]] | None = None,
) -> pa.Table:
    """The accounts to audit with their number of known followers (rows of ``follows``).

    Parameters
    ----------
    cur
        A cursor on the store.
    min_followers_seen
        Fewest known followers an audited account has.
    only
        ``(platform, account_id)`` pairs to audit instead of every account (``flockwatch
        audit``); they are audited whatever their number of followers, if they have one.

    Returns
    -------
    pyarrow.Table
        :data:`TARGET_SCHEMA`, ordered by platform and account.
    """
    number = "row_number() OVER (ORDER BY platform, account_id) - 1 AS k"
    if only is not None:
        keys = pa.table(
            {"platform": [p for p, _ in only], "account_id": [a for _, a in only]},
            schema=pa.schema([("platform", pa.string()), ("account_id", pa.string())]),
        )
        cur.register("_fw_only", keys)
        try:
            return _arrow(
                cur,
                f"SELECT *, {number} FROM (SELECT f.platform, f.followee_id AS account_id, "
                "count(*) AS followers_seen FROM follows f JOIN _fw_only o "
                "ON f.platform = o.platform AND f.followee_id = o.account_id GROUP BY ALL) "
                "ORDER BY k",
            ).cast(TARGET_SCHEMA)
        finally:
            cur.unregister("_fw_only")
    return _arrow(
        cur,
        f"SELECT *, {number} FROM (SELECT platform, followee_id AS account_id, "
        "count(*) AS followers_seen FROM follows GROUP BY ALL HAVING count(*) >= $min) "
        "ORDER BY k",
        {"min": int(min_followers_seen)},
    ).cast(TARGET_SCHEMA)


def follower_sample(cur: duckdb.DuckDBPyConnection, sample_size: int, seed: int) -> pa.Table:
    """Up to ``sample_size`` followers of each target (registered as ``_fw_targets``) that have
    a profile in ``accounts``, chosen by ``hash(follower_id, seed)``.

    Returns
    -------
    pyarrow.Table
        ``platform, account_id`` (the audited account), ``follower_id``, ``t`` (when the follow
        was first observed, epoch seconds), ``followers_scorable`` (its followers with a
        profile) and ``interacted`` (the follower reposted, quoted or replied to one of the
        account's posts in the store); ordered by account and follower.
    """
    return _arrow(
        cur,
        """
        WITH e AS (
          SELECT t.k, f.follower_id, epoch(f.observed_at) AS t, hash(f.follower_id, $seed) AS h
          FROM follows f
          JOIN _fw_targets t ON f.platform = t.platform AND f.followee_id = t.account_id
          SEMI JOIN accounts a ON a.platform = f.platform AND a.account_id = f.follower_id
        ), n AS (
          SELECT k, count(*) AS followers_scorable FROM e GROUP BY k
        ), s AS (
          SELECT e.*, n.followers_scorable FROM e JOIN n USING (k)
          WHERE n.followers_scorable <= $n
             OR e.h < CAST(least(1.0, ($n + $sd * sqrt($n) + 10) / n.followers_scorable)
                           * 1.8e19 AS UBIGINT)
          QUALIFY row_number() OVER (PARTITION BY e.k ORDER BY e.h, e.follower_id) <= $n
        ), i AS (
          SELECT DISTINCT p.platform, p.account_id AS follower_id, p.target_account_id AS account_id
          FROM posts p SEMI JOIN _fw_targets t
            ON p.platform = t.platform AND p.target_account_id = t.account_id
          WHERE p.kind IN ('repost', 'reply', 'quote')
        )
        SELECT tg.platform, tg.account_id, s.follower_id, s.t, s.followers_scorable,
               i.follower_id IS NOT NULL AS interacted
        FROM s JOIN _fw_targets tg USING (k)
        LEFT JOIN i ON i.platform = tg.platform AND i.account_id = tg.account_id
                   AND i.follower_id = s.follower_id
        ORDER BY s.k, s.follower_id
        """,
        {"n": int(sample_size), "seed": int(seed), "sd": SAMPLE_MARGIN_SD},
    )


def follow_times(cur: duckdb.DuckDBPyConnection, n_targets: int) -> tuple[np.ndarray, np.ndarray]:
    """Every timed follow of the targets (registered as ``_fw_targets``), grouped by target.

    Returns
    -------
    times : numpy.ndarray
        Epoch seconds of the follows, grouped by the targets' ``k`` (times within a group are
        not sorted).
    ends : numpy.ndarray
        ``times[ends[k-1]:ends[k]]`` are target ``k``'s (``ends[-1]`` = ``len(times)``).
    """
    rows = cur.sql(
        """
        SELECT t.k, epoch(f.observed_at) AS t
        FROM follows f
        JOIN _fw_targets t ON f.platform = t.platform AND f.followee_id = t.account_id
        WHERE f.observed_at IS NOT NULL
        """
    ).fetchnumpy()
    k = np.asarray(rows["k"], dtype=np.int64)
    # numpy's stable sort of integers is a radix sort: faster than sorting in SQL here
    order = np.argsort(k, kind="stable")
    times = np.asarray(rows["t"], dtype=float)[order]
    ends = np.cumsum(np.bincount(k, minlength=n_targets))
    return times, ends
