from __future__ import annotations

import gzip
import shutil
import zipfile
from datetime import datetime

from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

TWEETS = format_fixture("twitter_io_tweets")
USERS = format_fixture("twitter_io_users")


def _post(store, post_id):
    cols = store.columns("posts")
    row = store.con.execute("SELECT * FROM posts WHERE post_id = ?", [post_id]).fetchone()
    return dict(zip(cols, row, strict=True))


def test_tweets_map_onto_posts_accounts_and_snapshots(store):
    [result] = ingest_paths(store, [TWEETS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_io_tweets",
        5,
        5,
        0,
    )
    assert store.count("accounts") == 3
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "100": "post",
        "101": "repost",
        "102": "reply",
        "103": "quote",
        "104": "repost",
    }


def test_takedown_quirks(store):
    ingest_paths(store, [TWEETS])
    post = _post(store, "100")
    assert post["created_at"] == datetime(2020, 1, 2, 3, 4)
    assert post["time_precision"] == "minute"
    assert post["hashtags"] == ["news"]
    assert post["urls"] == ["https://example.com/a"]
    assert post["extra"] is None  # latitude "absent" is not data
    retweet = _post(store, "101")
    assert retweet["target_post_id"] == "100"
    assert retweet["target_account_id"] is None  # retweet_userid empty in the 2020 release
    reply = _post(store, "102")
    assert reply["text"] == "@first thanks,\nsecond line"
    assert reply["mentions"] == ["123456", "789"]
    assert (reply["target_post_id"], reply["target_account_id"]) == ("100", "aGFzaGVkdXNlcjE=")
    assert '"latitude"' in reply["extra"]
    quote = _post(store, "103")
    assert quote["hashtags"] == ["หนึ่ง", "two"]
    assert quote["target_post_id"] == "100"


def test_author_counts_become_snapshots_and_latest_values(store):
    ingest_paths(store, [TWEETS])
    snaps = store.con.execute(
        "SELECT observed_at, followers_count FROM account_snapshots WHERE account_id = 'u3' "
        "ORDER BY observed_at"
    ).fetchall()
    assert snaps == [(datetime(2020, 1, 4, 23, 59), 1000), (datetime(2020, 1, 5, 0, 0), 1001)]
    acct = store.con.execute(
        "SELECT followers_count, created_at, first_seen_at, last_seen_at FROM accounts "
        "WHERE account_id = 'u3'"
    ).fetchone()
    assert acct == (
        1001,
        datetime(2015, 6, 30),
        datetime(2020, 1, 4, 23, 59),
        datetime(2020, 1, 5, 0, 0),
    )


def test_users_file_fills_accounts(store):
    ingest_paths(store, [TWEETS])
    [result] = ingest_paths(store, [USERS])
    assert result.format == "twitter_io_users"
    assert result.rows_stored == 1  # only u4 is new
    assert store.count("accounts") == 4
    desc = store.con.execute("SELECT description FROM accounts WHERE account_id='u4'").fetchone()
    assert desc == ("bio, with comma",)


def test_reingest_is_idempotent(store):
    ingest_paths(store, [TWEETS, USERS])
    counts = {t: store.count(t) for t in ("posts", "accounts", "account_snapshots")}
    again = ingest_paths(store, [TWEETS, USERS])
    assert [r.status for r in again] == ["already ingested"] * 2
    forced = ingest_paths(store, [TWEETS, USERS], force=True)
    assert [r.rows_stored for r in forced] == [0, 0]
    assert {t: store.count(t) for t in counts} == counts


def test_updated_export_adds_new_snapshots(store, tmp_path):
    ingest_paths(store, [TWEETS])
    updated = tmp_path / "tweets_v2.csv"
    text = TWEETS.read_text("utf-8")
    # The same author seen later with more followers, in a later release.
    extra_row = _records()[5].replace('"104"', '"105"').replace("1001", "5000")
    extra_row = extra_row.replace("2020-01-05 00:00", "2020-02-01 00:00")
    updated.write_text(text + extra_row + "\n", "utf-8")
    [result] = ingest_paths(store, [updated])
    assert result.rows_stored == 1
    assert store.con.execute(
        "SELECT followers_count FROM accounts WHERE account_id = 'u3'"
    ).fetchone() == (5000,)
    assert store.con.execute(
        "SELECT count(*) FROM account_snapshots WHERE account_id = 'u3'"
    ).fetchone() == (3,)


def test_gzip_and_zip_are_read_directly(store, tmp_path):
    gz = tmp_path / "tweets.csv.gz"
    with open(TWEETS, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    zpath = tmp_path / "release.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(USERS, "release/users_csv_hashed.csv")
    results = ingest_paths(store, [gz, zpath])
    assert [r.format for r in results] == ["twitter_io_tweets", "twitter_io_users"]
    assert results[1].path.endswith("release.zip!release/users_csv_hashed.csv")
    assert store.count("posts") == 5 and store.count("accounts") == 4


def test_31_column_release_with_other_order(store, tmp_path):
    import csv

    rows = list(csv.reader(TWEETS.open(encoding="utf-8")))
    header = rows[0] + ["poll_choices"]
    order = list(range(len(header)))
    order[12], order[13] = 13, 12  # tweet_time before tweet_text
    path = tmp_path / "t31.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow([header[i] for i in order])
        for r in rows[1:]:
            r = r + ["yes|no"]
            w.writerow([r[i] for i in order])
    [result] = ingest_paths(store, [path])
    assert result.rows_stored == 5
    post = _post(store, "100")
    assert post["text"] == "Breaking #news https://t.co/x"
    assert '"poll_choices"' in post["extra"]


def _records() -> list[str]:
    """The fixture's records as CSV text (record 3 spans two lines)."""
    import csv
    import io

    out = []
    for row in csv.reader(TWEETS.open(encoding="utf-8", newline="")):
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="").writerow(row)
        out.append(buf.getvalue())
    return out


def test_bad_rows_are_kept_with_field_and_value(store, tmp_path):
    rec = _records()
    bad_time = rec[1].replace("2020-01-02 03:04", "yesterday")
    bad_count = rec[4].replace('"1000"', '"lots"')
    short = '"999","u9","x"'
    # lines: 1 header, 2 bad_time, 3-4 the two-line reply, 5 short, 6 bad_count, 7 good
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([rec[0], bad_time, rec[3], short, bad_count, rec[5]]) + "\n", "utf-8")
    [result] = ingest_paths(store, [path])
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (5, 2, 3)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert sorted(reasons) == [2, 5, 6]
    assert "tweet_time" in reasons[2] and "'yesterday'" in reasons[2]
    assert "Columns" in reasons[5]
    assert "follower_count" in reasons[6] and "'lots'" in reasons[6]


def test_unbalanced_quote_loses_only_its_line(store, tmp_path):
    rec = _records()
    broken = rec[1][:-1]  # the last field's closing quote is missing
    path = tmp_path / "quote.csv"
    bad_after = rec[5].replace("2020-01-05 00:00", "soon")
    # lines: 1 header, 2 rec 101, 3 broken, 4-5 reply, 6 quote, 7 bad time, 8 good
    lines = [rec[0], rec[2], broken, rec[3], rec[4], bad_after, rec[5].replace('"104"', '"106"')]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    [result] = ingest_paths(store, [path])
    assert result.rows_rejected == 2
    assert result.rows_stored == 4
    rejected = store.con.execute("SELECT line, raw FROM rejected_rows ORDER BY line").fetchall()
    assert rejected[0][0] == 3 and rejected[0][1].startswith('"100"')
    assert rejected[1][0] == 7 and "soon" in rejected[1][1]


def test_real_sample(store, shared_data):
    folder = shared_data / "formats" / "twitter_io_archive"
    results = ingest_paths(store, [folder])
    by_format = {r.format: r for r in results if r.format}
    assert by_format["twitter_io_tweets"].rows_stored == 47
    assert by_format["twitter_io_users"].rows_read == 37
    assert store.count("accounts") == 37
    assert store.count("rejected_rows") == 0
    kinds = dict(store.con.execute("SELECT kind, count(*) FROM posts GROUP BY 1").fetchall())
    assert kinds["repost"] == 20
    top = store.con.execute(
        "SELECT count(*) FROM posts WHERE target_post_id = '1231401328779251712'"
    ).fetchone()[0]
    assert top == 10


def test_bad_row_after_multiline_text_in_gzip_keeps_its_line(store, tmp_path):
    # No parser error, only a bad value: its line counts the line break inside the reply before
    # it, read again from the compressed file.
    rec = _records()
    bad = rec[5].replace('"1001"', '"many"')
    # lines: 1 header, 2 rec 100, 3-4 the two-line reply, 5 bad follower_count
    path = tmp_path / "bad.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        fh.write("\n".join([rec[0], rec[1], rec[3], bad]) + "\n")
    [result] = ingest_paths(store, [path])
    assert (result.rows_stored, result.rows_rejected) == (2, 1)
    line, reason, raw = store.con.execute("SELECT line, reason, raw FROM rejected_rows").fetchone()
    assert line == 5
    assert reason == "field follower_count: value 'many' is not a whole number"
    assert raw.startswith('"104","u3"') and '"many"' in raw  # rebuilt from the fields


def test_file_of_same_size_as_an_ingested_one_is_still_read(store, tmp_path):
    import hashlib

    ingest_paths(store, [TWEETS])
    other = tmp_path / "other.csv"
    # Same length, other bytes: one digit of a count changes.
    other.write_text(TWEETS.read_text("utf-8").replace('"1000"', '"1009"', 1), "utf-8")
    assert other.stat().st_size == TWEETS.stat().st_size
    [result] = ingest_paths(store, [other])
    assert result.status == "ingested"
    fresh = tmp_path / "fresh.csv"
    fresh.write_text(TWEETS.read_text("utf-8").replace('"100"', '"200"'), "utf-8")
    [result] = ingest_paths(store, [fresh])  # a size never seen: hashed while it is read
    assert result.rows_stored == 1
    stored = store.con.execute(
        "SELECT sha256 FROM ingests WHERE ingest_id = ?", [result.ingest_id]
    ).fetchone()[0]
    assert stored == hashlib.sha256(fresh.read_bytes()).hexdigest()
    [again] = ingest_paths(store, [fresh])
    assert again.status == "already ingested"
