"""Steps in an account's follower count: bought followers arrive all at once.

From ``account_snapshots`` (sparse, irregular): between consecutive snapshots the count changes
by ``d`` over ``dt`` days. The baseline is the median daily rate over the account's intervals
(with at least :data:`MIN_INTERVALS` of them; with fewer, its lifetime rate: first count over
age), and its spread 1.4826 × MAD (at least the square root of the baseline, and 1). An
interval is a step when it adds at least ``min_step`` followers beyond the baseline and
:data:`STEP_K` spreads (per day) above it; consecutive step intervals are one step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MIN_INTERVALS", "STEP_K", "Step", "follower_steps"]

#: Intervals needed for a median baseline; with fewer the lifetime rate is used.
MIN_INTERVALS = 3
#: A step is at least this many robust standard deviations of the daily rate above baseline.
STEP_K = 6.0
_DAY = 86400.0


@dataclass(frozen=True)
class Step:
    """Followers added in one step: from ``before`` at ``start`` to ``after`` at ``end`` (epoch
    seconds of the bounding snapshots); ``excess`` is what the baseline does not explain."""

    start: float
    end: float
    before: int
    after: int
    excess: float


def follower_steps(
    times: np.ndarray, counts: np.ndarray, min_step: int, created_at: float | None = None
) -> tuple[list[Step], float | None]:
    """Steps in one account's follower counts.

    Parameters
    ----------
    times
        Sorted snapshot times (epoch seconds), one per distinct time.
    counts
        Follower counts at those times.
    min_step
        Fewest followers a step adds beyond the baseline.
    created_at
        Account creation (epoch seconds), for the lifetime baseline of short series.

    Returns
    -------
    steps : list of Step
        In time order.
    baseline : float or None
        Followers per day the baseline expects (None: too few snapshots to judge).

    Examples
    --------
    >>> day = 86400.0
    >>> counts = np.array([100, 102, 104, 106, 108, 3108, 3110, 3112])
    >>> steps, base = follower_steps(np.arange(8) * day, counts, 200)
    >>> [(s.before, s.after, s.excess) for s in steps], base
    ([(108, 3108, 2998.0)], 2.0)
    """
    t = np.asarray(times, dtype=float)
    c = np.asarray(counts, dtype=float)
    if len(t) < 2:
        return [], None
    d = np.diff(c)
    dt = np.maximum(np.diff(t) / _DAY, 1.0 / 24.0)
    rates = d / dt
    if len(d) >= MIN_INTERVALS:
        base = float(np.median(rates))
        spread = 1.4826 * float(np.median(np.abs(rates - base)))
    elif created_at is not None and t[0] > created_at:
        base = float(c[0] / max((t[0] - created_at) / _DAY, 1.0))
        spread = 0.0
    else:
        return [], None
    spread = max(spread, float(np.sqrt(max(base, 0.0))), 1.0)
    excess = d - base * dt
    is_step = (excess >= min_step) & (excess >= STEP_K * spread * np.maximum(dt, 1.0))
    steps: list[Step] = []
    i = 0
    while i < len(d):
        if not is_step[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(d) and is_step[j + 1]:
            j += 1
        steps.append(
            Step(
                float(t[i]),
                float(t[j + 1]),
                int(c[i]),
                int(c[j + 1]),
                float(excess[i : j + 1].sum()),
            )
        )
        i = j + 1
    return steps, base
