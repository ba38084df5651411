"""SQL expressions that turn text cells into canonical values, shared by the SQL (CSV) readers.

Each ``sql_*`` function takes a quoted column expression and returns an expression that is NULL for
an empty cell and NULL for a bad one; :func:`bad_value_reason` gives, per row, the first field whose
non-empty value could not be converted, so the row can be rejected with its field and value.
"""

from __future__ import annotations

EMPTY = "('', 'null', 'NULL', 'None', 'nan', 'NaN', 'N/A', '-', 'absent')"


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def empty(col: str) -> str:
    return f"({col} IS NULL OR trim({col}) IN {EMPTY})"


def sql_str(col: str) -> str:
    return f"CASE WHEN {col} IS NULL OR {col} = '' THEN NULL ELSE {col} END"


def sql_time(col: str) -> str:
    """ISO 8601 (any offset), 'YYYY-MM-DD HH:MM', Twitter v1.1 times, epoch seconds/ms -> UTC.

    The common case (ISO-like text) is a single cast; the slower forms are tried only for the
    rows it fails on.
    """
    t = f"trim({col})"
    return (
        f"CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
        f"ELSE coalesce(TRY_CAST({col} AS TIMESTAMPTZ)::TIMESTAMP, "
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
        f"CASE WHEN {empty(col)} THEN NULL "
        f"WHEN {t} IN ('true', 't', '1', 'yes', 'y', '1.0') THEN true "
        f"WHEN {t} IN ('false', 'f', '0', 'no', 'n', '0.0') THEN false END"
    )


def sql_list(col: str) -> str:
    """A list cell: Python repr or JSON array ("['a', 'b']"), bare "[1, 2]", or "a, b" / "a|b"."""
    t = f"trim({col})"
    quoted = f"list_transform(regexp_extract_all({t}, '''[^'']*''|\"[^\"]*\"'), lambda x: x[2:length(x) - 1])"
    bare = f"list_filter(list_transform(regexp_split_to_array(trim({t}, '[] '), '[,|]'), lambda x: trim(x)), lambda x: x <> '')"
    return (
        f"CASE WHEN {col} IS NULL OR {col} = '' OR {col} = '[]' OR {empty(col)} "
        "THEN []::VARCHAR[] "
        f"WHEN {t} LIKE '[%' AND ({t} LIKE '%''%' OR {t} LIKE '%\"%') THEN {quoted} "
        f"ELSE {bare} END"
    )


CONVERTERS = {"time": sql_time, "int": sql_int, "bool": sql_bool}
TYPE_WORDS = {
    "time": "a time (ISO 8601, 'YYYY-MM-DD HH:MM', or epoch seconds)",
    "int": "a whole number",
    "bool": "true/false",
}


def bad_value_reason(fields: dict[str, str]) -> str:
    """SQL giving 'field X: value 'v' is not ...' for the first bad field of a row, else NULL.

    ``fields`` maps a raw column name to its kind (time, int, bool).
    """
    if not fields:
        return "NULL"
    whens = []
    for name, kind in fields.items():
        col = q(name)
        conv = CONVERTERS[kind](col)
        whens.append(
            f"WHEN NOT {empty(col)} AND ({conv}) IS NULL THEN "
            + lit(f"field {name}: value '")
            + f" || left({col}, 80) || "
            + lit(f"' is not {TYPE_WORDS[kind]}")
        )
    return "CASE " + " ".join(whens) + " END"


def raw_csv_line(names: list[str]) -> str:
    """SQL rebuilding a row's CSV text from its cells (for rejected_rows.raw)."""
    parts = [f"coalesce('\"' || replace({q(n)}, '\"', '\"\"') || '\"', '')" for n in names]
    return " || ',' || ".join(parts) if parts else "''"
