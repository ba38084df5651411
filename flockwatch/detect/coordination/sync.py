"""Synchronised activity: accounts whose posting schedules look alike, whatever they post.

Only original posts count (not reposts, replies or quotes): reactions follow what they react
to, so counting them would tie every amplifier to the account it amplifies (fans to their star)
and repeat what ``co_repost`` and ``co_reply`` already measure. What is left is the schedule:
bots on one clock, operators posting in the same shifts.

Every account with at least ``min_posts`` original posts gets a vector of its posts per time bin
(``bin_ms``, 10 minutes by default) over the whole data, each bin weighted by its IDF
``ln(1 + N / n_bin)`` (a bin in which everyone posts, such as a breaking-news minute, says little).
Two accounts are linked by the cosine similarity of their vectors; bins with more than
``max_bin_accounts`` active accounts are left out, like viral targets. Comparing every pair is
quadratic, so candidate pairs come from MinHash LSH on the accounts' sets of active bins and only
their cosines are computed (in SQL). Only top pairs are kept: each account's ``top_k`` most
similar accounts, sharing at least ``min_shared`` bins.

The null model shifts each account's whole timeline circularly by a seeded offset, which keeps
its rhythm (a bot posting every 30 minutes still does) but not its phase.

Evidence of a sync edge is pairs of posts in shared bins (the first post of each account in the
bin), from the rarest bins; they are within one bin of each other, not within the co-action
window.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from flockwatch.detect.coordination.actions import EVIDENCE_SAMPLE, NODES
from flockwatch.detect.coordination.textsim import (
    band_keys,
    fold64,
    lsh_bands,
    signatures,
    sorted_unique,
)

SYNC_ACT = "_fwc_sync_act"
SYNC_V = "_fwc_sync_v"
#: MinHash permutations for the candidate search over active-bin sets.
SYNC_NUM_PERM = 64
#: Jaccard similarity of active-bin sets around which LSH starts proposing pairs (recall-weighted:
#: every candidate's cosine is computed exactly afterwards).
SYNC_LSH_THRESHOLD = 0.3
#: Within an LSH bucket, each account is paired with this many next accounts (bounds the work
#: when thousands share a bucket; Leiden still joins them through the chain).
BUCKET_NEIGHBOURS = 10


@dataclass(frozen=True)
class SyncParams:
    bin_ms: int = 600_000
    min_posts: int = 10
    top_k: int = 5
    min_shared: int = 2
    max_bin_accounts: int = 500
    seed: int = 0


def build_activity(con: duckdb.DuckDBPyConnection, params: SyncParams) -> int:
    """Temp table of posts per (account, bin) for accounts with enough posts; returns accounts."""
    b = int(params.bin_ms)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {SYNC_ACT} AS
        WITH act AS (
            SELECT n.pl, n.node, epoch_ms(p.created_at) // {b} AS bin, count(*) AS c,
                   arg_min(p.post_id, struct_pack(t := epoch_ms(p.created_at), p := p.post_id))
                       AS post_id
            FROM posts p JOIN {NODES} n USING (platform, account_id)
            WHERE p.created_at IS NOT NULL AND coalesce(p.kind, 'post') = 'post' GROUP BY ALL)
        SELECT * FROM act WHERE (pl, node) IN (
            SELECT (pl, node) FROM act GROUP BY pl, node HAVING sum(c) >= {int(params.min_posts)})
        """
    )
    return con.execute(f"SELECT count(DISTINCT node) FROM {SYNC_ACT}").fetchall()[0][0]


def sync_edges(
    con: duckdb.DuckDBPyConnection, params: SyncParams, *, shifted: bool
) -> pd.DataFrame:
    """Sync edges: ``pl, a, b, weight (cosine), n_actions (shared bins), n_targets, first_t,
    last_t, evidence`` (JSON). ``shifted`` gives the null model (each account's bins rotated by
    a seeded offset).

    Candidates come from MinHash LSH on each account's set of shareable bins (bins with 2 to
    ``max_bin_accounts`` active accounts): within an LSH bucket each account is paired with the
    next :data:`BUCKET_NEIGHBOURS` accounts, so the work grows with the number of accounts, not
    its square. The cosine is then computed exactly for the candidates, in SQL.
    """
    _vectors(con, params, shifted)
    rows = con.execute(
        f"SELECT node, bin FROM {SYNC_V} WHERE n >= 2 ORDER BY node, bin"
    ).fetchnumpy()
    empty = pd.DataFrame(
        {
            c: []
            for c in (
                "pl",
                "a",
                "b",
                "weight",
                "n_actions",
                "n_targets",
                "first_t",
                "last_t",
                "evidence",
            )
        }
    )
    if not len(rows["node"]):
        return empty
    nodes, idx = np.unique(rows["node"].astype(np.int64), return_inverse=True)
    hashes = fold64(rows["bin"].astype(np.int64).astype(np.uint64))
    order = np.argsort(idx, kind="stable")
    sig = signatures(idx[order], hashes[order], len(nodes), SYNC_NUM_PERM, params.seed)
    cand = _candidates(sig, params.seed)
    if not len(cand):
        return empty
    pairs = pd.DataFrame({"a": nodes[cand[:, 0]], "b": nodes[cand[:, 1]]})
    con.register("_fwc_sync_cand_df", pairs)
    try:
        frame = con.execute(_cosine_sql(params)).df()
    finally:
        con.unregister("_fwc_sync_cand_df")
    con.execute(f"DROP TABLE IF EXISTS {SYNC_V}")
    return frame


def _vectors(con: duckdb.DuckDBPyConnection, params: SyncParams, shifted: bool) -> None:
    bin_expr = "bin"
    if shifted:
        bin_expr = (
            f"r.lo + ((bin - r.lo + (hash({int(params.seed)}, node) % r.span)::BIGINT) % r.span)"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {SYNC_V} AS
        WITH rng AS (SELECT pl, min(bin) AS lo, max(bin) - min(bin) + 1 AS span
                     FROM {SYNC_ACT} GROUP BY pl),
        act AS (SELECT s.pl, s.node, {bin_expr} AS bin, s.c, s.post_id
                FROM {SYNC_ACT} s JOIN rng r USING (pl)),
        tot AS (SELECT pl, count(DISTINCT node) AS n_acc FROM act GROUP BY pl),
        bins AS (SELECT pl, bin, count(*) AS n FROM act GROUP BY pl, bin)
        SELECT a.pl, a.node, a.bin, a.post_id, bins.n, a.c * ln(1 + tot.n_acc / bins.n) AS v
        FROM act a JOIN bins USING (pl, bin) JOIN tot USING (pl)
        WHERE bins.n <= {int(params.max_bin_accounts)}
        """
    )


def _candidates(sig: np.ndarray, seed: int) -> np.ndarray:
    """Candidate pairs (row indices, ``i < j``) from LSH buckets, each row paired with the next
    :data:`BUCKET_NEIGHBOURS` rows of its bucket."""
    bands, rows = lsh_bands(SYNC_LSH_THRESHOLD, SYNC_NUM_PERM)
    mult = np.random.default_rng(seed).integers(1, 2**63, rows, dtype=np.uint64) | 1
    out = []
    n = len(sig)
    keys = band_keys(sig, bands, rows, mult)
    for band in range(bands):
        key = keys[band]
        order = np.argsort(key, kind="stable")  # ties in row order
        sorted_key = key[order]
        for step in range(1, BUCKET_NEIGHBOURS + 1):
            same = sorted_key[step:] == sorted_key[:-step]
            if not same.any():
                break
            i, j = order[:-step][same], order[step:][same]
            # A pair packed in one int64 (i * n + j, i < j) sorts as the pair does.
            out.append(np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    packed = sorted_unique(np.concatenate(out))
    return np.column_stack([packed // n, packed % n])


def _cosine_sql(params: SyncParams) -> str:
    b = int(params.bin_ms)
    return f"""
        WITH cand AS (SELECT DISTINCT a, b FROM _fwc_sync_cand_df),
        norms AS (SELECT node, sqrt(sum(v * v)) AS norm FROM {SYNC_V} GROUP BY node),
        dots AS (
            SELECT x.pl, c.a, c.b, sum(x.v * y.v) AS dot, count(*)::BIGINT AS shared,
                   min(x.bin) AS first_bin, max(x.bin) AS last_bin,
                   arg_min([x.post_id, y.post_id], struct_pack(n := x.n, bin := x.bin),
                           {EVIDENCE_SAMPLE}) AS evidence
            FROM cand c JOIN {SYNC_V} x ON x.node = c.a
                        JOIN {SYNC_V} y ON y.node = c.b AND y.bin = x.bin AND y.pl = x.pl
            GROUP BY x.pl, c.a, c.b
            HAVING count(*) >= {int(params.min_shared)}),
        cos AS (
            SELECT d.*, d.dot / (na.norm * nb.norm) AS cosine
            FROM dots d JOIN norms na ON na.node = d.a JOIN norms nb ON nb.node = d.b
            WHERE na.norm > 0 AND nb.norm > 0),
        ends AS (SELECT a AS u, b AS o, cosine FROM cos
                 UNION ALL SELECT b AS u, a AS o, cosine FROM cos),
        top AS (SELECT DISTINCT least(u, o) AS a, greatest(u, o) AS b FROM ends
                QUALIFY row_number() OVER (PARTITION BY u ORDER BY cosine DESC, o)
                        <= {int(params.top_k)})
        SELECT c.pl, c.a, c.b, round(least(c.cosine, 1.0), 9) AS weight,
               c.shared AS n_actions, c.shared AS n_targets, c.first_bin * {b} AS first_t,
               (c.last_bin + 1) * {b} AS last_t, to_json(c.evidence)::VARCHAR AS evidence
        FROM cos c SEMI JOIN top t ON c.a = t.a AND c.b = t.b
    """
