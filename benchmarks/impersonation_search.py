"""Benchmark: the ``impersonation`` detector's search over N accounts against P protected
identities (seconds, peak memory, and how many planted impostors it finds).

Usage: python benchmarks/impersonation_search.py [--accounts 1000000] [--protected 10000]
                                                 [--impostors 1000] [--seed 0]
                                                 [--workdir DIR] [--keep]

Builds a store of N accounts whose names come from Zipf-distributed pools of invented given
names and surnames (so common names repeat thousands of times, as in real data, and namesakes
of the protected identities exist), P verified accounts with 100k-10M followers (the protected
identities), and I impostors made with the simulator's own tricks (Cyrillic look-alikes,
zero-width characters, digit swaps, badges, padded handles, copied bios and pictures). Then,
in a child process whose peak RSS (ru_maxrss) is read, ``ImpersonationDetector().run(store)``
runs end to end: skeletons of every name and handle, blocking keys and candidate pairs in
DuckDB, rapidfuzz scores of all candidates, signals of the close pairs, findings.

Prints the store's size, the search's counts (candidate and close pairs), the findings, the
planted impostors found (recall) and the flagged accounts that are planted (precision), the
seconds and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# fmt: off
SYLLABLES = (
    "ka", "ra", "vi", "an", "sh", "mi", "lo", "de", "na", "ta", "ri", "so", "el", "ma",
    "ja", "ne", "pa", "ru", "zo", "li", "ba", "go", "fe", "ha", "ku", "wy", "xe", "yo",
    "cu", "di", "mo", "te", "sa", "ni", "ve", "lu", "bo", "ge", "pi", "da",
)
# fmt: on
BIOS = (
    "Teacher. Books, football & tea.",
    "Dad of two. Cricket and chai.",
    "Engineer by day, gamer by night.",
    "Student | music | travel",
    "Nurse. Rain lover. Cat person.",
    "",
    "",
    "Just here for the memes",
)


def _pool(rng, n: int, syllables: tuple[int, int]) -> list[str]:
    lo, hi = syllables
    out: set[str] = set()
    while len(out) < n:
        k = int(rng.integers(lo, hi + 1))
        out.add("".join(rng.choice(SYLLABLES, k)).capitalize())
    return sorted(out)


def _zipf(rng, n_pool: int, size: int, a: float = 0.9):
    import numpy as np

    weights = 1.0 / np.arange(1, n_pool + 1) ** a
    return rng.choice(n_pool, size=size, p=weights / weights.sum())


def build_store(path: Path, accounts: int, protected: int, impostors: int, seed: int) -> dict:
    import numpy as np
    import pyarrow as pa

    from flockwatch.simulate.impersonation import lookalike_bio, lookalike_display, lookalike_handle
    from flockwatch.store.db import Store

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    firsts = _pool(rng, 3000, (2, 3))
    lasts = _pool(rng, 60000, (3, 4))
    n_plain = accounts - protected - impostors
    fi, li = _zipf(rng, len(firsts), accounts), _zipf(rng, len(lasts), accounts, 0.7)
    shape = rng.random(accounts)
    digits = rng.integers(0, 10000, accounts)
    display, handle, bio = [], [], []
    for i in range(accounts):
        f, s = firsts[fi[i]], lasts[li[i]]
        u = shape[i]
        display.append(f"{f} {s}" if u < 0.7 else f if u < 0.85 else f"{f} {s} 🌱")
        handle.append(
            f"{f.lower()}{s.lower()[:5]}{digits[i]}" if u < 0.5 else f"{f.lower()}_{digits[i]}"
        )
        bio.append(BIOS[i % len(BIOS)])
    image = [
        f"https://pbs.twimg.com/profile_images/{i}/p{i:08d}_normal.jpg" for i in range(accounts)
    ]
    created = (
        np.datetime64("2008-01-01") + rng.integers(0, 17 * 365, accounts).astype("timedelta64[D]")
    ).astype("datetime64[us]")
    followers = np.floor(rng.lognormal(4.5, 1.6, accounts)).astype(np.int64)
    verified = np.zeros(accounts, dtype=bool)
    # protected identities: rows n_plain .. n_plain + protected (distinct full names)
    prot = np.arange(n_plain, n_plain + protected)
    seen: set[str] = set()
    for i in prot.tolist():
        while display[i] in seen or display[i].count(" ") != 1:
            display[i] = (
                f"{firsts[int(rng.integers(0, len(firsts)))]} {lasts[int(rng.integers(0, len(lasts)))]}"
            )
        seen.add(display[i])
        f, s = display[i].split(" ")
        handle[i] = (f + s, f"iam{f}", f"{f}{s}HQ", f"{s}{f}")[i % 4][:15]
        bio[i] = f"Actor. Official account of {display[i]}. Next: #Film{i % 97} 🎬"
    verified[prot] = True
    followers[prot] = (10 ** rng.uniform(5, 7, protected)).astype(np.int64)
    created[prot] = np.datetime64("2010-01-01", "us")
    # impostors: the last rows, each copying a random protected identity
    imp = np.arange(n_plain + protected, accounts)
    victims = rng.choice(prot, size=impostors, replace=True)
    for i, v in zip(imp.tolist(), victims.tolist(), strict=True):
        display[i] = lookalike_display(rng, display[v])
        handle[i] = lookalike_handle(rng, handle[v])
        bio[i] = lookalike_bio(rng, bio[v])
        if rng.random() < 0.55:
            image[i] = image[v]
        created[i] = np.datetime64("2024-01-01", "us")
        followers[i] = int(rng.integers(10, 900))
    ids = [f"{10**12 + i}" for i in range(accounts)]
    table = pa.table(
        {
            "platform": ["twitter"] * accounts,
            "account_id": ids,
            "screen_name": handle,
            "display_name": display,
            "description": bio,
            "created_at": created,
            "verified": verified,
            "default_profile_image": np.zeros(accounts, dtype=bool),
            "profile_image_url": image,
            "followers_count": followers,
        }
    )
    with Store(path) as store:
        store.con.register("_bench", table)
        store.con.execute(
            "INSERT INTO accounts (platform, account_id, screen_name, display_name, description, "
            "created_at, verified, default_profile_image, profile_image_url, followers_count) "
            "SELECT * FROM _bench"
        )
        store.con.unregister("_bench")
    truth = {ids[i]: ids[v] for i, v in zip(imp.tolist(), victims.tolist(), strict=True)}
    (path.parent / "truth.json").write_text(json.dumps(truth))
    return {"seconds": time.perf_counter() - t0, "accounts": accounts, "protected": protected}


def child(db: str) -> None:
    """Run the detector in this process and print a JSON line with its figures."""
    from flockwatch.detect.impersonation import ImpersonationDetector
    from flockwatch.store.db import Store

    truth = json.loads((Path(db).parent / "truth.json").read_text())
    with Store(db, read_only=True) as store:
        t0 = time.perf_counter()
        out = ImpersonationDetector().run(store)
        seconds = time.perf_counter() - t0
    flagged = {f.subject_id: f for f in out.findings if f.score >= 0.5}
    right = [a for a, f in flagged.items() if truth.get(a) == f.details["impersonated_account_id"]]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps(
            {
                **out.summary,
                "flagged": len(flagged),
                "found": len(right),
                "planted": len(truth),
                "seconds": seconds,
                "rss": rss_mb,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--protected", type=int, default=10_000)
    parser.add_argument("--impostors", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the store")
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="fw-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "impersonation.duckdb"
    db.unlink(missing_ok=True)
    built = build_store(db, args.accounts, args.protected, args.impostors, args.seed)
    print(
        f"store: {built['accounts']:,} accounts, {built['protected']:,} verified (protected), "
        f"{args.impostors:,} planted impostors; built in {built['seconds']:.1f}s "
        f"({os.cpu_count()} CPUs)"
    )
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(db)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"search  : {r['accounts']:,} accounts x {r['protected']:,} protected -> "
        f"{r['candidate_pairs']:,} candidate pairs, {r['close_pairs']:,} close pairs, "
        f"{r['findings']:,} findings"
    )
    print(
        f"detector: {r['flagged']:,} flagged, {r['found']:,} of {r['planted']:,} planted impostors "
        f"found against the right identity (recall {r['found'] / max(r['planted'], 1):.3f}, "
        f"precision {r['found'] / max(r['flagged'], 1):.3f}) in {r['seconds']:.1f}s = "
        f"{r['accounts'] / r['seconds']:,.0f} accounts/s, peak RSS {r['rss']:,.0f} MB"
    )
    if not args.keep and args.workdir is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
