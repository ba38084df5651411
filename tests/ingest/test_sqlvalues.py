"""The cheap paths in the SQL value converters give exactly what the general forms give.

Each converter tries a fast form first for the common cell (a plain Python-repr list, a time
without a zone, a long value that cannot trim down to an empty marker, 'true'/'false'); these tests
feed awkward text (quotes inside items, unicode spaces, combining marks, line breaks, zones) to
both and compare.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.ingest.sqlvalues import EMPTY, empty, sql_bool, sql_list, sql_time

#: The general forms, as the converters compute them when no fast path applies.
PATTERN_LIST = (
    "list_transform(regexp_extract_all(trim(v), '''[^'']*''|\"[^\"]*\"'), "
    "lambda x: x[2:length(x) - 1])"
)
ZONED_TIME = "TRY_CAST(v AS TIMESTAMPTZ)::TIMESTAMP"
TRIMMED_EMPTY = f"(v IS NULL OR trim(v) IN {EMPTY})"
LOWER_BOOL = (
    "CASE WHEN lower(trim(v)) IN ('true', 't', '1', 'yes', 'y', '1.0') THEN true "
    "WHEN lower(trim(v)) IN ('false', 'f', '0', 'no', 'n', '0.0') THEN false END"
)

PIECES = ["a", "b", "1", " ", ",", "'", '"', "[", "]", "|", "\n", "\t", "\u00a0", "\u3000"]
PIECES += ["\u0301", "é", "ข่าว", "😀", "', '", "''", "\\"]
items = st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=4)
repr_lists = items.map(lambda xs: "['" + "', '".join(xs) + "']")
anything = st.lists(st.sampled_from(PIECES + ["['", "']"]), max_size=8).map("".join)


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    yield c
    c.close()


def _disagree(con, values: list[str], fast: str, general: str, where: str = "true") -> list:
    con.execute("CREATE OR REPLACE TEMP TABLE cells (v VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?)", [[v] for v in values])
    return con.execute(
        f"SELECT v, {fast} AS f, {general} AS g FROM cells WHERE {where} AND f IS DISTINCT FROM g"
    ).fetchall()


def _convert(con, expr: str, cell: str):
    return con.execute(f"SELECT {expr} FROM (SELECT ?::VARCHAR AS v)", [cell]).fetchone()[0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(repr_lists, anything), min_size=1, max_size=200))
def test_quoted_lists_split_like_the_pattern(con, values):
    # Cells that reach the quoted-items branch: not empty, a bracket first, a quote inside.
    reach = f"NOT {empty('v')} AND v <> '[]' AND trim(v) LIKE '[%' AND trim(v) LIKE '%''%'"
    assert _disagree(con, values, sql_list("v"), PATTERN_LIST, reach) == []


def test_lists_by_hand(con):
    cases = {
        "['a', 'b']": ["a", "b"],
        "['ข่าว', 'truth']": ["ข่าว", "truth"],
        "['']": [""],
        "[', ']": [", "],
        "['a', ', 'b']": ["a", ", "],
        "['it\"s']": ['it"s'],
        '["a", "b"]': ["a", "b"],
        " ['x'] ": ["x"],
        "[1, 2]": ["1", "2"],
        "[]": [],
    }
    for cell, expected in cases.items():
        assert _convert(con, sql_list("v"), cell) == expected, cell


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10000),
            st.integers(0, 13),
            st.integers(0, 32),
            st.integers(0, 25),
            st.integers(0, 61),
            st.integers(0, 61),
            st.sampled_from(["", "Z", "+02", "-0130", " UTC", " EST", "+14:00", " BC", ".5"]),
            st.integers(0, 2),
        ),
        min_size=1,
        max_size=100,
    )
)
def test_plain_times_cast_like_zoned_times(con, parts):
    values = []
    for y, mo, d, h, mi, s, zone, shape in parts:
        text = f"{y:04d}-{mo:02d}-{d:02d}"
        if shape >= 1:
            text += f" {h:02d}:{mi:02d}"
        if shape == 2:
            text += f":{s:02d}"
        values.append(text + zone)
    assert _disagree(con, values, sql_time("v"), f"coalesce({ZONED_TIME}, {sql_time('v')})") == []
    # and the times without a zone give the zone-aware cast's value
    assert _disagree(con, values, sql_time("v"), ZONED_TIME, f"{ZONED_TIME} IS NOT NULL") == []


def test_times_by_hand(con):
    cases = {
        "2020-01-02 03:04": datetime(2020, 1, 2, 3, 4),
        "2020-01-02 03:04:05+02:00": datetime(2020, 1, 2, 1, 4, 5),
        "2020-01-02 03:04-0130": datetime(2020, 1, 2, 4, 34),
        "2020-01-02 24:00": datetime(2020, 1, 3),
        "2019-06-01": datetime(2019, 6, 1),
        "2020-02-30 00:00": None,
    }
    for cell, expected in cases.items():
        assert _convert(con, sql_time("v"), cell) == expected, cell


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.sampled_from([" ", "\u00a0", "\u3000", "\u2003", "\t", "x"]), max_size=3),
            st.sampled_from(["", "null", "NULL", "None", "nan", "NaN", "N/A", "-", "absent"]),
            st.text(st.sampled_from([" ", "\u00a0", "\u3000", "\t", "é", "y"]), max_size=3),
        ).map("".join),
        min_size=1,
        max_size=200,
    )
)
def test_empty_markers_are_found_without_trimming_long_values(con, values):
    assert _disagree(con, values, empty("v"), TRIMMED_EMPTY) == []


def test_booleans(con):
    values = ["true", "false", "True", " FALSE ", "t", "0", "yes", "1.0", "maybe", "absent"]
    general = f"CASE WHEN {TRIMMED_EMPTY} THEN NULL ELSE {LOWER_BOOL} END"
    assert _disagree(con, values, sql_bool("v"), general) == []
