"""Named reads of the store, shared by the CLI, the report and the detectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flockwatch.store.db import BOOKKEEPING_TABLES, CANONICAL_TABLES, Store


@dataclass
class Status:
    """What a store holds: rows per table, platforms, time range, recent ingests, rejects."""

    path: str
    rows: dict[str, int]
    platforms: list[dict[str, Any]]
    first_at: datetime | None
    last_at: datetime | None
    ingests: list[dict[str, Any]]
    rejected: int


def status(store: Store, last_ingests: int = 10) -> Status:
    """Summarise ``store`` for ``flockwatch status``."""
    tables = [t for t in (*CANONICAL_TABLES, *BOOKKEEPING_TABLES)]
    extra = [t for t in ("findings", "detector_runs") if t in _tables(store)]
    rows = {t: store.count(t) for t in (*tables, *extra)}
    per_platform = store.con.execute(
        """
        WITH p AS (SELECT platform, 'accounts' AS t, count(*) AS n FROM accounts GROUP BY 1
                   UNION ALL SELECT platform, 'posts', count(*) FROM posts GROUP BY 1
                   UNION ALL SELECT platform, 'follows', count(*) FROM follows GROUP BY 1
                   UNION ALL SELECT platform, 'reports', count(*) FROM reports GROUP BY 1
                   UNION ALL SELECT platform, 'groups', count(*) FROM groups GROUP BY 1)
        SELECT platform,
               sum(n) FILTER (WHERE t = 'accounts') AS accounts,
               sum(n) FILTER (WHERE t = 'posts') AS posts,
               sum(n) FILTER (WHERE t = 'follows') AS follows,
               sum(n) FILTER (WHERE t = 'reports') AS reports,
               sum(n) FILTER (WHERE t = 'groups') AS groups
        FROM p GROUP BY platform ORDER BY platform
        """
    ).fetchall()
    platforms = [
        {
            "platform": r[0],
            "accounts": int(r[1] or 0),
            "posts": int(r[2] or 0),
            "follows": int(r[3] or 0),
            "reports": int(r[4] or 0),
            "groups": int(r[5] or 0),
        }
        for r in per_platform
    ]
    first_at, last_at = store.con.execute(
        "SELECT min(created_at), max(created_at) FROM posts"
    ).fetchone()
    ingest_rows = store.con.execute(
        "SELECT ingest_id, path, format, finished_at, rows_read, rows_stored, rows_rejected "
        "FROM ingests ORDER BY ingest_id DESC LIMIT ?",
        [last_ingests],
    ).fetchall()
    keys = [
        "ingest_id",
        "path",
        "format",
        "finished_at",
        "rows_read",
        "rows_stored",
        "rows_rejected",
    ]
    return Status(
        path=store.path,
        rows=rows,
        platforms=platforms,
        first_at=first_at,
        last_at=last_at,
        ingests=[dict(zip(keys, r, strict=True)) for r in ingest_rows],
        rejected=rows["rejected_rows"],
    )


def _tables(store: Store) -> set[str]:
    rows = store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}
