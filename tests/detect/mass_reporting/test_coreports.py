"""The co-reporting self-join: bucketed, it finds exactly the report pairs a brute force finds,
every pair inside the window, each pair once with ``a < b``."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.mass_reporting.coreports import (
    PAIRS,
    CoReportParams,
    build_reports,
    co_report_edges,
    drop_temp,
)
from flockwatch.detect.mass_reporting.examples import insert
from flockwatch.store.db import Store

T0 = datetime(2026, 3, 1)
WINDOW_S = 60


def _reports(rows):
    return [
        {
            "platform": "twitter",
            "report_id": f"r{i}",
            "reporter_id": f"u{reporter}",
            "target_account_id": f"t{target}",
            "created_at": T0 + timedelta(seconds=second),
        }
        for i, (reporter, target, second) in enumerate(rows)
    ]


def _pairs(rows, min_co=1):
    store = Store(":memory:")
    insert(store, "reports", _reports(rows))
    build_reports(store.con)
    edges, _ = co_report_edges(
        store.con,
        CoReportParams(
            window_ms=WINDOW_S * 1000, min_co_reports=min_co, max_target_reporters=1000, seed=0
        ),
    )
    pairs = store.con.execute(f"SELECT a, b, id_a, id_b, t0, t1 FROM {PAIRS}").fetchall()
    drop_temp(store.con)
    return edges, pairs


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(0, 600)),
        min_size=0,
        max_size=30,
    )
)
def test_bucketed_join_equals_brute_force(rows):
    _, pairs = _pairs(rows)
    found = {(a, b, ia, ib) for a, b, ia, ib, _, _ in pairs}
    expected = set()
    for (i, (ra, ta, sa)), (j, (rb, tb, sb)) in combinations(enumerate(rows), 2):
        if ra != rb and ta == tb and abs(sa - sb) <= WINDOW_S:
            lo, hi = sorted([(f"u{ra}", f"r{i}"), (f"u{rb}", f"r{j}")])
            expected.add((lo[0], hi[0], lo[1], hi[1]))
    assert found == expected
    assert len(pairs) == len(found)  # each pair once
    assert all(a < b and t1 - t0 <= WINDOW_S * 1000 for a, b, _, _, t0, t1 in pairs)


def test_window_edges_and_buckets():
    rows = [
        (1, 0, 0), (2, 0, 60),  # exactly the window apart: co-reported
        (1, 1, 119), (2, 1, 121),  # 2 s apart across a bucket boundary: co-reported
        (1, 2, 0), (3, 2, 61),  # 61 s apart: not
        (1, 0, 1000), (1, 0, 1001),  # the same reporter twice: not a pair
    ]  # fmt: skip
    edges, pairs = _pairs(rows)
    assert {(a, b) for a, b, *_ in pairs} == {("u1", "u2")}
    (edge,) = edges.itertuples(index=False)
    assert (edge.a, edge.b, edge.n_co, edge.n_targets) == ("u1", "u2", 2, 2)


def test_links_need_repeated_co_reports():
    once = [(1, 0, 0), (2, 0, 5), (3, 0, 10)]
    edges, _ = _pairs(once, min_co=2)
    assert edges.empty
    twice = once + [(1, 1, 500), (2, 1, 505)]
    edges, _ = _pairs(twice, min_co=2)
    assert [(e.a, e.b) for e in edges.itertuples()] == [("u1", "u2")]
