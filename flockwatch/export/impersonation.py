"""The ``impersonations`` export: one row per look-alike account of the latest ``impersonation``
run, most convincing first, with the identity it poses as and the reasons."""

from __future__ import annotations

from flockwatch.store.db import Store


def impersonations_sql(store: Store) -> str:
    """``platform, account_id, impersonated_account_id, score, reasons`` (reasons joined with
    ``; ``, e.g. "display name equals 'Raveena Tandon' after confusables (Cyrillic 'а'); handle
    raveenatandon_0fficial mimics @raveenatandon (digit swap 0/o); bio 92% similar")."""
    return """
    SELECT platform, subject_id AS account_id,
           json_extract_string(details, '$.impersonated_account_id') AS impersonated_account_id,
           round(score, 4) AS score,
           array_to_string(CAST(json_extract(details, '$.reasons') AS VARCHAR[]), '; ') AS reasons
    FROM latest_findings
    WHERE detector = 'impersonation' AND subject_kind = 'account'
    ORDER BY score DESC, platform, account_id
    """
