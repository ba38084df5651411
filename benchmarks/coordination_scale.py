"""Scale of the ``coordination`` detector: networks + clusters + scores on generated posts.

Usage::

    python benchmarks/coordination_scale.py                      # 1M posts
    python benchmarks/coordination_scale.py --posts 1000000 10000000
    python benchmarks/coordination_scale.py --posts 10000000 --memory-limit 4GB

For each size, one child process generates the posts (``coordination_data.py``) into a DuckDB
store under ``--workdir`` (kept for reuse: the generator is the slow part), and a fresh child runs
``CoordinationDetector().run(store)`` alone, so that its wall time, CPU time and peak RSS
(``ru_maxrss``) are the detector's only. Prints one line per size and the per-stage seconds the
detector records in its run summary, and whether the planted groups were found.

Targets (issue 4): 10M posts in <= 2 minutes with peak memory <= 6 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generate(n: int, path: Path, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    from coordination_data import generate as make
    from coordination_data import load

    from flockwatch.store.db import Store

    t0 = time.perf_counter()
    data = make(n, seed=seed)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with Store(tmp) as store:
        load(store, data)
    tmp.rename(path)
    groups = [g for g in data.groups]
    path.with_suffix(".groups.json").write_text(json.dumps(groups))
    print(
        f"  generated {data.posts.num_rows:,} posts in {time.perf_counter() - t0:.0f}s", flush=True
    )


def detect(path: Path, memory_limit: str | None, threads: int | None) -> None:
    from flockwatch.detect.coordination import CoordinationDetector
    from flockwatch.store.db import Store

    store = Store(path, read_only=True, memory_limit=memory_limit)
    if threads:
        store.con.execute(f"SET threads = {threads}")
    n_posts = store.con.execute("SELECT count(*) FROM posts").fetchall()[0][0]
    wall = time.perf_counter()
    cpu = time.process_time()
    out = CoordinationDetector(seed=0).run(store)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    groups = json.loads(path.with_suffix(".groups.json").read_text())
    member_cluster = {
        m["account_id"]: f.subject_id
        for f in out.findings
        if f.subject_kind == "cluster"
        for m in f.details["members"]
    }
    found = sum(
        1
        for g in groups
        if len({member_cluster.get(a) for a in g[1:]}) == 1 and member_cluster.get(g[1])
    )
    print(
        json.dumps(
            {
                "posts": n_posts,
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "peak_rss_gib": round(rss / 2**30, 2),
                "stages_s": out.summary.get("seconds"),
                "edges": out.summary.get("n_edges"),
                "clusters": out.summary.get("n_clusters"),
                "planted_groups": len(groups),
                "planted_groups_found_whole": found,
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/coordination-bench"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 4GB")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, path = args.child[0], Path(args.child[1])
        if what == "generate":
            generate(int(args.child[2]), path, args.seed)
        else:
            detect(path, args.memory_limit, args.threads)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    for n in args.posts:
        path = args.workdir / f"posts_{n}_seed{args.seed}.duckdb"
        print(f"{n:,} posts -> {path}", flush=True)
        me = [sys.executable, __file__, "--seed", str(args.seed)]
        if not path.exists():
            subprocess.run([*me, "--child", "generate", str(path), str(n)], check=True)
        extra = []
        if args.memory_limit:
            extra += ["--memory-limit", args.memory_limit]
        if args.threads:
            extra += ["--threads", str(args.threads)]
        subprocess.run([*me, *extra, "--child", "detect", str(path)], check=True)


if __name__ == "__main__":
    main()
