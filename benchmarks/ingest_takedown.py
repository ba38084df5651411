"""Benchmark: ingest of a takedown-archive tweets CSV of N rows (rows/s and peak memory).

Usage: python benchmarks/ingest_takedown.py [--rows 1000000 5000000] [--workdir DIR]
                                            [--bad-share 0.0]

Writes a synthetic tweets CSV in the real 30-column layout (all fields quoted, minute times,
Python-repr lists, hashed-looking ids, some multi-line texts; with ``--bad-share`` that share
of the rows has a time that is not a time, so they go to ``rejected_rows``), then times ``flockwatch ingest``
into a fresh store in a child process and reads its CPU time (user + system) and peak RSS
(ru_maxrss) from the child's resource usage. Prints one line per size: rows, seconds, rows/s, CPU
seconds, peak RSS, and the load average before the run (wall-clock figures on a shared machine
mean little without it).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "tweetid",
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
]


def write_csv(path: Path, rows: int, seed: int = 0, bad_share: float = 0.0) -> None:
    rng = random.Random(seed)
    users = [f"{rng.getrandbits(128):032x}=" for _ in range(max(1000, rows // 50))]
    # Real releases carry each author's counts at release time; here they change monthly, so
    # snapshots are many but far fewer than rows (monthly changes).
    base_followers = [rng.randrange(5000) for _ in users]
    texts = [
        "Breaking news about the election https://t.co/abc",
        "RT @someone: this is what they do not want you to know #truth",
        "ข่าวการเมืองวันนี้ #ข่าว",
        'a longer text with a line break\nand a second line, with commas, and "quotes"',
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(HEADER)
        base = 1_200_000_000_000_000_000
        for i in range(rows):
            k = rng.randrange(len(users))
            u = users[k]
            rt = rng.random() < 0.5
            minute = i * 525_600 // rows  # one year
            t = time.strftime("%Y-%m-%d %H:%M", time.gmtime(1_570_000_000 + minute * 60))
            w.writerow(
                [
                    str(base + i),
                    u,
                    u,
                    u,
                    "",
                    "",
                    "",
                    str(base_followers[k] + minute // 43_200),
                    str(base_followers[k] // 3),
                    "2019-06-01",
                    "en",
                    "th",
                    texts[i % 4],
                    "not a time" if rng.random() < bad_share else t,
                    "Twitter for Android",
                    "",
                    "",
                    "",
                    "true" if rt else "false",
                    "",
                    str(base + rng.randrange(max(1, i))) if rt else "",
                    "absent",
                    "absent",
                    "0",
                    "0",
                    str(rng.randrange(10)),
                    str(rng.randrange(10)),
                    "['ข่าว', 'truth']" if i % 3 == 0 else "[]",
                    "['https://example.com/x']" if i % 5 == 0 else "[]",
                    "[]",
                ]
            )


def run(rows: int, workdir: Path, bad_share: float = 0.0) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak RSS (GiB) of one ``flockwatch ingest`` of ``rows`` rows."""
    suffix = f"_bad{bad_share:g}" if bad_share else ""
    csv_path = workdir / f"tweets_{rows}{suffix}.csv"
    if not csv_path.exists():
        write_csv(csv_path, rows, bad_share=bad_share)
    db = workdir / f"bench_{rows}.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "flockwatch", "ingest", "--db", str(db), str(csv_path)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--bad-share", type=float, default=0.0, help="share of rows with a bad time (rejected)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fw-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}  workdir: {workdir}")
    for rows in args.rows:
        # ru_maxrss of children is the max over all children so far: run each size in its own
        # process to read a per-size peak.
        out = subprocess.run(
            [sys.executable, __file__, "--single", str(rows), str(workdir), str(args.bad_share)],
            check=True,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip())


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--single":
        n, wd, bad = int(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
        load = os.getloadavg()[0]
        secs, cpu, peak_gib = run(n, wd, bad)
        print(
            f"rows={n:,} seconds={secs:.1f} rows_per_s={n / secs:,.0f} cpu_s={cpu:.1f} "
            f"peak_rss={peak_gib:.2f} GiB load={load:.2f}"
        )
    else:
        main()
