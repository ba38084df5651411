"""twarc-csv's flattened CSV of Twitter API v2 tweets (``twarc2 csv``).

Columns are read by name (twarc-csv's DEFAULT_TWEET_COLUMNS, any subset or order, extra columns
ignored): ``id``, ``author_id``, ``created_at``, ``text``, ``referenced_tweets.{replied_to,
retweeted,quoted}.id``, ``in_reply_to_user_id`` / ``retweeted_user_id`` / ``quoted_user_id``,
``entities.*``, ``public_metrics.*``, ``author.*``, ``__twarc.retrieved_at``... Quirks handled:

- ``entities.hashtags`` / ``mentions`` / ``urls`` and ``attachments.media`` are JSON arrays, either
  of the API's objects (``[{"start": 0, "end": 5, "tag": "abc"}]``) or, with twarc-csv's entity
  processing, of strings (``["#abc"]``, ``["@name"]``); a cell that is not a JSON array is a
  rejected row naming the field and value.
- Newlines in text were written as the two characters ``\\n``: they are turned back. Older
  releases JSON-encoded every text cell (``"\\"...\\""``); such files are decoded.
- Older releases have one ``referenced_tweets`` JSON column instead of the three id columns.
- twarc-csv gives a retweet row the retweeted tweet's text, entities and metrics (unless run with
  ``--no-merge-retweets``, whose retweet text starts with "RT @"): merged retweets get no counts,
  since the counts belong to the original tweet.

Authors become accounts and snapshots observed at ``__twarc.retrieved_at``, else at the tweet time.
"""

from __future__ import annotations

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.csvscan import header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import empty, lit, q, sql_bool, sql_int, sql_time

_POST_COUNTS = {
    "public_metrics.like_count": "like_count",
    "public_metrics.retweet_count": "repost_count",
    "public_metrics.reply_count": "reply_count",
    "public_metrics.quote_count": "quote_count",
}
_AUTHOR_COUNTS = {
    "author.public_metrics.followers_count": "followers_count",
    "author.public_metrics.following_count": "following_count",
    "author.public_metrics.tweet_count": "posts_count",
    "author.public_metrics.like_count": "likes_count",
    "author.public_metrics.listed_count": "listed_count",
}
_TYPED = {
    "created_at": "time",
    "author.created_at": "time",
    "__twarc.retrieved_at": "time",
    "public_metrics.impression_count": "int",
    "author.verified": "bool",
    "author.protected": "bool",
    **{c: "int" for c in _POST_COUNTS},
    **{c: "int" for c in _AUTHOR_COUNTS},
}
#: List columns: the object keys to take (first present wins) and the prefix processed strings carry.
_LISTS = {
    "entities.hashtags": (("tag",), "#"),
    "entities.mentions": (("id", "username"), "@"),
    "entities.urls": (("expanded_url", "unwound_url", "url"), ""),
    "entities.cashtags": (("tag",), "$"),
    "attachments.media": (("url", "preview_image_url", "media_key"), ""),
    "attachments.media_keys": ((), ""),
    "referenced_tweets": (("id",), ""),
}
#: Post columns kept in ``extra`` as text, under the names the v2 JSON reader uses.
_POST_EXTRA = {
    "conversation_id": "conversation_id",
    "in_reply_to_username": "in_reply_to_username",
    "retweeted_username": "retweeted_username",
    "quoted_username": "quoted_username",
    "reply_settings": "reply_settings",
    "withheld.country_codes": "withheld_country_codes",
    "matching_rules": "matching_rules",
    "attachments.poll_ids": "poll_ids",
}
#: Place columns, kept together in ``extra.geo``.
_GEO = {
    "geo.place_id": "place_id",
    "geo.full_name": "full_name",
    "geo.country_code": "country_code",
    "geo.place_type": "place_type",
}
_AUTHOR_EXTRA = {
    "author.verified_type": "verified_type",
    "author.pinned_tweet_id": "pinned_tweet_id",
    "author.withheld.country_codes": "withheld_country_codes",
}
_SIGNS = ("public_metrics.", "author.", "referenced_tweets", "entities.", "__twarc.")


def _json(col: str) -> str:
    """The cell as JSON, NULL when it is not valid JSON (never an error)."""
    return f"TRY_CAST({col} AS JSON)"


def _is_array(col: str) -> str:
    return f"coalesce(json_type({_json(col)}) = 'ARRAY', false)"


def _json_list(col: str, keys: tuple[str, ...], prefix: str) -> str:
    """The values of a JSON-array cell: each object's first present key, or each string."""
    parts = [f"json_extract_string(e, {lit('$.' + k)})" for k in keys]
    obj = f"coalesce({', '.join(parts)})" if parts else "NULL::VARCHAR"
    scalar = "json_extract_string(e, '$')"
    if prefix:
        scalar = f"ltrim({scalar}, {lit(prefix)})"
    item = f"CASE WHEN json_type(e) = 'OBJECT' THEN {obj} WHEN json_type(e) <> 'ARRAY' THEN {scalar} END"
    return (
        f"CASE WHEN {empty(col)} THEN []::VARCHAR[] WHEN {_is_array(col)} THEN "
        f"list_filter(list_transform(json_extract({_json(col)}, '$[*]'), lambda e: {item}), "
        f"lambda v: v IS NOT NULL AND v <> '') END"
    )


def _ref_id(col: str, rtype: str) -> str:
    """The id of the ``rtype`` reference in an old-style ``referenced_tweets`` JSON cell."""
    match = (
        f"list_filter(json_extract({_json(col)}, '$[*]'), "
        f"lambda e: json_extract_string(e, '$.type') = {lit(rtype)})[1]"
    )
    return f"CASE WHEN {_is_array(col)} THEN json_extract_string({match}, '$.id') END"


def _nonempty(col: str) -> str:
    return f"CASE WHEN {empty(col)} THEN NULL ELSE {col} END"


class TwarcCsvReader(Reader):
    format = "twarc_csv"
    description = "twarc-csv flattened CSV of Twitter API v2 tweets"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        cols = set(head.csv_header)
        if not {"id", "text"} <= cols or not cols & {"author_id", "author.id"}:
            return 0.0
        if cols & {"tweetid", "post_id", "account_id"}:
            return 0.0
        return 1.0 if any(c.startswith(_SIGNS) for c in cols) else 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = header_of(source)
        if "id" not in header:
            raise InputError(f"{source.name}: twarc CSV lacks column 'id'")
        # The scan checks the typed columns as it reads (a _reason per row); list cells that are
        # not JSON arrays are added to the reasons, then the bad rows go with their exact lines.
        names = scan_csv(stage, source, header, "raw", typed=_TYPED, required=["id"])
        stage.progress(source.size // 2)
        bad_list = _bad_list_reason(names)
        if bad_list:
            stage.con.execute(
                f"UPDATE raw SET _reason = {bad_list} WHERE _reason IS NULL AND {bad_list} IS NOT NULL"
            )
        reject_bad_rows(stage, "raw", names, _TYPED, ["id"])
        con = stage.con
        c = lambda n: q(n) if n in names else "NULL::VARCHAR"  # noqa: E731
        s = lambda n: _nonempty(c(n))  # noqa: E731

        # Text cells: JSON-encoded by older releases, "\n"-escaped by current ones.
        encoded = False
        if "text" in names:
            share = con.execute(
                "SELECT avg((starts_with(text, '\"') AND ends_with(text, '\"') "
                "AND TRY_CAST(text AS JSON) IS NOT NULL)::INT) FROM raw WHERE text <> ''"
            ).fetchone()[0]
            encoded = bool(share and share > 0.9)
            if encoded:
                stage.assumptions["text_cells"] = "JSON-encoded strings (older twarc-csv)"

        def text(col: str) -> str:
            if col not in names:
                return "NULL::VARCHAR"
            col_q = q(col)
            if encoded:
                as_json = _json(col_q)
                decoded = f"coalesce(CASE WHEN json_type({as_json}) = 'VARCHAR' "
                decoded += f"THEN json_extract_string({as_json}, '$') END, {col_q})"
            else:
                decoded = f"replace({col_q}, '\\n', chr(10))"
            return f"CASE WHEN {empty(col_q)} THEN NULL ELSE {decoded} END"

        def lst(col: str) -> str:
            if col not in names:
                return "[]::VARCHAR[]"
            keys, prefix = _LISTS[col]
            return _json_list(q(col), keys, prefix)

        old_refs = "referenced_tweets" in names
        refs = {}
        for rtype in ("retweeted", "replied_to", "quoted"):
            ref = s(f"referenced_tweets.{rtype}.id")
            if old_refs:
                ref = f"coalesce({ref}, {_ref_id(q('referenced_tweets'), rtype)})"
            refs[rtype] = ref
        rt, rp, qt = refs["retweeted"], refs["replied_to"], refs["quoted"]
        kind = (
            f"CASE WHEN {rt} IS NOT NULL THEN 'repost' WHEN {rp} IS NOT NULL THEN 'reply' "
            f"WHEN {qt} IS NOT NULL THEN 'quote' ELSE 'post' END"
        )
        target_account = (
            f"CASE WHEN {rt} IS NOT NULL THEN {s('retweeted_user_id')} "
            f"WHEN {rp} IS NOT NULL THEN {s('in_reply_to_user_id')} "
            f"WHEN {qt} IS NOT NULL THEN {s('quoted_user_id')} "
            f"ELSE {s('in_reply_to_user_id')} END"
        )
        merged_rt = f"({rt} IS NOT NULL AND NOT coalesce({text('text')} LIKE 'RT @%', false))"
        counts = ", ".join(
            f"CASE WHEN {merged_rt} THEN NULL ELSE {sql_int(c(src))} END AS {dst}"
            for src, dst in _POST_COUNTS.items()
        )
        media = (
            f"CASE WHEN len({lst('attachments.media')}) > 0 THEN {lst('attachments.media')} "
            f"ELSE {lst('attachments.media_keys')} END"
        )

        def obj(pairs: list[tuple[str, str]]) -> str:
            if not pairs:
                return "NULL::VARCHAR"
            inner = ", ".join(f"{k}, {v}" for k, v in pairs)
            return f"NULLIF(json_merge_patch('{{}}', json_object({inner}))::VARCHAR, '{{}}')"

        post_extra = [(lit(k), s(src)) for src, k in _POST_EXTRA.items() if src in names]
        if "possibly_sensitive" in names:
            post_extra.append(("'possibly_sensitive'", sql_bool(q("possibly_sensitive"))))
        geo = [(lit(k), s(src)) for src, k in _GEO.items() if src in names]
        if "geo.coordinates.coordinates" in names:
            coords = q("geo.coordinates.coordinates")
            geo.append(("'coordinates'", f"CASE WHEN {_is_array(coords)} THEN {_json(coords)} END"))
        if geo:
            post_extra.append(("'geo'", f"{obj(geo)}::JSON"))
        if "public_metrics.impression_count" in names:
            post_extra.append(("'impression_count'", sql_int(q("public_metrics.impression_count"))))
        if "entities.cashtags" in names:
            tags = lst("entities.cashtags")
            post_extra.append(("'cashtags'", f"CASE WHEN len({tags}) > 0 THEN {tags} END"))
        if "edit_history_tweet_ids" in names:
            hist = q("edit_history_tweet_ids")
            post_extra.append(
                (
                    "'edit_history_tweet_ids'",
                    f"CASE WHEN coalesce(json_array_length({_json(hist)}) > 1, false) "
                    f"THEN {_json(hist)} END",
                )
            )
        post_extra.append(("'quoted_post_id'", f"CASE WHEN {kind} <> 'quote' THEN {qt} END"))
        author_extra = [(lit(k), s(src)) for src, k in _AUTHOR_EXTRA.items() if src in names]

        platform = lit(stage.options.platform or "twitter")
        created = sql_time(c("created_at"))
        image = s("author.profile_image_url")
        seq0 = stage.next_seq(0)
        con.execute("DROP TABLE IF EXISTS twc")
        con.execute(
            f"""
            CREATE TEMP TABLE twc AS
            SELECT {platform} AS platform,
                   trim(id) AS post_id,
                   coalesce({s("author_id")}, {s("author.id")}) AS account_id,
                   {created} AS created_at,
                   {kind} AS kind,
                   {text("text")} AS text,
                   {s("lang")} AS lang,
                   {s("source")} AS client,
                   coalesce({rt}, {rp}, {qt}) AS target_post_id,
                   {target_account} AS target_account_id,
                   {lst("entities.hashtags")} AS hashtags,
                   {lst("entities.mentions")} AS mentions,
                   {lst("entities.urls")} AS urls,
                   {media} AS media,
                   {counts},
                   {obj(post_extra)} AS post_extra,
                   coalesce({sql_time(c("__twarc.retrieved_at"))}, {created}) AS observed_at,
                   {s("author.username")} AS screen_name,
                   {text("author.name")} AS display_name,
                   {text("author.description")} AS description,
                   {text("author.location")} AS location,
                   {s("author.url")} AS url,
                   {sql_time(c("author.created_at"))} AS account_created_at,
                   {sql_bool(c("author.verified"))} AS verified,
                   {sql_bool(c("author.protected"))} AS protected,
                   {image} AS profile_image_url,
                   ({image} LIKE '%default_profile_image%') AS default_profile_image,
                   {", ".join(f"{sql_int(c(src))} AS {dst}" for src, dst in _AUTHOR_COUNTS.items())},
                   {obj(author_extra)} AS account_extra,
                   {s("retweeted_user_id")} AS rt_user, {s("retweeted_username")} AS rt_name,
                   {s("quoted_user_id")} AS qt_user, {s("quoted_username")} AS qt_name,
                   {s("in_reply_to_user_id")} AS rp_user, {s("in_reply_to_username")} AS rp_name,
                   {seq0} + rowid AS _seq
            FROM raw
            """
        )
        con.execute("DROP TABLE raw")
        stage.progress(source.size * 3 // 4)
        iid = stage.ingest_id
        con.execute(
            f"""
            INSERT INTO stg_posts BY NAME
            SELECT platform, post_id, account_id, created_at, kind, text, lang, client,
                   target_post_id, target_account_id, hashtags, mentions, urls, media,
                   like_count, repost_count, reply_count, quote_count,
                   'second' AS time_precision, post_extra::JSON AS extra,
                   {iid} AS ingest_id, _seq
            FROM twc
            """
        )
        # Authors: one staged row per tweet; the merge keeps the latest value of every field.
        con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT platform, account_id, screen_name, display_name, description, location, url,
                   account_created_at AS created_at, verified, protected, default_profile_image,
                   profile_image_url, followers_count, following_count, posts_count,
                   likes_count, listed_count, observed_at AS first_seen_at,
                   observed_at AS last_seen_at, account_extra::JSON AS extra,
                   {iid} AS ingest_id, _seq
            FROM twc WHERE account_id IS NOT NULL
            """
        )
        # Accounts a tweet names (retweeted, quoted, replied to): their id and username only, and
        # no observation time, so they fill gaps without overriding what their own tweets say.
        con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT platform, account_id, screen_name, {iid} AS ingest_id, _seq FROM (
                SELECT platform, rt_user AS account_id, rt_name AS screen_name, _seq FROM twc
                UNION ALL SELECT platform, qt_user, qt_name, _seq FROM twc
                UNION ALL SELECT platform, rp_user, rp_name, _seq FROM twc
            ) WHERE account_id IS NOT NULL
            """
        )
        con.execute(
            f"""
            INSERT INTO stg_account_snapshots BY NAME
            SELECT platform, account_id, observed_at,
                   arg_min(followers_count, _seq) AS followers_count,
                   arg_min(following_count, _seq) AS following_count,
                   arg_min(posts_count, _seq) AS posts_count,
                   arg_min(likes_count, _seq) AS likes_count,
                   arg_min(screen_name, _seq) AS screen_name,
                   arg_min(display_name, _seq) AS display_name,
                   arg_min(description, _seq) AS description,
                   {iid} AS ingest_id, min(_seq) AS _seq
            FROM twc
            WHERE account_id IS NOT NULL AND observed_at IS NOT NULL
              AND coalesce(followers_count, following_count, posts_count) IS NOT NULL
            GROUP BY platform, account_id, observed_at
            """
        )
        con.execute("DROP TABLE twc")


def _bad_list_reason(names: list[str]) -> str | None:
    """SQL naming the first list cell of a row that is not a JSON array, with its value."""
    checks = []
    for col in _LISTS:
        if col in names:
            qc = q(col)
            checks.append(
                f"WHEN NOT {empty(qc)} AND NOT {_is_array(qc)} THEN "
                f"{lit(f'field {col}: value ' + chr(39))} || left({qc}, 80) || "
                f"{lit(chr(39) + ' is not a JSON array')}"
            )
    return f"(CASE {' '.join(checks)} END)" if checks else None
