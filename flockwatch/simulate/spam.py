"""The spam-bot farm ``farm_1``: promotional link posts on a clock.

Each bot posts every 15, 20, 30 or 60 minutes with a few seconds of jitter, day and night,
for a stretch of days (the farm rotates bots as they get suspended). All bots use one
scheduling client and near-identical texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import plan as P
from .timeline import ORIGINAL, TweetLog

if TYPE_CHECKING:
    from .texts import TextFactory
    from .world import World

PERIODS_MIN = np.array([15, 20, 30, 60])
PERIOD_SHARES = np.array([0.15, 0.15, 0.4, 0.3])
JITTER_S = 3.0


def spam_posts(
    rng: np.random.Generator, world: World, texts: TextFactory, window: P.Window, log: TweetLog
) -> dict[str, float]:
    """Write the farm's posts; returns summary facts for the manifest."""
    bots = world.of(P.SPAM_BOT)
    period = PERIODS_MIN[rng.choice(len(PERIODS_MIN), len(bots), p=PERIOD_SHARES)] * P.MINUTE_MS
    span = np.clip(rng.lognormal(np.log(3.0), 0.5, len(bots)), 1.5, window.days) * P.DAY_MS
    start = (rng.random(len(bots)) * (window.length_ms - span)).astype(np.int64)
    start += rng.integers(0, period)
    counts = (span // period).astype(np.int64)
    owner = np.repeat(np.arange(len(bots)), counts)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    jitter = (rng.normal(0, JITTER_S, len(owner)) * 1000).astype(np.int64)
    t = start[owner] + step * period[owner] + jitter
    keep = (t >= 0) & (t < window.length_ms)
    authors = bots[owner[keep]]
    log.add(authors, t[keep], ORIGINAL, world.client_main[authors], text=texts.spam(authors))
    return {"bots": len(bots), "median_period_min": float(np.median(period) / P.MINUTE_MS)}
