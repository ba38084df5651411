"""The ``mass_reporting`` exports: ``report_campaigns`` (one row per campaign of the latest run)
and ``discounted_reports`` (the reports of its flagged campaigns, to set aside before counting
reports towards a takedown)."""

from __future__ import annotations

from flockwatch.store.db import Store

#: The side table the ``mass_reporting`` detector's runs append to (see detect.mass_reporting).
DISCOUNTED_TABLE = "mass_reporting_discounted"


def report_campaigns_sql(store: Store) -> str:
    """``campaign_id, score, n_targets, n_reporters, n_reports, first_at, last_at, targets,
    explanation``, highest score first; ``targets`` are the targets' account ids (``post:<id>``
    for a reported post whose author is unknown), most reported first, joined with ``; ``."""
    return """
    SELECT subject_id AS campaign_id,
           round(score, 4) AS score,
           CAST(json_extract(details, '$.n_targets') AS BIGINT) AS n_targets,
           CAST(json_extract(details, '$.n_reporters') AS BIGINT) AS n_reporters,
           CAST(json_extract(details, '$.n_reports') AS BIGINT) AS n_reports,
           CAST(json_extract_string(details, '$.first_at') AS TIMESTAMP) AS first_at,
           CAST(json_extract_string(details, '$.last_at') AS TIMESTAMP) AS last_at,
           array_to_string(json_extract_string(details, '$.targets[*].target'), '; ') AS targets,
           explanation
    FROM latest_findings
    WHERE detector = 'mass_reporting' AND subject_kind = 'campaign'
    ORDER BY score DESC, campaign_id
    """


def discounted_reports_sql(store: Store) -> str:
    """``report_id, campaign_id``: every report of a campaign of the latest run that scored at
    least the detector's flag score, in campaign and time order."""
    exists = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [DISCOUNTED_TABLE]
    ).fetchall()[0][0]
    if not exists:
        return "SELECT NULL::VARCHAR AS report_id, NULL::VARCHAR AS campaign_id WHERE false"
    return f"""
    SELECT report_id, campaign_id FROM {DISCOUNTED_TABLE}
    WHERE run_id = (SELECT arg_max(run_id, finished_at) FROM detector_runs
                    WHERE detector = 'mass_reporting' AND status = 'ok')
    ORDER BY campaign_id, created_at, report_id
    """
