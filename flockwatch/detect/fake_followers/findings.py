"""Audits and pools as findings: one plain sentence with the numbers, evidence rows, details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flockwatch.detect.base import Finding
from flockwatch.detect.fake_followers.audits import Audit
from flockwatch.detect.fake_followers.pools import Pool

__all__ = [
    "LABEL_AUDITED",
    "LABEL_BOUGHT",
    "LABEL_CO_FOLLOWING",
    "LABEL_POOL",
    "audit_finding",
    "bursts_text",
    "pool_finding",
]

LABEL_BOUGHT = "bought_followers"
LABEL_AUDITED = "audited"
LABEL_POOL = "seller_pool"
LABEL_CO_FOLLOWING = "co_following"
#: Members cited as evidence (and listed in details) per pool; ``details.size`` has them all.
MAX_POOL_MEMBERS = 5000


def _day(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d")


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")


def _pct(x: float) -> str:
    return f"{_num(100 * x)}%"


def _num(v: float) -> str:
    """A percentage figure: whole above 10 or when whole, else one decimal (0.4, 2.5)."""
    return f"{v:.1f}" if v < 10 and round(v, 1) != round(v) else f"{v:.0f}"


def _rate(x: float) -> str:
    """An engagement rate as a percentage with two significant digits (0.02%, 1.1%)."""
    v = 100 * x
    if v == 0:
        return "0%"
    return f"{v:.2g}%" if v < 10 else f"{v:.0f}%"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``23rd``..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def bursts_text(audit: Audit) -> str:
    """Steps and arrival bursts in a few words each, ``; ``-joined (the export's ``bursts``)."""
    parts = []
    for s in audit.steps:
        if s.end - s.start <= 1.5 * 86400:
            parts.append(f"+{s.after - s.before:,} followers on {_day(s.end)} (one step)")
        else:
            parts.append(f"+{s.after - s.before:,} followers {_day(s.start)}..{_day(s.end)}")
    for b, _, _ in audit.bursts:
        hours = max((b.end - b.start) / 3600, 0.0)
        parts.append(f"{b.follows:,} follows within {hours:.0f} h from {_when(b.start)}")
    return "; ".join(parts)


def _steps_sentence(audit: Audit) -> str:
    if not audit.steps:
        return ""
    pieces = []
    for s in audit.steps:
        added = s.after - s.before
        if s.end - s.start <= 1.5 * 86400:
            pieces.append(f"+{added:,} on {_day(s.end)}")
        else:
            pieces.append(f"+{added:,} between {_day(s.start)} and {_day(s.end)}")
    one = "in one step" if len(pieces) == 1 else "in steps"
    base = audit.baseline_per_day
    baseline = f" (baseline {base:+,.0f}/day)" if base is not None else ""
    return f"followers {' and '.join(pieces)} {one}{baseline}"


def _bursts_sentence(audit: Audit) -> str:
    if not audit.bursts:
        return ""
    b, scored, fake = max(audit.bursts, key=lambda x: x[0].follows)
    hours = max((b.end - b.start) / 3600, 1.0)
    text = f"{b.follows:,} follows arrived within {hours:.0f} h on {_day(b.start)}"
    if scored:
        text += f" ({_pct(fake / scored)} of the {scored:,} scored look fake)"
    more = len(audit.bursts) - 1
    if more:
        text += f", and {more} more burst{'s' if more > 1 else ''}"
    return text


def _engagement_sentence(audit: Audit) -> str:
    e = audit.engagement
    if e is None:
        return ""
    if e.percentile is None or e.peer_median is None:
        return f"engagement {_rate(e.rate)} per follower per post (too few peers to compare)"
    pct = max(1, round(100 * e.percentile))
    return (
        f"engagement {_rate(e.rate)} vs {_rate(e.peer_median)} median for {e.peers:,} peers "
        f"of similar size ({ordinal(pct)} percentile)"
    )


def audit_explanation(audit: Audit) -> str:
    """One sentence, e.g. "~62% of 2,140 followers look fake (95% CI 58–66%, 1,000 sampled);
    followers +3,000 on 2026-03-09 in one step; engagement 0.02% vs 1.1% median for peers"."""
    if audit.fake_share is None:
        head = (
            f"None of its {audit.followers_seen:,} known followers has a profile in the store, "
            "so none could be scored"
        )
    else:
        if audit.sampled < audit.followers_scorable:
            how = f"{audit.sampled:,} sampled"
        elif audit.followers_scorable < audit.followers_seen:
            how = f"{audit.sampled:,} with a profile scored"
        else:
            how = "all scored"
        head = (
            f"~{_pct(audit.fake_share)} of {audit.followers_seen:,} known followers look fake "
            f"(95% CI {_num(100 * audit.ci_low)}–{_num(100 * audit.ci_high)}%, {how})"
        )
    parts = [head, _steps_sentence(audit), _bursts_sentence(audit), _engagement_sentence(audit)]
    if audit.pool_ids:
        parts.append(
            f"followed by seller pool{'s' if len(audit.pool_ids) > 1 else ''} "
            f"{', '.join(audit.pool_ids)}"
        )
    if audit.engaged_share:
        parts.append(
            f"but {_pct(audit.engaged_share)} of the fake-looking followers reposted, quoted or "
            "replied to it: amplifiers, not bought followers"
        )
    return "; ".join(p for p in parts if p) + "."


def audit_finding(audit: Audit, flag_score: float) -> Finding:
    """The finding of one audit (subject ``audit``, id = the audited account)."""
    evidence: dict[str, list[Any]] = {"accounts": [audit.account_id]}
    if audit.evidence_followers:
        evidence["follows"] = [[f, audit.account_id] for f in audit.evidence_followers]
    if audit.step_snapshots:
        evidence["account_snapshots"] = [list(s) for s in dict.fromkeys(audit.step_snapshots)]
    e = audit.engagement
    details = {
        "followers_seen": audit.followers_seen,
        "followers_scorable": audit.followers_scorable,
        "sampled": audit.sampled,
        "fake": audit.fake,
        "fake_share": None if audit.fake_share is None else round(audit.fake_share, 4),
        "ci_low": None if audit.ci_low is None else round(audit.ci_low, 4),
        "ci_high": None if audit.ci_high is None else round(audit.ci_high, 4),
        "score_sources": audit.sources,
        "followers_now": audit.followers_now,
        "baseline_per_day": audit.baseline_per_day,
        "steps": [
            {
                "start": _when(s.start),
                "end": _when(s.end),
                "before": s.before,
                "after": s.after,
                "excess": round(s.excess, 1),
            }
            for s in audit.steps
        ],
        "arrival_bursts": [
            {
                "start": _when(b.start),
                "end": _when(b.end),
                "follows": b.follows,
                "expected": round(b.expected, 2),
                "scored": scored,
                "fake": fake,
            }
            for b, scored, fake in audit.bursts
        ],
        "bursts": bursts_text(audit),
        "engagement": None
        if e is None
        else {
            "rate": e.rate,
            "posts": e.posts,
            "followers": e.followers,
            "percentile": e.percentile,
            "peer_median": e.peer_median,
            "peers": e.peers,
        },
        "engaged_share": audit.engaged_share,
        "pool_ids": audit.pool_ids,
        "components": audit.components,
    }
    return Finding(
        subject_kind="audit",
        subject_id=audit.account_id,
        platform=audit.platform,
        score=audit.score,
        label=LABEL_BOUGHT if audit.score >= flag_score else LABEL_AUDITED,
        explanation=audit_explanation(audit),
        evidence=evidence,
        details=details,
    )


def pool_explanation(pool: Pool) -> str:
    """e.g. "148 accounts follow the same 20 accounts (12 each on average): 96% look fake, ..."."""
    ev = pool.evidence
    n, k = len(pool.members), len(pool.customers)
    head = (
        f"{n:,} accounts follow the same {k:,} accounts "
        f"({pool.mean_customers_followed:.0f} each on average)"
    )
    looks = []
    if ev.get("fake") is not None:
        looks.append(f"{_pct(ev['fake'])} look fake")
    if ev.get("created_together") is not None:
        days = pool.burst_days
        if days:
            s = "s" if len(days) != 1 else ""
            most = "most on " if len(days) > 3 else ""
            shown = ", ".join(days[:3]) + (", …" if len(days) > 3 else "")
            looks.append(
                f"{_pct(ev['created_together'])} were created on {len(days)} day{s} ({most}{shown})"
            )
        else:
            looks.append("none was created in a burst")
    if ev.get("no_bio") is not None:
        looks.append(f"{_pct(ev['no_bio'])} have no bio")
    if ev.get("digit_handles") is not None:
        looks.append(f"{_pct(ev['digit_handles'])} have digit-run handles")
    if ev.get("delivered_in_bursts") is not None:
        looks.append(
            f"{_pct(ev['delivered_in_bursts'])} of their follows arrived in delivery bursts"
        )
    text = head + (": " + ", ".join(looks) if looks else "")
    if pool.engaged_share:
        text += (
            f"; but {_pct(pool.engaged_share)} of them reposted, quoted or replied to those "
            "accounts: followers who engage, unlike a seller's stock"
        )
    else:
        text += "; none engaged with those accounts' posts"
    return text + "."


def pool_finding(pool: Pool, flag_score: float) -> Finding:
    """The finding of one pool (subject ``pool``, id ``pool-<n>``)."""
    members = pool.members[:MAX_POOL_MEMBERS]
    return Finding(
        subject_kind="pool",
        subject_id=pool.pool_id,
        platform=pool.platform,
        score=pool.score,
        label=LABEL_POOL if pool.score >= flag_score else LABEL_CO_FOLLOWING,
        explanation=pool_explanation(pool),
        evidence={"accounts": members, "follows": pool.follows},
        details={
            "size": len(pool.members),
            "n_customers": len(pool.customers),
            "customers": [
                {"account_id": c, "members_following": pool.follows_per_customer[c]}
                for c in pool.customers
            ],
            "members": members,
            "sample_members": pool.sample_members,
            "evidence_shares": {
                k: None if v is None else round(v, 4) for k, v in pool.evidence.items()
            },
            "engaged_share": round(pool.engaged_share, 4),
            "burst_days": pool.burst_days,
            "mean_customers_followed": round(pool.mean_customers_followed, 2),
        },
    )
