"""Edge cut-offs chosen from the data's own distribution, not fixed counts.

A fixed minimum number of co-actions gets noisier as data grows: more accounts, more chance
coincidences. Here every edge weight is first an IDF-weighted sum (a co-repost of a post that
2 of 10,000 accounts reposted weighs ``ln(1 + 5000)``; of one that 5,000 reposted, ``ln(3)``), and the
cut-off of each network comes from a *null model*: the same actions with each account's post
times shuffled among its own posts (seeded), which keeps who acted on what, how often and when
the account is active, but breaks any synchronisation. The cut-off is the lowest weight at which the estimated share of
false edges, ``#null edges >= w / #observed edges >= w`` (step-up, as permutation q-values),
stays at or below ``max_fdr``.

``method="robust_z"`` instead keeps edges whose log-weight is ``robust_z`` robust standard
deviations (1.4826 MAD) above the median log-weight; ``method="none"`` keeps every edge.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

METHODS = ("null", "robust_z", "none")
#: MAD to standard deviation, for normally distributed data.
MAD_SD = 1.4826


@dataclass(frozen=True)
class Cutoff:
    """The cut-off chosen for one network and the figures behind it."""

    network: str
    method: str
    threshold: float
    n_observed: int
    n_null: int
    n_kept: int
    est_false_edges: float

    def as_dict(self) -> dict:
        d = asdict(self)
        # JSON has no infinity: a cut-off that keeps nothing is reported as null.
        d["threshold"] = round(float(d["threshold"]), 6) if np.isfinite(d["threshold"]) else None
        d["est_false_edges"] = round(float(d["est_false_edges"]), 2)
        return d


def fdr_threshold(observed: np.ndarray, null: np.ndarray, max_fdr: float) -> tuple[float, float]:
    """Lowest observed weight ``w`` whose step-up FDR estimate is at most ``max_fdr``.

    Returns ``(threshold, estimated false edges among the kept)``; ``inf`` when no weight
    qualifies. With no null edges at all every observed edge is kept (threshold = smallest).
    """
    obs = np.sort(np.asarray(observed, dtype=float))[::-1]
    if not len(obs):
        return float("inf"), 0.0
    nul = np.sort(np.asarray(null, dtype=float))
    # Null edges at or above each observed weight, over observed edges at or above it.
    n_null_ge = len(nul) - np.searchsorted(nul, obs, side="left")
    rank = np.arange(1, len(obs) + 1)
    fdr = n_null_ge / rank
    q = np.minimum.accumulate(fdr[::-1])[::-1]  # q_i = min_{j >= i} fdr_j
    ok = np.flatnonzero(q <= max_fdr)
    if not len(ok):
        return float("inf"), 0.0
    last = ok[-1]
    return float(obs[last]), float(n_null_ge[last])


def robust_z_threshold(observed: np.ndarray, z: float) -> float:
    """``exp(median + z * 1.4826 * MAD)`` of the log-weights (only positive weights count)."""
    w = np.asarray(observed, dtype=float)
    w = w[w > 0]
    if not len(w):
        return float("inf")
    logs = np.log(w)
    med = float(np.median(logs))
    mad = float(np.median(np.abs(logs - med)))
    return float(np.exp(med + z * MAD_SD * mad))


def choose_cutoff(
    network: str,
    observed: np.ndarray,
    null: np.ndarray | None,
    *,
    method: str,
    max_fdr: float,
    robust_z: float,
) -> Cutoff:
    """The cut-off of one network by ``method`` (one of :data:`METHODS`)."""
    observed = np.asarray(observed, dtype=float)
    n_null = 0 if null is None else len(null)
    est_false = 0.0
    if method == "none" or not len(observed):
        threshold = float(observed.min()) if len(observed) else 0.0
    elif method == "null":
        threshold, est_false = fdr_threshold(observed, np.asarray(null, dtype=float), max_fdr)
    elif method == "robust_z":
        threshold = robust_z_threshold(observed, robust_z)
    else:  # validated by the detector
        raise ValueError(method)
    kept = int((observed >= threshold).sum()) if len(observed) else 0
    return Cutoff(network, method, threshold, len(observed), n_null, kept, est_false)
