"""Roles inside a cluster: ``core`` accounts originate what the cluster amplifies; ``amplifier``
accounts relay.

A member is ``core`` when the cluster amplifies it and it is a source more than a relay:

- at least :data:`CORE_MIN_AMPLIFIERS` other members reposted it;
- it got at least :data:`CORE_REL_AMPLIFIED` of the reposts that the cluster's most amplified
  member got;
- members reposted it at least as often as it reposted anything (``amplified >= n_reposts``);
- its share of original posts (posts and quotes) is at least the cluster's median share.

Every other member is an ``amplifier``: it reposts core content or outside voices, or repeats
the cluster's texts. A fan club that reposts a star outside the cluster thus has no core, only
amplifiers; a co-posting farm that nobody reposts has no core either. (Operation cores repost
one another a lot, so an absolute "mostly original" rule would miss them; what sets them apart
is how much the cluster amplifies them.)

``centrality`` is a member's weighted degree in the cluster's combined co-action graph over the
largest in the cluster (1 for the best-connected member); amplifiers are usually the most
central there, since co-action is what they do.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from flockwatch.detect.coordination.clusters import MEMBER_POSTS, MEMBERS

#: A core account is reposted by at least this many other members (one fan is not amplification),
CORE_MIN_AMPLIFIERS = 2
#: ... and gets at least this share of the reposts the most amplified member got.
CORE_REL_AMPLIFIED = 0.2


def member_activity(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per member: posts, original posts, reposts, and amplification received from the cluster."""
    return con.execute(
        f"""
        WITH own AS (
            SELECT cluster_id, platform, account_id, count(*) AS n_posts,
                   count(*) FILTER (WHERE coalesce(kind, 'post') IN ('post', 'quote'))
                       AS n_original,
                   count(*) FILTER (WHERE kind = 'repost') AS n_reposts
            FROM {MEMBER_POSTS} GROUP BY ALL),
        got AS (
            SELECT p.cluster_id, p.platform, p.target_account_id AS account_id,
                   count(*) AS amplified, count(DISTINCT p.account_id) AS n_amplifiers
            FROM {MEMBER_POSTS} p
            JOIN {MEMBERS} m ON m.platform = p.platform AND m.account_id = p.target_account_id
                 AND m.cluster_id = p.cluster_id
            WHERE p.kind = 'repost' AND p.target_account_id <> p.account_id
            GROUP BY ALL)
        SELECT m.cluster_id, m.platform, m.account_id, m.node,
               coalesce(o.n_posts, 0) AS n_posts, coalesce(o.n_original, 0) AS n_original,
               coalesce(o.n_reposts, 0) AS n_reposts, coalesce(g.amplified, 0) AS amplified,
               coalesce(g.n_amplifiers, 0) AS n_amplifiers
        FROM {MEMBERS} m
        LEFT JOIN own o USING (cluster_id, platform, account_id)
        LEFT JOIN got g USING (cluster_id, platform, account_id)
        ORDER BY m.cluster_id, m.account_id
        """
    ).df()


def centrality(members: pd.DataFrame, combined: pd.DataFrame) -> pd.Series:
    """Weighted degree inside the member's own cluster over the cluster's largest (by node)."""
    cluster_of = members.set_index("node")["cluster_id"]
    e = combined[["a", "b", "weight"]].copy()
    e["ca"] = e["a"].map(cluster_of)
    e["cb"] = e["b"].map(cluster_of)
    e = e[e["ca"].notna() & (e["ca"] == e["cb"])]
    deg = (
        pd.concat([e.groupby("a")["weight"].sum(), e.groupby("b")["weight"].sum()])
        .groupby(level=0)
        .sum()
    )
    deg = deg.reindex(members["node"].to_numpy(), fill_value=0.0)
    top = deg.groupby(members.set_index("node")["cluster_id"].reindex(deg.index)).transform("max")
    return (deg / top.replace(0, np.nan)).fillna(0.0)


def assign_roles(activity: pd.DataFrame) -> pd.Series:
    """``core`` or ``amplifier`` per row of :func:`member_activity` (same index)."""
    posts = activity["n_posts"].where(activity["n_posts"] > 0)
    original_share = (activity["n_original"] / posts).fillna(0.0)
    median_share = original_share.groupby(activity["cluster_id"]).transform("median")
    top = activity.groupby("cluster_id")["amplified"].transform("max")
    core = (
        (activity["n_amplifiers"] >= CORE_MIN_AMPLIFIERS)
        & (activity["amplified"] >= CORE_REL_AMPLIFIED * top)
        & (activity["amplified"] >= activity["n_reposts"])
        & (original_share >= median_share)
    )
    return pd.Series(np.where(core, "core", "amplifier"), index=activity.index)
