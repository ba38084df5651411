"""Follower audits: the share of fake followers with its interval, and the evidence of a purchase.

:func:`run_audits` gathers, for every audited account, the scored follower sample
(:mod:`.followers`, :mod:`.scoring`), follower-arrival bursts (:mod:`.arrivals`), steps in the
follower count (:mod:`.steps`), engagement against peers (:mod:`.engagement`) and the seller
pools it buys from (:mod:`.pools`), and :func:`audit_score` combines them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from flockwatch.detect.fake_followers.arrivals import Burst, arrival_bursts
from flockwatch.detect.fake_followers.engagement import Engagement, engagement
from flockwatch.detect.fake_followers.followers import follow_times, follower_sample, targets
from flockwatch.detect.fake_followers.intervals import wilson_interval
from flockwatch.detect.fake_followers.pools import Pool, find_pools
from flockwatch.detect.fake_followers.scoring import SOURCES, FollowerScorer
from flockwatch.detect.fake_followers.steps import Step, follower_steps
from flockwatch.store.db import Store

__all__ = [
    "BASE_WEIGHT",
    "FAKE_FLOOR",
    "FAKE_FULL",
    "Audit",
    "AuditParams",
    "audit_score",
    "run_audits",
]

#: A lower confidence bound of the fake share under this is no evidence: audits of ordinary
#: accounts find some fake or abandoned followers on most of them.
FAKE_FLOOR = 0.10
#: A lower bound at or above this is full evidence of fake followers.
FAKE_FULL = 0.50
#: Part of the score that fake followers alone give; the rest needs a sign of a purchase
#: (a step, a delivery burst, a seller pool or low engagement). Famous accounts collect fake
#: followers nobody bought: fake followers alone never reach the flag score.
BASE_WEIGHT = 0.4
#: Followers explained by steps (or fake follows delivered in bursts) at this share of all
#: followers are full evidence of a purchase.
STEPPED_FULL = 0.3
#: Engagement percentiles among peers at or below ``LOW_FULL`` are full evidence, above
#: ``LOW_NONE`` none.
LOW_FULL, LOW_NONE = 0.05, 0.25
#: Pools at or above this score count as seller pools for their customers' audits (the
#: audits name only those).
POOL_FLAG = 0.5
#: Follow pairs and snapshots cited as evidence per audit.
MAX_EVIDENCE_FOLLOWS = 20
MAX_EVIDENCE_STEPS = 3


@dataclass(frozen=True)
class AuditParams:
    """The detector's parameters, as the audit code needs them."""

    min_followers_seen: int = 20
    sample_size: int = 1000
    fake_threshold: float = 0.5
    burst_hours: float = 6.0
    min_burst_follows: int = 20
    min_step: int = 100
    min_pool_size: int = 10
    seed: int = 0


@dataclass
class Audit:
    """Everything one audit found about one account."""

    platform: str
    account_id: str
    followers_seen: int
    followers_scorable: int = 0
    sampled: int = 0
    fake: int = 0
    fake_share: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    sources: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    step_snapshots: list[tuple[str, str]] = field(default_factory=list)
    followers_now: int | None = None
    baseline_per_day: float | None = None
    bursts: list[tuple[Burst, int, int]] = field(default_factory=list)  # burst, scored, fake
    engagement: Engagement | None = None
    engaged_share: float | None = None
    pool_ids: list[str] = field(default_factory=list)
    pool_score: float = 0.0
    evidence_followers: list[str] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.account_id)


def _clip(x: float) -> float:
    return float(min(max(x, 0.0), 1.0))


def audit_score(audit: Audit) -> tuple[float, dict[str, float]]:
    """The evidence that ``audit``'s account bought followers, in [0, 1], and its parts.

    ``fake × (BASE_WEIGHT + (1 - BASE_WEIGHT) × purchase) × (1 - engaged)`` where

    * ``fake`` = ``(ci_low - FAKE_FLOOR) / (FAKE_FULL - FAKE_FLOOR)`` clipped to [0, 1]: the
      lower 95% bound of the fake share, so a small sample cannot score high by luck;
    * ``purchase`` = the strongest sign of a purchase: ``steps`` (followers added in steps over
      current followers, full at :data:`STEPPED_FULL`), ``arrivals`` (fake-looking follows
      delivered in bursts over known followers, full at :data:`STEPPED_FULL`), ``pool`` (the
      score of a seller pool it is a customer of) or ``low_engagement`` (percentile among peers,
      full at :data:`LOW_FULL`, none above :data:`LOW_NONE`);
    * ``engaged`` = the share of its fake-looking followers that reposted, quoted or replied to
      it: followers that engage are an amplification network, not bought followers.
    """
    fake = (
        0.0
        if audit.ci_low is None
        else _clip((audit.ci_low - FAKE_FLOOR) / (FAKE_FULL - FAKE_FLOOR))
    )
    excess = sum(s.excess for s in audit.steps)
    steps = _clip(excess / audit.followers_now / STEPPED_FULL) if audit.followers_now else 0.0
    delivered = 0.0
    for burst, scored, fake_n in audit.bursts:
        share = fake_n / scored if scored else (audit.fake_share or 0.0)
        delivered += burst.follows * share
    arrivals = (
        _clip(delivered / audit.followers_seen / STEPPED_FULL) if audit.followers_seen else 0.0
    )
    low = 0.0
    if audit.engagement is not None and audit.engagement.percentile is not None:
        low = _clip((LOW_NONE - audit.engagement.percentile) / (LOW_NONE - LOW_FULL))
    parts = {
        "fake": fake,
        "steps": steps,
        "arrivals": arrivals,
        "pool": audit.pool_score,
        "low_engagement": low,
        "engaged": audit.engaged_share or 0.0,
    }
    purchase = max(steps, arrivals, audit.pool_score, low)
    score = fake * (BASE_WEIGHT + (1.0 - BASE_WEIGHT) * purchase) * (1.0 - parts["engaged"])
    return _clip(score), {k: round(v, 4) for k, v in parts.items()}


def _sample_frame(sample: pa.Table, scored: pa.Table, threshold: float) -> pd.DataFrame:
    s = sample.to_pandas()
    sc = scored.to_pandas().rename(columns={"account_id": "follower_id"})
    s = s.merge(sc, on=["platform", "follower_id"], how="left")
    s["is_fake"] = s["score"] >= threshold
    s["t"] = s["t"].astype(float)
    return s


def _snapshots(cur) -> pd.DataFrame:
    return cur.sql(
        """
        SELECT s.platform, s.account_id, epoch(s.observed_at) AS t,
               CAST(s.observed_at AS VARCHAR) AS observed_at, s.followers_count,
               epoch(a.created_at) AS created
        FROM account_snapshots s
        JOIN _fw_targets t ON s.platform = t.platform AND s.account_id = t.account_id
        LEFT JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id
        WHERE s.followers_count IS NOT NULL
        ORDER BY 1, 2, 3
        """
    ).df()


def _steps(audit: Audit, snaps: pd.DataFrame, min_step: int) -> None:
    if snaps.empty:
        return
    snaps = snaps.drop_duplicates("t", keep="last")
    created = snaps["created"].iloc[0]
    steps, base = follower_steps(
        snaps["t"].to_numpy(float),
        snaps["followers_count"].to_numpy(float),
        min_step,
        None if pd.isna(created) else float(created),
    )
    audit.steps, audit.baseline_per_day = steps, base
    audit.followers_now = int(snaps["followers_count"].iloc[-1])
    by_time = dict(zip(snaps["t"].to_numpy(float), snaps["observed_at"], strict=True))
    cited = sorted(steps, key=lambda s: -s.excess)[:MAX_EVIDENCE_STEPS]
    audit.step_snapshots = [(audit.account_id, by_time[x]) for s in cited for x in (s.start, s.end)]


def run_audits(
    store: Store,
    params: AuditParams,
    only: list[tuple[str, str]] | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list[Audit], list[Pool]]:
    """Audit every account with ``min_followers_seen`` known followers (or the ``only`` ones),
    and find the seller pools among their followers (not for ``only``: a pool needs customers).
    ``timings``, when given, receives the seconds each stage took.

    Returns
    -------
    audits : list of Audit
        Ordered by platform and account id.
    pools : list of Pool
    """
    started = [time.perf_counter()]

    def clock(stage: str) -> None:
        now = time.perf_counter()
        if timings is not None:
            timings[stage] = round(now - started[0], 3)
        started[0] = now

    cur = store.con.cursor()
    try:
        tg = targets(cur, params.min_followers_seen, only)
        if tg.num_rows == 0:
            return [], []
        cur.register("_fw_targets", tg)
        scorer = FollowerScorer(cur)
        sample = follower_sample(cur, params.sample_size, params.seed)
        keys = sample.select(["platform", "follower_id"]).rename_columns(["platform", "account_id"])
        scored = scorer.score(keys) if sample.num_rows else None
        s = _sample_frame(sample, scored, params.fake_threshold) if scored is not None else None

        clock("sample and scores")
        times, ends = follow_times(cur, tg.num_rows)
        wanted = list(
            zip(tg.column("platform").to_pylist(), tg.column("account_id").to_pylist(), strict=True)
        )
        window = float(params.burst_hours) * 3600.0
        bursts: dict[tuple[str, str], list[Burst]] = {}
        first_seen: dict[tuple[str, str], float] = {}
        for k, key in enumerate(wanted):
            t = np.sort(times[(ends[k - 1] if k else 0) : ends[k]])
            if len(t):
                bursts[key] = arrival_bursts(t, window, params.min_burst_follows)
                first_seen[key] = float(t[0])
        del times
        clock("arrival bursts")
        snaps = _snapshots(cur)
        snap_groups = {k: g for k, g in snaps.groupby(["platform", "account_id"], sort=False)}
        eng = engagement(cur, wanted)
        clock("steps and engagement")
        pools = (
            []
            if only is not None
            else find_pools(
                cur,
                scorer=scorer,
                fake_threshold=params.fake_threshold,
                min_pool_size=params.min_pool_size,
                seed=params.seed,
                first_seen=first_seen,
                bursts=bursts,
            )
        )
        clock("pools")
    finally:
        cur.close()

    customer_pools: dict[tuple[str, str], list[Pool]] = {}
    for pool in pools:
        for c in pool.customers:
            customer_pools.setdefault((pool.platform, c), []).append(pool)
    samples = dict(iter(s.groupby(["platform", "account_id"], sort=False))) if s is not None else {}
    audits = []
    for (platform, account_id), seen in zip(
        wanted, tg.column("followers_seen").to_pylist(), strict=True
    ):
        key = (platform, account_id)
        audit = Audit(platform, account_id, int(seen))
        part = samples.get(key)
        if part is not None and len(part):
            scored_part = part[part["score"].notna()]
            audit.followers_scorable = int(part["followers_scorable"].iloc[0])
            audit.sampled = len(scored_part)
            audit.fake = int(scored_part["is_fake"].sum())
            if audit.sampled:
                low, high = wilson_interval(audit.fake, audit.sampled)
                audit.fake_share = audit.fake / audit.sampled
                audit.ci_low, audit.ci_high = float(low), float(high)
            counts = scored_part["source"].value_counts()
            audit.sources = {src: int(counts[src]) for src in SOURCES if src in counts}
            fakes = scored_part[scored_part["is_fake"]]
            if len(fakes):
                audit.engaged_share = float(fakes["interacted"].mean())
            for burst in bursts.get(key, []):
                inside = scored_part[
                    (scored_part["t"] >= burst.start) & (scored_part["t"] <= burst.end)
                ]
                audit.bursts.append((burst, len(inside), int(inside["is_fake"].sum())))
            in_burst = np.zeros(len(fakes), dtype=bool)
            for burst, _, _ in audit.bursts:
                in_burst |= ((fakes["t"] >= burst.start) & (fakes["t"] <= burst.end)).to_numpy()
            order = np.lexsort((fakes["follower_id"].to_numpy(), ~in_burst))
            audit.evidence_followers = (
                fakes["follower_id"].to_numpy()[order][:MAX_EVIDENCE_FOLLOWS].tolist()
            )
        if key in snap_groups:
            _steps(audit, snap_groups[key], params.min_step)
        audit.engagement = eng.get(key)
        sellers = [p for p in customer_pools.get(key, []) if p.score >= POOL_FLAG]
        audit.pool_ids = [p.pool_id for p in sellers]
        audit.pool_score = max((p.score for p in sellers), default=0.0)
        audit.score, audit.components = audit_score(audit)
        audits.append(audit)
    clock("audits")
    return audits, pools
