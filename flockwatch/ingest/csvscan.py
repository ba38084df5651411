"""Scan a CSV file with DuckDB's reader into a temporary all-text table, keeping broken records.

DuckDB parses in parallel and streams, which is what makes million-row takedown archives load at
hundreds of thousands of rows a second. Records it cannot parse (wrong column count, bad UTF-8,
unbalanced quotes) land in its reject tables; we copy them into ``rejected_rows``. An unterminated
quote makes any CSV parser swallow the rest of the file into one field, so after such a record we
re-scan what follows its first line: only the broken line is lost to ``rejected_rows``, not the rest.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import NamedTemporaryFile

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


def scan_csv(stage: Stage, source: Source, header: list[str], table: str = "raw") -> list[str]:
    """Load ``source`` into TEMP table ``table`` (all VARCHAR); return the column names.

    Besides the file's columns the table has ``_seg`` (which scan: 0, or n after the n-th
    unbalanced-quote recovery), ``_rec`` (record number within the scan) and ``_line`` (an
    ordering key). Records the parser refused are held in ``stage.csv_segments`` until
    :func:`reject_bad_rows` works out their exact lines and stores them.
    """
    names = _safe_names(header)
    con = stage.con
    con.execute(f"DROP TABLE IF EXISTS {table}")
    cols = ", ".join(f"{_quote(n)} VARCHAR" for n in names)
    con.execute(f"CREATE TEMP TABLE {table} ({cols}, _seg INTEGER, _rec BIGINT, _line BIGINT)")
    stage.csv_segments = {}
    _scan_into(stage, source.local_path, source.gzipped, names, table, depth=0)
    return names


def _scan_into(
    stage: Stage, path: Path, gzipped: bool, names: list[str], table: str, depth: int
) -> None:
    con = stage.con
    columns = (
        "{" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for n in names) + "}"
    )
    con.execute("DROP TABLE IF EXISTS fw_csv_errors")
    con.execute("DROP TABLE IF EXISTS fw_csv_scans")
    quoted = ", ".join(_quote(n) for n in names)
    con.execute(
        f"""
        INSERT INTO {table}
        SELECT {quoted}, {depth} AS _seg, row_number() OVER () AS _rec,
               {depth * 10**12} + row_number() OVER () AS _line
        FROM read_csv(?, columns = {columns}, header = true, auto_detect = false,
                      delim = ',', quote = '"', escape = '"', strict_mode = true,
                      compression = '{"gzip" if gzipped else "none"}',
                      max_line_size = 100000000,
                      store_rejects = true, rejects_table = 'fw_csv_errors',
                      rejects_scan = 'fw_csv_scans')
        """,
        [str(path)],
    )
    # DuckDB numbers refused records by record (header = 1), not by physical line.
    errors = con.execute(
        "SELECT line, string_agg(DISTINCT coalesce(column_name || ': ', '') || error_message, '; '),"
        " any_value(csv_line), bool_or(error_type = 'UNQUOTED VALUE') "
        "FROM fw_csv_errors GROUP BY line ORDER BY line"
    ).fetchall()
    # (record position, reason, raw text kept, lines the record took beyond its first)
    refused: list[tuple[int, str, str, int]] = []
    rest: str | None = None
    for position, reason, raw, unquoted in errors:
        raw = (raw or "").rstrip("\n")
        if unquoted and "\n" in raw and rest is None:
            # The parser read on to where the quotes balanced again: keep the broken line, and
            # read the lines it swallowed again as their own records (segment depth + 1).
            first, rest = raw.split("\n", 1)
            refused.append((position, f"unbalanced quote: {reason}", first, raw.count("\n")))
            continue
        refused.append((position, reason, raw, raw.count("\n")))
    stage.csv_segments[depth] = refused
    if rest is not None and depth < MAX_RECOVERIES:
        header_line = ",".join(_quote(n) for n in names)
        with NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as tmp:
            tmp.write(header_line + "\n" + rest)
        try:
            _scan_into(stage, Path(tmp.name), False, names, table, depth + 1)
        finally:
            Path(tmp.name).unlink(missing_ok=True)


def _store_rejects(stage: Stage, table: str, names: list[str]) -> None:
    """Give every refused record (parser or value) its physical line, and keep it.

    A record's physical line is its record position plus the line breaks inside the fields of
    every record before it; a recovered segment starts on the line after the broken record.
    """
    from flockwatch.ingest.sqlvalues import q, raw_csv_line

    con = stage.con
    segments = stage.csv_segments
    has_bad = con.execute(f"SELECT count(*) FROM {table} WHERE _reason IS NOT NULL").fetchone()[0]
    if not has_bad and not any(segments.values()):
        return
    text = "concat_ws('', " + ", ".join(q(n) for n in names) + ")"
    con.execute("DROP TABLE IF EXISTS fw_nl")
    con.execute(
        f"""
        CREATE TEMP TABLE fw_nl AS
        SELECT _seg, _rec, _reason, CASE WHEN _reason IS NOT NULL THEN {raw_csv_line(names)} END
                   AS _raw,
               sum(length({text}) - length(replace({text}, chr(10), '')))
                   OVER (PARTITION BY _seg ORDER BY _rec) AS _cum
        FROM {table}
        """
    )

    def cum(seg: int, k: int) -> int:
        """Line breaks inside the first k accepted records of segment seg."""
        if k <= 0:
            return 0
        row = con.execute(
            "SELECT _cum FROM fw_nl WHERE _seg = ? AND _rec <= ? ORDER BY _rec DESC LIMIT 1",
            [seg, k],
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    bad_rows = con.execute(
        "SELECT _seg, _rec, _reason, _raw FROM fw_nl WHERE _reason IS NOT NULL ORDER BY _seg, _rec"
    ).fetchall()
    by_seg: dict[int, list[tuple[int, str, str]]] = {}
    for seg, rec, why, raw in bad_rows:
        by_seg.setdefault(seg, []).append((rec, why, raw))
    offsets: dict[int, int] = {0: 0}  # per segment: physical line of its header, minus one
    for seg in sorted(set(segments) | set(by_seg)):
        refused = segments.get(seg, [])
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
    from flockwatch.ingest.sqlvalues import bad_value_reason, empty, q

    con = stage.con
    checks = [f"WHEN {empty(q(r))} THEN 'field {r}: required value is missing'" for r in required]
    typed_reason = bad_value_reason({k: v for k, v in typed.items() if k in names})
    reason = f"CASE {' '.join(checks)} ELSE {typed_reason} END" if checks else typed_reason
    con.execute(f"CREATE TEMP TABLE {table}_checked AS SELECT *, {reason} AS _reason FROM {table}")
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
