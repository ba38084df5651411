"""Generic CSV and Parquet files with the canonical column names, one reader per table.

This is how any other source gets in: map its columns onto the names below (see the README's
"Generic CSV columns") and ingest. Columns that are not canonical are kept in ``extra`` (for tables
that have it). Lists (hashtags, mentions, urls, media) may be JSON/Python arrays or "a, b" / "a|b".
Times may be ISO 8601 with any offset, "YYYY-MM-DD HH:MM[:SS]" (UTC) or epoch seconds.
"""

from __future__ import annotations

from typing import ClassVar

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.csvscan import header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import lit, q, sql_bool, sql_int, sql_list, sql_str, sql_time
from flockwatch.store.db import KEYS

# The kind of every canonical column that is not plain text.
KINDS: dict[str, str] = {
    "created_at": "time",
    "observed_at": "time",
    "first_seen_at": "time",
    "last_seen_at": "time",
    "deleted_at": "time",
    "verified": "bool",
    "protected": "bool",
    "default_profile_image": "bool",
    "followers_count": "int",
    "following_count": "int",
    "posts_count": "int",
    "likes_count": "int",
    "listed_count": "int",
    "like_count": "int",
    "repost_count": "int",
    "reply_count": "int",
    "quote_count": "int",
    "members_count": "int",
    "hashtags": "list",
    "mentions": "list",
    "urls": "list",
    "media": "list",
}
_CONVERT = {"time": sql_time, "int": sql_int, "bool": sql_bool, "list": sql_list}
# Columns only an accounts file has, which tell it apart from a snapshots file.
_ACCOUNT_ONLY = {
    "created_at",
    "verified",
    "protected",
    "default_profile_image",
    "profile_image_url",
    "location",
    "url",
    "lang",
    "listed_count",
}


class GenericReader(Reader):
    """Base of the generic readers: ``table`` names the canonical table the file holds."""

    table: ClassVar[str]

    @property
    def primary_table(self) -> str:  # type: ignore[override]
        return self.table

    def columns_of(self, head: Head) -> set[str]:
        if head.data.startswith(b"PAR1"):
            return set(_parquet_columns(head.source))
        return set(head.csv_header)

    def matches(self, cols: set[str], name: str) -> bool:
        raise NotImplementedError

    def sniff(self, head: Head) -> float:
        cols = self.columns_of(head)
        if not cols or not self.matches(cols, head.source.name.lower()):
            return 0.0
        # Beyond the key, the file must carry something of this table (or be all canonical), so
        # a file like a ground-truth list (account_id, label, group) is not taken for accounts.
        canonical = set(self.canonical_columns()) | {"observed_at"}
        key = set(KEYS[self.table])
        if cols & (canonical - key) or cols <= canonical:
            return 0.5
        return 0.0

    def canonical_columns(self) -> list[str]:
        from importlib import resources

        text = resources.files("flockwatch.store").joinpath("schema.sql").read_text("utf-8")
        block = text.split(f"CREATE TABLE IF NOT EXISTS {self.table} (", 1)[1].split(");", 1)[0]
        return [
            line.strip().split()[0]
            for line in block.splitlines()
            if line.strip() and not line.strip().startswith("--")
        ]

    def read(self, source: Source, stage: Stage) -> None:
        store_cols = [c for c in stage.store.columns(self.table) if c != "ingest_id"]
        is_parquet = source.head(4) == b"PAR1"
        if is_parquet:
            names = _parquet_columns(source)
            stage.con.execute(
                "CREATE TEMP TABLE raw AS SELECT "
                + ", ".join(f"{q(n)}::VARCHAR AS {q(n)}" for n in names)
                + " FROM read_parquet(?)",
                [str(source.local_path)],
            )
        else:
            names = scan_csv(stage, source, header_of(source), "raw")
        key = [k for k in KEYS[self.table] if k != "platform"]
        missing = [k for k in key if k not in names]
        if missing:
            stage.con.execute("DROP TABLE raw")
            raise InputError(
                f"{source.name}: a generic {self.table} file needs column(s) {missing}; "
                f"it has {names}"
            )
        platform_given = stage.options.platform
        if "platform" not in names and not platform_given:
            stage.con.execute("DROP TABLE raw")
            raise InputError(
                f"{source.name}: no 'platform' column; add one or pass --platform NAME "
                "(twitter, bluesky, mastodon, telegram, facebook, instagram, tiktok...)"
            )
        typed = {n: KINDS[n] for n in names if KINDS.get(n) in ("time", "int", "bool")}
        required = list(key) + (["observed_at"] if self.table == "account_snapshots" else [])
        reject_bad_rows(stage, "raw", names, typed, required)
        select = []
        for col in store_cols:
            if col == "platform":
                expr = lit(platform_given) if platform_given else f"lower(trim({q('platform')}))"
            elif col == "extra":
                unknown = [n for n in names if n not in store_cols and n != "platform"]
                expr = (
                    "json_object(" + ", ".join(f"{lit(n)}, {q(n)}" for n in unknown) + ")"
                    if unknown
                    else "NULL::JSON"
                )
            elif col == "time_precision":
                expr = q(col) if col in names else "'second'"
            elif col in ("first_seen_at", "last_seen_at") and "observed_at" in names:
                src = col if col in names else "observed_at"
                expr = sql_time(q(src))
            elif col in names:
                kind = KINDS.get(col)
                expr = _CONVERT[kind](q(col)) if kind else sql_str(q(col))
            else:
                continue
            select.append(f"{expr} AS {q(col)}")
        seq0 = stage.next_seq(0)
        stage.con.execute(
            f"INSERT INTO stg_{self.table} BY NAME SELECT {', '.join(select)}, "
            f"{stage.ingest_id} AS ingest_id, {seq0} + _line AS _seq FROM raw"
        )
        counts = [c for c in ("followers_count", "following_count", "posts_count") if c in names]
        if self.table == "accounts" and "observed_at" in names and counts:
            # An accounts file with observation times is also a series of snapshots.
            snap_cols = [
                c
                for c in stage.store.columns("account_snapshots")
                if c in names and c not in ("platform", "account_id", "observed_at")
            ]
            plat = lit(platform_given) if platform_given else f"lower(trim({q('platform')}))"
            stage.con.execute(
                f"INSERT INTO stg_account_snapshots BY NAME SELECT {plat} AS platform, "
                f"account_id, {sql_time(q('observed_at'))} AS observed_at, "
                + "".join(
                    f"{_CONVERT[KINDS[c]](q(c)) if c in KINDS else sql_str(q(c))} AS {c}, "
                    for c in snap_cols
                )
                + f"{stage.ingest_id} AS ingest_id, {seq0} + _line AS _seq FROM raw "
                f"WHERE {sql_time(q('observed_at'))} IS NOT NULL"
            )
        stage.con.execute("DROP TABLE raw")


def _parquet_columns(source: Source) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(source.local_path).names)
    except Exception:  # noqa: BLE001 - any unreadable parquet is "not this format"
        return []


class GenericAccountsReader(GenericReader):
    format = "generic_accounts"
    description = "CSV/Parquet of accounts with canonical column names"
    table = "accounts"

    def matches(self, cols: set[str], name: str) -> bool:
        if "account_id" not in cols or cols & {"post_id", "group_id", "report_id"}:
            return False
        return "snapshot" not in name and (bool(cols & _ACCOUNT_ONLY) or "observed_at" not in cols)


class GenericSnapshotsReader(GenericReader):
    format = "generic_snapshots"
    description = "CSV/Parquet of account snapshots (account_id, observed_at, counts)"
    table = "account_snapshots"

    def matches(self, cols: set[str], name: str) -> bool:
        if not {"account_id", "observed_at"} <= cols or cols & {"post_id", "group_id"}:
            return False
        return "snapshot" in name or not (cols & _ACCOUNT_ONLY)


class GenericPostsReader(GenericReader):
    format = "generic_posts"
    description = "CSV/Parquet of posts with canonical column names"
    table = "posts"

    def matches(self, cols: set[str], name: str) -> bool:
        return "post_id" in cols and "report_id" not in cols


class GenericFollowsReader(GenericReader):
    format = "generic_follows"
    description = "CSV/Parquet of follows (follower_id, followee_id, observed_at)"
    table = "follows"

    def matches(self, cols: set[str], name: str) -> bool:
        return {"follower_id", "followee_id"} <= cols


class GenericReportsReader(GenericReader):
    format = "generic_reports"
    description = "CSV/Parquet of abuse reports (report_id, reporter_id, target_account_id, ...)"
    table = "reports"

    def matches(self, cols: set[str], name: str) -> bool:
        return "report_id" in cols


class GenericGroupsReader(GenericReader):
    format = "generic_groups"
    description = "CSV/Parquet of pages, groups and channels (group_id, kind, name)"
    table = "groups"

    def matches(self, cols: set[str], name: str) -> bool:
        return "group_id" in cols and "account_id" not in cols


class GenericMembershipsReader(GenericReader):
    format = "generic_memberships"
    description = "CSV/Parquet of group memberships (group_id, account_id, role)"
    table = "memberships"

    def matches(self, cols: set[str], name: str) -> bool:
        return {"group_id", "account_id"} <= cols


READERS: list[type[Reader]] = [
    GenericAccountsReader,
    GenericSnapshotsReader,
    GenericPostsReader,
    GenericFollowsReader,
    GenericReportsReader,
    GenericGroupsReader,
    GenericMembershipsReader,
]
