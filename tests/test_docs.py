"""Every command and reader format is documented; every command has help text."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from flockwatch.cli import _register, app
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
