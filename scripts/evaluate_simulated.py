"""Every detector against the simulator's ground truth: precision and recall per scheme.

Usage::

    python scripts/evaluate_simulated.py                       # seed 7, 2,000 accounts, 30 days
    python scripts/evaluate_simulated.py --seeds 1 2 3 --accounts 1000

For each seed: ``simulate`` a world, ingest it (``truth.csv`` and ``manifest.json`` left out:
they are the answer key), run every detector as ``flockwatch detect`` does, and compare with
``truth.csv``. "Flagged" means a finding scoring at least 0.5. Prints one block per seed:

* ``bot_score``: accounts flagged against the automated and fake ones (spam bots, the
  operation's core and amplifiers, the seller's fake followers); fans flagged.
* ``activity``: customers with a follower leap; members of creation bursts against the accounts
  created in batches (the operation's amplifiers, the seller's stock, the spam farm).
* ``coordination``: accounts in a cluster scoring >= 0.5 against the operation's; the highest
  score of a cluster holding fans; role accuracy (core/amplifier) over the operation's
  clustered accounts.
* ``fake_followers``: flagged audits against the customers; members of pools scoring >= 0.5
  against the seller's stock.
* ``impersonation``: flagged accounts against the impersonators, and whether each is matched to
  the celebrity it copies.
* ``mass_reporting``: flagged reporters against the brigade; discounted reports against the
  brigade's.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

from flockwatch.detect.runner import run_detectors
from flockwatch.ingest.runner import ingest_paths
from flockwatch.simulate import simulate
from flockwatch.store.db import Store

AUTOMATED = {"spam_bot", "io_core", "io_amplifier", "fake_follower"}
OPERATION = {"io_core", "io_amplifier"}


def _pr(found: set[str], wanted: set[str]) -> str:
    hit = len(found & wanted)
    precision = hit / len(found) if found else float("nan")
    recall = hit / len(wanted) if wanted else float("nan")
    return f"precision {precision:.3f}, recall {recall:.3f} ({hit} of {len(found)} found, {len(wanted)} planted)"


def _findings(store: Store, detector: str) -> list[tuple[str, str, float, str, dict]]:
    rows = store.con.execute(
        "SELECT subject_kind, subject_id, score, label, details::VARCHAR, evidence::VARCHAR "
        "FROM latest_findings WHERE detector = ?",
        [detector],
    ).fetchall()
    return [
        (k, i, s, lab, {**(json.loads(d) if d else {}), "_evidence": json.loads(e) if e else {}})
        for k, i, s, lab, d, e in rows
    ]


def evaluate(seed: int, accounts: int, days: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        simulate(out, seed=seed, accounts=accounts, days=days)
        with open(out / "truth.csv", newline="", encoding="utf-8") as f:
            truth = {r["account_id"]: (r["label"], r["group"]) for r in csv.DictReader(f)}
        store = Store(":memory:")
        ingest_paths(
            store,
            [p for p in sorted(out.iterdir()) if p.name not in ("truth.csv", "manifest.json")],
        )
        t0 = time.perf_counter()
        run_detectors(store, seed=seed)
        seconds = time.perf_counter() - t0

    def labelled(*labels: str) -> set[str]:
        return {a for a, (lab, _) in truth.items() if lab in labels}

    print(f"seed {seed}: {accounts:,} accounts, {days} days; detectors ran in {seconds:.1f} s")

    bot = _findings(store, "bot_score")
    flagged = {i for k, i, s, _, _ in bot if k == "account" and s >= 0.5}
    fans = labelled("fan")
    print(
        f"  bot_score: {_pr(flagged, labelled(*AUTOMATED))}; fans flagged {len(flagged & fans)}/{len(fans)}"
    )

    act = _findings(store, "activity")
    leapers = {i for k, i, s, _, d in act if k == "account" and s >= 0.5}
    cohort = {
        m for k, _, s, _, d in act if k == "cohort" and s >= 0.5 for m in d["_evidence"]["accounts"]
    }
    customers = labelled("customer")
    bulk = labelled("io_amplifier", "fake_follower", "spam_bot")  # created in batches
    print(
        f"  activity: customers with a leap {len(leapers & customers)}/{len(customers)}; "
        f"creation-burst members against bulk-created accounts {_pr(cohort, bulk)}"
    )

    coord = _findings(store, "coordination")
    clusters = [(i, s, d) for k, i, s, _, d in coord if k == "cluster"]
    in_high = {m["account_id"] for _, s, d in clusters if s >= 0.5 for m in d["members"]}
    fan_scores = [s for _, s, d in clusters if {m["account_id"] for m in d["members"]} & fans]
    roles = {
        i: lab
        for k, i, _, lab, _ in coord
        if k == "account" and truth.get(i, ("",))[0] in OPERATION
    }
    right = sum((truth[a][0] == "io_core") == (r == "core") for a, r in roles.items())
    print(
        f"  coordination: {len(clusters)} clusters; operation {_pr(in_high, labelled(*OPERATION))}; "
        f"{len(fan_scores)} fan clusters, highest score {max(fan_scores, default=0):.2f}; "
        f"role accuracy {right / max(len(roles), 1):.3f} ({right}/{len(roles)})"
    )

    ff = _findings(store, "fake_followers")
    audited = {i for k, i, s, _, _ in ff if k == "audit" and s >= 0.5}
    pool = {m for k, _, s, _, d in ff if k == "pool" and s >= 0.5 for m in d.get("members", [])}
    print(
        f"  fake_followers: customers {_pr(audited, customers)}; "
        f"seller pool {_pr(pool, labelled('fake_follower'))}"
    )

    imp = _findings(store, "impersonation")
    flagged = {i for _, i, s, _, _ in imp if s >= 0.5}
    matched = sum(
        truth[i][1] == f"celebrity_{d.get('impersonated_account_id')}"
        for _, i, s, _, d in imp
        if s >= 0.5 and truth.get(i, ("",))[0] == "impersonator"
    )
    print(
        f"  impersonation: {_pr(flagged, labelled('impersonator'))}; "
        f"matched to the right celebrity {matched}"
    )

    mr = _findings(store, "mass_reporting")
    reporters = {i for k, i, s, _, _ in mr if k == "account" and s >= 0.5}
    discounted = {
        r
        for (r,) in store.con.execute("SELECT report_id FROM mass_reporting_discounted").fetchall()
    }
    brigade_reports = {
        r
        for r, rep in store.con.execute("SELECT report_id, reporter_id FROM reports").fetchall()
        if truth.get(rep, ("",))[0] == "reporter"
    }
    campaigns = [s for k, _, s, _, _ in mr if k == "campaign" and s >= 0.5]
    print(
        f"  mass_reporting: {len(campaigns)} campaign(s) flagged; reporters "
        f"{_pr(reporters, labelled('reporter'))}; discounted reports {_pr(discounted, brigade_reports)}"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    for seed in args.seeds:
        evaluate(seed, args.accounts, args.days)


if __name__ == "__main__":
    main()
