"""The canonical store: one DuckDB file holding every source mapped onto the same tables.

Readers never write canonical tables directly. They fill ``stg_<table>`` staging tables (temporary,
same columns) and :meth:`Store.merge_staging` folds them in, so that re-ingesting a file stores
nothing twice and an updated export adds only what is new (new snapshots, new posts, later values).
The merge is plain SQL (``MERGE INTO``) so the same logic can later run on Spark.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from flockwatch.errors import ParameterError, StoreError, StoreVersionError

SCHEMA_VERSION = "1"
DEFAULT_DB = "flockwatch.duckdb"

#: Canonical tables and the columns that identify one of their rows. A re-ingested row with the same
#: key is merged, never duplicated.
KEYS: dict[str, tuple[str, ...]] = {
    "accounts": ("platform", "account_id"),
    "account_snapshots": ("platform", "account_id", "observed_at"),
    "posts": ("platform", "post_id"),
    "follows": ("platform", "follower_id", "followee_id"),
    "reports": ("platform", "report_id"),
    "groups": ("platform", "group_id"),
    "memberships": ("platform", "group_id", "account_id"),
    "likes": ("platform", "like_id"),
    "blocks": ("platform", "blocker_id", "blocked_id"),
    "deletions": ("platform", "record_id"),
    "post_snapshots": ("platform", "post_id", "observed_at"),
}
CANONICAL_TABLES: tuple[str, ...] = tuple(KEYS)
BOOKKEEPING_TABLES: tuple[str, ...] = ("ingests", "rejected_rows")


def _schema_sql() -> str:
    return resources.files("flockwatch.store").joinpath("schema.sql").read_text("utf-8")


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """The store path: ``db`` if given, else ``$FLOCKWATCH_DB``, else ``./flockwatch.duckdb``."""
    if db:
        return Path(db)
    return Path(os.environ.get("FLOCKWATCH_DB") or DEFAULT_DB)


#: Memory limit of ingest when ``$FLOCKWATCH_MEMORY_LIMIT`` is not set: DuckDB spills to disk
#: beyond it, which keeps ingest memory bounded on any file size.
INGEST_MEMORY_LIMIT = "1GB"


def memory_limit(default: str | None = None) -> str | None:
    """DuckDB's memory limit for a command: ``$FLOCKWATCH_MEMORY_LIMIT`` if set, else
    ``default`` (``None``: DuckDB's own, 80 % of the machine's memory)."""
    return os.environ.get("FLOCKWATCH_MEMORY_LIMIT") or default


class Store:
    """An open flockwatch store.

    Parameters
    ----------
    path:
        DuckDB file; created with the current schema when it does not exist. ``":memory:"`` gives
        a store that lives only as long as the object (tests).
    read_only:
        Open without creating or changing anything.
    memory_limit:
        DuckDB memory limit (e.g. ``"1GB"``); DuckDB spills to disk beyond it.

    Examples
    --------
    >>> store = Store(":memory:")
    >>> store.count("posts")
    0
    """

    def __init__(
        self,
        path: str | os.PathLike = ":memory:",
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
    ) -> None:
        self.path = str(path)
        if self.path != ":memory:" and read_only and not Path(self.path).exists():
            raise StoreError(f"store {self.path} does not exist: ingest some files first")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self.con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            try:
                self.con.execute(f"SET memory_limit = '{memory_limit.replace(chr(39), '')}'")
            except duckdb.Error as exc:
                self.con.close()
                raise ParameterError(
                    f"memory limit {memory_limit!r} (FLOCKWATCH_MEMORY_LIMIT) is not a size "
                    f"DuckDB understands, such as 500MB or 4GB: {str(exc).splitlines()[0]}"
                ) from exc
        self._check_or_create_schema(read_only)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_or_create_schema(self, read_only: bool) -> None:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()[0]
        if has_meta:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            found = row[0] if row else "unknown"
            if found != SCHEMA_VERSION:
                raise StoreVersionError(self.path, found, SCHEMA_VERSION)
            if not read_only:
                # Tables and nullable columns added within this schema version (all statements
                # are "IF NOT EXISTS": nothing changes on an up-to-date store).
                self.con.execute(_schema_sql())
            return
        n_tables = self.con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
        if n_tables:
            raise StoreError(
                f"{self.path} is a DuckDB file but not a flockwatch store (no meta table)"
            )
        if read_only:
            raise StoreError(f"store {self.path} is empty: ingest some files first")
        self.con.execute(_schema_sql())
        self.con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?), ('created_by', 'flockwatch')",
            [SCHEMA_VERSION],
        )

    # -- small reads -------------------------------------------------------------------------
    def count(self, table: str) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    def columns(self, table: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    # -- staging and merge -------------------------------------------------------------------
    def create_staging(self) -> None:
        """(Re)create empty ``stg_<table>`` temp tables shaped like the canonical ones."""
        for table in CANONICAL_TABLES:
            self.con.execute(f"DROP TABLE IF EXISTS stg_{table}")
            self.con.execute(f"CREATE TEMP TABLE stg_{table} AS SELECT * FROM {table} LIMIT 0")
            self.con.execute(f"ALTER TABLE stg_{table} ADD COLUMN _seq BIGINT")
        self.con.execute("DROP TABLE IF EXISTS stg_rejected_rows")
        self.con.execute(
            "CREATE TEMP TABLE stg_rejected_rows AS SELECT * FROM rejected_rows LIMIT 0"
        )

    def drop_staging(self) -> None:
        for table in (*CANONICAL_TABLES, "rejected_rows"):
            self.con.execute(f"DROP TABLE IF EXISTS stg_{table}")

    def merge_staging(self, sources: dict[str, str] | None = None) -> dict[str, int]:
        """Fold the staging tables into the canonical ones; return new rows per table.

        ``sources`` maps an insert-only table to a SELECT that a SQL reader gives instead of
        filling ``stg_<table>`` (it saves a copy of millions of rows); its columns are a subset
        of the table's plus ``_seq``.
        """
        sources = sources or {}
        added: dict[str, int] = {}
        self.con.execute("INSERT INTO rejected_rows SELECT * FROM stg_rejected_rows ORDER BY line")
        for table in CANONICAL_TABLES:
            if table in sources:
                if table not in _INSERT_ONLY:
                    raise ValueError(
                        f"a source query can only feed an insert-only table, not {table}"
                    )
            elif not self.con.execute(f"SELECT count(*) FROM stg_{table}").fetchone()[0]:
                added[table] = 0
                continue
            before = self.count(table)
            if table in _INSERT_ONLY:
                if table == "posts" and before:
                    self._complete_stub_posts()
                self.con.execute(_insert_only_sql(self, table, before == 0, sources.get(table)))
            else:
                self.con.execute(_merge_sql(table, self.columns(table)))
            added[table] = self.count(table) - before
        self._apply_deletions()
        return added

    def _complete_stub_posts(self) -> None:
        """A stub post (known only from its deletion, ``extra.stub`` set) takes the content of a
        later observation of the same post; its ``deleted_at`` stays."""
        if not self.con.execute(
            f"SELECT count(*) FROM stg_posts WHERE {_NOT_STUB.format(t='stg_posts')}"
        ).fetchone()[0]:
            return
        cols = [c for c in self.columns("posts") if c not in ("platform", "post_id", "deleted_at")]
        sets = ", ".join(f"{c} = s.{c}" for c in cols)
        self.con.execute(
            f"UPDATE posts SET {sets} FROM (SELECT * FROM stg_posts "
            f"WHERE {_NOT_STUB.format(t='stg_posts')} "
            "QUALIFY row_number() OVER (PARTITION BY platform, post_id ORDER BY _seq) = 1) s "
            "WHERE posts.platform = s.platform AND posts.post_id = s.post_id "
            # stubs always carry deleted_at: that test skips most of the table cheaply
            f"AND posts.deleted_at IS NOT NULL AND NOT {_NOT_STUB.format(t='posts')}"
        )

    def _apply_deletions(self) -> None:
        """Mark the posts, likes, follows and blocks that a stored deletion names (in whatever
        order the creation and the deletion were ingested); nothing is ever removed."""
        if not self.con.execute("SELECT count(*) FROM deletions").fetchone()[0]:
            return
        for table, column in _DELETABLE.items():
            self.con.execute(
                f"UPDATE {table} SET deleted_at = d.deleted_at FROM deletions d "
                f"WHERE {table}.platform = d.platform AND {table}.{column} = d.record_id "
                f"AND {table}.deleted_at IS NULL"
            )


# Tables whose rows, once stored, are never changed by a later ingest (evidence stays as first seen).
_INSERT_ONLY = (
    "posts",
    "account_snapshots",
    "reports",
    "memberships",
    "likes",
    "deletions",
    "post_snapshots",
)
#: Tables whose rows a stored deletion can mark, and the column holding the deleted record's id.
_DELETABLE = {"posts": "post_id", "likes": "like_id", "follows": "record_id", "blocks": "record_id"}
#: Relations (who -> whom) that keep their earliest observation; a relation withdrawn and made
#: again later (an unfollow, then a new follow record) is active again.
_RELATIONS = {"follows": ("follower_id", "followee_id"), "blocks": ("blocker_id", "blocked_id")}
#: True for a post row that is not a stub (see Store._complete_stub_posts).
_NOT_STUB = "json_extract_string({t}.extra, '$.stub') IS NULL"


def _insert_only_sql(
    store: Store, table: str, empty_target: bool, source_sql: str | None = None
) -> str:
    """INSERT of the staged rows not yet stored; the window that drops duplicate keys within the
    staged rows runs only when there are some (it is the costly part on millions of rows)."""
    key = KEYS[table]
    part = ", ".join(key)
    cols = store.columns(table)
    staged = f"stg_{table}"
    if source_sql:  # UNION BY NAME with the (typed) staging table fills missing columns with NULL
        staged = f"(SELECT * FROM stg_{table} UNION ALL BY NAME {source_sql})"
    dup = store.con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {staged} GROUP BY {part} HAVING count(*) > 1)"
    ).fetchone()[0]
    # A post staged both as a stub and in full keeps the full row.
    order = f"NOT {_NOT_STUB.format(t='x')}, _seq" if table == "posts" else "_seq"
    source = (
        f"(SELECT * FROM {staged} x QUALIFY row_number() OVER (PARTITION BY {part} ORDER BY {order}) = 1)"
        if dup
        else staged
    )
    select = f"SELECT {', '.join(f's.{c}' for c in cols)} FROM {source} s"
    if not empty_target:
        on = " AND ".join(f"t.{k} = s.{k}" for k in key)
        select += f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})"
    return f"INSERT INTO {table} ({', '.join(cols)}) {select}"


# Order of observations of one account: by observation time, then by position in the input.
_LATEST = "struct_pack(t := coalesce(last_seen_at, TIMESTAMP '1970-01-01'), s := _seq)"


def _merge_sql(table: str, cols: list[str]) -> str:
    key = KEYS[table]
    on = " AND ".join(f"t.{k} = s.{k}" for k in key)
    insert_cols = ", ".join(cols)
    insert_vals = ", ".join(f"s.{c}" for c in cols)
    part = ", ".join(key)
    if table == "accounts":
        # One row per account from the staging rows: the latest non-null value of every field.
        aggs = []
        for c in cols:
            if c in key:
                aggs.append(c)
            elif c == "first_seen_at":
                aggs.append("min(first_seen_at) AS first_seen_at")
            elif c == "last_seen_at":
                aggs.append("max(last_seen_at) AS last_seen_at")
            else:
                aggs.append(f"arg_max({c}, {_LATEST}) FILTER (WHERE {c} IS NOT NULL) AS {c}")
        source = f"(SELECT {', '.join(aggs)} FROM stg_accounts GROUP BY {part})"
        newer = (
            "coalesce(s.last_seen_at, TIMESTAMP '1970-01-01') >= "
            "coalesce(t.last_seen_at, TIMESTAMP '1970-01-01')"
        )
        sets = []
        for c in cols:
            if c in key or c == "ingest_id":
                continue
            if c == "first_seen_at":
                sets.append("first_seen_at = least(t.first_seen_at, s.first_seen_at)")
            elif c == "last_seen_at":
                sets.append("last_seen_at = greatest(t.last_seen_at, s.last_seen_at)")
            elif c == "extra":
                sets.append(
                    f"extra = CASE WHEN {newer} THEN json_merge_patch(coalesce(t.extra, '{{}}'), "
                    "coalesce(s.extra, '{}')) ELSE json_merge_patch(coalesce(s.extra, '{}'), "
                    "coalesce(t.extra, '{}')) END"
                )
            else:
                sets.append(
                    f"{c} = CASE WHEN {newer} THEN coalesce(s.{c}, t.{c}) ELSE coalesce(t.{c}, s.{c}) END"
                )
        # ingest_id, in this table, is the ingest that first brought the account in.
        return (
            f"MERGE INTO accounts t USING {source} s ON {on} "
            f"WHEN MATCHED THEN UPDATE SET {', '.join(sets)} "
            f"WHEN NOT MATCHED THEN INSERT ({insert_cols}) VALUES ({insert_vals})"
        )
    if table == "groups":
        source = f"(SELECT * EXCLUDE (_seq) FROM stg_groups QUALIFY row_number() OVER (PARTITION BY {part} ORDER BY _seq DESC) = 1)"
        sets = ", ".join(
            f"{c} = coalesce(s.{c}, t.{c})" for c in cols if c not in key and c != "ingest_id"
        )
        return (
            f"MERGE INTO groups t USING {source} s ON {on} "
            f"WHEN MATCHED THEN UPDATE SET {sets} "
            f"WHEN NOT MATCHED THEN INSERT ({insert_cols}) VALUES ({insert_vals})"
        )
    if table in _RELATIONS:
        # A follow (or block) seen again keeps the earliest time it was observed, and the id of
        # its latest record. One observed after it was withdrawn is active again.
        a, b = _RELATIONS[table]
        source = (
            f"(SELECT platform, {a}, {b}, min(observed_at) AS observed_at, "
            "max(observed_at) AS _last, "
            "arg_max(record_id, coalesce(observed_at, TIMESTAMP '1970-01-01')) "
            "FILTER (WHERE record_id IS NOT NULL) AS record_id, "
            f"max(deleted_at) AS deleted_at, min(ingest_id) AS ingest_id FROM stg_{table} "
            f"GROUP BY platform, {a}, {b})"
        )
        revive = "(t.deleted_at IS NOT NULL AND s._last > t.deleted_at)"
        changed = (
            "(s.observed_at < t.observed_at OR (t.observed_at IS NULL AND s.observed_at IS NOT NULL)"
            " OR (t.record_id IS NULL AND s.record_id IS NOT NULL)"
            f" OR (t.deleted_at IS NULL AND s.deleted_at IS NOT NULL) OR {revive})"
        )
        return (
            f"MERGE INTO {table} t USING {source} s ON {on} "
            f"WHEN MATCHED AND {changed} THEN UPDATE SET "
            "observed_at = least(t.observed_at, s.observed_at), "
            f"record_id = CASE WHEN {revive} OR t.record_id IS NULL "
            "THEN coalesce(s.record_id, t.record_id) ELSE t.record_id END, "
            f"deleted_at = CASE WHEN {revive} THEN s.deleted_at "
            "ELSE coalesce(t.deleted_at, s.deleted_at) END "
            f"WHEN NOT MATCHED THEN INSERT ({insert_cols}) VALUES ({insert_vals})"
        )
    # Insert-only tables: the first observation of a post, report, snapshot or membership is kept
    # unchanged, as evidence.
    source = (
        f"(SELECT * EXCLUDE (_seq) FROM stg_{table} "
        f"QUALIFY row_number() OVER (PARTITION BY {part} ORDER BY _seq) = 1)"
    )
    return (
        f"MERGE INTO {table} t USING {source} s ON {on} "
        f"WHEN NOT MATCHED THEN INSERT ({insert_cols}) VALUES ({insert_vals})"
    )
