"""``flockwatch audit``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from flockwatch.cli import DB_HELP, app, console

#: Width of the fake-share bar, in characters.
BAR = 40


@app.command()
def audit(
    account: str = typer.Argument(..., help="Account id, or @screen_name"),
    platform: str | None = typer.Option(None, "--platform", help="Platform of the account"),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Audit one account's followers: share that look fake (95% CI), steps, bursts, pools."""
    from flockwatch.detect.fake_followers.single import audit_account, find_account
    from flockwatch.store.db import Store, memory_limit, resolve_db_path

    with Store(resolve_db_path(db), read_only=True, memory_limit=memory_limit()) as store:
        pl, account_id = find_account(store, account, platform)
        with console.status(f"Auditing {account}..."):
            result = audit_account(store, pl, account_id)
    who = f"@{result.screen_name} " if result and result.screen_name else ""
    if result is None:
        console.print(
            f"{who}({pl} {account_id}) has no known followers in the store: nothing to audit."
        )
        return
    console.print(f"[bold]Follower audit of {who}({pl} {account_id})[/]")
    if result.run_id:
        console.print(
            f"Stored finding of run {result.run_id} ({result.created_at:%Y-%m-%d %H:%M} UTC)."
        )
    else:
        console.print(
            "Computed now (no stored audit; `flockwatch detect fake_followers` records audits "
            "and the seller pools, which this one does not look for)."
        )
    console.print(result.explanation, highlight=False)
    console.print(_figures(result.details, result.score, result.label))


def _bar(share: float | None, low: float | None, high: float | None) -> str:
    if share is None or low is None or high is None:
        return ""
    cells = []
    for i in range(BAR):
        x = (i + 0.5) / BAR
        cells.append("█" if x <= share else "▒" if low <= x <= high else "░")
    return "".join(cells)


def _figures(d: dict[str, Any], score: float, label: str) -> Table:
    from flockwatch.detect.fake_followers.findings import ordinal

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    seen, scorable, sampled = d.get("followers_seen"), d.get("followers_scorable"), d.get("sampled")
    table.add_row("known followers", f"{seen:,} ({scorable:,} with a profile, {sampled:,} scored)")
    share, low, high = d.get("fake_share"), d.get("ci_low"), d.get("ci_high")
    if share is not None:
        table.add_row(
            "look fake",
            f"{share:.0%} (95% CI {low:.0%}–{high:.0%})  {_bar(share, low, high)}",
        )
    sources = d.get("score_sources") or {}
    if sources:
        table.add_row("scored by", ", ".join(f"{k} {v:,}" for k, v in sources.items()))
    for s in d.get("steps") or []:
        table.add_row(
            "step",
            f"{s['before']:,} → {s['after']:,} followers between {s['start']} and {s['end']}",
        )
    for b in d.get("arrival_bursts") or []:
        fake = f", {b['fake']} of {b['scored']} scored look fake" if b.get("scored") else ""
        table.add_row(
            "arrival burst",
            f"{b['follows']:,} follows {b['start']} to {b['end']} "
            f"(expected {b['expected']:.1f}{fake})",
        )
    e = d.get("engagement")
    if e:
        peers = (
            f", {ordinal(max(1, round(100 * e['percentile'])))} percentile among "
            f"{e['peers']:,} peers (median {100 * e['peer_median']:.2g}%)"
            if e.get("percentile") is not None
            else ", too few peers"
        )
        table.add_row("engagement", f"{100 * e['rate']:.2g}% per follower per post{peers}")
    if d.get("pool_ids"):
        table.add_row("seller pools", ", ".join(d["pool_ids"]))
    table.add_row("score", f"{score:.2f} ({label})")
    return table
