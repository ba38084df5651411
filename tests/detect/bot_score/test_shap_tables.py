"""ShapTables reproduces LightGBM's own scores and TreeSHAP contributions."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from flockwatch.detect.bot_score.model import load_behaviour_model, load_model
from flockwatch.detect.bot_score.shap_tables import NotTabulableError, ShapTables


def _probe(tables: ShapTables, n: int, seed: int) -> np.ndarray:
    """Random rows with values exactly at, just below and just above every threshold, zeros,
    negatives and NaN: the cases where a wrong bin or missing-value rule would show."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(tables.feature_names))) * 3 + 1
    for j, t in enumerate(tables.thresholds):
        if len(t):
            special = np.concatenate(
                [t, np.nextafter(t, -np.inf), np.nextafter(t, np.inf), [0.0, -1.0, np.nan]]
            )
            pick = rng.random(n) < 0.6
            x[pick, j] = rng.choice(special, size=pick.sum())
    x[rng.random(x.shape) < 0.1] = np.nan
    return x


@pytest.mark.parametrize("loader", [load_model, load_behaviour_model], ids=["profile", "behaviour"])
def test_packaged_models(loader) -> None:
    booster, _ = loader()
    tables = ShapTables(booster)
    x = _probe(tables, 5000, seed=1)
    raw, contrib = tables.predict_contrib(x)
    np.testing.assert_allclose(contrib, booster.predict(x, pred_contrib=True), atol=1e-9)
    np.testing.assert_allclose(raw, booster.predict(x, raw_score=True), atol=1e-9)
    # feature-major entry point: same numbers, transposed
    np.testing.assert_allclose(tables.contributions(np.ascontiguousarray(x.T)), contrib.T)


def _train(x: np.ndarray, y: np.ndarray, **params) -> lgb.Booster:
    base = {"objective": "binary", "verbose": -1, "num_threads": 1, "seed": 0}
    return lgb.train({**base, **params}, lgb.Dataset(x, y), num_boost_round=30)


def test_model_without_missing_values_and_repeated_features() -> None:
    # trained without NaN: LightGBM reads NaN as 0 at prediction; depth-1 and depth-2 trees,
    # some splitting twice on the same feature
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 3))
    y = ((x[:, 0] > 0.3) ^ (x[:, 0] > 1.2) | (x[:, 1] * x[:, 2] > 0.5)).astype(int)
    for depth, leaves in ((1, 2), (2, 3), (2, 4)):
        booster = _train(x, y, max_depth=depth, num_leaves=leaves)
        tables = ShapTables(booster)
        probe = _probe(tables, 3000, seed=depth + leaves)
        _, contrib = tables.predict_contrib(probe)
        np.testing.assert_allclose(contrib, booster.predict(probe, pred_contrib=True), atol=1e-9)


def test_deeper_trees_are_refused() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 4))
    y = (x.sum(axis=1) > 0).astype(int)
    with pytest.raises(NotTabulableError, match="deeper"):
        ShapTables(_train(x, y, max_depth=4, num_leaves=12))
