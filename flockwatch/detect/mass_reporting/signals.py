"""What makes a co-reporting campaign look like a brigade: its signals and its score.

For each campaign (see :mod:`~flockwatch.detect.mass_reporting.campaigns`), in [0, 1]:

- ``burst``: share of its reports in waves that are improbable against the target's own
  baseline and the platform's (Poisson tail below :data:`BURST_P` for the wave's size, with the
  expected count the larger of the target's rate of other reports and the platform's reports
  per account per day, over the wave's duration or the window);
- ``templated``: share of its commented reports whose comment follows a template two or more
  members used (:mod:`~flockwatch.detect.mass_reporting.templates`);
- ``reason``: how concentrated the reasons are (top reason's share from 50 % to 100 %);
- ``regular``: machine-regular timing, ``1 - CV`` of the gaps between reports within waves of at
  least :data:`MIN_TIMED_WAVE` reports (people reporting after one another have a CV near 1,
  a script pacing an extension near 0);
- ``client``: one reporting tool for everybody (top client's share from 50 % to 90 %);
- ``young``: share of reporters less than :data:`YOUNG_DAYS` old at their first report;
- ``dormant``: share of reporters with no post in the :data:`DORMANT_DAYS` before it (only
  where the store has posts of the platform);
- ``no_interaction``: share of reporter-target pairs with no earlier reply, repost, quote or
  mention of the target and no follow of it (only where the store has posts or follows);
- ``shared_group``: the largest share of reporters in one group (only where the store has
  memberships).

The score is the weighted mean (:data:`WEIGHTS`) of the signals a campaign has. It is a
transparent heuristic, not a trained model; the explanation names the figures behind it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from flockwatch.detect.mass_reporting.campaigns import CAMPAIGN_REPORTS, MEMBERS
from flockwatch.detect.mass_reporting.coreports import REPORTS
from flockwatch.detect.mass_reporting.templates import normalise, template_ids

#: Weights of the signals in the campaign score (weighted mean over those present).
WEIGHTS: dict[str, float] = {
    "templated": 1.0,  # the same words from many accounts: a script or a shared call
    "regular": 1.0,  # seconds apart at a steady pace: automation
    "client": 0.75,  # one tool (a browser extension) for every report
    "shared_group": 0.75,  # organised in one group or channel
    "burst": 0.5,  # waves far above the target's baseline; genuine outcries burst too
    "reason": 0.5,  # everyone picks the same reason; so do honest reporters of spam
    "no_interaction": 0.5,  # reporters who never met their target; common for spam reports
    "young": 0.5,  # fresh accounts made for the job
    "dormant": 0.25,  # accounts that do nothing but report
}
#: Poisson tail probability below which a wave is a burst.
BURST_P = 1e-6
#: Waves need this many reports for their timing to be judged.
MIN_TIMED_WAVE = 4
#: Reporters younger than this (days) at their first campaign report count as young.
YOUNG_DAYS = 90
#: Reporters without a post in this many days before their first campaign report are dormant.
DORMANT_DAYS = 30
#: A top reason's share from which it starts to count, and a client's (ordinary crowds split).
CONCENTRATION_FROM = 0.5
#: A top client's share from which it counts in full.
CLIENT_FULL = 0.9
DAY_MS = 86_400_000


def _ramp(x: float, lo: float, hi: float) -> float:
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


def waves(cr: pd.DataFrame) -> pd.DataFrame:
    """One row per wave: ``campaign_id, wave, platform, target, target_account_id, n,
    reporters, first_t, last_t, gap_median_s, gap_cv``."""
    rows = []
    for (cid, wave), g in cr.groupby(["campaign_id", "wave"], sort=True):
        t = np.sort(g["t"].to_numpy(dtype=np.int64))
        gaps = np.diff(t) / 1000.0
        cv = (
            float(np.std(gaps) / np.mean(gaps))
            if len(g) >= MIN_TIMED_WAVE and gaps.mean() > 0
            else math.nan
        )
        rows.append(
            {
                "campaign_id": cid,
                "wave": int(wave),
                "platform": g["platform"].iloc[0],
                "target": g["target"].iloc[0],
                "target_account_id": g["target_account_id"].iloc[0],
                "n": len(g),
                "reporters": int(g["reporter_id"].nunique()),
                "first_t": int(t[0]),
                "last_t": int(t[-1]),
                "gap_median_s": float(np.median(gaps)) if len(gaps) else math.nan,
                "gap_cv": cv,
            }
        )
    return pd.DataFrame(rows)


def baselines(con) -> tuple[dict[str, float], dict[tuple[str, str], int], dict[str, float]]:
    """Per platform the reports per account per day and the observed span in days; per target
    its number of reports. (The target's own rate leaves out the campaign's reports.)"""
    plat = con.execute(
        f"""
        WITH r AS (SELECT platform, count(*) AS n, (max(t) - min(t)) / {DAY_MS} AS days,
                          count(DISTINCT target) AS targets FROM {REPORTS} GROUP BY platform),
        a AS (SELECT platform, count(*) AS n FROM accounts GROUP BY platform)
        SELECT r.platform, r.n, greatest(r.days, 1.0) AS days,
               greatest(coalesce(a.n, 0), r.targets) AS accounts
        FROM r LEFT JOIN a USING (platform)
        """
    ).fetchall()
    rate = {p: n / (acc * days) for p, n, days, acc in plat}
    span = {p: float(days) for p, _, days, _ in plat}
    per_target = {
        (p, t): int(n)
        for p, t, n in con.execute(
            f"SELECT platform, target, count(*) FROM {REPORTS} GROUP BY ALL"
        ).fetchall()
    }
    return rate, per_target, span


def log10_poisson_tail(k: int, mu: float) -> float:
    """``log10 P(X >= k)`` for ``X ~ Poisson(mu)``."""
    value = stats.poisson.logsf(k - 1, mu)
    if not math.isfinite(value):  # underflow: the first term is a tight bound when k >> mu
        value = stats.poisson.logpmf(k, mu)
    return float(value) / math.log(10)


def profile_signals(con) -> pd.DataFrame:
    """Per campaign: reporters, young, dormant, interacted pairs, largest group (SQL over the
    members, their reports and the store's accounts, posts, follows and memberships)."""
    return con.execute(
        f"""
        WITH first_report AS (
            SELECT campaign_id, platform, reporter_id, min(created_at) AS first_at
            FROM {CAMPAIGN_REPORTS} GROUP BY ALL),
        age AS (
            SELECT f.campaign_id,
                   count(a.created_at) AS n_known_age,
                   count(*) FILTER (WHERE f.first_at - a.created_at < INTERVAL {YOUNG_DAYS} DAY)
                       AS n_young
            FROM first_report f LEFT JOIN accounts a
                 ON a.platform = f.platform AND a.account_id = f.reporter_id
            GROUP BY f.campaign_id),
        posting AS (SELECT DISTINCT platform FROM posts),
        dormancy AS (
            SELECT f.campaign_id, count(*) AS n_checked,
                   count(*) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM posts p WHERE p.platform = f.platform
                          AND p.account_id = f.reporter_id AND p.created_at < f.first_at
                          AND p.created_at >= f.first_at - INTERVAL {DORMANT_DAYS} DAY))
                       AS n_dormant
            FROM first_report f SEMI JOIN posting USING (platform)
            GROUP BY f.campaign_id),
        pairs AS (
            SELECT c.campaign_id, c.platform, c.reporter_id, c.target,
                   min(c.created_at) AS first_at, any_value(t.screen_name) AS target_screen
            FROM {CAMPAIGN_REPORTS} c
            LEFT JOIN (SELECT platform, account_id, lower(screen_name) AS screen_name
                       FROM accounts) t
                 ON t.platform = c.platform AND t.account_id = c.target
            GROUP BY c.campaign_id, c.platform, c.reporter_id, c.target),
        linked AS (SELECT DISTINCT platform FROM posts
                   UNION SELECT DISTINCT platform FROM follows),
        touched AS (
            SELECT DISTINCT pr.campaign_id, pr.reporter_id, pr.target
            FROM pairs pr JOIN posts p ON p.platform = pr.platform
                 AND p.account_id = pr.reporter_id AND p.created_at < pr.first_at
            WHERE p.target_account_id = pr.target
               OR list_contains(p.mentions, pr.target)
               OR list_contains(list_transform(p.mentions, lambda m: lower(m)),
                                pr.target_screen)
            UNION
            SELECT DISTINCT pr.campaign_id, pr.reporter_id, pr.target
            FROM pairs pr JOIN follows f ON f.platform = pr.platform
                 AND f.follower_id = pr.reporter_id AND f.followee_id = pr.target
                 AND (f.observed_at IS NULL OR f.observed_at < pr.first_at)),
        interaction AS (
            SELECT pr.campaign_id, count(*) AS n_pairs, count(tc.target) AS n_interacted
            FROM pairs pr SEMI JOIN linked USING (platform)
            LEFT JOIN touched tc USING (campaign_id, reporter_id, target)
            GROUP BY pr.campaign_id),
        grouped AS (
            SELECT m.campaign_id, ms.group_id, count(DISTINCT m.reporter_id) AS n
            FROM {MEMBERS} m JOIN memberships ms
                 ON ms.platform = m.platform AND ms.account_id = m.reporter_id
            GROUP BY ALL),
        top_group AS (
            SELECT g.campaign_id, arg_max(g.group_id, struct_pack(n := g.n, g := g.group_id))
                       AS group_id, max(g.n) AS n_in_group
            FROM grouped g GROUP BY g.campaign_id),
        has_groups AS (SELECT DISTINCT platform FROM memberships),
        sizes AS (
            SELECT campaign_id, any_value(platform) AS platform, count(*) AS n_reporters
            FROM {MEMBERS} GROUP BY campaign_id)
        SELECT s.campaign_id, s.n_reporters, a.n_known_age, a.n_young, d.n_checked, d.n_dormant,
               i.n_pairs, i.n_interacted,
               (s.platform IN (SELECT platform FROM has_groups)) AS has_groups,
               tg.group_id, coalesce(tg.n_in_group, 0) AS n_in_group, gr.name AS group_name
        FROM sizes s
        LEFT JOIN age a USING (campaign_id)
        LEFT JOIN dormancy d USING (campaign_id)
        LEFT JOIN interaction i USING (campaign_id)
        LEFT JOIN top_group tg USING (campaign_id)
        LEFT JOIN (SELECT platform, group_id, any_value(name) AS name FROM groups GROUP BY ALL) gr
             ON gr.platform = s.platform AND gr.group_id = tg.group_id
        ORDER BY s.campaign_id
        """
    ).df()


def template_signals(cr: pd.DataFrame, names: dict[tuple[str, str], list[str]]) -> pd.DataFrame:
    """Per campaign: reports with a comment, those following a shared template, templates."""
    rows = []
    for cid, g in cr.groupby("campaign_id", sort=True):
        texts = [
            normalise(c, names.get((p, t), ()))
            for c, p, t in zip(g["comment"], g["platform"], g["target"], strict=True)
        ]
        ids = template_ids(texts)
        frame = pd.DataFrame({"template": ids, "reporter_id": g["reporter_id"].to_numpy()})
        frame = frame[frame["template"] >= 0]
        shared = frame.groupby("template")["reporter_id"].nunique()
        shared = set(shared[shared >= 2].index)
        rows.append(
            {
                "campaign_id": cid,
                "n_commented": len(frame),
                "n_templated": int(frame["template"].isin(shared).sum()),
                "n_templates": len(shared),
            }
        )
    return pd.DataFrame(rows, columns=["campaign_id", "n_commented", "n_templated", "n_templates"])


def score(signals: dict[str, float | None]) -> tuple[float, dict[str, float]]:
    """Weighted mean of the signals present; returns the score and the signals used."""
    used = {k: float(v) for k, v in signals.items() if v is not None and k in WEIGHTS}
    if not used:
        return 0.0, {}
    total = sum(WEIGHTS[k] for k in used)
    return sum(WEIGHTS[k] * v for k, v in used.items()) / total, used


def campaign_figures(
    cid: str,
    cr: pd.DataFrame,
    wv: pd.DataFrame,
    prof: dict[str, Any],
    tmpl: dict[str, Any],
    rate: dict[str, float],
    per_target: dict[tuple[str, str], int],
    span: dict[str, float],
    window_ms: int,
) -> dict[str, Any]:
    """The figures and signals of one campaign (JSON-able)."""
    platform = str(cr["platform"].iloc[0])
    n = len(cr)
    own = cr.groupby("target").size()
    bursts, log_ps = 0, []
    for w in wv.itertuples(index=False):
        others = per_target.get((platform, w.target), 0) - int(own.get(w.target, 0))
        base = max(others / span.get(platform, 1.0), rate.get(platform, 0.0))
        duration = max(w.last_t - w.first_t, window_ms) / DAY_MS
        mu = max(base * duration, 1e-9)
        lp = log10_poisson_tail(int(w.n), mu)
        log_ps.append(lp)
        if lp < math.log10(BURST_P):
            bursts += int(w.n)
    reasons = cr["reason"].dropna()
    reasons = reasons[reasons.astype(str).str.strip() != ""]
    top_reason = reasons.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    clients = cr["client"].dropna()
    clients = clients[clients.astype(str).str.strip() != ""]
    top_client = clients.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    timed = wv.dropna(subset=["gap_cv"])
    figures: dict[str, Any] = {
        "n_reports": n,
        "n_reporters": int(cr["reporter_id"].nunique()),
        "n_targets": int(cr["target"].nunique()),
        "n_waves": len(wv),
        "n_burst_reports": bursts,
        "largest_wave": int(wv["n"].max()) if len(wv) else 0,
        "largest_wave_minutes": round(
            float(
                (wv.loc[wv["n"].idxmax(), "last_t"] - wv.loc[wv["n"].idxmax(), "first_t"]) / 60000
            ),
            1,
        )
        if len(wv)
        else 0.0,
        "min_log10_p": round(min(log_ps), 1) if log_ps else None,
        "platform_reports_per_account_day": round(rate.get(platform, 0.0), 6),
        "top_reason": str(top_reason.index[0]) if len(top_reason) else None,
        "top_reason_share": round(float(top_reason.iloc[0] / len(reasons)), 4)
        if len(top_reason)
        else None,
        "top_client": str(top_client.index[0]) if len(top_client) else None,
        "top_client_share": round(float(top_client.iloc[0] / len(clients)), 4)
        if len(top_client)
        else None,
        "timed_waves": len(timed),
        "gap_cv_median": round(float(timed["gap_cv"].median()), 4) if len(timed) else None,
        "gap_seconds_min": round(float(timed["gap_median_s"].min()), 1) if len(timed) else None,
        "gap_seconds_max": round(float(timed["gap_median_s"].max()), 1) if len(timed) else None,
        **{k: _plain(v) for k, v in prof.items() if k != "campaign_id"},
        **{k: _plain(v) for k, v in tmpl.items() if k != "campaign_id"},
    }
    signals: dict[str, float | None] = {
        "burst": bursts / n if n else None,
        "templated": tmpl["n_templated"] / tmpl["n_commented"] if tmpl.get("n_commented") else None,
        "reason": _ramp(figures["top_reason_share"], CONCENTRATION_FROM, 1.0)
        if figures["top_reason_share"] is not None
        else None,
        "regular": _ramp(1.0 - figures["gap_cv_median"], 0.0, 1.0)
        if figures["gap_cv_median"] is not None
        else None,
        "client": _ramp(figures["top_client_share"], CONCENTRATION_FROM, CLIENT_FULL)
        if figures["top_client_share"] is not None
        else None,
        "young": prof["n_young"] / prof["n_known_age"] if _num(prof.get("n_known_age")) else None,
        "dormant": prof["n_dormant"] / prof["n_checked"] if _num(prof.get("n_checked")) else None,
        "no_interaction": 1.0 - prof["n_interacted"] / prof["n_pairs"]
        if _num(prof.get("n_pairs"))
        else None,
        "shared_group": prof["n_in_group"] / prof["n_reporters"]
        if bool(prof.get("has_groups")) and _num(prof.get("n_reporters"))
        else None,
    }
    figures["signals"] = {
        k: (None if v is None else round(float(v), 4)) for k, v in signals.items()
    }
    return figures


def _num(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v > 0


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v
