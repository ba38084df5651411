"""Celebrities, their keen fans and the accounts that impersonate them.

Fans repost their star within seconds (exponential delay, mean 10-30 s per fan), so many
reposts land in the same minute: an organic look-alike of coordination. Impersonators post
copies of the star's posts or scam giveaways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import phrases as T
from . import plan as P
from .timeline import ORIGINAL, REPLY, RETWEET, TweetLog, daily_times, pick_client

if TYPE_CHECKING:
    from .texts import TextFactory
    from .timeline import Posts
    from .world import World

FAN_REPLY_SHARE = 0.04
IMPERSONATOR_COPY_SHARE = 0.45


class Fandom:
    """Writes celebrity posts, fan reactions and impersonator posts."""

    def __init__(
        self, rng: np.random.Generator, world: World, texts: TextFactory, window: P.Window
    ) -> None:
        self.rng, self.w, self.texts, self.window = rng, world, texts, window
        self.celebs = world.of(P.CELEBRITY)
        self.fans = world.of(P.FAN)
        self.keenness = rng.beta(2.0, 4.0, len(self.fans))
        self.mean_delay_s = rng.uniform(10, 30, len(self.fans))
        self.celeb_posts = np.empty(0, dtype=np.int64)

    def celebrity_posts(self, log: TweetLog) -> None:
        w, rng = self.w, self.rng
        counts = rng.poisson(w.rate[self.celebs] * self.window.days)
        owner, t = daily_times(rng, counts, w.tz[self.celebs], self.window.days)
        authors = self.celebs[owner]
        client = pick_client(rng, w.client_main[authors], w.client_alt[authors], 0.25)
        self.celeb_posts = log.add(authors, t, ORIGINAL, client, text=self.texts.celebrity(authors))

    def fan_reactions(self, log: TweetLog) -> None:
        """Each fan reposts a share of their star's posts within seconds; a few reply."""
        w, rng = self.w, self.rng
        posts = log.view()
        star_of_fan = w.celeb_of[self.fans]
        for celeb in self.celebs.tolist():
            mine = self.celeb_posts[posts.author[self.celeb_posts] == celeb]
            fan_rows = np.flatnonzero(star_of_fan == celeb)
            if not len(mine) or not len(fan_rows):
                continue
            hit = rng.random((len(mine), len(fan_rows))) < self.keenness[fan_rows]
            post_i, fan_i = np.nonzero(hit)
            delay_s = rng.exponential(self.mean_delay_s[fan_rows][fan_i]) + 1.0
            parent = mine[post_i]
            t = posts.t[parent] + (delay_s * 1000).astype(np.int64)
            keep = t < self.window.length_ms
            actors = self.fans[fan_rows][fan_i][keep]
            client = pick_client(rng, w.client_main[actors], w.client_alt[actors], 0.1)
            log.add(actors, t[keep], RETWEET, client, parent=parent[keep])
            self._fan_replies(log, posts, mine, fan_rows, celeb)

    def _fan_replies(
        self, log: TweetLog, posts: Posts, mine: np.ndarray, fan_rows: np.ndarray, celeb: int
    ) -> None:
        w, rng = self.w, self.rng
        post_i, fan_i = np.nonzero(rng.random((len(mine), len(fan_rows))) < FAN_REPLY_SHARE)
        parent = mine[post_i]
        delay = (rng.lognormal(np.log(3.0), 0.9, len(parent)) * P.MINUTE_MS).astype(np.int64)
        t = posts.t[parent] + delay + 2000
        keep = t < self.window.length_ms
        actors = self.fans[fan_rows][fan_i][keep]
        parent = parent[keep]
        text = self.texts.replies(
            posts.author[parent], T.FAN_REPLY_TEMPLATES, self.texts.fan_fill(celeb)
        )
        client = pick_client(rng, w.client_main[actors], w.client_alt[actors], 0.1)
        log.add(actors, t[keep], REPLY, client, parent=parent, text=text)

    def impersonator_posts(self, log: TweetLog) -> None:
        w, rng = self.w, self.rng
        imps = w.of(P.IMPERSONATOR)
        counts = rng.poisson(w.rate[imps] * self.window.days)
        owner, t = daily_times(rng, counts, w.tz[imps], self.window.days)
        authors = imps[owner]
        posts = log.view()
        copied: list[str | None] = []
        copy = rng.random(len(authors)) < IMPERSONATOR_COPY_SHARE
        star_posts = self.celeb_posts
        for a, ti, c in zip(authors.tolist(), t.tolist(), copy.tolist(), strict=True):
            source = star_posts[
                (posts.author[star_posts] == w.celeb_of[a]) & (posts.t[star_posts] < ti)
            ]
            latest = source[np.argmax(posts.t[source])] if len(source) else -1
            copied.append(posts.text[latest] if c and latest >= 0 else None)
        client = pick_client(rng, w.client_main[authors], w.client_alt[authors], 0.2)
        log.add(authors, t, ORIGINAL, client, text=self.texts.impersonator(authors, copied))
