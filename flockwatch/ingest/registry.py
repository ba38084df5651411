"""The readers flockwatch knows, in one list, and format detection from a file's content."""

from __future__ import annotations

from flockwatch.errors import UnknownFormatError
from flockwatch.ingest.base import Head, Reader
from flockwatch.ingest.sources import Source


def _builtin_readers() -> list[type[Reader]]:
    from flockwatch.ingest import (
        bluesky,
        crowdtangle,
        generic,
        instagram,
        mastodon,
        telegram,
        twarc_csv,
        twitter_io,
        twitter_v1,
        twitter_v2,
    )

    return [
        twitter_io.TakedownTweetsReader,
        twitter_io.TakedownUsersReader,
        twitter_v1.TwitterV1TweetsReader,
        twitter_v1.TwitterV1UsersReader,
        twitter_v1.TwitterV1UsersCsvReader,
        twitter_v2.TwarcV2Reader,
        twarc_csv.TwarcCsvReader,
        bluesky.BlueskyJetstreamReader,
        mastodon.MastodonStatusesReader,
        mastodon.MastodonAccountsReader,
        mastodon.MastodonReportsReader,
        telegram.TelegramDesktopReader,
        crowdtangle.CrowdTanglePostsReader,
        crowdtangle.CrowdTanglePostHistoryReader,
        instagram.InstagramFollowsReader,
        *generic.READERS,
    ]


def readers() -> list[Reader]:
    """One instance of every reader, in a stable order."""
    found = [cls() for cls in _builtin_readers()]
    names = [r.format for r in found]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RuntimeError(f"two readers share the format name(s) {sorted(dupes)}")
    return found


def format_names() -> list[str]:
    return [r.format for r in readers()]


def get_reader(name: str) -> Reader:
    for reader in readers():
        if reader.format == name:
            return reader
    raise UnknownFormatError(f"--format {name}", format_names(), "no such format")


def detect(source: Source) -> Reader:
    """The reader most sure of the file; :class:`UnknownFormatError` when none recognises it."""
    head = Head.of(source)
    scored = [(reader.sniff(head), i, reader) for i, reader in enumerate(readers())]
    best = max(scored, key=lambda t: (t[0], -t[1]))
    if best[0] <= 0:
        detail = "empty file" if not head.data.strip() else ""
        raise UnknownFormatError(source.name, format_names(), detail)
    return best[2]
