"""Files with many bad records: every one kept in ``rejected_rows`` at its physical line.

The physical line of a refused record counts the line breaks inside the quoted fields of every
record before it; these tests mix multi-line texts, bad times and a refused (unbalanced-quote)
record and compare each rejected row's line with the line the writer put it on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flockwatch.ingest.runner import ingest_paths
from flockwatch.store.db import Store
from tests.conftest import FORMAT_FIXTURES

KINDS = ("ok", "multiline", "bad_time", "bad_time_multiline")


def _write(path: Path, kinds: list[str]) -> tuple[list[int], int]:
    """A takedown tweets CSV with one record per kind; returns the physical lines of the
    records with a bad time, and the number of good records."""
    fixture = (FORMAT_FIXTURES / "twitter_io_tweets.csv").read_text(encoding="utf-8")
    header, first = list(csv.reader(io.StringIO(fixture, newline="")))[:2]
    tid, text, when = (header.index(c) for c in ("tweetid", "tweet_text", "tweet_time"))
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    line, bad_lines, good = 2, [], 0
    for i, kind in enumerate(kinds):
        row = list(first)
        row[tid] = str(10**15 + i)
        row[text] = f"first {i}\nsecond\nthird" if kind.endswith("multiline") else f"text {i}"
        if kind.startswith("bad_time"):
            row[when] = "yesterday-ish"
            bad_lines.append(line)
        else:
            good += 1
        w.writerow(row)
        line += row[text].count("\n") + 1
    path.write_text(out.getvalue(), encoding="utf-8")
    return bad_lines, good


def _ingest(path: Path) -> tuple[list[int], int]:
    store = Store(":memory:")
    ingest_paths(store, [path])
    lines = [
        r[0] for r in store.con.execute("SELECT line FROM rejected_rows ORDER BY line").fetchall()
    ]
    return lines, store.count("posts")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=60))
def test_each_bad_record_at_its_line(kinds: list[str], tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    bad_lines, good = _write(path, kinds)
    assert _ingest(path) == (bad_lines, good)


def test_thousands_of_bad_records(tmp_path: Path) -> None:
    kinds = [KINDS[i % 4] if i % 7 else "bad_time" for i in range(9_000)]
    path = tmp_path / "tweets.csv"
    bad_lines, good = _write(path, kinds)
    lines, posts = _ingest(path)
    assert len(lines) == len(bad_lines) > 4_000
    assert lines == bad_lines and posts == good
