"""What ordinary people do: post on a daily rhythm, reply, quote and repost popular posts.

Organic reposts follow popularity (author reach times a heavy-tailed per-post virality),
so viral posts draw crowds of reposts; their delays are lognormal, minutes to hours. Brigade
reporters behave like quiet ordinary users but never touch the critics they later report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from . import names as N
from . import plan as P
from .timeline import ORIGINAL, QUOTE, REPLY, RETWEET, Posts, TweetLog, daily_times, pick_client

if TYPE_CHECKING:
    from .texts import TextFactory
    from .world import World

POSTERS = (*P.ORGANIC_LIKE, P.REPORTER)
# Kind mix per person: originals, reposts, replies, quotes (Dirichlet concentration).
KIND_MIX = np.array([4.5, 3.5, 1.6, 0.5])
# How attractive an author's posts are to organic reposters, by role (index = role code).
ROLE_PULL = np.array([1.0, 1.0, 1.0, 0.4, 0.03, 0.0, 0.0, 0.5, 0.25, 0.3, 1.5])
# Lognormal delays (median minutes, sigma) between a post and an organic reaction to it.
REACH_CAP = 5000  # beyond this, more followers do not draw more reposts inside the world
DELAYS = {RETWEET: (70.0, 1.3), REPLY: (25.0, 1.2), QUOTE: (50.0, 1.2)}


class OrganicActivity:
    """Plans and writes the posts and interactions of organic-like accounts."""

    def __init__(
        self, rng: np.random.Generator, world: World, texts: TextFactory, window: P.Window
    ) -> None:
        self.rng, self.w, self.texts, self.window = rng, world, texts, window
        self.people = world.of(*POSTERS)
        rate = world.rate[self.people]
        actions = rng.poisson(rate * window.days)
        mix = rng.dirichlet(KIND_MIX, len(self.people))
        self.kinds = rng.multinomial(actions, mix)  # columns: original, retweet, reply, quote
        # Critics are left out so that brigade members never mention their future targets.
        self.mention_pool = world.of(P.ORGANIC, P.FAN, P.CELEBRITY, P.CUSTOMER)

    def originals(self, log: TweetLog) -> None:
        w, rng = self.w, self.rng
        owner, t = daily_times(rng, self.kinds[:, 0], w.tz[self.people], self.window.days)
        authors = self.people[owner]
        text = self.texts.organic(authors, self.mention_pool)
        self._rewrite(authors, text, P.CRITIC, 0.4, lambda k: self.texts.critic(k))
        self._rewrite(
            authors, text, P.REPORTER, 0.3, lambda k: self.texts.pick_lines(N.REPORTER_BIOS, k)
        )
        client = pick_client(rng, w.client_main[authors], w.client_alt[authors], 0.15)
        log.add(authors, t, ORIGINAL, client, text=text)

    def _rewrite(
        self,
        authors: np.ndarray,
        text: dict[str, list],
        role: int,
        share: float,
        make: Callable[[int], dict[str, list]],
    ) -> None:
        """Swap a share of one role's posts for role-specific texts."""
        rows = np.flatnonzero(
            (self.w.role[authors] == role) & (self.rng.random(len(authors)) < share)
        )
        if not len(rows):
            return
        new = make(len(rows))
        for key, values in new.items():
            for r, v in zip(rows.tolist(), values, strict=True):
                text[key][r] = v

    def interactions(self, log: TweetLog) -> None:
        """Replies and quotes first, then reposts (which may repost quotes)."""
        virality = np.empty(0)
        for kind, column in ((REPLY, 2), (QUOTE, 3), (RETWEET, 1)):
            posts = log.view()
            # Heavy-tailed appeal per post: a few posts go viral and draw crowds.
            extra = self.rng.lognormal(0.0, 1.3, len(posts) - len(virality))
            virality = np.concatenate([virality, extra])
            self._react(log, posts, virality, kind, column)

    def _react(
        self, log: TweetLog, posts: Posts, virality: np.ndarray, kind: int, column: int
    ) -> None:
        w, rng = self.w, self.rng
        counts = self.kinds[:, column]
        actors = np.repeat(self.people, counts)
        if not len(actors):
            return
        parent = np.full(len(actors), -1, dtype=np.int64)
        is_reporter = w.role[actors] == P.REPORTER
        for reporters in (False, True):
            rows = np.flatnonzero(is_reporter == reporters)
            # Reporters never interact with the critics they will later report.
            excluded = (P.CRITIC,) if reporters else ()
            parent[rows] = choose_parents(rng, w, posts, virality, len(rows), excluded)
        ok = parent >= 0
        actors, parent = actors[ok], parent[ok]
        median, sigma = DELAYS[kind]
        delay = (rng.lognormal(np.log(median), sigma, len(parent)) * P.MINUTE_MS).astype(np.int64)
        t = posts.t[parent] + np.maximum(delay, 5000)
        keep = (t < self.window.length_ms) & (posts.author[parent] != actors)
        actors, parent, t = actors[keep], parent[keep], t[keep]
        client = pick_client(rng, w.client_main[actors], w.client_alt[actors], 0.15)
        if kind == REPLY:
            text = self.texts.replies(posts.author[parent])
        elif kind == QUOTE:
            text = self.texts.quotes(len(parent))
        else:
            text = None
        log.add(actors, t, kind, client, parent=parent, text=text)


def choose_parents(
    rng: np.random.Generator,
    world: World,
    posts: Posts,
    virality: np.ndarray,
    count: int,
    excluded_roles: tuple[int, ...] = (),
) -> np.ndarray:
    """Pick ``count`` posts to react to, weighted by reach and virality (-1 if none)."""
    if count == 0:
        return np.empty(0, dtype=np.int64)
    cand = np.flatnonzero(np.isin(posts.kind, (ORIGINAL, QUOTE)))
    roles = world.role[posts.author[cand]]
    cand = cand[~np.isin(roles, excluded_roles)]
    if not len(cand):
        return np.full(count, -1, dtype=np.int64)
    author = posts.author[cand]
    reach = np.minimum(world.followers0[author], REACH_CAP) + 10.0
    weight = np.sqrt(reach) * virality[cand] * ROLE_PULL[world.role[author]]
    if weight.sum() <= 0:
        return np.full(count, -1, dtype=np.int64)
    cdf = np.cumsum(weight)
    picks = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
    return cand[np.minimum(picks, len(cand) - 1)]
