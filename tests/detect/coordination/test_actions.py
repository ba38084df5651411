"""Co-action pairs: the time-window rule (minute times as intervals), bucketing against a brute
force, symmetry, viral-target sampling, and the full evidence of an edge."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flockwatch.detect.coordination import CoordinationDetector, edge_evidence
from flockwatch.detect.coordination.actions import (
    ACTS,
    TARGETS,
    ActionParams,
    bucket_ms,
    build_actions,
    drop_temp,
    edges_sql,
    pairs_sql,
)

from .helpers import T0, WINDOW_S, brute_force_reposts, post, store_with, width, within


def _repost_edges(store, window_s=WINDOW_S, cap=500):
    params = ActionParams(
        window_ms=window_s * 1000, max_target_accounts=cap, networks=("co_repost",)
    )
    build_actions(store.con, params)
    bucket = bucket_ms(store.con, params.window_ms)
    frame = store.con.execute(
        f"SELECT e.*, a.account_id AS acc_a, b.account_id AS acc_b "
        f"FROM ({edges_sql(ACTS, params.window_ms, bucket)}) e "
        "JOIN _fwc_nodes a ON a.node = e.a JOIN _fwc_nodes b ON b.node = e.b"
    ).df()
    drop_temp(store.con)
    return frame


def _ms(at):
    """Epoch milliseconds of a naive UTC datetime, as the edges' ``first_t``/``last_t``."""
    return round(at.replace(tzinfo=UTC).timestamp() * 1000)


def _origin(pid="P"):
    return post(pid, "zz_author", -30)


@pytest.mark.parametrize(
    ("t1", "t2", "minute", "linked"),
    [
        (0, 60, False, True),  # exactly the window apart
        (0, 61, False, False),  # one second more
        (0, 120, True, True),  # 12:00 and 12:02 as minutes: [12:00, 12:01] and [12:02, 12:03]
        (0, 180, True, False),  # 12:00 and 12:03: two minutes apart at the closest
        (59, 119, True, True),  # same minutes as (0, 60)
    ],
)
def test_window_rule_with_minute_intervals(t1, t2, minute, linked):
    posts = [_origin()]
    for k in range(2):  # two targets, so the pair co-acts twice
        posts.append(_origin(f"P{k}"))
        posts.append(
            post(f"x{k}", "a", t1 + 3600 * k, kind="repost", target=f"P{k}", minute=minute)
        )
        posts.append(
            post(f"y{k}", "b", t2 + 3600 * k, kind="repost", target=f"P{k}", minute=minute)
        )
    frame = _repost_edges(store_with(posts))
    assert (len(frame) == 1) is linked
    if linked:
        assert frame.n_actions.iloc[0] == 2


def test_mixed_precision_uses_the_minute_interval():
    # a minute-precision repost at 12:00 is [12:00:00, 12:01:00]; a second-precision one at
    # 12:02:00 is 60 s from its end: linked. At 12:02:01 it is not.
    for second, linked in ((120, True), (121, False)):
        posts = [
            _origin(),
            post("x", "a", 0, kind="repost", target="P", minute=True),
            post("y", "b", second, kind="repost", target="P"),
        ]
        assert (len(_repost_edges(store_with(posts))) == 1) is linked


def test_bucket_is_window_plus_widest_interval():
    store = store_with(
        [
            _origin(),
            post("x", "a", 0, kind="repost", target="P", minute=True),
            post("y", "b", 0, kind="repost", target="P"),
        ]
    )
    build_actions(store.con, ActionParams(networks=("co_repost",)))
    assert bucket_ms(store.con, 60_000) == 120_000
    drop_temp(store.con)


# -- properties --------------------------------------------------------------------------------
actions = st.lists(
    st.tuples(
        st.integers(0, 5),  # account
        st.integers(0, 3),  # target
        st.integers(0, 600),  # seconds after T0
        st.booleans(),  # minute precision
    ),
    min_size=0,
    max_size=30,
)


def _posts(rows):
    posts = [post(f"T{t}", "origin", -100) for t in range(4)]
    for i, (acc, target, sec, minute) in enumerate(rows):
        posts.append(
            post(f"r{i:03d}", f"acc{acc}", sec, kind="repost", target=f"T{target}", minute=minute)
        )
    return posts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions, st.sampled_from([0, 30, 60, 200]))
def test_edges_equal_brute_force(rows, window_s):
    posts = _posts(rows)
    frame = _repost_edges(store_with(posts), window_s=window_s)
    expected = brute_force_reposts(posts, window_s)
    got = {(r.acc_a, r.acc_b): r for r in frame.itertuples()}
    assert set(got) == set(expected)
    for key, e in expected.items():
        assert got[key].n_actions == e["n_actions"]
        assert got[key].weight == pytest.approx(e["weight"])
        assert got[key].n_targets == e["n_targets"]
        assert got[key].first_t == _ms(e["first"]) and got[key].last_t == _ms(e["last"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions, st.sampled_from([30, 60]))
def test_pairs_are_symmetric_once_and_inside_the_window(rows, window_s):
    posts = _posts(rows)
    by_id = {p["post_id"]: p for p in posts}
    store = store_with(posts)
    params = ActionParams(window_ms=window_s * 1000, networks=("co_repost",))
    build_actions(store.con, params)
    pairs = store.con.execute(
        f"SELECT p.*, na.account_id AS acc_a, nb.account_id AS acc_b "
        f"FROM ({pairs_sql(ACTS, params.window_ms, bucket_ms(store.con, params.window_ms))}) p "
        "JOIN _fwc_nodes na ON na.node = p.a JOIN _fwc_nodes nb ON nb.node = p.b"
    ).df()
    drop_temp(store.con)
    assert (pairs.a < pairs.b).all()
    assert not pairs.duplicated(["post_a", "post_b"]).any()
    unordered = {frozenset((r.post_a, r.post_b)) for r in pairs.itertuples()}
    assert len(unordered) == len(pairs)  # never both (x, y) and (y, x)
    for r in pairs.itertuples():
        x, y = by_id[r.post_a], by_id[r.post_b]
        assert x["account_id"] == r.acc_a and y["account_id"] == r.acc_b
        assert within(x["created_at"], width(x), y["created_at"], width(y), window_s)


def test_viral_targets_keep_a_deterministic_sample():
    posts = [_origin()] + [
        post(f"r{i}", f"acc{i:02d}", i, kind="repost", target="P") for i in range(12)
    ]
    store = store_with(posts)
    params = ActionParams(max_target_accounts=5, networks=("co_repost",), seed=1)
    counts = build_actions(store.con, params)
    kept = store.con.execute(f"SELECT node FROM {ACTS} ORDER BY node").fetchall()
    n = store.con.execute(f"SELECT n FROM {TARGETS}").fetchall()
    drop_temp(store.con)
    build_actions(store.con, params)
    again = store.con.execute(f"SELECT node FROM {ACTS} ORDER BY node").fetchall()
    drop_temp(store.con)
    assert counts["sampled_targets"] == 1
    assert len(kept) == 5 and kept == again
    assert n == [(12,)]  # the IDF still counts every actor


def test_edge_evidence_returns_every_pair_and_the_row_a_sample():
    posts = [_origin(f"P{k}") for k in range(8)]
    for k in range(8):
        posts.append(post(f"x{k}", "acc1", 3600 * k, kind="repost", target=f"P{k}"))
        posts.append(post(f"y{k}", "acc2", 3600 * k + 5, kind="repost", target=f"P{k}"))
    store = store_with(posts)
    out = CoordinationDetector(cutoff="none", min_co_actions=1).run(store)
    edges = out.tables["coordination_edges"].to_pandas()
    row = edges[edges.network == "co_repost"].iloc[0]
    sample = json.loads(row.evidence)
    assert row.n_actions == 8 and len(sample) == 5  # the row keeps a sample...
    full = edge_evidence(store, "acc2", "acc1", "co_repost", params={"cutoff": "none"})
    assert len(full) == 8  # ...the function gives all of them, oriented as asked
    assert set(full.post_a) == {f"y{k}" for k in range(8)}
    assert {tuple(reversed(p)) for p in sample} <= set(zip(full.post_a, full.post_b, strict=True))
    assert (full.at_a - full.at_b).dt.total_seconds().eq(5).all()
    assert T0.hour == full.at_b.iloc[0].hour
