"""The takedown list: accounts to hand to a platform, each with its reasons and evidence.

One row per account that some detector flagged, in a finding about the account itself, at or
above ``min_score``: ``platform, account_id, screen_name, score, detectors, reasons,
finding_ids, evidence_post_ids``. ``reasons`` are the findings' one-sentence explanations
(``detector: explanation``, highest score first, joined with `` | ``); ``finding_ids`` point at
``flockwatch export findings`` rows; ``evidence_post_ids`` are the posts those findings cite
(``;``-separated), so the platform can check each claim.

Membership of a group alone (a creation burst, a cluster without an account finding) does not
put an account on the list: a takedown request names what each account did.
"""

from __future__ import annotations

from flockwatch.errors import ParameterError
from flockwatch.store.db import Store

#: Default cut-off. Detectors flag at 0.5 to show leads to an investigator; a list that asks a
#: platform to act should hold only strong findings. On the simulated world, 0.7 keeps the
#: influence operation and the spam farm and leaves out every celebrity fan (see
#: tests/export/test_takedown.py).
DEFAULT_MIN_SCORE = 0.7


def takedown_sql(store: Store, min_score: float = DEFAULT_MIN_SCORE) -> str:
    """The query behind ``flockwatch export takedown``."""
    try:
        score = float(min_score)
    except (TypeError, ValueError):
        score = float("nan")
    if not 0.0 <= score <= 1.0:
        raise ParameterError(f"--min-score must be a number from 0 to 1; got {min_score!r}")
    return f"""
    WITH f AS (
        SELECT finding_id, detector, coalesce(platform, '') AS platform,
               subject_id AS account_id, score, explanation,
               coalesce(json_extract_string(evidence, '$.posts[*]'), []) AS posts
        FROM latest_findings
        WHERE subject_kind = 'account' AND score >= {score!r}
    ),
    per_account AS (
        SELECT platform, account_id,
               round(max(score), 4) AS score,
               array_to_string(list_sort(list_distinct(list(detector))), ', ') AS detectors,
               string_agg(detector || ': ' || coalesce(explanation, ''), ' | '
                          ORDER BY score DESC, detector) AS reasons,
               string_agg(finding_id, ';' ORDER BY score DESC, detector) AS finding_ids,
               array_to_string(list_sort(list_distinct(flatten(list(posts)))), ';')
                   AS evidence_post_ids
        FROM f GROUP BY platform, account_id
    )
    SELECT p.platform, p.account_id, a.screen_name, p.score, p.detectors, p.reasons,
           p.finding_ids, p.evidence_post_ids
    FROM per_account p
    LEFT JOIN accounts a ON a.account_id = p.account_id AND a.platform = p.platform
    ORDER BY p.score DESC, p.platform, p.account_id
    """
