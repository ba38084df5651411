"""Benchmark: the ``bot_score`` detector on a store of N accounts (accounts/s and peak memory).

Usage: python benchmarks/score_accounts.py [--accounts 1000000] [--post-share 0.3]
                                           [--workdir DIR] [--keep]

Builds a store with N synthetic accounts in DuckDB SQL (several platforms with different
missing columns, heavy-tailed counts, creation dates over 18 years, ASCII and non-ASCII names
and bios, some default avatars and digit-run handles) and posts for a share of them
(log-normal number per account, reposts/replies/links/clients, some clockwork schedules,
minute-precision times for part of them). Then, each in a child process whose peak RSS
(ru_maxrss) is read:

* ``detector``: ``BotScoreDetector().run(store)`` end to end from the store (SQL features,
  predictions, contributions, explanation strings, evidence/details JSON, contribution lists).
* ``runner``: ``run_one`` as ``flockwatch detect bot_score`` does it (the above plus writing
  the findings and the run record into the store).

Prints one line per stage: accounts, seconds, accounts/s, CPU seconds (all threads; on a busy
machine compare these), peak RSS. The load average is printed too: wall-clock figures on a
shared machine are only as good as the cores it leaves free.
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

ACCOUNTS_SQL = """
INSERT INTO accounts (platform, account_id, screen_name, display_name, description, location,
  url, lang, created_at, verified, protected, default_profile_image, profile_image_url,
  followers_count, following_count, posts_count, likes_count, listed_count, first_seen_at,
  last_seen_at, ingest_id)
WITH base AS (
  SELECT i, hash(i, 1) % 1000000 / 1e6 AS u1, hash(i, 2) % 1000000 / 1e6 AS u2,
    hash(i, 3) % 1000000 / 1e6 AS u3, hash(i, 4) % 1000000 / 1e6 AS u4,
    hash(i, 5) % 1000000 / 1e6 AS u5, hash(i, 6) % 1000000 / 1e6 AS u6,
    hash(i, 7) % 1000000 / 1e6 AS u7
  FROM range($n) t(i)
), g AS (
  SELECT *,
    -- standard normals (Box-Muller)
    sqrt(-2 * ln(greatest(u1, 1e-9))) * cos(2 * pi() * u2) AS z1,
    sqrt(-2 * ln(greatest(u2, 1e-9))) * cos(2 * pi() * u3) AS z2,
    sqrt(-2 * ln(greatest(u3, 1e-9))) * cos(2 * pi() * u4) AS z3,
    sqrt(-2 * ln(greatest(u4, 1e-9))) * cos(2 * pi() * u5) AS z4,
    CASE WHEN u7 < 0.85 THEN 'twitter' WHEN u7 < 0.95 THEN 'mastodon' ELSE 'telegram' END AS pf,
    u6 < 0.07 AS botlike,
    ['ka', 'lo', 'mi', 'ra', 'ne', 'su', 'ti', 'vo', 'be', 'da', 'ri', 'an'] AS syl
  FROM base
)
SELECT pf,
  md5(i::VARCHAR)[:20],
  CASE WHEN botlike THEN (['deals', 'news', 'jenn', 'promo'])[1 + i % 4] || (10000000 + i % 89999999)::VARCHAR
       WHEN u1 < 0.4 THEN (['anna', 'bob', 'carlos', 'deepa', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jon'])[1 + i % 10] || '_' || (i % 9973)::VARCHAR
       ELSE (['the', 'real', 'its', 'mr', 'ms'])[1 + i % 5] || (['anna', 'bob', 'carlos', 'deepa', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jon'])[1 + (i // 10) % 10] || (['x', 'writes', 'reads', 'codes', ''])[1 + (i // 7) % 5] END,
  CASE WHEN u2 < 0.04 THEN ''
       WHEN u3 < 0.12 THEN (['मीरा', 'สมชาย', 'José', 'Ærø', 'Δημήτρης'])[1 + i % 5] || ' ' || (['शर्मा', 'ใจดี', 'Álvarez', 'Straße', 'Παππάς'])[1 + (i // 5) % 5] || CASE WHEN u4 < 0.3 THEN ' 🌱' ELSE '' END
       -- names from syllables: mostly unique, like real display names
       ELSE upper(syl[1 + CAST(hash(i, 11) % 12 AS BIGINT)][1]) || syl[1 + CAST(hash(i, 11) % 12 AS BIGINT)][2:] || syl[1 + CAST(hash(i, 12) % 12 AS BIGINT)] || CASE WHEN u5 < 0.5 THEN syl[1 + CAST(hash(i, 13) % 12 AS BIGINT)] ELSE '' END
            || ' ' || upper(syl[1 + CAST(hash(i, 14) % 12 AS BIGINT)][1]) || syl[1 + CAST(hash(i, 14) % 12 AS BIGINT)][2:] || syl[1 + CAST(hash(i, 15) % 12 AS BIGINT)] || syl[1 + CAST(hash(i, 16) % 12 AS BIGINT)] END,
  CASE WHEN botlike OR u4 < 0.3 THEN ''
       ELSE (['Teacher', 'Dad', 'Nurse', 'Engineer', 'Student', 'कवि', 'นักเขียน'])[1 + i % 7] || ' in ' || upper(syl[1 + CAST(hash(i, 17) % 12 AS BIGINT)][1]) || syl[1 + CAST(hash(i, 18) % 12 AS BIGINT)] || syl[1 + CAST(hash(i, 19) % 12 AS BIGINT)] || '. ' || (['Books', 'football', 'cats', 'news', 'music', 'code'])[1 + (i // 3) % 6] || ' & ' || (['tea', 'coffee', 'rain', 'travel'])[1 + (i // 5) % 4] || ', since ' || (1990 + i % 35)::VARCHAR || '.' END,
  CASE WHEN u5 < 0.5 THEN (['Bologna', 'Lagos', 'Delhi', 'Bangkok', 'São Paulo'])[1 + i % 5] END,
  CASE WHEN u1 < 0.15 THEN 'https://example.org/' || i::VARCHAR END,
  'en',
  TIMESTAMP '2007-01-01' + to_seconds(CAST(sqrt(u3) * 18.4 * 365 * 86400 AS BIGINT)),
  CASE WHEN pf = 'telegram' THEN NULL ELSE u5 < 0.005 END,
  CASE WHEN pf = 'telegram' THEN NULL ELSE u6 < 0.02 END,
  botlike OR u7 < 0.03,
  CASE WHEN botlike THEN 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png'
       ELSE 'https://pbs.twimg.com/profile_images/' || i::VARCHAR || '/p.jpg' END,
  CAST(floor(exp(CASE WHEN botlike THEN 1 ELSE 4.5 END + 2.0 * z1)) AS BIGINT),
  CASE WHEN pf = 'telegram' THEN NULL ELSE CAST(floor(exp(CASE WHEN botlike THEN 7.5 ELSE 5.5 END + 1.0 * z2)) AS BIGINT) END,
  CASE WHEN pf = 'telegram' THEN NULL ELSE CAST(floor(exp(6.5 + 1.8 * z3)) AS BIGINT) END,
  CASE WHEN pf <> 'twitter' OR botlike THEN NULL ELSE CAST(floor(exp(6.5 + 2.2 * z4)) AS BIGINT) END,
  CASE WHEN pf <> 'twitter' THEN NULL ELSE CAST(floor(exp(0.3 + 1.4 * z2)) AS BIGINT) END,
  TIMESTAMP '2025-05-01', TIMESTAMP '2025-06-01', 1
FROM g
"""

POSTS_SQL = """
INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, lang, client,
  target_post_id, urls, time_precision, ingest_id)
WITH posters AS (
  SELECT platform, account_id, hash(account_id, 9) % 1000000 / 1e6 AS u,
    hash(account_id, 10) % 1000000 / 1e6 AS v,
    starts_with(screen_name, 'deals') OR starts_with(screen_name, 'promo') AS clockwork
  FROM accounts
  WHERE hash(account_id, 8) % 1000 < $post_share * 1000
), counts AS (
  SELECT *, least(400, CAST(floor(exp(2.0 + 1.2 * sqrt(-2 * ln(greatest(u, 1e-9)))
    * cos(2 * pi() * v))) AS BIGINT) + 1) AS n
  FROM posters
), p AS (
  SELECT c.*, unnest(range(c.n)) AS j FROM counts c
)
SELECT platform, account_id || '-' || j::VARCHAR, account_id,
  CASE WHEN clockwork THEN TIMESTAMP '2025-05-01' + to_minutes(CAST(15 * j AS BIGINT)) + to_seconds(hash(account_id, j) % 20)
       ELSE TIMESTAMP '2025-05-01' + to_seconds(CAST(hash(account_id, j, 1) % (30 * 86400) AS BIGINT)) END,
  (['post', 'post', 'repost', 'reply', 'quote'])[1 + CAST(hash(account_id, j, 2) % 5 AS BIGINT)],
  CASE WHEN clockwork THEN 'Huge discount today only https://t.co/' || (j % 3)::VARCHAR
       ELSE (['Good morning', 'Reading a book about', 'Cannot believe the match', 'New post on my blog', 'यह बहुत अच्छा है'])[1 + CAST(hash(account_id, j, 3) % 5 AS BIGINT)] || ' ' || (hash(account_id, j, 4) % 1000)::VARCHAR END,
  'en',
  CASE WHEN clockwork THEN 'DealBlast Scheduler' ELSE (['Twitter for iPhone', 'Twitter for Android', 'Twitter Web App', 'TweetDeck'])[1 + CAST(hash(account_id, j % 3) % 4 AS BIGINT)] END,
  NULL,
  CASE WHEN clockwork OR hash(account_id, j, 5) % 10 < 2 THEN ['https://example.org/' || j::VARCHAR] ELSE [] END,
  CASE WHEN platform = 'twitter' THEN 'minute' ELSE 'second' END,
  1
FROM p
"""


def build_store(path: Path, accounts: int, post_share: float) -> tuple[int, int, float]:
    from flockwatch.store.db import Store

    t0 = time.perf_counter()
    with Store(path) as store:
        store.con.execute(ACCOUNTS_SQL, {"n": accounts})
        if post_share > 0:
            store.con.execute(POSTS_SQL, {"post_share": post_share})
        n_acc = store.count("accounts")
        n_posts = store.count("posts")
    return n_acc, n_posts, time.perf_counter() - t0


def child(stage: str, db: str) -> None:
    """Run one stage in this process and print a JSON line with its figures."""
    from flockwatch.detect.bot_score.detector import BotScoreDetector
    from flockwatch.detect.runner import run_one
    from flockwatch.store.db import Store

    detector = BotScoreDetector()
    with Store(db, read_only=stage == "detector") as store:
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        if stage == "detector":
            frame = detector.run(store).findings
            # timed up to here: the counts below read the findings, they are not scoring
            seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            import pyarrow.compute as pc

            n = frame.num_rows
            flagged = pc.sum(pc.equal(frame["label"], "likely_automated")).as_py() or 0
            variants = (
                pc.sum(pc.match_substring(frame["details"], '"profile+behaviour"')).as_py() or 0
            )
        else:
            result = run_one(store, detector)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            n, flagged, variants = result.n_findings, result.n_flagged, -1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps(
            {
                "n": n,
                "flagged": flagged,
                "behaviour": variants,
                "seconds": seconds,
                "cpu": cpu,
                "rss": rss_mb,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument(
        "--post-share", type=float, default=0.3, help="share of accounts with posts"
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the store")
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="fw-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    n_acc, n_posts, build_s = build_store(db, args.accounts, args.post_share)
    print(
        f"store: {n_acc:,} accounts, {n_posts:,} posts, built in {build_s:.1f}s "
        f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    for stage in ("detector", "runner"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", stage, str(db)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        extra = f", {r['behaviour']:,} with behaviour" if r["behaviour"] >= 0 else ""
        print(
            f"{stage:8s}: {r['n']:,} accounts ({r['flagged']:,} flagged{extra}) in "
            f"{r['seconds']:.2f}s = {r['n'] / r['seconds']:,.0f} accounts/s "
            f"(CPU {r['cpu']:.1f}s), peak RSS {r['rss']:,.0f} MB"
        )
    if not args.keep and args.workdir is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
