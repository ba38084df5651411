"""Follower-arrival bursts: many follows observed within a few hours, against the account's rate.

Sellers deliver a package of followers within hours; organic followers trickle in. For each
audited account the times its follows were first observed (``follows.observed_at``) are
scanned with a window of ``burst_hours``: the window holding the most follows is a burst when
it holds at least ``min_follows`` follows, :data:`BURST_RATIO` times what the account's mean
arrival rate predicts, with a Poisson tail probability below :data:`BURST_P`; it is taken out
and the scan repeats (up to :data:`MAX_BURSTS`).

The follows observed at the account's *earliest* observation time are left out: they are the
followers it already had when first crawled (a backlog), not arrivals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

__all__ = ["BURST_P", "BURST_RATIO", "MAX_BURSTS", "Burst", "arrival_bursts"]

#: A burst holds at least this many times the follows the account's mean rate predicts in the
#: window: a busy day for an organic account is a few times its mean, a delivery tens of times.
BURST_RATIO = 5.0
#: Poisson upper-tail probability below which a window is a burst (strict: every account is
#: scanned, so thousands of windows are tested).
BURST_P = 1e-6
#: Bursts reported per account (a customer rarely buys more often than this in a crawl).
MAX_BURSTS = 5


@dataclass(frozen=True)
class Burst:
    """Follows that arrived together: ``follows`` of them between ``start`` and ``end`` (epoch
    seconds of the first and last), against ``expected`` at the account's mean rate."""

    start: float
    end: float
    follows: int
    expected: float


def arrival_bursts(times: np.ndarray, window_s: float, min_follows: int) -> list[Burst]:
    """Bursts in one account's sorted follow times (epoch seconds).

    Parameters
    ----------
    times
        Sorted observation times of the account's follows.
    window_s
        Window length in seconds (``burst_hours * 3600``).
    min_follows
        Fewest follows in a burst.

    Returns
    -------
    list of Burst
        Largest first.

    Examples
    --------
    >>> backlog = [0.0] * 30  # already there at the first crawl
    >>> daily = np.arange(1, 31) * 86400.0  # one new follower a day
    >>> delivery = 10.5 * 86400 + 60.0 * np.arange(60)  # 60 within an hour
    >>> t = np.sort(np.concatenate([backlog, daily, delivery]))
    >>> [(b.follows, round(b.expected, 2)) for b in arrival_bursts(t, 6 * 3600, 20)]
    [(60, 0.75)]
    """
    t = np.asarray(times, dtype=float)
    if len(t) == 0:
        return []
    arrivals = t[t > t[0]]  # the follows of the first observation were already there
    n = len(arrivals)
    if n < min_follows:
        return []
    span = max(arrivals[-1] - t[0], window_s)
    expected = n * window_s / span
    threshold = max(float(min_follows), BURST_RATIO * expected)
    if poisson.sf(threshold - 1, expected) >= BURST_P:
        threshold = float(poisson.isf(BURST_P, expected)) + 1
    bursts: list[Burst] = []
    left = arrivals
    while len(bursts) < MAX_BURSTS and len(left) >= threshold:
        counts = np.searchsorted(left, left + window_s, side="left") - np.arange(len(left))
        i = int(np.argmax(counts))
        c = int(counts[i])
        if c < threshold:
            break
        bursts.append(Burst(float(left[i]), float(left[i + c - 1]), c, float(expected)))
        left = np.concatenate([left[:i], left[i + c :]])
    return bursts
