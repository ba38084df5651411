"""The ``activity`` detector on hand-made stores whose answers are computed by hand, and on a
small simulated world whose answers are planted (issue 3 §3)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flockwatch.detect.activity.detector import ActivityDetector
from flockwatch.detect.activity.examples import (
    account,
    daily_posts,
    daily_snapshots,
    insert,
)
from flockwatch.errors import ParameterError
from flockwatch.store.db import Store

MARCH_1 = date(2026, 3, 1)


def _run(store: Store, **params) -> dict[tuple[str, str, str], object]:
    return {
        (f.subject_kind, f.platform, f.subject_id): f for f in ActivityDetector(**params).run(store)
    }


def _accounts(found) -> dict[str, object]:
    return {k[2]: f for k, f in found.items() if k[0] == "account"}


def _cohorts(found) -> dict[str, object]:
    return {k[2]: f for k, f in found.items() if k[0] == "cohort"}


# -- leaps in posts ---------------------------------------------------------------------------


def test_posts_leap_found_with_its_date_size_and_evidence(store):
    # a1: 2,3,2,2,3 then 80, 90. Baseline = median(2,3,2,2,3) = 2, MAD 0 -> noise floor
    # sqrt(2); the jump is 2026-03-06..07, level median(80, 90) = 85, ratio 85/2 = 42.5 > 25 -> 1.
    # a2: 4 a day then 40: ratio 10 -> score 0.5 * ln 10 / ln 5 = 0.7153.
    # a3: 2 a day then 20: only +18 posts, under min_posts_jump = 20 -> nothing.
    insert(store, "accounts", [account(a, datetime(2024, 1, 1)) for a in ("a1", "a2", "a3")])
    insert(store, "posts", daily_posts("a1", MARCH_1, [2, 3, 2, 2, 3, 80, 90]))
    insert(store, "posts", daily_posts("a2", MARCH_1, [4, 4, 4, 4, 4, 40]))
    insert(store, "posts", daily_posts("a3", MARCH_1, [2, 2, 2, 2, 2, 20]))
    found = _accounts(_run(store))
    assert set(found) == {"a1", "a2"}

    a1 = found["a1"]
    (jump,) = a1.details["jumps"]
    assert jump["metric"] == "posts"
    assert (jump["start"], jump["end"], jump["days"]) == ("2026-03-06", "2026-03-07", 2)
    assert (jump["baseline"], jump["level"], jump["peak"], jump["peak_day"]) == (
        2,
        85,
        90,
        "2026-03-07",
    )
    assert jump["ratio"] == 42.5 and a1.score == 1.0
    assert a1.explanation == (
        "Posts per day rose from a median of 2 to 85 on 2026-03-06 (42x, 2 days)."
    )
    assert a1.evidence["posts"] == [f"a1-20260306-{i:03d}" for i in range(10)]
    assert a1.evidence["accounts"] == ["a1"]
    assert a1.details["series"]["posts"]["median_per_day"] == 3  # of 2,3,2,2,3,80,90

    assert found["a2"].details["jumps"][0]["start"] == "2026-03-06"
    assert found["a2"].score == pytest.approx(0.5 * math.log(10) / math.log(5), abs=1e-4)


def test_a_level_shift_longer_than_the_quiet_period_is_still_found(store):
    # 5 quiet days then 20 busy days: a whole-series median would be the busy level.
    insert(store, "posts", daily_posts("a1", MARCH_1, [1, 0, 1, 1, 0] + [30] * 20))
    (finding,) = _accounts(_run(store)).values()
    jump = finding.details["jumps"][0]
    assert jump["start"] == "2026-03-06" and jump["baseline"] == 1 and jump["level_after"] == 30


def test_steady_and_short_series_give_nothing(store):
    insert(store, "posts", daily_posts("steady", MARCH_1, [10, 12, 9, 11, 10, 12, 11, 10]))
    insert(store, "posts", daily_posts("new", MARCH_1, [2, 2, 90, 95]))  # < min_days baseline
    assert _run(store) == {}


# -- leaps in followers and following ---------------------------------------------------------


def test_follower_leap_in_daily_snapshots(store):
    # +2 a day, then +3,000 from 03-06 noon to 03-07 noon: rates 2,2,2,2,2,3000,2 -> median 2.
    followers = [100, 102, 104, 106, 108, 110, 3110, 3112]
    insert(store, "account_snapshots", daily_snapshots("f1", MARCH_1, followers, 50))
    finding = _accounts(_run(store))["f1"]
    (jump,) = finding.details["jumps"]
    assert (jump["metric"], jump["from"], jump["to"], jump["delta"]) == (
        "followers",
        "2026-03-06",
        "2026-03-07",
        3000,
    )
    assert jump["baseline_kind"] == "median" and jump["baseline"] == 2
    assert jump["excess"] == 2998 and jump["ratio"] == 1500
    assert finding.explanation == "Followers +3,000 on 2026-03-07 (baseline +2/day)."
    assert finding.evidence["account_snapshots"] == [
        ["f1", "2026-03-06T12:00:00"],
        ["f1", "2026-03-07T12:00:00"],
    ]
    assert "accounts" not in finding.evidence  # f1 has no accounts row


def test_a_purchase_split_across_a_snapshot_counts_whole(store):
    # +120 then +130 on consecutive days (each under min_follower_jump = 200) against +2/day:
    # one jump of +250, excess 250 - 2 * 2 = 246.
    followers = [100, 102, 104, 106, 108, 228, 358, 360, 362]
    insert(store, "account_snapshots", daily_snapshots("f1", MARCH_1, followers, 50))
    (jump,) = _accounts(_run(store))["f1"].details["jumps"]
    assert (jump["from"], jump["to"], jump["delta"], jump["intervals"]) == (
        "2026-03-05",
        "2026-03-07",
        250,
        2,
    )
    assert jump["excess"] == 246


def test_following_leap(store):
    insert(store, "account_snapshots", daily_snapshots("g1", MARCH_1, [10] * 6, 0))
    insert(
        store,
        "account_snapshots",
        [
            {
                "platform": "twitter",
                "account_id": "g1",
                "observed_at": datetime(2026, 3, 7, 12),
                "followers_count": 10,
                "following_count": 1500,
            }
        ],
    )
    (jump,) = _accounts(_run(store))["g1"].details["jumps"]
    assert (jump["metric"], jump["delta"], jump["to"]) == ("following", 1500, "2026-03-07")


def _sparse(account_id: str, created: datetime, points: list[tuple[datetime, int]]) -> list:
    return [account(account_id, created)], [
        {"platform": "twitter", "account_id": account_id, "observed_at": t, "followers_count": n}
        for t, n in points
    ]


def test_sparse_snapshots_use_the_rate_since_creation(store):
    # Created 2020-01-01; 730 followers on 2026-01-01 (2,192 days later): 0.333 a day.
    # Jan: +10 in 31 days (0.32/day). Feb: +800 in 28 days = 28.6/day >= 5 x 1, excess
    # 800 - 0.333 * 28 = 790.7 >= 200.
    accounts, snaps = _sparse(
        "s1",
        datetime(2020, 1, 1),
        [(datetime(2026, 1, 1), 730), (datetime(2026, 2, 1), 740), (datetime(2026, 3, 1), 1540)],
    )
    insert(store, "accounts", accounts)
    insert(store, "account_snapshots", snaps)
    finding = _accounts(_run(store))["s1"]
    (jump,) = finding.details["jumps"]
    assert jump["baseline_kind"] == "since_creation"
    assert jump["baseline"] == pytest.approx(730 / 2192, abs=1e-3)
    assert jump["excess"] == pytest.approx(800 - 28 * 730 / 2192, abs=1e-2)
    assert finding.explanation == (
        "Followers +800 between 2026-02-01 and 2026-03-01 (baseline +0.3/day since creation)."
    )
    assert finding.evidence["account_snapshots"] == [
        ["s1", "2026-02-01T00:00:00"],
        ["s1", "2026-03-01T00:00:00"],
    ]


def test_sparse_steady_growth_is_not_a_leap(store):
    # Two snapshots at the lifetime rate (1 a day since 2024-03-01: 730 followers) -> nothing.
    # Three snapshots of a popular account growing steadily at 36 a day, far above its lifetime
    # rate of ~1.5 a day: the other interval's rate is the baseline -> nothing.
    a, s = _sparse(
        "two",
        datetime(2024, 3, 1),
        [(datetime(2026, 3, 1), 730), (datetime(2026, 3, 15), 744)],
    )
    b, t = _sparse(
        "three",
        datetime(2009, 12, 29),
        [
            (datetime(2026, 3, 4), 9054),
            (datetime(2026, 3, 26), 9850),
            (datetime(2026, 3, 29), 9960),
        ],
    )
    insert(store, "accounts", a + b)
    insert(store, "account_snapshots", s + t)
    assert _run(store) == {}


# -- times, platforms -------------------------------------------------------------------------


def test_minute_precision_times_fall_on_their_own_day(store):
    # Baseline posts at 00:00-00:02; the 60 posts of the leap at 23:00-23:59 of 03-06 count on
    # 03-06, not 03-07. Two snapshots two minutes apart across midnight: elapsed floored to 1 day.
    rows = daily_posts("m1", MARCH_1, [3, 3, 3, 3, 3])
    for r in rows:
        r["created_at"] = r["created_at"].replace(hour=0)
    late = [
        {
            "platform": "twitter",
            "post_id": f"late-{i}",
            "account_id": "m1",
            "created_at": datetime(2026, 3, 6, 23, i),
            "time_precision": "minute",
        }
        for i in range(60)
    ]
    insert(store, "posts", rows + late + daily_posts("m1", date(2026, 3, 7), [3]))
    snaps = daily_snapshots("m1", MARCH_1, [100, 101, 102, 103, 104, 105], 10)
    snaps[-1]["observed_at"] = datetime(2026, 3, 6, 23, 59)
    snaps.append(dict(snaps[-1], observed_at=datetime(2026, 3, 7, 0, 1), followers_count=605))
    insert(store, "account_snapshots", snaps)
    finding = _accounts(_run(store))["m1"]
    by_metric = {j["metric"]: j for j in finding.details["jumps"]}
    assert by_metric["posts"]["start"] == "2026-03-06" and by_metric["posts"]["level"] == 60
    assert by_metric["followers"]["delta"] == 500
    assert by_metric["followers"]["elapsed_days"] == 1
    assert ["m1", "2026-03-07T00:01:00"] in finding.evidence["account_snapshots"]
    assert all(p.startswith("late-") for p in finding.evidence["posts"])


def test_platforms_are_never_mixed(store):
    # The same id on two platforms: steady on twitter; on mastodon two busy days with no
    # baseline and a flat, much larger follower count. Mixed, either would look like a leap.
    insert(store, "posts", daily_posts("a1", MARCH_1, [3] * 7))
    insert(store, "posts", daily_posts("a1", date(2026, 3, 6), [60, 60], platform="mastodon"))
    insert(store, "account_snapshots", daily_snapshots("a1", MARCH_1, list(range(100, 116, 2)), 5))
    mastodon = daily_snapshots("a1", MARCH_1, [5000] * 8, 5, platform="mastodon")
    for row in mastodon:
        row["observed_at"] += timedelta(hours=6)  # the last observation of each day
    insert(store, "account_snapshots", mastodon)
    # Creation: 15 accounts on 2026-03-05 on each platform, with the same ids, over a background
    # of one account every 10 days on each.
    for platform in ("twitter", "mastodon"):
        background = [
            account(f"bg{i}", datetime(2024, 5, 1) + timedelta(days=10 * i), platform)
            for i in range(60)
        ]
        burst = [account(f"b{i}", datetime(2026, 3, 5, 9, i), platform) for i in range(15)]
        insert(store, "accounts", background + burst)
    assert _run(store, min_burst_accounts=20) == {}  # 15 + 15 would pass if mixed
    cohorts = _cohorts(_run(store))
    assert set(cohorts) == {
        "creation:twitter:2026-03-05..2026-03-05",
        "creation:mastodon:2026-03-05..2026-03-05",
    }
    for cohort_id, f in cohorts.items():
        assert f.platform == cohort_id.split(":")[1]
        assert f.details["members"] == 15
        assert sorted(f.evidence["accounts"]) == sorted(f"b{i}" for i in range(15))


# -- creation bursts --------------------------------------------------------------------------

FIVE_YEARS = 1826  # days from 2021-01-01 to 2025-12-31


def _spread(n: int, prefix: str = "u") -> list[dict]:
    """``n`` accounts evenly spread over 2021-2025, created at midnight (date-only times)."""
    start = datetime(2021, 1, 1)
    return [account(f"{prefix}{i}", start + timedelta(days=FIVE_YEARS * i // n)) for i in range(n)]


def test_creation_burst_found_with_the_right_window(store):
    # 300 accounts over five years (one every ~6.1 days: 0.164 a day) and 30 created on
    # 2023-06-16 and 17 (date-only, as in takedown archives). Expected in 2 days: ~0.33.
    burst_days = (date(2023, 6, 16), date(2023, 6, 17))
    background = _spread(300)
    assert not {a["created_at"].date() for a in background} & set(burst_days)
    burst = [
        account(f"burst{d}{i:02d}", datetime(day.year, day.month, day.day))
        for d, day in enumerate(burst_days)
        for i in range(15)
    ]
    insert(store, "accounts", background + burst)
    # members share a hashtag; one background account uses it too
    posts = [
        {
            "platform": "twitter",
            "post_id": f"p-{a['account_id']}",
            "account_id": a["account_id"],
            "created_at": datetime(2023, 7, 1, 10),
            "hashtags": ["SaveTheDam", "news"],
        }
        for a in burst[:20]
    ] + [
        {
            "platform": "twitter",
            "post_id": "p-u1",
            "account_id": "u1",
            "created_at": datetime(2023, 7, 1, 11),
            "hashtags": ["SaveTheDam"],
        }
    ]
    insert(store, "posts", posts)

    cohorts = _cohorts(_run(store))
    assert list(cohorts) == ["creation:twitter:2023-06-16..2023-06-17"]
    f = cohorts["creation:twitter:2023-06-16..2023-06-17"]
    d = f.details
    assert (d["start"], d["end"], d["days"], d["members"]) == ("2023-06-16", "2023-06-17", 2, 30)
    assert d["expected"] == pytest.approx(2 * 300 / FIVE_YEARS, rel=0.1)
    # P(X >= 30) for X ~ Poisson(0.33): 30 ln 0.33 - ln 30! - 0.33 = -108 (natural log)
    assert d["log10_p"] == pytest.approx(-47, abs=1.5) and f.score == 1.0
    assert sorted(f.evidence["accounts"]) == sorted(a["account_id"] for a in burst)
    assert d["members_posting"] == 20 and d["posts"] == 20
    assert d["top_hashtags"][0] == {"tag": "SaveTheDam", "accounts": 20, "posts": 20}
    assert f.explanation.startswith(
        "30 twitter accounts were created between 2023-06-16 and 2023-06-17, against 0.3 expected"
    )
    assert "most often with #SaveTheDam, #news" in f.explanation


def test_burst_score_grows_with_significance(store):
    # 6 accounts on one day (p ~ 1e-7.6 at 0.164 a day: score ~0.63) and 40 on another.
    weak = [account(f"w{i}", datetime(2022, 3, 10, 8, i)) for i in range(6)]
    strong = [account(f"s{i}", datetime(2024, 9, 2, 8, i)) for i in range(40)]
    insert(store, "accounts", _spread(300) + weak + strong)
    cohorts = _cohorts(_run(store, min_burst_accounts=5))
    weak_f = cohorts["creation:twitter:2022-03-10..2022-03-10"]
    strong_f = cohorts["creation:twitter:2024-09-02..2024-09-02"]
    expected = 0.5 * weak_f.details["log10_p"] / math.log10(1e-6)
    assert weak_f.score == pytest.approx(min(1.0, expected), abs=1e-3)
    assert 0.5 <= weak_f.score < strong_f.score == 1.0


def test_no_burst_on_uniform_creation(store):
    rng = np.random.default_rng(0)
    start = datetime(2024, 1, 1)
    uniform = [
        account(f"r{i}", start + timedelta(seconds=int(s)))
        for i, s in enumerate(rng.uniform(0, 730 * 86400, 2000))
    ]
    insert(store, "accounts", _spread(300) + uniform)
    assert _cohorts(_run(store)) == {}


def test_a_burst_spilling_over_the_window_is_kept_whole(store):
    # 4 accounts on day 1, 20 on days 2-3, 3 on day 4: the best window is days 2-3 and the
    # edges join it because 4, then 3, in one day are improbable at ~0.16 a day.
    days = [
        (date(2023, 6, 15), 4),
        (date(2023, 6, 16), 10),
        (date(2023, 6, 17), 10),
        (date(2023, 6, 18), 3),
    ]
    burst = [
        account(f"x{d}{i}", datetime(day.year, day.month, day.day, 12))
        for d, (day, n) in enumerate(days)
        for i in range(n)
    ]
    insert(store, "accounts", _spread(300) + burst)
    (cohort_id,) = _cohorts(_run(store))
    assert cohort_id == "creation:twitter:2023-06-15..2023-06-18"


# -- parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"leap_factor": 1.0},
        {"min_days": 0},
        {"min_days": True},
        {"mad_k": -1},
        {"min_posts_jump": 2.5},
        {"burst_window_days": 0},
        {"burst_window_days": 40},
        {"burst_p": 0.0},
        {"burst_p": 1.5},
        {"min_burst_accounts": 0},
    ],
)
def test_bad_parameters_are_refused_in_run(store, params):
    detector = ActivityDetector(**params)  # stored unchanged, no check yet
    assert detector.get_params()[next(iter(params))] == next(iter(params.values()))
    with pytest.raises(ParameterError, match=next(iter(params))):
        detector.run(store)


# -- a simulated world ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    simulate = pytest.importorskip("flockwatch.simulate").simulate
    from flockwatch.ingest.runner import ingest_paths

    folder = tmp_path_factory.mktemp("world")
    simulate(folder, seed=7, accounts=500, days=20)
    store = Store(":memory:")
    # truth.csv and manifest.json are the answers, not data
    files = [
        p for p in sorted(Path(folder).iterdir()) if p.name not in ("truth.csv", "manifest.json")
    ]
    ingest_paths(store, files)
    truth = pd.read_csv(folder / "truth.csv", dtype=str).set_index("account_id")["label"]
    manifest = pd.read_json(folder / "manifest.json", typ="series")
    yield store, truth, manifest, ActivityDetector().run(store)
    store.close()


def test_simulated_amplifiers_creation_burst_is_found(world):
    store, truth, manifest, findings = world
    start, end = (
        pd.Timestamp(t).tz_localize(None) for t in manifest["events"]["io_amplifier_creation_burst"]
    )
    created = store.con.execute("SELECT account_id, created_at FROM accounts").df()
    created = created.set_index("account_id")["created_at"]
    fresh = {
        a for a in truth.index[truth == "io_amplifier"] if start <= created[a] <= end
    }  # made after the trigger, as opposed to the older, bought accounts
    cohorts = [f for f in findings if f.subject_kind == "cohort"]
    hit = [f for f in cohorts if set(f.evidence["accounts"]) & fresh]
    assert len(hit) == 1
    members = set(hit[0].evidence["accounts"])
    assert len(members & fresh) / len(fresh) >= 0.9  # recall of the burst
    assert len(members & fresh) / len(members) >= 0.9  # precision of the cohort
    planted = {
        a
        for f in cohorts
        for a in f.evidence["accounts"]
        if truth[a] not in ("organic", "fan", "celebrity")
    }
    assert len(planted) / sum(len(f.evidence["accounts"]) for f in cohorts) >= 0.9


def test_simulated_customers_follower_leaps_are_found(world):
    _, truth, manifest, findings = world
    customers = set(truth.index[truth == "customer"])
    leaps = {
        f.subject_id: [j for j in f.details["jumps"] if j["metric"] == "followers"]
        for f in findings
        if f.subject_kind == "account"
    }
    found = {a for a, jumps in leaps.items() if jumps}
    assert len(found & customers) / len(customers) >= 0.9  # recall
    planted = [a for a in leaps if truth[a] not in ("organic", "fan", "celebrity")]
    assert len(planted) / len(leaps) >= 0.9  # precision
    purchases = manifest["events"]["follower_purchases"]
    dated = 0
    for p in purchases:
        t = pd.Timestamp(p["start"]).tz_localize(None)
        dated += any(
            pd.Timestamp(j["from_at"]) <= t + pd.Timedelta(hours=6)
            and t <= pd.Timestamp(j["to_at"])
            for j in leaps.get(p["customer_id"], [])
        )
    assert dated / len(purchases) >= 0.9  # each purchase dated to the snapshots around it
