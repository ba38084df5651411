"""Explanation strings and ``details`` JSON of bot scores (flockwatch.detect.bot_score.explain)."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.bot_score.explain import _round_sig, explain, json_numbers

NAMES = ["log_posts", "followers_following_ratio", "default_profile_image", "repost_share"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64)), st.data())
def test_numbers_print_as_python_repr(values: list[float], data: st.DataObject) -> None:
    mask = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    got = json_numbers(np.array(values, dtype=np.float64), np.array(mask, dtype=bool))
    want = [
        None if m else "null" if not math.isfinite(v) else repr(v + 0.0)
        for v, m in zip(values, mask, strict=True)
    ]
    assert got.cast(pa.string()).to_pylist() == want


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-5, 5), min_size=4 * n, max_size=4 * n),
            st.lists(
                st.one_of(st.floats(0, 1e7), st.just(math.nan)), min_size=4 * n, max_size=4 * n
            ),
            st.integers(1, 4),
        )
    )
)
def test_details_hold_the_top_contributions_as_numbers(
    data: tuple[list[float], list[float], int],
) -> None:
    contrib_list, value_list, top = data
    n = len(contrib_list) // 4
    contrib = np.array(contrib_list).reshape(4, n)
    values = np.array(value_list).reshape(4, n)
    score = 1 / (1 + np.exp(-contrib.sum(axis=0)))
    flagged = score >= 0.5
    variant = np.zeros(n, dtype=np.int8)
    explanation, details = explain(
        score, contrib, values, NAMES, flagged, top, variant, ("profile",), extra=None
    )
    for i, (text, blob) in enumerate(
        zip(explanation.to_pylist(), details.to_pylist(), strict=True)
    ):
        d = json.loads(blob)
        assert d["variant"] == "profile"
        sign = 1.0 if flagged[i] else -1.0
        pushes = sorted((-(sign * contrib[f, i]), f) for f in range(4) if sign * contrib[f, i] > 0)[
            :top
        ]
        assert [t["feature"] for t in d["top"]] == [NAMES[f] for _, f in pushes]
        for t, (_, f) in zip(d["top"], pushes, strict=True):
            assert t["contribution"] == float(np.round(contrib[f, i], 3)) + 0.0
            want = _round_sig(values[f : f + 1, i], 4)[0]
            assert (t["value"] is None) if math.isnan(want) else t["value"] == want
        assert text.startswith(f"{round(min(max(score[i], 0), 1) * 100) / 100:.2f}: ")
        assert text.count(";") == max(len(d["top"]) - 1, 0)
