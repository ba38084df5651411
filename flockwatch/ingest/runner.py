"""Ingest files into a store: expand paths, detect formats, read, merge, record the ingest."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flockwatch.errors import InputError, UnknownFormatError
from flockwatch.ingest.base import IngestOptions, Reader, Stage
from flockwatch.ingest.registry import detect, get_reader
from flockwatch.ingest.sources import Source, expand_paths
from flockwatch.store.db import Store


@dataclass
class IngestResult:
    """What happened to one input file."""

    path: str
    format: str | None
    status: str  # "ingested", "already ingested", "skipped", "failed"
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    ingest_id: int | None = None
    tables: dict[str, int] = field(default_factory=dict)
    message: str = ""


class Progress:
    """What the runner tells a progress display; the CLI passes a Rich-backed one."""

    def start_file(self, name: str, total_bytes: int) -> None: ...

    def advance(self, bytes_done: int) -> None: ...

    def end_file(self, result: IngestResult) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest_paths(
    store: Store,
    paths: list[str | os.PathLike],
    *,
    format: str | None = None,
    options: IngestOptions | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[IngestResult]:
    """Ingest files, directories and archives into ``store``.

    Parameters
    ----------
    store:
        The open store.
    paths:
        Files (plain, .gz, .zip) or directories (read recursively; files in no known format are
        skipped with a note, while a named file in no known format is an error).
    format:
        Force this reader instead of detecting the format from the content.
    options:
        Platform override and time zone for local times.
    force:
        Re-read a file even when a file with the same SHA-256 was ingested before. Rows already in
        the store are still not stored twice.

    Returns
    -------
    list of IngestResult, one per input file.
    """
    options = options or IngestOptions()
    progress = progress or Progress()
    forced: Reader | None = get_reader(format) if format else None
    sources = expand_paths(paths)
    results: list[IngestResult] = []
    try:
        for source in sources.items:
            try:
                reader = forced or detect(source)
            except UnknownFormatError as exc:
                if source.name in sources.from_directory:
                    results.append(IngestResult(source.name, None, "skipped", message=str(exc)))
                    continue
                raise
            if force or not _may_be_ingested(store, source, reader):
                # Nothing to look up first: hash while the reader reads.
                source.hash_in_background()
            else:
                row = store.con.execute(
                    "SELECT ingest_id FROM ingests WHERE sha256 = ? AND format = ? "
                    "ORDER BY ingest_id LIMIT 1",
                    [source.sha256, reader.format],
                ).fetchone()
                if row:
                    result = IngestResult(
                        source.name,
                        reader.format,
                        "already ingested",
                        ingest_id=row[0],
                        message=f"same SHA-256 as ingest {row[0]}; use --force to read it again",
                    )
                    results.append(result)
                    progress.end_file(result)
                    continue
            progress.start_file(source.name, source.size)
            try:
                result = _ingest_one(store, source, reader, options, progress)
            except InputError as exc:
                if source.name not in sources.from_directory:
                    raise
                # In a folder, one unreadable file does not stop the others.
                result = IngestResult(source.name, reader.format, "failed", message=str(exc))
            results.append(result)
            progress.end_file(result)
    finally:
        sources.cleanup()
    return results


def _may_be_ingested(store: Store, source: Source, reader: Reader) -> bool:
    """Whether an earlier ingest in this format read a file of this size (the same bytes have the
    same size): only then must the SHA-256 be known before reading."""
    return bool(
        store.con.execute(
            "SELECT count(*) FROM ingests WHERE format = ? "
            "AND (size_bytes = ? OR size_bytes IS NULL)",
            [reader.format, source.size],
        ).fetchone()[0]
    )


def _ingest_one(
    store: Store, source: Source, reader: Reader, options: IngestOptions, progress: Progress
) -> IngestResult:
    """Read one file into temporary staging tables, then fold them into the store in one
    transaction: a file either lands whole (with its rejected rows) or not at all."""
    started = _now()
    ingest_id = store.con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchone()[
        0
    ]
    store.create_staging()
    stage = Stage(store, source, ingest_id, options, on_progress=progress.advance)
    try:
        try:
            reader.read(source, stage)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source.name}: not UTF-8 text at byte {exc.start} ({exc.reason}); "
                "re-save the file as UTF-8"
            ) from exc
        stage.flush()
        with store.transaction(), stage.tracking(source.size):
            added = store.merge_staging(stage.sources)
            stored = added.get(reader.primary_table, 0)
            store.con.execute(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ingest_id,
                    source.name,
                    source.sha256,
                    reader.format,
                    started,
                    _now(),
                    stage.rows_read,
                    stored,
                    stage.rows_rejected,
                    source.size,
                    json.dumps(added),
                    json.dumps(stage.assumptions) if stage.assumptions else None,
                ],
            )
    finally:
        store.drop_staging()
        for table in stage.temp_tables:
            store.con.execute(f"DROP TABLE IF EXISTS {table}")
    return IngestResult(
        source.name,
        reader.format,
        "ingested",
        rows_read=stage.rows_read,
        rows_stored=stored,
        rows_rejected=stage.rows_rejected,
        ingest_id=ingest_id,
        tables=added,
    )
