"""The co-reporting network, in DuckDB: reporters who report the same target within a window,
repeatedly.

Each report is resolved to a *target*: its ``target_account_id``, else the author of its
``target_post_id`` (from ``posts``), else the post itself (``post:<id>``). Two reports by two
reporters *co-occur* when they hit the same target at most ``window`` apart. The self-join is
bucketed, as in :mod:`flockwatch.detect.coordination.actions`: with bucket width ``window``,
co-occurring reports fall in the same bucket ``floor(t / window)`` or in adjacent ones, so each
report is joined on ``(platform, target, bucket)`` with the reports of its own bucket and of the
next (two hash joins) and only then filtered on the exact gap; a plain ``|t1 - t2| <= window``
is a range join DuckDB cannot hash.

A target reported by more than ``max_target_reporters`` reporters (a genuine outcry over a
viral post) keeps a deterministic sample of them (the smallest ``hash(seed, target, reporter)``),
so pairs stay linear in the data; the number of sampled targets is reported.

Two reporters are linked when they co-reported on at least ``min_co_reports`` occasions: the
count is the smaller of the two reporters' numbers of distinct reports that met a report of the
other, so a burst of ten reports by one account against another's one report counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

# Temp relations (connection-local, dropped by drop_temp); the store itself is never written.
REPORTS = "_fwr_reports"
PAIRS = "_fwr_pairs"
TEMP_TABLES = (REPORTS, PAIRS, "_fwr_members", "_fwr_campaign_reports")


@dataclass(frozen=True)
class CoReportParams:
    window_ms: int
    min_co_reports: int
    max_target_reporters: int
    seed: int


def build_reports(con: duckdb.DuckDBPyConnection) -> int:
    """Temp table of usable reports (reporter, target and time known), with their target
    resolved; returns how many."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {REPORTS} AS
        WITH authors AS (
            SELECT platform, post_id, any_value(account_id) AS author
            FROM posts WHERE account_id IS NOT NULL GROUP BY ALL)
        SELECT r.platform, r.report_id, r.reporter_id,
               coalesce(r.target_account_id, a.author, 'post:' || r.target_post_id) AS target,
               coalesce(r.target_account_id, a.author) AS target_account_id,
               r.target_post_id, r.created_at, epoch_ms(r.created_at) AS t,
               r.reason, r.comment, r.client
        FROM reports r
        LEFT JOIN authors a ON r.target_account_id IS NULL AND a.platform = r.platform
             AND a.post_id = r.target_post_id
        WHERE r.reporter_id IS NOT NULL AND r.created_at IS NOT NULL
          AND coalesce(r.target_account_id, r.target_post_id) IS NOT NULL
          AND r.reporter_id IS DISTINCT FROM coalesce(r.target_account_id, a.author)
        QUALIFY row_number() OVER (PARTITION BY r.platform, r.report_id ORDER BY r.created_at) = 1
        """
    )
    return con.execute(f"SELECT count(*) FROM {REPORTS}").fetchall()[0][0]


def co_report_edges(con: duckdb.DuckDBPyConnection, p: CoReportParams) -> tuple[pd.DataFrame, int]:
    """Kept links ``platform, a, b, n_co, n_targets, first_t, last_t`` (``a < b``) and the
    number of targets whose reporters were sampled. Also leaves the co-occurring report pairs in
    the temp table ``_fwr_pairs`` (``platform, target, a, b, id_a, id_b``)."""
    w = int(p.window_ms)
    cap = int(p.max_target_reporters)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {PAIRS} AS
        WITH per AS (SELECT platform, target, count(DISTINCT reporter_id) AS n
                     FROM {REPORTS} GROUP BY ALL),
        kept AS (
            SELECT r.* FROM {REPORTS} r JOIN per USING (platform, target) WHERE per.n <= {cap}
            UNION ALL
            SELECT r.* FROM {REPORTS} r JOIN per USING (platform, target)
            SEMI JOIN (
                SELECT platform, target, reporter_id FROM (
                    SELECT DISTINCT r2.platform, r2.target, r2.reporter_id FROM {REPORTS} r2
                    JOIN per p2 USING (platform, target) WHERE p2.n > {cap})
                QUALIFY row_number() OVER (
                    PARTITION BY platform, target
                    ORDER BY hash({int(p.seed)}, target, reporter_id), reporter_id) <= {cap}
            ) s USING (platform, target, reporter_id)
            WHERE per.n > {cap}),
        r AS (SELECT platform, target, reporter_id, report_id, t, t // {w} AS bucket FROM kept),
        j AS (
            SELECT x.platform, x.target, x.reporter_id AS ra, y.reporter_id AS rb,
                   x.report_id AS ia, y.report_id AS ib, x.t AS ta, y.t AS tb
            FROM r x JOIN r y ON x.platform = y.platform AND x.target = y.target
                             AND x.bucket = y.bucket
            WHERE x.reporter_id < y.reporter_id AND abs(x.t - y.t) <= {w}
            UNION ALL
            SELECT x.platform, x.target, x.reporter_id, y.reporter_id, x.report_id, y.report_id,
                   x.t, y.t
            FROM r x JOIN r y ON x.platform = y.platform AND x.target = y.target
                             AND y.bucket = x.bucket + 1
            WHERE x.reporter_id <> y.reporter_id AND y.t - x.t <= {w})
        SELECT platform, target,
               least(ra, rb) AS a, greatest(ra, rb) AS b,
               CASE WHEN ra < rb THEN ia ELSE ib END AS id_a,
               CASE WHEN ra < rb THEN ib ELSE ia END AS id_b,
               least(ta, tb) AS t0, greatest(ta, tb) AS t1
        FROM j
        """
    )
    edges = con.execute(
        f"""
        SELECT platform, a, b,
               least(count(DISTINCT id_a), count(DISTINCT id_b)) AS n_co,
               count(DISTINCT target) AS n_targets,
               min(t0) AS first_t, max(t1) AS last_t
        FROM {PAIRS}
        GROUP BY platform, a, b
        HAVING least(count(DISTINCT id_a), count(DISTINCT id_b)) >= {int(p.min_co_reports)}
        ORDER BY platform, a, b
        """
    ).df()
    sampled = con.execute(
        f"SELECT count(*) FROM (SELECT platform, target FROM {REPORTS} GROUP BY ALL "
        f"HAVING count(DISTINCT reporter_id) > {cap})"
    ).fetchall()[0][0]
    return edges, int(sampled)


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name in TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {name}")
