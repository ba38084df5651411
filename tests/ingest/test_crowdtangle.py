"""CrowdTangle readers: posts exports and per-post engagement histories.

tests/fixtures/formats/crowdtangle_posts.csv (UTF-8 with BOM, the 41 columns of a search export,
numbers in pt-BR style):
  1. page 111..001: "12.345" interactions, score "1,4", BRT time, a two-line page description.
  2. the same page later, followers grown, a video with views "40.000" and a final link.
  3. a public group post (URL with /groups/), EDT time, "-" and "N/A" for missing values.
  4. page 777..007 with "1.200.000" followers, a numeric offset ("-03"), quotes in the message.
tests/fixtures/formats/crowdtangle_post_history.csv: the history layout, with the post's date
  and URL at the end of the header row, ids ending in a tab, scores like "2.3x" and "-1.1x".
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from flockwatch.ingest.base import IngestOptions
from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

POSTS = format_fixture("crowdtangle_posts")
HISTORY = format_fixture("crowdtangle_post_history")


def _row(store, table, where, *params):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}", list(params)).fetchone()
    assert row is not None, (table, where, params)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {
        t: store.count(t)
        for t in ("posts", "accounts", "account_snapshots", "groups", "post_snapshots")
    }


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def _write(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), "utf-8-sig")
    return path


def test_fixture_counts(store):
    [result] = ingest_paths(store, [POSTS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "crowdtangle_posts",
        4,
        4,
        0,
    )
    assert _counts(store) == {
        "posts": 4,
        "accounts": 3,
        "account_snapshots": 4,
        "groups": 3,
        "post_snapshots": 0,  # the file name carries no export time
    }
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert notes["numbers"].startswith("thousands separator '.', decimal separator ','")


def test_post_fields(store):
    ingest_paths(store, [POSTS])
    first = _row(store, "posts", "post_id = '222000000000001'")
    assert (first["platform"], first["account_id"], first["kind"]) == (
        "facebook",
        "111000000000001",
        "post",
    )
    assert first["created_at"] == datetime(2021, 7, 5, 21, 2, 45)  # 18:02:45 BRT
    assert (first["like_count"], first["reply_count"], first["repost_count"]) == (10000, 1500, 845)
    assert first["urls"] == ["https://www.facebook.com/photo.php?fbid=333&set=a.1&type=3"]
    extra = json.loads(first["extra"])
    assert extra["Total Interactions"] == 12345  # "12.345"
    assert extra["Overperforming Score"] == 1.4  # "1,4"
    assert extra["Type"] == "Photo"
    assert "Is Video Owner?" not in extra and "Video Length" not in extra  # "-" and "N/A"
    video = _row(store, "posts", "post_id = '222000000000002'")
    assert video["urls"] == [
        "https://www.facebook.com/canalverdade/videos/444/",
        "https://canalverdade.example/v",
    ]
    assert json.loads(video["extra"])["Post Views"] == 40000
    group_post = _row(store, "posts", "post_id = '666000000000006'")
    assert group_post["created_at"] == datetime(2021, 7, 5, 16, 0)  # 12:00 EDT
    assert group_post["account_id"] == "555000000000005"
    offset = _row(store, "posts", "post_id = '888000000000008'")
    assert offset["created_at"] == datetime(2021, 7, 4, 12, 15)  # 09:15 -03
    assert offset["text"] == 'Leia, compartilhe "agora"'


def test_pages_groups_accounts_snapshots(store):
    ingest_paths(store, [POSTS])
    page = _row(store, "groups", "group_id = '111000000000001'")
    assert (page["kind"], page["name"], page["members_count"]) == ("page", "Canal Verdade", 61000)
    assert page["description"] == "Notícias todo dia\nsem filtro"  # a field over two lines
    assert page["created_at"] == datetime(2015, 3, 1, 13, 0)  # in the post's zone, BRT
    extra = json.loads(page["extra"])
    assert extra == {
        "user_name": "canalverdade",
        "page_likes": 50100,
        "category": "MEDIA_NEWS_COMPANY",
        "admin_top_country": "BR",
    }
    group = _row(store, "groups", "group_id = '555000000000005'")
    assert (group["kind"], group["members_count"]) == ("group", 8000)
    assert group["extra"] is None  # no user name, no likes, category "", country "N/A"
    big = _row(store, "accounts", "account_id = '777000000000007'")
    assert (big["screen_name"], big["followers_count"]) == ("outrolado", 1200000)
    snaps = store.con.execute(
        "SELECT observed_at, followers_count FROM account_snapshots "
        "WHERE account_id = '111000000000001' ORDER BY 1"
    ).fetchall()
    assert snaps == [
        (datetime(2021, 7, 5, 21, 2, 45), 60000),
        (datetime(2021, 7, 5, 23, 30), 61000),
    ]


def test_en_us_numbers_are_detected(store, tmp_path):
    rows = _rows(POSTS)
    for row in rows[1:]:
        for i, cell in enumerate(row):
            if cell.replace(".", "").isdigit() and "." in cell:
                row[i] = cell.replace(".", ",")  # thousands comma
            elif cell.replace(",", "").isdigit() and "," in cell:
                row[i] = cell.replace(",", ".")  # decimal point
    path = _write(tmp_path / "en.csv", rows)
    [result] = ingest_paths(store, [path])
    assert (result.rows_stored, result.rows_rejected) == (4, 0)
    extra = json.loads(_row(store, "posts", "post_id = '222000000000001'")["extra"])
    assert (extra["Total Interactions"], extra["Overperforming Score"]) == (12345, 1.4)
    assert _row(store, "accounts", "account_id = '777000000000007'")["followers_count"] == 1200000


def test_unknown_time_zone_is_rejected_naming_it(store, tmp_path):
    rows = _rows(POSTS)
    created = rows[0].index("Post Created")
    rows[3][created] = "2021-07-05 12:00:00 XYZ"
    rows[4][rows[0].index("Likes")] = "3,000"  # not this file's convention
    path = _write(tmp_path / "zones.csv", rows)
    [result] = ingest_paths(store, [path])
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (4, 2, 2)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons == {
        # row 1 and 2 span two lines each (the page description)
        6: "field Post Created: unknown time-zone abbreviation 'XYZ' in "
        "'2021-07-05 12:00:00 XYZ'; pass --tz ZONE to read such times in that zone",
        7: "field Likes: value '3,000' is not a whole number (this file writes thousands with '.')",
    }
    # With --tz the abbreviation is read in that zone.
    [again] = ingest_paths(store, [path], options=IngestOptions(tz="America/New_York"), force=True)
    assert (again.rows_stored, again.rows_rejected) == (1, 1)
    assert _row(store, "posts", "post_id = '666000000000006'")["created_at"] == datetime(
        2021, 7, 5, 16, 0
    )


def test_instagram_export(store, tmp_path):
    header = [
        "Account", "User Name", "Followers at Posting", "Post Created", "Post Created Date",
        "Post Created Time", "Type", "Total Interactions", "Likes", "Comments", "Views", "URL",
        "Link", "Photo", "Title", "Description", "Image Text", "Sponsor Id", "Sponsor Name",
        "Overperforming Score (weighted  —  Likes 1x Comments 1x )",
    ]  # fmt: skip
    rows = [
        header,
        ["Canal Verdade", "CanalVerdade", "1,234,567", "2021-07-05 18:00:00 EDT", "2021-07-05",
         "18:00:00", "Photo", "2,001", "2,000", "1", "", "https://www.instagram.com/p/CQxyz123/",
         "https://www.instagram.com/p/CQxyz123/", "https://scontent.example/p.jpg", "",
         "Vote #today", "", "", "", "1.25"],
        ["Outro", "outro.lado", "900", "2021-07-06 08:00:00 EDT", "2021-07-06", "08:00:00",
         "Video", "10", "9", "1", "300", "https://www.instagram.com/reel/CQabc/", "", "", "",
         "clip", "", "", "", "-2.00"],
    ]  # fmt: skip
    path = _write(tmp_path / "ig.csv", rows)
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_stored, result.rows_rejected) == ("crowdtangle_posts", 2, 0)
    post = _row(store, "posts", "post_id = 'CQxyz123'")
    assert (post["platform"], post["account_id"], post["text"]) == (
        "instagram",
        "canalverdade",
        "Vote #today",
    )
    assert post["media"] == ["https://scontent.example/p.jpg"]
    assert post["like_count"] == 2000
    assert _row(store, "accounts", "account_id = 'canalverdade'")["followers_count"] == 1234567
    assert store.count("groups") == 0  # Instagram accounts are not pages
    assert json.loads(_row(store, "posts", "post_id = 'CQabc'")["extra"])["Views"] == 300


def test_export_time_in_file_name_gives_post_snapshots(store, tmp_path):
    first = tmp_path / "2021-07-05-22-49-20-BRT-search-csv-export.csv"
    first.write_bytes(POSTS.read_bytes())
    rows = _rows(POSTS)
    likes = rows[0].index("Likes")
    rows[1][likes] = "11000"
    later = _write(tmp_path / "2021-07-06-10-00-00-BRT-search-csv-export.csv", rows)
    ingest_paths(store, [first])
    [result] = ingest_paths(store, [later])
    assert result.rows_stored == 0  # the posts keep their first observation
    assert result.tables["post_snapshots"] == 4
    series = store.con.execute(
        "SELECT observed_at, like_count FROM post_snapshots "
        "WHERE post_id = '222000000000001' ORDER BY 1"
    ).fetchall()
    assert series == [
        (datetime(2021, 7, 6, 1, 49, 20), 10000),
        (datetime(2021, 7, 6, 13, 0), 11000),
    ]


def test_history_fixture(store):
    [result] = ingest_paths(store, [HISTORY])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "crowdtangle_post_history",
        4,
        4,
        0,
    )
    first = _row(store, "post_snapshots", "observed_at = ?", datetime(2021, 7, 4, 23, 26, 32))
    assert (first["platform"], first["post_id"]) == ("facebook", "222000000000001")
    assert (
        first["like_count"],
        first["reply_count"],
        first["repost_count"],
        first["view_count"],
    ) == (
        19328,
        1036,
        185,
        0,
    )
    extra = json.loads(first["extra"])
    assert (extra["timestep"], extra["loves"], extra["overperforming_score"]) == (3, 2679, -1.1)
    assert extra["post_url"] == "https://www.facebook.com/canalverdade/posts/222000000000001"
    assert extra["post_created_at"] == "2021-07-04 22:38:03"


def test_reingest_is_idempotent(store):
    ingest_paths(store, [POSTS, HISTORY])
    before = _counts(store)
    again = ingest_paths(store, [POSTS, HISTORY], force=True)
    assert [r.rows_stored for r in again] == [0, 0]
    assert all(sum(r.tables.values()) == 0 for r in again)
    assert _counts(store) == before


def test_real_search_export(store, shared_data):
    path = shared_data / "formats" / "crowdtangle" / "2021-07-05-22-49-20-BRT-search-csv-export.csv"
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "crowdtangle_posts",
        10,
        10,
        0,
    )
    assert _counts(store) == {
        "posts": 10,
        "accounts": 10,
        "account_snapshots": 10,
        "groups": 10,
        "post_snapshots": 10,  # the export time is in the file name
    }
    neymar = _row(store, "posts", "post_id = '345428873810280'")
    assert neymar["account_id"] == "100050295107499"
    assert neymar["created_at"] == datetime(2021, 7, 5, 21, 2, 45)
    assert neymar["like_count"] == 270729
    extra = json.loads(neymar["extra"])
    assert (extra["Total Interactions"], extra["Overperforming Score"]) == (407137, 1.4)
    page = _row(store, "groups", "group_id = '100050295107499'")
    assert (page["name"], page["kind"], page["members_count"]) == ("Neymar Jr.", "page", 81438971)
    assert store.con.execute("SELECT DISTINCT observed_at FROM post_snapshots").fetchall() == [
        (datetime(2021, 7, 6, 1, 49, 20),)
    ]
    [again] = ingest_paths(store, [path], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0


def test_real_post_history(store, shared_data):
    path = shared_data / "formats" / "crowdtangle" / "history_post_3758007754304128.csv"
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "crowdtangle_post_history",
        7,
        7,
        0,
    )
    series = store.con.execute(
        "SELECT observed_at, like_count FROM post_snapshots "
        "WHERE post_id = '3758007754304128' ORDER BY 1"
    ).fetchall()
    assert series[0] == (datetime(2021, 7, 4, 23, 26, 32), 19328)
    assert series[-1] == (datetime(2021, 7, 5, 19, 55, 29), 61973)
    [again] = ingest_paths(store, [path], force=True)
    assert again.rows_stored == 0
