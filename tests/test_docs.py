"""Every command and reader format is documented; every command has help text."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from flockwatch.cli import _register, app
from flockwatch.detect.registry import detector_names, get_detector
from flockwatch.ingest.registry import format_names

ROOT = Path(__file__).resolve().parents[1]


def _docs() -> str:
    parts = [(ROOT / "README.md").read_text("utf-8")]
    parts += [p.read_text("utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(parts)


def _commands() -> dict[str, object]:
    _register()
    group = typer.main.get_group(app)
    out = {}
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        if sub:
            for subname, subcmd in sub.items():
                out[f"{name} {subname}"] = subcmd
        else:
            out[name] = cmd
    return out


@pytest.mark.parametrize("command", sorted(_commands()))
def test_command_documented(command):
    assert f"flockwatch {command}" in _docs(), f"`flockwatch {command}` is not in README/docs"


@pytest.mark.parametrize("command", sorted(_commands()))
def test_command_has_help(command):
    assert (_commands()[command].help or "").strip(), f"{command} has no help text"


@pytest.mark.parametrize("fmt", format_names())
def test_format_documented(fmt):
    assert f"`{fmt}`" in _docs(), f"format {fmt} is not documented"


def _detector_sections() -> dict[str, str]:
    text = (ROOT / "docs" / "detectors.md").read_text("utf-8")
    sections = {}
    for part in text.split("\n## ")[1:]:
        head, _, body = part.partition("\n")
        sections[head.strip()] = body
    return sections


@pytest.mark.parametrize("name", detector_names())
def test_detector_documented(name):
    sections = _detector_sections()
    assert name in sections, f"detector {name} has no '## {name}' section in docs/detectors.md"
    body = sections[name]
    for heading in ("**What it measures**", "**Parameters**", "**Known false positives"):
        assert heading in body, f"docs/detectors.md, {name}: no {heading} part"
    missing = [p for p in get_detector(name).param_names() if f"`{p}`" not in body]
    assert not missing, f"docs/detectors.md, {name}: parameters not documented: {missing}"
