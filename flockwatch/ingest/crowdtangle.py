"""CrowdTangle CSV exports: posts (``crowdtangle_posts``: search and historical exports of Facebook
pages and groups, and of Instagram accounts) and one post's engagement history
(``crowdtangle_post_history``: ``history_post_<id>.csv``). CrowdTangle was shut down in 2024;
its exports still circulate in research archives.

Quirks handled (DuckDB reads the file, so big historical exports stream):

- a UTF-8 byte-order mark and quoted fields spanning lines;
- numbers formatted for the exporting account's locale: "407.137" (thousands dot) with "1,4"
  (decimal comma) in pt-BR exports, "407,137" and "1.4" in en-US ones. The convention is detected
  per file from the values (grouped counts, then decimals) and recorded in the ingest's
  assumptions; a count that does not fit it is rejected with the field and value;
- times with the account's time-zone abbreviation ("2021-07-05 18:02:45 BRT") or numeric offset
  ("-03") are converted to UTC with a table of common abbreviations (CST is US Central, not
  China). An abbreviation not in the table (or ambiguous, like IST) is rejected with a reason that
  names it, unless ``--tz`` names the zone to read such times in. ``Page Created`` carries no zone:
  it is read in the zone of the same row's ``Post Created``;
- "", "-" and "N/A" mean missing.

Mapping: the platform is inferred per row from the post URL (facebook.com / instagram.com), else
from the columns (``Facebook Id`` means Facebook); ``--platform`` overrides. A post's id is the
number that ends its URL (Facebook) or its shortcode (Instagram: ``/p/<code>/``); its account is
the page or group (``Facebook Id``; Instagram exports have no ids, so the lower-case ``User Name``,
the same id Instagram's follower exports give). Facebook pages and groups are also ``groups`` rows
(kind ``page`` or ``group``, from the URL), with their category and admin country in ``extra``.
``Followers at Posting`` is a snapshot of the account at the post's time. Likes, Comments, Shares
map to like/reply/repost counts; reactions, views, scores and every other column go to ``extra``.
When the file name carries the export time (``2021-07-05-22-49-20-BRT-search-csv-export.csv``),
each post's engagement at that time is also a ``post_snapshots`` row, so repeated exports build
an engagement series.

The per-post history export has the post's creation time and URL in its header row; each row is an
engagement measurement at ``Score Date (GMT)`` and becomes a ``post_snapshots`` row (counts, views,
reactions and the over/under-performing score in ``extra``); no post row is made, since the file
does not say whose post it is.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.csvscan import header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import EMPTY, lit, q

#: UTC offsets (minutes) of the time-zone abbreviations CrowdTangle accounts used. Ambiguous ones
#: (IST: India, Ireland or Israel; AST; GST; AMT; BST is taken as British Summer Time) are left out.
TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST-IE": 60,
    "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180,
    "MSK": 180, "TRT": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "NST": -210, "NDT": -150,
    "BRT": -180, "BRST": -120, "ART": -180, "CLT": -240, "CLST": -180, "COT": -300,
    "PET": -300, "VET": -240, "UYT": -180, "PYT": -240, "PYST": -180, "BOT": -240,
    "WAT": 60, "CAT": 120, "EAT": 180, "SAST": 120,
    "PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420, "WITA": 480, "WIT": 540,
    "SGT": 480, "MYT": 480, "HKT": 480, "PHT": 480, "PHST": 480, "JST": 540, "KST": 540,
    "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780,
}  # fmt: skip
TZ_ABBREVIATIONS.pop("IST-IE")

#: Counts (whole numbers) and what they map to; any other count column goes to extra.
_COUNTS = {"Likes": "like_count", "Comments": "reply_count", "Shares": "repost_count"}
_EXTRA_COUNTS = (
    "Love",
    "Wow",
    "Haha",
    "Sad",
    "Angry",
    "Care",
    "Total Interactions",
    "Post Views",
    "Total Views",
    "Total Views For All Crossposts",
    "Views",
    "Likes at Posting",
    "Followers at Posting",
)
_NAME_COLUMNS = ("Page Name", "Group Name", "Account")
_MAPPED = {
    "Facebook Id",
    "Page Category",
    "Page Admin Top Country",
    "Likes at Posting",
    "Followers at Posting",
    "User Name",
    "Page Description",
    "Page Created",
    "Post Created",
    "Post Created Date",
    "Post Created Time",
    "URL",
    "Message",
    "Link",
    "Final Link",
    "Photo",
    *_NAME_COLUMNS,
    *_COUNTS,
}
_EXPORT_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-([A-Z]{1,6})")


def _is_count(name: str) -> bool:
    return name in _COUNTS or name in _EXTRA_COUNTS or name.startswith("Total Interactions")


def _is_decimal(name: str) -> bool:
    return name.startswith("Overperforming")


# -- SQL pieces ---------------------------------------------------------------------------------


def _t(col: str) -> str:
    return f"trim({col})"


def _blank(col: str) -> str:
    return f"({col} IS NULL OR trim({col}) IN {EMPTY})"


def sql_count(col: str, thousands: str) -> str:
    """A locale-formatted whole number ("407.137" with thousands '.') -> BIGINT, else NULL."""
    t = _t(col)
    sep = re.escape(thousands)
    return (
        f"CASE WHEN regexp_full_match({t}, '-?\\d+') THEN TRY_CAST({t} AS BIGINT) "
        f"WHEN regexp_full_match({t}, '-?\\d{{1,3}}({sep}\\d{{3}})+') "
        f"THEN TRY_CAST(replace({t}, {lit(thousands)}, '') AS BIGINT) END"
    )


def sql_decimal(col: str, thousands: str, decimal: str) -> str:
    """A locale-formatted decimal ("1,4", "2.3x" in histories) -> DOUBLE, else NULL."""
    t = f"rtrim({_t(col)}, 'x')"
    ts = re.escape(thousands)
    ds = re.escape(decimal)
    number = f"replace(replace({t}, {lit(thousands)}, ''), {lit(decimal)}, '.')"
    return (
        f"CASE WHEN regexp_full_match({t}, '-?(\\d+|\\d{{1,3}}({ts}\\d{{3}})+)({ds}\\d+)?') "
        f"THEN TRY_CAST({number} AS DOUBLE) END"
    )


_TIME_RE = (
    "^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2}(?::\\d{2})?)"
    "(?:\\s*([A-Za-z]{1,6}|[+-]\\d{2}(?::?\\d{2})?))?$"
)


def _time_parts(col: str) -> tuple[str, str]:
    t = _t(col)
    return (
        f"regexp_extract({t}, {lit(_TIME_RE)}, 1)",
        f"upper(regexp_extract({t}, {lit(_TIME_RE)}, 2))",
    )


def sql_offset(abbr: str) -> str:
    """Minutes east of UTC of an abbreviation or a numeric offset; NULL when unknown."""
    known = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in TZ_ABBREVIATIONS.items())
    numeric = (
        f"(CASE WHEN {abbr} LIKE '-%' THEN -1 ELSE 1 END) * "
        f"(TRY_CAST(substr({abbr}, 2, 2) AS INTEGER) * 60 "
        f"+ coalesce(TRY_CAST(nullif(substr(replace({abbr}, ':', ''), 4, 2), '') AS INTEGER), 0))"
    )
    return (
        f"CASE WHEN {abbr} LIKE '+%' OR {abbr} LIKE '-%' THEN {numeric} "
        f"ELSE CASE {abbr} {known} END END"
    )


def _in_zone(ts: str, tz: str) -> str:
    return ts if tz == "UTC" else f"timezone({lit(tz)}, {ts})::TIMESTAMP"


def sql_time(col: str, tz: str, tz_given: bool, offset_from: str | None = None) -> str:
    """A CrowdTangle time -> UTC TIMESTAMP (NULL when it cannot be read).

    ``offset_from``: for a time without zone, the offset (minutes) to use instead of ``tz``."""
    part, abbr = _time_parts(col)
    base = f"TRY_CAST({part} AS TIMESTAMP)"
    offset = sql_offset(abbr)
    no_zone = _in_zone(base, tz)
    if offset_from is not None:
        no_zone = f"coalesce({base} - to_minutes({offset_from}), {no_zone})"
    unknown = _in_zone(base, tz) if tz_given else "NULL::TIMESTAMP"
    return (
        f"CASE WHEN {_blank(col)} OR {part} = '' THEN NULL "
        f"WHEN {abbr} = '' THEN {no_zone} "
        f"WHEN ({offset}) IS NULL THEN {unknown} "
        f"ELSE {base} - to_minutes({offset}) END"
    )


def time_reason(name: str, tz_given: bool) -> str:
    col = q(name)
    part, abbr = _time_parts(col)
    value = f"left({_t(col)}, 80)"
    checks = (
        f"WHEN NOT {_blank(col)} AND ({part} = '' OR TRY_CAST({part} AS TIMESTAMP) IS NULL) "
        f"THEN {lit(f'field {name}: value ')} || '''' || {value} || ''' is not a time' "
    )
    if not tz_given:
        checks += (
            f"WHEN NOT {_blank(col)} AND {abbr} <> '' AND ({sql_offset(abbr)}) IS NULL "
            f"THEN {lit(f'field {name}: unknown time-zone abbreviation ')} || '''' || {abbr} "
            f"|| ''' in ''' || {value} || '''; pass --tz ZONE to read such times in that zone' "
        )
    return checks


def count_reason(name: str, thousands: str) -> str:
    col = q(name)
    return (
        f"WHEN NOT {_blank(col)} AND ({sql_count(col, thousands)}) IS NULL "
        f"THEN {lit(f'field {name}: value ')} || '''' || left({_t(col)}, 80) || "
        f"{lit(chr(39) + f' is not a whole number (this file writes thousands with {thousands!r})')} "
    )


def decimal_reason(name: str, thousands: str, decimal: str) -> str:
    col = q(name)
    return (
        f"WHEN NOT {_blank(col)} AND ({sql_decimal(col, thousands, decimal)}) IS NULL "
        f"THEN {lit(f'field {name}: value ')} || '''' || left({_t(col)}, 80) || "
        f"{lit(chr(39) + f' is not a number (this file writes decimals with {decimal!r})')} "
    )


def detect_numbers(stage: Stage, names: list[str]) -> tuple[str, str]:
    """(thousands separator, decimal separator) of the file, from its count and score cells."""
    counts = [n for n in names if _is_count(n)]
    decimals = [n for n in names if _is_decimal(n)]

    def tally(cols: list[str], pattern: str) -> int:
        if not cols:
            return 0
        cells = " + ".join(f"count_if(regexp_full_match({_t(q(c))}, {lit(pattern)}))" for c in cols)
        return stage.con.execute(f"SELECT {cells} FROM raw").fetchone()[0] or 0

    dot_groups = tally(counts, r"-?\d{1,3}(\.\d{3})+")
    comma_groups = tally(counts, r"-?\d{1,3}(,\d{3})+")
    # Decimals that cannot be thousands: not exactly three digits after the separator.
    comma_decimals = tally(decimals, r"-?\d+,(\d{1,2}|\d{4,})x?")
    dot_decimals = tally(decimals, r"-?\d+\.(\d{1,2}|\d{4,})x?")
    comma_style = dot_groups + comma_decimals  # pt-BR, de-DE ...: 407.137 and 1,4
    dot_style = comma_groups + dot_decimals  # en-US: 407,137 and 1.4
    result = (".", ",") if comma_style > dot_style else (",", ".")
    if comma_style or dot_style:
        stage.assumptions["numbers"] = (
            f"thousands separator {result[0]!r}, decimal separator {result[1]!r} "
            f"(detected from {comma_style + dot_style} formatted values)"
        )
    return result


def _export_time(name: str) -> datetime | None:
    """The export time in a CrowdTangle file name ("2021-07-05-22-49-20-BRT-..."), as UTC."""
    m = _EXPORT_TIME.search(name.rsplit("/", 1)[-1])
    if not m:
        return None
    y, mo, d, h, mi, s, abbr = m.groups()
    offset = TZ_ABBREVIATIONS.get(abbr)
    if offset is None:
        return None
    try:
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s)) - timedelta(
            minutes=offset
        )
    except ValueError:
        return None


def _header(source: Source) -> list[str]:
    """Column names; a byte-order mark is dropped even when a tool quoted it into the first."""
    return [h.lstrip("\ufeff").strip() for h in header_of(source)]


def _str(col: str) -> str:
    return f"CASE WHEN {_blank(col)} THEN NULL ELSE {col} END"


def _json_text(cols: list[str]) -> str:
    parts = ", ".join(f"{lit(c)}, {_str(q(c))}" for c in cols)
    return f"json_object({parts})" if cols else "'{}'::JSON"


# -- readers ------------------------------------------------------------------------------------


def _tz(stage: Stage) -> tuple[str, bool]:
    tz = stage.options.tz or "UTC"
    try:
        stage.con.execute(f"SELECT timezone({lit(tz)}, TIMESTAMP '2020-01-01')").fetchone()
    except Exception as exc:  # noqa: BLE001 - DuckDB raises several kinds for a bad zone
        raise InputError(f"--tz {tz!r}: not a known time zone name") from exc
    return tz, tz != "UTC"


class CrowdTanglePostsReader(Reader):
    format = "crowdtangle_posts"
    description = "CrowdTangle search/historical CSV export (Facebook pages and groups, Instagram)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        cols = set(head.csv_header)
        if (
            {"Post Created", "URL"} <= cols
            and ("Facebook Id" in cols or "User Name" in cols)
            and cols & set(_NAME_COLUMNS)
        ):
            return 0.95
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = _header(source)
        lacking = [c for c in ("Post Created", "URL") if c not in header]
        if lacking or not ({"Facebook Id", "User Name"} & set(header)):
            raise InputError(
                f"{source.name}: a CrowdTangle posts export needs columns Post Created, URL and "
                f"Facebook Id or User Name; it lacks {lacking or ['Facebook Id/User Name']}"
            )
        tz, tz_given = _tz(stage)
        names = scan_csv(stage, source, header, "raw")
        stage.temp_tables.append("raw")
        stage.progress(source.size // 3)
        con = stage.con
        thousands, decimal = detect_numbers(stage, names)
        c = lambda n: q(n) if n in names else "NULL::VARCHAR"  # noqa: E731
        has_fb_id = "Facebook Id" in names
        id_col = "Facebook Id" if has_fb_id else "User Name"

        # Why a row cannot be stored: the first missing or unreadable field.
        checks = [
            f"WHEN {_blank(q(n))} THEN {lit(f'field {n}: required value is missing')} "
            for n in ("URL", "Post Created")
        ]
        no_id = _blank(q(id_col))
        if has_fb_id and "User Name" in names:  # Instagram rows of a mixed export: no page id
            no_id = f"({no_id} AND {_blank(q('User Name'))})"
        checks.append(f"WHEN {no_id} THEN {lit(f'field {id_col}: required value is missing')} ")
        checks.append(time_reason("Post Created", tz_given))
        if "Page Created" in names:
            checks.append(time_reason("Page Created", tz_given))
        checks += [count_reason(n, thousands) for n in names if _is_count(n)]
        checks += [decimal_reason(n, thousands, decimal) for n in names if _is_decimal(n)]
        con.execute("ALTER TABLE raw ADD COLUMN _reason VARCHAR")
        con.execute(f"UPDATE raw SET _reason = CASE {' '.join(checks)} END")
        reject_bad_rows(stage, "raw", names, {}, [])
        stage.progress(source.size * 2 // 3)

        url = _t(q("URL"))
        columns_platform = "'facebook'" if has_fb_id else "'instagram'"
        platform = (
            lit(stage.options.platform)
            if stage.options.platform
            else f"CASE WHEN {url} ILIKE '%instagram.com%' THEN 'instagram' "
            f"WHEN {url} ILIKE '%facebook.com%' OR {url} ILIKE '%fb.com%' THEN 'facebook' "
            f"ELSE {columns_platform} END"
        )
        instagram = f"({url} ILIKE '%instagram.com%' OR (NOT {has_fb_id} AND {url} NOT ILIKE '%facebook.com%'))"
        post_id = (
            f"CASE WHEN {instagram} THEN coalesce(nullif(regexp_extract({url}, "
            f"'instagram\\.com/(?:[^/]+/)?(?:p|reel|tv)/([^/?#]+)', 1), ''), {url}) "
            f"ELSE coalesce(nullif(regexp_extract({url}, '[?&](?:story_fbid|fbid|v)=(\\d+)', 1), ''), "
            f"nullif(regexp_extract({url}, '(\\d+)/?(?:[?#].*)?$', 1), ''), {url}) END"
        )
        account = f"trim({q('Facebook Id')})" if has_fb_id else f"lower(trim({q('User Name')}))"
        if has_fb_id and "User Name" in names:
            # Instagram rows in a mixed export have no Facebook id.
            account = (
                f"CASE WHEN {_blank(q('Facebook Id'))} THEN lower(trim({q('User Name')})) "
                f"ELSE trim({q('Facebook Id')}) END"
            )
        name_col = next((n for n in _NAME_COLUMNS if n in names), None)
        created = sql_time(q("Post Created"), tz, tz_given)
        _, abbr = _time_parts(q("Post Created"))
        page_created = (
            sql_time(q("Page Created"), tz, tz_given, offset_from=f"({sql_offset(abbr)})")
            if "Page Created" in names
            else "NULL::TIMESTAMP"
        )
        counts = {
            n: sql_count(q(n), thousands) if n in names else "NULL::BIGINT"
            for n in (*_COUNTS, *_EXTRA_COUNTS)
        }
        extra_text = [
            n for n in names if n not in _MAPPED and not _is_count(n) and not _is_decimal(n)
        ]
        extra_numbers = [n for n in names if n not in _MAPPED and (_is_count(n) or _is_decimal(n))]
        numbers = ", ".join(
            f"{lit(n)}, "
            + (
                sql_decimal(q(n), thousands, decimal)
                if _is_decimal(n)
                else sql_count(q(n), thousands)
            )
            for n in extra_numbers
        )
        extra = (
            f"json_merge_patch({_json_text(extra_text)}, "
            f"{f'json_object({numbers})' if numbers else chr(39) + '{}' + chr(39)})"
        )
        text = (
            f"coalesce({_str(c('Message'))}, CASE WHEN {instagram} THEN "
            f"coalesce({_str(c('Description'))}, {_str(c('Title'))}) END)"
        )
        link, final = _str(c("Link")), _str(c("Final Link"))
        links = (
            f"list_filter([{link}, CASE WHEN {final} IS DISTINCT FROM {link} THEN {final} END], "
            "lambda x: x IS NOT NULL)"
        )
        seq0 = stage.next_seq(0)
        con.execute(
            f"""
            CREATE TEMP TABLE ct AS
            SELECT {platform} AS platform, {post_id} AS post_id, {account} AS account_id,
                   {created} AS created_at, {page_created} AS page_created,
                   {_str(c(name_col)) if name_col else "NULL::VARCHAR"} AS page_name,
                   {_str(c("User Name"))} AS user_name,
                   {_str(c("Page Description"))} AS page_description,
                   {text} AS text, {links} AS urls,
                   CASE WHEN {_blank(c("Photo"))} THEN []::VARCHAR[] ELSE [trim({c("Photo")})] END
                       AS media,
                   {counts["Likes"]} AS like_count, {counts["Shares"]} AS repost_count,
                   {counts["Comments"]} AS reply_count,
                   coalesce({counts["Post Views"]}, {counts["Views"]}) AS view_count,
                   {counts["Followers at Posting"]} AS followers,
                   {counts["Likes at Posting"]} AS page_likes,
                   {_str(c("Page Category"))} AS page_category,
                   {_str(c("Page Admin Top Country"))} AS page_country,
                   CASE WHEN {url} ILIKE '%/groups/%' THEN 'group' ELSE 'page' END AS page_kind,
                   NULLIF(json_merge_patch('{{}}', {extra})::VARCHAR, '{{}}')::JSON AS extra,
                   {seq0} + rowid AS _seq
            FROM raw
            """
        )
        stage.temp_tables.append("ct")
        iid = stage.ingest_id
        con.execute(
            f"""
            INSERT INTO stg_posts BY NAME
            SELECT platform, post_id, account_id, created_at, 'post' AS kind, text, urls, media,
                   []::VARCHAR[] AS hashtags, []::VARCHAR[] AS mentions,
                   like_count, repost_count, reply_count, 'second' AS time_precision, extra,
                   {iid} AS ingest_id, _seq
            FROM ct
            """
        )
        # The page (or account) as it was at its latest post; a snapshot of its followers at each.
        con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT platform, account_id,
                   arg_max(user_name, created_at) AS screen_name,
                   arg_max(page_name, created_at) AS display_name,
                   arg_max(page_description, created_at) AS description,
                   min(page_created) AS created_at,
                   arg_max(followers, created_at) FILTER (WHERE followers IS NOT NULL)
                       AS followers_count,
                   min(created_at) AS first_seen_at, max(created_at) AS last_seen_at,
                   {iid} AS ingest_id, max(_seq) AS _seq
            FROM ct GROUP BY platform, account_id
            """
        )
        con.execute(
            f"""
            INSERT INTO stg_account_snapshots BY NAME
            SELECT platform, account_id, created_at AS observed_at,
                   any_value(followers) AS followers_count, any_value(user_name) AS screen_name,
                   any_value(page_name) AS display_name, {iid} AS ingest_id, min(_seq) AS _seq
            FROM ct WHERE followers IS NOT NULL
            GROUP BY platform, account_id, created_at
            """
        )
        con.execute(
            f"""
            INSERT INTO stg_groups BY NAME
            SELECT platform, account_id AS group_id, arg_max(page_kind, created_at) AS kind,
                   arg_max(page_name, created_at) AS name,
                   arg_max(page_description, created_at) AS description,
                   min(page_created) AS created_at,
                   arg_max(followers, created_at) FILTER (WHERE followers IS NOT NULL)
                       AS members_count,
                   NULLIF(json_merge_patch('{{}}', json_object(
                       'user_name', arg_max(user_name, created_at),
                       'page_likes', arg_max(page_likes, created_at),
                       'category', arg_max(page_category, created_at),
                       'admin_top_country', arg_max(page_country, created_at)
                   ))::VARCHAR, '{{}}')::JSON AS extra,
                   {iid} AS ingest_id, max(_seq) AS _seq
            FROM ct WHERE platform = 'facebook'
            GROUP BY platform, account_id
            """
        )
        exported = _export_time(source.name)
        if exported is not None:
            stage.assumptions["exported_at"] = (
                f"{exported.isoformat(sep=' ')} UTC, from the file name: engagement counts are "
                "also post snapshots at that time"
            )
            con.execute(
                f"""
                INSERT INTO stg_post_snapshots BY NAME
                SELECT platform, post_id, TIMESTAMP '{exported.isoformat(sep=" ")}' AS observed_at,
                       like_count, repost_count, reply_count, view_count, {iid} AS ingest_id, _seq
                FROM ct
                """
            )


_HISTORY_COUNTS = {
    "Likes": "like_count",
    "Comments": "reply_count",
    "Shares": "repost_count",
    "Post Views": "view_count",
}


class CrowdTanglePostHistoryReader(Reader):
    format = "crowdtangle_post_history"
    description = "CrowdTangle per-post engagement history CSV (history_post_<id>.csv)"
    primary_table = "post_snapshots"

    def sniff(self, head: Head) -> float:
        cols = head.csv_header
        if cols[:1] == ["ID"] and "Score Date (GMT)" in cols and "Timestep" in cols:
            return 0.95
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = _header(source)
        if "Score Date (GMT)" not in header or "ID" not in header:
            raise InputError(
                f"{source.name}: a CrowdTangle post history needs columns ID and Score Date (GMT)"
            )
        # The header row ends with "Post Date (GMT)", the date, and the post's URL.
        post_date = post_url = None
        if "Post Date (GMT)" in header:
            i = header.index("Post Date (GMT)")
            post_date = header[i + 1] if i + 1 < len(header) else None
            post_url = header[i + 2] if i + 2 < len(header) else None
        names = scan_csv(stage, source, header, "raw")
        stage.temp_tables.append("raw")
        con = stage.con
        thousands, decimal = detect_numbers(stage, names)
        meta = names[names.index("Post Date (GMT)") :] if "Post Date (GMT)" in names else []
        numeric = [n for n in names if n not in ("ID", "Score Date (GMT)", *meta)]
        counts = [n for n in numeric if not n.startswith("Overperforming")]
        scores = [n for n in names if n.startswith("Overperforming")]
        checks = [
            f"WHEN {_blank(q(n))} THEN {lit(f'field {n}: required value is missing')} "
            for n in ("ID", "Score Date (GMT)")
        ]
        checks.append(time_reason("Score Date (GMT)", True))
        checks += [count_reason(n, thousands) for n in counts]
        checks += [decimal_reason(n, thousands, decimal) for n in scores]
        con.execute("ALTER TABLE raw ADD COLUMN _reason VARCHAR")
        con.execute(f"UPDATE raw SET _reason = CASE {' '.join(checks)} END")
        reject_bad_rows(stage, "raw", names, {}, [])

        url = post_url or ""
        platform = stage.options.platform or ("instagram" if "instagram.com" in url else "facebook")
        mapped = {
            dst: sql_count(q(src), thousands) if src in names else "NULL::BIGINT"
            for src, dst in _HISTORY_COUNTS.items()
        }
        others = [n for n in counts if n not in _HISTORY_COUNTS]
        parts = [
            f"{lit(n.lower().replace(' ', '_'))}, {sql_count(q(n), thousands)}" for n in others
        ]
        parts += [
            f"{lit('overperforming_score')}, {sql_decimal(q(n), thousands, decimal)}"
            for n in scores
        ]
        parts += [f"'post_url', {lit(url) if url else 'NULL'}"]
        parts += [f"'post_created_at', {lit(post_date) if post_date else 'NULL'}"]
        seq0 = stage.next_seq(0)
        con.execute(
            f"""
            INSERT INTO stg_post_snapshots BY NAME
            SELECT {lit(platform)} AS platform, trim({q("ID")}, ' \t') AS post_id,
                   {sql_time(q("Score Date (GMT)"), "UTC", False)} AS observed_at,
                   {", ".join(f"{expr} AS {dst}" for dst, expr in mapped.items())},
                   NULLIF(json_merge_patch('{{}}', json_object({", ".join(parts)}))::VARCHAR, '{{}}')::JSON
                       AS extra,
                   {stage.ingest_id} AS ingest_id, {seq0} + rowid AS _seq
            FROM raw
            """
        )
