"""One account's audit, for ``flockwatch audit``: find the account, read its stored audit, or
run the audit for it alone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flockwatch.detect.fake_followers.audits import run_audits
from flockwatch.detect.fake_followers.detector import FakeFollowersDetector
from flockwatch.detect.fake_followers.findings import audit_finding
from flockwatch.errors import ParameterError
from flockwatch.store.db import Store

__all__ = ["AuditResult", "audit_account", "find_account"]


@dataclass
class AuditResult:
    """An audit as ``flockwatch audit`` prints it; ``run_id`` is None when it was computed now
    (and not stored)."""

    platform: str
    account_id: str
    screen_name: str | None
    score: float
    label: str
    explanation: str
    details: dict[str, Any]
    run_id: str | None = None
    created_at: Any = None


def find_account(store: Store, account: str, platform: str | None = None) -> tuple[str, str]:
    """``(platform, account_id)`` of ``account``: an id, or ``@screen_name`` (case ignored).

    Raises
    ------
    flockwatch.errors.ParameterError
        No such account in the store, or one on several platforms (and no ``platform``).
    """
    name = account.strip()
    if name.startswith("@"):
        rows = store.con.execute(
            "SELECT DISTINCT platform, account_id FROM accounts "
            "WHERE lower(screen_name) = lower(?) AND (? IS NULL OR platform = ?) ORDER BY 1, 2",
            [name[1:], platform, platform],
        ).fetchall()
    else:
        rows = store.con.execute(
            "SELECT DISTINCT platform, account_id FROM ("
            "  SELECT platform, account_id FROM accounts WHERE account_id = $id"
            "  UNION ALL SELECT platform, followee_id FROM follows WHERE followee_id = $id"
            ") WHERE $pl IS NULL OR platform = $pl ORDER BY 1, 2",
            {"id": name, "pl": platform},
        ).fetchall()
    where = f" on {platform}" if platform else ""
    if not rows:
        hint = "" if name.startswith("@") else " (for a screen name, write @name)"
        raise ParameterError(f"no account {name!r}{where} in the store {store.path}{hint}")
    if len(rows) > 1:
        found = ", ".join(f"{p} {a}" for p, a in rows)
        raise ParameterError(
            f"{name!r} matches several accounts ({found}); choose one with --platform or its id"
        )
    return rows[0][0], rows[0][1]


def _stored(store: Store, platform: str, account_id: str) -> AuditResult | None:
    row = store.con.execute(
        "SELECT run_id, score, label, explanation, details::VARCHAR, created_at "
        "FROM latest_findings WHERE detector = 'fake_followers' AND subject_kind = 'audit' "
        "AND platform = ? AND subject_id = ?",
        [platform, account_id],
    ).fetchall()
    if not row:
        return None
    run_id, score, label, explanation, details, created_at = row[0]
    return AuditResult(
        platform,
        account_id,
        None,
        float(score),
        label,
        explanation,
        json.loads(details or "{}"),
        run_id,
        created_at,
    )


def audit_account(
    store: Store, platform: str, account_id: str, detector: FakeFollowersDetector | None = None
) -> AuditResult | None:
    """The latest stored audit of the account, else its audit computed now (not stored).

    The audit computed now uses ``detector``'s parameters (default: the defaults), whatever the
    account's number of known followers, and no seller pools (they need the other customers).
    Returns None when the account has no known follower.
    """
    rows = store.con.execute(
        "SELECT screen_name FROM accounts WHERE platform = ? AND account_id = ?",
        [platform, account_id],
    ).fetchall()
    screen_name = rows[0][0] if rows else None
    stored = _stored(store, platform, account_id)
    if stored is not None:
        stored.screen_name = screen_name
        return stored
    detector = detector or FakeFollowersDetector()
    audits, _ = run_audits(store, detector.params(), only=[(platform, account_id)])
    if not audits:
        return None
    f = audit_finding(audits[0], detector.flag_score)
    return AuditResult(
        platform, account_id, screen_name, f.score, f.label, f.explanation, f.details
    )
