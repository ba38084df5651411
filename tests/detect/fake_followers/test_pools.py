"""Seller pools recovered on a small hand-made world (issue 7 §1)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flockwatch.detect.fake_followers import FakeFollowersDetector
from flockwatch.detect.fake_followers.pools import _merged, pool_score
from tests.detect.fake_followers.helpers import START, account, build, follows, people, stock

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
CUSTOMERS = ["c1", "c2", "c3", "c4"]
CORES = ["k1", "k2", "k3"]


@pytest.fixture
def world(store):
    """A seller's stock of 40 accounts: each customer bought 30 of them (different ones,
    delivered within 90 minutes on its own day); each customer also has 15 real followers.
    And an amplification network: 25 stock-like accounts follow three core accounts and
    repost them."""
    real = people("p", 80)
    bought = stock("s", 40)
    amps = [{**a, "account_id": f"a{i:05d}"} for i, a in enumerate(stock("x", 25))]
    rows = []
    for n, c in enumerate(CUSTOMERS):
        rows += follows(real[15 * n : 15 * n + 15], c, START, timedelta(0))
        chosen = [bought[(n * 10 + i) % 40] for i in range(30)]
        rows += follows(chosen, c, START + (3 + 4 * n) * DAY, timedelta(minutes=3))
    for n, k in enumerate(CORES):
        rows += follows(real[60 + 5 * n : 65 + 5 * n], k, START, timedelta(0))
        rows += follows(amps, k, START + 2 * DAY + n * HOUR, timedelta(minutes=1))
    posts = [
        {
            "platform": "twitter",
            "post_id": f"r{a['account_id']}{k}",
            "account_id": a["account_id"],
            "kind": "repost",
            "target_account_id": k,
            "created_at": START + 3 * DAY,
        }
        for a in amps
        for k in CORES
    ]
    return build(
        store, [*(account(c) for c in CUSTOMERS + CORES), *real, *bought, *amps], rows, posts=posts
    )


def test_the_sellers_pool_is_recovered_with_its_customers(world):
    out = FakeFollowersDetector().run(world)
    pools = {f.subject_id: f for f in out.findings if f.subject_kind == "pool"}
    seller = [p for p in pools.values() if set(p.evidence["accounts"]) & {"s00000"}]
    assert len(seller) == 1
    seller = seller[0]
    assert set(seller.evidence["accounts"]) == {f"s{i:05d}" for i in range(40)}
    assert {c["account_id"] for c in seller.details["customers"]} == set(CUSTOMERS)
    assert seller.score >= 0.9 and seller.label == "seller_pool"
    assert seller.details["evidence_shares"]["fake"] == 1.0
    assert seller.details["evidence_shares"]["delivered_in_bursts"] == 1.0
    assert seller.explanation.startswith(
        "40 accounts follow the same 4 accounts (3 each on average)"
    )
    assert "none engaged" in seller.explanation
    # the customers' audits name the pool
    audits = {f.subject_id: f for f in out.findings if f.subject_kind == "audit"}
    for c in CUSTOMERS:
        assert audits[c].details["pool_ids"] == [seller.subject_id]
        assert audits[c].score >= 0.5


def test_an_amplification_network_is_a_group_but_not_a_seller(world):
    out = FakeFollowersDetector().run(world)
    amp = [
        f for f in out.findings if f.subject_kind == "pool" and "a00000" in f.evidence["accounts"]
    ]
    assert len(amp) == 1
    assert amp[0].details["engaged_share"] == 1.0
    assert amp[0].score == 0.0 and amp[0].label == "co_following"
    cores = [f for f in out.findings if f.subject_kind == "audit" and f.subject_id in CORES]
    assert cores and all(f.score < 0.5 and f.details["pool_ids"] == [] for f in cores)


def test_pools_are_numbered_by_size_and_stable_under_the_seed(world):
    a = FakeFollowersDetector(seed=4).run(world).findings
    b = FakeFollowersDetector(seed=4).run(world).findings
    ids = [f.subject_id for f in a if f.subject_kind == "pool"]
    assert ids == ["pool-1", "pool-2"]
    assert [f.details for f in a] == [f.details for f in b]
    sizes = [f.details["size"] for f in a if f.subject_kind == "pool"]
    assert sizes == sorted(sizes, reverse=True)


def test_pools_of_one_stock_are_merged():
    merged = _merged(
        [
            ("twitter", {"c1", "c2"}, {"a", "b", "c", "d"}),
            ("twitter", {"c3", "c4"}, {"c", "d", "e"}),  # 2 of 3 members shared
            ("twitter", {"c5", "c6"}, {"x", "y", "z"}),
            ("mastodon", {"m1", "m2"}, {"a", "b", "c", "d"}),  # platforms never mix
        ]
    )
    assert sorted((p, sorted(c), len(m)) for p, c, m in merged) == [
        ("mastodon", ["m1", "m2"], 4),
        ("twitter", ["c1", "c2", "c3", "c4"], 5),
        ("twitter", ["c5", "c6"], 3),
    ]


def test_pool_score_renormalises_over_what_is_known():
    full = {
        "fake": 1.0,
        "created_together": 1.0,
        "no_bio": 1.0,
        "digit_handles": 1.0,
        "delivered_in_bursts": 1.0,
    }
    assert pool_score(full, 0.0) == pytest.approx(1.0)
    assert pool_score(full, 0.25) == pytest.approx(0.75)
    assert pool_score({k: None for k in full}, 0.0) == 0.0
    assert pool_score({**full, "no_bio": None, "fake": 0.0}, 0.0) == pytest.approx(0.5 / 0.85)
