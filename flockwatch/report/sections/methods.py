"""Methods and limits: what each detector measures and what it does not show, in plain words.

The text comes from the detector itself: a ``methods`` attribute when it has one, else its class
docstring without the parts meant for programmers (parameters, examples, references). Detectors
state their known false positives there, as the style guide asks.
"""

from __future__ import annotations

import inspect
import re

from flockwatch.detect.base import Detector
from flockwatch.report.data import ReportData
from flockwatch.report.markup import esc, paragraphs
from flockwatch.report.sections.base import Section

#: numpydoc sections left out of the report: they are for programmers.
SKIPPED = {
    "parameters",
    "returns",
    "yields",
    "examples",
    "references",
    "attributes",
    "see also",
    "raises",
    "methods",
}
_HEADING = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\s*$", re.MULTILINE)


def methods_text(cls: type | None) -> str:
    """Plain text on what a detector measures and its limits (empty when it has none)."""
    if cls is None:
        return ""
    text = getattr(cls, "methods", None)
    if isinstance(text, str) and text.strip():
        return inspect.cleandoc(text)
    doc = inspect.getdoc(cls) or ""
    if not doc or doc == inspect.getdoc(Detector):  # the base class's text says nothing
        return str(getattr(cls, "summary", "") or "")
    pieces = _HEADING.split(doc)
    kept = [pieces[0]]
    for title, body in zip(pieces[1::2], pieces[2::2], strict=True):
        if title.strip().lower() not in SKIPPED:
            kept.append(f"{title.strip()}:\n\n{body}")
    return "\n\n".join(k.strip() for k in kept if k.strip())


def _render_text(text: str) -> str:
    """Paragraphs; ``Title:`` paragraphs from numpydoc headings become small headings, and
    ``*term*`` emphasis and ````code```` become markup (after escaping)."""
    html = []
    for block in [b for b in re.split(r"\n\s*\n", text) if b.strip()]:
        one = " ".join(block.split())
        if re.fullmatch(r"[A-Z][A-Za-z ]+:", one):
            html.append(f"<h4>{esc(one[:-1])}</h4>")
            continue
        p = paragraphs(one)
        p = re.sub(r"``([^`]+)``", r"<code>\1</code>", p)
        p = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<em>\1</em>", p)
        html.append(p)
    return "".join(html)


class MethodsSection(Section):
    id = "methods"
    title = "Methods and limits"

    def applies(self, data: ReportData) -> bool:
        return True

    def render(self, data: ReportData) -> str:
        classes = data.detector_classes
        ran = {r["detector"]: r for r in data.runs}
        names = list(ran) + [n for n in classes if n not in ran]
        parts = [
            "<p>Every finding is a lead, not proof: each detector below measures one kind of "
            "signal, and each has innocent explanations. Read findings together, and check the "
            "evidence rows named in each finding (they are in the store and the exports).</p>"
        ]
        for name in names:
            cls = classes.get(name)
            run = ran.get(name)
            version = run["version"] if run else getattr(cls, "version", "?")
            status = (
                f"ran {esc(run['run_id'])} (version {esc(version)})"
                if run
                else "installed, not run on this store"
            )
            summary = getattr(cls, "summary", "") if cls else ""
            text = methods_text(cls)
            if summary and text.startswith(summary):
                text = text[len(summary) :].strip()
            body = (
                _render_text(text)
                if text
                else (
                    '<p class="muted">This detector is not installed here, so its description is '
                    "not available.</p>"
                    if cls is None
                    else ""
                )
            )
            parts.append(
                f'<div class="method"><h3>{esc(name)} <span class="muted small">{status}</span></h3>'
                + (f"<p><b>{esc(summary)}</b></p>" if summary else "")
                + body
                + "</div>"
            )
        parts.append(
            "<h3>This report</h3><p>Made by <code>flockwatch report</code> from the store's "
            "latest successful run of each detector. Scores are in [0, 1]; an account is "
            "flagged when a finding about it, or about a group it belongs to, reaches its "
            "detector's flag score. Network pictures are laid out with a fixed seed. The report "
            "is one self-contained file: it loads nothing from the network, and links in the "
            "data are shown as text.</p>"
        )
        return "".join(parts)
