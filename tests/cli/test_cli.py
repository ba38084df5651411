from __future__ import annotations

from flockwatch.cli import main
from tests.conftest import format_fixture


def test_ingest_then_status(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    code = main(["ingest", "--db", str(db), str(format_fixture("twitter_io_tweets"))])
    assert code == 0
    out = capsys.readouterr().out
    assert "twitter_io_tweets" in out and "5" in out
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "posts" in out and "twitter" in out


def test_db_from_environment(tmp_path, monkeypatch, capsys):
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("FLOCKWATCH_DB", str(db))
    assert main(["ingest", str(format_fixture("generic_posts"))]) == 0
    assert db.exists()


def test_user_errors_exit_1_with_one_line(tmp_path, capsys):
    code = main(["ingest", "--db", str(tmp_path / "s.duckdb"), str(tmp_path / "missing.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert "missing.csv" in err and "Traceback" not in err


def test_unknown_format_names_formats_tried(tmp_path, capsys):
    odd = tmp_path / "notes.txt"
    odd.write_text("just some notes\n")
    code = main(["ingest", "--db", str(tmp_path / "s.duckdb"), str(odd)])
    err = capsys.readouterr().err
    assert code == 1
    assert "twitter_io_tweets" in err and "generic_posts" in err


def test_forced_unknown_format(tmp_path, capsys):
    code = main(
        [
            "ingest",
            "--db",
            str(tmp_path / "s.duckdb"),
            "--format",
            "nope",
            str(format_fixture("generic_posts")),
        ]
    )
    assert code == 1
    assert "nope" in capsys.readouterr().err


def test_status_of_missing_store(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_usage_error_exit_2(capsys):
    assert main(["ingest", "--no-such-option"]) == 2


def test_bad_rows_reported_in_summary(tmp_path, capsys):
    bad = tmp_path / "posts.csv"
    bad.write_text("platform,post_id,created_at\ntwitter,p1,2026-01-01\ntwitter,p2,not-a-time\n")
    assert main(["ingest", "--db", str(tmp_path / "s.duckdb"), str(bad)]) == 0
    out = capsys.readouterr().out
    assert "rejected_rows" in out


def test_memory_limit_applies_to_every_command(tmp_path, monkeypatch, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(format_fixture("generic_posts"))]) == 0
    capsys.readouterr()
    # a value DuckDB cannot read is refused by every command that opens the store: so each
    # one applies the setting; one clear line, no traceback
    monkeypatch.setenv("FLOCKWATCH_MEMORY_LIMIT", "lots")
    for argv in (
        ["ingest", "--db", str(db), str(format_fixture("generic_accounts"))],
        ["detect", "activity", "--db", str(db)],
        ["export", "accounts", "--db", str(db), "--out", str(tmp_path / "a.csv")],
        ["report", "--db", str(db), "--out", str(tmp_path / "r.html")],
        ["status", "--db", str(db)],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "'lots'" in err and "FLOCKWATCH_MEMORY_LIMIT" in err and "Traceback" not in err
    monkeypatch.setenv("FLOCKWATCH_MEMORY_LIMIT", "200MB")
    assert main(["detect", "activity", "--db", str(db)]) == 0


def test_memory_limit_setting() -> None:
    from flockwatch.store.db import Store

    with Store(":memory:", memory_limit="300MB") as store:
        limit = store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "").upper().startswith(("286", "300", "314"))  # MiB or MB
