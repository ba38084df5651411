"""The detector on hand-made worlds: an operation scores high, fans of a star score low; roles;
clusters partition the clustered accounts; parameters are validated; the same seed gives the
same output."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flockwatch.detect.coordination import CoordinationDetector
from flockwatch.detect.runner import findings_frame
from flockwatch.errors import ParameterError

from .helpers import post, store_with

CLIENTS = ["Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter for iPad"]
FANS = [f"fan{i}" for i in range(8)]
CORES = ["core1", "core2"]
AMPS = [f"amp{i}" for i in range(8)]


def _account(account_id, created, **extra):
    return {
        "platform": "twitter",
        "account_id": account_id,
        "screen_name": account_id,
        "created_at": created,
        "verified": False,
        "default_profile_image": False,
        "description": "Runner, reader, dad",
        **extra,
    }


def fans_and_operation():
    """A verified star whose 8 fans (2009-2020 accounts, four apps) repost every post within
    seconds; and an operation: two cores that repost each other, eight amplifiers created within
    two days (default image, no bio, one scheduling client) that repost every core post within
    seconds and one another's slogans."""
    accounts = [_account("star", datetime(2010, 1, 1), verified=True, followers_count=2_000_000)]
    accounts += [_account(f, datetime(2009 + i, 3 + i, 1)) for i, f in enumerate(FANS)]
    accounts += [_account(c, datetime(2024, 5 + i, 1)) for i, c in enumerate(CORES)]
    accounts += [
        _account(a, datetime(2026, 2, 20, i), default_profile_image=True, description=None)
        for i, a in enumerate(AMPS)
    ]
    posts = []
    for k in range(8):
        t = 5000 * k
        posts.append(
            post(
                f"s{k}",
                "star",
                t,
                text=f"Tour day {k}, thank you all",
                hashtags=["tour"],
                client="Twitter for iPhone",
            )
        )
        for i, f in enumerate(FANS):
            posts.append(
                post(
                    f"s{k}f{i}",
                    f,
                    t + 2 + 3 * i,
                    kind="repost",
                    target=f"s{k}",
                    target_account_id="star",
                    client=CLIENTS[i % 4],
                )
            )
        core, other = CORES[k % 2], CORES[1 - k % 2]
        tc = 100_000 + 7000 * k
        posts.append(
            post(
                f"c{k}",
                core,
                tc,
                text=f"The truth about the dam, part {k} #DamYes",
                hashtags=["DamYes"],
                client="Twitter Web App",
            )
        )
        posts.append(
            post(
                f"c{k}o",
                other,
                tc + 4,
                kind="repost",
                target=f"c{k}",
                target_account_id=core,
                client="Twitter Web App",
            )
        )
        for i, a in enumerate(AMPS):
            posts.append(
                post(
                    f"c{k}a{i}",
                    a,
                    tc + 3 + 2 * i,
                    kind="repost",
                    target=f"c{k}",
                    target_account_id=core,
                    client="AutoPoster Pro",
                )
            )
    for i, a in enumerate(AMPS):
        posts.append(
            post(
                f"m{i}",
                a,
                200_000 + 3 * i,
                text="Dam = jobs. Say YES! #DamYes",
                hashtags=["DamYes"],
                client="AutoPoster Pro",
            )
        )
        nxt = AMPS[(i + 1) % len(AMPS)]
        posts.append(
            post(
                f"m{i}r",
                nxt,
                203_000 + 3 * i,
                kind="repost",
                target=f"m{i}",
                target_account_id=a,
                client="AutoPoster Pro",
            )
        )
    return store_with(posts, accounts)


@pytest.fixture(scope="module")
def world():
    store = fans_and_operation()
    out = CoordinationDetector(seed=0).run(store)
    return store, out, findings_frame(out)


def _clusters(frame):
    rows = frame[frame.subject_kind == "cluster"]
    return {r.subject_id: (r, json.loads(r.details)) for r in rows.itertuples()}


def _cluster_of(frame, account):
    for cid, (_, det) in _clusters(frame).items():
        if account in {m["account_id"] for m in det["members"]}:
            return cid
    return None


def test_operation_scores_high_and_fans_low(world):
    _, _, frame = world
    clusters = _clusters(frame)
    op, fans = _cluster_of(frame, "amp0"), _cluster_of(frame, "fan0")
    assert op and fans and op != fans
    op_row, op_det = clusters[op]
    fan_row, fan_det = clusters[fans]
    assert op_row.score >= 0.5 and op_row.label == "coordinated_inauthentic"
    assert fan_row.score < 0.2 and fan_row.label == "coordinated"
    assert {m["account_id"] for m in fan_det["members"]} == set(FANS)
    assert fan_det["verified_target_share"] == 1.0 and fan_det["echo_ratio"] == 0.0
    assert op_det["creation_burst_share"] >= 0.8
    assert "inauthenticity" in op_row.explanation and str(op_det["size"]) in op_row.explanation
    assert _cluster_of(frame, "star") is None  # the star is amplified, not coordinating


def test_roles(world):
    _, _, frame = world
    accounts = frame[frame.subject_kind == "account"].set_index("subject_id")
    assert set(accounts.loc[CORES, "label"]) == {"core"}
    assert set(accounts.loc[AMPS, "label"]) == {"amplifier"}
    assert set(accounts.loc[FANS, "label"]) == {"amplifier"}  # no core: the star is outside
    _, det = _clusters(frame)[_cluster_of(frame, "amp0")]
    assert det["n_core"] == 2 and det["n_amplifier"] == 8
    assert accounts.loc["core1", "score"] >= accounts.loc["amp0", "score"]


def test_campaign_view(world):
    _, _, frame = world
    _, det = _clusters(frame)[_cluster_of(frame, "amp0")]
    assert det["top_hashtags"] == ["damyes"]
    timeline = det["campaign"]["timeline"]
    assert timeline["unit"] == "hour" and sum(n for _, n in timeline["bins"]) == det_posts(det)


def det_posts(det):
    return sum(m["n_posts"] for m in det["members"])


def test_cutoffs_are_reported(world):
    _, out, frame = world
    _, det = next(iter(_clusters(frame).values()))
    nets = {c["network"] for c in det["cutoffs"]}
    assert {"co_repost", "co_post", "sync"} <= nets
    assert out.summary["cutoffs"] == det["cutoffs"]
    repost = next(c for c in det["cutoffs"] if c["network"] == "co_repost")
    assert repost["method"] == "null" and repost["n_kept"] <= repost["n_observed"]


def test_evidence_points_at_stored_rows(world):
    store, _, frame = world
    for raw in frame.evidence:
        ev = json.loads(raw)
        for pid in ev.get("posts", []):
            assert store.con.execute(
                "SELECT count(*) FROM posts WHERE post_id = ?", [pid]
            ).fetchall()[0][0]
        for acc in ev.get("accounts", []):
            assert store.con.execute(
                "SELECT count(*) FROM posts WHERE account_id = ?", [acc]
            ).fetchall()[0][0]


def test_same_seed_same_output():
    a = CoordinationDetector(seed=5).run(fans_and_operation())
    b = CoordinationDetector(seed=5).run(fans_and_operation())
    assert findings_frame(a).equals(findings_frame(b))
    assert a.tables["coordination_edges"].equals(b.tables["coordination_edges"])


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("window_seconds", -1),
        ("cutoff", "fixed"),
        ("max_fdr", 1.5),
        ("min_cluster_size", 1),
        ("weight_sync", -0.5),
        ("text_threshold", 0),
        ("seed", "x"),
    ],
)
def test_bad_parameters_are_refused_with_their_name(param, value):
    with pytest.raises(ParameterError, match=param):
        CoordinationDetector(**{param: value}).run(store_with([]))


def test_networks_with_weight_zero_are_skipped():
    out = CoordinationDetector(weight_co_post=0.0, weight_sync=0.0).run(fans_and_operation())
    nets = {c["network"] for c in out.summary["cutoffs"]}
    assert "co_post" not in nets and "sync" not in nets and "co_repost" in nets


# -- clusters partition the clustered accounts -------------------------------------------------
groups = st.lists(
    st.tuples(st.integers(2, 6), st.integers(1, 5), st.integers(0, 40)),  # size, targets, jitter
    min_size=1,
    max_size=4,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups, st.integers(0, 3))
def test_clusters_partition_the_clustered_accounts(spec, seed):
    posts = []
    for g, (size, targets, jitter) in enumerate(spec):
        for k in range(targets):
            t = 10_000 * g + 900 * k
            posts.append(post(f"g{g}t{k}", f"src{g}", t))
            for i in range(size):
                posts.append(
                    post(
                        f"g{g}t{k}a{i}",
                        f"g{g}a{i}",
                        t + 1 + (jitter * i) % 50,
                        kind="repost",
                        target=f"g{g}t{k}",
                    )
                )
    frame = findings_frame(
        CoordinationDetector(cutoff="none", min_co_actions=1, seed=seed).run(store_with(posts))
    )
    clusters = _clusters(frame)
    accounts = frame[frame.subject_kind == "account"]
    seen: set[str] = set()
    for _, det in clusters.values():
        members = {m["account_id"] for m in det["members"]}
        assert len(members) == det["size"] >= 3
        assert det["n_core"] + det["n_amplifier"] == det["size"]
        assert not members & seen
        seen |= members
    assert seen == set(accounts.subject_id)
    for r in accounts.itertuples():
        assert r.subject_id in {
            m["account_id"] for m in clusters[json.loads(r.details)["cluster_id"]][1]["members"]
        }
