"""Stream the elements of the arrays inside one JSON document, keeping every broken element.

Exports such as Telegram Desktop's ``result.json`` or Instagram's "download your information"
files are one JSON document, not JSON Lines, and may be large. :func:`iter_document` walks the
document line by line and yields each element of the arrays it is asked for (``"messages": [...]``,
a top-level array ...) with the line it starts on, plus the scalar fields of the objects enclosing
it (a chat's ``name``, ``type`` and ``id``), so memory stays bounded by the largest element.

Both exports are pretty-printed with one element opening on its own line, which gives a fast path:
an element is the lines up to the closing brace at its own indentation, parsed with :mod:`json`.
Elements that share lines (a minified document) are cut out by a tokenizer instead. An element
that does not parse, holds bytes that are not UTF-8, or is cut short by the end of the file comes
back with ``error`` set and its raw text, and reading goes on with the next element. A document
whose structure breaks outside any element ends with an error item at that line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flockwatch.errors import InputError
from flockwatch.ingest.sources import Source, iter_lines

MAX_ELEMENT_LINES = 200_000

_TOKEN = re.compile(
    r'\s*(?:("(?:[^"\\]|\\.)*")(\s*:)?|([{}\[\],])|(true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))'
)


@dataclass
class Item:
    """One element of a wanted array (``error`` set when it could not be read)."""

    line: int
    value: Any
    raw: str
    error: str | None = None
    key: str | None = None  # the key of the array holding it; None for a top-level array
    parents: list[dict[str, Any]] = field(default_factory=list)  # scalars of enclosing objects


@dataclass
class End:
    """An object outside the wanted elements closed: its scalar fields and what it held."""

    line: int
    key: str | None
    scalars: dict[str, Any]
    depth: int
    arrays: set[str]  # keys of the wanted arrays it contained


@dataclass
class _Frame:
    kind: str  # "{" or "["
    key: str | None
    items: bool = False
    scalars: dict[str, Any] = field(default_factory=dict)
    arrays: set[str] = field(default_factory=set)


def iter_document(
    source: Source,
    item_keys: frozenset[str] | set[str],
    *,
    top_level_items: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Item | End]:
    """Yield the elements of the arrays named ``item_keys`` (and of a top-level array when
    ``top_level_items``) as :class:`Item`, and :class:`End` for every other object closing."""
    stack: list[_Frame] = []
    pending_key: str | None = None
    done = False
    started = False
    # fast-path capture: (start line, indentation, raw lines)
    capture: tuple[int, bytes, list[bytes]] | None = None
    # tokenizer capture: (start line, depth, text parts)
    slow: list[Any] | None = None
    consumed = 0
    last_line = 0
    last_raw = b""

    def item_of(start: int, text: str, error: str | None = None) -> Item:
        key = stack[-1].key if stack else None
        parents = [f.scalars for f in stack if f.kind == "{"]
        if error is None:
            if _has_surrogate(text):
                error = "not valid UTF-8"
            else:
                try:
                    return Item(start, json.loads(text), text, None, key, parents)
                except json.JSONDecodeError as exc:
                    error = f"not valid JSON: {exc.msg} (line {start + exc.lineno - 1})"
                except RecursionError:
                    error = "not valid JSON: nested too deeply"
        raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return Item(start, None, raw, error, key, parents)

    broken: tuple[int, str, str] | None = None  # where the structure broke: line, text, why
    for number, raw_line in iter_lines(source):
        if broken is not None:
            if raw_line.strip():
                break  # more follows: the structure really is broken, not cut short
            continue
        last_line, last_raw = number, raw_line
        consumed += len(raw_line) + 1
        if progress is not None and number % 1000 == 0:
            progress(consumed)
        if capture is not None:
            start, indent, lines = capture
            body = raw_line.rstrip()
            if body in (indent + b"}", indent + b"},"):
                lines.append(body.rstrip(b","))
                capture = None
                yield item_of(start, _decode(b"\n".join(lines)))
                continue
            stripped = raw_line.lstrip()
            depth_here = len(raw_line) - len(stripped)
            if (stripped.startswith(b"{") and depth_here == len(indent)) or (
                stripped[:1] in (b"]", b"}") and depth_here < len(indent)
            ):
                # The next element, or the end of the array, while this one is still open.
                capture = None
                yield item_of(start, _decode(b"\n".join(lines)), "truncated JSON element")
            elif len(lines) > MAX_ELEMENT_LINES:
                capture = None
                yield item_of(start, _decode(b"\n".join(lines)), "JSON element too long")
                continue
            else:
                lines.append(raw_line)
                continue
        line = _decode(raw_line)
        if not started:
            if not line.strip():
                continue
            started = True
            if line.lstrip()[:1] not in ("{", "["):
                raise InputError(f"{source.name}: not a JSON document (line {number})")
        if done:
            if line.strip():
                yield item_of(number, line, "data after the end of the JSON document")
                return
            continue
        pos = 0
        n = len(line)
        while pos < n:
            if slow is not None:
                # Inside an element that shares its lines: count brackets until it closes.
                start, depth, parts = slow
                m = _TOKEN.match(line, pos)
                if m is None or m.end() == pos:
                    if line[pos:].strip() == "":
                        break
                    # Not JSON: the element is broken; skip to the end of the line.
                    parts.append(line[pos:])
                    slow = None
                    yield item_of(start, "".join(parts), "not valid JSON")
                    pos = n
                    break
                punct = m.group(3)
                if punct in ("{", "["):
                    depth += 1
                elif punct in ("}", "]"):
                    depth -= 1
                parts.append(line[pos : m.end()])
                pos = m.end()
                if depth == 0:
                    slow = None
                    yield item_of(start, "".join(parts).strip())
                else:
                    slow[1] = depth
                continue
            m = _TOKEN.match(line, pos)
            if m is None or m.end() == pos:
                if line[pos:].strip() == "":
                    break
                broken = (number, line, f"broken JSON structure at column {pos + 1}")
                break
            string, colon, punct, literal = m.groups()
            token_start = m.start(1) if string else m.start(3) if punct else m.start(4)
            pos = m.end()
            top = stack[-1] if stack else None
            if top is not None and top.items and (punct in ("{", "[") or string or literal):
                if colon:
                    yield item_of(number, line, "broken JSON structure: a key inside an array")
                    return
                if punct and line[:token_start].strip() == "" and line[pos:].strip() == "":
                    capture = (
                        number,
                        raw_line[: len(raw_line) - len(raw_line.lstrip())],
                        [raw_line],
                    )
                    break
                if punct:
                    slow = [number, 1, [line[token_start:pos]]]
                    continue
                yield item_of(number, string or literal)
                continue
            if string is not None and colon:
                pending_key = json.loads(string)
                continue
            if punct in ("{", "["):
                key, pending_key = pending_key, None
                items = punct == "[" and (
                    (key is not None and key in item_keys) or (not stack and top_level_items)
                )
                if items and key is not None:
                    for f in stack:
                        f.arrays.add(key)
                stack.append(_Frame(punct, key, items))
                continue
            if punct in ("}", "]"):
                if not stack or (stack[-1].kind == "{") != (punct == "}"):
                    yield item_of(number, line, f"unbalanced '{punct}' in the JSON document")
                    return
                frame = stack.pop()
                if frame.kind == "{":
                    yield End(number, frame.key, frame.scalars, len(stack), frame.arrays)
                if not stack:
                    done = True
                continue
            if punct == ",":
                continue
            value = json.loads(string if string is not None else literal)
            if top is not None and top.kind == "{" and pending_key is not None:
                top.scalars[pending_key] = value
            pending_key = None
    else:
        broken = (broken[0], broken[1], "") if broken is not None else None
    if broken is not None:
        number, line, why = broken
        yield item_of(
            number, line, why or "JSON document truncated at end of file (last line cut short)"
        )
        return
    if capture is not None:
        start, _, lines = capture
        yield item_of(start, _decode(b"\n".join(lines)), "truncated JSON element at end of file")
    elif slow is not None:
        yield item_of(slow[0], "".join(slow[2]), "truncated JSON element at end of file")
    elif stack:
        where = " > ".join(f.key or "[]" if f.kind == "[" else f.key or "{}" for f in stack)
        yield item_of(
            last_line, _decode(last_raw), f"JSON document truncated at end of file (inside {where})"
        )
    elif not started:
        raise InputError(f"{source.name}: empty file")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
