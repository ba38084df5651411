"""What every reader is: a format name, a sniff test on the file's head, and a ``read`` that fills
the staging tables.

Two ways to fill them:

- SQL readers (CSV, Parquet) let DuckDB scan the file and ``INSERT INTO stg_<table> SELECT ...``
  through :attr:`Stage.con`. This is what keeps large takedown archives fast and memory-bounded.
- Record readers (JSON) call :meth:`Stage.add` per canonical row; rows are batched through Arrow.

Both report bad records with :meth:`Stage.reject` (path, line, reason, raw text) so nothing is lost.
"""

from __future__ import annotations

import json
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from flockwatch.ingest.sources import Source
from flockwatch.store.db import CANONICAL_TABLES, Store

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 20_000
#: How often :meth:`Stage.tracking` asks DuckDB how far the running statement is.
PROGRESS_POLL_SECONDS = 0.25
MAX_RAW_CHARS = 20_000  # a rejected record's raw text is kept up to this length


@dataclass
class IngestOptions:
    """Options that apply to every reader of one ``ingest`` call."""

    platform: str | None = None  # override the platform inferred per record
    tz: str = "UTC"  # time zone of local times that carry none (Telegram ``date``)


@dataclass
class Head:
    """The start of a file, for sniffing: raw bytes (BOM removed), text, first line and first JSON."""

    source: Source
    data: bytes
    text: str
    first_line: str
    json_first: Any = None  # the first JSON value when the file starts like JSON, else None
    csv_header: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, source: Source) -> Head:
        import csv
        import io

        data = source.head()
        text = data.decode("utf-8", errors="replace")
        first_line = text.split("\n", 1)[0].rstrip("\r")
        json_first = None
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            json_first = _first_json_value(stripped)
        header: list[str] = []
        if json_first is None and first_line:
            try:
                header = next(csv.reader(io.StringIO(first_line)))
            except (csv.Error, StopIteration):
                header = []
        return cls(source, data, text, first_line, json_first, [h.strip() for h in header])


def _first_json_value(text: str) -> Any:
    decoder = json.JSONDecoder()
    try:
        value, _ = decoder.raw_decode(text)
        return value
    except json.JSONDecodeError:
        pass
    # A top-level array too long for the head: look at its first element.
    if text.startswith("["):
        try:
            value, _ = decoder.raw_decode(text[1:].lstrip())
            return [value]
        except json.JSONDecodeError:
            return None
    # A first line of JSON Lines.
    line = text.split("\n", 1)[0]
    try:
        return decoder.raw_decode(line)[0]
    except json.JSONDecodeError:
        return None


class Stage:
    """The staging area one file is read into; see :mod:`flockwatch.ingest.base`."""

    def __init__(
        self,
        store: Store,
        source: Source,
        ingest_id: int,
        options: IngestOptions,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.con = store.con
        self.source = source
        self.ingest_id = ingest_id
        self.options = options
        self.rows_read = 0
        self.rows_rejected = 0
        self.assumptions: dict[str, Any] = {}
        self._on_progress = on_progress
        # Record readers only: the canonical columns and their Arrow types, read when first used
        # (SQL readers never need them, nor pyarrow).
        self._columns_of: dict[str, list[str]] = {}
        self._types_of: dict[str, dict[str, pa.DataType]] = {}
        self._buffers: dict[str, list[dict[str, Any]]] = {t: [] for t in CANONICAL_TABLES}
        self._rejects: list[tuple[int, str, int | None, str, str]] = []
        self._seq = 0
        self._last_progress = 0.0
        self._reported = 0
        # SQL readers: a SELECT per insert-only table used instead of filling stg_<table>, and
        # temp tables to drop once merged.
        self.sources: dict[str, str] = {}
        self.temp_tables: list[str] = []
        # CSV scans: segment -> records the parser refused (see ingest/csvscan.py)
        self.csv_segments: dict[int, dict] = {}

    # -- record readers ----------------------------------------------------------------------
    def add(self, table: str, row: dict[str, Any], line: int | None = None) -> None:
        """Stage one canonical row. ``observed_at`` on an accounts row sets its first/last seen;
        ``line`` is where the record started, named if a value is refused."""
        if table == "accounts" and "observed_at" in row:
            seen = row.pop("observed_at")
            row.setdefault("first_seen_at", seen)
            row.setdefault("last_seen_at", seen)
        unknown = set(row) - set(self._columns(table))
        if unknown:
            raise KeyError(f"reader bug: {table} has no columns {sorted(unknown)}")
        if isinstance(row.get("extra"), dict):
            row["extra"] = (
                json.dumps(row["extra"], ensure_ascii=False, default=str) if row["extra"] else None
            )
        self._seq += 1
        row["_seq"] = self._seq
        row["_line"] = line
        row["ingest_id"] = self.ingest_id
        buffer = self._buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH_ROWS:
            self._flush_table(table)

    def count_read(self, n: int = 1) -> None:
        self.rows_read += n

    def progress(self, bytes_done: int) -> None:
        """Report how many (decompressed) bytes have been consumed; throttled, never backwards."""
        now = time.monotonic()
        if self._on_progress and now - self._last_progress > 0.1 and bytes_done > self._reported:
            self._last_progress = now
            self._reported = bytes_done
            self._on_progress(bytes_done)

    @contextmanager
    def tracking(self, bytes_at_end: int) -> Iterator[None]:
        """Move the progress from where it is to ``bytes_at_end`` as DuckDB works through the
        statements run inside (its own estimate of the running query, polled from a thread):
        SQL readers spend most of their time in a few long statements."""
        if not self._on_progress or bytes_at_end <= self._reported:
            yield
            return
        start, stop = self._reported, threading.Event()
        con = self.con

        def poll() -> None:
            best = 0.0
            while not stop.wait(PROGRESS_POLL_SECONDS):
                try:
                    done = float(con.query_progress())
                except Exception:  # noqa: BLE001 - progress is cosmetic; never fail a read
                    continue
                if done > best:
                    best = min(done, 100.0)
                    self._last_progress = 0.0  # not throttled: the poll is slow already
                    self.progress(start + int((bytes_at_end - start) * best / 100.0))

        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        thread = threading.Thread(target=poll, name="flockwatch-progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            con.execute("RESET enable_progress_bar")

    def reject(self, line: int | None, reason: str, raw: str | bytes) -> None:
        """Keep a bad record: where it was, why it was refused, and its raw text."""
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="backslashreplace")
        if len(raw) > MAX_RAW_CHARS:
            raw = raw[:MAX_RAW_CHARS] + f"... [{len(raw) - MAX_RAW_CHARS} more characters]"
        self.rows_rejected += 1
        self._rejects.append((self.ingest_id, self.source.name, line, reason, raw))
        if len(self._rejects) >= BATCH_ROWS:
            self._flush_rejects()

    def next_seq(self, n: int) -> int:
        """Reserve ``n`` staging sequence numbers for a SQL reader; returns the first."""
        first = self._seq + 1
        self._seq += n
        return first

    def flush(self) -> None:
        for table in CANONICAL_TABLES:
            self._flush_table(table)
        self._flush_rejects()

    def _columns(self, table: str) -> list[str]:
        if table not in self._columns_of:
            self._columns_of[table] = self.store.columns(table)
        return self._columns_of[table]

    def _flush_table(self, table: str) -> None:
        rows = self._buffers[table]
        if not rows:
            return
        import pyarrow as pa

        cols = [c for c in self._columns(table)] + ["_seq"]
        if table not in self._types_of:
            self._types_of[table] = _arrow_types(self.store, table)
        types = self._types_of[table]
        present = [c for c in cols if any(c in r for r in rows)]
        try:
            data = {c: pa.array([r.get(c) for r in rows], type=types[c]) for c in present}
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            # A reader produced a value of the wrong type: keep the good rows, reject the rest.
            good = []
            for r in rows:
                try:
                    for c in present:
                        pa.array([r.get(c)], type=types[c])
                    good.append(r)
                except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
                    self.rows_rejected += 1
                    self._rejects.append(
                        (
                            self.ingest_id,
                            self.source.name,
                            r.get("_line"),
                            f"bad value: {exc}",
                            json.dumps(r, default=str, ensure_ascii=False)[:MAX_RAW_CHARS],
                        )
                    )
            data = {c: pa.array([r.get(c) for r in good], type=types[c]) for c in present}
        names = ", ".join(data)
        self.con.register("_fw_batch", pa.table(data))
        try:
            self.con.execute(f"INSERT INTO stg_{table} ({names}) SELECT {names} FROM _fw_batch")
        finally:
            self.con.unregister("_fw_batch")
        self._buffers[table] = []

    def _flush_rejects(self) -> None:
        if not self._rejects:
            return
        import pyarrow as pa

        # one Arrow batch, not executemany: a file with 20,000 bad records took 10 s that way
        ingest_id, path, line, reason, raw = zip(*self._rejects, strict=True)
        batch = pa.table(
            {
                "ingest_id": pa.array(ingest_id, pa.int32()),
                "path": pa.array(path, pa.string()),
                "line": pa.array(line, pa.int64()),
                "reason": pa.array(reason, pa.string()),
                "raw": pa.array(raw, pa.string()),
            }
        )
        self.con.register("_fw_rejects", batch)
        try:
            self.con.execute(
                "INSERT INTO stg_rejected_rows (ingest_id, path, line, reason, raw) "
                "SELECT ingest_id, path, line, reason, raw FROM _fw_rejects"
            )
        finally:
            self.con.unregister("_fw_rejects")
        self._rejects = []


def _arrow_types(store: Store, table: str) -> dict[str, pa.DataType]:
    import pyarrow as pa

    arrow = {
        "VARCHAR": pa.string(),
        "JSON": pa.string(),
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "TIMESTAMP": pa.timestamp("us"),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    rows = store.con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main'",
        [table],
    ).fetchall()
    types = {name: arrow.get(kind, pa.string()) for name, kind in rows}
    types["_seq"] = pa.int64()
    return types


class Reader(ABC):
    """One input format.

    Subclasses set ``format`` (the ``--format`` name), ``description`` (one line for the docs and
    error messages) and ``primary_table`` (whose new rows count as "stored"), and implement
    :meth:`sniff` and :meth:`read`.
    """

    format: ClassVar[str]
    description: ClassVar[str]
    primary_table: ClassVar[str]

    @abstractmethod
    def sniff(self, head: Head) -> float:
        """How sure this reader is that the file is its format: 0 (no) to 1 (certain)."""

    @abstractmethod
    def read(self, source: Source, stage: Stage) -> None:
        """Read the whole file into the stage; bad records go to :meth:`Stage.reject`."""


def utc(dt: datetime | None) -> datetime | None:
    """A naive UTC datetime from an aware or naive (assumed UTC) one."""
    if dt is None:
        return None
    if dt.tzinfo is not None:
        from datetime import UTC

        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt
