"""Near-duplicate texts: datasketch-equal signatures, normalisation, grouping in any script."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.coordination.textsim import (
    TextParams,
    lsh_bands,
    normalized_text_sql,
    shingle_hash,
    shingle_hashes,
    signatures,
    text_groups,
)


def _groups(texts, **kw):
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"ntext": texts}))
    out = text_groups(con, "SELECT ntext FROM t", TextParams(**kw))
    return dict(zip(out.ntext, out.text_group, strict=True))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=6), st.integers(1, 6))
def test_shingle_hashes_match_the_reference(texts, k):
    idx, hashes = shingle_hashes(texts, k)
    expected = [
        (i, shingle_hash(t[j : j + k], k))
        for i, t in enumerate(texts)
        for j in range(max(len(t) - k + 1, 1) if t else 0)
    ]
    assert list(zip(idx.tolist(), hashes.tolist(), strict=True)) == expected


@settings(max_examples=20, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5), st.integers(0, 3))
def test_signatures_equal_datasketch(texts, seed):
    idx, hashes = shingle_hashes(texts, 4)
    sig = signatures(idx, hashes, len(texts), 32, seed)
    for i, text in enumerate(texts):
        m = MinHash(num_perm=32, seed=seed, hashfunc=lambda x: x)
        m.update_batch([shingle_hash(text[j : j + 4], 4) for j in range(max(len(text) - 3, 1))])
        assert np.array_equal(sig[i], m.hashvalues)


def test_normalisation_strips_retweet_prefix_urls_and_mentions():
    con = duckdb.connect()
    got = con.execute(
        f"SELECT {normalized_text_sql('x')} FROM (VALUES "
        "('RT @bob_1: Vote   NOW https://t.co/abc @ann'), ('สวัสดี @คน1 ครับ www.x.th/y')) v(x)"
    ).fetchall()
    assert got == [("vote now",), ("สวัสดี ครับ",)]


def test_near_duplicates_group_in_any_script_and_different_texts_do_not():
    base = "Say YES to the dam project: jobs, water and a future for the valley"
    thai = "โครงการเขื่อนสร้างงาน สร้างน้ำ สร้างอนาคตให้หุบเขาของเรา ทุกคนร่วมสนับสนุน"
    groups = _groups(
        [
            base,
            base + "!",
            base.replace("valley", "valleys"),
            thai,
            thai + " ครับ",
            "A completely unrelated message about football tonight at the stadium",
        ]
    )
    assert groups[base] == groups[base + "!"] == groups[base.replace("valley", "valleys")]
    assert groups[thai] == groups[thai + " ครับ"]
    assert len(set(groups.values())) == 3


def test_short_texts_are_left_out():
    assert _groups(["lol", "ok!", "thanks"]) == {}


def test_bands_come_from_datasketch():
    bands, rows = lsh_bands(0.8, 64)
    assert bands * rows <= 64 and bands >= 2
