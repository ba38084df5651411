"""What a report reads from the store: the latest findings, the runs behind them, the detectors.

Findings are read generically from ``latest_findings``; ``evidence`` and ``details`` are parsed
into dicts and every detector-specific key is read defensively (``details`` may lack any key),
so a detector that changes or omits a field degrades one figure, never the report.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import pandas as pd

from flockwatch.detect.base import Detector
from flockwatch.store.db import Store

#: Findings per detector named in the overview's headlines (they always get a panel).
HEADLINES = 3
#: Flag threshold for findings of a detector whose class is not installed (the base default).
DEFAULT_FLAG_SCORE = 0.5


@dataclass
class ReportOptions:
    """Knobs of one report."""

    #: Accounts that get a full panel (profile, timelines, evidence); the table lists all.
    top_accounts: int = 200
    #: Clusters that get a network picture and campaign view.
    top_clusters: int = 10
    title: str = "flockwatch investigation report"
    #: Seed of the network layouts: the same store gives the same pictures.
    seed: int = 0
    generated_at: datetime = field(
        default_factory=lambda: datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    )


def parse_json(value: Any) -> Any:
    """A JSON column value as Python (dicts stay dicts, bad text becomes ``{}``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {}
    if isinstance(value, dict | list):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return {}


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def contributions(details: dict[str, Any]) -> list[tuple[str, float, Any]]:
    """``(feature, contribution, value)`` of a score explained by features, largest first.

    Reads ``details["contributions"]``, ``["top_features"]`` or ``["top"]``, each either a list
    of ``{"feature", "contribution", "value"}`` or a ``{feature: contribution}`` mapping."""
    raw = details.get("contributions") or details.get("top_features") or details.get("top")
    items: list[tuple[str, float, Any]] = []
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(v, dict):
                c, value = v.get("contribution", v.get("shap")), v.get("value")
            else:
                c, value = v, None
            if isinstance(c, int | float) and not isinstance(c, bool):
                items.append((str(k), float(c), value))
    elif isinstance(raw, list):
        for v in raw:
            if not isinstance(v, dict):
                continue
            name = v.get("feature") or v.get("name")
            c = v.get("contribution", v.get("shap"))
            if name is not None and isinstance(c, int | float) and not isinstance(c, bool):
                items.append((str(name), float(c), v.get("value")))
    return sorted(items, key=lambda t: -abs(t[1]))


@dataclass
class Account:
    """One suspicious account as the report shows it."""

    platform: str
    account_id: str
    score: float = 0.0
    explanation: str = ""
    bot_score: float | None = None
    cluster: str | None = None
    role: str | None = None
    flags: list[str] = field(default_factory=list)
    finding_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.account_id)


class ReportData:
    """The store plus everything sections share: findings, runs, detector classes, suspects."""

    def __init__(self, store: Store, options: ReportOptions | None = None) -> None:
        self.store = store
        self.options = options or ReportOptions()
        self.con = store.con
        self._contributions: dict[tuple[str, str, str], list[tuple[str, float, Any]]] = {}

    # -- findings and runs ---------------------------------------------------------------------
    @cached_property
    def findings(self) -> pd.DataFrame:
        """Latest findings; ``evidence`` and ``details`` as dicts, ``platform`` never null."""
        details = "f.details::VARCHAR"
        join = ""
        union = self._contributions_sql()
        if union:
            # the features behind an account's score, kept by the detector as typed lists,
            # become details["top"] like any detector's own list of contributions; only for
            # flagged scores: the charts show no others, panels read theirs with
            # load_contributions, and a million unflagged accounts' lists would be a million
            # JSON texts to parse
            top = (
                "to_json(list_transform(range(1, len(c.features) + 1), lambda i: struct_pack("
                "feature := c.features[i], value := c.feature_values[i], "
                "contribution := c.contributions[i])))"
            )
            details = (
                "CASE WHEN c.features IS NULL THEN f.details::VARCHAR ELSE json_merge_patch("
                f"coalesce(f.details::VARCHAR, '{{}}'), json_object('top', {top}))::VARCHAR END"
            )
            join = (
                f"LEFT JOIN ({union}) c ON f.subject_kind = 'account' AND c.run_id = f.run_id "
                "AND c.account_id = f.subject_id AND c.platform = coalesce(f.platform, '') "
                "AND f.score >= c.flag_score"
            )
        frame = self.con.execute(
            "SELECT f.finding_id, f.run_id, f.detector, f.detector_version, f.subject_kind, "
            "f.subject_id, coalesce(f.platform, '') AS platform, f.score, f.label, "
            f"f.explanation, f.evidence::VARCHAR AS evidence, {details} AS details "
            f"FROM latest_findings f {join} ORDER BY f.detector, f.score DESC, f.subject_id"
        ).df()
        # Sections loop over these rows in Python: plain objects, not Arrow-backed strings
        # (iterating those element by element is what made a million-account report slow).
        texts = ("finding_id", "run_id", "detector", "subject_kind", "subject_id", "platform")
        for col in (*texts, "label", "explanation"):
            frame[col] = frame[col].astype(object)
        # Equal texts are parsed once and share one (read-only) dict: most findings of a big
        # detector carry the same few details.
        parsed: dict[str, dict[str, Any]] = {}

        def parse(text: Any) -> dict[str, Any]:
            if not isinstance(text, str):
                return as_dict(parse_json(text))
            value = parsed.get(text)
            if value is None:
                value = parsed[text] = as_dict(parse_json(text))
            return value

        frame["evidence"] = [parse(v) for v in frame["evidence"].tolist()]
        frame["details"] = [parse(v) for v in frame["details"].tolist()]
        frame["score"] = frame["score"].astype(float).fillna(0.0)
        frame["explanation"] = frame["explanation"].fillna("")
        frame["label"] = frame["label"].fillna("")
        return frame

    def load_contributions(self, findings: Any) -> None:
        """Read the side-table contributions of these account findings (those whose details
        carry none: scores below the flag score) for :meth:`contributions_of`; one query."""
        union = self._contributions_sql()
        keys = {
            (f.run_id, f.platform, f.subject_id)
            for f in findings
            if f.subject_kind == "account" and not contributions(f.details)
        } - set(self._contributions)
        if not union or not keys:
            return
        run_ids, platforms, subjects = (list(c) for c in zip(*keys, strict=True))
        wanted = pd.DataFrame({"run_id": run_ids, "platform": platforms, "account_id": subjects})
        self.con.register("_report_contrib_keys", wanted)
        try:
            rows = self.con.execute(
                "SELECT c.run_id, c.platform, c.account_id, c.features, c.feature_values, "
                f"c.contributions FROM ({union}) c JOIN _report_contrib_keys USING "
                "(run_id, platform, account_id)"
            ).fetchall()
        finally:
            self.con.unregister("_report_contrib_keys")
        for run_id, platform, account_id, features, values, contribs in rows:
            items = zip(features or [], contribs or [], values or [], strict=True)
            self._contributions[(run_id, platform, account_id)] = sorted(
                ((str(n), float(c), v) for n, c, v in items if c is not None),
                key=lambda t: -abs(t[1]),
            )

    def contributions_of(self, finding: Any) -> list[tuple[str, float, Any]]:
        """``(feature, contribution, value)`` behind a finding's score: from its details, else
        from a side table read by :meth:`load_contributions`."""
        return contributions(finding.details) or self._contributions.get(
            (finding.run_id, finding.platform, finding.subject_id), []
        )

    def _contributions_sql(self) -> str:
        """Every ``<detector>_contributions`` side table as one relation: ``run_id, platform``
        (never null), ``account_id, features, feature_values, contributions, flag_score``; or
        ``""`` when the store has none."""
        return " UNION ALL ".join(
            "SELECT run_id, coalesce(platform, '') AS platform, account_id, features, "
            "feature_values, contributions, "
            f'{self.flag_score(t.removesuffix("_contributions"))} AS flag_score FROM "{t}"'
            for t in self._contribution_tables
        )

    @cached_property
    def _contribution_tables(self) -> list[str]:
        """Side tables ``<detector>_contributions`` holding per-account feature contributions
        as lists (``bot_score_contributions``)."""
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name LIKE '%\\_contributions' ESCAPE '\\' "
            "AND column_name IN ('run_id', 'platform', 'account_id', 'features', "
            "'feature_values', 'contributions') "
            "GROUP BY table_name HAVING count(*) = 6 ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    @cached_property
    def runs(self) -> list[dict[str, Any]]:
        """The latest successful run of each detector, in the order detectors ran."""
        rows = self.con.execute(
            """
            SELECT run_id, detector, detector_version, params::VARCHAR, seed, started_at,
                   finished_at, n_findings, input_hash
            FROM detector_runs r
            WHERE status = 'ok' AND run_id = (
                SELECT arg_max(run_id, finished_at) FROM detector_runs
                WHERE detector = r.detector AND status = 'ok')
            ORDER BY started_at
            """
        ).fetchall()
        keys = [
            "run_id",
            "detector",
            "version",
            "params",
            "seed",
            "started_at",
            "finished_at",
            "n_findings",
            "input_hash",
        ]
        out = [dict(zip(keys, r, strict=True)) for r in rows]
        for run in out:
            run["params"] = as_dict(parse_json(run["params"]))
        return out

    @cached_property
    def detector_classes(self) -> dict[str, type[Detector]]:
        """Installed detector classes by name (empty when the registry cannot load)."""
        try:
            from flockwatch.detect.registry import detector_classes
        except ImportError:  # pragma: no cover - a broken install still gets a report
            return {}
        try:
            return {c.name: c for c in detector_classes()}
        except Exception:  # a plugin that fails to load must not stop the report
            return {}

    def detectors_with_findings(self) -> list[str]:
        """Detectors that have findings, in run order (then by name)."""
        present = set(self.findings["detector"].unique())
        ordered = [r["detector"] for r in self.runs if r["detector"] in present]
        return ordered + sorted(present - set(ordered))

    def flag_score(self, detector: str) -> float:
        cls = self.detector_classes.get(detector)
        return float(getattr(cls, "flag_score", DEFAULT_FLAG_SCORE))

    def of(self, detector: str | None = None, kind: str | None = None) -> pd.DataFrame:
        frame = self.findings
        if detector is not None:
            frame = frame[frame["detector"] == detector]
        if kind is not None:
            frame = frame[frame["subject_kind"] == kind]
        return frame

    def flagged(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``frame`` at or above their detector's flag score."""
        if frame.empty:
            return frame
        limits = frame["detector"].map({d: self.flag_score(d) for d in frame["detector"].unique()})
        return frame[frame["score"] >= limits]

    # -- clusters ------------------------------------------------------------------------------
    @cached_property
    def clusters(self) -> pd.DataFrame:
        """Cluster findings (any detector), best first."""
        return self.of(kind="cluster").sort_values(["score", "subject_id"], ascending=[False, True])

    def cluster_members(self, finding: Any) -> list[tuple[str, str | None]]:
        """``(account_id, role)`` of a cluster finding, from ``details.members`` or evidence."""
        details = as_dict(finding.details)
        out: list[tuple[str, str | None]] = []
        seen: set[str] = set()
        for m in as_list(details.get("members")):
            if isinstance(m, dict):
                ident = m.get("account_id") or m.get("id")
                role = m.get("role")
            else:
                ident, role = m, None
            if ident is not None and str(ident) not in seen:
                seen.add(str(ident))
                out.append((str(ident), str(role) if role else None))
        for ident in as_list(as_dict(finding.evidence).get("accounts")):
            if str(ident) not in seen:
                seen.add(str(ident))
                out.append((str(ident), None))
        roles = self.account_roles
        return [(a, r or roles.get((finding.platform, a), (None, None))[1]) for a, r in out]

    @cached_property
    def account_roles(self) -> dict[tuple[str, str], tuple[str | None, str | None]]:
        """``(platform, account_id) -> (cluster_id, role)`` from account findings' details."""
        out: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        frame = self.of(kind="account")
        rows = zip(
            frame["platform"].tolist(),
            frame["subject_id"].tolist(),
            frame["details"].tolist(),
            strict=True,
        )
        for platform, subject_id, d in rows:
            cluster = d.get("cluster_id") or d.get("cluster")
            role = d.get("role") or d.get("coordination_role")
            if cluster is None and role is None:
                continue
            old = out.get((platform, subject_id), (None, None))
            out[(platform, subject_id)] = (
                old[0] or (str(cluster) if cluster is not None else None),
                old[1] or (str(role) if role else None),
            )
        return out

    # -- suspects ------------------------------------------------------------------------------
    @cached_property
    def suspects(self) -> list[Account]:
        """Every flagged account, best first: flagged by an account finding of any detector, or a
        member of a flagged group finding (cluster, cohort...). Score is the highest of both."""
        accounts: dict[tuple[str, str], Account] = {}
        best: dict[tuple[str, str], float] = {}
        scores: dict[tuple[str, str], list[float]] = defaultdict(list)

        def get(platform: str, account_id: str) -> Account:
            key = (platform, account_id)
            if key not in accounts:
                accounts[key] = Account(platform, account_id)
            return accounts[key]

        account_findings = self.of(kind="account")
        for f in self.flagged(account_findings).itertuples(index=False):
            acc = get(f.platform, f.subject_id)
            acc.flags.append(f"{f.detector}: {f.label or 'flagged'} {f.score:.2f}")
            acc.finding_ids.append(f.finding_id)
            scores[acc.key].append(f.score)
            if f.score > best.get(acc.key, -1.0):
                best[acc.key] = f.score
                acc.score, acc.explanation = f.score, f.explanation
        groups = self.flagged(self.findings[self.findings["subject_kind"] != "account"])
        for f in groups.itertuples(index=False):
            if f.subject_kind == "cluster":
                members = [m for m, _ in self.cluster_members(f)]
            else:
                members = [str(a) for a in as_list(f.evidence.get("accounts"))]
            for m in members:
                acc = get(f.platform, m)
                acc.flags.append(f"{f.detector}: {f.subject_kind} {f.subject_id} {f.score:.2f}")
                acc.finding_ids.append(f.finding_id)
                scores[acc.key].append(f.score)
                if f.score > best.get(acc.key, -1.0):
                    best[acc.key] = f.score
                    acc.score = f.score
                    acc.explanation = f"Member of {f.subject_kind} {f.subject_id}: {f.explanation}"
        bot = self.of("bot_score", "account")
        bot_scores = dict(
            zip(zip(bot["platform"], bot["subject_id"], strict=True), bot["score"], strict=True)
        )
        for acc in accounts.values():
            acc.bot_score = bot_scores.get(acc.key)
            acc.cluster, acc.role = self.account_roles.get(acc.key, (None, None))
        for c in self.clusters.itertuples(index=False):
            for member, role in self.cluster_members(c):
                acc = accounts.get((c.platform, member))
                if acc is not None and acc.cluster is None:
                    acc.cluster, acc.role = str(c.subject_id), role
        # Many findings saturate at 1.0: among equal scores, accounts flagged by more
        # findings (and more strongly) come first.
        return sorted(
            accounts.values(),
            key=lambda a: (
                -round(a.score, 2),
                -len(a.flags),
                -sum(scores[a.key]),
                a.platform,
                a.account_id,
            ),
        )

    @cached_property
    def panel_accounts(self) -> list[Account]:
        """Accounts that get a panel: the top ``options.top_accounts`` suspects, plus the
        flagged accounts the overview names (the top ones of each detector), so every account
        the report mentions first has its panel."""
        n = self.options.top_accounts
        chosen = self.suspects[:n]
        if n == 0:
            return chosen
        keys = {a.key for a in chosen}
        by_key = {a.key: a for a in self.suspects}
        for key in self.featured_accounts:
            if key not in keys and key in by_key:
                chosen.append(by_key[key])
                keys.add(key)
        return chosen

    def headlines(self, detector: str) -> pd.DataFrame:
        """The flagged findings the overview names for ``detector``: its strongest group
        findings (clusters, cohorts: up to two), then its strongest accounts, :data:`HEADLINES`
        in all."""
        flagged = self.flagged(self.of(detector)).sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        groups = flagged[flagged["subject_kind"] != "account"].head(HEADLINES - 1)
        accounts = flagged[flagged["subject_kind"] == "account"].head(HEADLINES - len(groups))
        return pd.concat([groups, accounts]) if len(groups) else accounts

    @cached_property
    def featured_accounts(self) -> list[tuple[str, str]]:
        """Accounts named in the overview's headlines."""
        out = []
        for detector in self.detectors_with_findings():
            top = self.headlines(detector)
            top = top[top["subject_kind"] == "account"]
            out += list(zip(top["platform"], top["subject_id"], strict=True))
        return out

    @cached_property
    def panel_keys(self) -> set[tuple[str, str]]:
        return {a.key for a in self.panel_accounts}

    def account_link(self, platform: str, account_id: str, text: str | None = None) -> str:
        """A link to the account's panel when it has one, else the escaped name."""
        from flockwatch.report.markup import anchor, esc

        label = esc(text if text is not None else account_id)
        if (platform, account_id) in self.panel_keys:
            return f'<a href="#{anchor("acct", platform, account_id)}">{label}</a>'
        return label

    @cached_property
    def screen_names(self) -> dict[tuple[str, str], str]:
        rows = self.con.execute(
            "SELECT platform, account_id, screen_name FROM accounts WHERE screen_name IS NOT NULL"
        ).fetchall()
        return {(p, a): s for p, a, s in rows}

    def name_of(self, platform: str, account_id: str) -> str:
        name = self.screen_names.get((platform, account_id))
        return f"@{name}" if name else account_id

    # -- evidence ------------------------------------------------------------------------------
    def posts(self, post_ids: list[str], platform: str | None = None) -> pd.DataFrame:
        """Posts by id (text, author, time, kind), in the order given."""
        ids = [str(p) for p in dict.fromkeys(post_ids)]
        if not ids:
            return pd.DataFrame(
                columns=["platform", "post_id", "account_id", "created_at", "kind", "text"]
            )
        frame = self.con.execute(
            "SELECT p.platform, p.post_id, p.account_id, p.created_at, p.kind, p.text "
            "FROM posts p JOIN (SELECT unnest($ids::VARCHAR[]) AS post_id) w USING (post_id) "
            "WHERE $platform IS NULL OR $platform = '' OR p.platform = $platform",
            {"ids": ids, "platform": platform},
        ).df()
        order = {p: i for i, p in enumerate(ids)}
        return frame.sort_values("post_id", key=lambda s: s.map(order)).reset_index(drop=True)
