"""Progress of SQL readers: DuckDB's estimate of a long statement moves the file's bar."""

from __future__ import annotations

from pathlib import Path

import pytest

import flockwatch.ingest.base as base
from flockwatch.ingest.base import IngestOptions, Stage
from flockwatch.ingest.runner import IngestResult, Progress, ingest_paths
from flockwatch.ingest.sources import Source
from flockwatch.store.db import Store
from tests.conftest import FORMAT_FIXTURES


class Recorder(Progress):
    def __init__(self) -> None:
        self.seen: list[int] = []
        self.totals: list[int] = []

    def start_file(self, name: str, total_bytes: int) -> None:
        self.totals.append(total_bytes)

    def advance(self, bytes_done: int) -> None:
        self.seen.append(bytes_done)

    def end_file(self, result: IngestResult) -> None: ...


def test_tracking_moves_forward_during_a_long_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "PROGRESS_POLL_SECONDS", 0.01)
    store = Store(":memory:")
    path = FORMAT_FIXTURES / "twitter_io_tweets.csv"
    source = Source(path.name, path, size=10_000)
    seen: list[int] = []
    stage = Stage(store, source, 1, IngestOptions(), on_progress=seen.append)
    stage.progress(1_000)
    with stage.tracking(9_000):
        # a statement long enough for several polls (a few hundred ms)
        store.con.execute(
            "SELECT count(*) FROM (SELECT range % 100003 AS k, count(*) FROM range(30000000) "
            "GROUP BY k)"
        ).fetchall()
    assert seen[0] == 1_000
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # forward only
    assert any(1_000 < s < 9_000 for s in seen), seen  # moved during the statement
    assert all(s <= 9_000 for s in seen)
    # the setting is back to its default afterwards
    assert store.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] in (
        False,
        "false",
    )


def test_progress_never_moves_backwards() -> None:
    store = Store(":memory:")
    path = FORMAT_FIXTURES / "twitter_io_tweets.csv"
    source = Source(path.name, path, size=10_000)
    seen: list[int] = []
    stage = Stage(store, source, 1, IngestOptions(), on_progress=seen.append)
    stage.progress(500)
    stage._last_progress = 0.0  # past the throttle
    stage.progress(300)
    assert seen == [500]


def test_an_ingest_reports_forward_only(tmp_path: Path) -> None:
    recorder = Recorder()
    ingest_paths(Store(":memory:"), [FORMAT_FIXTURES / "twitter_io_tweets.csv"], progress=recorder)
    assert recorder.seen == sorted(recorder.seen)
    assert all(s <= recorder.totals[0] for s in recorder.seen)
