"""The detector's fast profile features equal ``profile_features`` (the model's definition)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.bot_score import store_features
from flockwatch.detect.bot_score.features import (
    PROFILE_FEATURES,
    _entropy,
    _fold,
    profile_features,
)
from flockwatch.detect.bot_score.store_features import (
    char_entropy,
    fold_names,
    store_profile_features,
)
from flockwatch.store.db import Store

NOW = datetime(2024, 6, 1)

# Every row is there to exercise one rule of features.py.
ROWS = [
    # ordinary ASCII account
    dict(
        account_id="a1",
        screen_name="maria_rossi",
        display_name="Maria Rossi",
        description="Teacher in Bologna.",
        location="Bologna",
        url="https://e.org",
        created_at="2016-03-14",
        verified=False,
        protected=False,
        default_profile_image=False,
        followers_count=640,
        following_count=410,
        posts_count=8200,
        likes_count=5300,
        listed_count=14,
        last_seen_at="2024-06-01",
    ),
    # Unicode digits (Arabic-Indic, superscript), Unicode spaces around the bio, NBSP in name
    dict(
        account_id="a2",
        screen_name="abc١٢٣²",
        display_name="José\u00a0 Smith Jr",
        description="\u2003 hi \u3000",
        location="\u3000",
        url=" ",
        created_at="2020-01-01",
        default_profile_image=None,
        profile_image_url="https://pbs.twimg.com/sticky/default_profile_images/x.png",
        followers_count=-3,
        following_count=0,
        posts_count=10,
        last_seen_at="2020-02-01",
    ),
    # ligatures, Greek with ypogegrammeni, sharp s: folding must match casefold/NFKD
    dict(
        account_id="a3",
        screen_name="",
        display_name="ﬁﬂ ᾳ Straße",
        created_at="2021-01-01",
        verified=True,
        default_profile_image=False,
        profile_image_url="   ",
        followers_count=5,
        following_count=5,
        posts_count=0,
        likes_count=0,
    ),
    # emoji ZWJ sequence and a combining accent; control separator in the bio
    dict(
        account_id="a4",
        display_name="👩\u200d👩\u200d👧 e\u0301",
        description="a\x1cb",
        location="x",
        url="u",
        verified=False,
        default_profile_image=True,
        last_seen_at="2020-01-01",
    ),
    # created after it was observed (bad clock): age unknown
    dict(
        account_id="a5",
        screen_name="jenn83920174",
        display_name="jenn83920174",
        created_at="2024-07-01",
        last_seen_at="2024-06-01",
        posts_count=4,
        followers_count=3,
        following_count=1900,
        likes_count=0,
    ),
    # nothing but an id (observed_at from `now`)
    dict(account_id="a6"),
]


def _store(rows: list[dict[str, object]]) -> Store:
    store = Store(":memory:")
    for row in rows:
        cols = {"platform": "twitter", **row}
        marks = ", ".join("?" for _ in cols)
        store.con.execute(
            f"INSERT INTO accounts ({', '.join(cols)}) VALUES ({marks})", list(cols.values())
        )
    return store


def test_fast_features_equal_profile_features() -> None:
    store = _store(ROWS)
    keys, fast = store_profile_features(store, now=NOW)
    accounts = store.con.execute("SELECT * FROM accounts").df()
    order = keys.column("account_id").to_pylist()
    accounts = accounts.set_index("account_id").loc[order].reset_index()
    accounts["observed_at"] = keys.column("observed_at").to_pandas()
    ref = profile_features(accounts)
    assert set(fast) == set(PROFILE_FEATURES)
    for name in PROFILE_FEATURES:
        got, want = fast[name], ref[name].to_numpy()
        if name == "name_screen_name_similarity":
            # LCS-based ratio: never below difflib's Ratcliff-Obershelp ratio
            assert np.array_equal(np.isnan(got), np.isnan(want)), name
            ok = ~np.isnan(want)
            assert (got[ok] >= want[ok] - 1e-12).all(), name
            continue
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
    # observed_at falls back to `now` when the account has no last_seen_at and no posts
    assert keys.column("observed_at").to_pylist()[order.index("a6")] == NOW


def test_observed_at_falls_back_to_latest_post() -> None:
    store = _store([dict(account_id="p1", created_at="2024-01-01")])
    store.con.execute(
        "INSERT INTO posts (platform, post_id, account_id, created_at) VALUES "
        "('twitter', 'x1', 'p1', '2024-01-05'), ('twitter', 'x2', 'p1', '2024-01-11')"
    )
    keys, fast = store_profile_features(store, now=NOW)
    assert keys.column("observed_at").to_pylist() == [datetime(2024, 1, 11)]
    assert fast["account_age_days"][0] == pytest.approx(10.0)


def test_similarity_equals_difflib_on_simple_names() -> None:
    store = _store(
        [
            dict(account_id="s1", display_name="José Smith", screen_name="jose_smith"),
            dict(account_id="s2", display_name="Grace Harris", screen_name="gharris"),
        ]
    )
    _, fast = store_profile_features(store, now=NOW)
    assert fast["name_screen_name_similarity"][0] == 1.0
    want = SequenceMatcher(None, "graceharris", "gharris", autojunk=False).ratio()
    assert fast["name_screen_name_similarity"][1] == pytest.approx(want)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), max_size=12))
def test_entropy_and_folding_match_python(names: list[str | None]) -> None:
    got = char_entropy(pa.array(names, type=pa.string()))
    for g, name in zip(got, names, strict=True):
        if not name:
            assert np.isnan(g)
        else:
            assert g == pytest.approx(_entropy(name), abs=1e-12)
    assert fold_names(names) == [None if n is None else _fold(n) for n in names]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=12), st.data())
def test_entropy_of_sliced_large_and_chunked_arrays(
    names: list[str | None], data: st.DataObject
) -> None:
    # the ASCII path reads Arrow's buffers directly: offsets of a slice, 64-bit offsets
    start = data.draw(st.integers(0, len(names) - 1))
    want = [np.nan if not n else _entropy(n) for n in names[start:]]
    for typ in (pa.string(), pa.large_string()):
        array = pa.array(["pad", *names], type=typ).slice(1 + start)
        chunked = pa.chunked_array([array[:1], array[1:]], type=typ)
        for strings in (array, chunked):
            np.testing.assert_allclose(char_entropy(strings), want, atol=1e-12)


TEXT_FEATURES = [
    "screen_name_length",
    "screen_name_digits",
    "screen_name_digit_share",
    "screen_name_entropy",
    "display_name_length",
    "display_name_digits",
    "display_name_words",
    "display_name_entropy",
    "description_length",
    "empty_description",
    "has_url",
    "has_location",
]
_text = st.one_of(
    st.none(),
    st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=30),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "screen_name": _text,
                "display_name": _text,
                "description": _text,
                "location": _text,
                "url": _text,
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_sql_text_statistics_match_python(rows: list[dict[str, object]]) -> None:
    rows = [{"account_id": f"h{i}", **r} for i, r in enumerate(rows)]
    store = _store(rows)
    keys, fast = store_profile_features(store, now=NOW)
    by_id = {r["account_id"]: r for r in rows}
    ref = profile_features(pd.DataFrame([by_id[i] for i in keys.column("account_id").to_pylist()]))
    for name in TEXT_FEATURES:
        np.testing.assert_allclose(fast[name], ref[name].to_numpy(), rtol=1e-12, err_msg=name)


def test_empty_store() -> None:
    keys, fast = store_profile_features(Store(":memory:"), now=NOW)
    assert keys.num_rows == 0
    assert all(len(v) == 0 for v in fast.values())


@pytest.mark.parametrize("predicate", ["isdigit", "isspace"])
def test_stored_character_ranges_equal_a_scan(predicate: str) -> None:
    # the ranges written into the module must be what this Python's str methods say
    if unicodedata.unidata_version != store_features._UNICODE_VERSION:
        pytest.skip(f"Unicode {unicodedata.unidata_version}: the ranges are scanned, not stored")
    assert store_features._RANGES[predicate] == store_features._scan_ranges(predicate)
    assert any(lo <= ord("7") <= hi for lo, hi in store_features._RANGES[predicate]) == (
        predicate == "isdigit"
    )
