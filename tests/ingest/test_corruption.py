"""Every reader survives corrupted records: no crash, the bad record in rejected_rows at its line,
and every other record of the file still stored.

Each format's valid fixture (tests/fixtures/formats/<format>.<ext>) is split into records; one
record is corrupted in a way that can never be valid (truncated, wrong type, bad UTF-8, unbalanced
quote); the result must equal ingesting the file without that record, plus one rejected row.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flockwatch.errors import InputError
from flockwatch.ingest.registry import readers
from flockwatch.ingest.runner import ingest_paths
from flockwatch.store.db import Store
from tests.conftest import FORMAT_FIXTURES

#: Formats whose file is one JSON document (not records on lines): the line-by-line corruption
#: below cannot apply to them (corrupting the document's opening line breaks every record). They
#: get their own property test, which corrupts one element's fields (see the end of this file).
WHOLE_DOCUMENT_FORMATS = {"telegram_desktop", "instagram_follows"}
FORMATS = sorted(
    r.format
    for r in readers()
    if any(FORMAT_FIXTURES.glob(f"{r.format}.*")) and r.format not in WHOLE_DOCUMENT_FORMATS
)
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


# -- whole-document formats ---------------------------------------------------------------------

PROBE = "fw-probe"
BAD_BYTES_MARK = "@@NOT-UTF8@@"


def _elements(fmt: str, doc):
    """The list of elements (messages, follower entries) of a parsed document, in file order."""
    if fmt == "telegram_desktop":
        chats = doc["chats"]["list"] if "chats" in doc else [doc]
        return [m for chat in chats for m in chat["messages"]]
    return doc if isinstance(doc, list) else next(iter(doc.values()))


def _corrupt_element(fmt: str, element: dict, kind: str) -> dict:
    """A copy of ``element`` that can never be valid; ``PROBE`` first so its line is known."""
    bad = {"_probe": PROBE, **element}
    if fmt == "telegram_desktop":
        if kind == "wrong_type":
            bad["text"] = 42
        elif kind == "bad_date":
            bad.pop("date_unixtime", None)
            bad["date"] = "yesterday at noon"
        elif kind == "bad_utf8":
            bad["text"] = "caf" + BAD_BYTES_MARK
        elif kind == "wrong_shape":
            bad["from_id"] = ["user", 1]
    else:
        data = dict(element["string_list_data"][0])
        if kind == "wrong_type":
            bad["string_list_data"] = "not a list"
        elif kind == "bad_date":
            data["timestamp"] = "soon"
        elif kind == "bad_utf8":
            data["value"] = "ann" + BAD_BYTES_MARK
        elif kind == "wrong_shape":
            data["value"] = {"nested": "object"}
        if kind != "wrong_type":
            bad["string_list_data"] = [data]
    return bad


def _dump(doc) -> bytes:
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return text.encode("utf-8").replace(BAD_BYTES_MARK.encode(), b"\xff\xfe\xc3")


def _replace_element(fmt: str, doc, index: int, new: dict | None):
    """A deep copy of ``doc`` with element ``index`` replaced by ``new`` (dropped when None)."""
    doc = copy.deepcopy(doc)
    seen = 0
    if fmt == "telegram_desktop":
        for chat in doc["chats"]["list"] if "chats" in doc else [doc]:
            msgs = chat["messages"]
            if index < seen + len(msgs):
                msgs[index - seen : index - seen + 1] = [] if new is None else [new]
                return doc
            seen += len(msgs)
    items = _elements(fmt, doc)
    items[index : index + 1] = [] if new is None else [new]
    return doc


@pytest.mark.parametrize("fmt", sorted(WHOLE_DOCUMENT_FORMATS))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_whole_document_bad_element_is_rejected_and_the_rest_loads(fmt, data, tmp_path):
    fixture = next(FORMAT_FIXTURES.glob(f"{fmt}.*"))
    doc = json.loads(fixture.read_text("utf-8"))
    elements = _elements(fmt, doc)
    index = data.draw(st.integers(0, len(elements) - 1), label="element")
    kind = data.draw(
        st.sampled_from(["wrong_type", "bad_date", "bad_utf8", "wrong_shape"]), label="corruption"
    )
    reader = next(r for r in readers() if r.format == fmt)
    table = reader.primary_table

    without = tmp_path / f"without{fixture.suffix}"
    without.write_bytes(_dump(_replace_element(fmt, doc, index, None)))
    expected_store = Store(":memory:")
    [expected] = ingest_paths(expected_store, [without], format=fmt, force=True)

    corrupt = _dump(_replace_element(fmt, doc, index, _corrupt_element(fmt, elements[index], kind)))
    path = tmp_path / f"corrupt{fixture.suffix}"
    path.write_bytes(corrupt)
    store = Store(":memory:")
    [result] = ingest_paths(store, [path], format=fmt, force=True)

    # The element opens on the line before its first key, the probe.
    probe_line = (
        corrupt.split(b"\n").index(next(ln for ln in corrupt.split(b"\n") if PROBE.encode() in ln))
        + 1
    )
    kept = store.con.execute("SELECT line, reason, raw FROM rejected_rows").fetchall()
    assert result.status == "ingested"
    assert expected.rows_rejected == 0
    assert result.rows_rejected == len(kept) == 1, (kind, kept)
    assert kept[0][0] == probe_line - 1, (kind, kept)
    assert kept[0][1] and PROBE in kept[0][2]
    assert result.rows_read == expected.rows_read + 1
    assert store.count(table) == expected_store.count(table), (kind, kept)


@pytest.mark.parametrize("fmt", sorted(WHOLE_DOCUMENT_FORMATS))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_whole_document_truncated_is_a_clear_error_or_rejected(fmt, data, tmp_path):
    fixture = next(FORMAT_FIXTURES.glob(f"{fmt}.*"))
    body = fixture.read_bytes().rstrip()
    cut = data.draw(st.integers(1, len(body) - 1), label="cut")
    path = tmp_path / f"cut{fixture.suffix}"
    path.write_bytes(body[:cut])
    store = Store(":memory:")
    try:
        [result] = ingest_paths(store, [path], format=fmt, force=True)
    except InputError as exc:
        assert str(exc)  # a one-line message for the user, not a traceback
        return
    assert result.status == "ingested"
    kept = store.con.execute("SELECT line, reason FROM rejected_rows").fetchall()
    assert result.rows_rejected == len(kept) >= 1, kept
    assert any("truncated" in reason for _, reason in kept), kept
    # Every element that ended before the cut was read.
    assert result.rows_read >= 1 or cut < 40
