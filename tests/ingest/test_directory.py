from __future__ import annotations

from flockwatch.ingest.runner import ingest_paths
from flockwatch.simulate import simulate


def test_simulated_world_folder_ingests_cleanly(store, tmp_path):
    summary = simulate(tmp_path / "world", seed=11, accounts=300, days=8)
    results = {r.path.rsplit("/", 1)[-1]: r for r in ingest_paths(store, [summary.outdir])}
    assert results["truth.csv"].status == "skipped"  # ground truth is not data
    assert results["manifest.json"].status == "skipped"
    assert all(r.rows_rejected == 0 for r in results.values())
    assert store.count("posts") == summary.counts["tweets"]
    assert store.count("accounts") == summary.accounts
    assert store.count("reports") == summary.counts["reports"]
    # Profiles from profiles.csv and users.csv merge into one row per account.
    verified = store.con.execute("SELECT count(*) FROM accounts WHERE verified").fetchone()[0]
    assert verified >= summary.labels["celebrity"]


def test_unreadable_file_in_folder_does_not_stop_the_others(store, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_posts.csv").write_text("post_id,created_at\np1,2026-01-01\n")  # no platform
    (folder / "b_follows.csv").write_text("platform,follower_id,followee_id\ntwitter,x,y\n")
    results = ingest_paths(store, [folder])
    assert [r.status for r in results] == ["failed", "ingested"]
    assert "platform" in results[0].message
    assert store.count("follows") == 1
