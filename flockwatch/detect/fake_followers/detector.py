"""The ``fake_followers`` detector: follower audits and the seller pools behind them."""

from __future__ import annotations

from flockwatch.detect.base import Detector, DetectorOutput, Example
from flockwatch.detect.fake_followers import examples
from flockwatch.detect.fake_followers.audits import AuditParams, run_audits
from flockwatch.detect.fake_followers.findings import audit_finding, pool_finding
from flockwatch.store.db import Store

__all__ = ["FakeFollowersDetector"]


class FakeFollowersDetector(Detector):
    """Audits of followers (the share that look fake, with a 95% interval, and signs that they
    were bought) and the seller pools that deliver them.

    **Audits** (subject ``audit``, id = the audited account): every account with at least
    ``min_followers_seen`` known followers (rows of ``follows``). Up to ``sample_size`` of its
    followers that have a profile in the store are drawn at random (seeded), as public audit
    tools do, and scored: by the ``bot_score`` detector's latest finding where there is one,
    else by the bot profile model on Twitter/X and by the fake-profile model trained on
    Instagram profiles elsewhere (``docs/models/fake_profile.md``). A follower scoring at least
    ``fake_threshold`` counts as fake; the share gets a Wilson 95% interval. Signs of a
    purchase: *steps* in the follower count (``account_snapshots``: at least ``min_step``
    followers beyond the baseline in one interval), *arrival bursts* (``follows.observed_at``:
    at least ``min_burst_follows`` follows within ``burst_hours``, far above the account's
    rate; the follows of the first observation are the existing backlog and do not count),
    *low engagement* (likes, reposts, replies and quotes per post per follower, as a
    percentile among accounts of similar follower count) and being a customer of a *seller
    pool*. Score = ``fake × (0.4 + 0.6 × purchase) × (1 - engaged)`` (see
    :func:`~flockwatch.detect.fake_followers.audits.audit_score`): fake followers alone never
    reach the flag score; fake followers that repost or reply to the account are amplifiers,
    not bought followers.

    **Seller pools** (subject ``pool``, id ``pool-<n>`` by size): accounts whose followers
    overlap far beyond chance are grouped (Leiden on the cosine of their follower sets); the
    followers that follow a good part of a group are a pool, its customers the group's
    accounts they follow. Score: how alike the members look (scored fake, created on the same
    few days, no bio, digit-run handles, following in delivery bursts), times the share of
    members that never engaged with the customers' posts. Pools smaller than
    ``min_pool_size`` are dropped.

    Parameters
    ----------
    min_followers_seen : int, default 20
        Fewest known followers for an audit (and for an account to count as a customer).
    sample_size : int, default 1000
        Followers scored per account; more are sampled. 1,000 give a 95% interval of at most
        ±3.1 points.
    fake_threshold : float, default 0.5
        Follower score at or above which a follower counts as fake.
    burst_hours : float, default 6.0
        Window of an arrival burst, in hours (sellers deliver over hours).
    min_burst_follows : int, default 20
        Fewest follows in an arrival burst.
    min_step : int, default 100
        Fewest followers a step in the follower count adds beyond the baseline.
    min_pool_size : int, default 10
        Fewest accounts in a seller pool.
    seed : int, default 0
        Seed of the follower sample and of the pools' Leiden clustering.

    Notes
    -----
    What an audit does **not** show:

    * **Fake is a model's guess.** Followers are judged from their profiles only; quiet real
      people (lurkers, new or private accounts, people who never like anything) look fake to
      both models, and modern fakes with photos and bios do not (see the model cards). The
      interval covers the sampling, not the classifier's error: a share of 30% can be 30% of
      lurkers.
    * **Who bought them.** Anyone can buy followers for anyone, e.g. to discredit a rival;
      famous accounts collect fake followers nobody bought (sellers make their stock follow
      celebrities as camouflage), which is why fake followers alone stay below the flag.
    * **Known followers are a part.** ``follows`` holds what was crawled; if the crawl is not
      a random part of the followers (e.g. only the newest), the share is of that part.
    * **Steps have innocent causes**: a viral post, a TV appearance, a mention by a celebrity,
      a platform's recommendation. They corroborate fake followers; they are not proof.
    * **Engagement** depends on the topic, the language and what the platform counts; peers
      are all accounts of the platform with a rate, not a matched set.
    * A seller selling likes and reposts together with followers makes its pool look like it
      engages, and lowers the pool's score; the coordination detector is the one to find it.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> FakeFollowersDetector.positive_example().build(store)
    >>> out = FakeFollowersDetector().run(store)
    >>> audit = {f.subject_id: f for f in out.findings if f.subject_kind == "audit"}["2000000001"]
    >>> print(audit.explanation)  # doctest: +NORMALIZE_WHITESPACE
    ~67% of 90 known followers look fake (95% CI 56–76%, all scored); followers +997 on
    2026-03-05 in one step (baseline +1/day); 60 follows arrived within 3 h on 2026-03-05
    (100% of the 60 scored look fake); followed by seller pool pool-1.
    >>> [(f.subject_id, f.label) for f in out.findings if f.subject_kind == "pool"]
    [('pool-1', 'seller_pool')]
    """

    name = "fake_followers"
    version = "1"
    summary = (
        "Follower audits (share of fake followers with a 95% CI, steps, bursts) and seller pools"
    )
    subject_kinds = ("audit", "pool")

    def __init__(
        self,
        *,
        min_followers_seen: int = 20,
        sample_size: int = 1000,
        fake_threshold: float = 0.5,
        burst_hours: float = 6.0,
        min_burst_follows: int = 20,
        min_step: int = 100,
        min_pool_size: int = 10,
        seed: int = 0,
    ) -> None:
        self.min_followers_seen = min_followers_seen
        self.sample_size = sample_size
        self.fake_threshold = fake_threshold
        self.burst_hours = burst_hours
        self.min_burst_follows = min_burst_follows
        self.min_step = min_step
        self.min_pool_size = min_pool_size
        self.seed = seed

    def _check(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def is_num(v: object) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool)

        for name in ("min_followers_seen", "sample_size", "min_burst_follows", "min_step"):
            value = getattr(self, name)
            self.check_param(name, is_int(value) and value >= 1, "an int >= 1")
        self.check_param(
            "min_pool_size", is_int(self.min_pool_size) and self.min_pool_size >= 2, "an int >= 2"
        )
        self.check_param(
            "fake_threshold",
            is_num(self.fake_threshold) and 0 < self.fake_threshold < 1,
            "a number between 0 and 1",
        )
        self.check_param(
            "burst_hours",
            is_num(self.burst_hours) and 0 < self.burst_hours <= 24 * 7,
            "a number of hours in (0, 168]",
        )
        self.check_param("seed", is_int(self.seed), "an int")

    def params(self) -> AuditParams:
        """The parameters as the audit code takes them (checked)."""
        self._check()
        return AuditParams(
            min_followers_seen=self.min_followers_seen,
            sample_size=self.sample_size,
            fake_threshold=float(self.fake_threshold),
            burst_hours=float(self.burst_hours),
            min_burst_follows=self.min_burst_follows,
            min_step=self.min_step,
            min_pool_size=self.min_pool_size,
            seed=self.seed,
        )

    def run(self, store: Store) -> DetectorOutput:
        seconds: dict[str, float] = {}
        audits, pools = run_audits(store, self.params(), timings=seconds)
        findings = [pool_finding(p, self.flag_score) for p in pools]
        findings += [audit_finding(a, self.flag_score) for a in audits]
        flagged = sum(a.score >= self.flag_score for a in audits)
        summary = {
            "audits": len(audits),
            "flagged_audits": flagged,
            "pools": len(pools),
            "seller_pools": sum(p.score >= self.flag_score for p in pools),
            "seconds": seconds,
        }
        return DetectorOutput(findings, summary=summary)

    @classmethod
    def positive_example(cls) -> Example:
        return Example(build=examples.build_positive, subject=("audit", examples.CUSTOMER))

    @classmethod
    def negative_example(cls) -> Example:
        return Example(build=examples.build_negative, subject=("audit", examples.GENUINE))
