"""The takedown-archive sample (Thailand 092020): its co-retweet burst is found.

Ten accounts retweeted tweet 1231401328779251712 (minute-precision times: 14:28, 14:34 and 14:36
on Feb 23; 02:41, 03:15, 03:22, 03:36, 03:56, 04:19 and 08:12 on Feb 24). Each did it once, so
the null model cannot tell them from chance (every shuffle leaves a one-post account where it
was); the raw network (``cutoff="none"``, one co-action) shows the burst.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flockwatch.detect.coordination import CoordinationDetector, edge_evidence
from flockwatch.ingest.runner import ingest_paths
from flockwatch.store.db import Store

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
ARCHIVE = SHARED_DATA / "formats" / "twitter_io_archive"
TWEET = "1231401328779251712"


@pytest.fixture(scope="module")
def store():
    if not ARCHIVE.is_dir():
        pytest.skip(f"real sample data not present at {ARCHIVE}")
    s = Store(":memory:")
    ingest_paths(s, [ARCHIVE])
    yield s
    s.close()


def _retweeters(store):
    rows = store.con.execute(
        "SELECT account_id, strftime(created_at, '%d %H:%M') FROM posts "
        "WHERE target_post_id = ? AND kind = 'repost'",
        [TWEET],
    ).fetchall()
    return {t: a for a, t in rows}


def _edges(store, window):
    out = CoordinationDetector(window_seconds=window, cutoff="none", min_co_actions=1, seed=0).run(
        store
    )
    e = out.tables["coordination_edges"].to_pandas()
    return out, e[e.network == "co_repost"]


def test_the_burst_is_ingested(store):
    assert len(_retweeters(store)) == 10


def test_minute_intervals_link_retweets_two_minutes_apart(store):
    by_time = _retweeters(store)
    _, edges = _edges(store, 60)
    pairs = {frozenset((r.account_a, r.account_b)) for r in edges.itertuples()}
    assert frozenset((by_time["23 14:34"], by_time["23 14:36"])) in pairs  # 60 s apart at most
    assert frozenset((by_time["23 14:28"], by_time["23 14:34"])) not in pairs  # 5 minutes
    full = edge_evidence(
        store,
        by_time["23 14:34"],
        by_time["23 14:36"],
        "co_repost",
        params={"window_seconds": 60, "cutoff": "none", "min_co_actions": 1},
    )
    assert len(full) == 1 and full.target.iloc[0] == TWEET


def test_the_burst_forms_clusters_in_a_wider_window(store):
    by_time = _retweeters(store)
    out, edges = _edges(store, 600)
    evening = {by_time[t] for t in ("23 14:28", "23 14:34", "23 14:36")}
    linked = {frozenset((r.account_a, r.account_b)) for r in edges.itertuples()}
    assert all(frozenset((a, b)) in linked for a in evening for b in evening if a < b)
    clusters = [f for f in out.findings if f.subject_kind == "cluster"]
    members = [{m["account_id"] for m in f.details["members"]} for f in clusters]
    assert any(evening <= m for m in members)
    retweets = {
        r[0]
        for r in store.con.execute(
            "SELECT post_id FROM posts WHERE target_post_id = ?", [TWEET]
        ).fetchall()
    }
    for r in edges.itertuples():
        if {r.account_a, r.account_b} <= evening:
            assert {p for pair in json.loads(r.evidence) for p in pair} <= retweets
