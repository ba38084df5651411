"""The runner's hand-over of findings and side tables to DuckDB."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.base import Detector, DetectorOutput, Example
from flockwatch.detect.runner import (
    FINDING_COLUMNS,
    ROW_GROUP_ROWS,
    findings_table,
    row_group_batches,
    run_one,
)
from flockwatch.store.db import Store


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 3 * ROW_GROUP_ROWS), min_size=1, max_size=4), min_size=1, max_size=3
    )
)
def test_row_group_batches_keep_rows_and_cut_at_row_groups(chunkings: list[list[int]]) -> None:
    # columns chunked differently, all of one length
    n = sum(chunkings[0])
    columns = {}
    for i, sizes in enumerate(chunkings):
        sizes = [*sizes[:-1], 0]
        sizes[-1] = max(n - sum(sizes[:-1]), 0)
        if sum(sizes) != n:
            sizes = [n]
        values = np.arange(n, dtype=np.int64) * (i + 1)
        starts = np.cumsum([0, *sizes[:-1]])
        columns[f"c{i}"] = pa.chunked_array(
            [pa.array(values[s : s + k]) for s, k in zip(starts, sizes, strict=True)],
            type=pa.int64(),
        )
    table = pa.table(columns)
    out = row_group_batches(table)
    assert out.equals(table)
    batches = out.to_batches()
    assert all(len(b) == ROW_GROUP_ROWS for b in batches[:-1])


def test_findings_table_fills_optional_columns_and_checks_json_text() -> None:
    table = pa.table(
        {
            "subject_kind": ["account"],
            "subject_id": ["a1"],
            "score": pa.array([1], pa.int64()),
            "label": ["x"],
            "explanation": ["why"],
        }
    )
    out = findings_table(table)
    assert out.column_names == FINDING_COLUMNS
    assert out.column("score").type == pa.float64()
    assert out.column("evidence").to_pylist() == [None]
    with pytest.raises(RuntimeError, match="lacks column 'label'"):
        findings_table(table.drop_columns(["label"]))
    as_struct = table.append_column("details", pa.array([{"k": 1}]))
    with pytest.raises(RuntimeError, match="details must hold JSON text"):
        findings_table(as_struct)


class ArrowDetector(Detector):
    """Findings as an Arrow table, in chunks that do not match DuckDB's row groups."""

    name = "arrow_test"
    version = "1"
    subject_kinds = ("account",)
    summary = "test"

    def __init__(self, *, n: int = 300_000) -> None:
        self.n = n

    def run(self, store: Store) -> DetectorOutput:
        ids = pa.array([f"a{i}" for i in range(self.n)])
        score = np.linspace(0, 1, self.n)
        chunks = [slice(s, s + 100_000) for s in range(0, self.n, 100_000)]
        table = pa.table(
            {
                "subject_kind": pa.chunked_array([pa.array(["account"] * self.n)]),
                "subject_id": pa.chunked_array([ids[c] for c in chunks]),
                "platform": pa.chunked_array([pa.array(["twitter"] * self.n)]),
                "score": pa.array(score),
                "label": pa.array(np.where(score >= 0.5, "hit", "miss")),
                "explanation": pa.array([f"{s:.2f}" for s in score]),
                "evidence": pa.array([json.dumps({"accounts": [f"a{i}"]}) for i in range(self.n)]),
                "details": pa.nulls(self.n, pa.string()),
            }
        )
        side = pa.table({"account_id": ids, "rank": pa.array(np.arange(self.n))})
        return DetectorOutput(table, tables={"arrow_test_ranks": side})

    @classmethod
    def positive_example(cls) -> Example:  # pragma: no cover - not registered
        raise NotImplementedError

    @classmethod
    def negative_example(cls) -> Example:  # pragma: no cover - not registered
        raise NotImplementedError


def test_arrow_findings_and_side_tables_are_written_whole_and_in_order() -> None:
    store = Store(":memory:")
    result = run_one(store, ArrowDetector())
    assert result.n_findings == 300_000 and result.n_flagged == 150_000
    assert result.top[0][:2] == ("a299999", 1.0)
    rows = store.con.execute(
        "SELECT count(*), count(DISTINCT subject_id), min(score), max(score) FROM findings"
    ).fetchone()
    assert rows == (300_000, 300_000, 0.0, 1.0)
    ranks = store.con.execute(
        "SELECT count(*) FILTER (WHERE account_id <> 'a' || rank::VARCHAR), count(*) "
        "FROM arrow_test_ranks"
    ).fetchone()
    assert ranks == (0, 300_000)
    # insertion order kept
    first = store.con.execute("SELECT account_id FROM arrow_test_ranks LIMIT 3").fetchall()
    assert first == [("a0",), ("a1",), ("a2",)]
