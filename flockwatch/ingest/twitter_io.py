"""Twitter information-operations archives: the state-backed takedown releases (tweets and users CSV).

Quirks of the real releases handled here: columns are read by header name (30 or 31 columns, order
changed between releases); user ids of small accounts are hashed; ``tweet_time`` has minute precision
("YYYY-MM-DD HH:MM", stored with ``time_precision = 'minute'`` so detectors treat it as an interval);
hashtags/urls/user_mentions are Python-repr lists; ``is_retweet`` is "true"/"false";
``retweet_userid`` may be empty for retweets; latitude/longitude are "absent". Every tweet row
carries its author's profile and counts, which become account rows and snapshots: the snapshot's
``observed_at`` is the earliest tweet time at which those counts were seen (real releases carry the
counts at release time, so for them it is a lower bound).
"""

from __future__ import annotations

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.csvscan import Projection, header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import CONVERTERS, lit, q, sql_int, sql_list, sql_str, sql_time

PROFILE_COLUMNS = [
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
]
TWEET_COLUMNS = [
    "tweetid",
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
TYPED = {
    "tweet_time": "time",
    "follower_count": "int",
    "following_count": "int",
    "account_creation_date": "time",
    "quote_count": "int",
    "reply_count": "int",
    "like_count": "int",
    "retweet_count": "int",
    "is_retweet": "bool",
}


def _col(names: list[str], name: str) -> str:
    """The column if the file has it, else NULL (releases differ in their columns)."""
    return q(name) if name in names else "NULL::VARCHAR"


def _extra(names: list[str], known: list[str]) -> str:
    """A JSON object of the columns this reader does not map, keeping non-empty values only."""
    unknown = [n for n in names if n not in known]
    parts = [f"{lit(n)}, {q(n)}" for n in unknown]
    geo = (
        "CASE WHEN latitude IS NOT NULL AND latitude NOT IN ('', 'absent') "
        "THEN json_object('latitude', latitude, 'longitude', longitude) END"
        if "latitude" in names
        else "NULL"
    )
    if not parts:
        return f"{geo}::JSON"
    obj = f"json_object({', '.join(parts)})"
    return f"CASE WHEN {geo} IS NULL THEN {obj} ELSE json_merge_patch({obj}, {geo}) END"


class TakedownTweetsReader(Reader):
    format = "twitter_io_tweets"
    description = "Twitter information-operations archive tweets CSV (takedown releases)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        cols = set(head.csv_header)
        return 1.0 if {"tweetid", "userid", "tweet_time"} <= cols else 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = header_of(source)
        required = ["tweetid", "userid", "tweet_time"]
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(f"{source.name}: takedown tweets CSV lacks column(s) {missing}")
        # One scan checks every row and converts every value once as it reads, keeping only the
        # columns used below (not every field as text); posts then copy the good rows, and the
        # account rows and snapshots aggregate them.
        names = scan_csv(
            stage, source, header, "raw", typed=TYPED, required=required, projection=_projection
        )
        stage.progress(source.size // 2)
        reject_bad_rows(stage, "raw", names, TYPED, required)
        stage.temp_tables.append("raw")
        platform = lit(stage.options.platform or "twitter")
        iid = stage.ingest_id
        seq0 = stage.next_seq(0)
        stage.sources["posts"] = f"""
            SELECT {platform} AS platform, post_id, account_id, created_at, time_precision, kind,
                   text, lang, client, target_post_id, target_account_id, hashtags, mentions,
                   urls, []::VARCHAR[] AS media, like_count, repost_count, reply_count,
                   quote_count, extra, {iid} AS ingest_id, {seq0} + rowid AS _seq
            FROM raw
        """
        # One account row per author: the profile on its latest tweet, seen from first to last tweet.
        latest = "struct_pack(t := created_at, s := rowid)"
        profile = {
            "screen_name": "user_screen_name",
            "display_name": "user_display_name",
            "description": "user_profile_description",
            "location": "user_reported_location",
            "url": "user_profile_url",
            "lang": "account_language",
        }
        fields = ", ".join(f"{sql_str(q(col))} AS {name}" for name, col in profile.items())
        fields += (
            ", account_created_at AS created_at"
            f", {sql_int(q('follower_count'))} AS followers_count"
            f", {sql_int(q('following_count'))} AS following_count"
        )
        # The latest tweet is found by its rowid, then its profile fetched (cheaper than carrying
        # every profile through the aggregate).
        stage.con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT {platform} AS platform, a.account_id, p.* EXCLUDE (_rid), first_seen_at,
                   last_seen_at, {iid} AS ingest_id, _seq
            FROM (
                SELECT account_id, arg_max(rowid, {latest}) AS _latest,
                       min(created_at) AS first_seen_at, max(created_at) AS last_seen_at,
                       {seq0} + max(rowid) AS _seq
                FROM raw GROUP BY account_id) a
            JOIN (SELECT rowid AS _rid, {fields} FROM raw) p ON p._rid = a._latest
            """
        )
        stage.progress(source.size * 3 // 4)
        # A snapshot each time an author's counts or names change.
        stage.con.execute(
            f"""
            INSERT INTO stg_account_snapshots BY NAME
            SELECT {platform} AS platform, account_id, min(created_at) AS observed_at,
                   {sql_int(q("follower_count"))} AS followers_count,
                   {sql_int(q("following_count"))} AS following_count,
                   {sql_str(q("user_screen_name"))} AS screen_name,
                   {sql_str(q("user_display_name"))} AS display_name,
                   {sql_str(q("user_profile_description"))} AS description,
                   {iid} AS ingest_id, {seq0} + min(rowid) AS _seq
            FROM raw
            GROUP BY account_id, follower_count, following_count, user_screen_name,
                     user_display_name, user_profile_description
            """
        )


def _projection(names: list[str]) -> Projection:
    """What the scan keeps of a tweets file: the posts columns, typed, and the author's profile
    (names and counts as text: snapshots tell apart every distinct text)."""
    c = lambda n: _col(names, n)  # noqa: E731
    # Typed values are converted once, for the columns and for the check of the row.
    computed = {f"_v_{n}": CONVERTERS[kind](q(n)) for n, kind in TYPED.items() if n in names}
    v = lambda n: q(f"_v_{n}") if n in names else CONVERTERS[TYPED[n]](c(n))  # noqa: E731
    is_rt = f"coalesce({v('is_retweet')}, false)"
    rt_id, reply_id = sql_str(c("retweet_tweetid")), sql_str(c("in_reply_to_tweetid"))
    quote_id = sql_str(c("quoted_tweet_tweetid"))
    kind = (
        f"CASE WHEN {is_rt} OR {rt_id} IS NOT NULL THEN 'repost' "
        f"WHEN {reply_id} IS NOT NULL THEN 'reply' "
        f"WHEN {quote_id} IS NOT NULL THEN 'quote' ELSE 'post' END"
    )
    target_account = (
        f"CASE WHEN {rt_id} IS NOT NULL THEN {sql_str(c('retweet_userid'))} "
        f"WHEN {reply_id} IS NOT NULL OR {sql_str(c('in_reply_to_userid'))} IS NOT NULL "
        f"THEN {sql_str(c('in_reply_to_userid'))} END"
    )
    known = PROFILE_COLUMNS + TWEET_COLUMNS + ["_reason"]
    columns = {
        "post_id": q("tweetid"),
        "account_id": q("userid"),
        "created_at": v("tweet_time"),
        # At most 16 bytes is at most 16 characters, trimmed or not: most rows need no trim.
        "time_precision": "CASE WHEN strlen(tweet_time) <= 16 OR length(trim(tweet_time)) <= 16 "
        "THEN 'minute' ELSE 'second' END",
        "kind": kind,
        "text": sql_str(c("tweet_text")),
        "lang": sql_str(c("tweet_language")),
        "client": sql_str(c("tweet_client_name")),
        "target_post_id": f"coalesce({rt_id}, {reply_id}, {quote_id})",
        "target_account_id": target_account,
        "hashtags": sql_list(c("hashtags")),
        "mentions": sql_list(c("user_mentions")),
        "urls": sql_list(c("urls")),
        "like_count": v("like_count"),
        "repost_count": v("retweet_count"),
        "reply_count": v("reply_count"),
        "quote_count": v("quote_count"),
        "extra": _extra(names, known),
        "account_created_at": v("account_creation_date"),
        **{n: c(n) for n in PROFILE_COLUMNS if n not in ("userid", "account_creation_date")},
    }
    converted = {n: f"_v_{n}" for n in TYPED if n in names}
    return Projection(columns, computed, converted)


class TakedownUsersReader(Reader):
    format = "twitter_io_users"
    description = "Twitter information-operations archive users CSV (takedown releases)"
    primary_table = "accounts"

    def sniff(self, head: Head) -> float:
        cols = set(head.csv_header)
        if "tweetid" in cols:
            return 0.0
        return 1.0 if {"userid", "user_screen_name", "account_creation_date"} <= cols else 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = header_of(source)
        if "userid" not in header:
            raise InputError(f"{source.name}: takedown users CSV lacks column 'userid'")
        names = scan_csv(stage, source, header, "raw")
        reject_bad_rows(stage, "raw", names, TYPED, ["userid"])
        c = lambda n: _col(names, n)  # noqa: E731
        platform = lit(stage.options.platform or "twitter")
        seq0 = stage.next_seq(0)
        known = PROFILE_COLUMNS + ["_line", "_reason", "_seg", "_rec"]
        # The users file has no observation time: its values fill what tweets did not give.
        stage.con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT {platform} AS platform, userid AS account_id,
                   {sql_str(c("user_screen_name"))} AS screen_name,
                   {sql_str(c("user_display_name"))} AS display_name,
                   {sql_str(c("user_profile_description"))} AS description,
                   {sql_str(c("user_reported_location"))} AS location,
                   {sql_str(c("user_profile_url"))} AS url,
                   {sql_str(c("account_language"))} AS lang,
                   {sql_time(c("account_creation_date"))} AS created_at,
                   {sql_int(c("follower_count"))} AS followers_count,
                   {sql_int(c("following_count"))} AS following_count,
                   {_extra(names, known)} AS extra,
                   {stage.ingest_id} AS ingest_id, {seq0} + rowid AS _seq
            FROM raw
            """
        )
        stage.con.execute("DROP TABLE raw")
