"""Synchronised activity: accounts whose posting schedules look alike, whatever they post.

Only original posts count (not reposts, replies or quotes): reactions follow what they react
to, so counting them would tie every amplifier to the account it amplifies (fans to their star)
and repeat what ``co_repost`` and ``co_reply`` already measure. What is left is the schedule:
bots on one clock, operators posting in the same shifts.

Every account with at least ``min_posts`` original posts gets a vector of its posts per time bin
(``bin_ms``, 10 minutes by default) over the whole data, each bin weighted by its IDF
``ln(N / n_bin)`` (a bin in which everyone posts, such as a breaking-news minute, says little).
Two accounts are linked by the cosine similarity of their vectors, computed from the bins they
share (a self-join on the bin, DuckDB); bins with more than ``max_bin_accounts`` active accounts
are left out, like viral targets. Only top pairs are kept: each account's ``top_k`` most similar
accounts, sharing at least ``min_shared`` bins.

The null model shifts each account's whole timeline circularly by a seeded offset, which keeps
its rhythm (a bot posting every 30 minutes still does) but not its phase.

Evidence of a sync edge is pairs of posts in shared bins (the first post of each account in the
bin), from the rarest bins; they are within one bin of each other, not within the co-action
window.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from flockwatch.detect.coordination.actions import EVIDENCE_SAMPLE, NODES

SYNC_ACT = "_fwc_sync_act"


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


def sync_edges_sql(params: SyncParams, *, shifted: bool) -> str:
    """SQL of sync edges: ``pl, a, b, weight, n_actions, first_t, last_t, evidence``.

    ``shifted`` gives the null model (each account's bins rotated by a seeded offset).
    """
    b = int(params.bin_ms)
    bin_expr = "bin"
    if shifted:
        bin_expr = (
            f"r.lo + ((bin - r.lo + (hash({int(params.seed)}, node) % r.span)::BIGINT) % r.span)"
        )
    return f"""
        WITH rng AS (SELECT pl, min(bin) AS lo, max(bin) - min(bin) + 1 AS span
                     FROM {SYNC_ACT} GROUP BY pl),
        act AS (SELECT s.pl, s.node, {bin_expr} AS bin, s.c, s.post_id
                FROM {SYNC_ACT} s JOIN rng r USING (pl)),
        tot AS (SELECT pl, count(DISTINCT node) AS n_acc FROM act GROUP BY pl),
        bins AS (SELECT pl, bin, count(*) AS n FROM act GROUP BY pl, bin),
        v AS (SELECT a.pl, a.node, a.bin, a.post_id, bins.n,
                     a.c * ln(tot.n_acc / bins.n) AS v
              FROM act a JOIN bins USING (pl, bin) JOIN tot USING (pl)
              WHERE bins.n <= {int(params.max_bin_accounts)}),
        norms AS (SELECT pl, node, sqrt(sum(v * v)) AS norm FROM v GROUP BY pl, node),
        dots AS (
            SELECT x.pl, x.node AS a, y.node AS b, sum(x.v * y.v) AS dot,
                   count(*)::BIGINT AS shared, min(x.bin) AS first_bin, max(x.bin) AS last_bin,
                   arg_min([x.post_id, y.post_id], struct_pack(n := x.n, bin := x.bin),
                           {EVIDENCE_SAMPLE}) AS evidence
            FROM v x JOIN v y ON x.pl = y.pl AND x.bin = y.bin AND x.node < y.node
            WHERE x.n >= 2 GROUP BY x.pl, x.node, y.node
            HAVING count(*) >= {int(params.min_shared)}),
        cos AS (
            SELECT d.*, d.dot / (na.norm * nb.norm) AS cosine
            FROM dots d JOIN norms na ON na.pl = d.pl AND na.node = d.a
                        JOIN norms nb ON nb.pl = d.pl AND nb.node = d.b
            WHERE na.norm > 0 AND nb.norm > 0),
        ends AS (SELECT pl, a AS u, b AS o, cosine FROM cos
                 UNION ALL SELECT pl, b AS u, a AS o, cosine FROM cos),
        top AS (SELECT DISTINCT pl, least(u, o) AS a, greatest(u, o) AS b FROM ends
                QUALIFY row_number() OVER (PARTITION BY pl, u ORDER BY cosine DESC, o)
                        <= {int(params.top_k)})
        SELECT c.pl, c.a, c.b, least(c.cosine, 1.0) AS weight, c.shared AS n_actions,
               c.shared AS n_targets, c.first_bin * {b} AS first_t,
               (c.last_bin + 1) * {b} AS last_t, c.evidence
        FROM cos c SEMI JOIN top t ON c.pl = t.pl AND c.a = t.a AND c.b = t.b
    """
