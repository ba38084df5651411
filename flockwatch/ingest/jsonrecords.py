"""Stream JSON records out of the shapes exports come in, keeping every broken one.

Accepted shapes: JSON Lines; objects separated by blank lines or pretty-printed over several lines
(the v1.1 streaming dumps); a top-level JSON array; a single object. Memory stays bounded by the
largest single record. A record that does not parse, or whose bytes are not UTF-8, is passed to
``reject`` with its starting line and raw text, and reading resumes at the next record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from flockwatch.ingest.sources import Source, iter_lines

MAX_RECORD_LINES = 200_000
_decoder = json.JSONDecoder()

Reject = Callable[[int | None, str, "str | bytes"], None]


def iter_json_records(
    source: Source, reject: Reject, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each top-level record; arrays yield their elements."""
    pending: list[str] = []
    start = 0
    done = 0
    in_array = False
    seen_first = False
    for number, raw in iter_lines(source):
        done += len(raw) + 1
        if progress is not None and number % 1000 == 0:
            progress(done)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if pending:
                reject(start, "record broken by a line that is not valid UTF-8", "\n".join(pending))
                pending = []
            reject(
                number,
                f"not valid UTF-8 at byte {exc.start}: {raw[exc.start : exc.start + 4]!r}",
                raw,
            )
            continue
        stripped = line.strip()
        if not pending:
            if not stripped:
                continue
            if not seen_first and stripped.startswith("["):
                in_array = True
                stripped = stripped[1:].strip()
                line = stripped
            seen_first = True
            if in_array:
                stripped = stripped.lstrip(",").strip()
                if stripped in ("]", ""):
                    continue
                line = stripped
            start = number
        elif stripped.startswith("{") and not line[:1].isspace() and not in_array:
            # A new record begins at column 0 while the previous one is still open: the previous
            # record was truncated.
            reject(start, "truncated JSON record", "\n".join(pending))
            pending = []
            start = number
        pending.append(line)
        if len(pending) > 1 and not stripped.endswith(("}", "]", "},", "],")):
            continue  # cannot end a record: skip the decode attempt (keeps long records linear)
        text = "\n".join(pending).strip()
        if in_array:
            text = text.rstrip("]").rstrip().rstrip(",").rstrip()
        values, leftover, error = _decode_all(text)
        if error is None:
            for value in values:
                yield start, value
            pending = []
            continue
        if values:  # some complete records followed by an incomplete one
            for value in values:
                yield start, value
            pending = [leftover]
        if error.pos < len(leftover.rstrip()) - 1 or len(pending) > MAX_RECORD_LINES:
            reject(start, f"not valid JSON: {error.msg} (column {error.colno})", "\n".join(pending))
            pending = []
    if pending:
        text = "\n".join(pending).strip()
        if text not in ("]", ""):
            reject(start, "truncated JSON record at end of file", text)


def _decode_all(text: str) -> tuple[list[Any], str, json.JSONDecodeError | None]:
    """Decode consecutive JSON values; return them, the undecoded rest and its error."""
    values: list[Any] = []
    pos = 0
    n = len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= n:
            break
        try:
            value, end = _decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            rest = text[pos:]
            return values, rest, json.JSONDecodeError(exc.msg, rest, exc.pos - pos)
        values.append(value)
        pos = end
    return values, "", None
