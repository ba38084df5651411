"""The ``mass_reporting`` detector: brigades that file abuse reports together, and the reports a
platform should discount before acting on them."""

from __future__ import annotations

import math
import time
from typing import Any

import pandas as pd
import pyarrow as pa

from flockwatch.detect.base import Detector, DetectorOutput, Example, Finding
from flockwatch.detect.mass_reporting import examples
from flockwatch.detect.mass_reporting.campaigns import campaign_reports, leiden_campaigns
from flockwatch.detect.mass_reporting.coreports import (
    CoReportParams,
    build_reports,
    co_report_edges,
    drop_temp,
)
from flockwatch.detect.mass_reporting.signals import (
    YOUNG_DAYS,
    baselines,
    campaign_figures,
    profile_signals,
    score,
    template_signals,
    waves,
)
from flockwatch.store.db import Store

#: The side table of discounted reports (one row per report of a flagged campaign).
DISCOUNTED_TABLE = "mass_reporting_discounted"
DISCOUNTED_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("report_id", pa.string()),
        ("campaign_id", pa.string()),
        ("target_account_id", pa.string()),
        ("target_post_id", pa.string()),
        ("reporter_id", pa.string()),
        ("created_at", pa.timestamp("us")),
    ]
)
#: Reporter ids and report ids listed in a campaign finding's evidence (details has counts;
#: the side table has every discounted report).
EVIDENCE_ACCOUNTS = 200
EVIDENCE_REPORTS = 200
#: Waves listed in a campaign's details.
LISTED_WAVES = 50
#: Report ids listed in a reporter finding's evidence.
EVIDENCE_MEMBER_REPORTS = 20


class MassReportingDetector(Detector):
    """Brigades that mass-report their targets, and the reports to discount before any automated
    takedown.

    *What it measures.* From ``reports``: two reporters are linked when they report the same
    target (an account, or the author of a reported post) within ``window_seconds`` of each other
    on at least ``min_co_reports`` occasions (a windowed self-join bucketed by time in DuckDB).
    Leiden (seeded) clusters this co-reporting network; clusters of at least ``min_reporters``
    are *campaigns*, with as targets those two members co-reported and as reports all their
    members' reports against those targets, in *waves* (runs with no gap over the window). Each
    campaign gets signals in [0, 1] and a score, their weighted mean: bursts of reports against
    a target far above its own baseline and the platform's (Poisson); comments following shared
    templates (normalised for numbers, links, mentions and the target's names, near-duplicates
    joined with rapidfuzz); one reason for all; machine-regular timing (1 - coefficient of
    variation of the gaps within waves); one reporting client; young accounts; dormant accounts
    (no post in the 30 days before); reporters who never replied to, reposted, quoted, mentioned
    or followed their target; reporters who are members of the same group.

    Findings: one per campaign (subject ``campaign``, id ``<platform>:rc0001``; label
    ``report_brigade`` from 0.5, else ``co_reporting``) with the reporters (evidence
    ``accounts``), a sample of its report ids (evidence ``reports``), and in ``details`` the
    window, waves, targets (each with its reports, the campaign's share of them and what
    remains), figures and signals; and one per member (subject ``account``, label
    ``brigade_reporter`` or ``co_reporter``, score the campaign's weighted by the share of its
    waves the member joined). The reports of every campaign scoring 0.5 or more go to the side
    table ``mass_reporting_discounted`` (``flockwatch export discounted_reports``): the
    reports a platform should set aside before counting reports towards a takedown.

    Parameters
    ----------
    window_seconds : int, default 1800
        Two reports of one target co-occur when at most this far apart; a wave ends at a gap
        longer than this.
    min_co_reports : int, default 2
        Fewest co-reports for a link between two reporters: "repeatedly".
    max_target_reporters : int, default 1000
        Targets with more reporters keep a seeded sample of this many in the self-join.
    resolution : float, default 1.0
        Leiden resolution (higher: smaller campaigns).
    min_reporters : int, default 3
        Smallest campaign reported.
    seed : int, default 0
        Seed of Leiden and of the samples of heavily reported targets.

    Notes
    -----
    The score is a transparent weighted mean (see :mod:`flockwatch.detect.mass_reporting.signals`),
    not a trained model; each signal is in the finding's ``details`` with the figures behind it.

    What this does *not* show. Reports are the only window on a campaign here: a brigade that
    spreads its reports over days, across many targets, with varied words and clients, links
    weakly and scores low. A genuine wave of reports after real abuse (a slur that went viral, a
    scam everyone saw) is a burst from many accounts with little prior contact with the target,
    often with the same reason; it is usually not *repeated* by the same reporters, so it rarely
    forms a campaign, but a community that keeps reporting the same harassers together (a
    safety group, moderators' friends) does, and shares a group and templated wording from a
    guide: read the targets before discounting. Template and timing signals need comments and
    exact times; reports exported without them score on the others. Discounting a report is a
    decision for a platform's reviewers, not a verdict that its target did nothing wrong.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> MassReportingDetector.positive_example().build(store)
    >>> out = MassReportingDetector(seed=0).run(store)
    >>> [(f.subject_id, f.label) for f in out.findings if f.subject_kind == "campaign"]
    [('twitter:rc0001', 'report_brigade')]
    """

    name = "mass_reporting"
    version = "1"
    summary = (
        "Brigades that repeatedly report the same targets together (templated comments, "
        "machine timing, one tool, one group), and the reports to discount before a takedown."
    )
    subject_kinds = ("campaign", "account")

    def __init__(
        self,
        *,
        window_seconds: int = 1800,
        min_co_reports: int = 2,
        max_target_reporters: int = 1000,
        resolution: float = 1.0,
        min_reporters: int = 3,
        seed: int = 0,
    ) -> None:
        self.window_seconds = window_seconds
        self.min_co_reports = min_co_reports
        self.max_target_reporters = max_target_reporters
        self.resolution = resolution
        self.min_reporters = min_reporters
        self.seed = seed

    def _check(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        for name, low in (
            ("window_seconds", 1),
            ("min_co_reports", 1),
            ("max_target_reporters", 2),
            ("min_reporters", 2),
        ):
            value = getattr(self, name)
            self.check_param(name, is_int(value) and value >= low, f"an int >= {low}")
        self.check_param("seed", is_int(self.seed), "an int")
        r = self.resolution
        self.check_param(
            "resolution",
            isinstance(r, int | float) and not isinstance(r, bool) and math.isfinite(r) and r > 0,
            "a number > 0",
        )

    def run(self, store: Store) -> DetectorOutput:
        self._check()
        con = store.con
        empty = DetectorOutput([], {DISCOUNTED_TABLE: DISCOUNTED_SCHEMA.empty_table()}, {})
        seconds: dict[str, float] = {}
        try:
            clock = time.perf_counter()
            n_reports = build_reports(con)
            if not n_reports:
                return empty
            window_ms = int(self.window_seconds) * 1000
            edges, sampled = co_report_edges(
                con,
                CoReportParams(
                    window_ms=window_ms,
                    min_co_reports=int(self.min_co_reports),
                    max_target_reporters=int(self.max_target_reporters),
                    seed=int(self.seed),
                ),
            )
            seconds["co_reports"] = time.perf_counter() - clock
            clock = time.perf_counter()
            members = leiden_campaigns(
                edges,
                resolution=float(self.resolution),
                seed=int(self.seed),
                min_reporters=int(self.min_reporters),
            )
            seconds["leiden"] = time.perf_counter() - clock
            summary: dict[str, Any] = {
                "reports": int(n_reports),
                "links": len(edges),
                "sampled_targets": sampled,
                "campaigns": int(members["campaign_id"].nunique()) if len(members) else 0,
            }
            if members.empty:
                summary["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
                return DetectorOutput(empty.findings, empty.tables, summary)
            clock = time.perf_counter()
            findings, discounted = self._campaigns(con, members, edges, window_ms)
            seconds["campaigns"] = time.perf_counter() - clock
            summary["flagged_campaigns"] = sum(
                1 for f in findings if f.subject_kind == "campaign" and f.score >= self.flag_score
            )
            summary["discounted_reports"] = discounted.num_rows
            summary["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
            return DetectorOutput(findings, {DISCOUNTED_TABLE: discounted}, summary)
        finally:
            drop_temp(con)

    # -- campaigns -----------------------------------------------------------------------------
    def _campaigns(
        self, con: Any, members: pd.DataFrame, edges: pd.DataFrame, window_ms: int
    ) -> tuple[list[Finding], pa.Table]:
        cr = campaign_reports(con, members, window_ms)
        cr["report_id"] = cr["report_id"].astype(str)
        wv = waves(cr)
        rate, per_target, span = baselines(con)
        prof = profile_signals(con).set_index("campaign_id")
        names = _target_names(con, cr)
        tmpl = template_signals(cr, names).set_index("campaign_id")
        screen = {k: v[0] for k, v in names.items() if v and v[0]}
        findings: list[Finding] = []
        discounted = []
        for cid, g in cr.groupby("campaign_id", sort=True):
            w = wv[wv["campaign_id"] == cid].sort_values("wave")
            figures = campaign_figures(
                cid,
                g,
                w,
                prof.loc[cid].to_dict(),
                tmpl.loc[cid].to_dict(),
                rate,
                per_target,
                span,
                window_ms,
            )
            value, used = score(figures["signals"])
            value = round(value, 4)
            platform = str(g["platform"].iloc[0])
            reporters = sorted(g["reporter_id"].unique().tolist())
            targets = self._targets(g, per_target, screen, platform)
            flagged = value >= self.flag_score
            details = {
                "campaign_id": cid,
                "score": value,
                "first_at": _iso(g["created_at"].min()),
                "last_at": _iso(g["created_at"].max()),
                **{k: v for k, v in figures.items() if k != "signals"},
                "signals": figures["signals"],
                "used_signals": {k: round(v, 4) for k, v in used.items()},
                "targets": targets,
                "reporters": reporters,
                "waves": [_wave(r) for r in w.head(LISTED_WAVES).itertuples(index=False)],
                "discounted": flagged,
                "window_seconds": self.window_seconds,
            }
            findings.append(
                Finding(
                    subject_kind="campaign",
                    subject_id=cid,
                    platform=platform,
                    score=value,
                    label="report_brigade" if flagged else "co_reporting",
                    explanation=_explain(details, screen, platform),
                    evidence={
                        "accounts": reporters[:EVIDENCE_ACCOUNTS],
                        "reports": g.sort_values(["t", "report_id"])["report_id"]
                        .head(EVIDENCE_REPORTS)
                        .tolist(),
                    },
                    details=details,
                )
            )
            findings.extend(self._members(cid, platform, value, flagged, g, len(w)))
            if flagged:
                discounted.append(
                    g[
                        [
                            "platform",
                            "report_id",
                            "campaign_id",
                            "target_account_id",
                            "target_post_id",
                            "reporter_id",
                            "created_at",
                        ]
                    ]
                )
        if discounted:
            frame = pd.concat(discounted, ignore_index=True).sort_values(
                ["campaign_id", "created_at", "report_id"]
            )
            for col in ("target_account_id", "target_post_id", "reporter_id", "report_id"):
                frame[col] = [None if pd.isna(v) else str(v) for v in frame[col]]
            table = pa.Table.from_pandas(frame, schema=DISCOUNTED_SCHEMA, preserve_index=False)
        else:
            table = DISCOUNTED_SCHEMA.empty_table()
        return findings, table

    def _targets(
        self,
        g: pd.DataFrame,
        per_target: dict[tuple[str, str], int],
        screen: dict[tuple[str, str], str],
        platform: str,
    ) -> list[dict[str, Any]]:
        out = []
        for target, t in g.groupby("target", sort=True):
            total = per_target.get((platform, target), len(t))
            account = t["target_account_id"].iloc[0]
            out.append(
                {
                    "target": target,
                    "account_id": None if pd.isna(account) else str(account),
                    "screen_name": screen.get((platform, target)),
                    "reports": int(total),
                    "campaign_reports": len(t),
                    "remaining_reports": int(total - len(t)),
                    "first_at": _iso(t["created_at"].min()),
                    "last_at": _iso(t["created_at"].max()),
                }
            )
        return sorted(out, key=lambda d: (-d["campaign_reports"], d["target"]))

    def _members(
        self,
        cid: str,
        platform: str,
        value: float,
        flagged: bool,
        g: pd.DataFrame,
        n_waves: int,
    ) -> list[Finding]:
        out = []
        n_targets = g["target"].nunique()
        for reporter, r in g.groupby("reporter_id", sort=True):
            joined = r["wave"].nunique()
            share = joined / max(n_waves, 1)
            member_score = round(value * (0.8 + 0.2 * share), 4)
            out.append(
                Finding(
                    subject_kind="account",
                    subject_id=str(reporter),
                    platform=platform,
                    score=member_score,
                    label="brigade_reporter" if flagged else "co_reporter",
                    explanation=(
                        f"Reporter in campaign {cid} (score {value:.2f}): filed {len(r)} of its "
                        f"{len(g)} reports, against {r['target'].nunique()} of its {n_targets} "
                        f"targets, in {joined} of its {n_waves} waves."
                    ),
                    evidence={
                        "accounts": [str(reporter)],
                        "reports": r.sort_values(["t", "report_id"])["report_id"]
                        .head(EVIDENCE_MEMBER_REPORTS)
                        .tolist(),
                    },
                    details={
                        "campaign_id": cid,
                        "campaign_score": value,
                        "reports": len(r),
                        "targets": int(r["target"].nunique()),
                        "waves_joined": int(joined),
                        "campaign_waves": int(n_waves),
                    },
                )
            )
        return out

    # -- examples ------------------------------------------------------------------------------
    @classmethod
    def positive_example(cls) -> Example:
        return Example(build=examples.build_positive, subject=("campaign", examples.CAMPAIGN))

    @classmethod
    def negative_example(cls) -> Example:
        return Example(build=examples.build_negative, subject=("campaign", examples.CAMPAIGN))


def _target_names(con: Any, cr: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """``(platform, target) -> [screen_name, display_name]`` of the campaigns' targets."""
    wanted = cr[["platform", "target"]].drop_duplicates()
    con.register("_fwr_targets_df", wanted)
    try:
        rows = con.execute(
            "SELECT w.platform, w.target, any_value(a.screen_name), any_value(a.display_name) "
            "FROM _fwr_targets_df w JOIN accounts a "
            "ON a.platform = w.platform AND a.account_id = w.target GROUP BY ALL"
        ).fetchall()
    finally:
        con.unregister("_fwr_targets_df")
    return {(p, t): [s, d] for p, t, s, d in rows}


def _explain(d: dict[str, Any], screen: dict[tuple[str, str], str], platform: str) -> str:
    n_t = d["n_targets"]
    head = (
        f"{d['n_reporters']} accounts filed {d['n_reports']:,} reports against {n_t} "
        f"target{'s' if n_t != 1 else ''} in {d['n_waves']} wave{'s' if d['n_waves'] != 1 else ''}"
        f" between {d['first_at'][:16].replace('T', ' ')} and {d['last_at'][:16].replace('T', ' ')}"
    )
    top = d["targets"][0]
    who = f"@{top['screen_name']}" if top.get("screen_name") else top["target"]
    head += f" (most against {who}: {top['campaign_reports']} of its {top['reports']} reports)"
    s = d["signals"]
    parts = []
    if s.get("burst"):
        parts.append(
            f"{s['burst']:.0%} of them in bursts, up to {d['largest_wave']} reports in "
            f"{d['largest_wave_minutes']:g} min against a platform baseline of "
            f"{d['platform_reports_per_account_day']:.2g} reports per account a day"
        )
    if s.get("templated") is not None:
        parts.append(
            f"{s['templated']:.0%} of comments follow {d['n_templates']} shared "
            f"template{'s' if d['n_templates'] != 1 else ''}"
        )
    if d.get("top_reason_share") is not None:
        parts.append(f"{d['top_reason_share']:.0%} give reason '{d['top_reason']}'")
    if d.get("top_client_share") is not None:
        parts.append(f"{d['top_client_share']:.0%} from client '{d['top_client']}'")
    if d.get("gap_cv_median") is not None:
        lo, hi = d["gap_seconds_min"], d["gap_seconds_max"]
        gap = f"{lo:.0f} s" if round(lo) == round(hi) else f"{lo:.0f}-{hi:.0f} s"
        parts.append(f"reports {gap} apart within waves (gap CV {d['gap_cv_median']:.2f})")
    if s.get("shared_group") is not None and d.get("n_in_group"):
        group = d.get("group_name") or d.get("group_id")
        parts.append(f"{d['n_in_group']} of {d['n_reporters']} reporters in group '{group}'")
    if s.get("no_interaction") is not None:
        parts.append(f"{s['no_interaction']:.0%} of reporters never interacted with their target")
    if s.get("young"):
        parts.append(f"{s['young']:.0%} of reporters under {YOUNG_DAYS} days old")
    if s.get("dormant"):
        parts.append(f"{s['dormant']:.0%} had not posted in the month before")
    return head + ("; " + "; ".join(parts) if parts else "") + "."


def _wave(r: Any) -> dict[str, Any]:
    return {
        "wave": int(r.wave),
        "target": r.target,
        "start": pd.Timestamp(int(r.first_t), unit="ms").isoformat(),
        "end": pd.Timestamp(int(r.last_t), unit="ms").isoformat(),
        "reports": int(r.n),
        "reporters": int(r.reporters),
        "gap_median_seconds": None if math.isnan(r.gap_median_s) else round(r.gap_median_s, 1),
        "gap_cv": None if math.isnan(r.gap_cv) else round(r.gap_cv, 4),
    }


def _iso(x: Any) -> str:
    return pd.Timestamp(x).isoformat()
