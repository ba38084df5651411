"""Abuse reports: the mass-reporting brigade ``brigade_1`` against a background of real ones.

The brigade reports its critics in waves: on several days, most members file a report
within minutes, a machine-regular few seconds apart (the "Auto Reporter" browser
extension), all with the same reason and templated comments. Ordinary users file reports
too, with varied reasons, clients and times, so the brigade must stand out from a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import phrases as T
from . import plan as P
from .counters import STRIDE
from .timeline import ORGANIC_HOURS, ORIGINAL

if TYPE_CHECKING:
    from .world import World

BRIGADE_CLIENT = "Auto Reporter"
BACKGROUND_RATE = 0.003  # reports per organic account per day
MIN_WAVE = 6  # the fewest members in a brigade wave


@dataclass
class Reports:
    reporter: np.ndarray
    target: np.ndarray
    target_post: np.ndarray  # row in the tweet table, or -1
    reason: np.ndarray
    comment: np.ndarray
    t: np.ndarray
    client: np.ndarray
    report_id: np.ndarray
    waves: list[dict]


class PostFinder:
    """Finds an account's latest post before a time."""

    def __init__(self, author: np.ndarray, t: np.ndarray, kind: np.ndarray) -> None:
        rows = np.flatnonzero(kind == ORIGINAL)
        key = author[rows] * STRIDE + t[rows]
        order = np.argsort(key, kind="stable")
        self.keys, self.rows = key[order], rows[order]

    def latest(self, account: np.ndarray, t: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.keys, account * STRIDE + t, side="left") - 1
        valid = at >= 0
        valid[valid] &= self.keys[at[valid]] >= account[valid] * STRIDE
        return np.where(valid, self.rows[np.maximum(at, 0)], -1)


def brigade(
    rng: np.random.Generator, w: World, window: P.Window, finder: PostFinder
) -> tuple[list, list[dict]]:
    reporters, critics = w.of(P.REPORTER), w.of(P.CRITIC)
    n_days = min(window.days - 2, max(3, window.days // 5))
    days = np.sort(rng.choice(np.arange(1, window.days - 1), n_days, replace=False))
    parts, waves = [], []
    target_turn = rng.permutation(len(critics))
    for day in days.tolist():
        # Waves of one day start in different hours of the operators' shift (06-18 UTC).
        hours = np.sort(rng.choice(np.arange(6, 18), 1 + int(rng.binomial(2, 0.4)), replace=False))
        for hour in hours.tolist():
            critic = int(critics[target_turn[len(waves) % len(critics)]])
            start = day * P.DAY_MS + hour * P.HOUR_MS + int(rng.integers(0, 30 * P.MINUTE_MS))
            members = rng.permutation(reporters)
            joining = rng.random(len(members)) < rng.uniform(0.5, 0.9)
            joining[:MIN_WAVE] = True
            members = members[joining]
            gap_ms = int(rng.uniform(4, 15) * 1000)
            t = (
                start
                + np.arange(len(members)) * gap_ms
                + rng.normal(0, 300, len(members)).astype(np.int64)
            )
            reason = T.BRIGADE_REASONS[0] if rng.random() < 0.75 else T.BRIGADE_REASONS[1]
            post = (
                finder.latest(np.array([critic]), np.array([start]))[0]
                if rng.random() < 0.7
                else -1
            )
            comment_pick = np.where(
                rng.random(len(members)) < 0.4,
                0,
                rng.integers(0, len(T.BRIGADE_COMMENTS), len(members)),
            )
            parts.append(
                (
                    members,
                    np.full(len(members), critic),
                    np.full(len(members), post),
                    np.full(len(members), reason, dtype=object),
                    np.asarray(T.BRIGADE_COMMENTS, dtype=object)[comment_pick],
                    t,
                    np.full(len(members), BRIGADE_CLIENT, dtype=object),
                )
            )
            waves.append(
                {
                    "target_account_id": str(w.account_id[critic]),
                    "start": window.iso(start),
                    "reports": len(members),
                    "reason": reason,
                    "gap_seconds": gap_ms / 1000,
                }
            )
    return parts, waves


def background(rng: np.random.Generator, w: World, window: P.Window, finder: PostFinder) -> tuple:
    people = w.of(*P.ORGANIC_LIKE)
    n = max(20, int(rng.poisson(BACKGROUND_RATE * len(people) * window.days)))
    reporter = people[rng.integers(0, len(people), n)]
    hour = rng.choice(24, n, p=ORGANIC_HOURS)
    t = (
        rng.integers(0, window.days, n) * P.DAY_MS
        + hour * P.HOUR_MS
        + rng.integers(0, P.HOUR_MS, n)
    )
    t = np.mod(t - (w.tz[reporter] * P.HOUR_MS).astype(np.int64), window.length_ms)
    kind = rng.choice(4, n, p=[0.35, 0.1, 0.1, 0.45])
    target = np.empty(n, dtype=np.int64)
    for k, roles in enumerate(
        ((P.SPAM_BOT,), (P.IMPERSONATOR,), (P.IO_AMPLIFIER,), tuple(range(len(P.LABELS))))
    ):
        rows = np.flatnonzero(kind == k)
        pool = w.of(*roles)
        target[rows] = pool[rng.integers(0, len(pool), len(rows))]
    names = [r for r, _ in T.ORGANIC_REPORT_REASONS]
    shares = np.array([s for _, s in T.ORGANIC_REPORT_REASONS])
    reason = np.asarray(names, dtype=object)[rng.choice(len(names), n, p=shares / shares.sum())]
    reason[(kind == 0) & (rng.random(n) < 0.8)] = "spam"
    reason[(kind == 1) & (rng.random(n) < 0.8)] = "impersonation"
    comment = np.asarray(T.ORGANIC_REPORT_COMMENTS, dtype=object)[
        rng.integers(0, len(T.ORGANIC_REPORT_COMMENTS), n)
    ]
    comment[rng.random(n) < 0.55] = ""
    post = finder.latest(target, t)
    post[rng.random(n) < 0.5] = -1
    clients = [c for c, _ in T.ORGANIC_REPORT_CLIENTS]
    client_p = np.array([s for _, s in T.ORGANIC_REPORT_CLIENTS])
    client = np.asarray(clients, dtype=object)[rng.choice(len(clients), n, p=client_p)]
    keep = reporter != target
    return tuple(x[keep] for x in (reporter, target, post, reason, comment, t, client))


def make_reports(
    rng: np.random.Generator, w: World, window: P.Window, finder: PostFinder
) -> Reports:
    parts, waves = brigade(rng, w, window, finder)
    parts.append(background(rng, w, window, finder))
    cols = [np.concatenate([p[i] for p in parts]) for i in range(7)]
    t = cols[5].astype(np.int64)
    order = np.argsort(t, kind="stable")
    cols = [c[order] for c in cols]
    report_id = int(rng.integers(10**9, 2 * 10**9)) + np.cumsum(rng.integers(1, 400, len(order)))
    return Reports(
        cols[0].astype(np.int64),
        cols[1].astype(np.int64),
        cols[2].astype(np.int64),
        cols[3],
        cols[4],
        cols[5].astype(np.int64),
        cols[6],
        report_id,
        waves,
    )
