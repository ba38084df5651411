"""Reproducible training of the behaviour model of the ``bot_score`` detector.

Usage::

    python -m flockwatch.detect.bot_score.train_behaviour \\
        --out flockwatch/detect/bot_score/models [--workdir DIR]

**The labels are synthetic.** No labelled posts are available (the labelled Cresci copies hold
user profiles only), so the behaviour model is trained on worlds written by
:func:`flockwatch.simulate.simulate`, whose ``truth.csv`` says which accounts were planted as
automated or fake. What it learns is how *the simulator's* bots behave; see
``docs/models/bot_score.md``.

Recipe. Worlds with seeds :data:`TRAIN_SEEDS` are simulated, ingested into a store and turned
into features by exactly the detector's code (:mod:`flockwatch.detect.bot_score.scoring`).
Accounts with at least :data:`MIN_POSTS` posts and a label in :data:`POSITIVE` or
:data:`NEGATIVE` are used; the model starts from the committed profile model's log-odds
(``init_score``) and learns, from the behaviour features only, how much to add. The number of
boosting rounds is chosen on world :data:`VALID_SEED` (see :data:`F1_TOLERANCE`); world
:data:`TEST_SEED` is held out and only evaluated. Seed 7 (the demo world) is never used.
Everything is seeded; the same code, simulator and LightGBM version give byte-identical model
files.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from flockwatch.detect.bot_score.behaviour import BEHAVIOUR_FEATURES
from flockwatch.detect.bot_score.model import (
    BEHAVIOUR_FORMAT_VERSION,
    BEHAVIOUR_MODEL_NAME,
    load_model,
    metadata_path,
    model_file,
)
from flockwatch.detect.bot_score.scoring import (
    TreeModel,
    feature_arrays,
    file_sha256,
    scoring_table,
)
from flockwatch.store.db import Store

__all__ = [
    "LGB_PARAMS",
    "MIN_POSTS",
    "NEGATIVE",
    "POSITIVE",
    "World",
    "fit_behaviour_model",
    "load_world",
    "main",
    "train_behaviour_model",
]

#: Truth labels counted as automated or fake (1) and as genuine (0). ``impersonator``
#: (human-run look-alike accounts, the impersonation detector's subject) and ``reporter``
#: (members of a mass-reporting brigade whose reports are automated but whose posting is
#: organic in the simulator) are neither: left out of training, reported separately.
POSITIVE: tuple[str, ...] = ("spam_bot", "io_amplifier", "io_core", "fake_follower")
NEGATIVE: tuple[str, ...] = ("organic", "fan", "celebrity", "customer", "critic")

TRAIN_SEEDS: tuple[int, ...] = (101, 102, 103, 104, 105, 106)
VALID_SEED: int = 107
TEST_SEED: int = 108
WORLD_ACCOUNTS: int = 3000
WORLD_DAYS: int = 30
#: Posts an account needs for the behaviour model (the detector's default
#: ``min_posts_for_behaviour``).
MIN_POSTS: int = 5

LGB_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 4,
    "max_depth": 2,  # keeps contributions tabulable (shap_tables) and the model simple
    "min_data_in_leaf": 40,
    "lambda_l2": 10.0,
    # Half the features per tree, so that no single feature (in the simulator, posts per day
    # nearly separates everything) carries the whole model.
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "monotone_constraints_method": "advanced",
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
MAX_ROUNDS: int = 300
ROUND_STEP: int = 5
#: Rounds are the fewest (in steps of ROUND_STEP) whose F1 at the flag threshold 0.5 on the
#: validation world is within this of the best. Not early stopping on log-loss: simulated bots
#: are separable, so the loss keeps falling while the trees only grow more certain (the
#: behaviour correction's median size triples from 50 to 300 rounds), a certainty that says
#: nothing about real accounts.
F1_TOLERANCE: float = 0.002

#: Monotone constraints, priors that should hold beyond the simulator: more posts per day,
#: more repeated texts, more links, more regular gaps (lower CV) and a younger account at its
#: first post can only raise the score. They also stop the model from learning simulator quirks in the
#: other direction (e.g. simulated celebrities repeat their texts a lot).
MONOTONE: dict[str, int] = {
    "observed_posts_per_day": 1,
    "duplicate_text_share": 1,
    "gap_cv": -1,
    "age_at_first_post_days": -1,
    "url_share": 1,
}


@dataclass
class World:
    """One simulated world's accounts with features, labels and the profile model's log-odds."""

    seed: int
    accounts: pd.DataFrame  # platform, account_id, label, n_posts, profile_raw
    behaviour: np.ndarray  # (9, n) feature-major
    truth_sha256: str


def load_world(seed: int, workdir: Path, profile: TreeModel) -> World:
    """Simulate world ``seed`` into ``workdir``, ingest it and compute the detector's features."""
    from flockwatch.ingest.runner import ingest_paths
    from flockwatch.simulate import simulate

    folder = workdir / f"world-{seed}"
    summary = simulate(folder, seed=seed, accounts=WORLD_ACCOUNTS, days=WORLD_DAYS)
    data_files = sorted(p for p in folder.glob("*.csv") if p.name != "truth.csv")
    store = Store(":memory:")
    try:
        ingest_paths(store, list(data_files))
        end = json.loads((folder / "manifest.json").read_text("utf-8"))["window"]["end"]
        now = datetime.fromisoformat(end.replace("Z", "+00:00")).replace(tzinfo=None)
        table = scoring_table(store, min_posts=MIN_POSTS, now=now)
    finally:
        store.close()
    # a fixed row order: DuckDB returns rows in an order that varies between runs, and
    # LightGBM's bagging depends on it
    order = np.lexsort(
        (
            table.column("account_id").to_numpy(zero_copy_only=False),
            table.column("platform").to_numpy(zero_copy_only=False),
        )
    )
    table = table.take(pa.array(order))
    p, b, n_posts = feature_arrays(table)
    truth = pd.read_csv(summary.files["truth"], dtype=str)
    accounts = pd.DataFrame(
        {
            "platform": table.column("platform").to_pylist(),
            "account_id": table.column("account_id").to_pylist(),
            "n_posts": n_posts,
            "profile_raw": profile.contributions(p).sum(axis=0),
        }
    ).merge(truth[["account_id", "label"]], on="account_id", how="left")
    return World(seed, accounts, b, file_sha256(summary.files["truth"]))


def _rows(world: World, min_posts: int = MIN_POSTS) -> np.ndarray:
    acc = world.accounts
    known = acc["label"].isin(POSITIVE + NEGATIVE).to_numpy()
    return np.flatnonzero(known & (acc["n_posts"].to_numpy() >= min_posts))


def _xy(worlds: Sequence[World]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, inits = [], [], []
    for w in worlds:
        r = _rows(w)
        xs.append(w.behaviour[:, r].T)
        ys.append(w.accounts["label"].to_numpy()[r])
        inits.append(w.accounts["profile_raw"].to_numpy()[r])
    y = np.isin(np.concatenate(ys), POSITIVE).astype(int)
    return np.concatenate(xs), y, np.concatenate(inits)


def fit_behaviour_model(
    train: Sequence[World], valid: World, seed: int = 0
) -> tuple[lgb.Booster, int, list[tuple[int, float]]]:
    """Fit the behaviour model on ``train`` starting from the profile log-odds.

    Returns the booster, its number of rounds (see :data:`F1_TOLERANCE`) and the validation
    F1 at 0.5 for every ``ROUND_STEP`` rounds.
    """
    x, y, init = _xy(train)
    vx, vy, vinit = _xy([valid])
    params = {
        **LGB_PARAMS,
        "seed": seed,
        "monotone_constraints": [MONOTONE.get(f, 0) for f in BEHAVIOUR_FEATURES],
    }

    def dataset() -> lgb.Dataset:
        return lgb.Dataset(x, label=y, init_score=init, feature_name=BEHAVIOUR_FEATURES)

    probe = lgb.train(params, dataset(), num_boost_round=MAX_ROUNDS)
    curve = []
    for rounds in range(ROUND_STEP, MAX_ROUNDS + 1, ROUND_STEP):
        raw = vinit + probe.predict(vx, raw_score=True, num_iteration=rounds)
        curve.append((rounds, round(float(f1_score(vy, (raw >= 0).astype(int))), 4)))
    best = max(f for _, f in curve)
    rounds = min(r for r, f in curve if f >= best - F1_TOLERANCE)
    return lgb.train(params, dataset(), num_boost_round=rounds), rounds, curve


def _metrics(y: np.ndarray, s: np.ndarray) -> dict[str, Any]:
    pred = (s >= 0.5).astype(int)
    return {
        "auc": round(float(roc_auc_score(y, s)), 4) if 0 < y.sum() < len(y) else None,
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "n": int(len(y)),
        "n_positive": int(y.sum()),
    }


def evaluate_world(world: World, behaviour: TreeModel) -> dict[str, Any]:
    """Profile-only and profile+behaviour scores on one world: metrics on the accounts with
    enough posts, metrics over every labelled account as the detector scores them, and the
    mean score and flag rate per truth label."""
    acc = world.accounts
    n_posts = acc["n_posts"].to_numpy()
    use = n_posts >= MIN_POSTS
    raw_b = np.zeros(len(acc))
    rows = np.flatnonzero(use)
    raw_b[rows] = behaviour.contributions(np.ascontiguousarray(world.behaviour[:, rows])).sum(0)
    p_only = 1 / (1 + np.exp(-acc["profile_raw"].to_numpy()))
    combined = 1 / (1 + np.exp(-(acc["profile_raw"].to_numpy() + raw_b)))
    detector = np.where(use, combined, p_only)
    labels = acc["label"].fillna("").to_numpy()
    known = np.isin(labels, POSITIVE + NEGATIVE)
    y = np.isin(labels, POSITIVE).astype(int)
    m = known & use
    per_label = {}
    for lab in sorted(set(labels) - {""}):
        sel = labels == lab
        per_label[lab] = {
            "n": int(sel.sum()),
            "n_with_posts": int((sel & use).sum()),
            "mean_profile_score": round(float(p_only[sel].mean()), 4),
            "mean_score": round(float(detector[sel].mean()), 4),
            "flagged_share": round(float((detector[sel] >= 0.5).mean()), 4),
        }
    return {
        "seed": world.seed,
        "with_posts": {
            "profile_only": _metrics(y[m], p_only[m]),
            "profile_plus_behaviour": _metrics(y[m], combined[m]),
        },
        "all_accounts": {
            "profile_only": _metrics(y[known], p_only[known]),
            "detector": _metrics(y[known], detector[known]),
        },
        "per_label": per_label,
    }


def train_behaviour_model(
    out_dir: str | Path, workdir: str | Path | None = None, seed: int = 0
) -> dict[str, Any]:
    """Simulate the worlds, train, evaluate and write ``bot_behaviour.lgb.txt`` / ``.json``.

    Parameters
    ----------
    out_dir
        Where the model files are written. It must already hold the profile model
        (``bot_profile.lgb.txt`` and ``.json``): the behaviour model is trained on top of
        that file and records its SHA-256, so the detector only uses the two together.
    workdir
        Where the simulated worlds are written (default: a temporary directory).
    seed
        LightGBM's seed.

    Returns
    -------
    dict
        The metadata written, plus ``model_path``.
    """
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile_path = model_file(out_dir)
    profile = TreeModel(load_model(profile_path)[0])
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(workdir) if workdir else Path(tmp)
        worlds = {s: load_world(s, base, profile) for s in (*TRAIN_SEEDS, VALID_SEED, TEST_SEED)}
    booster, rounds, curve = fit_behaviour_model(
        [worlds[s] for s in TRAIN_SEEDS], worlds[VALID_SEED], seed
    )
    model = TreeModel(booster)
    gain = booster.feature_importance("gain")
    metadata: dict[str, Any] = {
        "model": BEHAVIOUR_MODEL_NAME,
        "format_version": BEHAVIOUR_FORMAT_VERSION,
        "description": (
            "Behaviour correction of the bot_score profile model: LightGBM trees on "
            "behaviour features from posts, added to the profile model's log-odds. Trained "
            "on SIMULATED worlds (synthetic labels from flockwatch.simulate)."
        ),
        "features": BEHAVIOUR_FEATURES,
        "profile_model_sha256": file_sha256(profile_path),
        "lightgbm_version": lgb.__version__,
        "python_version": platform.python_version(),
        "labels": {"positive": list(POSITIVE), "negative": list(NEGATIVE)},
        "min_posts": MIN_POSTS,
        "worlds": {
            "accounts": WORLD_ACCOUNTS,
            "days": WORLD_DAYS,
            "train_seeds": list(TRAIN_SEEDS),
            "valid_seed": VALID_SEED,
            "test_seed": TEST_SEED,
            "truth_sha256": {str(s): w.truth_sha256 for s, w in worlds.items()},
            "training_rows": int(sum(len(_rows(worlds[s])) for s in TRAIN_SEEDS)),
        },
        "seed": seed,
        "params": LGB_PARAMS,
        "monotone_constraints": MONOTONE,
        "num_boost_round": rounds,
        "round_selection": {
            "max_rounds": MAX_ROUNDS,
            "f1_tolerance": F1_TOLERANCE,
            "valid_f1_by_rounds": curve,
        },
        "feature_importance_gain_share": {
            f: round(float(g / gain.sum()), 4)
            for f, g in zip(BEHAVIOUR_FEATURES, gain, strict=True)
        },
        "metrics": {
            "valid": evaluate_world(worlds[VALID_SEED], model),
            "test": evaluate_world(worlds[TEST_SEED], model),
        },
    }
    model_path = out_dir / f"{BEHAVIOUR_MODEL_NAME}.lgb.txt"
    booster.save_model(str(model_path))
    metadata["training_seconds"] = round(time.perf_counter() - t0, 1)
    metadata_path(model_path).write_text(json.dumps(metadata, indent=2) + "\n", "utf-8")
    return {**metadata, "model_path": str(model_path)}


def _print_report(meta: dict[str, Any]) -> None:
    print(f"rounds: {meta['num_boost_round']}; training rows: {meta['worlds']['training_rows']}")
    for split in ("valid", "test"):
        m = meta["metrics"][split]
        print(f"\n{split} world (seed {m['seed']})")
        print("  accounts with >= 5 posts:")
        for k, v in m["with_posts"].items():
            print(f"    {k:24s} {v}")
        print("  every labelled account, as the detector scores it:")
        for k, v in m["all_accounts"].items():
            print(f"    {k:24s} {v}")
        print("  per label: n, with posts, mean profile score, mean score, flagged share")
        for lab, v in m["per_label"].items():
            print(
                f"    {lab:14s} {v['n']:5d} {v['n_with_posts']:5d} "
                f"{v['mean_profile_score']:.3f} {v['mean_score']:.3f} {v['flagged_share']:.3f}"
            )
    print("\ngain share:", meta["feature_importance_gain_share"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory for bot_behaviour.*")
    parser.add_argument("--workdir", default=None, help="keep the simulated worlds here")
    parser.add_argument("--seed", type=int, default=0, help="LightGBM seed")
    args = parser.parse_args(argv)
    meta = train_behaviour_model(args.out, args.workdir, args.seed)
    _print_report(meta)
    print(f"\nwrote {meta['model_path']} in {meta['training_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
