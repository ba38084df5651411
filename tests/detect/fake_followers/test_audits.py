"""Follower audits on hand-made stores (issue 7 §1)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flockwatch.detect.fake_followers import FakeFollowersDetector
from flockwatch.detect.fake_followers.intervals import wilson_interval
from flockwatch.detect.runner import run_detectors
from flockwatch.errors import ParameterError
from flockwatch.store.db import Store
from tests.detect.fake_followers.helpers import (
    START,
    account,
    build,
    follows,
    people,
    snapshots,
    stock,
)

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def audits(store: Store, **params) -> dict[str, object]:
    out = FakeFollowersDetector(**params).run(store)
    return {f.subject_id: f for f in out.findings if f.subject_kind == "audit"}


@pytest.fixture
def customer_store(store):
    """``buyer``: 30 real followers seen at the first crawl, then 60 stock accounts within
    three hours on day 4, and +1,000 followers between two daily snapshots."""
    real, bought = people("p", 30), stock("s", 60)
    return build(
        store,
        [account("buyer"), *real, *bought],
        follows(real, "buyer", START, timedelta(0))
        + follows(bought, "buyer", START + 4 * DAY + 10 * HOUR, timedelta(minutes=3)),
        snapshots("buyer", [400, 401, 402, 403, 404, 1404, 1405, 1406]),
    )


def test_a_customer_with_a_bought_step_is_found(customer_store):
    audit = audits(customer_store)["buyer"]
    assert audit.score >= 0.9 and audit.label == "bought_followers"
    low, high = wilson_interval(60, 90)
    assert audit.details["fake_share"] == round(60 / 90, 4)
    assert (audit.details["ci_low"], audit.details["ci_high"]) == (
        round(float(low), 4),
        round(float(high), 4),
    )
    assert audit.details["score_sources"] == {"bot_profile_model": 90}
    assert audit.explanation.startswith(
        "~67% of 90 known followers look fake (95% CI 56–76%, all scored)"
    )
    assert "followers +1,000 on 2026-03-06 in one step" in audit.explanation
    assert "60 follows arrived within 3 h on 2026-03-05" in audit.explanation
    assert audit.details["arrival_bursts"][0]["follows"] == 60
    # evidence: the account, fake-looking followers that arrived in the burst, the step's snapshots
    assert audit.evidence["accounts"] == ["buyer"]
    assert all(f[1] == "buyer" and f[0].startswith("s") for f in audit.evidence["follows"])
    assert [s[1][:10] for s in audit.evidence["account_snapshots"]] == ["2026-03-05", "2026-03-06"]


def test_a_genuine_account_with_organic_growth_is_not(store):
    real = people("p", 45)
    build(
        store,
        [account("steady"), *real],
        follows(real[:30], "steady", START, timedelta(0))
        + follows(real[30:], "steady", START + DAY, 17 * HOUR),
        snapshots("steady", [300 + 2 * i for i in range(30)]),
    )
    audit = audits(store)["steady"]
    assert audit.score < 0.1 and audit.label == "audited"
    assert audit.details["fake"] == 0 and audit.details["steps"] == []
    assert audit.details["arrival_bursts"] == []


def test_fake_followers_alone_stay_below_the_flag(store):
    """A famous account that sellers' stock follows as camouflage: many fake-looking followers,
    all already there at the first crawl, steady growth: reported, not flagged."""
    real, fakes = people("p", 40), stock("s", 40)
    build(
        store,
        [account("famous"), *real, *fakes],
        follows(real + fakes, "famous", START, timedelta(0)),
        snapshots("famous", [90000 + 50 * i for i in range(20)]),
    )
    audit = audits(store)["famous"]
    assert audit.details["fake_share"] == 0.5
    assert audit.details["components"]["fake"] > 0.5
    assert audit.score < 0.5
    assert audit.score == pytest.approx(0.4 * audit.details["components"]["fake"], abs=1e-4)


def test_fake_looking_followers_that_engage_are_amplifiers(store):
    """Stock-like accounts that follow in a burst but repost the account: not bought."""
    real, amps = people("p", 20), stock("s", 40)
    posts = [
        {
            "platform": "twitter",
            "post_id": f"rp{i}",
            "account_id": a["account_id"],
            "kind": "repost",
            "target_account_id": "core",
            "created_at": START + 5 * DAY,
        }
        for i, a in enumerate(amps)
    ]
    build(
        store,
        [account("core"), *real, *amps],
        follows(real, "core", START, timedelta(0))
        + follows(amps, "core", START + 4 * DAY, timedelta(minutes=3)),
        posts=posts,
    )
    audit = audits(store)["core"]
    assert audit.details["engaged_share"] == 1.0
    assert audit.score == 0.0
    assert "reposted, quoted or replied to it: amplifiers" in audit.explanation


def test_large_follower_lists_are_sampled_with_the_seed(store):
    real, fakes = people("p", 900), stock("s", 600)
    build(store, [account("big"), *real, *fakes], follows(real + fakes, "big", START, timedelta(0)))
    a = audits(store, sample_size=200, seed=1)["big"]
    assert a.details["sampled"] == 200 and a.details["followers_seen"] == 1500
    assert "(95% CI" in a.explanation and "200 sampled)" in a.explanation
    assert 0.3 < a.details["fake_share"] < 0.5  # 40% fake, give or take the sampling
    again = audits(store, sample_size=200, seed=1)["big"]
    other = audits(store, sample_size=200, seed=2)["big"]
    assert again.details == a.details
    assert other.details["fake"] != a.details["fake"] or other.evidence != a.evidence


def test_the_bot_score_findings_are_used_when_present(customer_store):
    run_detectors(customer_store, ["bot_score", "fake_followers"])
    row = customer_store.con.execute(
        "SELECT details->>'$.score_sources' FROM latest_findings "
        "WHERE detector = 'fake_followers' AND subject_id = 'buyer'"
    ).fetchall()
    assert row == [('{"bot_score":90}',)]


def test_other_platforms_use_the_fake_profile_model(store):
    real = people("i", 25, platform="instagram")
    bots = [
        {**f, "platform": "instagram", "screen_name": f"anna{48213907 + i}", "display_name": ""}
        for i, f in enumerate(stock("j", 25))
    ]
    build(
        store,
        [account("gram", platform="instagram"), *real, *bots],
        follows(real + bots, "gram", START, timedelta(0)),
    )
    audit = audits(store)["gram"]
    assert audit.platform == "instagram"
    assert audit.details["score_sources"] == {"fake_profile_model": 50}
    assert audit.details["fake"] == 25


def test_accounts_with_too_few_known_followers_are_not_audited(store):
    real = people("p", 19)
    build(store, [account("small"), *real], follows(real, "small", START, timedelta(0)))
    assert audits(store) == {}
    assert "small" in audits(store, min_followers_seen=19)


@pytest.mark.parametrize(
    ("param", "value"),
    [("sample_size", 0), ("fake_threshold", 1.5), ("burst_hours", 0), ("min_pool_size", 1)],
)
def test_bad_parameters_are_refused_by_name(store, param, value):
    with pytest.raises(ParameterError, match=f"parameter '{param}' of detector 'fake_followers'"):
        FakeFollowersDetector(**{param: value}).run(store)
