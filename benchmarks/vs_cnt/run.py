"""flockwatch's co-repost network against coordination-network-toolkit, same data, one run.

Usage::

    pip install coordination-network-toolkit   # benchmark only: never a flockwatch dependency
    python benchmarks/vs_cnt/run.py                  # 1M generated posts, window 60 s
    python benchmarks/vs_cnt/run.py --posts 300000 --threads 2

Both tools get the same generated posts (``benchmarks/coordination_data.py``, second-precision
times). coordination-network-toolkit (QUT) preprocesses a CSV into SQLite and computes its
co-retweet network (``compute_co_retweet_parallel``, min edge weight 1); flockwatch computes its
co-repost pairs (``actions.build_actions`` + ``edges_sql``, bucketed DuckDB self-join) with
viral-target sampling off and no cut-off, which is where the semantics agree: two accounts are
linked when they reposted the same post at most ``window`` seconds apart. Each side runs in its
own child process; wall time of the computation and CPU time are reported (flockwatch's CPU
time is measured around the computation inside its process, DuckDB's threads included; the
toolkit's is that of its whole child process, worker processes and start-up included, as
multiprocessing workers cannot be measured from inside), and the two edge sets are compared (the toolkit's self-loops are dropped; its weight
counts the first account's reposts with a match, ours the co-reposted posts, equal unless an
account reposts the same post twice).

Target (issue 4): flockwatch >= 20x faster at 1M posts.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads: DuckDB's included)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _children_cpu() -> float:
    """CPU time of finished child processes and their own finished children (the toolkit's
    workers), counting Python start-up too."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def prepare(n: int, workdir: Path, seed: int) -> None:
    """Generate once: a flockwatch store and the toolkit's CSV of the same posts."""
    from coordination_data import generate, load

    from flockwatch.store.db import Store

    data = generate(n, seed=seed)
    store_path = workdir / "flockwatch.duckdb"
    store_path.unlink(missing_ok=True)
    with Store(store_path) as store:
        load(store, data)
    posts = data.posts.to_pydict()
    with open(workdir / "posts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "message_id",
                "user_id",
                "username",
                "repost_id",
                "reply_id",
                "message",
                "timestamp",
                "urls",
            ]
        )
        for i in range(len(posts["post_id"])):
            kind = posts["kind"][i]
            w.writerow(
                [
                    posts["post_id"][i],
                    posts["account_id"][i],
                    posts["account_id"][i],
                    posts["target_post_id"][i] if kind == "repost" else "",
                    posts["target_post_id"][i] if kind == "reply" else "",
                    posts["text"][i] or "",
                    int(posts["created_at"][i].timestamp()),
                    " ".join(posts["urls"][i] or []),
                ]
            )
    (workdir / "n_posts").write_text(str(len(posts["post_id"])))


def run_cnt(workdir: Path, window: int, threads: int, preprocess: bool) -> None:
    """The toolkit's preprocessing (one child) or its co-retweet network (another child: its
    worker processes' CPU time reaches the parent only when the child exits)."""
    from coordination_network_toolkit.compute_networks import compute_co_retweet_parallel
    from coordination_network_toolkit.preprocess import preprocess_csv_files

    db = workdir / "cnt.sqlite"
    if preprocess:
        for p in workdir.glob("cnt.sqlite*"):
            p.unlink()
    t0 = time.perf_counter()
    if preprocess:
        preprocess_csv_files(str(db), [str(workdir / "posts.csv")])
        wall = time.perf_counter() - t0
        print(json.dumps({"tool": "cnt_preprocess", "wall_s": round(wall, 2)}), flush=True)
        return
    t0 = time.perf_counter()
    compute_co_retweet_parallel(str(db), window, n_threads=threads, min_edge_weight=1)
    wall = time.perf_counter() - t0
    import sqlite3

    import pyarrow as pa
    import pyarrow.parquet as pq

    # The edge list goes to Parquet (untimed) so the comparison runs in DuckDB: at 1M posts
    # both networks hold millions of edges.
    con = sqlite3.connect(db)
    cur = con.execute("SELECT user_1, user_2, weight FROM co_retweet_network")
    schema = pa.schema([("u1", pa.string()), ("u2", pa.string()), ("weight", pa.int64())])
    with pq.ParquetWriter(workdir / "cnt_edges.parquet", schema) as out:
        while rows := cur.fetchmany(1_000_000):
            cols = list(zip(*rows, strict=True))
            out.write_table(pa.table([list(c) for c in cols], schema=schema))
    print(json.dumps({"tool": "cnt", "wall_s": round(wall, 2)}), flush=True)


def run_flockwatch(workdir: Path, window: int, threads: int) -> None:
    from flockwatch.detect.coordination.actions import (
        ACTS,
        ActionParams,
        bucket_ms,
        build_actions,
        edges_sql,
    )
    from flockwatch.store.db import Store

    store = Store(workdir / "flockwatch.duckdb", read_only=True)
    store.con.execute(f"SET threads = {threads}")
    con = store.con
    params = ActionParams(
        window_ms=window * 1000, max_target_accounts=10**9, networks=("co_repost",)
    )
    t0, c0 = time.perf_counter(), _cpu_seconds()
    build_actions(con, params)
    bucket = bucket_ms(con, params.window_ms)
    con.execute(
        f"CREATE TEMP TABLE fw_edges AS SELECT * FROM ({edges_sql(ACTS, params.window_ms, bucket)})"
    )
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    out = str(workdir / "fw_edges.parquet").replace("'", "''")
    con.execute(
        "COPY (SELECT na.account_id AS a, nb.account_id AS b, e.n_actions AS weight "
        "FROM fw_edges e JOIN _fwc_nodes na ON na.node = e.a JOIN _fwc_nodes nb ON nb.node = e.b) "
        f"TO '{out}' (FORMAT parquet)"
    )
    print(
        json.dumps({"tool": "flockwatch", "wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}),
        flush=True,
    )


def compare(workdir: Path) -> dict:
    """Both edge sets as unordered pairs (the toolkit's self-loops dropped; of its two
    directions, the smaller weight, which counts co-reposted posts as ours does)."""
    import duckdb

    cnt = str(workdir / "cnt_edges.parquet").replace("'", "''")
    fw = str(workdir / "fw_edges.parquet").replace("'", "''")
    row = (
        duckdb.connect()
        .execute(
            f"""
        WITH c AS (SELECT least(u1, u2) AS a, greatest(u1, u2) AS b, min(weight) AS w
                   FROM '{cnt}' WHERE u1 <> u2 GROUP BY ALL),
             f AS (SELECT a, b, weight AS w FROM '{fw}'),
             j AS (SELECT c.w AS wc, f.w AS wf FROM c FULL OUTER JOIN f USING (a, b))
        SELECT count(wc), count(wf), count(*) FILTER (WHERE wc IS NOT NULL AND wf IS NOT NULL),
               count(*) FILTER (WHERE wf IS NULL), count(*) FILTER (WHERE wc IS NULL),
               count(*) FILTER (WHERE wc = wf)
        FROM j
        """
        )
        .fetchall()[0]
    )
    n_cnt, n_fw, both, only_cnt, only_fw, same = row
    return {
        "edges_cnt": n_cnt,
        "edges_flockwatch": n_fw,
        "edges_in_both": both,
        "only_cnt": only_cnt,
        "only_flockwatch": only_fw,
        "same_weight_share": round(same / max(both, 1), 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/coordination-vs-cnt"))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir / f"posts_{args.posts}_seed{args.seed}"
    if args.child:
        what = args.child[0]
        if what == "prepare":
            prepare(args.posts, workdir, args.seed)
        elif what in ("cnt", "cnt_preprocess"):
            run_cnt(workdir, args.window, args.threads, preprocess=what == "cnt_preprocess")
        else:
            run_flockwatch(workdir, args.window, args.threads)
        return
    try:
        import coordination_network_toolkit  # noqa: F401
    except ImportError:
        sys.exit(
            "coordination-network-toolkit is not installed: pip install coordination-network-toolkit"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    me = [
        sys.executable,
        __file__,
        "--posts",
        str(args.posts),
        "--window",
        str(args.window),
        "--threads",
        str(args.threads),
        "--seed",
        str(args.seed),
        "--workdir",
        str(args.workdir),
    ]
    if not (workdir / "n_posts").exists():
        subprocess.run([*me, "--child", "prepare", "-"], check=True)
    results = {}
    for tool in ("flockwatch", "cnt_preprocess", "cnt"):
        before = _children_cpu()
        out = subprocess.run(
            [*me, "--child", tool, "-"], check=True, capture_output=True, text=True
        )
        line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
        results[tool] = json.loads(line)
        results[tool].setdefault("cpu_s", round(_children_cpu() - before, 2))
    summary = {
        "posts": int((workdir / "n_posts").read_text()),
        "window_s": args.window,
        "threads": args.threads,
        **{f"{t}_{k}": v for t, r in results.items() for k, v in r.items() if k != "tool"},
        "speedup_wall": round(results["cnt"]["wall_s"] / results["flockwatch"]["wall_s"], 1),
        "speedup_cpu": round(results["cnt"]["cpu_s"] / results["flockwatch"]["cpu_s"], 1),
        **compare(workdir),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
