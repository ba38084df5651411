"""Reproducible training of the profile bot/fake-account model.

Usage::

    python -m flockwatch.detect.bot_score.train --data ../shared/data/training \\
        --out flockwatch/detect/bot_score/models

reads the labelled Cresci collections (Twitter API v1.1 user objects as CSV), maps them onto
flockwatch's canonical account columns, computes :func:`profile_features`, evaluates the model
recipe (5-fold stratified CV inside each collection, and across collections: train on one, test
on the other), then trains the final model on both collections and writes
``bot_profile.lgb.txt`` and ``bot_profile.json`` into ``--out``. Everything is seeded; the same
data, seed and LightGBM version give byte-identical model files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from flockwatch.detect.bot_score.features import PROFILE_FEATURES, profile_features
from flockwatch.detect.bot_score.model import FORMAT_VERSION, MODEL_NAME, metadata_path
from flockwatch.errors import InputNotFoundError

__all__ = [
    "DATASETS",
    "LGB_PARAMS",
    "MONOTONE",
    "NUM_BOOST_ROUND",
    "evaluate",
    "fit_model",
    "load_cresci_users",
    "load_dataset",
    "main",
    "train_profile_model",
]

#: Labelled files per collection: file name -> (label, group). 1 = bot/fake, 0 = human.
DATASETS: dict[str, dict[str, tuple[int, str]]] = {
    "cresci-2017": {
        "genuine_accounts_users.csv": (0, "genuine"),
        "social_spambots_1_users.csv": (1, "social_spambots_1"),
        "social_spambots_2_users.csv": (1, "social_spambots_2"),
        "social_spambots_3_users.csv": (1, "social_spambots_3"),
    },
    "cresci-2015-subset": {
        "E13_users.csv": (0, "E13"),
        "INT_users.csv": (1, "INT"),
    },
}

_V11_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # "Fri Apr 06 10:58:22 +0000 2007"
_BOOL_COLUMNS = ("verified", "protected", "default_profile_image")
_COUNT_COLUMNS = {
    "followers_count": "followers_count",
    "friends_count": "following_count",
    "statuses_count": "posts_count",
    "favourites_count": "likes_count",
    "listed_count": "listed_count",
}
_TEXT_COLUMNS = {
    "screen_name": "screen_name",
    "name": "display_name",
    "description": "description",
    "location": "location",
    "url": "url",
    "lang": "lang",
    "profile_image_url": "profile_image_url",
}


# --------------------------------------------------------------------------- data loading


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _parse_times(values: pd.Series) -> pd.Series:
    """v1.1 ``created_at`` strings (or ISO-like ones) as UTC-naive datetimes; NaT if unparsable."""
    s = values.astype("object").where(values.notna() & (values.astype(str).str.strip() != ""))
    parsed = pd.to_datetime(s, format=_V11_TIME_FORMAT, errors="coerce", utc=True)
    rest = parsed.isna() & s.notna()
    if rest.any():
        parsed[rest] = pd.to_datetime(s[rest], format="mixed", errors="coerce", utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def load_cresci_users(path: str | Path) -> pd.DataFrame:
    """Read one Cresci ``users.csv`` file exactly as stored: every column a string, no NA guessing.

    Parameters
    ----------
    path
        A CSV of Twitter API v1.1 user objects (MIB / Bot Repository layout).

    Returns
    -------
    pandas.DataFrame
        The raw columns as ``str``; empty cells are ``""``.
    """
    p = Path(path)
    if not p.is_file():
        raise InputNotFoundError(f"training file {p} does not exist")
    return pd.read_csv(p, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def _canonical(raw: pd.DataFrame, recorded_bools: set[str]) -> pd.DataFrame:
    """Map raw v1.1 user columns onto canonical account columns (no ``observed_at`` yet)."""
    out = pd.DataFrame(index=raw.index)
    out["account_id"] = raw["id"].astype(str) if "id" in raw else pd.Series(dtype=str)
    for src, dst in _TEXT_COLUMNS.items():
        out[dst] = raw.get(src)
    out["created_at"] = _parse_times(raw["created_at"]) if "created_at" in raw else pd.NaT
    for col in _BOOL_COLUMNS:
        if col in raw and col in recorded_bools:
            # MIB dumps write true as "1" and false as an empty cell.
            out[col] = raw[col].str.strip().isin(["1", "true", "True"]).astype("boolean")
        else:
            out[col] = pd.array([pd.NA] * len(raw), dtype="boolean")
    for src, dst in _COUNT_COLUMNS.items():
        vals = pd.to_numeric(raw[src], errors="coerce") if src in raw else np.nan
        out[dst] = pd.array(vals, dtype="Int64") if src in raw else pd.NA
    return out


def _banner_times(raw: pd.DataFrame) -> pd.Series:
    """Upload times of profile banners (epoch seconds in the banner URL): seen before the crawl."""
    if "profile_banner_url" not in raw:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    secs = pd.to_numeric(
        raw["profile_banner_url"].str.extract(r"profile_banners/\d+/(\d+)")[0], errors="coerce"
    )
    return pd.to_datetime(secs, unit="s", errors="coerce")


@dataclass
class LoadedDataset:
    """A labelled collection mapped onto canonical columns."""

    name: str
    accounts: pd.DataFrame  # canonical columns + observed_at + label + group + source_file
    files: list[dict[str, Any]]  # file, sha256, rows, label, group
    observed_at_source: str  # how observed_at was obtained


def load_dataset(data_dir: str | Path, name: str) -> LoadedDataset:
    """Load one labelled collection of :data:`DATASETS` onto flockwatch's canonical columns.

    Parameters
    ----------
    data_dir
        Directory holding one sub-directory per collection (``cresci-2017/`` ...).
    name
        A key of :data:`DATASETS`.

    Returns
    -------
    LoadedDataset
        ``accounts`` has the canonical account columns plus ``observed_at``, ``label`` (1 =
        bot/fake), ``group`` and ``source_file``.

    Notes
    -----
    * Booleans: the MIB dumps write true as ``1`` and false as an empty cell. A boolean column
      that holds ``1`` somewhere in the collection is read that way; one that is empty in
      every file of the collection (``verified`` and ``protected`` in cresci-2015) was not
      recorded and becomes NA.
    * ``observed_at``: the ``crawled_at`` column when the files have one (cresci-2017).
      cresci-2015 has only ``updated`` (14 Feb 2015), a database export time, not the crawl:
      its profile-image URLs use the 2012-13 host ``a0.twimg.com``, and no account was
      created, nor banner uploaded, after 30 April 2013. For files without ``crawled_at``
      ``observed_at`` is therefore estimated as the day after the latest account creation or
      banner upload in the whole collection (2013-05-01), the same for humans and fakes.
      (cresci-2017's ``timestamp`` is the creation time in Italian local time, not a crawl.)
    """
    spec = DATASETS[name]
    folder = Path(data_dir) / name
    raws: list[tuple[str, pd.DataFrame]] = [(f, load_cresci_users(folder / f)) for f in spec]
    recorded = {
        col
        for col in _BOOL_COLUMNS
        for _, raw in raws
        if col in raw and raw[col].str.strip().isin(["1", "true", "True"]).any()
    }
    frames, files = [], []
    has_crawl = all("crawled_at" in raw for _, raw in raws)
    latest = pd.NaT
    for fname, raw in raws:
        label, group = spec[fname]
        acc = _canonical(raw, recorded)
        if has_crawl:
            acc["observed_at"] = pd.to_datetime(raw["crawled_at"], errors="coerce", format="mixed")
        else:
            ev = pd.concat([acc["created_at"], _banner_times(raw)]).max()
            latest = ev if pd.isna(latest) else max(latest, ev)
        acc["label"] = label
        acc["group"] = group
        acc["source_file"] = fname
        frames.append(acc)
        files.append(
            {
                "file": f"{name}/{fname}",
                "sha256": _sha256(folder / fname),
                "rows": len(raw),
                "label": label,
                "group": group,
            }
        )
    accounts = pd.concat(frames, ignore_index=True)
    if has_crawl:
        source = "crawled_at column"
    else:
        est = (pd.Timestamp(latest) + pd.Timedelta(days=1)).normalize()
        accounts["observed_at"] = est
        source = (
            f"estimated {est.date().isoformat()}: day after the latest account creation or "
            "banner upload in the collection (files have no crawl time)"
        )
    accounts["observed_at"] = accounts["observed_at"].astype("datetime64[ns]")
    return LoadedDataset(name=name, accounts=accounts, files=files, observed_at_source=source)


# --------------------------------------------------------------------------- model recipe

#: LightGBM parameters: shallow trees and strong regularisation, chosen by leave-one-spambot-
#: family-out cross-validation inside cresci-2017 (see docs/models/bot_score.md).
LGB_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 4,
    "max_depth": 2,
    "min_data_in_leaf": 50,
    "lambda_l2": 10.0,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "monotone_constraints_method": "advanced",
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
NUM_BOOST_ROUND: int = 200

#: Monotone constraints (+1: a higher value can only raise the bot score, -1: only lower it).
#: Priors that hold beyond the training collections; all other features are unconstrained.
MONOTONE: dict[str, int] = {
    "log_followers": -1,
    "log_listed": -1,
    "followers_following_ratio": -1,
    "listed_per_1k_followers": -1,
    "account_age_days": -1,
    "verified": -1,
    "default_profile_image": 1,
    "screen_name_digits": 1,
    "screen_name_digit_share": 1,
    "empty_description": 1,
}

#: Features that become NaN together when one canonical input is missing on a platform.
MISSING_GROUPS: dict[str, list[str]] = {
    "posts_count": ["log_posts", "likes_per_post", "posts_per_day"],
    "followers_count": [
        "log_followers",
        "followers_following_ratio",
        "listed_per_1k_followers",
        "followers_per_day",
    ],
    "following_count": ["log_following", "followers_following_ratio", "following_per_day"],
    "likes_count": ["log_likes", "likes_per_post", "likes_per_day"],
    "listed_count": ["log_listed", "listed_per_1k_followers", "listed_per_day"],
    "created_at": [
        "account_age_days",
        "posts_per_day",
        "followers_per_day",
        "following_per_day",
        "likes_per_day",
        "listed_per_day",
    ],
    "screen_name": [
        "screen_name_length",
        "screen_name_digits",
        "screen_name_digit_share",
        "screen_name_entropy",
        "name_screen_name_similarity",
    ],
    "display_name": [
        "display_name_length",
        "display_name_digits",
        "display_name_words",
        "display_name_entropy",
        "name_screen_name_similarity",
    ],
    "description": ["description_length", "empty_description"],
    "url": ["has_url"],
    "location": ["has_location"],
    "default_profile_image": ["default_profile_image"],
    "verified": ["verified"],
    "protected": ["protected"],
}
#: Missing-column augmentation: one extra copy of the training rows in which each canonical
#: input is blanked with this probability, so every feature has a learned NaN branch. Without
#: it LightGBM sends NaN of a never-missing feature to the 0 side: a platform without likes
#: would look like "0 likes", i.e. like a bot.
AUGMENT_COPIES: int = 1
AUGMENT_MISSING_P: float = 0.25


def _augment_missing(
    features: pd.DataFrame, labels: np.ndarray, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = features.reset_index(drop=True)
    xs, ys = [base], [labels]
    for _ in range(AUGMENT_COPIES):
        z = base.copy()
        for cols in MISSING_GROUPS.values():
            mask = rng.random(len(z)) < AUGMENT_MISSING_P
            z.loc[mask, cols] = np.nan
        xs.append(z)
        ys.append(labels)
    return pd.concat(xs, ignore_index=True), np.concatenate(ys)


def fit_model(
    features: pd.DataFrame, labels: Sequence[int] | np.ndarray, seed: int = 0
) -> lgb.Booster:
    """Train one booster with the recipe of this module.

    Parameters
    ----------
    features
        Output of :func:`profile_features` (columns :data:`PROFILE_FEATURES`).
    labels
        1 = bot/fake, 0 = human, aligned with ``features``.
    seed
        Seed of LightGBM's bagging/feature sampling and of the missing-column augmentation.

    Returns
    -------
    lightgbm.Booster
    """
    y = np.asarray(labels, dtype=int)
    x, y = _augment_missing(features[PROFILE_FEATURES], y, seed)
    params = {
        **LGB_PARAMS,
        "seed": seed,
        "monotone_constraints": [MONOTONE.get(f, 0) for f in PROFILE_FEATURES],
    }
    data = lgb.Dataset(x, label=y, feature_name=PROFILE_FEATURES, free_raw_data=True)
    return lgb.train(params, data, num_boost_round=NUM_BOOST_ROUND)


# --------------------------------------------------------------------------- evaluation


def evaluate(
    labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray
) -> dict[str, Any]:
    """ROC AUC, and precision / recall / F1 of the bot class at threshold 0.5.

    Parameters
    ----------
    labels
        1 = bot/fake, 0 = human.
    scores
        Predicted bot probabilities.

    Returns
    -------
    dict
        ``auc, precision, recall, f1, n, n_bots`` (floats rounded to 4 decimals).
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    pred = (s >= 0.5).astype(int)
    return {
        "auc": round(float(roc_auc_score(y, s)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "n": int(len(y)),
        "n_bots": int(y.sum()),
    }


def _per_group_auc(acc: pd.DataFrame, scores: np.ndarray) -> dict[str, float]:
    """AUC of all humans of a collection against each bot group separately."""
    human = acc["label"].to_numpy() == 0
    out = {}
    for g in acc.loc[~human, "group"].unique():
        m = human | (acc["group"].to_numpy() == g)
        out[str(g)] = round(float(roc_auc_score(acc["label"].to_numpy()[m], scores[m])), 4)
    return out


def _cv_scores(x: pd.DataFrame, y: np.ndarray, strata: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold scores of 5-fold stratified CV."""
    oof = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for tr, te in folds.split(x, strata):
        booster = fit_model(x.iloc[tr], y[tr], seed)
        oof[te] = booster.predict(x.iloc[te][PROFILE_FEATURES])
    return oof


def _family_out(data: LoadedDataset, x: pd.DataFrame, seed: int) -> dict[str, float]:
    """Leave one bot group out (with a third of the humans); the model-selection criterion."""
    acc = data.accounts
    y = acc["label"].to_numpy()
    g = acc["group"].to_numpy()
    humans = np.flatnonzero(y == 0)
    bot_groups = sorted(set(g[y == 1]))
    fold = np.random.default_rng(seed).permutation(len(humans)) % len(bot_groups)
    out = {}
    for k, fam in enumerate(bot_groups):
        tr = np.concatenate([humans[fold != k], np.flatnonzero((y == 1) & (g != fam))])
        te = np.concatenate([humans[fold == k], np.flatnonzero(g == fam)])
        booster = fit_model(x.iloc[tr], y[tr], seed)
        out[fam] = round(float(roc_auc_score(y[te], booster.predict(x.iloc[te]))), 4)
    return out


_MISSING_SCENARIOS: dict[str, list[str]] = {
    "no likes_count, listed_count": ["likes_count", "listed_count"],
    "no created_at": ["created_at"],
    "counts only (posts, followers, following)": [
        k for k in MISSING_GROUPS if k not in ("posts_count", "followers_count", "following_count")
    ],
}


def _blank(x: pd.DataFrame, inputs: list[str]) -> pd.DataFrame:
    z = x.copy()
    for inp in inputs:
        z[MISSING_GROUPS[inp]] = np.nan
    return z


def _instagram_check(data_dir: Path, booster: lgb.Booster) -> dict[str, Any] | None:
    """Score the Kaggle Instagram fake/genuine table with the final model (lossy mapping).

    The table has only derived columns, so features are filled directly: digits share of the
    user name, words of the full name, name==username (similarity 1, else unknown), bio
    length, external URL, private, profile picture and the three counts; everything else
    (likes, lists, age, screen-name length and entropy, location) is NaN.
    """
    folder = data_dir / "instagram-fake-spammer-genuine"
    if not (folder / "train.csv").is_file():
        return None
    raw = pd.concat(
        [pd.read_csv(folder / f) for f in ("train.csv", "test.csv") if (folder / f).is_file()],
        ignore_index=True,
    )
    x = pd.DataFrame(np.nan, index=raw.index, columns=PROFILE_FEATURES)
    posts, fol, fng = raw["#posts"], raw["#followers"], raw["#follows"]
    x["log_posts"] = np.log1p(posts)
    x["log_followers"] = np.log1p(fol)
    x["log_following"] = np.log1p(fng)
    x["followers_following_ratio"] = fol / fng.clip(lower=1)
    x["screen_name_digit_share"] = raw["nums/length username"]
    x["display_name_words"] = raw["fullname words"]
    x["display_name_digits"] = np.where(raw["nums/length fullname"] == 0, 0.0, np.nan)
    x["name_screen_name_similarity"] = np.where(raw["name==username"] == 1, 1.0, np.nan)
    x["description_length"] = raw["description length"]
    x["empty_description"] = (raw["description length"] == 0).astype(float)
    x["has_url"] = raw["external URL"].astype(float)
    x["protected"] = raw["private"].astype(float)
    x["default_profile_image"] = 1.0 - raw["profile pic"].astype(float)
    res = evaluate(raw["fake"].to_numpy(), booster.predict(x[PROFILE_FEATURES]))
    res["files"] = [
        {"file": f"instagram-fake-spammer-genuine/{f}", "sha256": _sha256(folder / f)}
        for f in ("train.csv", "test.csv")
        if (folder / f).is_file()
    ]
    return res


# --------------------------------------------------------------------------- training


def train_profile_model(data_dir: str | Path, out_dir: str | Path, seed: int = 0) -> dict[str, Any]:
    """Evaluate the recipe, train the final model on both collections and write it.

    Parameters
    ----------
    data_dir
        Directory with ``cresci-2017/`` and ``cresci-2015-subset/`` (and optionally
        ``instagram-fake-spammer-genuine/`` for an extra out-of-platform check).
    out_dir
        Where ``bot_profile.lgb.txt`` and ``bot_profile.json`` are written (created if needed).
    seed
        Seed for CV splits, LightGBM and the augmentation.

    Returns
    -------
    dict
        The metadata written to ``bot_profile.json``, plus ``model_path`` and
        ``metadata_path``.

    Raises
    ------
    flockwatch.errors.InputNotFoundError
        A training file is missing.
    """
    t0 = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    loaded = {name: load_dataset(data_dir, name) for name in DATASETS}
    feats = {n: profile_features(d.accounts) for n, d in loaded.items()}
    labels = {n: d.accounts["label"].to_numpy() for n, d in loaded.items()}

    metrics: dict[str, Any] = {"in_dataset_cv": {}, "cross_dataset": {}}
    for n, d in loaded.items():
        oof = _cv_scores(feats[n], labels[n], labels[n], seed)
        metrics["in_dataset_cv"][n] = {
            **evaluate(labels[n], oof),
            "auc_per_bot_group": _per_group_auc(d.accounts, oof),
        }
    metrics["selection_leave_one_spambot_family_out"] = _family_out(
        loaded["cresci-2017"], feats["cresci-2017"], seed
    )
    names = list(DATASETS)
    for a, b in ((names[0], names[1]), (names[1], names[0])):
        booster = fit_model(feats[a], labels[a], seed)
        scores = booster.predict(feats[b][PROFILE_FEATURES])
        missing = {}
        for label, inputs in _MISSING_SCENARIOS.items():
            s = booster.predict(_blank(feats[b], inputs)[PROFILE_FEATURES])
            missing[label] = evaluate(labels[b], s)
        metrics["cross_dataset"][f"{a} -> {b}"] = {
            **evaluate(labels[b], scores),
            "auc_per_bot_group": _per_group_auc(loaded[b].accounts, scores),
            "with_missing_inputs": missing,
        }

    x_all = pd.concat([feats[n] for n in names], ignore_index=True)
    y_all = np.concatenate([labels[n] for n in names])
    src = np.concatenate([np.full(len(labels[n]), i) for i, n in enumerate(names)])
    oof = _cv_scores(x_all, y_all, src * 2 + y_all, seed)
    final_cv = evaluate(y_all, oof)
    final_cv["per_dataset"] = {n: evaluate(labels[n], oof[src == i]) for i, n in enumerate(names)}
    booster = fit_model(x_all, y_all, seed)
    metrics["final_model_cv_both"] = final_cv
    insta = _instagram_check(data_dir, booster)
    if insta is not None:
        metrics["extra_instagram_lossy"] = insta
    gain = booster.feature_importance(importance_type="gain")
    importance = {
        f: round(float(g / gain.sum()), 4)
        for f, g in sorted(zip(PROFILE_FEATURES, gain, strict=True), key=lambda t: -t[1])
    }

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{MODEL_NAME}.lgb.txt"
    meta_path = metadata_path(model_path)
    booster.save_model(str(model_path))
    elapsed = round(time.perf_counter() - t0, 1)
    metadata: dict[str, Any] = {
        "model": MODEL_NAME,
        "format_version": FORMAT_VERSION,
        "description": "profile-only bot/fake-account classifier; score = P(bot or fake)",
        "features": list(PROFILE_FEATURES),
        "lightgbm_version": lgb.__version__,
        "python_version": sys.version.split()[0],
        "created": datetime.now(UTC).date().isoformat(),
        "training_data": [f for n in names for f in loaded[n].files],
        "observed_at": {n: loaded[n].observed_at_source for n in names},
        "trained_on": {
            "rows": int(len(y_all)),
            "bots": int(y_all.sum()),
            "humans": int(len(y_all) - y_all.sum()),
        },
        "seed": seed,
        "params": {k: v for k, v in LGB_PARAMS.items()},
        "num_boost_round": NUM_BOOST_ROUND,
        "monotone_constraints": dict(MONOTONE),
        "missing_augmentation": {"copies": AUGMENT_COPIES, "p": AUGMENT_MISSING_P},
        "metrics": metrics,
        "feature_importance_gain_share": importance,
        "training_seconds": elapsed,
    }
    meta_path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return {**metadata, "model_path": str(model_path), "metadata_path": str(meta_path)}


def _fmt(m: dict[str, Any]) -> str:
    return f"{m['auc']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['n']}"


def report(metadata: dict[str, Any]) -> str:
    """The metrics of a training run as Markdown tables (what ``docs/models/bot_score.md`` shows).

    Parameters
    ----------
    metadata
        The dict returned by :func:`train_profile_model` (or read from ``bot_profile.json``).

    Returns
    -------
    str
    """
    m = metadata["metrics"]
    lines = [
        "| evaluation | AUC | precision@0.5 | recall@0.5 | F1@0.5 | n |",
        "|---|---|---|---|---|---|",
    ]
    for n, r in m["in_dataset_cv"].items():
        lines.append(f"| 5-fold CV within {n} | {_fmt(r)} |")
    for n, r in m["cross_dataset"].items():
        lines.append(f"| train {n.replace(' -> ', ', test ')} | {_fmt(r)} |")
    fin = m["final_model_cv_both"]
    lines.append(f"| final recipe, 5-fold CV on both | {_fmt(fin)} |")
    for n, r in fin["per_dataset"].items():
        lines.append(f"| ... of which {n} rows | {_fmt(r)} |")
    if "extra_instagram_lossy" in m:
        lines.append(
            f"| final model on Instagram table (lossy) | {_fmt(m['extra_instagram_lossy'])} |"
        )
    lines += ["", "AUC of all humans against one bot group:", ""]
    lines += ["| evaluation | bot group | AUC |", "|---|---|---|"]
    for kind in ("in_dataset_cv", "cross_dataset"):
        for n, r in m[kind].items():
            for g, auc in r["auc_per_bot_group"].items():
                lines.append(f"| {kind.replace('_', ' ')} {n} | {g} | {auc:.3f} |")
    lines += ["", "Cross-dataset with inputs blanked at test time:", ""]
    lines += [
        "| train -> test | missing inputs | " + "AUC | precision@0.5 | recall@0.5 | F1@0.5 | n |"
    ]
    lines += ["|---|---|---|---|---|---|---|"]
    for n, r in m["cross_dataset"].items():
        for scen, s in r["with_missing_inputs"].items():
            lines.append(f"| {n} | {scen} | {_fmt(s)} |")
    fam = m["selection_leave_one_spambot_family_out"]
    lines += ["", "Leave-one-spambot-family-out AUC within cresci-2017 (selection criterion): "]
    lines[-1] += ", ".join(f"{k} {v:.3f}" for k, v in fam.items())
    lines += [
        "",
        f"Training time: {metadata['training_seconds']} s (all evaluations + final model).",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m flockwatch.detect.bot_score.train --data DIR --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m flockwatch.detect.bot_score.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--data", required=True, type=Path, help="labelled data directory")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "models",
        help="output directory (default: the package's models/)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    meta = train_profile_model(args.data, args.out, seed=args.seed)
    print(report(meta))
    print(f"\nwrote {meta['model_path']} and {meta['metadata_path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
