"""Fake followers: follower audits (share that look fake, with its 95% interval) and seller pools."""

from __future__ import annotations

from typing import Any

from flockwatch.report.data import ReportData, as_list
from flockwatch.report.figures import COLORS
from flockwatch.report.markup import esc, num, score_cell, shorten, table
from flockwatch.report.sections.base import Section

#: Audits and pools listed (strongest first); the exports have them all.
MAX_AUDITS = 300
MAX_POOLS = 50
#: Customers named per pool row.
MAX_CUSTOMERS = 8
#: Size of the interval bar.
BAR_W, BAR_H = 120, 12


def ci_bar(share: Any, low: Any, high: Any) -> str:
    """An inline SVG: the 95% interval as a band, the estimate as a tick, on a 0-100% track."""
    try:
        s, lo, hi = (min(max(float(v), 0.0), 1.0) for v in (share, low, high))
    except (TypeError, ValueError):
        return ""
    x = lambda v: 1 + v * (BAR_W - 2)  # noqa: E731
    title = f"{s:.0%} look fake (95% CI {lo:.0%}–{hi:.0%})"
    return (
        f'<svg class="ci" width="{BAR_W}" height="{BAR_H}" viewBox="0 0 {BAR_W} {BAR_H}" '
        f'role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>'
        f'<rect x="1" y="4" width="{BAR_W - 2}" height="4" fill="#e5e8e8"/>'
        f'<rect x="{x(lo):.1f}" y="2" width="{max(x(hi) - x(lo), 1.5):.1f}" height="8" '
        f'fill="{COLORS["burst"]}"/>'
        f'<rect x="{x(s) - 1:.1f}" y="0" width="2" height="{BAR_H}" fill="{COLORS["flagged"]}"/>'
        "</svg>"
    )


class FakeFollowersSection(Section):
    id = "fake_followers"
    title = "Fake followers: audits and seller pools"
    detector = "fake_followers"

    def render(self, data: ReportData) -> str:
        audits = data.of(self.detector, "audit").sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        pools = data.of(self.detector, "pool").sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        flag = data.flag_score(self.detector)
        bought = int((audits["score"] >= flag).sum())
        sellers = int((pools["score"] >= flag).sum())
        parts = [
            f"<p>{num(len(audits))} accounts with enough known followers were audited: a "
            "random sample of their followers was scored by the bot or fake-profile model, "
            "and the share that look fake is shown with its 95% interval (red tick: estimate; "
            f"band: interval). {num(bought)} show signs of bought followers (score at least "
            f"{flag:.2f}: many fake-looking followers <em>and</em> a step in the follower count, "
            "a delivery burst, a seller pool or low engagement). "
            f"{num(len(pools))} group{'s' if len(pools) != 1 else ''} of accounts follow the "
            f"same accounts; {num(sellers)} look{'s' if sellers == 1 else ''} like a seller's "
            "stock.</p>"
        ]
        if len(pools):
            parts.append(
                "<h3>Accounts following the same accounts (seller pools first)</h3>"
                + _pools_table(data, pools)
            )
        if len(audits):
            cut = (
                f" The {num(MAX_AUDITS)} strongest are listed; "
                "<code>flockwatch export audits</code> has all."
                if len(audits) > MAX_AUDITS
                else ""
            )
            parts.append(
                f"<h3>Follower audits</h3><p class=small>{cut}</p>"
                if cut
                else "<h3>Follower audits</h3>"
            )
            parts.append(_audits_table(data, audits.head(MAX_AUDITS)))
        return "".join(parts)


def _audits_table(data: ReportData, audits) -> str:
    rows = []
    for f in audits.itertuples(index=False):
        d = f.details
        share = d.get("fake_share")
        known = d.get("followers_seen")
        rows.append(
            [
                f"<td>{data.account_link(f.platform, f.subject_id, data.name_of(f.platform, f.subject_id))}</td>",
                f"<td class=num>{num(known)}</td>",
                f'<td class=num style="white-space:nowrap" '
                f'data-sort="{-1 if share is None else float(share):.4f}">'
                f"{'' if share is None else f'{float(share):.0%}'} "
                f"{ci_bar(share, d.get('ci_low'), d.get('ci_high'))}</td>",
                f'<td class="expl">{esc(shorten(d.get("bursts") or "", 160))}</td>',
                ", ".join(as_list(d.get("pool_ids"))),
                score_cell(f.score),
                f'<td class="expl">{esc(shorten(f.explanation, 360))}</td>',
            ]
        )
    return table(
        [
            "account",
            "known followers",
            "look fake (95% CI)",
            "steps and bursts",
            "pools",
            "score",
            "explanation",
        ],
        rows,
        sortable=True,
        table_id="audits-table",
        numeric=["known followers", "look fake (95% CI)", "score"],
    )


def _pools_table(data: ReportData, pools) -> str:
    rows = []
    for f in pools.head(MAX_POOLS).itertuples(index=False):
        d = f.details
        customers = [
            c.get("account_id") for c in as_list(d.get("customers")) if isinstance(c, dict)
        ]
        named = ", ".join(
            data.account_link(f.platform, str(c), data.name_of(f.platform, str(c)))
            for c in customers[:MAX_CUSTOMERS]
        )
        more = len(customers) - MAX_CUSTOMERS
        if more > 0:
            named += f" and {num(more)} more"
        sample = ", ".join(
            esc(data.name_of(f.platform, str(m))) for m in as_list(d.get("sample_members"))[:5]
        )
        rows.append(
            [
                f.subject_id,
                score_cell(f.score),
                f"<td class=num>{num(d.get('size'))}</td>",
                f"<td>{named}</td>",
                f"<td>{sample}</td>",
                f'<td class="expl">{esc(shorten(f.explanation, 400))}</td>',
            ]
        )
    return table(
        ["pool", "score", "members", "customers", "sample members", "explanation"],
        rows,
        sortable=True,
        table_id="pools-table",
        numeric=["score", "members"],
    )
