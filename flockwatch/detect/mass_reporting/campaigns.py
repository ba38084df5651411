"""Campaigns: clusters of the co-reporting network, their reports, targets and waves.

The kept links (see :mod:`~flockwatch.detect.mass_reporting.coreports`), weighted by their
number of co-reports, are clustered with Leiden (``leidenalg``, modularity at ``resolution``,
seeded; nodes given to igraph in platform and reporter order, so a seed gives one answer).
Communities linked to each other as densely as a clique (half or more of the possible pairs
across them) are merged: modularity splits a near-clique along chance differences in weights.
Clusters of at least ``min_reporters`` reporters are campaigns. A campaign's *targets* are the
targets two of its members co-reported; its *reports* are every report its members filed
against those targets (a member's lone report against a campaign target is part of it too), and
its *waves* are the runs of those reports against one target with no gap over the window.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import numpy as np
import pandas as pd

from flockwatch.detect.mass_reporting.coreports import PAIRS, REPORTS

#: Communities linked across at least this share of their possible member pairs are merged.
MERGE_DENSITY = 0.5

MEMBERS = "_fwr_members"
CAMPAIGN_REPORTS = "_fwr_campaign_reports"


def leiden_campaigns(
    edges: pd.DataFrame, *, resolution: float, seed: int, min_reporters: int
) -> pd.DataFrame:
    """Members of each campaign: ``campaign_id, platform, reporter_id``.

    Campaign ids are ``<platform>:rc0001``..., numbered per platform by size (largest first),
    then by smallest member id."""
    if edges.empty:
        return pd.DataFrame({"campaign_id": [], "platform": [], "reporter_id": []})
    keys = pd.concat(
        [
            edges[["platform", "a"]].set_axis(["platform", "reporter_id"], axis=1),
            edges[["platform", "b"]].set_axis(["platform", "reporter_id"], axis=1),
        ]
    ).drop_duplicates()
    keys = keys.sort_values(["platform", "reporter_id"]).reset_index(drop=True)
    node = {k: i for i, k in enumerate(zip(keys["platform"], keys["reporter_id"], strict=True))}
    src = [node[k] for k in zip(edges["platform"], edges["a"], strict=True)]
    dst = [node[k] for k in zip(edges["platform"], edges["b"], strict=True)]
    graph = ig.Graph(n=len(keys), edges=list(zip(src, dst, strict=True)), directed=False)
    graph.es["weight"] = edges["n_co"].astype(float).tolist()
    part = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=float(resolution),
        seed=int(seed),
        n_iterations=-1,
    )
    keys["community"] = _merge_dense(
        np.asarray(part.membership, dtype=np.int64), np.asarray(src), np.asarray(dst)
    )
    sizes = keys.groupby("community")["reporter_id"].agg(["size", "min"])
    keys = keys.join(sizes, on="community")
    keys = keys[keys["size"] >= int(min_reporters)]
    if keys.empty:
        return pd.DataFrame({"campaign_id": [], "platform": [], "reporter_id": []})
    order = (
        keys.drop_duplicates("community")
        .sort_values(["platform", "size", "min"], ascending=[True, False, True])
        .reset_index(drop=True)
    )
    order["n"] = order.groupby("platform").cumcount() + 1
    order["campaign_id"] = [
        f"{p}:rc{n:04d}" for p, n in zip(order["platform"], order["n"], strict=True)
    ]
    keys = keys.merge(order[["community", "campaign_id"]], on="community")
    return (
        keys[["campaign_id", "platform", "reporter_id"]]
        .sort_values(["campaign_id", "reporter_id"])
        .reset_index(drop=True)
    )


def _merge_dense(membership: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Join communities whose members are linked across at :data:`MERGE_DENSITY` or more of
    their possible pairs (modularity splits a near-clique along chance differences in weights:
    a brigade whose members all co-report is one campaign)."""
    sizes = np.bincount(membership)
    ca, cb = membership[src], membership[dst]
    cross = ca != cb
    if not cross.any():
        return membership
    lo, hi = np.minimum(ca[cross], cb[cross]), np.maximum(ca[cross], cb[cross])
    pairs, counts = np.unique(np.stack([lo, hi], axis=1), axis=0, return_counts=True)
    parent = list(range(len(sizes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (a, b), n in zip(pairs.tolist(), counts.tolist(), strict=True):
        if n >= MERGE_DENSITY * sizes[a] * sizes[b]:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(int(c)) for c in membership], dtype=np.int64)


def campaign_reports(con, members: pd.DataFrame, window_ms: int) -> pd.DataFrame:
    """Every report of every campaign, with its wave: ``campaign_id, platform, report_id,
    reporter_id, target, target_account_id, target_post_id, created_at, t, reason, comment,
    client, wave`` (``wave`` numbers the campaign's waves in time order, from 1).

    Also leaves the members (``_fwr_members``) and these reports (``_fwr_campaign_reports``) in
    temp tables for the signals."""
    con.register("_fwr_members_df", members)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {MEMBERS} AS SELECT * FROM _fwr_members_df")
    finally:
        con.unregister("_fwr_members_df")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {CAMPAIGN_REPORTS} AS
        WITH targets AS (
            SELECT DISTINCT ma.campaign_id, p.platform, p.target
            FROM {PAIRS} p
            JOIN {MEMBERS} ma ON ma.platform = p.platform AND ma.reporter_id = p.a
            JOIN {MEMBERS} mb ON mb.platform = p.platform AND mb.reporter_id = p.b
                             AND mb.campaign_id = ma.campaign_id),
        rep AS (
            SELECT t.campaign_id, r.*
            FROM {REPORTS} r
            JOIN {MEMBERS} m ON m.platform = r.platform AND m.reporter_id = r.reporter_id
            JOIN targets t ON t.campaign_id = m.campaign_id AND t.platform = r.platform
                          AND t.target = r.target),
        gaps AS (
            SELECT *, CASE WHEN t - lag(t) OVER w > {int(window_ms)} OR lag(t) OVER w IS NULL
                           THEN 1 ELSE 0 END AS starts
            FROM rep
            WINDOW w AS (PARTITION BY campaign_id, target ORDER BY t, report_id)),
        runs AS (
            SELECT *, sum(starts) OVER (PARTITION BY campaign_id, target ORDER BY t, report_id
                                        ROWS UNBOUNDED PRECEDING) AS run
            FROM gaps)
        SELECT * EXCLUDE (starts, run),
               dense_rank() OVER (PARTITION BY campaign_id
                                  ORDER BY first_t, target) AS wave
        FROM (SELECT *, min(t) OVER (PARTITION BY campaign_id, target, run) AS first_t FROM runs)
        """
    )
    return con.execute(
        f"SELECT * EXCLUDE (first_t) FROM {CAMPAIGN_REPORTS} ORDER BY campaign_id, t, report_id"
    ).df()
