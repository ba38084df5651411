"""One weighted graph from the co-action networks, and its Leiden clusters.

Each network's weights are on their own scale (IDF sums for co-actions, cosines for sync), so a
kept edge's weight is first divided by the median kept weight of its network; the graph's weight
of a pair is the sum over networks of ``network_weight * scaled weight``. Leiden
(``leidenalg``, RB-configuration quality = modularity at ``resolution`` 1) runs on it with the
seed; nodes are given to igraph in account order, so a seed gives one answer.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import numpy as np
import pandas as pd

from flockwatch.detect.coordination.textsim import sorted_unique


def combine(edges: pd.DataFrame, network_weights: dict[str, float]) -> pd.DataFrame:
    """Per pair ``(pl, a, b)`` the combined weight over networks (``weight`` column).

    ``edges`` has columns ``network, pl, a, b, weight``; networks of weight 0 are left out.
    """
    if edges.empty:
        return pd.DataFrame({"pl": [], "a": [], "b": [], "weight": []})
    e = edges[["network", "pl", "a", "b", "weight"]].copy()
    scale = e.groupby("network")["weight"].transform("median").replace(0, 1.0)
    factor = e["network"].map(network_weights).fillna(0.0)
    e["weight"] = factor * e["weight"] / scale
    e = e[e["weight"] > 0]
    out = e.groupby(["pl", "a", "b"], as_index=False, sort=True)["weight"].sum()
    return out


def leiden(combined: pd.DataFrame, *, resolution: float, seed: int) -> pd.DataFrame:
    """Leiden communities of the combined graph: frame ``pl, node, community``.

    Community numbers are arbitrary but deterministic for a seed; only nodes with an edge appear.
    """
    if combined.empty:
        return pd.DataFrame({"pl": [], "node": [], "community": []})
    nodes = sorted_unique(np.concatenate([combined["a"].to_numpy(), combined["b"].to_numpy()]))
    src = np.searchsorted(nodes, combined["a"].to_numpy())
    dst = np.searchsorted(nodes, combined["b"].to_numpy())
    graph = ig.Graph(n=len(nodes), edges=np.column_stack([src, dst]).tolist(), directed=False)
    graph.es["weight"] = combined["weight"].astype(float).tolist()
    part = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=float(resolution),
        seed=int(seed),
        n_iterations=-1,
    )
    ends = pd.concat(
        [
            combined[["pl", "a"]].set_axis(["pl", "node"], axis=1),
            combined[["pl", "b"]].set_axis(["pl", "node"], axis=1),
        ]
    )
    pl_of = ends.drop_duplicates("node").set_index("node")["pl"]
    return pd.DataFrame(
        {
            "pl": pl_of.reindex(nodes).to_numpy(),
            "node": nodes,
            "community": np.asarray(part.membership, dtype=np.int64),
        }
    )
