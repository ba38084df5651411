"""Explanation strings, ``details`` JSON and contribution lists of bot scores
(flockwatch.detect.bot_score.explain)."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.bot_score.explain import _round_sig, explain

NAMES = ["log_posts", "followers_following_ratio", "default_profile_image", "repost_share"]


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
def test_contribution_lists_hold_the_top_contributions(
    data: tuple[list[float], list[float], int],
) -> None:
    contrib_list, value_list, top = data
    n = len(contrib_list) // 4
    contrib = np.array(contrib_list).reshape(4, n)
    values = np.array(value_list).reshape(4, n)
    score = 1 / (1 + np.exp(-contrib.sum(axis=0)))
    flagged = score >= 0.5
    variant = np.zeros(n, dtype=np.int8)
    explanation, details, lists = explain(
        score, contrib, values, NAMES, flagged, top, variant, ("profile",), extra=None
    )
    assert lists.num_rows == n
    for i, (text, blob, row) in enumerate(
        zip(explanation.to_pylist(), details.to_pylist(), lists.to_pylist(), strict=True)
    ):
        assert json.loads(blob) == {"variant": "profile"}
        sign = 1.0 if flagged[i] else -1.0
        pushes = sorted((-(sign * contrib[f, i]), f) for f in range(4) if sign * contrib[f, i] > 0)[
            :top
        ]
        assert row["features"] == [NAMES[f] for _, f in pushes]
        assert len(row["feature_values"]) == len(row["contributions"]) == len(pushes)
        for value, c, (_, f) in zip(
            row["feature_values"], row["contributions"], pushes, strict=True
        ):
            assert c == float(np.round(contrib[f, i], 3)) + 0.0
            want = _round_sig(values[f : f + 1, i], 4)[0]
            assert (value is None) if math.isnan(want) else value == want
        assert text.startswith(f"{round(min(max(score[i], 0), 1) * 100) / 100:.2f}: ")
        assert text.count(";") == max(len(pushes) - 1, 0)
