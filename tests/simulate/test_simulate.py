"""Tests for flockwatch.simulate: formats, determinism, and that every phenomenon is planted.

Each test reads the files the simulator wrote and measures the planted behaviour from them,
the way a detector would.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import hashlib
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from flockwatch.simulate import SimulationSummary, simulate
from flockwatch.simulate.plan import LABELS
from flockwatch.simulate.writers import (
    FOLLOW_COLUMNS,
    GROUP_COLUMNS,
    MEMBERSHIP_COLUMNS,
    PROFILE_COLUMNS,
    REPORT_COLUMNS,
    SNAPSHOT_COLUMNS,
    TRUTH_COLUMNS,
)

SMALL = {"accounts": 300, "days": 10}
TAKEDOWN_TWEET_HEADER = (
    '"tweetid","userid","user_display_name","user_screen_name","user_reported_location",'
    '"user_profile_description","user_profile_url","follower_count","following_count",'
    '"account_creation_date","account_language","tweet_language","tweet_text","tweet_time",'
    '"tweet_client_name","in_reply_to_userid","in_reply_to_tweetid","quoted_tweet_tweetid",'
    '"is_retweet","retweet_userid","retweet_tweetid","latitude","longitude","quote_count",'
    '"reply_count","like_count","retweet_count","hashtags","urls","user_mentions"'
)
TAKEDOWN_USER_HEADER = (
    '"userid","user_display_name","user_screen_name","user_reported_location",'
    '"user_profile_description","user_profile_url","follower_count","following_count",'
    '"account_creation_date","account_language"'
)
GENERIC_HEADERS = {
    "profiles": PROFILE_COLUMNS,
    "follows": FOLLOW_COLUMNS,
    "snapshots": SNAPSHOT_COLUMNS,
    "reports": REPORT_COLUMNS,
    "groups": GROUP_COLUMNS,
    "memberships": MEMBERSHIP_COLUMNS,
    "truth": TRUTH_COLUMNS,
}
MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def minute(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


def second(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


class World:
    """The files of one simulated world, parsed once."""

    def __init__(self, summary: SimulationSummary) -> None:
        self.summary = summary
        d = summary.outdir
        self.tweets = read(d / "tweets.csv")
        self.users = read(d / "users.csv")
        self.truth = read(d / "truth.csv")
        self.follows = read(d / "follows.csv")
        self.snapshots = read(d / "snapshots.csv")
        self.reports = read(d / "reports.csv")
        self.profiles = read(d / "profiles.csv")
        self.memberships = read(d / "memberships.csv")
        self.label = {r["account_id"]: r["label"] for r in self.truth}
        self.group = {r["account_id"]: r["group"] for r in self.truth}
        self.by_id = {t["tweetid"]: t for t in self.tweets}

    def ids(self, label: str) -> set[str]:
        return {a for a, lab in self.label.items() if lab == label}

    def retweet_delays(self, select: Callable[[dict, dict], bool]) -> list[float]:
        """Seconds from original to retweet (minute precision) for retweets ``select`` keeps."""
        out = []
        for t in self.tweets:
            if t["is_retweet"] == "true" and select(t, self.by_id[t["retweet_tweetid"]]):
                original = self.by_id[t["retweet_tweetid"]]
                out.append(
                    (minute(t["tweet_time"]) - minute(original["tweet_time"])).total_seconds()
                )
        return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(simulate(tmp_path_factory.mktemp("world"), seed=11, **SMALL))


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = simulate(tmp_path / "a", seed=5, **SMALL)
    b = simulate(tmp_path / "b", seed=5, **SMALL)
    assert sorted(a.files) == sorted(b.files)
    for name, path in a.files.items():
        assert path.read_bytes() == b.files[name].read_bytes(), name
    assert a.counts == b.counts and a.labels == b.labels


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    a = simulate(tmp_path / "a", seed=5, **SMALL)
    b = simulate(tmp_path / "b", seed=6, **SMALL)
    for name in ("tweets", "users", "follows", "reports", "truth"):
        assert a.files[name].read_bytes() != b.files[name].read_bytes(), name


@pytest.mark.parametrize(("accounts", "days"), [(199, 10), (300, 6), (0, 30), (2000, 0)])
def test_too_small_world_is_refused(tmp_path: Path, accounts: int, days: int) -> None:
    with pytest.raises(ValueError, match="accounts|days"):
        simulate(tmp_path, accounts=accounts, days=days)
    assert not list(tmp_path.iterdir())


def test_summary_matches_files(world: World) -> None:
    s = world.summary
    assert (s.seed, s.accounts, s.days) == (11, SMALL["accounts"], SMALL["days"])
    assert set(s.files) == {*GENERIC_HEADERS, "tweets", "users", "manifest"}
    assert s.counts["tweets"] == len(world.tweets)
    assert s.counts["users"] == len(world.users) == SMALL["accounts"]
    assert s.counts["follows"] == len(world.follows)
    assert s.labels == dict(Counter(world.label.values()))


def test_takedown_files_are_quoted_lf_utf8(world: World) -> None:
    for name, header in (("tweets", TAKEDOWN_TWEET_HEADER), ("users", TAKEDOWN_USER_HEADER)):
        raw = world.summary.files[name].read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw  # LF line ends
        assert raw.decode("utf-8").split("\n", 1)[0] == header
        # Re-quoting every field with QUOTE_ALL and LF must reproduce the file exactly.
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        again = io.StringIO()
        csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        assert again.getvalue().encode("utf-8") == raw
        assert {len(r) for r in rows} == {header.count(",") + 1}


def test_generic_files_have_their_headers(world: World) -> None:
    for name, header in GENERIC_HEADERS.items():
        with world.summary.files[name].open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert tuple(rows[0]) == header, name
        assert all(len(r) == len(header) for r in rows[1:]), name
        assert len(rows) - 1 == world.summary.counts[name], name
    assert all(r["platform"] == "twitter" for r in world.profiles + world.follows + world.reports)


def test_every_label_is_present_with_its_group(world: World) -> None:
    counts = Counter(world.label.values())
    assert set(counts) == set(LABELS)
    assert all(counts[label] > 0 for label in LABELS)
    celebrities = world.ids("celebrity")
    for account, label in world.label.items():
        group = world.group[account]
        if label in ("fan", "impersonator"):
            assert group.startswith("celebrity_") and group.split("_", 1)[1] in celebrities
        elif label == "organic":
            assert group == ""
        elif label in ("io_core", "io_amplifier"):
            assert group == "io_1"


def test_accounts_everywhere_exist(world: World) -> None:
    users = [u["userid"] for u in world.users]
    assert len(set(users)) == len(users)
    assert set(users) == set(world.label) == {p["account_id"] for p in world.profiles}
    assert all(re.fullmatch(r"[1-9]\d{9}", u) for u in users)
    handles = [u["user_screen_name"].casefold() for u in world.users]
    assert len(set(handles)) == len(handles)
    known = set(users)
    referenced = set()
    for t in world.tweets:
        referenced |= {t["userid"], t["in_reply_to_userid"], t["retweet_userid"]}
        referenced |= set(ast.literal_eval(t["user_mentions"]))
    for f in world.follows:
        referenced |= {f["follower_id"], f["followee_id"]}
    for r in world.reports:
        referenced |= {r["reporter_id"], r["target_account_id"]}
    referenced |= {s["account_id"] for s in world.snapshots}
    referenced |= {m["account_id"] for m in world.memberships}
    assert referenced - {""} <= known


def test_tweet_fields_follow_archive_conventions(world: World) -> None:
    start = dt.datetime(2026, 3, 1)
    end = start + dt.timedelta(days=SMALL["days"])
    keys = [(t["tweet_time"], int(t["tweetid"])) for t in world.tweets]
    assert keys == sorted(keys)
    assert len(world.by_id) == len(world.tweets)
    blank_retweet_user = retweets = 0
    for t in world.tweets:
        assert MINUTE.match(t["tweet_time"]) and start <= minute(t["tweet_time"]) < end
        assert DATE.match(t["account_creation_date"])
        assert t["latitude"] == t["longitude"] == "absent"
        assert t["is_retweet"] in ("true", "false")
        for col in ("hashtags", "urls", "user_mentions"):
            assert isinstance(ast.literal_eval(t[col]), list)
        assert not any(h.startswith("#") for h in ast.literal_eval(t["hashtags"]))
        for col in ("in_reply_to_tweetid", "quoted_tweet_tweetid", "retweet_tweetid"):
            if t[col]:
                parent = world.by_id[t[col]]
                assert int(parent["tweetid"]) < int(t["tweetid"])
        if t["is_retweet"] == "true":
            retweets += 1
            original = world.by_id[t["retweet_tweetid"]]
            assert (
                t["tweet_text"] == f"RT @{original['user_screen_name']}: {original['tweet_text']}"
            )
            assert t["retweet_userid"] in ("", original["userid"])
            blank_retweet_user += t["retweet_userid"] == ""
            assert ast.literal_eval(t["user_mentions"])[0] == original["userid"]
        if t["in_reply_to_tweetid"]:
            parent = world.by_id[t["in_reply_to_tweetid"]]
            assert t["in_reply_to_userid"] == parent["userid"]
            assert t["tweet_text"].startswith(f"@{parent['user_screen_name']} ")
    assert 0.02 < blank_retweet_user / retweets < 0.25


def test_other_timestamps_are_utc_seconds(world: World) -> None:
    for rows, col in (
        (world.profiles, "created_at"),
        (world.profiles, "observed_at"),
        (world.follows, "observed_at"),
        (world.snapshots, "observed_at"),
        (world.reports, "created_at"),
    ):
        assert all(SECOND.match(r[col]) for r in rows), col
        assert all(r[col] <= "2026-03-11 00:00:00" for r in rows), col
    assert all(SECOND.match(p["created_at"]) for p in world.profiles)
    assert {p["verified"] for p in world.profiles} <= {"true", "false"}


def test_organic_followers_are_heavy_tailed(world: World) -> None:
    organic = world.ids("organic")
    followers = sorted(int(u["follower_count"]) for u in world.users if u["userid"] in organic)
    assert followers[-1] > 20 * statistics.median(followers)
    celebrity = [
        int(u["follower_count"]) for u in world.users if u["userid"] in world.ids("celebrity")
    ]
    assert min(celebrity) >= 100_000


def test_amplifiers_are_created_in_a_burst(world: World) -> None:
    created = {u["userid"]: dt.date.fromisoformat(u["account_creation_date"]) for u in world.users}
    amps = sorted(created[a] for a in world.ids("io_amplifier"))
    organic = sorted(created[a] for a in world.ids("organic"))
    # Most amplifiers appear within four days; organic accounts span many years.
    in_burst = max(sum(1 for d in amps if 0 <= (d - first).days < 4) for first in amps)
    assert in_burst >= 0.6 * len(amps)
    assert (organic[-1] - organic[0]).days > 10 * (
        amps[int(0.9 * len(amps))] - amps[int(0.1 * len(amps))]
    ).days


def test_fans_repost_within_seconds_but_organic_users_take_long(world: World) -> None:
    def fan_of_author(rt: dict, original: dict) -> bool:
        return (
            world.label[rt["userid"]] == "fan"
            and world.group[rt["userid"]] == f"celebrity_{original['userid']}"
        )

    def organic_user(rt: dict, original: dict) -> bool:
        return world.label[rt["userid"]] == "organic"

    fans, organic = world.retweet_delays(fan_of_author), world.retweet_delays(organic_user)
    assert len(fans) > 50 and len(organic) > 50
    assert statistics.median(fans) < 60
    assert statistics.median(organic) > 600


def test_amplifiers_echo_the_operation_quickly(world: World) -> None:
    amps = world.ids("io_amplifier")
    operation = amps | world.ids("io_core")
    targets = [
        world.by_id[t["retweet_tweetid"]]["userid"]
        for t in world.tweets
        if t["is_retweet"] == "true" and t["userid"] in amps
    ]
    assert targets and all(t in operation for t in targets)
    delays = world.retweet_delays(
        lambda rt, o: rt["userid"] in amps and o["userid"] in world.ids("io_core")
    )
    assert statistics.median(delays) <= 120
    texts = Counter(
        t["tweet_text"] for t in world.tweets if t["userid"] in amps and t["is_retweet"] == "false"
    )
    assert texts.most_common(1)[0][1] >= 3  # copy-paste posts
    hashtags = Counter(
        h for t in world.tweets if t["userid"] in operation for h in ast.literal_eval(t["hashtags"])
    )
    manifest = json.loads(world.summary.files["manifest"].read_text(encoding="utf-8"))
    assert {h for h, _ in hashtags.most_common(3)} <= set(manifest["planted"]["io_1"]["hashtags"])


def gap_cv(times: list[dt.datetime]) -> float:
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    return statistics.pstdev(gaps) / statistics.mean(gaps)


def test_spam_bots_post_on_a_clock(world: World) -> None:
    times = defaultdict(list)
    for t in world.tweets:
        times[t["userid"]].append(minute(t["tweet_time"]))
    bots = [gap_cv(times[b]) for b in world.ids("spam_bot") if len(times[b]) > 10]
    people = [gap_cv(times[p]) for p in world.ids("organic") if len(times[p]) > 10]
    assert len(bots) >= 5 and len(people) >= 5
    assert statistics.median(bots) < 0.1
    assert statistics.median(people) > 0.5
    clients = {t["tweet_client_name"] for t in world.tweets if t["userid"] in world.ids("spam_bot")}
    assert len(clients) == 1


def test_customers_followers_jump_on_purchase_days(world: World) -> None:
    series = defaultdict(list)
    for s in sorted(world.snapshots, key=lambda r: r["observed_at"]):
        series[s["account_id"]].append(int(s["followers_count"]))

    def biggest_jump(account: str) -> int:
        """Largest two-day gain (a delivery may straddle one daily snapshot)."""
        values = series[account]
        return max(b - a for a, b in zip(values, values[2:], strict=False))

    customers = world.ids("customer")
    assert customers <= set(series)
    organic = [biggest_jump(a) for a in world.ids("organic") if len(series.get(a, [])) > 2]
    assert all(biggest_jump(c) >= 200 for c in customers)
    assert max(organic) < 200
    fakes = world.ids("fake_follower")
    bought = defaultdict(list)
    for f in world.follows:
        if f["follower_id"] in fakes and f["followee_id"] in customers:
            bought[f["followee_id"]].append(second(f["observed_at"]))
    assert set(bought) == customers
    for times in bought.values():  # delivered in bursts of hours, not spread over the window
        times.sort()
        assert any(
            (times[min(i + 9, len(times) - 1)] - t) <= dt.timedelta(hours=6)
            for i, t in enumerate(times)
        )


def test_fake_followers_follow_many_and_are_followed_by_few(world: World) -> None:
    users = {u["userid"]: u for u in world.users}
    fakes = world.ids("fake_follower")
    ratio = statistics.median(
        int(users[f]["following_count"]) / (1 + int(users[f]["follower_count"])) for f in fakes
    )
    assert ratio > 50


def skeleton(handle: str) -> str:
    """Letters of a handle with the usual digit-for-letter swaps undone."""
    return re.sub(r"[^a-z]", "", handle.lower().replace("0", "o").replace("1", "l"))


def test_impersonators_look_like_their_celebrity(world: World) -> None:
    users = {u["userid"]: u for u in world.users}
    profiles = {p["account_id"]: p for p in world.profiles}
    imitators = world.ids("impersonator")
    for imp in imitators:
        star = world.group[imp].split("_", 1)[1]
        assert users[imp]["user_display_name"] != users[star]["user_display_name"]
        assert users[imp]["account_creation_date"] > users[star]["account_creation_date"]
        assert int(users[imp]["follower_count"]) < int(users[star]["follower_count"]) // 10
        assert profiles[imp]["verified"] == "false" and profiles[star]["verified"] == "true"
        star_handle = skeleton(users[star]["user_screen_name"])
        assert star_handle[:5] in skeleton(users[imp]["user_screen_name"])


def test_brigade_reports_in_bursts_with_one_reason(world: World) -> None:
    reporters, critics = world.ids("reporter"), world.ids("critic")
    brigade = sorted(
        (r for r in world.reports if r["reporter_id"] in reporters), key=lambda r: r["created_at"]
    )
    background = [r for r in world.reports if r["reporter_id"] not in reporters]
    assert brigade and background
    assert {r["target_account_id"] for r in brigade} <= critics
    waves: list[list[dict]] = []
    for r in brigade:
        if waves and second(r["created_at"]) - second(waves[-1][-1]["created_at"]) < dt.timedelta(
            minutes=10
        ):
            waves[-1].append(r)
        else:
            waves.append([r])
    assert len(waves) >= 3
    assert len({second(w[0]["created_at"]).date() for w in waves}) >= 2  # repeated across days
    for wave in waves:
        assert len(wave) >= 5
        assert len({r["reason"] for r in wave}) == 1
        assert {r["client"] for r in wave} == {"Auto Reporter"}
        times = [second(r["created_at"]) for r in wave]
        assert times[-1] - times[0] <= dt.timedelta(minutes=10)
    assert len({r["reason"] for r in background}) >= 3
    assert "Auto Reporter" not in {r["client"] for r in background}
    for r in world.reports:
        if r["target_post_id"]:
            assert world.by_id[r["target_post_id"]]["userid"] == r["target_account_id"]
            assert minute(world.by_id[r["target_post_id"]]["tweet_time"]) <= second(r["created_at"])


def test_reporters_never_touched_their_targets_and_share_groups(world: World) -> None:
    reporters, critics = world.ids("reporter"), world.ids("critic")
    for t in world.tweets:
        if t["userid"] in reporters:
            assert t["in_reply_to_userid"] not in critics
            assert not critics & set(ast.literal_eval(t["user_mentions"]))
            if t["retweet_tweetid"] or t["quoted_tweet_tweetid"]:
                parent = world.by_id[t["retweet_tweetid"] or t["quoted_tweet_tweetid"]]
                assert parent["userid"] not in critics
    assert not any(
        f["follower_id"] in reporters and f["followee_id"] in critics for f in world.follows
    )
    groups = defaultdict(set)
    for m in world.memberships:
        groups[m["group_id"]].add(m["account_id"])
    assert max(len(members & reporters) for members in groups.values()) == len(reporters)


def test_manifest_describes_the_files(world: World) -> None:
    manifest = json.loads(world.summary.files["manifest"].read_text(encoding="utf-8"))
    assert manifest["seed"] == 11 and manifest["arguments"]["accounts"] == SMALL["accounts"]
    for name, entry in manifest["files"].items():
        path = world.summary.outdir / entry["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["rows"] == world.summary.counts[name]
    assert manifest["labels"] == world.summary.labels
    trigger = dt.datetime.fromisoformat(manifest["events"]["io_trigger"].replace("Z", "+00:00"))
    assert (
        dt.datetime(2026, 3, 1, tzinfo=dt.UTC) < trigger < dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    )
    assert {"io_1", "farm_1", "seller_1", "brigade_1", "impersonation"} <= set(
        manifest["phenomena"]
    )
