"""The growing log of posts, and when people post.

:class:`TweetLog` collects posts in batches; a post's index in the log is stable, so later
batches (reposts, replies) can point at earlier ones. Retweets carry no text of their own:
it is derived from the original when the log is finalised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import plan as P

ORIGINAL, RETWEET, REPLY, QUOTE = 0, 1, 2, 3

# Share of a person's posts in each local hour (0-23): quiet at night, peaks at lunch and evening.
ORGANIC_HOURS = np.array(
    [2.0, 1.2, 0.7, 0.4, 0.3, 0.4, 1.0, 2.2, 3.4, 3.8, 3.9, 4.1, 4.8, 4.6, 4.0, 3.9,
     4.0, 4.4, 5.0, 5.6, 6.2, 6.4, 5.6, 3.6]
)  # fmt: skip
ORGANIC_HOURS = ORGANIC_HOURS / ORGANIC_HOURS.sum()
# A paid operation works office shifts.
OFFICE_HOURS = np.array([0.1] * 8 + [3, 5, 5, 5, 3, 5, 5, 5, 4, 2] + [0.4] * 6)
OFFICE_HOURS = OFFICE_HOURS / OFFICE_HOURS.sum()

COLUMNS = (
    "author",
    "t",
    "kind",
    "parent",
    "text",
    "lang",
    "hashtags",
    "urls",
    "mentions",
    "client",
)


@dataclass
class Posts:
    """A read-only view of the log: one array per column."""

    author: np.ndarray
    t: np.ndarray
    kind: np.ndarray
    parent: np.ndarray
    text: np.ndarray
    lang: np.ndarray
    hashtags: np.ndarray
    urls: np.ndarray
    mentions: np.ndarray
    client: np.ndarray

    def __len__(self) -> int:
        return len(self.t)


class TweetLog:
    """Append-only store of posts; see the module docstring."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []
        self.size = 0

    def add(
        self,
        author: np.ndarray,
        t: np.ndarray,
        kind: int,
        client: np.ndarray,
        parent: np.ndarray | None = None,
        text: dict[str, list] | None = None,
    ) -> np.ndarray:
        """Append posts; ``text`` holds lists ``text, lang, hashtags, urls, mentions``.

        Returns the global indices of the new posts.
        """
        n = len(t)
        empty = np.full(n, None, dtype=object)
        part = {
            "author": np.asarray(author, dtype=np.int64),
            "t": np.asarray(t, dtype=np.int64),
            "kind": np.full(n, kind, dtype=np.int8),
            "parent": np.full(n, -1, dtype=np.int64) if parent is None else np.asarray(parent),
            "client": np.asarray(client, dtype=object),
        }
        for key in ("text", "lang", "hashtags", "urls", "mentions"):
            part[key] = empty if text is None else np.asarray(text[key], dtype=object)
        if any(len(v) != n for v in part.values()):
            raise ValueError("all columns of a batch of posts must have the same length")
        self.parts.append(part)
        self.size += n
        return np.arange(self.size - n, self.size)

    def view(self) -> Posts:
        """All posts so far. The arrays are shared with the log: do not modify them."""
        if not self.parts:
            cols = {c: np.empty(0, dtype=object) for c in COLUMNS}
            for c in ("author", "t", "parent"):
                cols[c] = np.empty(0, dtype=np.int64)
            cols["kind"] = np.empty(0, dtype=np.int8)
            return Posts(**cols)
        if len(self.parts) > 1:  # merge once, so the log never holds two copies
            self.parts = [{c: np.concatenate([p[c] for p in self.parts]) for c in COLUMNS}]
        return Posts(**self.parts[0])


def daily_times(
    rng: np.random.Generator,
    counts: np.ndarray,
    tz_hours: np.ndarray,
    days: int,
    hours: np.ndarray = ORGANIC_HOURS,
    day_weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Spread ``counts[i]`` posts of each account over the window by its local day curve.

    Returns ``(owner, t)`` where ``owner`` indexes ``counts``. Times falling outside the
    window (because of the time-zone shift) wrap around to the other end.
    """
    owner = np.repeat(np.arange(len(counts)), counts)
    total = len(owner)
    if day_weights is None:
        day = rng.integers(0, days, total)
    else:
        day = rng.choice(days, total, p=day_weights / day_weights.sum())
    hour = rng.choice(24, total, p=hours)
    within = rng.integers(0, P.HOUR_MS, total)
    shift = (np.asarray(tz_hours)[owner] * P.HOUR_MS).astype(np.int64)
    t = day * P.DAY_MS + hour * P.HOUR_MS + within - shift
    return owner, np.mod(t, days * P.DAY_MS)


def pick_client(
    rng: np.random.Generator, main: np.ndarray, alt: np.ndarray, share_alt: float
) -> np.ndarray:
    """Each post comes from the author's main client, sometimes from the second one."""
    use_alt = rng.random(len(main)) < share_alt
    return np.where(use_alt, alt, main)
