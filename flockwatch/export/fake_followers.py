"""The fake-follower exports: ``audits`` (one row per audited account) and ``pools`` (one row
per seller pool), both from the latest ``fake_followers`` run."""

from __future__ import annotations

from flockwatch.store.db import Store


def _list(path: str) -> str:
    """The strings at a JSON path with a wildcard, comma-joined (NULL when none)."""
    return f"nullif(array_to_string(json_extract_string(details, '{path}'), ', '), '')"


def audits_sql(store: Store) -> str:
    """One row per audited account, strongest evidence of bought followers first:
    ``platform, account_id, followers_seen, fake_share, ci_low, ci_high`` (the share of its
    scored followers that look fake and its 95% Wilson interval), ``bursts`` (steps in the
    follower count and follower-arrival bursts), ``pool_ids`` (seller pools that follow it) and
    the ``explanation``."""
    return f"""
    SELECT platform, subject_id AS account_id,
           CAST(json_extract(details, '$.followers_seen') AS BIGINT) AS followers_seen,
           CAST(json_extract(details, '$.fake_share') AS DOUBLE) AS fake_share,
           CAST(json_extract(details, '$.ci_low') AS DOUBLE) AS ci_low,
           CAST(json_extract(details, '$.ci_high') AS DOUBLE) AS ci_high,
           nullif(json_extract_string(details, '$.bursts'), '') AS bursts,
           {_list("$.pool_ids[*]")} AS pool_ids,
           explanation
    FROM latest_findings WHERE detector = 'fake_followers' AND subject_kind = 'audit'
    ORDER BY score DESC, platform, account_id
    """


def pools_sql(store: Store) -> str:
    """One row per pool of accounts that follow the same customers, most seller-like first:
    ``pool_id, size, n_customers, customers`` (account ids, most followed first),
    ``sample_members`` (ten members following the most customers) and the ``explanation``."""
    return f"""
    SELECT subject_id AS pool_id,
           CAST(json_extract(details, '$.size') AS BIGINT) AS size,
           CAST(json_extract(details, '$.n_customers') AS BIGINT) AS n_customers,
           {_list("$.customers[*].account_id")} AS customers,
           {_list("$.sample_members[*]")} AS sample_members,
           explanation
    FROM latest_findings WHERE detector = 'fake_followers' AND subject_kind = 'pool'
    ORDER BY score DESC, size DESC, pool_id
    """
