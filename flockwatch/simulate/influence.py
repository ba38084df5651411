"""The influence operation ``io_1``: a few core accounts and many amplifiers.

After a trigger event the operation creates amplifiers in a burst of a few days. Core
accounts post campaign content with a small set of hashtags and a shared mention list, on
office hours; amplifiers repost each core post within seconds to minutes, post copy-paste
variants of the same templates, and repost one another (an echo chamber). Posting leaps
from the trigger onward and spikes after news events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import plan as P
from .timeline import OFFICE_HOURS, ORIGINAL, RETWEET, TweetLog, daily_times, pick_client

if TYPE_CHECKING:
    from .texts import TextFactory
    from .timeline import Posts
    from .world import World

CORE_RATE_BEFORE, CORE_RATE_AFTER = 0.6, 2.0  # posts per core account per day
EVENT_POSTS_CORE, EVENT_POSTS_AMP = 2.5, 1.2  # extra posts per account after a news event
AMP_RATE = (0.5, 1.5)  # copy-paste posts per amplifier per day, once active
REPOSTS_PER_CORE_POST = (8.0, 0.6)  # lognormal median and sigma, after the trigger


@dataclass(frozen=True)
class Calendar:
    """When the operation's story happens (window-relative milliseconds)."""

    trigger_ms: int
    events_ms: tuple[int, ...]

    @property
    def trigger_day(self) -> int:
        return self.trigger_ms // P.DAY_MS


def make_calendar(rng: np.random.Generator, window: P.Window) -> Calendar:
    """Trigger on about day ``days/6`` (day 5 of 30); 2-3 news events after it."""
    day = max(2, round(window.days / 6))
    trigger = (
        day * P.DAY_MS + int(rng.integers(8, 20)) * P.HOUR_MS + int(rng.integers(0, P.HOUR_MS))
    )
    later = np.arange(day + 1, window.days - 1)
    count = min(len(later), int(rng.integers(2, 4)))
    days = np.sort(rng.choice(later, count, replace=False))
    events = days * P.DAY_MS + rng.integers(6 * P.HOUR_MS, 18 * P.HOUR_MS, count)
    return Calendar(trigger, tuple(int(x) for x in events))


class InfluenceOperation:
    """Writes every post of ``io_1``."""

    def __init__(
        self,
        rng: np.random.Generator,
        world: World,
        texts: TextFactory,
        window: P.Window,
        cal: Calendar,
    ) -> None:
        self.rng, self.w, self.texts, self.window, self.cal = rng, world, texts, window, cal
        self.core = world.of(P.IO_CORE)
        self.amps = world.of(P.IO_AMPLIFIER)
        created = world.created[self.amps]
        start = (
            np.maximum(created, cal.trigger_ms)
            + rng.integers(10, 360, len(self.amps)) * P.MINUTE_MS
        )
        order = np.argsort(start, kind="stable")
        self.amps, self.active_from = self.amps[order], start[order]
        popular = world.of(P.ORGANIC)[np.argmax(world.followers0[world.of(P.ORGANIC)])]
        celeb = world.of(P.CELEBRITY)[0]
        self.mention_list = np.array([*self.core[:2].tolist(), int(celeb), int(popular)])

    def _day_weights(self, after: bool) -> np.ndarray:
        days = np.arange(self.window.days)
        weekday = np.array([(self.window.start.weekday() + d) % 7 < 5 for d in days])
        in_range = days >= self.cal.trigger_day if after else days < self.cal.trigger_day
        return in_range * np.where(weekday, 1.0, 0.4)

    def _campaign(
        self, log: TweetLog, authors: np.ndarray, t: np.ndarray, share_alt: float, copy: float = 0.0
    ) -> np.ndarray:
        keep = t < self.window.length_ms
        authors, t = authors[keep], t[keep]
        w = self.w
        client = pick_client(self.rng, w.client_main[authors], w.client_alt[authors], share_alt)
        text = self.texts.campaign(len(t), self.mention_list, copy)
        return log.add(authors, t, ORIGINAL, client, text=text)

    def _event_times(
        self, accounts: np.ndarray, per_account: float, spread_h: float, active_from: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        owners, times = [], []
        for event in self.cal.events_ms:
            counts = self.rng.poisson(per_account, len(accounts)) * (active_from <= event)
            owner = np.repeat(accounts, counts)
            t = event + (self.rng.exponential(spread_h, len(owner)) * P.HOUR_MS).astype(np.int64)
            owners.append(owner)
            times.append(t)
        return np.concatenate([np.empty(0, np.int64), *owners]), np.concatenate(
            [np.empty(0, np.int64), *times]
        )

    def core_posts(self, log: TweetLog) -> np.ndarray:
        w, rng, days = self.w, self.rng, self.window.days
        idx = []
        for after, rate in ((False, CORE_RATE_BEFORE), (True, CORE_RATE_AFTER)):
            weights = self._day_weights(after)
            if weights.sum() == 0:
                continue
            counts = rng.poisson(rate * weights.sum(), len(self.core))
            owner, t = daily_times(rng, counts, w.tz[self.core], days, OFFICE_HOURS, weights)
            idx.append(self._campaign(log, self.core[owner], t, 0.3))
        owner, t = self._event_times(self.core, EVENT_POSTS_CORE, 2.0, np.zeros(len(self.core)))
        idx.append(self._campaign(log, owner, t, 0.3))
        return np.concatenate(idx)

    def amplifier_posts(self, log: TweetLog) -> np.ndarray:
        """Copy-paste posts once active, plus an ordinary persona before the trigger."""
        w, rng, end = self.w, self.rng, self.window.length_ms
        rate = rng.uniform(*AMP_RATE, len(self.amps))
        span_days = np.maximum(end - self.active_from, 0) / P.DAY_MS
        counts = rng.poisson(rate * span_days)
        owner = np.repeat(np.arange(len(self.amps)), counts)
        t = self.active_from[owner] + (
            rng.random(len(owner)) * (end - self.active_from[owner])
        ).astype(np.int64)
        idx = [self._campaign(log, self.amps[owner], t, 0.05, 0.4)]
        event_owner, event_t = self._event_times(self.amps, EVENT_POSTS_AMP, 3.0, self.active_from)
        idx.append(self._campaign(log, event_owner, event_t, 0.05, 0.4))
        aged = self.amps[w.created[self.amps] < 0]
        weights = self._day_weights(False)
        if len(aged) and weights.sum() > 0:
            counts = rng.poisson(0.25 * weights.sum(), len(aged))
            owner, t = daily_times(rng, counts, w.tz[aged], self.window.days, day_weights=weights)
            authors = aged[owner]
            text = self.texts.organic(authors, np.empty(0, dtype=np.int64))
            client = np.asarray(["Twitter for Android"] * len(authors), dtype=object)
            log.add(authors, t, ORIGINAL, client, text=text)
        return np.concatenate(idx)

    def reposts(self, log: TweetLog, core_posts: np.ndarray, amp_posts: np.ndarray) -> None:
        """Amplifiers repost core posts fast and each other's posts; cores repost each other."""
        rng, posts = self.rng, log.view()
        t_core = posts.t[core_posts]
        after = t_core >= self.cal.trigger_ms
        k = np.where(
            after,
            rng.lognormal(
                np.log(REPOSTS_PER_CORE_POST[0]), REPOSTS_PER_CORE_POST[1], len(core_posts)
            ),
            rng.poisson(0.5, len(core_posts)),
        )
        near_event = np.zeros(len(core_posts), dtype=bool)
        for event in self.cal.events_ms:
            near_event |= (t_core >= event) & (t_core < event + 12 * P.HOUR_MS)
        k = np.round(k * np.where(near_event, 2.0, 1.0)).astype(np.int64)
        fast = rng.random(int(k.sum())) < 0.6
        self._amp_reposts(log, posts, core_posts, k, fast)
        echo = rng.poisson(1.2, len(amp_posts))
        self._amp_reposts(log, posts, amp_posts, echo, np.zeros(int(echo.sum()), dtype=bool))
        self._core_reposts(log, posts, core_posts)

    def _amp_reposts(
        self, log: TweetLog, posts: Posts, parents: np.ndarray, k: np.ndarray, fast: np.ndarray
    ) -> None:
        rng, w = self.rng, self.w
        active = np.searchsorted(self.active_from, posts.t[parents], side="right")
        k = np.minimum(k, active)
        fast = fast[: int(k.sum())]
        parent = np.repeat(parents, k)
        slot = (rng.random(len(parent)) * np.repeat(active, k)).astype(np.int64)
        actors = self.amps[slot]
        delay_s = np.where(
            fast, rng.exponential(25.0, len(parent)), rng.lognormal(np.log(150), 0.9, len(parent))
        )
        t = posts.t[parent] + (delay_s * 1000).astype(np.int64) + 2000
        keep = first_of_pairs(parent, actors, w.n)
        keep &= (t < self.window.length_ms) & (posts.author[parent] != actors)
        actors, parent, t = actors[keep], parent[keep], t[keep]
        client = pick_client(rng, w.client_main[actors], w.client_alt[actors], 0.05)
        log.add(actors, t, RETWEET, client, parent=parent)

    def _core_reposts(self, log: TweetLog, posts: Posts, core_posts: np.ndarray) -> None:
        rng, w = self.rng, self.w
        k = rng.poisson(min(3.0, 0.2 * (len(self.core) - 1)), len(core_posts))
        parent = np.repeat(core_posts, k)
        actors = self.core[rng.integers(0, len(self.core), len(parent))]
        delay = (rng.lognormal(np.log(8.0), 1.0, len(parent)) * P.MINUTE_MS).astype(np.int64)
        t = posts.t[parent] + delay
        keep = first_of_pairs(parent, actors, w.n)
        keep &= (t < self.window.length_ms) & (posts.author[parent] != actors)
        actors, parent, t = actors[keep], parent[keep], t[keep]
        client = pick_client(rng, w.client_main[actors], w.client_alt[actors], 0.3)
        log.add(actors, t, RETWEET, client, parent=parent)


def first_of_pairs(parent: np.ndarray, actor: np.ndarray, n_accounts: int) -> np.ndarray:
    """Mask keeping the first occurrence of each (post, account) pair."""
    _, first = np.unique(parent * n_accounts + actor, return_index=True)
    keep = np.zeros(len(parent), dtype=bool)
    keep[first] = True
    return keep
