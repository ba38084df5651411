"""Twitter API v1.1 readers: tweets JSON, users JSON, users CSV (the cresci labeled datasets).

The fixtures (tests/fixtures/formats/twitter_v1_*.{jsonl,csv}) and why each record is there:

twitter_v1_tweets.jsonl
  1. 2001 by alice: hashtag, link, mention, coordinates + place, iPhone client (HTML anchor).
  2. 2002 by bob: a reply to 2001; bob has the default profile image.
  3. 2003 by carol: a retweet of 1999 (by dave, in no other record), with ``collected_at``.
  4. 2004 by dave: a quote of 2002 in compatibility mode (extended_tweet: full text, hashtags,
     cashtag, photo); it embeds 2002 and bob again.
  5. alice again later with more followers; numeric ``id`` beyond 2**53 and no ``id_str``;
     client "Tweet &amp; Go".
twitter_v1_users.jsonl
  1. erin (users/lookup): embeds her latest tweet 4001; no collection time, so no snapshot.
  2. frank: ``collected_at`` on the user object.  3. gina: a ``{"collected_at", "user"}``
  wrapper with a +02:00 offset.  4. hank: numeric id only, default image known from its URL.
twitter_v1_users_csv.csv (cresci-2017 layout, 41 columns)
  1. anna: verified "1", every field, crawled_at/updated/timestamp.  2. davide: a spambot with
  default_profile_image "1", "NULL" banner, quotes and comma in the description.  3. a protected
  account with a non-Latin location and a two-line description.  4. a new account, zero counts.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from flockwatch.ingest.registry import detect
from flockwatch.ingest.runner import ingest_paths
from flockwatch.ingest.sources import expand_paths
from tests.conftest import format_fixture

TWEETS = format_fixture("twitter_v1_tweets")
USERS = format_fixture("twitter_v1_users")
USERS_CSV = format_fixture("twitter_v1_users_csv")


def _row(store, table, where, *params):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}", list(params)).fetchone()
    assert row is not None, (table, where, params)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {t: store.count(t) for t in ("posts", "accounts", "account_snapshots", "rejected_rows")}


# -- tweets --------------------------------------------------------------------------------------


def test_tweets_fixture_counts(store):
    [result] = ingest_paths(store, [TWEETS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_v1_tweets",
        5,
        6,  # five tweets and the retweeted 1999
        0,
    )
    assert _counts(store) == {
        "posts": 6,
        "accounts": 4,
        "account_snapshots": 7,
        "rejected_rows": 0,
    }
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "1999": "post",
        "2001": "post",
        "2002": "reply",
        "2003": "repost",
        "2004": "quote",
        "1240000000000000005": "post",
    }


def test_tweet_fields(store):
    ingest_paths(store, [TWEETS])
    first = _row(store, "posts", "post_id = '2001'")
    assert first["account_id"] == "1001"
    assert first["created_at"] == datetime(2020, 3, 2, 10, 0)
    assert first["client"] == "Twitter for iPhone"
    assert (first["hashtags"], first["mentions"]) == (["Vote"], ["1002"])
    assert first["urls"] == ["https://example.org/a"]
    assert (first["like_count"], first["repost_count"], first["time_precision"]) == (3, 1, "second")
    extra = json.loads(first["extra"])
    assert extra["coordinates"] == [-74.0, 40.7]
    assert extra["place"]["full_name"] == "Manhattan, NY"
    assert extra["filter_level"] == "low"

    reply = _row(store, "posts", "post_id = '2002'")
    assert (reply["target_post_id"], reply["target_account_id"]) == ("2001", "1001")

    retweet = _row(store, "posts", "post_id = '2003'")
    assert (retweet["target_post_id"], retweet["target_account_id"]) == ("1999", "1004")
    assert retweet["client"] == "IFTTT"
    original = _row(store, "posts", "post_id = '1999'")
    assert (original["account_id"], original["like_count"]) == ("1004", 120)

    quote = _row(store, "posts", "post_id = '2004'")
    assert quote["text"] == "Look at this long thread, it keeps going #Thread #Vote https://t.co/p"
    assert quote["hashtags"] == ["Thread", "Vote"]
    assert quote["media"] == ["https://pbs.twimg.com/media/XYZ.jpg"]
    assert (quote["target_post_id"], quote["target_account_id"]) == ("2002", "1002")
    assert (quote["reply_count"], quote["quote_count"]) == (1, 0)
    assert json.loads(quote["extra"])["cashtags"] == ["TSLA"]

    big = _row(store, "posts", "post_id = '1240000000000000005'")
    assert (big["account_id"], big["client"]) == ("1001", "Tweet & Go")


def test_users_embedded_in_tweets_become_accounts_and_snapshots(store):
    ingest_paths(store, [TWEETS])
    alice = _row(store, "accounts", "account_id = '1001'")
    assert alice["followers_count"] == 110  # the latest observation wins
    assert alice["url"] == "https://alice.example"  # entities.url expanded, not the t.co link
    assert (alice["first_seen_at"], alice["last_seen_at"]) == (
        datetime(2020, 3, 2, 10, 0),
        datetime(2020, 3, 2, 13, 0),
    )
    assert alice["created_at"] == datetime(2019, 1, 1)
    assert json.loads(alice["extra"])["time_zone"] == "Eastern Time (US & Canada)"
    bob = _row(store, "accounts", "account_id = '1002'")
    assert bob["default_profile_image"] is True
    dave = _row(store, "accounts", "account_id = '1004'")
    assert (dave["verified"], dave["listed_count"], dave["likes_count"]) == (True, 12, 100)
    snaps = store.con.execute(
        "SELECT account_id, observed_at, followers_count FROM account_snapshots "
        "ORDER BY account_id, observed_at"
    ).fetchall()
    assert snaps == [
        ("1001", datetime(2020, 3, 2, 10, 0), 100),
        ("1001", datetime(2020, 3, 2, 13, 0), 110),
        ("1002", datetime(2020, 3, 2, 10, 5), 5),
        ("1002", datetime(2020, 3, 2, 12, 30), 5),  # embedded in the quote, seen at 12:30
        # carol and dave (embedded in her retweet) seen at the record's collected_at
        ("1003", datetime(2020, 3, 2, 11, 0, 30), 7),
        ("1004", datetime(2020, 3, 2, 11, 0, 30), 50),
        ("1004", datetime(2020, 3, 2, 12, 30), 55),
    ]


def test_tweets_reingest_is_idempotent(store):
    ingest_paths(store, [TWEETS])
    before = _counts(store)
    [again] = ingest_paths(store, [TWEETS], force=True)
    assert again.status == "ingested" and again.rows_stored == 0
    assert _counts(store) == before


def test_array_and_blank_line_shapes(store, tmp_path):
    records = [json.loads(line) for line in TWEETS.read_text("utf-8").splitlines()]
    as_array = tmp_path / "tweets.json"
    as_array.write_text(json.dumps(records, indent=2), "utf-8")
    blank = tmp_path / "stream.json"
    blank.write_text("\n\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    results = ingest_paths(store, [as_array, blank])
    assert [r.format for r in results] == ["twitter_v1_tweets"] * 2
    assert [(r.rows_read, r.rows_rejected) for r in results] == [(5, 0), (5, 0)]
    assert [r.rows_stored for r in results] == [6, 0]


def test_bad_records_are_rejected_with_reason(store, tmp_path):
    lines = TWEETS.read_text("utf-8").splitlines()
    good = json.loads(lines[0])
    bad_time = dict(good, id_str="9001", created_at="yesterday-ish")
    bad_count = dict(good, id_str="9002", user=dict(good["user"], followers_count="many"))
    observation = {"created_at": "Mon Mar 02 14:00:00 +0000 2020", "user": good["user"]}
    delete = {"delete": {"status": {"id": 1, "id_str": "1", "user_id": 2, "user_id_str": "2"}}}
    path = tmp_path / "mixed.jsonl"
    body = [
        lines[0],  # 1 good
        lines[1][: len(lines[1]) // 2],  # 2 truncated
        json.dumps(bad_time),  # 3
        json.dumps(delete),  # 4
        json.dumps(bad_count),  # 5
        json.dumps(observation),  # 6 kept: an observation of alice at 14:00
        "42",  # 7
        json.dumps({"limit": {"track": 12, "timestamp_ms": "1583143200000"}}),  # 8
    ]
    path.write_text("\n".join(body) + "\n", "utf-8")
    [result] = ingest_paths(store, [path], format="twitter_v1_tweets")
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (8, 1, 6)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert sorted(reasons) == [2, 3, 4, 5, 7, 8]
    assert "JSON" in reasons[2]
    assert reasons[3] == "field created_at: value 'yesterday-ish' is not a time"
    assert reasons[4] == "delete notice (not a tweet)"
    assert reasons[5] == "field user.followers_count: value 'many' is not a whole number"
    assert "not an object" in reasons[7]
    assert reasons[8] == "limit notice (not a tweet)"
    raw = store.con.execute("SELECT raw FROM rejected_rows WHERE line = 3").fetchone()[0]
    assert "yesterday-ish" in raw
    # Nothing of a rejected record is kept, and the observation record made a snapshot.
    assert store.con.execute("SELECT count(*) FROM posts WHERE post_id LIKE '900%'").fetchone() == (
        0,
    )
    assert store.con.execute(
        "SELECT observed_at FROM account_snapshots WHERE account_id = '1001' ORDER BY 1"
    ).fetchall() == [(datetime(2020, 3, 2, 10, 0),), (datetime(2020, 3, 2, 14, 0),)]


def test_real_egtweet(store, shared_data):
    path = shared_data / "formats" / "twitter_v1_1" / "egtweet.json"
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_v1_tweets",
        4,
        4,
        0,
    )
    assert (store.count("accounts"), store.count("account_snapshots")) == (4, 4)
    first = _row(store, "posts", "post_id = '451738894988365826'")
    assert first["kind"] == "reply"
    assert (first["target_post_id"], first["target_account_id"]) == (
        "451737764191404032",
        "324786848",
    )
    assert first["created_at"] == datetime(2014, 4, 3, 15, 12)
    assert first["client"] == "Twitter for iPhone"
    assert first["mentions"] == ["324786848"]
    tagged = _row(store, "posts", "post_id = '451738895064264704'")
    assert tagged["hashtags"] == ["howisyouolderthanme"]
    assert tagged["kind"] == "post"  # addressed to a user, not a reply to a tweet
    assert tagged["target_account_id"] == "176019652"
    android = _row(store, "posts", "post_id = '451738894707335169'")
    assert android["client"] == "Twitter for Android"
    assert json.loads(android["extra"])["place"]["full_name"] == "Alhambra, CA"
    snap = _row(store, "account_snapshots", "account_id = '418199903'")
    assert (snap["observed_at"], snap["followers_count"], snap["posts_count"]) == (
        datetime(2014, 4, 3, 15, 12),
        4302,
        61189,
    )


# -- users JSON ----------------------------------------------------------------------------------


def test_users_json(store):
    [result] = ingest_paths(store, [USERS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_v1_users",
        4,
        4,
        0,
    )
    assert _counts(store) == {
        "posts": 1,
        "accounts": 4,
        "account_snapshots": 2,
        "rejected_rows": 0,
    }
    erin = _row(store, "accounts", "account_id = '3001'")
    assert erin["first_seen_at"] is None  # no collection time on a users/lookup object
    status = _row(store, "posts", "post_id = '4001'")
    assert (status["account_id"], status["hashtags"]) == ("3001", ["hi"])
    snaps = store.con.execute(
        "SELECT account_id, observed_at, followers_count FROM account_snapshots ORDER BY 1"
    ).fetchall()
    assert snaps == [
        ("3002", datetime(2021, 6, 1), 1000),
        ("3003", datetime(2021, 6, 2, 6, 30), 3),  # +02:00 -> UTC
    ]
    assert _row(store, "accounts", "account_id = '3003'")["protected"] is True
    hank = _row(store, "accounts", "account_id = '3004'")
    assert hank["default_profile_image"] is True
    [again] = ingest_paths(store, [USERS], force=True)
    assert again.rows_stored == 0 and store.count("account_snapshots") == 2


# -- users CSV -----------------------------------------------------------------------------------


def test_users_csv_fixture(store):
    [result] = ingest_paths(store, [USERS_CSV])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_v1_users_csv",
        4,
        4,
        0,
    )
    assert (store.count("accounts"), store.count("account_snapshots")) == (4, 4)
    anna = _row(store, "accounts", "account_id = '1502026416'")
    assert (anna["screen_name"], anna["display_name"]) == ("anna_rossi", "Anna Rossi")
    assert (anna["posts_count"], anna["followers_count"], anna["following_count"]) == (
        2177,
        208,
        332,
    )
    assert (anna["likes_count"], anna["listed_count"]) == (265, 1)
    assert (anna["verified"], anna["protected"], anna["default_profile_image"]) == (
        True,
        False,  # empty, and the file says "1" for protected elsewhere
        False,
    )
    assert anna["created_at"] == datetime(2013, 6, 11, 11, 20, 35)
    assert anna["first_seen_at"] == anna["last_seen_at"] == datetime(2015, 5, 2, 6, 41, 46)
    extra = json.loads(anna["extra"])
    assert extra["test_set_1"] == "0" and extra["time_zone"] == "Rome"
    assert extra["timestamp"] == "2013-06-11 13:20:35"  # local creation time, not an observation
    assert "profile_banner_url" in extra
    bot = _row(store, "accounts", "account_id = '24858289'")
    assert bot["default_profile_image"] is True
    assert bot["description"] == 'Vota "Marco", ora!'
    assert "profile_banner_url" not in json.loads(bot["extra"])  # "NULL"
    assert _row(store, "accounts", "account_id = '2492782375'")["description"] == (
        "Tokyo based.\nLoves trains"
    )
    snap = _row(store, "account_snapshots", "account_id = '2372241176'")
    assert (snap["observed_at"], snap["followers_count"]) == (datetime(2014, 5, 5, 0, 20, 3), 0)
    [again] = ingest_paths(store, [USERS_CSV], force=True)
    assert again.rows_stored == 0 and store.count("account_snapshots") == 4


def test_users_csv_cresci_2015_layout_and_bad_rows(store, tmp_path):
    header = (
        "id,name,screen_name,statuses_count,followers_count,friends_count,favourites_count,"
        "listed_count,created_at,url,lang,default_profile_image,verified,description,updated,"
        "dataset,is_fake"
    )
    rows = [
        "3610511,Davide,braddd,20370,5470,2385,145,52,Fri Apr 06 10:58:22 +0000 2007,"
        "http://braddd.example,it,,,Founder,14-02-2015 10.54,E13,0",
        "370098498,pirfect,pirfectmoses,lots,4,588,16,0,Thu Sep 08 13:20:35 +0000 2011,,en,,,"
        ",14-02-2015 10.40,INT,1",
        "37384589,SAK,bsknair1967,656,57,693,597,0,someday,,en,,,,14-02-2015 10.40,INT,1",
        "1000.0,Float,float_id,1,2,3,4,5,Sun May 03 07:35:13 +0000 2009,,en,1,,,"
        "14-02-2015 10.40,INT,1",
    ]
    path = tmp_path / "E13_users.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", "utf-8")
    [result] = ingest_paths(store, [path])
    assert result.format == "twitter_v1_users_csv"
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (4, 2, 2)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons[3] == "field statuses_count: value 'lots' is not a whole number"
    assert reasons[4].startswith("field created_at: value 'someday' is not a time")
    davide = _row(store, "accounts", "account_id = '3610511'")
    assert davide["first_seen_at"] == datetime(2015, 2, 14, 10, 54)  # "14-02-2015 10.54"
    assert davide["verified"] is None  # the whole column is empty: unknown, not false
    assert davide["default_profile_image"] is False  # empty where the column has a "1"
    assert json.loads(davide["extra"]) == {"dataset": "E13", "is_fake": "0"}
    float_id = _row(store, "accounts", "screen_name = 'float_id'")
    assert (float_id["account_id"], float_id["default_profile_image"]) == ("1000", True)
    notes = store.con.execute("SELECT assumptions FROM ingests").fetchone()[0]
    assert "updated_format" in json.loads(notes)


@pytest.mark.parametrize(
    ("name", "rows", "default_images"),
    [
        ("cresci-2015-subset/E13_users.csv", 1481, 4),
        ("cresci-2015-subset/INT_users.csv", 1337, 4),
        ("cresci-2017/genuine_accounts_users.csv", 3474, 13),
        ("cresci-2017/social_spambots_1_users.csv", 991, 1),
        ("cresci-2017/social_spambots_2_users.csv", 3457, 46),
        ("cresci-2017/social_spambots_3_users.csv", 464, 0),
    ],
)
def test_real_cresci_users(store, shared_data, name, rows, default_images):
    [result] = ingest_paths(store, [shared_data / "training" / name])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twitter_v1_users_csv",
        rows,
        rows,
        0,
    )
    assert store.count("account_snapshots") == rows
    assert store.con.execute(
        "SELECT count(*) FROM accounts WHERE first_seen_at IS NULL OR created_at IS NULL "
        "OR followers_count IS NULL OR screen_name IS NULL"
    ).fetchone() == (0,)
    assert store.con.execute("SELECT count_if(default_profile_image) FROM accounts").fetchone() == (
        default_images,
    )


def test_real_cresci_values(store, shared_data):
    folder = shared_data / "training"
    ingest_paths(
        store,
        [
            folder / "cresci-2017" / "genuine_accounts_users.csv",
            folder / "cresci-2015-subset" / "E13_users.csv",
        ],
    )
    first = _row(store, "accounts", "account_id = '1502026416'")
    assert first["screen_name"] == "0918Bask"
    assert first["created_at"] == datetime(2013, 6, 11, 11, 20, 35)
    assert first["first_seen_at"] == datetime(2015, 5, 2, 6, 41, 46)  # crawled_at
    assert store.con.execute("SELECT count_if(verified) FROM accounts").fetchone() == (11,)
    braddd = _row(store, "accounts", "account_id = '3610511'")
    assert (braddd["first_seen_at"], braddd["posts_count"]) == (
        datetime(2015, 2, 14, 10, 54),
        20370,
    )
    assert json.loads(braddd["extra"])["dataset"] == "E13"


# -- detection -----------------------------------------------------------------------------------

MY_FIXTURES = [
    "twitter_v1_tweets",
    "twitter_v1_users",
    "twitter_v1_users_csv",
    "twarc2_jsonl",
    "twarc_csv",
]
OTHER_FIXTURES = [
    "twitter_io_tweets",
    "twitter_io_users",
    "generic_accounts",
    "generic_snapshots",
    "generic_posts",
    "generic_follows",
    "generic_reports",
    "generic_groups",
    "generic_memberships",
]


@pytest.mark.parametrize("fmt", MY_FIXTURES + OTHER_FIXTURES)
def test_detection_of_fixtures(fmt):
    [source] = expand_paths([format_fixture(fmt)]).items
    assert detect(source).format == fmt


REAL = {
    "formats/twitter_v1_1/egtweet.json": "twitter_v1_tweets",
    "formats/twarc2_v2/geo_tweets.jsonl": "twarc2_jsonl",
    "formats/twarc2_v2/media_tweet.jsonl": "twarc2_jsonl",
    "formats/twarc2_v2/mentions_tweet.jsonl": "twarc2_jsonl",
    "formats/twarc2_v2/two_tweets.jsonl": "twarc2_jsonl",
    "formats/twarc2_v2/verified_type.jsonl": "twarc2_jsonl",
    "training/cresci-2017/genuine_accounts_users.csv": "twitter_v1_users_csv",
    "training/cresci-2017/social_spambots_1_users.csv": "twitter_v1_users_csv",
    "training/cresci-2017/social_spambots_2_users.csv": "twitter_v1_users_csv",
    "training/cresci-2017/social_spambots_3_users.csv": "twitter_v1_users_csv",
    "training/cresci-2015-subset/E13_users.csv": "twitter_v1_users_csv",
    "training/cresci-2015-subset/INT_users.csv": "twitter_v1_users_csv",
    "formats/twitter_io_archive/thailand_092020_tweets_csv_hashed.SUBSET.csv": "twitter_io_tweets",
    "formats/twitter_io_archive/thailand_092020_users_csv_hashed.SUBSET.csv": "twitter_io_users",
}
TWITTER_FORMATS = set(MY_FIXTURES)


def test_detection_of_real_samples(shared_data):
    for rel, fmt in REAL.items():
        [source] = expand_paths([shared_data / rel]).items
        assert detect(source).format == fmt, rel
    # Other platforms' files are never taken for Twitter data.
    for path in sorted(shared_data.rglob("*")):
        rel = path.relative_to(shared_data).as_posix()
        if not path.is_file() or rel in REAL or path.suffix not in (".json", ".jsonl", ".csv"):
            continue
        [source] = expand_paths([path]).items
        try:
            fmt = detect(source).format
        except Exception:  # noqa: BLE001 - no reader for it (yet) is fine here
            continue
        assert fmt not in TWITTER_FORMATS, rel
