"""Impersonation: look-alike accounts, the identity each poses as, and the signals behind it."""

from __future__ import annotations

from typing import Any

from flockwatch.report.data import ReportData, as_dict, as_list
from flockwatch.report.markup import esc, num, score_cell, shorten, table
from flockwatch.report.sections.base import Section

#: Look-alikes listed (strongest first); ``flockwatch export impersonations`` has them all.
MAX_ROWS = 300


class ImpersonationSection(Section):
    id = "impersonation"
    title = "Impersonation"
    detector = "impersonation"

    def render(self, data: ReportData) -> str:
        frame = data.of(self.detector, "account").sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        flagged = data.flagged(frame)
        victims = {as_dict(d).get("impersonated_account_id") for d in flagged["details"]}
        parts = [
            f"<p>{num(len(frame))} accounts look like a protected identity (verified, with many "
            f"followers, or on the watch list); {num(len(flagged))} of them pose as "
            f"{num(len(victims))} identities convincingly enough to be flagged (score at least "
            f"{data.flag_score(self.detector):.2f}). Names and handles are compared after "
            "Unicode confusable skeletons, so a Cyrillic 'а', a zero-width character or a "
            "0 for an o does not hide a copy. Fan and parody accounts that say so score lower; "
            "namesakes of a star score low unless they copy her bio or picture.</p>"
        ]
        rows = [self._row(data, f) for f in frame.head(MAX_ROWS).itertuples(index=False)]
        cut = (
            f"<p>The {num(MAX_ROWS)} strongest are listed; "
            "<code>flockwatch export impersonations</code> has all.</p>"
            if len(frame) > MAX_ROWS
            else ""
        )
        parts.append(
            table(
                ["account", "poses as", "score", "name", "handle", "bio", "image", "reasons"],
                rows,
                sortable=True,
                table_id="impersonation-table",
                numeric=["score", "bio"],
            )
            + cut
        )
        return "".join(parts)

    def _row(self, data: ReportData, f: Any) -> list[str]:
        d = as_dict(f.details)
        sig = as_dict(d.get("signals"))
        comp = as_dict(d.get("components"))
        orig = d.get("impersonated_screen_name")
        orig_id = str(d.get("impersonated_account_id") or "")
        label = f"@{orig}" if orig else orig_id
        if d.get("impersonated_display_name"):
            label += f" ({d['impersonated_display_name']})"
        name = (
            "equal after confusables"
            if sig.get("name_equal_after_confusables")
            else f"{float(sig.get('name_similarity') or 0):.0%} similar"
        )
        tricks = as_list(sig.get("tricks"))
        if tricks:
            name += "; " + ", ".join(str(t) for t in tricks)
        handle = (
            "mimics" if "handle" in comp else "spells the name" if "handle_name" in comp else ""
        )
        bio = sig.get("bio_similarity")
        return [
            f"<td>{data.account_link(f.platform, f.subject_id, data.name_of(f.platform, f.subject_id))}</td>",
            f"<td>{data.account_link(f.platform, orig_id, label)}</td>",
            score_cell(f.score),
            name,
            handle,
            f'<td class=num data-sort="{-1 if bio is None else bio}">'
            f"{'' if bio is None else f'{float(bio):.0%}'}</td>",
            "same" if sig.get("same_image") else "",
            f'<td class="expl">{esc(shorten("; ".join(str(r) for r in as_list(d.get("reasons"))), 320))}</td>',
        ]
