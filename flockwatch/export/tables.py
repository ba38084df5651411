"""What each ``flockwatch export TABLE`` contains: one SQL query per export over the store.

Every export is a query, so it runs in DuckDB (and later Spark) without pulling rows into Python;
:func:`write` copies its result to a file whose format comes from the extension.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flockwatch.errors import ParameterError
from flockwatch.export.coordination import clusters_sql, edges_sql
from flockwatch.export.fake_followers import audits_sql, pools_sql
from flockwatch.export.impersonation import impersonations_sql
from flockwatch.export.mass_reporting import discounted_reports_sql, report_campaigns_sql
from flockwatch.export.takedown import takedown_sql
from flockwatch.store.db import Store

FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "jsonl"}


def _has_table(store: Store, name: str) -> bool:
    return bool(
        store.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()[0]
    )


def accounts_sql(store: Store) -> str:
    """One row per account: profile, counts, bot score with its explanation, activity flags,
    coordination cluster and role (core or amplifier; empty when not in a cluster)."""
    return """
    WITH bot AS (
        SELECT platform, subject_id AS account_id, score AS bot_score, explanation AS bot_explanation,
               json_extract_string(details, '$.variant') AS bot_variant
        FROM latest_findings WHERE detector = 'bot_score' AND subject_kind = 'account'),
    act AS (
        SELECT platform, subject_id AS account_id,
               string_agg(label || ' (' || round(score, 2) || ')', '; ' ORDER BY score DESC) AS flags,
               max(score) AS activity_score
        FROM latest_findings WHERE detector = 'activity' AND subject_kind = 'account'
        GROUP BY ALL),
    cohort AS (
        SELECT platform, unnest(json_extract_string(evidence, '$.accounts[*]')) AS account_id,
               'creation_burst ' || subject_id AS flag
        FROM latest_findings WHERE detector = 'activity' AND subject_kind = 'cohort'),
    cohorts AS (SELECT platform, account_id, string_agg(flag, '; ') AS flags FROM cohort GROUP BY ALL),
    coord AS (
        SELECT platform, subject_id AS account_id,
               json_extract_string(details, '$.cluster_id') AS cluster_id,
               label AS coordination_role
        FROM latest_findings WHERE detector = 'coordination' AND subject_kind = 'account')
    SELECT a.platform, a.account_id, a.screen_name, a.display_name, a.created_at, a.verified,
           a.followers_count, a.following_count, a.posts_count,
           round(bot.bot_score, 4) AS bot_score, bot.bot_explanation, bot.bot_variant,
           round(act.activity_score, 4) AS activity_score,
           nullif(concat_ws('; ', act.flags, cohorts.flags), '') AS activity_flags,
           coord.cluster_id, coord.coordination_role,
           a.first_seen_at, a.last_seen_at
    FROM accounts a
    LEFT JOIN bot USING (platform, account_id)
    LEFT JOIN act USING (platform, account_id)
    LEFT JOIN cohorts USING (platform, account_id)
    LEFT JOIN coord USING (platform, account_id)
    ORDER BY bot.bot_score DESC NULLS LAST, a.platform, a.account_id
    """


def findings_sql(store: Store) -> str:
    return """
    SELECT finding_id, run_id, detector, detector_version, subject_kind, subject_id, platform,
           round(score, 4) AS score, label, explanation, evidence::VARCHAR AS evidence,
           details::VARCHAR AS details, params::VARCHAR AS params, created_at
    FROM latest_findings ORDER BY detector, score DESC, subject_id
    """


def _plain(table: str) -> Callable[[Store], str]:
    def sql(store: Store) -> str:
        return f"SELECT * EXCLUDE (ingest_id) FROM {table}"

    sql.__doc__ = f"The {table} table as stored."
    return sql


EXPORTS: dict[str, Callable[[Store], str]] = {
    "accounts": accounts_sql,
    "posts": _plain("posts"),
    "follows": _plain("follows"),
    "reports": _plain("reports"),
    "snapshots": _plain("account_snapshots"),
    "groups": _plain("groups"),
    "memberships": _plain("memberships"),
    "findings": findings_sql,
    "clusters": clusters_sql,
    "edges": edges_sql,
}


EXPORTS["takedown"] = takedown_sql
EXPORTS["audits"] = audits_sql
EXPORTS["pools"] = pools_sql
EXPORTS["impersonations"] = impersonations_sql
EXPORTS["report_campaigns"] = report_campaigns_sql
EXPORTS["discounted_reports"] = discounted_reports_sql


def register_export(name: str, sql: Callable[[Store], str]) -> None:
    """Add an export (detectors add theirs: clusters, edges, audits...)."""
    EXPORTS[name] = sql


def write(store: Store, name: str, out: str | Path, **options: object) -> int:
    """Write export ``name`` to ``out`` (format from the extension); return the row count.

    ``options`` go to the export's query function (e.g. ``min_score`` for ``takedown``)."""
    if name not in EXPORTS:
        raise ParameterError(f"no export named {name!r}; known: {', '.join(sorted(EXPORTS))}")
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ParameterError(
            f"--out {out}: the extension must be one of {', '.join(FORMATS)} to choose the format"
        )
    query = EXPORTS[name](store, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    rel = f"({query})"
    options = {
        "csv": "FORMAT csv, HEADER true",
        "parquet": "FORMAT parquet",
        "json": "FORMAT json, ARRAY true",
        "jsonl": "FORMAT json",
    }[fmt]
    store.con.execute(f"COPY {rel} TO '{_sq(str(out))}' ({options})")
    return store.con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]


def _sq(text: str) -> str:
    return text.replace("'", "''")
