"""Every reader survives corrupted records: no crash, the bad record in rejected_rows at its line,
and every other record of the file still stored.

Each format's valid fixture (tests/fixtures/formats/<format>.<ext>) is split into records; one
record is corrupted in a way that can never be valid (truncated, wrong type, bad UTF-8, unbalanced
quote); the result must equal ingesting the file without that record, plus one rejected row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flockwatch.ingest.registry import readers
from flockwatch.ingest.runner import ingest_paths
from flockwatch.store.db import Store
from tests.conftest import FORMAT_FIXTURES

FORMATS = sorted(r.format for r in readers() if any(FORMAT_FIXTURES.glob(f"{r.format}.*")))
CORRUPTIONS = ["truncate", "bad_utf8", "unbalanced_quote", "wrong_type"]


def test_every_reader_has_a_fixture():
    missing = [r.format for r in readers() if not any(FORMAT_FIXTURES.glob(f"{r.format}.*"))]
    assert not missing, f"formats without a fixture in {FORMAT_FIXTURES}: {missing}"


def _records(path: Path) -> tuple[bytes, list[bytes], int]:
    """(header, records, first data line) of a fixture; CSV records may span lines."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        text = data.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        out = []
        for row in rows:
            buf = io.StringIO()
            csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="").writerow(row)
            out.append(buf.getvalue().encode("utf-8"))
        return out[0], out[1:], 2
    lines = [ln for ln in data.split(b"\n") if ln.strip()]
    return b"", lines, 1


def _corrupt(record: bytes, kind: str, csv_file: bool, cut: float) -> bytes:
    if kind == "truncate":
        # Cut inside the record: JSON becomes incomplete, a quoted CSV field loses its quote.
        n = max(2, int(len(record) * (0.2 + 0.6 * cut)))
        out = record[:n]
        if csv_file:
            # All fields are quoted: ending inside a field leaves its quote open.
            out = out.rstrip(b'",') or b'"'
        return out
    if kind == "bad_utf8":
        mid = len(record) // 2
        return record[:mid] + b"\xff\xfe\xc3" + record[mid:]
    if kind == "unbalanced_quote":
        if csv_file:
            return record[:-1]  # the last field's closing quote is gone
        return record.replace(b'"', b"", 1)
    # wrong_type: break the structure the reader needs
    if csv_file:
        return record + b',"surplus"'
    return b'{"broken": ' + record


def _ingest(tmp: Path, name: str, fmt: str, header: bytes, records: list[bytes]):
    path = tmp / name
    body = b"\n".join(([header] if header else []) + records) + b"\n"
    path.write_bytes(body)
    store = Store(":memory:")
    [result] = ingest_paths(store, [path], format=fmt, force=True)
    return store, result


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_corrupted_record_is_rejected_and_the_rest_loads(fmt, data, tmp_path):
    fixture = next(FORMAT_FIXTURES.glob(f"{fmt}.*"))
    header, records, first_line = _records(fixture)
    index = data.draw(st.integers(0, len(records) - 1), label="record")
    kind = data.draw(st.sampled_from(CORRUPTIONS), label="corruption")
    cut = data.draw(st.floats(0, 1), label="cut")
    csv_file = fixture.suffix == ".csv"
    bad = _corrupt(records[index], kind, csv_file, cut)

    reader = next(r for r in readers() if r.format == fmt)
    table = reader.primary_table
    expected_store, expected = _ingest(
        tmp_path, "without" + fixture.suffix, fmt, header, records[:index] + records[index + 1 :]
    )
    store, result = _ingest(
        tmp_path,
        "corrupt" + fixture.suffix,
        fmt,
        header,
        records[:index] + [bad] + records[index + 1 :],
    )
    assert result.status == "ingested"
    kept = store.con.execute("SELECT line, reason, raw FROM rejected_rows").fetchall()
    assert result.rows_rejected == len(kept) >= 1, (kind, bad)
    # Line of the corrupted record: header + the lines of the records before it.
    line = first_line + index + sum(r.count(b"\n") for r in records[:index])
    assert line in [k[0] for k in kept], (kind, kept)
    assert all(k[1] and k[2] is not None for k in kept)
    assert store.count(table) == expected_store.count(table), (kind, bad)
    # A broken record that spanned lines may be kept as several pieces: never fewer than one.
    assert result.rows_rejected >= expected.rows_rejected + 1
    if b"\n" not in records[index]:
        assert result.rows_rejected == expected.rows_rejected + 1
