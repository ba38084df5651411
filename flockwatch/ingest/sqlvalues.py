"""SQL expressions that turn text cells into canonical values, shared by the SQL (CSV) readers.

Each ``sql_*`` function takes a quoted column expression and returns an expression that is NULL for
an empty cell and NULL for a bad one; :func:`bad_value_reason` gives, per row, the first field whose
non-empty value could not be converted, so the row can be rejected with its field and value.
"""

from __future__ import annotations

EMPTY = "('', 'null', 'NULL', 'None', 'nan', 'NaN', 'N/A', '-', 'absent')"
#: YYYY-MM-DD, optionally with HH:MM or HH:MM:SS (in RE2, \d is an ASCII digit).
PLAIN_TIME = r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?"
#: A Python-repr list whose items hold no quote: ['a'], ['a', 'b'] (as an SQL literal: '' is ').
SIMPLE_LIST = r"\[''[^''\"]*''(, ''[^''\"]*'')*\]"


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def empty(col: str) -> str:
    # trim() is the costly part and removes only spaces: a value longer than the longest marker
    # can trim down to one only if it starts or ends with " " or holds non-ASCII text (where the
    # other spaces are).
    may_trim = (
        f"strlen({col}) <= 6 OR starts_with({col}, ' ') OR ends_with({col}, ' ') "
        f"OR strlen({col}) <> length({col})"
    )
    return f"({col} IS NULL OR (({may_trim}) AND trim({col}) IN {EMPTY}))"


def sql_str(col: str) -> str:
    return f"CASE WHEN {col} IS NULL OR {col} = '' THEN NULL ELSE {col} END"


def sql_time(col: str) -> str:
    """ISO 8601 (any offset), 'YYYY-MM-DD HH:MM', Twitter v1.1 times, epoch seconds/ms -> UTC.

    The common case (ISO-like text) is a single cast; the slower forms are tried only for the
    rows it fails on.
    """
    t = f"trim({col})"
    # Digits in the shape of a date, a minute or a second and nothing else (no room for a zone):
    # the plain TIMESTAMP cast gives the same value as the zone-aware one, at a fraction of the
    # cost (takedown files hold millions of such times).
    plain = (
        f"CASE WHEN regexp_full_match({col}, '{PLAIN_TIME}') THEN TRY_CAST({col} AS TIMESTAMP) END"
    )
    return (
        f"CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
        f"ELSE coalesce({plain}, TRY_CAST({col} AS TIMESTAMPTZ)::TIMESTAMP, "
        f"CASE WHEN regexp_full_match({t}, '\\d{{12,13}}') "
        f"THEN to_timestamp(TRY_CAST({t} AS DOUBLE) / 1000)::TIMESTAMP "
        f"WHEN regexp_full_match({t}, '\\d{{9,11}}(\\.\\d+)?') "
        f"THEN to_timestamp(TRY_CAST({t} AS DOUBLE))::TIMESTAMP "
        f"ELSE coalesce(try_strptime({t}, '%a %b %d %H:%M:%S %z %Y'), "
        f"TRY_CAST({t} AS TIMESTAMPTZ))::TIMESTAMP END) END"
    )


def sql_int(col: str) -> str:
    return (
        f"CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
        f"ELSE coalesce(TRY_CAST({col} AS BIGINT), "
        f"TRY_CAST(TRY_CAST(trim({col}) AS DOUBLE) AS BIGINT)) END"
    )


def sql_bool(col: str) -> str:
    t = f"lower(trim({col}))"
    return (
        f"CASE WHEN {col} = 'true' THEN true WHEN {col} = 'false' THEN false "  # the usual case
        f"WHEN {empty(col)} THEN NULL "
        f"WHEN {t} IN ('true', 't', '1', 'yes', 'y', '1.0') THEN true "
        f"WHEN {t} IN ('false', 'f', '0', 'no', 'n', '0.0') THEN false END"
    )


def sql_list(col: str) -> str:
    """A list cell: Python repr or JSON array ("['a', 'b']"), bare "[1, 2]", or "a, b" / "a|b"."""
    t = f"trim({col})"
    quoted = f"list_transform(regexp_extract_all({t}, '''[^'']*''|\"[^\"]*\"'), lambda x: x[2:length(x) - 1])"
    # The usual cell, a Python repr like ['a', 'b'] whose items hold no quote: a split on the
    # separators gives the same items as the pattern above, for a fraction of its cost.
    simple = f"regexp_full_match({col}, '{SIMPLE_LIST}')"
    split = f"string_split(({col})[3:-3], ''', ''')"
    bare = f"list_filter(list_transform(regexp_split_to_array(trim({t}, '[] '), '[,|]'), lambda x: trim(x)), lambda x: x <> '')"
    return (
        f"CASE WHEN {col} IS NULL OR {col} = '' OR {col} = '[]' OR {empty(col)} "
        "THEN []::VARCHAR[] "
        f"WHEN {simple} THEN {split} "
        f"WHEN {t} LIKE '[%' AND ({t} LIKE '%''%' OR {t} LIKE '%\"%') THEN {quoted} "
        f"ELSE {bare} END"
    )


CONVERTERS = {"time": sql_time, "int": sql_int, "bool": sql_bool}
TYPE_WORDS = {
    "time": "a time (ISO 8601, 'YYYY-MM-DD HH:MM', or epoch seconds)",
    "int": "a whole number",
    "bool": "true/false",
}


def bad_value_reason(fields: dict[str, str], converted: dict[str, str] | None = None) -> str:
    """SQL giving 'field X: value 'v' is not ...' for the first bad field of a row, else NULL.

    ``fields`` maps a raw column name to its kind (time, int, bool); ``converted`` may name, for
    some of them, a column that already holds the converted value.
    """
    if not fields:
        return "NULL"
    converted = converted or {}
    whens = []
    for name, kind in fields.items():
        col = q(name)
        conv = q(converted[name]) if name in converted else CONVERTERS[kind](col)
        # The rare failed conversion first: the emptiness test then runs on those rows only.
        whens.append(
            f"WHEN ({conv}) IS NULL AND NOT {empty(col)} THEN "
            + lit(f"field {name}: value '")
            + f" || left({col}, 80) || "
            + lit(f"' is not {TYPE_WORDS[kind]}")
        )
    reason = "CASE " + " ".join(whens) + " END"
    if fields.keys() <= converted.keys():
        # Every value converted already: a row whose conversions all gave a value is good, and
        # telling that needs no look at the text.
        fine = " AND ".join(f"{q(converted[name])} IS NOT NULL" for name in fields)
        reason = f"CASE WHEN {fine} THEN NULL ELSE {reason} END"
    return reason


def raw_csv_line(names: list[str]) -> str:
    """SQL rebuilding a row's CSV text from its cells (for rejected_rows.raw)."""
    parts = [f"coalesce('\"' || replace({q(n)}, '\"', '\"\"') || '\"', '')" for n in names]
    return " || ',' || ".join(parts) if parts else "''"
