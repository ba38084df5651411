"""Run detectors and record their findings with provenance.

The runner is the only writer of ``findings`` and ``detector_runs``: for every run it records the
parameters, the detector version, the seed, the ingests present and a hash of the input, so no
detector handles provenance itself.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from flockwatch.detect.base import Detector, DetectorOutput, Finding
from flockwatch.detect.registry import detector_classes, get_detector
from flockwatch.errors import ParameterError
from flockwatch.store.db import BOOKKEEPING_TABLES, CANONICAL_TABLES, Store

#: Rows per DuckDB row group (its default ``ROW_GROUP_SIZE``). Arrow input whose record batches
#: are cut at multiples of it is inserted in parallel, each batch filling whole row groups;
#: batches cut elsewhere (131,072 rows, say) leave partial row groups that DuckDB merges and
#: compresses again, which made writing a million findings twice as slow.
ROW_GROUP_ROWS = 122_880

FINDING_COLUMNS = [
    "subject_kind",
    "subject_id",
    "platform",
    "score",
    "label",
    "explanation",
    "evidence",
    "details",
]


@dataclass
class RunResult:
    """What one detector run produced."""

    run_id: str
    detector: str
    version: str
    n_findings: int
    n_flagged: int
    seconds: float
    params: dict[str, Any]
    top: list[tuple[str, float, str]]  # (subject_id, score, explanation) of the highest scores


def parse_settings(pairs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``["coordination.window=30", ...]`` -> ``{"coordination": {"window": 30}}``, values typed
    like the parameter's default."""
    out: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        if "=" not in pair or "." not in pair.split("=", 1)[0]:
            raise ParameterError(f"--set {pair!r}: expected DETECTOR.PARAM=VALUE")
        key, raw = pair.split("=", 1)
        det_name, param = key.split(".", 1)
        cls = get_detector(det_name)
        defaults = cls.param_defaults()
        if param not in cls.param_names():
            raise ParameterError(
                f"--set {pair!r}: detector {det_name!r} has no parameter {param!r}; "
                f"it has {', '.join(cls.param_names())}"
            )
        out.setdefault(det_name, {})[param] = _convert(raw, defaults.get(param), pair)
    return out


def _convert(raw: str, default: Any, pair: str) -> Any:
    try:
        if isinstance(default, bool):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ParameterError(f"--set {pair!r}: {raw!r} is not a {type(default).__name__}") from None
    if default is None and raw.lower() in ("none", "null", ""):
        return None
    return raw


def input_fingerprint(store: Store) -> tuple[list[int], str]:
    """Ingest ids in the store and a hash of them with the canonical tables' row counts."""
    ingests = store.con.execute(
        "SELECT ingest_id, sha256 FROM ingests ORDER BY ingest_id"
    ).fetchall()
    counts = {t: store.count(t) for t in CANONICAL_TABLES}
    blob = json.dumps({"ingests": ingests, "counts": counts}, sort_keys=True).encode()
    return [i for i, _ in ingests], hashlib.sha256(blob).hexdigest()


def findings_table(findings: list[Finding] | pd.DataFrame | pa.Table | DetectorOutput) -> pa.Table:
    """Findings as an Arrow table with :data:`FINDING_COLUMNS` (evidence/details as JSON text).

    A detector with a million findings (``bot_score``) hands over an Arrow table: its columns go
    to DuckDB as they are, with no pandas conversion on the way.
    """
    if isinstance(findings, DetectorOutput):
        findings = findings.findings
    if not isinstance(findings, pa.Table):
        return pa.Table.from_pandas(findings_frame(findings), preserve_index=False)
    missing = [c for c in FINDING_COLUMNS if c not in findings.column_names]
    for col in missing:
        if col not in ("platform", "evidence", "details"):
            raise RuntimeError(f"findings table lacks column {col!r}")
        findings = findings.append_column(col, pa.nulls(findings.num_rows, pa.string()))
    for col in ("evidence", "details"):
        kind = findings.schema.field(col).type
        if not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ):
            raise RuntimeError(f"findings table column {col} must hold JSON text, not {kind}")
    score = findings.schema.get_field_index("score")
    findings = findings.set_column(score, "score", findings.column("score").cast(pa.float64()))
    return findings.select(FINDING_COLUMNS)


def findings_frame(
    findings: list[Finding] | pd.DataFrame | pa.Table | DetectorOutput,
) -> pd.DataFrame:
    """Findings as a DataFrame with :data:`FINDING_COLUMNS` (evidence/details as JSON text)."""
    if isinstance(findings, DetectorOutput):
        findings = findings.findings
    if isinstance(findings, pa.Table):
        return findings_table(findings).to_pandas()
    if isinstance(findings, pd.DataFrame):
        frame = findings.copy()
    else:
        frame = pd.DataFrame(
            [{c: getattr(f, c) for c in FINDING_COLUMNS} for f in findings],
            columns=FINDING_COLUMNS,
        )
    for col in ("evidence", "details"):
        if col not in frame:
            frame[col] = None
        elif _is_text(frame[col]):
            continue  # already JSON text (bot_score: a million rows, Arrow-backed)
        frame[col] = [
            v if (v is None or isinstance(v, str)) else json.dumps(v, default=str)
            for v in frame[col]
        ]
    if "platform" not in frame:
        frame["platform"] = None
    frame["score"] = frame["score"].astype(float)
    return frame[FINDING_COLUMNS]


def _is_text(column: pd.Series) -> bool:
    """Whether a column holds only text or nulls by its dtype, without visiting its values."""
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(
            dtype.pyarrow_dtype
        )
    return isinstance(dtype, pd.StringDtype)


def run_detectors(
    store: Store,
    names: Sequence[str] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    *,
    seed: int = 0,
    on_start: Callable[[str], None] | None = None,
) -> list[RunResult]:
    """Run the named detectors (all when ``names`` is empty) in registry order and record them."""
    settings = settings or {}
    wanted = list(names or [])
    for name in wanted:
        get_detector(name)  # a clear error for an unknown name
    classes = [c for c in detector_classes() if not wanted or c.name in wanted]
    results = []
    for cls in classes:
        params = dict(settings.get(cls.name, {}))
        if "seed" in cls.param_names() and "seed" not in params:
            params["seed"] = seed
        detector = cls(**params)
        if on_start:
            on_start(cls.name)
        results.append(run_one(store, detector, seed=seed))
    return results


def run_one(store: Store, detector: Detector, *, seed: int = 0) -> RunResult:
    """Run one detector and write its findings and run record."""
    started = datetime.now(UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    ingests, digest = input_fingerprint(store)
    n_runs = store.con.execute("SELECT count(*) FROM detector_runs").fetchone()[0]
    run_id = f"r{n_runs + 1:05d}-{detector.name}"
    params = detector.get_params()
    params_json = json.dumps(params, default=str, sort_keys=True)
    result = detector.run(store)
    output = result if isinstance(result, DetectorOutput) else DetectorOutput(result)
    table = findings_table(output.findings)
    sides = {name: _side_table(detector.name, name, t) for name, t in output.tables.items()}
    score = table.column("score").to_numpy().astype(np.float64, copy=False)
    bad = ~((score >= 0.0) & (score <= 1.0))  # NaN is bad too
    if bad.any():
        raise RuntimeError(
            f"detector {detector.name} produced scores outside [0, 1]: {score[bad][:5].tolist()}"
        )
    finished = datetime.now(UTC).replace(tzinfo=None)
    # The constant columns and the finding id are built by DuckDB, not row by row in Python:
    # bot_score writes one finding per account, a million rows on a large store.
    table = row_group_batches(table)
    with store.transaction():
        store.con.register("_fw_findings", table)
        try:
            store.con.execute(
                "INSERT INTO findings (run_id, finding_id, detector, detector_version, "
                "subject_kind, subject_id, platform, score, label, explanation, evidence, "
                "details, params, created_at) SELECT $run_id, concat_ws('/', $run_id, "
                "subject_kind, coalesce(nullif(platform, ''), '-'), subject_id), $detector, $version, "
                "subject_kind, subject_id, platform, score, label, explanation, evidence, "
                "details, $params, $created_at FROM _fw_findings",
                {
                    "run_id": run_id,
                    "detector": detector.name,
                    "version": detector.version,
                    "params": params_json,
                    "created_at": finished,
                },
            )
        finally:
            store.con.unregister("_fw_findings")
        for name, side in sides.items():
            _append_side_table(store, name, run_id, side)
        store.con.execute(
            "INSERT INTO detector_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?)",
            [
                run_id,
                detector.name,
                detector.version,
                params_json,
                seed,
                json.dumps(ingests),
                digest,
                started,
                finished,
                table.num_rows,
                json.dumps(output.summary, default=str, sort_keys=True) if output.summary else None,
            ],
        )
    # positions only: selecting rows of a million-row table would copy its text columns
    flagged = np.flatnonzero(score >= detector.flag_score)
    order = flagged[np.argsort(-score[flagged], kind="stable")[:3]]
    return RunResult(
        run_id=run_id,
        detector=detector.name,
        version=detector.version,
        n_findings=table.num_rows,
        n_flagged=len(flagged),
        seconds=time.perf_counter() - t0,
        params=params,
        top=[
            (
                str(table.column("subject_id")[i].as_py()),
                float(score[i]),
                str(table.column("explanation")[i].as_py()),
            )
            for i in order.tolist()
        ],
    )


def row_group_batches(table: pa.Table) -> pa.Table:
    """``table`` as record batches of :data:`ROW_GROUP_ROWS` rows (the last one shorter).

    A column whose chunks already end on row-group boundaries is only sliced (no copy); the
    others are made contiguous first.
    """
    columns = []
    for column in table.columns:
        if any(len(chunk) % ROW_GROUP_ROWS for chunk in column.chunks[:-1]):
            column = column.combine_chunks()
        columns.append(column)
    table = pa.Table.from_arrays(columns, schema=table.schema)
    batches = [b for b in table.to_batches(max_chunksize=ROW_GROUP_ROWS) if b.num_rows]
    return pa.Table.from_batches(batches, table.schema)


def _side_table(detector: str, name: str, table: pa.Table | pd.DataFrame) -> pa.Table:
    """Check a side table's name (``<detector>_<noun>``, never a store table) and make it Arrow."""
    reserved = {*CANONICAL_TABLES, *BOOKKEEPING_TABLES, "findings", "detector_runs", "meta"}
    if not (name.isidentifier() and name.startswith(f"{detector}_")) or name in reserved:
        raise RuntimeError(
            f"detector {detector} returned a side table named {name!r}; side tables are named "
            f"'{detector}_<noun>' in snake_case"
        )
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    if "run_id" in table.column_names:
        raise RuntimeError(f"side table {name} of detector {detector} has its own run_id column")
    return row_group_batches(table)


def _append_side_table(store: Store, name: str, run_id: str, table: pa.Table) -> None:
    """Append ``table``'s rows with ``run_id`` to ``name``, created on first use."""
    store.con.register("_fw_side", table)
    try:
        store.con.execute(
            f'CREATE TABLE IF NOT EXISTS "{name}" AS '
            "SELECT CAST(NULL AS VARCHAR) AS run_id, * FROM _fw_side LIMIT 0"
        )
        store.con.execute(
            f'INSERT INTO "{name}" BY NAME SELECT ? AS run_id, * FROM _fw_side', [run_id]
        )
    finally:
        store.con.unregister("_fw_side")
