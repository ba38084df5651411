"""The ``activity`` detector: sudden leaps in an account's activity, and creation bursts."""

from __future__ import annotations

from flockwatch.detect.activity import examples
from flockwatch.detect.activity.bursts import burst_findings
from flockwatch.detect.activity.leap_findings import leap_findings
from flockwatch.detect.activity.leaps import LeapParams
from flockwatch.detect.base import Detector, Example, Finding
from flockwatch.store.db import Store

#: Longest creation window tested, in days: beyond a month a "burst" is a trend.
MAX_BURST_WINDOW_DAYS = 31


class ActivityDetector(Detector):
    """Sudden leaps in an account's activity, and bursts of account creation.

    Two signals that police cyber cells (sudden leaps in posts per day, followers and
    following; accounts created right after a triggering event) and platform takedown reports
    (activity spiking around news events) describe in bot and campaign accounts.

    *Leaps* (subject ``account``): daily posts (from ``posts``) and the per-day change of
    follower and following counts (from ``account_snapshots``, sparse and irregular) are
    compared with a robust per-account baseline. For posts the baseline is the median and MAD of
    the days before the jump (a change point); for counts, the median and MAD of all the
    account's per-day rates or, with only two or three snapshots, its long-run rate since
    creation. A jump must be ``leap_factor`` times the baseline, ``mad_k`` robust standard
    deviations above it (where a MAD exists) and at least ``min_posts_jump`` posts in a day or
    ``min_follower_jump`` followers (or followings) above the baseline.

    *Creation bursts* (subject ``cohort``, id ``creation:<platform>:<first day>..<last day>``):
    windows of 1 to ``burst_window_days`` days in which far more accounts of one platform were
    created than the local background rate predicts (Poisson tail probability below
    ``burst_p``, at least ``min_burst_accounts`` accounts). Platforms are never mixed.

    Parameters
    ----------
    min_days : int, default 5
        Baseline needed before a leap can be judged: earlier days of posts, or intervals
        between snapshots (with fewer, counts use the rate since creation).
    leap_factor : float, default 5.0
        A leap is at least this many times the baseline (baselines below 1 a day count as 1).
    min_posts_jump : int, default 20
        The busiest day of a posts leap is at least this many posts above the baseline median.
    min_follower_jump : int, default 200
        A follower or following leap adds at least this many beyond what the baseline rate
        predicts over the same time.
    mad_k : float, default 6.0
        A leap is at least this many robust standard deviations (1.4826 MAD, at least the
        square root of the baseline) above the baseline median.
    burst_window_days : int, default 3
        Longest creation window tested, in days (1 to 31).
    burst_p : float, default 1e-6
        Poisson upper-tail probability below which a creation window is a burst.
    min_burst_accounts : int, default 10
        Fewest accounts in a creation burst.

    Notes
    -----
    Scores. A leap scores ``0.5 * ln(ratio) / ln(leap_factor)`` clipped to [0, 1], where
    ``ratio`` is the jump's level (median posts per day of the jump, or its per-day rate of new
    followers) over the baseline: 0.5 at the threshold (5x), 1 at its square (25x); an account
    scores as its largest jump. A burst scores ``0.5 * log10(p) / log10(burst_p)`` clipped to
    [0, 1]: 0.5 at ``p = burst_p``, 1 at ``p = burst_p ** 2``. Only leaps and bursts that pass
    every threshold are reported, so every finding scores at least about 0.5.

    What this does *not* show. A leap says an account's activity changed, not why. Viral
    moments, breaking news, live events, elections, a product launch, press coverage or a
    celebrity's mention all make real people post or gain followers in leaps; so does a
    legitimate, coordinated campaign (an NGO's day of action, a brand's launch day). A creation
    burst is expected after anything that sends people to a platform (an outage elsewhere, a
    migration, a national event, a marketing push, a school term), and data collected around
    one event over-represents accounts active at it, new ones included. Read bursts and leaps
    as leads to combine with content, network and profile evidence.

    Thresholds. The defaults are conservative starting points, not calibrated rates: a 5x,
    6-MAD leap is rare for a steady account but common for a sporadic one, whose median is 0
    (then 20 posts in a day is a leap). Counts in snapshots are as the platform reported them
    and may lag; a follower leap between two snapshots far apart is dated only to that interval.
    Takedown archives give creation dates only, so bursts shorter than a day are not resolved.
    The Poisson background assumes creations independent from day to day; weekly cycles and a
    platform's growth make small windows look more significant than they are, hence the strict
    ``burst_p``.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> ex = ActivityDetector.positive_example()
    >>> ex.build(store)
    >>> found = {(f.subject_kind, f.subject_id): f for f in ActivityDetector().run(store)}
    >>> print(found[ex.subject].explanation)
    Posts per day rose from a median of 2 to 85 on 2026-03-06 (42x, 2 days); followers +3,000 on 2026-03-07 (baseline +2/day).
    >>> print(found[("cohort", "creation:twitter:2026-03-05..2026-03-06")].details["members"])
    30
    """

    name = "activity"
    version = "1"
    summary = "Sudden leaps in an account's posts, followers or following, and bursts of account creation."
    subject_kinds = ("account", "cohort")

    def __init__(
        self,
        *,
        min_days: int = 5,
        leap_factor: float = 5.0,
        min_posts_jump: int = 20,
        min_follower_jump: int = 200,
        mad_k: float = 6.0,
        burst_window_days: int = 3,
        burst_p: float = 1e-6,
        min_burst_accounts: int = 10,
    ) -> None:
        self.min_days = min_days
        self.leap_factor = leap_factor
        self.min_posts_jump = min_posts_jump
        self.min_follower_jump = min_follower_jump
        self.mad_k = mad_k
        self.burst_window_days = burst_window_days
        self.burst_p = burst_p
        self.min_burst_accounts = min_burst_accounts

    def _check(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def is_num(v: object) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool)

        self.check_param("min_days", is_int(self.min_days) and self.min_days >= 1, "an int >= 1")
        self.check_param(
            "leap_factor", is_num(self.leap_factor) and self.leap_factor > 1, "a number > 1"
        )
        for name in ("min_posts_jump", "min_follower_jump", "min_burst_accounts"):
            value = getattr(self, name)
            self.check_param(name, is_int(value) and value >= 1, "an int >= 1")
        self.check_param("mad_k", is_num(self.mad_k) and self.mad_k >= 0, "a number >= 0")
        self.check_param(
            "burst_window_days",
            is_int(self.burst_window_days) and 1 <= self.burst_window_days <= MAX_BURST_WINDOW_DAYS,
            f"an int from 1 to {MAX_BURST_WINDOW_DAYS}",
        )
        self.check_param(
            "burst_p", is_num(self.burst_p) and 0 < self.burst_p < 1, "a number between 0 and 1"
        )

    def run(self, store: Store) -> list[Finding]:
        self._check()
        leaps = leap_findings(
            store,
            LeapParams(
                min_days=self.min_days,
                leap_factor=float(self.leap_factor),
                mad_k=float(self.mad_k),
                min_posts_jump=self.min_posts_jump,
                min_follower_jump=self.min_follower_jump,
            ),
        )
        bursts = burst_findings(
            store, self.burst_window_days, self.min_burst_accounts, float(self.burst_p)
        )
        return leaps + bursts

    @classmethod
    def positive_example(cls) -> Example:
        return Example(build=examples.build_positive, subject=("account", examples.LEAPER))

    @classmethod
    def negative_example(cls) -> Example:
        return Example(build=examples.build_negative, subject=("account", examples.STEADY))
