"""The public API and the direction of imports between stages."""

from __future__ import annotations

import ast
from pathlib import Path

import flockwatch

PACKAGE = Path(flockwatch.__file__).parent
# Stages in dependency order: a module may import only from its own stage or earlier ones. Data
# flows ingest -> store -> detect -> ...; the store's API is what ingest writes through, so it
# comes first here.
ORDER = [
    "errors",
    "settings",
    "store",
    "ingest",
    "simulate",
    "detect",
    "findings",
    "evidence",
    "report",
    "export",
    "api",
    "cli",
    "web",
]


def test_all_matches_exports():
    public = {n for n in dir(flockwatch) if not n.startswith("_")}
    modules = {"errors", "ingest", "store", "cli", "detect", "simulate", "report", "export"}
    assert set(flockwatch.__all__) - {"__version__"} == public - modules


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "flockwatch" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def test_lower_stages_never_import_higher_ones():
    bad = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        own = _stage(".".join(rel.parts))
        if own is None:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                other = _stage(name)
                if other and ORDER.index(other) > ORDER.index(own):
                    bad.append(f"{rel} imports {name}")
                if own != "cli" and name.split(".")[0] in ("typer", "fastapi"):
                    bad.append(f"{rel} imports {name}")
    assert not bad, bad
