"""``manifest.json``: what was planted, when, and a checksum of every file written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import names as N
from . import phrases as T
from . import plan as P
from .reports import BRIGADE_CLIENT

if TYPE_CHECKING:
    from .groups import Groups
    from .influence import Calendar, InfluenceOperation
    from .reports import Reports
    from .seller import Sales
    from .world import World

PHENOMENA = {
    "organic": (
        "Ordinary accounts: heavy-tailed follower counts, creation dates over many years, names, "
        "handles and bios in English, Spanish, Hindi (some Devanagari), Thai, Portuguese and "
        "French; lognormal posting rates (some silent) on a local day curve; varied clients; "
        "replies, quotes and reposts of popular posts with lognormal delays (minutes to hours), "
        "so viral posts draw crowds of reposts."
    ),
    "celebrity_fans": (
        "Verified celebrities (invented names, 100k-10M followers, old accounts) post a few times a "
        "day; their keen fans (label fan, otherwise organic) repost within seconds (exponential, "
        "mean 10-30 s per fan), many in the same minute: an organic look-alike of coordination."
    ),
    "io_1": (
        "Influence operation: core accounts post campaign templates with a few hashtags and a "
        "shared mention list on office hours; amplifiers, mostly created in a burst in the 3 days "
        "after the trigger, repost each core post within seconds to minutes, post copy-paste "
        "variants, repost each other, use one automation client, default images, empty bios and "
        "name+digits handles. Posting leaps at the trigger and spikes after each news event. "
        "Some amplifiers are older bought accounts whose earlier persona shows in snapshots."
    ),
    "farm_1": (
        "Spam-bot farm: promotional link posts every 15/20/30/60 minutes with seconds of jitter, "
        "day and night, for a stretch of days per bot; one scheduling client; near-identical texts."
    ),
    "seller_1": (
        "Fake-follower seller: a pool of bulk-created accounts (bursts, default images, empty or "
        "stock bios, following many, followed by few, rarely posting) follows paying customers "
        "in bursts of hours on purchase dates. Packages are larger than the in-world pool: the "
        "rest shows only as a step in the customer's follower count. Customers' engagement stays "
        "at their pre-purchase level."
    ),
    "impersonation": (
        "Impersonators of each celebrity: look-alike display names (Cyrillic letters, zero-width "
        "characters, 0/o and 1/l swaps), handles like <name>_official or real<name>, copied or "
        "lightly edited bios, created years later, far fewer followers, not verified; some reuse "
        "the celebrity's profile image URL; they copy the star's posts or post scam giveaways."
    ),
    "brigade_1": (
        "Mass-reporting brigade: members of a shared group and page (several created recently, "
        "some never posting, none interacting with their targets) report critic accounts in waves "
        "on several days: most members within minutes, a machine-regular few seconds apart, same "
        "reason, templated comments, client 'Auto Reporter'. Background reports from ordinary "
        "users have varied reasons, clients and times."
    ),
}


def events(w: World, window: P.Window, cal: Calendar, sales: Sales, reports: Reports) -> dict:
    """When things happened: the operation's calendar, brigade waves, follower purchases."""
    iso = window.iso
    purchases = zip(
        sales.customer.tolist(),
        sales.start.tolist(),
        sales.size.tolist(),
        sales.delivered_in_world.tolist(),
        strict=True,
    )
    return {
        "io_trigger": iso(cal.trigger_ms),
        "io_amplifier_creation_burst": [iso(cal.trigger_ms), iso(cal.trigger_ms + 3 * P.DAY_MS)],
        "io_posting_leap": iso(cal.trigger_ms),
        "io_news_events": [iso(t) for t in cal.events_ms],
        "brigade_waves": reports.waves,
        "follower_purchases": [
            {
                "customer_id": str(w.account_id[c]),
                "start": iso(t),
                "size": size,
                "delivered_by_pool": k,
            }
            for c, t, size, k in purchases
        ],
    }


def planted_facts(
    w: World, io: InfluenceOperation, groups: Groups, labels: dict[str, int], spam: dict
) -> dict:
    """The fixed traits of each operation an investigator could search for."""
    return {
        "io_1": {
            "hashtags": list(T.CAMPAIGN_HASHTAGS),
            "mention_list": [str(w.account_id[m]) for m in io.mention_list.tolist()],
            "automation_client": N.AUTOMATION_CLIENT,
        },
        "farm_1": {"client": N.SPAM_CLIENT, **spam},
        "seller_1": {"pool_size": labels["fake_follower"], "customers": labels["customer"]},
        "brigade_1": {"client": BRIGADE_CLIENT, "group_ids": groups.brigade_group_ids},
    }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    path: Path,
    header: dict[str, Any],
    files: dict[str, Path],
    counts: dict[str, int],
    labels: dict[str, int],
    planted: dict[str, Any],
) -> None:
    doc = {
        **header,
        "files": {
            name: {"path": p.name, "rows": counts[name], "sha256": sha256(p)}
            for name, p in files.items()
        },
        "labels": labels,
        "phenomena": PHENOMENA,
        "planted": planted,
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
