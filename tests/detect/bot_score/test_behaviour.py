"""Behaviour features from posts, on tiny hand-made posts tables with hand-computed values."""

from __future__ import annotations

import math

import pytest

from flockwatch.detect.bot_score.behaviour import BEHAVIOUR_FEATURES, behaviour_features
from flockwatch.store.db import Store


def _post(store: Store, account: str, post_id: str, time: str, **cols: object) -> None:
    names = ["platform", "post_id", "account_id", "created_at", *cols]
    values = ["twitter", post_id, account, time, *cols.values()]
    marks = ", ".join("?" for _ in names)
    store.con.execute(f"INSERT INTO posts ({', '.join(names)}) VALUES ({marks})", values)


def _features(store: Store) -> dict[str, dict[str, object]]:
    df = behaviour_features(store)
    return {r["account_id"]: r for r in df.to_dict("records")}


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    s.con.execute(
        "INSERT INTO accounts (platform, account_id, created_at) VALUES "
        "('twitter', 'clock', '2024-01-01 10:00'), ('twitter', 'spread', NULL)"
    )
    # 'clock': 4 posts at exact 15-minute gaps within one hour, from two apps; two of its three
    # own posts say the same thing once links, case and spaces are ignored
    for i, (kind, client, urls, text) in enumerate(
        [
            ("post", "App A", ["https://x.example/1"], "Hello World https://t.co/a"),
            ("repost", "App A", [], "RT @someone: whatever"),
            ("reply", "App B", [], "@someone thanks"),
            ("post", "App A", ["https://x.example/2"], "hello   world https://t.co/b"),
        ]
    ):
        _post(
            s,
            "clock",
            f"c{i}",
            f"2024-01-03 10:{15 * i:02d}:00",
            kind=kind,
            client=client,
            urls=urls,
            text=text,
            time_precision="minute",
        )
    # 'spread': at 00:00, 06:00, 12:00, 18:00 (four hours equally often: 2 bits)
    for i in range(4):
        _post(s, "spread", f"s{i}", f"2024-01-03 {6 * i:02d}:00:00", kind="post", client="Web")
    # 'uneven': gaps of 10 and 30 minutes: mean 20, sd 10, CV 0.5
    for i, minute in enumerate([0, 10, 40]):
        _post(s, "uneven", f"u{i}", f"2024-01-03 08:{minute:02d}:00", kind="post")
    # 'pair': two posts, one gap: no CV
    for i in range(2):
        _post(s, "pair", f"p{i}", f"2024-01-03 09:0{i}:00")
    return s


def test_clockwork_account(store: Store) -> None:
    f = _features(store)["clock"]
    assert f["n_posts"] == 4
    assert f["gap_cv"] == 0.0  # 15, 15, 15 minutes
    assert f["hour_entropy"] == 0.0  # always 10 o'clock
    assert f["observed_posts_per_day"] == 4.0  # span 45 minutes counts as one day
    assert f["repost_share"] == 0.25
    assert f["reply_share"] == 0.25
    assert f["n_clients"] == 2.0
    assert f["url_share"] == 0.5
    # own posts: "helloworld", "thanks", "helloworld" -> 1 - 2/3
    assert f["duplicate_text_share"] == pytest.approx(1 / 3)
    # created 2024-01-01 10:00, first post 2024-01-03 10:00
    assert f["age_at_first_post_days"] == pytest.approx(2.0)
    # evidence: the latest posts, newest first
    assert list(f["evidence_post_ids"]) == ["c3", "c2", "c1", "c0"]


def test_hour_entropy_and_gap_cv(store: Store) -> None:
    f = _features(store)
    assert f["spread"]["hour_entropy"] == pytest.approx(2.0)
    assert f["spread"]["gap_cv"] == 0.0  # 6 h, 6 h, 6 h
    assert f["uneven"]["gap_cv"] == pytest.approx(0.5)
    assert math.isnan(f["pair"]["gap_cv"])


def test_missing_columns_are_unknown_not_zero(store: Store) -> None:
    f = _features(store)
    # 'uneven' has no client and no urls column values; 'pair' not even a kind
    assert math.isnan(f["uneven"]["n_clients"])
    assert math.isnan(f["uneven"]["url_share"])
    assert math.isnan(f["pair"]["repost_share"])
    assert math.isnan(f["pair"]["duplicate_text_share"])  # no texts at all
    # no account row (or no creation date): age at first post unknown
    assert math.isnan(f["uneven"]["age_at_first_post_days"])
    assert math.isnan(f["spread"]["age_at_first_post_days"])


def test_times_are_used_to_the_minute() -> None:
    # 10:00:59 and 10:01:01 are 2 s apart but in consecutive minutes: gap 1 minute, as a
    # takedown archive (minute precision) would show them; 10:01:30 is the same minute
    s = Store(":memory:")
    for i, t in enumerate(["10:00:59", "10:01:01", "10:01:30", "10:02:00"]):
        _post(s, "a", f"a{i}", f"2024-01-03 {t}", time_precision="second")
    for i, t in enumerate(["10:00", "10:01", "10:01", "10:02"]):
        _post(s, "b", f"b{i}", f"2024-01-03 {t}:00", time_precision="minute")
    f = _features(s)
    # gaps 1, 0, 1 minutes -> mean 2/3, sd sqrt(2/9): CV = sqrt(2)/2
    assert f["a"]["gap_cv"] == pytest.approx(math.sqrt(2) / 2)
    assert f["b"]["gap_cv"] == pytest.approx(f["a"]["gap_cv"])


def test_columns_and_empty_store() -> None:
    df = behaviour_features(Store(":memory:"))
    assert len(df) == 0
    assert set(BEHAVIOUR_FEATURES) <= set(df.columns)
