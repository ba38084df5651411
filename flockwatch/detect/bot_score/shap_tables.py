"""LightGBM predictions and TreeSHAP contributions of shallow models, as lookup tables.

``booster.predict(X, pred_contrib=True)`` explains every score with exact Shapley values, but
LightGBM computes them row by row: about 30 s per million accounts on two cores for the
200-tree profile model (and 4 s just for the scores). The bot models are sums of trees of depth
at most 2, and for such trees the contributions have a simple structure that can be tabulated
once and then looked up for millions of rows with numpy.

Why this is exact. A depth-2 tree splits on feature ``A`` at the root and on ``B`` (left) and
``C`` (right) below. Its output is ``[x goes left at A] * g_L(B) + [x goes right at A] *
g_R(C)``, and the path-dependent value function TreeSHAP uses (unknown features are averaged over
the training counts of both branches) splits the same way into a "left" game on the players
``{A, B}`` and a "right" game on ``{A, C}``. Shapley values are additive over games and ignore
players a game does not involve, so every tree's contributions are sums of functions of *one or
two* features, and each such function depends on a feature only through which interval between
the model's split thresholds (or NaN) its value falls in. :class:`ShapTables` sums these
functions over all trees into one small table per feature pair; scoring is then a binning per
feature (``searchsorted``) and two lookups per pair. The tables reproduce LightGBM's own
``pred_contrib`` output (a test checks it to 1e-9, thresholds and NaN included).

Models with deeper trees, categorical splits or LightGBM's "zero as missing" mode are refused
with :class:`NotTabulableError`; callers then fall back to LightGBM (slow but exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np

__all__ = ["NotTabulableError", "ShapTables"]

_MISSING_NONE, _MISSING_ZERO, _MISSING_NAN = "None", "Zero", "NaN"


class NotTabulableError(ValueError):
    """The model has trees this module cannot tabulate (depth > 2, categorical or zero-missing
    splits)."""


@dataclass
class _Split:
    feature: int
    threshold: float
    default_left: bool
    missing: str
    count: float


@dataclass
class _Leaf:
    value: float
    count: float


def _parse(node: dict[str, Any]) -> _Split | _Leaf:
    if "split_feature" not in node:
        return _Leaf(float(node["leaf_value"]), float(node.get("leaf_count", 0)))
    if node.get("decision_type", "<=") != "<=":
        raise NotTabulableError("categorical splits are not supported")
    if node.get("missing_type", _MISSING_NONE) == _MISSING_ZERO:
        raise NotTabulableError("zero-as-missing splits are not supported")
    return _Split(
        feature=int(node["split_feature"]),
        threshold=float(node["threshold"]),
        default_left=bool(node["default_left"]),
        missing=str(node.get("missing_type", _MISSING_NONE)),
        count=float(node["internal_count"]),
    )


def _count(node: dict[str, Any]) -> float:
    return float(node["internal_count"] if "split_feature" in node else node["leaf_count"])


class ShapTables:
    """Exact scores and TreeSHAP contributions of a LightGBM model with trees of depth <= 2.

    Parameters
    ----------
    booster
        A trained binary or regression booster; its trees must be at most 2 deep, numerical,
        with NaN (or no) missing-value handling.

    Raises
    ------
    NotTabulableError
        The model has a deeper tree, a categorical split or zero-as-missing splits.

    Examples
    --------
    >>> import lightgbm as lgb, numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 3)); y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int)
    >>> params = {"objective": "binary", "max_depth": 2, "num_leaves": 4, "verbose": -1}
    >>> booster = lgb.train(params, lgb.Dataset(X, y), num_boost_round=20)
    >>> raw, contrib = ShapTables(booster).predict_contrib(X[:5])
    >>> bool(np.allclose(contrib, booster.predict(X[:5], pred_contrib=True)))
    True
    """

    def __init__(self, booster: lgb.Booster) -> None:
        dump = booster.dump_model()
        self.feature_names: list[str] = list(dump["feature_names"])
        n_features = len(self.feature_names)
        trees = [t["tree_structure"] for t in dump["tree_info"]]
        thresholds: list[set[float]] = [set() for _ in range(n_features)]
        for tree in trees:
            self._collect(tree, thresholds, depth=0)
        #: Sorted split thresholds of each feature (bins: values <= t[0], ... > t[-1], NaN).
        self.thresholds = [np.array(sorted(t), dtype=np.float64) for t in thresholds]
        self.n_bins = [len(t) + 2 for t in self.thresholds]
        self.bias = 0.0
        self._pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._singles: dict[int, np.ndarray] = {}
        for tree in trees:
            self._add_tree(tree)
        self._fold_singles()

    # -- building -----------------------------------------------------------------------
    def _collect(self, node: dict[str, Any], thresholds: list[set[float]], depth: int) -> None:
        parsed = _parse(node)
        if isinstance(parsed, _Leaf):
            return
        if depth >= 2:
            raise NotTabulableError("trees deeper than 2 levels are not supported")
        thresholds[parsed.feature].add(parsed.threshold)
        self._collect(node["left_child"], thresholds, depth + 1)
        self._collect(node["right_child"], thresholds, depth + 1)

    def _goes_left(self, split: _Split) -> np.ndarray:
        """Whether a value in each bin of the split's feature goes left (bool per bin)."""
        t = self.thresholds[split.feature]
        k = int(np.searchsorted(t, split.threshold))  # t[k] == split.threshold
        regular = np.arange(len(t) + 1) <= k  # bin b holds values in (t[b-1], t[b]]
        if split.missing == _MISSING_NAN:
            nan_left = split.default_left
        else:  # LightGBM reads NaN as 0.0 when the split has no missing-value handling
            nan_left = bool(split.threshold >= 0.0)
        return np.append(regular, nan_left)

    def _add_tree(self, tree: dict[str, Any]) -> None:
        root = _parse(tree)
        if isinstance(root, _Leaf):
            self.bias += root.value
            return
        left_dir = self._goes_left(root).astype(np.float64)
        p_left = _count(tree["left_child"]) / root.count
        for side, share, go in (
            ("left_child", p_left, left_dir),
            ("right_child", 1.0 - p_left, 1.0 - left_dir),
        ):
            self._add_game(root.feature, share, go, tree[side])

    def _add_game(self, a: int, share: float, go: np.ndarray, child: dict[str, Any]) -> None:
        """Add the sub-game "x reaches ``child`` through the root (feature ``a``), then ``child``".

        ``go[bin_a]`` is 1 when a value in that bin of ``a`` takes this side; ``share`` is the
        training share that does. The game's worth for a set S of known features is
        ``(go if a in S else share) * (child value if the child's feature in S else its
        count-weighted mean)``.
        """
        node = _parse(child)
        if isinstance(node, _Leaf):
            # One player (a): worth(S) = w(S) * leaf.
            self._add_single(a, (go - share) * node.value)
            self.bias += share * node.value
            return
        left, right = _parse(child["left_child"]), _parse(child["right_child"])
        assert isinstance(left, _Leaf) and isinstance(right, _Leaf)
        q = left.count / node.count
        mean = q * left.value + (1.0 - q) * right.value
        known = np.where(self._goes_left(node), left.value, right.value)  # value per bin of b
        b = node.feature
        self.bias += share * mean
        if b == a:
            # One player: worth(∅) = share * mean, worth({a}) = go * known (same bins).
            self._add_single(a, go * known - share * mean)
            return
        # Two players a, b: worth(∅)=s*m, worth(a)=go*m, worth(b)=s*known, worth(ab)=go*known.
        ga, kb = go[:, None], known[None, :]
        phi_a = 0.5 * ((ga - share) * mean + (ga - share) * kb)
        phi_b = 0.5 * (share * (kb - mean) + ga * (kb - mean))
        self._add_pair(a, b, phi_a, phi_b)

    def _add_single(self, a: int, phi: np.ndarray) -> None:
        if a in self._singles:
            self._singles[a] = self._singles[a] + phi
        else:
            self._singles[a] = phi.copy()

    def _add_pair(self, a: int, b: int, phi_a: np.ndarray, phi_b: np.ndarray) -> None:
        if a > b:
            a, b, phi_a, phi_b = b, a, phi_b.T, phi_a.T
        if (a, b) in self._pairs:
            old_a, old_b = self._pairs[(a, b)]
            self._pairs[(a, b)] = (old_a + phi_a, old_b + phi_b)
        else:
            self._pairs[(a, b)] = (phi_a.copy(), phi_b.copy())

    def _fold_singles(self) -> None:
        """Add each one-feature table into a pair table holding that feature (fewer lookups)."""
        for a in list(self._singles):
            for (x, y), (phi_x, phi_y) in self._pairs.items():
                if a == x:
                    self._pairs[(x, y)] = (phi_x + self._singles.pop(a)[:, None], phi_y)
                    break
                if a == y:
                    self._pairs[(x, y)] = (phi_x, phi_y + self._singles.pop(a)[None, :])
                    break
        self._flat = {
            key: (np.ascontiguousarray(pa).ravel(), np.ascontiguousarray(pb).ravel())
            for key, (pa, pb) in self._pairs.items()
        }

    # -- scoring ------------------------------------------------------------------------
    def used_features(self) -> list[int]:
        """Indices of the features the model splits on."""
        return [j for j, t in enumerate(self.thresholds) if len(t)]

    def _bin(self, j: int, values: np.ndarray) -> np.ndarray:
        t = self.thresholds[j]
        b = np.searchsorted(t, values, side="left").astype(np.int32)
        b[np.isnan(values)] = len(t) + 1
        return b

    def contributions(self, columns: np.ndarray) -> np.ndarray:
        """Feature contributions, feature-major (the fast layout for many rows).

        Parameters
        ----------
        columns
            ``(n_features, n_rows)`` float64 array, one row per model feature in the model's
            order (NaN = missing).

        Returns
        -------
        numpy.ndarray
            ``(n_features + 1, n_rows)``: the transpose of LightGBM's ``pred_contrib``
            output; the last row is the expected value. Its column sums are the raw scores.
        """
        columns = np.asarray(columns, dtype=np.float64)
        n_features, n = columns.shape
        if n_features != len(self.feature_names):
            raise ValueError(
                f"expected {len(self.feature_names)} feature columns, got {n_features}"
            )
        contrib = np.zeros((n_features + 1, n), dtype=np.float64)
        bins = {j: self._bin(j, columns[j]) for j in self.used_features()}
        for (a, b), (phi_a, phi_b) in self._flat.items():
            idx = bins[a] * self.n_bins[b] + bins[b]
            contrib[a] += phi_a[idx]
            contrib[b] += phi_b[idx]
        for a, phi in self._singles.items():
            contrib[a] += phi[bins[a]]
        contrib[n_features] = self.bias
        return contrib

    def predict_contrib(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw scores (log-odds for a binary model) and feature contributions, row-major.

        Parameters
        ----------
        x
            ``(n_rows, n_features)`` float array in the model's feature order (NaN = missing).

        Returns
        -------
        raw : numpy.ndarray
            ``(n_rows,)``: what ``booster.predict(x, raw_score=True)`` returns.
        contrib : numpy.ndarray
            ``(n_rows, n_features + 1)``: what ``booster.predict(x, pred_contrib=True)``
            returns; the last column is the expected value (the same for every row).
        """
        contrib = self.contributions(np.ascontiguousarray(np.asarray(x, dtype=np.float64).T))
        return contrib.sum(axis=0), contrib.T
