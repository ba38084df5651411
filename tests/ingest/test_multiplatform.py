"""Several platforms in one store: status shows them side by side, and detectors never mix an
account of one platform with the same id on another."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flockwatch.cli import main
from flockwatch.detect.coordination.examples import insert
from flockwatch.detect.runner import run_detectors
from flockwatch.ingest.runner import ingest_paths
from flockwatch.store.db import Store
from tests.conftest import format_fixture

NEW_FORMATS = [
    "bluesky_jetstream",
    "mastodon_statuses",
    "mastodon_accounts",
    "mastodon_reports",
    "telegram_desktop",
    "crowdtangle_posts",
    "crowdtangle_post_history",
    "instagram_follows",
]
PLATFORMS = ["bluesky", "facebook", "instagram", "mastodon", "telegram", "twitter"]


def _platform_rows(out: str) -> dict[str, list[str]]:
    """Rows of the status table's platform section: platform -> its numbers."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.replace("│", "|").replace("┃", "|").split("|")]
        cells = [c for c in cells if c]
        if cells and cells[0] in PLATFORMS and all(c.replace(",", "").isdigit() for c in cells[1:]):
            rows[cells[0]] = cells[1:]
    return rows


def test_status_shows_platforms_side_by_side(tmp_path, capsys):
    db = tmp_path / "multi.duckdb"
    paths = [str(format_fixture(f)) for f in [*NEW_FORMATS, "twitter_io_tweets"]]
    assert main(["ingest", "--db", str(db), *paths]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    rows = _platform_rows(capsys.readouterr().out)
    assert sorted(rows) == PLATFORMS
    # accounts, posts, follows, reports, groups per platform
    assert rows["bluesky"][:3] == ["5", "5", "1"]
    assert rows["mastodon"][1] == "5" and rows["mastodon"][3] == "4"
    assert rows["telegram"][1] == "9" and rows["telegram"][4] == "2"
    assert rows["facebook"][1] == "4" and rows["facebook"][4] == "3"
    assert rows["instagram"][2] == "4"


def test_status_after_all_real_samples(tmp_path, capsys, shared_data):
    db = tmp_path / "real.duckdb"
    formats = shared_data / "formats"
    paths = [
        formats / "bluesky_jetstream",
        formats / "mastodon",
        formats / "telegram_desktop",
        formats / "crowdtangle",
        formats / "instagram_dyi" / "followers_1.json",
        formats / "instagram_dyi" / "following.json",
        formats / "twitter_io_archive",
    ]
    assert main(["ingest", "--db", str(db), *map(str, paths)]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    rows = _platform_rows(capsys.readouterr().out)
    assert sorted(rows) == PLATFORMS
    assert rows["bluesky"] == ["149", "33", "6", "0", "0"]
    assert rows["facebook"] == ["10", "10", "0", "0", "10"]
    assert rows["instagram"] == ["6", "0", "7", "0", "0"]
    assert rows["mastodon"] == ["24", "22", "0", "3", "0"]
    assert rows["telegram"] == ["2", "8", "0", "0", "1"]


@pytest.fixture
def mixed_store(tmp_path):
    """Fixtures of five platforms, plus Twitter accounts whose ids collide with other platforms'
    ("alice" on Instagram, "user111" on Telegram)."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "platform,account_id,screen_name,created_at,followers_count,following_count,posts_count,"
        "observed_at\n"
        "twitter,alice,alice_tw,2020-01-01,10,2000,5,2023-05-01 00:00:00\n"
        "twitter,user111,ann_tw,2023-04-30,0,0,1,2023-05-01 00:00:00\n",
        "utf-8",
    )
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "platform,post_id,account_id,created_at,kind,text\n"
        "twitter,t1,alice,2023-05-01 10:00:00,post,#Vote for change!\n"
        "twitter,t2,user111,2023-05-01 10:00:05,post,#Vote for change!\n",
        "utf-8",
    )
    store = Store(tmp_path / "mixed.duckdb")
    paths = [format_fixture(f) for f in NEW_FORMATS] + [accounts, posts]
    ingest_paths(store, paths)
    yield store
    store.close()


def test_same_id_on_two_platforms_stays_two_accounts(mixed_store):
    rows = mixed_store.con.execute(
        "SELECT platform, account_id FROM accounts WHERE account_id IN ('alice', 'user111') "
        "ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        ("instagram", "alice"),
        ("telegram", "user111"),
        ("twitter", "alice"),
        ("twitter", "user111"),
    ]


def test_detectors_keep_platforms_apart(mixed_store):
    results = run_detectors(mixed_store, seed=3)
    assert all(r.n_findings >= 0 for r in results)
    store = mixed_store
    # Every finding about an account names an account of its own platform.
    stray = store.con.execute(
        "SELECT f.detector, f.platform, f.subject_id FROM findings f "
        "WHERE f.subject_kind = 'account' AND NOT EXISTS (SELECT 1 FROM accounts a "
        "WHERE a.platform = f.platform AND a.account_id = f.subject_id)"
    ).fetchall()
    assert stray == []
    scored = store.con.execute(
        "SELECT platform, subject_id FROM findings WHERE detector = 'bot_score' "
        "AND subject_id IN ('alice', 'user111') ORDER BY 1, 2"
    ).fetchall()
    assert scored == [
        ("instagram", "alice"),
        ("telegram", "user111"),
        ("twitter", "alice"),
        ("twitter", "user111"),
    ]
    per_platform = dict(
        store.con.execute(
            "SELECT platform, count(*) FROM findings WHERE detector = 'bot_score' GROUP BY 1"
        ).fetchall()
    )
    accounts = dict(
        store.con.execute("SELECT platform, count(*) FROM accounts GROUP BY 1").fetchall()
    )
    assert per_platform == accounts


def test_coordination_on_one_platform_does_not_spill_onto_another():
    """An operation on Twitter (eight amplifiers reposting two cores within seconds); accounts
    with the same ids on Mastodon post on their own, hours apart. Only the Twitter ones are
    flagged, in a Twitter cluster."""
    t0 = datetime(2026, 3, 1, 12, 0)
    amps, cores = [f"amp{i}" for i in range(8)], ["core1", "core2"]

    def post(platform, post_id, account, seconds, kind="post", target=None, by=None, text=None):
        return {
            "platform": platform,
            "post_id": post_id,
            "account_id": account,
            "created_at": t0 + timedelta(seconds=seconds),
            "kind": kind,
            "target_post_id": target,
            "target_account_id": by,
            "text": text,
            "hashtags": ["DamYes"] if text and "#DamYes" in text else [],
            "mentions": [],
            "urls": [],
            "time_precision": "second",
        }

    posts = []
    for k in range(8):
        core, tc = cores[k % 2], 7000 * k
        posts.append(post("twitter", f"c{k}", core, tc, text=f"The dam, part {k} #DamYes"))
        posts += [
            post("twitter", f"c{k}a{i}", a, tc + 3 + 2 * i, "repost", f"c{k}", core)
            for i, a in enumerate(amps)
        ]
    posts += [
        post("twitter", f"m{i}", a, 200_000 + 3 * i, text="Dam = jobs. Say YES! #DamYes")
        for i, a in enumerate(amps)
    ]
    posts += [
        post("mastodon", f"{a}-{j}", a, 3600 * (7 * i + 3 * j) + 17 * i, text=f"thought {i} {j}")
        for i, a in enumerate(amps + cores)
        for j in range(3)
    ]
    accounts = [
        {"platform": p, "account_id": a, "screen_name": a, "created_at": datetime(2026, 2, 20)}
        for p in ("twitter", "mastodon")
        for a in amps + cores
    ]
    store = Store(":memory:")
    insert(store, "posts", posts)
    insert(store, "accounts", accounts)
    run_detectors(store, ["coordination"], seed=1)
    flagged = store.con.execute(
        "SELECT platform, subject_id FROM findings WHERE detector = 'coordination' "
        "AND subject_kind = 'account' AND label = 'amplifier' ORDER BY 2"
    ).fetchall()
    assert flagged == [("twitter", a) for a in amps]
    assert store.con.execute(
        "SELECT count(*) FROM findings WHERE platform = 'mastodon'"
    ).fetchone() == (0,)
    clusters = store.con.execute(
        "SELECT platform FROM findings WHERE subject_kind = 'cluster'"
    ).fetchall()
    assert clusters and {c[0] for c in clusters} == {"twitter"}
