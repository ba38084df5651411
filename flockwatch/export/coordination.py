"""The coordination exports: ``clusters`` (one row per cluster of the latest run) and ``edges``
(the kept links of the latest run, with a sample of the post-id pairs behind each)."""

from __future__ import annotations

from flockwatch.store.db import Store

#: The side table the ``coordination`` detector's runs append to (see detect.coordination).
EDGES_TABLE = "coordination_edges"

EDGE_COLUMNS = (
    "account_a",
    "account_b",
    "network",
    "weight",
    "n_actions",
    "first_at",
    "last_at",
    "evidence",
)


def _list(path: str) -> str:
    return f"array_to_string(CAST(json_extract(details, '{path}') AS VARCHAR[]), ', ')"


def clusters_sql(store: Store) -> str:
    """One row per cluster of the latest ``coordination`` run, most inauthentic first: size,
    roles, score with its explanation, what it pushes, when it was active."""
    return f"""
    SELECT subject_id AS cluster_id,
           CAST(json_extract(details, '$.size') AS BIGINT) AS size,
           CAST(json_extract(details, '$.n_core') AS BIGINT) AS n_core,
           CAST(json_extract(details, '$.n_amplifier') AS BIGINT) AS n_amplifier,
           round(score, 4) AS inauthenticity_score,
           explanation,
           {_list("$.top_hashtags")} AS top_hashtags,
           {_list("$.top_mentions")} AS top_mentions,
           {_list("$.top_domains")} AS top_domains,
           CAST(json_extract_string(details, '$.first_seen') AS TIMESTAMP) AS first_seen,
           CAST(json_extract_string(details, '$.last_seen') AS TIMESTAMP) AS last_seen
    FROM latest_findings WHERE detector = 'coordination' AND subject_kind = 'cluster'
    ORDER BY score DESC, size DESC, cluster_id
    """


def edges_sql(store: Store) -> str:
    """The links of the latest ``coordination`` run: one row per pair of accounts and network,
    ``account_a < account_b``; ``evidence`` is a JSON list of ``[post of a, post of b]`` pairs
    (a sample: all of them come from ``flockwatch.detect.coordination.edge_evidence``)."""
    cols = ", ".join(EDGE_COLUMNS)
    exists = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [EDGES_TABLE]
    ).fetchall()[0][0]
    if not exists:
        return (
            "SELECT NULL::VARCHAR AS account_a, NULL::VARCHAR AS account_b, "
            "NULL::VARCHAR AS network, NULL::DOUBLE AS weight, NULL::BIGINT AS n_actions, "
            "NULL::TIMESTAMP AS first_at, NULL::TIMESTAMP AS last_at, "
            "NULL::VARCHAR AS evidence WHERE false"
        )
    return f"""
    SELECT {cols} FROM {EDGES_TABLE}
    WHERE run_id = (SELECT arg_max(run_id, finished_at) FROM detector_runs
                    WHERE detector = 'coordination' AND status = 'ok')
    ORDER BY network, weight DESC, account_a, account_b
    """
