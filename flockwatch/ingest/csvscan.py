"""Scan a CSV file with DuckDB's reader into a temporary all-text table, keeping broken records.

DuckDB parses in parallel and streams, which is what makes million-row takedown archives load at
hundreds of thousands of rows a second. Records it cannot parse (wrong column count, bad UTF-8,
unbalanced quotes) land in its reject tables; we copy them into ``rejected_rows``. An unterminated
quote makes any CSV parser swallow the rest of the file into one field, so after such a record we
re-scan what follows its first line: only the broken line is lost to ``rejected_rows``, not the rest.

A reader that needs only some typed values of each record passes a :class:`Projection`: the scan
then converts and checks every value once as it reads, and keeps only the columns it gives.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import NamedTemporaryFile

import duckdb

from flockwatch.ingest.base import Stage
from flockwatch.ingest.sources import Source

MAX_RECOVERIES = 50


def header_of(source: Source) -> list[str]:
    """The column names on the first line (BOM removed)."""
    text = source.head(1 << 20).decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(first)))]
    except (csv.Error, StopIteration):
        return []


def _safe_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        name = name or f"column{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Projection:
    """What a scan keeps of each record when the raw text columns are not needed afterwards.

    The scan table then holds ``columns`` (typed values, worked out once while reading) instead
    of every field as text, plus ``_reason`` and, for bad rows only, ``_raw`` (the record's text
    rebuilt from its fields). Expressions name the raw columns (quoted) and ``computed`` ones:
    values worked out once per record and shared, e.g. a converted time used by a column and by
    the check. ``converted`` maps a typed raw column to the computed column holding its
    converted value, so the check does not convert it again.
    """

    columns: dict[str, str]
    computed: dict[str, str] = field(default_factory=dict)
    converted: dict[str, str] = field(default_factory=dict)


def scan_csv(
    stage: Stage,
    source: Source,
    header: list[str],
    table: str = "raw",
    *,
    typed: dict[str, str] | None = None,
    required: list[str] | None = None,
    projection: Callable[[list[str]], Projection] | None = None,
) -> list[str]:
    """Load ``source`` into TEMP table ``table`` (all VARCHAR unless projected); return the
    column names.

    With ``typed``/``required`` the check for bad values runs during the scan itself (a
    ``_reason`` column) instead of in a second copy of the table: the fast path for files that
    need no clean-up before the check. Then call :func:`reject_bad_rows` with the same names.
    With a ``projection`` too (a function of the column names), the table holds the columns it
    gives instead of the text fields: the fastest path, one pass that converts every value once
    and keeps only what is used.

    Rows keep the file's order (DuckDB preserves insertion order), so a row's ``rowid`` is its
    position. The scan runs again on the lines an unbalanced quote swallowed: each run is a
    segment. Records the parser refused are held in ``stage.csv_segments`` until
    :func:`reject_bad_rows` works out their exact lines and stores them.
    """
    names = _safe_names(header)
    con = stage.con
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP TABLE IF EXISTS fw_nl_scan")
    kept = projection(names) if projection else None
    reason = None
    if typed is not None or required is not None or kept is not None:
        converted = kept.converted if kept else None
        reason = _reason_sql(names, typed or {}, required or [], converted)
    select = _select_sql(names, reason, kept)
    if kept is None:
        cols = ", ".join(f"{_quote(n)} VARCHAR" for n in names)
        if reason is not None:
            cols += ", _reason VARCHAR"
        con.execute(f"CREATE TEMP TABLE {table} ({cols})")
    else:
        # The column types are whatever the expressions give: bind them on an empty relation.
        empty_rel = "(SELECT " + ", ".join(f"NULL::VARCHAR AS {_quote(n)}" for n in names) + ")"
        con.execute(f"CREATE TEMP TABLE {table} AS {select(empty_rel)} LIMIT 0")
        con.execute("CREATE TEMP TABLE fw_nl_scan (_seg INTEGER, _rec BIGINT, _n BIGINT)")
    stage.csv_segments = {}
    with stage.tracking(source.size // 2):  # the scan is most of a SQL reader's time
        _scan_into(stage, source.local_path, source.gzipped, names, table, 0, select, kept)
    return names


def _select_sql(
    names: list[str], reason: str | None, projection: Projection | None
) -> Callable[[str], str]:
    """The SELECT that turns the records of a relation (the CSV reader) into the table's rows."""
    quoted = ", ".join(_quote(n) for n in names)
    if projection is None:
        return lambda rel: f"SELECT {quoted}{', ' + reason if reason else ''} FROM {rel}"
    from flockwatch.ingest.sqlvalues import raw_csv_line

    computed = "".join(f", {expr} AS {_quote(n)}" for n, expr in projection.computed.items())
    kept = ", ".join(f"{expr} AS {_quote(n)}" for n, expr in projection.columns.items())
    return lambda rel: (
        f"SELECT {kept}, _reason, CASE WHEN _reason IS NOT NULL THEN {raw_csv_line(names)} END "
        f"AS _raw FROM (SELECT *, {reason or 'NULL::VARCHAR'} AS _reason "
        f"FROM (SELECT *{computed} FROM {rel}))"
    )


def _reason_sql(
    names: list[str],
    typed: dict[str, str],
    required: list[str],
    converted: dict[str, str] | None = None,
) -> str:
    """Per row: why it cannot be stored (first missing required field or bad typed value)."""
    from flockwatch.ingest.sqlvalues import bad_value_reason, empty, q

    checks = [
        f"WHEN {empty(q(r))} THEN 'field {r}: required value is missing'"
        for r in required
        if r in names
    ]
    typed_reason = bad_value_reason({k: v for k, v in typed.items() if k in names}, converted)
    return f"CASE {' '.join(checks)} ELSE {typed_reason} END" if checks else typed_reason


def _scan_into(
    stage: Stage,
    path: Path,
    gzipped: bool,
    names: list[str],
    table: str,
    depth: int,
    select: Callable[[str], str],
    projection: Projection | None = None,
) -> None:
    con = stage.con
    con.execute("DROP TABLE IF EXISTS fw_csv_errors")
    con.execute("DROP TABLE IF EXISTS fw_csv_scans")
    options = _csv_options(names, gzipped)
    careful = False
    try:
        # Most files have no broken records: parse without keeping rejects (much faster) and
        # fall back to the careful scan at the first error. Nothing is written by a failed try.
        con.execute(f"INSERT INTO {table} {select(f'read_csv({options})')}", [str(path)])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE fw_csv_errors AS SELECT NULL::BIGINT AS line, "
            "NULL::BIGINT AS line_byte_position, NULL::VARCHAR AS column_name, "
            "NULL::VARCHAR AS error_message, NULL::VARCHAR AS csv_line, "
            "NULL::VARCHAR AS error_type LIMIT 0"
        )
    except duckdb.Error:
        careful = True
        con.execute("DROP TABLE IF EXISTS fw_csv_errors")
        con.execute(
            f"INSERT INTO {table} "
            + select(f"read_csv({options}, {_careful_options('fw_csv_errors', 'fw_csv_scans')})"),
            [str(path)],
        )
    # rowids are contiguous in insertion order (inside a transaction they start at a large
    # offset): this segment's rows are the last ones.
    inserted, last_rid = con.execute(f"SELECT count(*), max(rowid) FROM {table}").fetchone()
    previous = sum(seg["inserted"] for seg in stage.csv_segments.values())
    n_new = inserted - previous
    first_rid = (last_rid - n_new + 1) if n_new else None
    # DuckDB numbers refused records by record (header = 1), not by physical line.
    errors = con.execute(
        "SELECT line, min(line_byte_position), "
        # in a fixed order: the same file gives the same reason on every run
        "string_agg(DISTINCT coalesce(column_name || ': ', '') || error_message, '; ' "
        "ORDER BY coalesce(column_name || ': ', '') || error_message), "
        "any_value(csv_line), bool_or(error_type = 'UNQUOTED VALUE') "
        "FROM fw_csv_errors GROUP BY line ORDER BY line"
    ).fetchall()
    # (record position, reason, raw text kept, lines the record took beyond its first)
    refused: list[tuple[int, str, str, int]] = []
    broken_at: int | None = None
    for position, byte_pos, why, raw, unquoted in errors:
        raw = (raw or "").rstrip("\n")
        if unquoted and byte_pos is not None:
            # An unterminated quote: the parser read on to where the quotes balanced again (or
            # to the end). Keep the broken line and read everything after it again, as records of
            # segment depth + 1; what this scan made of those lines is dropped.
            first_line = _line_at(path, gzipped, byte_pos)
            refused.append((position, f"unbalanced quote: {why}", first_line, 0))
            broken_at = byte_pos
            break
        refused.append((position, why, raw, raw.count("\n")))
    kept = None if broken_at is None else refused[-1][0] - 2 - (len(refused) - 1)
    stage.csv_segments[depth] = {
        "first_rid": first_rid,
        "inserted": n_new,
        "kept": kept,
        "refused": refused,
    }
    if projection is not None:
        # Lines of bad records need the line breaks inside the fields before them, which a
        # projected table no longer holds: count them now, while the segment's file exists.
        has_bad = (
            bool(n_new)
            and con.execute(
                f"SELECT count(*) FROM {table} WHERE rowid >= ? AND _reason IS NOT NULL",
                [first_rid],
            ).fetchone()[0]
            > 0
        )
        if refused or has_bad:
            _count_line_breaks(stage, path, gzipped, names, depth, careful)
    if broken_at is not None and depth < MAX_RECOVERIES:
        header_line = ",".join(_quote(n) for n in names)
        with NamedTemporaryFile("wb", suffix=".csv", delete=False) as tmp:
            tmp.write(header_line.encode("utf-8") + b"\n")
            _copy_after_line(path, gzipped, broken_at, tmp)
        try:
            _scan_into(stage, Path(tmp.name), False, names, table, depth + 1, select, projection)
        finally:
            Path(tmp.name).unlink(missing_ok=True)


def _csv_options(names: list[str], gzipped: bool) -> str:
    """read_csv arguments (the path is the parameter): every column text, no guessing."""
    columns = (
        "{" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for n in names) + "}"
    )
    return (
        f"?, columns = {columns}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, compression = '{'gzip' if gzipped else 'none'}', "
        "max_line_size = 8388608, buffer_size = 33554432"
    )


def _careful_options(errors: str, scans: str) -> str:
    return f"store_rejects = true, rejects_table = '{errors}', rejects_scan = '{scans}'"


def _count_line_breaks(
    stage: Stage, path: Path, gzipped: bool, names: list[str], depth: int, careful: bool
) -> None:
    """Line breaks inside the fields of each record of segment ``depth``, into ``fw_nl_scan``.

    Only a scan table that kept its text fields can count them itself; a projected scan reads the
    segment again, the same way (so the same records in the same order), when it has a bad row.
    """
    from flockwatch.ingest.sqlvalues import q

    con = stage.con
    text = "concat_ws('', " + ", ".join(q(n) for n in names) + ")"
    options = _csv_options(names, gzipped)
    for name in ("fw_nl_counts", "fw_nl_errors", "fw_nl_scans"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    if careful:
        options += ", " + _careful_options("fw_nl_errors", "fw_nl_scans")
    con.execute(
        "CREATE TEMP TABLE fw_nl_counts AS "
        f"SELECT length({text}) - length(replace({text}, chr(10), '')) AS _n FROM read_csv({options})",
        [str(path)],
    )
    con.execute(
        f"INSERT INTO fw_nl_scan SELECT {depth}, rowid - (SELECT min(rowid) FROM fw_nl_counts) "
        "+ 1, _n FROM fw_nl_counts"
    )
    for name in ("fw_nl_counts", "fw_nl_errors", "fw_nl_scans"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _columns_of(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The column names of ``table`` (without fetching through pandas)."""
    return {d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description}


def _open(path: Path, gzipped: bool):  # noqa: ANN202 - a binary file object
    import gzip

    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def _line_start(fh, byte_pos: int) -> int:  # noqa: ANN001
    """Start of the line holding ``byte_pos`` (DuckDB's positions may point inside the line)."""
    lo = max(0, byte_pos - 65536)
    fh.seek(lo)
    window = fh.read(byte_pos - lo)
    cut = window.rfind(b"\n")
    return lo + cut + 1 if cut >= 0 else lo


def _line_at(path: Path, gzipped: bool, byte_pos: int) -> str:
    with _open(path, gzipped) as fh:
        fh.seek(_line_start(fh, byte_pos))
        return fh.readline(MAX_RAW_LINE).rstrip(b"\r\n").decode("utf-8", "backslashreplace")


def _copy_after_line(path: Path, gzipped: bool, byte_pos: int, out) -> None:  # noqa: ANN001
    with _open(path, gzipped) as fh:
        fh.seek(_line_start(fh, byte_pos))
        fh.readline()
        while chunk := fh.read(1 << 20):
            out.write(chunk)


MAX_RAW_LINE = 1 << 20


def _store_rejects(stage: Stage, table: str, names: list[str]) -> None:
    """Give every refused record (parser or value) its physical line, and keep it.

    A record's physical line is its record position plus the line breaks inside the fields of
    every record before it; a recovered segment starts on the line after the broken record.
    """
    from flockwatch.ingest.sqlvalues import q, raw_csv_line

    con = stage.con
    segments = stage.csv_segments
    has_bad = con.execute(f"SELECT count(*) FROM {table} WHERE _reason IS NOT NULL").fetchone()[0]
    if not has_bad and not any(seg["refused"] for seg in segments.values()):
        return
    text = "concat_ws('', " + ", ".join(q(n) for n in names) + ")"
    cols = _columns_of(con, table)
    if "_seg" in cols:
        seg_rec = "_seg, _rec"
    else:  # fast path: the scan table itself, rows in file order
        seg_expr, first_expr = _segment_exprs(stage)
        seg_rec = f"{seg_expr} AS _seg, rowid - {first_expr} + 1 AS _rec"
    con.execute("DROP TABLE IF EXISTS fw_nl")
    if "_raw" in cols:
        # A projected scan: bad rows carry their text; the line breaks were counted per segment
        # by reading it again (see _count_line_breaks).
        con.execute(
            f"""
            CREATE TEMP TABLE fw_nl AS
            SELECT _seg, _rec, NULL::VARCHAR AS _reason, NULL::VARCHAR AS _raw,
                   sum(_n) OVER (PARTITION BY _seg ORDER BY _rec) AS _cum
            FROM fw_nl_scan
            UNION ALL
            SELECT _seg, _rec, _reason, _raw, NULL AS _cum
            FROM (SELECT *, {seg_rec} FROM {table} WHERE _reason IS NOT NULL)
            """
        )
    else:
        con.execute(
            f"""
            CREATE TEMP TABLE fw_nl AS
            WITH r AS (SELECT *, {seg_rec} FROM {table})
            SELECT _seg, _rec, _reason,
                   CASE WHEN _reason IS NOT NULL THEN {raw_csv_line(names)} END AS _raw,
                   sum(length({text}) - length(replace({text}, chr(10), '')))
                       OVER (PARTITION BY _seg ORDER BY _rec) AS _cum
            FROM r
            """
        )

    bad_rows = con.execute(
        "SELECT _seg, _rec, _reason, _raw FROM fw_nl WHERE _reason IS NOT NULL ORDER BY _seg, _rec"
    ).fetchall()
    by_seg: dict[int, list[tuple[int, str, str]]] = {}
    for seg, rec, why, raw in bad_rows:
        by_seg.setdefault(seg, []).append((rec, why, raw))
    # Line breaks inside the first k accepted records of a segment, for every (segment, k)
    # needed below, in one query (a file can hold many thousands of bad records).
    wanted = {(seg, rec - 1) for seg, rec, _, _ in bad_rows}
    for seg, info in segments.items():
        wanted.update((seg, pos - 2 - i) for i, (pos, *_) in enumerate(info["refused"]))
    breaks = _cumulative_breaks(con, sorted(k for k in wanted if k[1] > 0))

    def cum(seg: int, k: int) -> int:
        return breaks.get((seg, k), 0) if k > 0 else 0

    offsets: dict[int, int] = {0: 0}  # per segment: physical line of its header, minus one
    for seg in sorted(set(segments) | set(by_seg)):
        refused = segments[seg]["refused"] if seg in segments else []
        offset = offsets.get(seg, 0)
        positions = [r[0] for r in refused]
        extra_before = [0]
        for r in refused:
            extra_before.append(extra_before[-1] + r[3])
        for i, (pos, why, raw, _) in enumerate(refused):
            accepted_before = pos - 2 - i
            line = offset + pos + cum(seg, accepted_before) + extra_before[i]
            stage.reject(line, why, raw)
            if why.startswith("unbalanced quote"):
                # The swallowed lines (segment seg + 1) start on the line after this one.
                offsets[seg + 1] = line - 1
        for rec, why, raw in by_seg.get(seg, []):
            pos, n_refused = 1 + rec, 0
            for p in positions:
                if p <= pos:
                    pos += 1
                    n_refused += 1
            line = offset + pos + cum(seg, rec - 1) + extra_before[n_refused]
            stage.reject(line, why, raw)
    con.execute("DROP TABLE fw_nl")


def _cumulative_breaks(
    con: duckdb.DuckDBPyConnection, wanted: list[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """``(segment, k) ->`` line breaks inside the first ``k`` accepted records of the segment,
    from the running sums ``_cum`` of ``fw_nl`` (the last one at or before record ``k``)."""
    if not wanted:
        return {}
    import pyarrow as pa

    segs, ks = zip(*wanted, strict=True)
    con.register("fw_nl_wanted", pa.table({"seg": list(segs), "k": list(ks)}))
    try:
        rows = con.execute(
            """
            SELECT w.seg, w.k, c._cum FROM fw_nl_wanted w
            ASOF LEFT JOIN (SELECT _seg, _rec, _cum FROM fw_nl WHERE _cum IS NOT NULL) c
              ON w.seg = c._seg AND w.k >= c._rec
            """
        ).fetchall()
    finally:
        con.unregister("fw_nl_wanted")
    return {(seg, k): int(c) for seg, k, c in rows if c is not None}


def reject_bad_rows(
    stage: Stage,
    table: str,
    names: list[str],
    typed: dict[str, str],
    required: list[str],
) -> int:
    """Move rows with an empty required field or a bad typed value from ``table`` to
    ``rejected_rows`` (with the parser's refusals, at their exact lines); count every record
    as read. Returns the number of good rows."""
    con = stage.con
    columns = _columns_of(con, table)
    if "_reason" in columns:
        return _reject_in_place(stage, table, names)
    reason = _reason_sql(names, typed, required)
    # _seg/_rec: which scan and which record of it (see _scan_into); _line: an ordering key in
    # file order. Rows a scan made of lines swallowed by a broken quote are dropped: the next
    # segment read them again.
    segs = [(d, v) for d, v in sorted(stage.csv_segments.items()) if v["first_rid"] is not None]
    if not segs:  # not from scan_csv (Parquet): one segment in rowid order
        base = con.execute(f"SELECT min(rowid) FROM {table}").fetchone()[0] or 0
        segs = [(0, {"first_rid": base, "kept": None})]
    seg_expr = (
        "CASE "
        + " ".join(f"WHEN rowid >= {v['first_rid']} THEN {d}" for d, v in reversed(segs))
        + " END"
    )
    first_expr = (
        "CASE "
        + " ".join(
            f"WHEN rowid >= {v['first_rid']} THEN {v['first_rid']}" for d, v in reversed(segs)
        )
        + " END"
    )
    dropped = " OR ".join(
        f"(rowid >= {v['first_rid']} AND rowid - {v['first_rid']} + 1 > {v['kept']}"
        + (f" AND rowid < {segs[i + 1][1]['first_rid']})" if i + 1 < len(segs) else ")")
        for i, (d, v) in enumerate(segs)
        if v["kept"] is not None
    )
    con.execute(
        f"CREATE TEMP TABLE {table}_checked AS "
        f"SELECT *, {seg_expr} AS _seg, rowid - {first_expr} + 1 AS _rec, "
        f"rowid - {segs[0][1]['first_rid']} + 1 AS _line, {reason} AS _reason "
        f"FROM {table}" + (f" WHERE NOT ({dropped})" if dropped else "")
    )
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {table}_checked RENAME TO {table}")
    before = stage.rows_rejected
    _store_rejects(stage, table, names)
    n_bad = con.execute(f"SELECT count(*) FROM {table} WHERE _reason IS NOT NULL").fetchone()[0]
    if n_bad:
        con.execute(f"DELETE FROM {table} WHERE _reason IS NOT NULL")
    total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    stage.count_read(total + stage.rows_rejected - before)
    return total


def _segment_exprs(stage: Stage) -> tuple[str, str]:
    """SQL giving a scan-table row's segment and that segment's first rowid, from its rowid."""
    segs = [(d, v) for d, v in sorted(stage.csv_segments.items()) if v["first_rid"] is not None]
    if not segs:
        return "0", "0"
    seg_expr = (
        "CASE "
        + " ".join(f"WHEN rowid >= {v['first_rid']} THEN {d}" for d, v in reversed(segs))
        + " END"
    )
    first_expr = (
        "CASE "
        + " ".join(
            f"WHEN rowid >= {v['first_rid']} THEN {v['first_rid']}" for _, v in reversed(segs)
        )
        + " END"
    )
    return seg_expr, first_expr


def _reject_in_place(stage: Stage, table: str, names: list[str]) -> int:
    """Fast path of :func:`reject_bad_rows` for a scan that computed ``_reason`` itself: refused
    and bad rows are stored and deleted from the scan table; the rest stays where it is (use its
    ``rowid`` as the file-order key)."""
    con = stage.con
    before = stage.rows_rejected
    segs = [(d, v) for d, v in sorted(stage.csv_segments.items()) if v["first_rid"] is not None]
    dropped = " OR ".join(
        f"(rowid >= {v['first_rid']} AND rowid - {v['first_rid']} + 1 > {v['kept']}"
        + (f" AND rowid < {segs[i + 1][1]['first_rid']})" if i + 1 < len(segs) else ")")
        for i, (_, v) in enumerate(segs)
        if v["kept"] is not None
    )
    if dropped:  # rows a scan made of lines swallowed by a broken quote: read again later
        con.execute(f"DELETE FROM {table} WHERE {dropped}")
    _store_rejects(stage, table, names)
    con.execute("DROP TABLE IF EXISTS fw_nl_scan")
    n_bad = con.execute(f"SELECT count(*) FROM {table} WHERE _reason IS NOT NULL").fetchone()[0]
    if n_bad:
        con.execute(f"DELETE FROM {table} WHERE _reason IS NOT NULL")
    total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    stage.count_read(total + stage.rows_rejected - before)
    return total
