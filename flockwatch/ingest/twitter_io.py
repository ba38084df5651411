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
from flockwatch.ingest.csvscan import header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import lit, q, sql_bool, sql_int, sql_list, sql_str, sql_time

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
        # One scan checks every row as it reads; the good rows then feed posts directly (no
        # staging copy), and the account rows and snapshots by aggregation.
        names = scan_csv(stage, source, header, "raw", typed=TYPED, required=required)
        stage.progress(source.size // 2)
        reject_bad_rows(stage, "raw", names, TYPED, required)
        stage.temp_tables.append("raw")
        c = lambda n: _col(names, n)  # noqa: E731
        platform = lit(stage.options.platform or "twitter")
        iid = stage.ingest_id
        seq0 = stage.next_seq(0)
        is_rt = f"coalesce({sql_bool(c('is_retweet'))}, false)"
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
        created = sql_time(c("tweet_time"))
        stage.sources["posts"] = f"""
            SELECT {platform} AS platform, tweetid AS post_id, userid AS account_id,
                   {created} AS created_at,
                   CASE WHEN length(trim(tweet_time)) <= 16 THEN 'minute' ELSE 'second' END
                       AS time_precision,
                   {kind} AS kind,
                   {sql_str(c("tweet_text"))} AS text,
                   {sql_str(c("tweet_language"))} AS lang,
                   {sql_str(c("tweet_client_name"))} AS client,
                   coalesce({rt_id}, {reply_id}, {quote_id}) AS target_post_id,
                   {target_account} AS target_account_id,
                   {sql_list(c("hashtags"))} AS hashtags,
                   {sql_list(c("user_mentions"))} AS mentions,
                   {sql_list(c("urls"))} AS urls,
                   []::VARCHAR[] AS media,
                   {sql_int(c("like_count"))} AS like_count,
                   {sql_int(c("retweet_count"))} AS repost_count,
                   {sql_int(c("reply_count"))} AS reply_count,
                   {sql_int(c("quote_count"))} AS quote_count,
                   {_extra(names, known)} AS extra,
                   {iid} AS ingest_id, {seq0} + rowid AS _seq
            FROM raw
        """
        # One account row per author: the profile on its latest tweet, seen from first to last tweet.
        latest = "struct_pack(t := _t, s := _rid)"
        # The tweet time is converted once per row for both aggregations below.
        timed = f"(SELECT *, {created} AS _t, rowid AS _rid FROM raw)"
        profile = {
            "screen_name": "user_screen_name",
            "display_name": "user_display_name",
            "description": "user_profile_description",
            "location": "user_reported_location",
            "url": "user_profile_url",
            "lang": "account_language",
        }
        fields = ", ".join(f"{name} := {sql_str(c(col))}" for name, col in profile.items())
        fields += (
            f", created_at := {sql_time(c('account_creation_date'))}"
            f", followers_count := {sql_int(c('follower_count'))}"
            f", following_count := {sql_int(c('following_count'))}"
        )
        # One aggregate picks the whole latest profile (cheaper than one arg_max per field).
        stage.con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT platform, account_id, p.*, first_seen_at, last_seen_at, ingest_id, _seq
            FROM (
                SELECT {platform} AS platform, userid AS account_id,
                       arg_max(struct_pack({fields}), {latest}) AS p,
                       min(_t) AS first_seen_at, max(_t) AS last_seen_at,
                       {iid} AS ingest_id, {seq0} + max(_rid) AS _seq
                FROM {timed} GROUP BY userid)
            """
        )
        stage.progress(source.size * 3 // 4)
        # A snapshot each time an author's counts or names change.
        stage.con.execute(
            f"""
            INSERT INTO stg_account_snapshots BY NAME
            SELECT {platform} AS platform, userid AS account_id, min(_t) AS observed_at,
                   {sql_int(c("follower_count"))} AS followers_count,
                   {sql_int(c("following_count"))} AS following_count,
                   {sql_str(c("user_screen_name"))} AS screen_name,
                   {sql_str(c("user_display_name"))} AS display_name,
                   {sql_str(c("user_profile_description"))} AS description,
                   {iid} AS ingest_id, {seq0} + min(_rid) AS _seq
            FROM {timed}
            GROUP BY userid, {c("follower_count")}, {c("following_count")},
                     {c("user_screen_name")}, {c("user_display_name")},
                     {c("user_profile_description")}
            """
        )


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
