"""Contract tests every registered detector passes (models: scikit-learn's
parametrize_with_checks, threatexchange's SignalTypeAutoTest)."""

from __future__ import annotations

import json

import pytest

from flockwatch.detect.base import Detector
from flockwatch.detect.registry import detector_classes
from flockwatch.detect.runner import FINDING_COLUMNS, findings_frame
from flockwatch.store.db import Store

CLASSES = detector_classes()
IDS = [c.name for c in CLASSES]


def _run(cls: type[Detector], build, **params):
    store = Store(":memory:")
    build(store)
    return store, findings_frame(cls(**params).run(store))


def _seeded(cls):
    return {"seed": 3} if "seed" in cls.param_names() else {}


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_identity(cls):
    assert cls.name.isidentifier() and cls.name == cls.name.lower()
    assert cls.version and cls.summary
    assert cls.__doc__ and len(cls.__doc__.strip()) > 40


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_parameters_are_keyword_only_and_stored_unchanged(cls):
    defaults = cls.param_defaults()
    assert set(defaults) == set(cls.param_names()), "every parameter has a default"
    detector = cls(**defaults)
    assert detector.get_params() == defaults


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_empty_store_gives_no_findings(cls):
    _, frame = _run(cls, lambda s: None, **_seeded(cls))
    assert len(frame) == 0
    assert list(frame.columns) == FINDING_COLUMNS


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_fires_on_positive_example(cls):
    ex = cls.positive_example()
    _, frame = _run(cls, ex.build, **_seeded(cls))
    hit = frame[(frame.subject_kind == ex.subject[0]) & (frame.subject_id == ex.subject[1])]
    assert len(hit) and hit.score.max() >= cls.flag_score, frame.head()


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_quiet_on_negative_example(cls):
    ex = cls.negative_example()
    _, frame = _run(cls, ex.build, **_seeded(cls))
    hit = frame[(frame.subject_kind == ex.subject[0]) & (frame.subject_id == ex.subject[1])]
    assert not len(hit) or hit.score.max() < cls.flag_score, hit


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_output_schema_explanations_and_evidence(cls):
    store, frame = _run(cls, cls.positive_example().build, **_seeded(cls))
    assert len(frame)
    assert frame.score.between(0, 1).all()
    assert set(frame.subject_kind) <= set(cls.subject_kinds)
    assert all(isinstance(e, str) and e.strip() for e in frame.explanation)
    assert not frame.duplicated(["subject_kind", "platform", "subject_id"]).any()
    for raw in frame.evidence:
        evidence = json.loads(raw) if raw else {}
        for table, keys in evidence.items():
            for key in keys:
                assert _exists(store, table, key), f"evidence {table} {key} not in the store"


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_same_seed_same_output(cls):
    build = cls.positive_example().build
    _, a = _run(cls, build, **_seeded(cls))
    _, b = _run(cls, build, **_seeded(cls))
    key = ["subject_kind", "subject_id"]
    a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    assert a.equals(b)


def _exists(store: Store, table: str, key) -> bool:
    where = {
        "posts": ("post_id",),
        "accounts": ("account_id",),
        "reports": ("report_id",),
        "groups": ("group_id",),
        "account_snapshots": ("account_id", "observed_at"),
        "follows": ("follower_id", "followee_id"),
        "memberships": ("group_id", "account_id"),
        "findings": ("finding_id",),
    }[table]
    values = key if isinstance(key, list) else [key]
    cond = " AND ".join(
        f"{c} = CAST(? AS {'TIMESTAMP' if c == 'observed_at' else 'VARCHAR'})" for c in where
    )
    return store.con.execute(f"SELECT count(*) FROM {table} WHERE {cond}", values).fetchone()[0] > 0
