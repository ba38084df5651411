"""``simulate``: build a world with planted manipulation and write it with its ground truth."""

from __future__ import annotations

import datetime as dt
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import plan as P
from .counters import Tallies
from .fandom import Fandom
from .follows import Follows, build_follows, cover_earlier_follows
from .groups import make_groups
from .influence import InfluenceOperation, make_calendar
from .manifest import events, planted_facts, write_manifest
from .organic import OrganicActivity
from .reports import PostFinder, make_reports
from .seller import pool_posts, sell_followers
from .snapshots import make_snapshots
from .spam import spam_posts
from .texts import TextFactory
from .timeline import TweetLog
from .tweets import finalize
from .world import build_world
from .writers import WorldWriter

STREAMS = (
    "calendar",
    "world",
    "texts",
    "organic",
    "fandom",
    "influence",
    "spam",
    "seller",
    "follows",
    "tweets",
    "reports",
    "groups",
    "snapshots",
    "writer",
)
"""One random stream per stage, spawned from the seed, so stages do not disturb each other."""


@dataclass(frozen=True)
class SimulationSummary:
    """What :func:`simulate` wrote.

    ``files`` maps a short name (``tweets``, ``users``, ... ``manifest``) to its path,
    ``counts`` the CSV files to their number of data rows, ``labels`` each ground-truth
    label to its number of accounts.
    """

    outdir: Path
    files: dict[str, Path]
    counts: dict[str, int]
    labels: dict[str, int]
    seed: int
    accounts: int
    days: int


def simulate(
    outdir: str | os.PathLike,
    *,
    seed: int = 7,
    accounts: int = 2000,
    days: int = 30,
    start: dt.date = dt.date(2026, 3, 1),
    progress: Callable[[str], None] | None = None,
) -> SimulationSummary:
    """Simulate a social network with planted manipulation and write it to ``outdir``.

    The world holds organic users, celebrities and their fans, an influence operation
    (``io_1``), a spam-bot farm (``farm_1``), a fake-follower seller and its customers
    (``seller_1``), celebrity impersonators and a mass-reporting brigade (``brigade_1``)
    with its critics. Everything is drawn from ``numpy.random.default_rng(seed)``: the same
    arguments give byte-identical files.

    Parameters
    ----------
    outdir : str or os.PathLike
        Folder to write into; created if missing. Existing files of the same names are
        overwritten.
    seed : int, default 7
        Seed of the random generator.
    accounts : int, default 2000
        Number of accounts, at least 200. Roles scale with it, with minimums so that every
        phenomenon is present in small worlds.
    days : int, default 30
        Length of the observed window in days, at least 7.
    start : datetime.date, default 2026-03-01
        First day of the window (UTC).
    progress : callable, optional
        Called with a short message as each phase starts; nothing is printed otherwise.

    Returns
    -------
    SimulationSummary
        Paths, row counts and label counts of what was written.

    Raises
    ------
    ValueError
        If ``accounts`` < 200 or ``days`` < 7.

    Notes
    -----
    Files: ``tweets.csv`` and ``users.csv`` (Twitter information-operations archive
    format), ``profiles.csv``, ``follows.csv``, ``snapshots.csv``, ``reports.csv``,
    ``groups.csv``, ``memberships.csv`` (generic CSVs), ``truth.csv`` (``account_id, label,
    group`` for every account) and ``manifest.json`` (arguments, event times, checksums and
    a description of each planted phenomenon). Tweet times are truncated to the minute, as
    in the real archives. The default world (2,000 accounts, 30 days) takes a few seconds.

    Examples
    --------
    >>> import tempfile
    >>> from flockwatch.simulate import simulate
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = simulate(tmp, seed=1, accounts=300, days=10)
    >>> summary.counts["users"], summary.labels["celebrity"], summary.labels["io_core"]
    (300, 3, 5)
    """
    accounts = _whole(accounts, "accounts", P.MIN_ACCOUNTS)
    days = _whole(days, "days", P.MIN_DAYS)
    if isinstance(start, dt.datetime):
        start = start.date()
    if not isinstance(start, dt.date):
        raise ValueError(f"start must be a datetime.date, got {start!r}")
    say = progress or (lambda message: None)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rng = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS)), strict=True))
    window = P.Window(start, days)
    cal = make_calendar(rng["calendar"], window)

    say("creating accounts")
    world = build_world(rng["world"], P.plan_roles(accounts), window, cal.trigger_ms)
    texts = TextFactory(rng["texts"], world)
    io = InfluenceOperation(rng["influence"], world, texts, window, cal)

    say("building the follow graph")
    sales = sell_followers(rng["seller"], world, window)
    follows = Follows.join(
        [*build_follows(rng["follows"], world, window, io.active_from, io.amps), sales.follows],
        world.n,
        window.length_ms,
    )
    cover_earlier_follows(world, follows)

    say("writing posts")
    log = TweetLog()
    organic = OrganicActivity(rng["organic"], world, texts, window)
    organic.originals(log)
    fandom = Fandom(rng["fandom"], world, texts, window)
    fandom.celebrity_posts(log)
    fandom.impersonator_posts(log)
    core_posts = io.core_posts(log)
    amp_posts = io.amplifier_posts(log)
    spam_facts = spam_posts(rng["spam"], world, texts, window, log)
    pool_posts(rng["seller"], world, texts, window, log)
    say("writing replies and reposts")
    organic.interactions(log)
    fandom.fan_reactions(log)
    io.reposts(log, core_posts, amp_posts)
    table = finalize(rng["tweets"], log.view(), world, window)
    del log

    say("filing reports, groups and snapshots")
    tallies = Tallies(world, follows, sales.offworld, table.author, table.t)
    reports = make_reports(
        rng["reports"], world, window, PostFinder(table.author, table.t, table.kind)
    )
    groups = make_groups(rng["groups"], world)
    snaps = make_snapshots(rng["snapshots"], world, window, tallies)

    say("writing files")
    writer = WorldWriter(out, world, window, tallies, rng["writer"])
    counts = {
        "tweets": writer.tweets(table),
        "users": writer.users(),
        "profiles": writer.profiles(),
        "follows": writer.follows(follows),
        "snapshots": writer.snapshots(snaps),
        "reports": writer.reports(reports, table.tweet_id),
    }
    counts["groups"], counts["memberships"] = writer.groups(groups)
    counts["truth"] = writer.truth()
    files = {name: out / f"{name}.csv" for name in counts}
    labels = {label: int((world.role == k).sum()) for k, label in enumerate(P.LABELS)}

    say("writing manifest")
    header = {
        "generator": "flockwatch.simulate",
        "seed": seed,
        "arguments": {"accounts": accounts, "days": days, "start": start.isoformat()},
        "window": {"start": window.iso(0), "end": window.iso(window.length_ms)},
        "events": events(world, window, cal, sales, reports),
    }
    planted = planted_facts(world, io, groups, labels, spam_facts)
    manifest = out / "manifest.json"
    write_manifest(manifest, header, files, counts, labels, planted)
    files["manifest"] = manifest
    return SimulationSummary(out, files, counts, labels, seed, accounts, days)


def _whole(value: object, name: str, minimum: int) -> int:
    """``value`` as an int, or a ValueError naming the parameter and its minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)
