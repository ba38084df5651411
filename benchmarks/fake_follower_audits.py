"""Benchmark: follower audits of 1,000 accounts with 10,000 followers each (10M follow edges).

Usage: python benchmarks/fake_follower_audits.py [--targets 1000] [--followers 10000]
                                                 [--workdir DIR] [--keep]

Builds a store in DuckDB SQL: ``--targets`` audited accounts, each followed by ``--followers``
accounts out of a universe of ``targets * followers / 10`` follower accounts with profiles
(each follows 10 audited accounts chosen at random; follow times spread over 30 days). The last
30,000 follower accounts are a seller's stock (default avatar, no bio, digit-run handles,
created on two days) that delivered to the first 50 accounts within a few hours (6,000 follows
each, 38% of their known followers); those 50 also get a step in their daily snapshots. Every
audited account has 30 daily snapshots and 20 posts with engagement counts.

Then, each in a child process whose peak RSS (ru_maxrss) is read:

* ``detector``: ``FakeFollowersDetector().run(store)`` end to end, with no ``bot_score``
  findings in the store, so each sampled follower is scored by the bot profile model (the
  slowest path): targets, seeded sample of 1,000 followers per account, scoring, arrival
  bursts over all 10M follow times, snapshot steps, engagement against peers, seller pools
  (customer graph over all 10M edges, Leiden, members).
* ``runner``: ``run_one`` as ``flockwatch detect fake_followers`` does it (the above plus
  writing the findings).

Prints one line per stage: audits, follow edges, seconds, peak RSS, and what was found.
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

#: Followers each follower account follows among the audited accounts.
PER_FOLLOWER = 10
#: The seller's stock and its customers: each stock account follows 10 of the customers, so a
#: customer gets 6,000 bought follows besides about 10,000 others (38% of its known followers).
STOCK, CUSTOMERS = 30000, 50
START = "2026-03-01"

BUILD_SQL = """
INSERT INTO accounts (platform, account_id, screen_name, display_name, description, url,
  created_at, verified, protected, default_profile_image, profile_image_url, followers_count,
  following_count, posts_count, likes_count, listed_count, first_seen_at, last_seen_at)
SELECT 'twitter', 't' || i::VARCHAR, 'brand' || i::VARCHAR, 'Brand ' || i::VARCHAR,
  'Lifestyle, travel and food. Collabs by DM.', 'https://example.org/' || i::VARCHAR,
  TIMESTAMP '2015-01-01' + to_days(CAST(i AS INTEGER)), false, false, false,
  'https://pbs.twimg.com/profile_images/t' || i::VARCHAR || '/p.jpg',
  $followers * 3 + CASE WHEN i < $customers THEN 20000 ELSE 0 END, 800, 5000, 9000, 40,
  TIMESTAMP '{start}', TIMESTAMP '{start}' + INTERVAL 30 DAY
FROM range($targets) r(i);

INSERT INTO accounts (platform, account_id, screen_name, display_name, description, url,
  created_at, verified, protected, default_profile_image, profile_image_url, followers_count,
  following_count, posts_count, likes_count, listed_count, first_seen_at, last_seen_at)
WITH base AS (
  SELECT i, i >= $universe - $stock AS fake, hash(i, 1) % 1000 AS h FROM range($universe) r(i)
)
SELECT 'twitter', 'f' || i::VARCHAR,
  CASE WHEN fake THEN 'user' || (48213907 + 7919 * i)::VARCHAR
       ELSE (['anna', 'bob', 'carla', 'deepa', 'emre', 'farid'])[1 + i % 6] || '_'
            || (['reads', 'writes', 'codes', 'runs', 'cooks'])[1 + i // 6 % 5] || (i % 97)::VARCHAR END,
  CASE WHEN fake THEN (['Anna', 'Bob', 'Carla'])[1 + i % 3]
       ELSE (['Anna', 'Bob', 'Carla', 'Deepa', 'Emre', 'Farid'])[1 + i % 6] || ' ' || (['Rossi', 'Okafor', 'Singh', 'Tanaka'])[1 + i % 4] END,
  CASE WHEN fake THEN '' ELSE 'Teacher. Books, football and tea, since ' || (1990 + i % 30)::VARCHAR || '.' END,
  CASE WHEN NOT fake AND h < 150 THEN 'https://example.org/p' || i::VARCHAR END,
  CASE WHEN fake THEN TIMESTAMP '2025-11-02' + to_minutes(CAST(i % 2880 AS INTEGER))
       ELSE TIMESTAMP '2008-01-01' + to_days(CAST(h * 6 AS INTEGER)) END,
  false, false, fake,
  CASE WHEN fake THEN 'https://abs.twimg.com/sticky/default_profile_images/default_profile.png'
       ELSE 'https://pbs.twimg.com/profile_images/f' || i::VARCHAR || '/p.jpg' END,
  CASE WHEN fake THEN 2 ELSE 50 + h END,
  CASE WHEN fake THEN 2400 ELSE 100 + h // 2 END,
  CASE WHEN fake THEN 0 ELSE 300 + 5 * h END,
  CASE WHEN fake THEN 0 ELSE 800 + 7 * h END,
  CASE WHEN fake THEN 0 ELSE h % 5 END,
  TIMESTAMP '{start}', TIMESTAMP '{start}' + INTERVAL 30 DAY
FROM base;

-- Every follower account follows PER_FOLLOWER distinct audited accounts, at random: from a
-- random start, in steps of a random prime that is coprime with the number of targets (so the
-- PER_FOLLOWER targets are distinct); the stock follows the customers, delivered within four
-- hours on the customer's purchase day.
INSERT INTO follows (platform, follower_id, followee_id, observed_at)
WITH e AS (
  SELECT f, j, f >= $universe - $stock AS fake,
    hash(f, 1) % $targets AS a,
    ([7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
      101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181,
      191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277,
      281, 283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383])[
      1 + CAST(hash(f, 2) % 73 AS BIGINT)] AS step
  FROM range($universe) r(f), range({per}) q(j)
)
SELECT 'twitter', 'f' || f::VARCHAR,
  't' || CASE WHEN fake THEN (f * 37 + j * 7) % $customers
              ELSE (a + j * step) % $targets END::VARCHAR,
  CASE WHEN fake THEN TIMESTAMP '{start}' + to_days(CAST(5 + (f * 37 + j * 7) % $customers % 20 AS INTEGER))
                      + to_seconds(CAST(hash(f, j) % 14400 AS BIGINT))
       ELSE TIMESTAMP '{start}' + to_seconds(CAST(hash(f, j, 3) % (30 * 86400) AS BIGINT)) END
FROM e;

INSERT INTO account_snapshots (platform, account_id, observed_at, followers_count,
  following_count, posts_count)
SELECT 'twitter', 't' || i::VARCHAR, TIMESTAMP '{start}' + to_days(CAST(d AS INTEGER)) + INTERVAL 12 HOUR,
  $followers * 3 + 3 * d + CASE WHEN i < $customers AND d > 5 + i % 20 THEN 20000 ELSE 0 END,
  800, 5000 + d
FROM range($targets) a(i), range(30) b(d);

INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, like_count,
  repost_count, reply_count, quote_count)
SELECT 'twitter', 'p' || i::VARCHAR || '_' || k::VARCHAR, 't' || i::VARCHAR,
  TIMESTAMP '{start}' + to_hours(CAST(k * 36 AS INTEGER)), 'post', 'post ' || k::VARCHAR,
  CAST((hash(i, k) % 200) * $followers / 10000 AS BIGINT), hash(i, k, 2) % 20,
  hash(i, k, 3) % 10, 0
FROM range($targets) a(i), range(20) b(k);
"""


def build(path: Path, targets: int, followers: int) -> dict[str, int]:
    from flockwatch.store.db import Store

    universe = targets * followers // PER_FOLLOWER
    with Store(path) as store:
        sql = BUILD_SQL.format(start=START, per=PER_FOLLOWER)
        params = {
            "targets": targets,
            "followers": followers,
            "universe": universe,
            "stock": STOCK,
            "customers": CUSTOMERS,
        }
        for statement in [s for s in sql.split(";\n") if s.strip()]:
            names = [k for k in params if f"${k}" in statement]
            store.con.execute(statement, {k: params[k] for k in names})
        return {t: store.count(t) for t in ("accounts", "follows", "account_snapshots", "posts")}


def child(path: str, stage: str) -> None:
    from flockwatch.detect.fake_followers import FakeFollowersDetector
    from flockwatch.detect.runner import findings_frame, run_one
    from flockwatch.store.db import Store

    with Store(path) as store:
        t0 = time.perf_counter()
        if stage == "detector":
            out = FakeFollowersDetector().run(store)
            frame = findings_frame(out)
            summary = dict(out.summary)
        else:
            result = run_one(store, FakeFollowersDetector())
            frame = None
            summary = {"findings": result.n_findings, "flagged": result.n_flagged}
        seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = {}
    if frame is not None:
        audits = frame[frame["subject_kind"] == "audit"]
        flagged = set(audits.loc[audits["score"] >= 0.5, "subject_id"])
        customers = {f"t{i}" for i in range(CUSTOMERS)}
        extra = {
            "customers_found": len(flagged & customers),
            "others_flagged": len(flagged - customers),
        }
    stages = summary.pop("seconds", None)
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "stages": stages, **summary, **extra}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--followers", type=int, default=10000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="flockwatch-bench-ff-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"ff_{args.targets}x{args.followers}.duckdb"
    if not path.exists():
        t0 = time.perf_counter()
        counts = build(path, args.targets, args.followers)
        print(
            f"built {path.name} in {time.perf_counter() - t0:.0f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        )
    edges = args.targets * args.followers
    for stage in ("detector", "runner"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), stage],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        stages = r.pop("stages", None)
        found = {k: v for k, v in r.items() if k not in ("seconds", "rss_mb")}
        print(
            f"{stage:9s} {args.targets:,} audits over {edges:,} follow edges: "
            f"{r['seconds']:.1f} s, peak RSS {r['rss_mb']:,.0f} MB; {found}"
        )
        if stages:
            print(
                "          seconds by stage: "
                + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
            )
    if not args.keep and args.workdir is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
