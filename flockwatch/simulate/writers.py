"""Write the simulated world in the formats flockwatch reads.

``tweets.csv`` and ``users.csv`` follow the Twitter information-operations archive
(30 and 10 columns, every field quoted, LF line ends, UTF-8 without BOM); the other files
are flockwatch's generic CSVs with canonical column names.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import plan as P
from .formatting import Clock, absolute_dates, absolute_seconds, booleans, numbers
from .timeline import QUOTE, REPLY, RETWEET
from .tweets import retweet_texts

if TYPE_CHECKING:
    from .counters import Tallies
    from .follows import Follows
    from .groups import Groups
    from .reports import Reports
    from .snapshots import Snapshots
    from .tweets import TweetTable
    from .world import World

TWEET_COLUMNS = (
    "tweetid",
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
)
USER_COLUMNS = TWEET_COLUMNS[1:11]
PROFILE_COLUMNS = (
    "platform",
    "account_id",
    "screen_name",
    "display_name",
    "created_at",
    "verified",
    "default_profile_image",
    "profile_image_url",
    "posts_count",
    "likes_count",
    "listed_count",
    "observed_at",
)
FOLLOW_COLUMNS = ("platform", "follower_id", "followee_id", "observed_at")
SNAPSHOT_COLUMNS = (
    "platform",
    "account_id",
    "observed_at",
    "followers_count",
    "following_count",
    "posts_count",
    "likes_count",
    "screen_name",
    "display_name",
    "description",
)
REPORT_COLUMNS = (
    "platform",
    "report_id",
    "reporter_id",
    "target_account_id",
    "target_post_id",
    "reason",
    "comment",
    "created_at",
    "client",
)
GROUP_COLUMNS = ("platform", "group_id", "kind", "name")
MEMBERSHIP_COLUMNS = ("platform", "group_id", "account_id", "role")
TRUTH_COLUMNS = ("account_id", "label", "group")
PLATFORM = "twitter"
CHUNK = 100_000


def write_rows(
    path: Path, header: Sequence[str], chunks: Iterable[list[list[str]]], quote_all: bool
) -> int:
    """Write ``header`` then column-wise chunks; returns the number of data rows."""
    rows = 0
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=quoting, lineterminator="\n")
        writer.writerow(header)
        for columns in chunks:
            writer.writerows(zip(*columns, strict=True))
            rows += len(columns[0])
    return rows


def only_where(mask: np.ndarray, values: np.ndarray) -> list[str]:
    """``values`` where ``mask`` holds, empty strings elsewhere."""
    out = np.full(len(mask), "", dtype=object)
    out[mask] = values[mask]
    return out.tolist()


class WorldWriter:
    """Renders one simulated world to files in ``outdir``."""

    def __init__(
        self,
        outdir: Path,
        world: World,
        window: P.Window,
        tallies: Tallies,
        rng: np.random.Generator,
    ) -> None:
        self.outdir, self.w, self.window, self.tallies = outdir, world, window, tallies
        self.clock = Clock(window)
        self.id_text = np.asarray(numbers(world.account_id), dtype=object)
        self.created_date = np.asarray(
            absolute_dates(window.epoch_ms + world.created), dtype=object
        )
        self.order = rng.permutation(world.n)  # archives list accounts in no meaningful order
        self.end = np.full(world.n, window.length_ms, dtype=np.int64)

    def _const(self, value: str, n: int) -> list[str]:
        return [value] * n

    def tweets(self, table: TweetTable) -> int:
        return write_rows(
            self.outdir / "tweets.csv", TWEET_COLUMNS, self._tweet_chunks(table), True
        )

    def _tweet_chunks(self, tb: TweetTable) -> Iterable[list[list[str]]]:
        w, ids = self.w, self.id_text
        for lo in range(0, len(tb), CHUNK):
            s = slice(lo, min(lo + CHUNK, len(tb)))
            a, t, kind, parent = tb.author[s], tb.t[s], tb.kind[s], tb.parent[s]
            n = len(a)
            has_parent = parent >= 0
            p_author = tb.author[np.where(has_parent, parent, 0)]
            p_tweet = np.full(n, "", dtype=object)
            p_tweet[has_parent] = numbers(tb.tweet_id[parent[has_parent]])

            text, mentions = tb.text[s].copy(), tb.mentions[s].copy()
            retweets = np.flatnonzero(kind == RETWEET)
            text[retweets], mentions[retweets] = retweet_texts(tb, lo + retweets, w)
            rt_user = only_where((kind == RETWEET) & ~tb.blank_retweet_user[s], ids[p_author])
            yield [
                numbers(tb.tweet_id[s]),
                ids[a].tolist(),
                w.display[a].tolist(),
                w.screen[a].tolist(),
                w.location[a].tolist(),
                w.bio[a].tolist(),
                w.profile_url[a].tolist(),
                numbers(self.tallies.followers_at(a, t)),
                numbers(self.tallies.following_at(a, t)),
                self.created_date[a].tolist(),
                w.lang[a].tolist(),
                tb.lang[s].tolist(),
                text.tolist(),
                self.clock.minute(t),
                tb.client[s].tolist(),
                only_where(kind == REPLY, ids[p_author]),
                only_where(kind == REPLY, p_tweet),
                only_where(kind == QUOTE, p_tweet),
                np.where(kind == RETWEET, "true", "false").tolist(),
                rt_user,
                only_where(kind == RETWEET, p_tweet),
                self._const("absent", n),
                self._const("absent", n),
                numbers(tb.quote_count[s]),
                numbers(tb.reply_count[s]),
                numbers(tb.like_count[s]),
                numbers(tb.retweet_count[s]),
                tb.hashtags[s].tolist(),
                tb.urls[s].tolist(),
                mentions.tolist(),
            ]

    def users(self) -> int:
        w, a, end = self.w, self.order, self.end
        columns = [
            self.id_text[a].tolist(),
            w.display[a].tolist(),
            w.screen[a].tolist(),
            w.location[a].tolist(),
            w.bio[a].tolist(),
            w.profile_url[a].tolist(),
            numbers(self.tallies.followers_at(a, end)),
            numbers(self.tallies.following_at(a, end)),
            self.created_date[a].tolist(),
            w.lang[a].tolist(),
        ]
        return write_rows(self.outdir / "users.csv", USER_COLUMNS, [columns], True)

    def profiles(self) -> int:
        w, a, end = self.w, self.order, self.end
        n = len(a)
        columns = [
            self._const(PLATFORM, n),
            self.id_text[a].tolist(),
            w.screen[a].tolist(),
            w.display[a].tolist(),
            absolute_seconds(self.window.epoch_ms + w.created[a]),
            booleans(w.verified[a]),
            booleans(w.default_image[a]),
            w.image_url[a].tolist(),
            numbers(self.tallies.posts_at(a, end)),
            numbers(self.tallies.likes_at(a, end)),
            numbers(w.listed[a]),
            self.clock.second(end),
        ]
        return write_rows(self.outdir / "profiles.csv", PROFILE_COLUMNS, [columns], False)

    def truth(self) -> int:
        w, a = self.w, self.order
        labels = np.asarray(P.LABELS, dtype=object)[w.role[a]].tolist()
        columns = [self.id_text[a].tolist(), labels, w.group[a].tolist()]
        return write_rows(self.outdir / "truth.csv", TRUTH_COLUMNS, [columns], False)

    def follows(self, follows: Follows) -> int:
        def chunks() -> Iterable[list[list[str]]]:
            for lo in range(0, len(follows.t), CHUNK):
                s = slice(lo, lo + CHUNK)
                n = len(follows.t[s])
                yield [
                    self._const(PLATFORM, n),
                    self.id_text[follows.follower[s]].tolist(),
                    self.id_text[follows.followee[s]].tolist(),
                    self.clock.second(np.maximum(follows.t[s], 0)),
                ]

        return write_rows(self.outdir / "follows.csv", FOLLOW_COLUMNS, chunks(), False)

    def snapshots(self, snaps: Snapshots) -> int:
        n = len(snaps.t)
        columns = [
            self._const(PLATFORM, n),
            self.id_text[snaps.account].tolist(),
            self.clock.second(snaps.t),
            numbers(snaps.followers),
            numbers(snaps.following),
            numbers(snaps.posts),
            numbers(snaps.likes),
            snaps.screen.tolist(),
            snaps.display.tolist(),
            snaps.bio.tolist(),
        ]
        return write_rows(self.outdir / "snapshots.csv", SNAPSHOT_COLUMNS, [columns], False)

    def reports(self, rep: Reports, tweet_ids: np.ndarray) -> int:
        n = len(rep.t)
        post = np.where(
            rep.target_post >= 0, tweet_ids[np.maximum(rep.target_post, 0)].astype(str), ""
        )
        columns = [
            self._const(PLATFORM, n),
            numbers(rep.report_id),
            self.id_text[rep.reporter].tolist(),
            self.id_text[rep.target].tolist(),
            post.tolist(),
            rep.reason.tolist(),
            rep.comment.tolist(),
            self.clock.second(rep.t),
            rep.client.tolist(),
        ]
        return write_rows(self.outdir / "reports.csv", REPORT_COLUMNS, [columns], False)

    def groups(self, g: Groups) -> tuple[int, int]:
        n = len(g.group_id)
        groups = write_rows(
            self.outdir / "groups.csv",
            GROUP_COLUMNS,
            [[self._const(PLATFORM, n), g.group_id, g.kind, g.name]],
            False,
        )
        m = len(g.member_group)
        columns = [
            self._const(PLATFORM, m),
            g.member_group,
            self.id_text[g.member_account].tolist(),
            g.member_role,
        ]
        return groups, write_rows(
            self.outdir / "memberships.csv", MEMBERSHIP_COLUMNS, [columns], False
        )
