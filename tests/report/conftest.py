"""A tiny hand-made world with findings of several detectors, for the report and exports.

Every row is there for a reason:

- ``a1`` is an operation's core account whose bio is a script (XSS must come out escaped) and
  whose profile URL is an outside link (must stay text, never a loaded resource);
- ``a2``..``a4`` amplify ``a1``: they repost its posts within seconds (the network's edges);
  ``a3``'s screen name tries to end a ``<script>`` element (it lands in figure JSON);
- ``f1`` is a fan of a celebrity: findings about it score low and it must not be flagged;
- ``o1`` is an ordinary account with no findings.

Detectors are stand-ins (named like the real ones, plus ``brigade_test`` with no section of its
own) so the tests do not depend on the real detectors' thresholds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flockwatch.detect.base import Detector, Example, Finding
from flockwatch.detect.runner import run_one
from flockwatch.store.db import Store

XSS_BIO = "<script>alert(1)</script>"
XSS_NAME = "</script><script>alert(2)</script>"
XSS_POST = '<img src=x onerror="alert(3)">'
EVIL_URL = "https://evil.example/track.png"
T0 = datetime(2026, 3, 1, 12, 0, 0)


def _accounts(store: Store) -> None:
    rows = [
        ("a1", "core_one", XSS_BIO, EVIL_URL, T0 - timedelta(days=3)),
        ("a2", "amp_two", "news", None, T0 - timedelta(days=3)),
        ("a3", XSS_NAME, "", None, T0 - timedelta(days=3)),
        ("a4", "amp_four", "", None, T0 - timedelta(days=2)),
        ("f1", "fan_one", "I love her music", None, T0 - timedelta(days=900)),
        ("o1", "ordinary", "gardening", None, T0 - timedelta(days=2000)),
    ]
    for account_id, name, bio, url, created in rows:
        store.con.execute(
            "INSERT INTO accounts (platform, account_id, screen_name, display_name, description, "
            "url, created_at, followers_count, following_count, posts_count, ingest_id) "
            "VALUES ('twitter', ?, ?, ?, ?, ?, ?, 10, 20, 30, 1)",
            [account_id, name, name, bio, url, created],
        )
        for day in range(3):
            store.con.execute(
                "INSERT INTO account_snapshots (platform, account_id, observed_at, "
                "followers_count, following_count, posts_count, ingest_id) "
                "VALUES ('twitter', ?, ?, ?, 20, ?, 1)",
                [account_id, T0 + timedelta(days=day), 10 + 500 * day, 30 + day],
            )


def _posts(store: Store) -> None:
    posts = []
    for i in range(6):
        at = T0 + timedelta(hours=i)
        posts.append(
            (f"p{i}", "a1", at, "post", f"Vote for change #{i} {XSS_POST}", None, ["change"])
        )
        for j, amp in enumerate(("a2", "a3", "a4")):
            posts.append(
                (
                    f"r{i}{amp}",
                    amp,
                    at + timedelta(seconds=5 + j),
                    "repost",
                    "RT",
                    f"p{i}",
                    ["change"],
                )
            )
    posts.append(("q1", "f1", T0, "post", "Her new album!", None, ["album"]))
    posts.append(("q2", "o1", T0, "post", "Tomatoes are in", None, []))
    for post_id, account, at, kind, text, target, tags in posts:
        store.con.execute(
            "INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, "
            "target_post_id, hashtags, mentions, urls, ingest_id) "
            "VALUES ('twitter', ?, ?, ?, ?, ?, ?, ?, [], ['https://example.org/a'], 1)",
            [post_id, account, at, kind, text, target, tags],
        )
    store.con.execute(
        "INSERT INTO ingests (ingest_id, path, sha256, format, started_at, finished_at, "
        "rows_read, rows_stored, rows_rejected, size_bytes) VALUES "
        "(1, '/data/tweets.csv', 'ab' || repeat('0', 62), 'generic_posts', ?, ?, 30, 30, 0, 999)",
        [T0, T0],
    )


class _Stub(Detector):
    """Stand-in detector.

    It measures nothing real.

    Notes
    -----
    Known false positives: everything, it is a stub.
    """

    version = "t1"
    summary = "A stand-in for tests."
    findings: list[Finding] = []

    def __init__(self, *, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def run(self, store: Store) -> list[Finding]:
        return list(self.findings)

    @classmethod
    def positive_example(cls) -> Example:  # pragma: no cover - not a real detector
        raise NotImplementedError

    @classmethod
    def negative_example(cls) -> Example:  # pragma: no cover
        raise NotImplementedError


def stub(name: str, findings: list[Finding]) -> Detector:
    cls = type(f"Stub_{name}", (_Stub,), {"name": name, "findings": findings})
    return cls()


def _f(kind, subject, score, label, explanation, evidence=None, details=None) -> Finding:
    return Finding(
        kind, subject, "twitter", score, label, explanation, evidence or {}, details or {}
    )


BOT = [
    _f(
        "account",
        "a1",
        0.91,
        "bot",
        "Bot score 0.91: new account, default image.",
        {"accounts": ["a1"]},
        {
            "variant": "profile",
            "contributions": [{"feature": "age_days", "value": 3, "contribution": 0.4}],
        },
    ),
    _f("account", "a2", 0.85, "bot", "Bot score 0.85.", {"accounts": ["a2"]}),
    _f("account", "f1", 0.10, "human", "Bot score 0.10.", {"accounts": ["f1"]}),
]
COORDINATION = [
    _f(
        "cluster",
        "c1",
        0.9,
        "operation",
        "4 accounts reposted a1 within 7 s, 18 times.",
        {"accounts": ["a1", "a2", "a3", "a4"], "posts": ["p0", "r0a2"]},
        {
            "metrics": {"size": 4, "density": 1.0},
            "members": [
                {"account_id": "a1", "role": "core"},
                {"account_id": "a2", "role": "amplifier"},
                {"account_id": "a3", "role": "amplifier"},
                {"account_id": "a4", "role": "amplifier"},
            ],
            "campaign": {"hashtags": [{"tag": "change", "n": 24, "lift": 3.2}]},
        },
    ),
    _f(
        "cluster",
        "c2",
        0.1,
        "crowd",
        "Fans reposting a celebrity.",
        {"accounts": ["f1"]},
        {"members": [{"account_id": "f1", "role": "amplifier"}]},
    ),
    *[
        _f(
            "account",
            a,
            0.9,
            role,
            f"{role} of cluster c1.",
            {"posts": ["p0"]},
            {"cluster_id": "c1", "role": role},
        )
        for a, role in (
            ("a1", "core"),
            ("a2", "amplifier"),
            ("a3", "amplifier"),
            ("a4", "amplifier"),
        )
    ],
    _f(
        "account",
        "f1",
        0.1,
        "amplifier",
        "amplifier of cluster c2 (fans).",
        {},
        {"cluster_id": "c2", "role": "amplifier"},
    ),
]
ACTIVITY = [
    _f(
        "cohort",
        "creation:twitter:2026-02-26..2026-02-27",
        0.8,
        "creation_burst",
        "4 accounts created in 2 days against 0.1 expected.",
        {"accounts": ["a1", "a2", "a3", "a4"]},
        {"start": "2026-02-26", "end": "2026-02-27", "members": 4, "expected": 0.1},
    ),
    _f(
        "account",
        "a4",
        0.75,
        "activity_leap",
        "Followers +1,000 on 2026-03-02.",
        {"accounts": ["a4"], "posts": ["r0a4"]},
        {
            "jumps": [
                {
                    "metric": "followers",
                    "from_at": "2026-03-01T12:00:00",
                    "to_at": "2026-03-02T12:00:00",
                    "score": 0.75,
                }
            ]
        },
    ),
]
BRIGADE = [
    _f(
        "account",
        "a2",
        0.8,
        "reporter",
        "Filed 12 reports against f1 within an hour.",
        {"posts": ["r1a2"]},
    ),
]


def build_world(
    store: Store,
    detectors: tuple[str, ...] = ("bot_score", "coordination", "activity", "brigade_test"),
) -> Store:
    """Fill ``store`` with the world above and the findings of the named stand-in detectors."""
    _accounts(store)
    _posts(store)
    table = {
        "bot_score": BOT,
        "coordination": COORDINATION,
        "activity": ACTIVITY,
        "brigade_test": BRIGADE,
    }
    for name in detectors:
        run_one(store, stub(name, table[name]))
    return store


@pytest.fixture
def world() -> Store:
    store = Store(":memory:")
    build_world(store)
    yield store
    store.close()
