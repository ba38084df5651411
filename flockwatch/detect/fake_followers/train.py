"""Reproducible training of the fake-profile model (used for followers outside Twitter).

Usage::

    python -m flockwatch.detect.fake_followers.train --data ../shared/data/training

reads ``instagram-fake-spammer-genuine/train.csv`` (576 labelled Instagram profiles), compares a
few declared LightGBM recipes by repeated stratified 5-fold cross-validation on it, picks the one
with the best mean AUC, trains it on the whole training table, then evaluates it **once** on the
held-out ``test.csv`` and, as a check on another platform and another kind of fake, on the
cresci Twitter collections mapped onto flockwatch's canonical account columns (features
computed by the detector's own SQL). Writes ``fake_profile.lgb.txt`` and ``fake_profile.json``
beside the bot models. Everything is seeded: the same data, seed and LightGBM version give
byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from flockwatch.detect.bot_score.model import MODEL_DIR, metadata_path
from flockwatch.detect.bot_score.train import evaluate, load_dataset
from flockwatch.detect.fake_followers.fake_profile import (
    FAKE_PROFILE_FEATURES,
    MISSING_GROUPS,
    fake_profile_features,
    instagram_features,
)
from flockwatch.detect.fake_followers.fake_profile_model import FORMAT_VERSION, MODEL_NAME
from flockwatch.errors import InputNotFoundError

__all__ = [
    "CANDIDATES",
    "DATASET",
    "MONOTONE",
    "fit_model",
    "main",
    "report",
    "train_fake_profile_model",
]

DATASET = "instagram-fake-spammer-genuine"

_BASE: dict[str, Any] = {
    "objective": "binary",
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
#: Recipes compared by cross-validation on train.csv (declared before looking at test.csv).
#: ``constrained`` adds :data:`MONOTONE` and the missing-column augmentation.
CANDIDATES: dict[str, dict[str, Any]] = {
    "lightgbm defaults": {
        "params": {"learning_rate": 0.1, "num_leaves": 31, "min_data_in_leaf": 20},
        "rounds": 100,
        "constrained": False,
    },
    "depth 2, 300 rounds": {
        "params": {
            "learning_rate": 0.05,
            "num_leaves": 4,
            "max_depth": 2,
            "min_data_in_leaf": 20,
            "lambda_l2": 5.0,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
        },
        "rounds": 300,
        "constrained": True,
    },
    "depth 3, 200 rounds": {
        "params": {
            "learning_rate": 0.05,
            "num_leaves": 8,
            "max_depth": 3,
            "min_data_in_leaf": 20,
            "lambda_l2": 5.0,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
        },
        "rounds": 200,
        "constrained": True,
    },
}

#: Monotone constraints of the constrained recipes (+1: can only raise the fake score).
#: Priors that hold beyond one dataset; all other features are unconstrained.
MONOTONE: dict[str, int] = {
    "has_profile_pic": -1,
    "username_digit_share": 1,
    "description_length": -1,
    "has_url": -1,
    "log_followers": -1,
}

#: Missing-column augmentation (as for the bot model): one more copy of the training rows in
#: which each canonical input is blanked with this probability, so every feature has a learned
#: NaN branch: a platform that does not record ``protected`` must not look "public".
AUGMENT_COPIES: int = 1
AUGMENT_MISSING_P: float = 0.25
CV_SPLITS, CV_REPEATS = 5, 3

#: Cross-dataset checks: collection -> label groups that count as fake.
CROSS_CHECKS: dict[str, str] = {
    "cresci-2015-subset": "E13 humans vs INT bought fake followers",
    "cresci-2017": "genuine accounts vs social spambots #1-#3",
}
_MISSING_SCENARIOS: dict[str, list[str]] = {
    "no protected (private) flag": ["protected"],
    "no profile picture flag": ["default_profile_image"],
    "counts only (posts, followers, following)": [
        k for k in MISSING_GROUPS if k not in ("posts_count", "followers_count", "following_count")
    ],
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise InputNotFoundError(f"training file {path} does not exist")
    return pd.read_csv(path)


def _augment(x: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = x.reset_index(drop=True)
    xs, ys = [base], [y]
    for _ in range(AUGMENT_COPIES):
        z = base.copy()
        for cols in MISSING_GROUPS.values():
            z.loc[rng.random(len(z)) < AUGMENT_MISSING_P, cols] = np.nan
        xs.append(z)
        ys.append(y)
    return pd.concat(xs, ignore_index=True), np.concatenate(ys)


def fit_model(
    x: pd.DataFrame, y: Sequence[int] | np.ndarray, recipe: str, seed: int = 0
) -> lgb.Booster:
    """Train one booster with the named recipe of :data:`CANDIDATES`.

    Parameters
    ----------
    x
        Columns :data:`FAKE_PROFILE_FEATURES`.
    y
        1 = fake, 0 = genuine.
    recipe
        A key of :data:`CANDIDATES`.
    seed
        Seed of LightGBM's sampling and of the augmentation.
    """
    spec = CANDIDATES[recipe]
    labels = np.asarray(y, dtype=int)
    x = x[FAKE_PROFILE_FEATURES]
    params = {**_BASE, **spec["params"], "seed": seed}
    if spec["constrained"]:
        x, labels = _augment(x, labels, seed)
        params["monotone_constraints"] = [MONOTONE.get(f, 0) for f in FAKE_PROFILE_FEATURES]
        params["monotone_constraints_method"] = "advanced"
    data = lgb.Dataset(x, label=labels, feature_name=FAKE_PROFILE_FEATURES, free_raw_data=True)
    return lgb.train(params, data, num_boost_round=spec["rounds"])


def _cv(x: pd.DataFrame, y: np.ndarray, recipe: str, seed: int) -> dict[str, Any]:
    """Repeated stratified k-fold: mean and spread of the fold AUCs, pooled metrics at 0.5."""
    folds = RepeatedStratifiedKFold(n_splits=CV_SPLITS, n_repeats=CV_REPEATS, random_state=seed)
    aucs, ys, scores = [], [], []
    for tr, te in folds.split(x, y):
        booster = fit_model(x.iloc[tr], y[tr], recipe, seed)
        s = booster.predict(x.iloc[te][FAKE_PROFILE_FEATURES])
        aucs.append(roc_auc_score(y[te], s))
        ys.append(y[te])
        scores.append(s)
    pooled = evaluate(np.concatenate(ys), np.concatenate(scores))
    return {
        **pooled,
        "auc_mean": round(float(np.mean(aucs)), 4),
        "auc_sd": round(float(np.std(aucs)), 4),
        "folds": len(aucs),
    }


def _blank(x: pd.DataFrame, inputs: list[str]) -> pd.DataFrame:
    z = x.copy()
    for name in inputs:
        z[MISSING_GROUPS[name]] = np.nan
    return z


def _cross(data_dir: Path, booster: lgb.Booster) -> dict[str, Any]:
    """The final model on the cresci Twitter collections (canonical columns, detector SQL)."""
    out: dict[str, Any] = {}
    for name, what in CROSS_CHECKS.items():
        if not (data_dir / name).is_dir():
            continue
        loaded = load_dataset(data_dir, name)
        acc = loaded.accounts
        scores = booster.predict(fake_profile_features(acc)[FAKE_PROFILE_FEATURES])
        y = acc["label"].to_numpy()
        human = y == 0
        groups = {}
        for g in sorted(acc.loc[~human, "group"].unique()):
            m = human | (acc["group"].to_numpy() == g)
            groups[str(g)] = round(float(roc_auc_score(y[m], scores[m])), 4)
        out[name] = {
            **evaluate(y, scores),
            "what": what,
            "auc_per_fake_group": groups,
            "share_humans_flagged": round(float((scores[human] >= 0.5).mean()), 4),
            "files": loaded.files,
        }
    return out


def train_fake_profile_model(
    data_dir: str | Path, out_dir: str | Path | None = None, seed: int = 0
) -> dict[str, Any]:
    """Choose a recipe by CV on train.csv, train it, evaluate it, write the model.

    Parameters
    ----------
    data_dir
        Directory with ``instagram-fake-spammer-genuine/`` (and, for the cross-dataset check,
        ``cresci-2015-subset/`` and ``cresci-2017/``).
    out_dir
        Where ``fake_profile.lgb.txt`` and ``fake_profile.json`` go (default: beside the bot
        models in the package).
    seed
        Seed of the CV splits, LightGBM and the augmentation.

    Returns
    -------
    dict
        The metadata written, plus ``model_path`` and ``metadata_path``.

    Raises
    ------
    flockwatch.errors.InputNotFoundError
        ``train.csv`` or ``test.csv`` is missing.
    """
    t0 = time.perf_counter()
    data_dir = Path(data_dir)
    out_dir = Path(out_dir) if out_dir is not None else MODEL_DIR
    folder = data_dir / DATASET
    train_raw, test_raw = _read(folder, "train.csv"), _read(folder, "test.csv")
    x_train, y_train = instagram_features(train_raw), train_raw["fake"].to_numpy(dtype=int)
    x_test, y_test = instagram_features(test_raw), test_raw["fake"].to_numpy(dtype=int)

    cv = {name: _cv(x_train, y_train, name, seed) for name in CANDIDATES}
    chosen = max(CANDIDATES, key=lambda n: cv[n]["auc_mean"])  # first wins a tie
    booster = fit_model(x_train, y_train, chosen, seed)
    test_scores = booster.predict(x_test[FAKE_PROFILE_FEATURES])
    held_out = evaluate(y_test, test_scores)
    missing = {
        label: evaluate(y_test, booster.predict(_blank(x_test, inputs)[FAKE_PROFILE_FEATURES]))
        for label, inputs in _MISSING_SCENARIOS.items()
    }
    cross = _cross(data_dir, booster)
    gain = booster.feature_importance(importance_type="gain")
    importance = {
        f: round(float(g / gain.sum()), 4)
        for f, g in sorted(zip(FAKE_PROFILE_FEATURES, gain, strict=True), key=lambda t: -t[1])
    }

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{MODEL_NAME}.lgb.txt"
    meta_path = metadata_path(model_path)
    booster.save_model(str(model_path))
    spec = CANDIDATES[chosen]
    metadata: dict[str, Any] = {
        "model": MODEL_NAME,
        "format_version": FORMAT_VERSION,
        "description": "profile-only fake-account classifier for non-Twitter platforms; "
        "score = P(fake)",
        "features": list(FAKE_PROFILE_FEATURES),
        "lightgbm_version": lgb.__version__,
        "python_version": sys.version.split()[0],
        "created": datetime.now(UTC).date().isoformat(),
        "training_data": [
            {"file": f"{DATASET}/{f}", "sha256": _sha256(folder / f), "rows": len(raw)}
            for f, raw in (("train.csv", train_raw), ("test.csv", test_raw))
        ],
        "trained_on": {
            "file": f"{DATASET}/train.csv",
            "rows": int(len(y_train)),
            "fake": int(y_train.sum()),
            "genuine": int(len(y_train) - y_train.sum()),
        },
        "seed": seed,
        "recipe": chosen,
        "params": {**_BASE, **spec["params"]},
        "num_boost_round": spec["rounds"],
        "monotone_constraints": dict(MONOTONE) if spec["constrained"] else {},
        "missing_augmentation": (
            {"copies": AUGMENT_COPIES, "p": AUGMENT_MISSING_P} if spec["constrained"] else None
        ),
        "metrics": {
            "cv_train": {"splits": CV_SPLITS, "repeats": CV_REPEATS, "recipes": cv},
            "held_out_test": held_out,
            "held_out_test_missing_inputs": missing,
            "cross_dataset": cross,
        },
        "feature_importance_gain_share": importance,
        "training_seconds": round(time.perf_counter() - t0, 1),
    }
    meta_path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return {**metadata, "model_path": str(model_path), "metadata_path": str(meta_path)}


def _fmt(m: dict[str, Any]) -> str:
    return f"{m['auc']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['n']}"


def report(metadata: dict[str, Any]) -> str:
    """The metrics of a training run as Markdown tables (what ``docs/models/fake_profile.md``
    shows).

    Parameters
    ----------
    metadata
        The dict returned by :func:`train_fake_profile_model` (or read from ``fake_profile.json``).
    """
    m = metadata["metrics"]
    cv = m["cv_train"]
    lines = [
        f"Recipe chosen by {cv['repeats']}x{cv['splits']}-fold CV on train.csv: "
        f"{metadata['recipe']}",
        "",
        "| evaluation | AUC | precision@0.5 | recall@0.5 | F1@0.5 | n |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in cv["recipes"].items():
        lines.append(
            f"| CV on train: {name} (fold AUC {r['auc_mean']:.3f} ± {r['auc_sd']:.3f}) "
            f"| {_fmt(r)} |"
        )
    lines.append(f"| **held-out test.csv** | {_fmt(m['held_out_test'])} |")
    for label, r in m["held_out_test_missing_inputs"].items():
        lines.append(f"| test.csv, {label} | {_fmt(r)} |")
    for name, r in m["cross_dataset"].items():
        lines.append(f"| cross: {name} ({r['what']}) | {_fmt(r)} |")
    if m["cross_dataset"]:
        lines += [
            "",
            "| collection | fake group | AUC | humans flagged at 0.5 |",
            "|---|---|---|---|",
        ]
        for name, r in m["cross_dataset"].items():
            for g, auc in r["auc_per_fake_group"].items():
                lines.append(f"| {name} | {g} | {auc:.3f} | {r['share_humans_flagged']:.1%} |")
    lines += [
        "",
        f"Training time: {metadata['training_seconds']} s (all evaluations + final model).",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m flockwatch.detect.fake_followers.train --data DIR [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m flockwatch.detect.fake_followers.train",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--data", required=True, type=Path, help="labelled data directory")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="output directory")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    meta = train_fake_profile_model(args.data, args.out, seed=args.seed)
    print(report(meta))
    print(f"\nwrote {meta['model_path']} and {meta['metadata_path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
