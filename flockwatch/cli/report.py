"""``flockwatch report``."""

from __future__ import annotations

from pathlib import Path

import typer

from flockwatch.cli import DB_HELP, app, console


@app.command()
def report(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    out: Path = typer.Option(Path("report.html"), "--out", help="HTML file to write"),
    top_accounts: int = typer.Option(
        200, "--top-accounts", help="Accounts that get a full panel (the table lists all flagged)"
    ),
    top_clusters: int = typer.Option(
        10, "--top-clusters", help="Clusters shown with a network picture and campaign view"
    ),
    title: str = typer.Option(
        "flockwatch investigation report", "--title", help="Title at the top of the report"
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the network layouts"),
) -> None:
    """Write the investigation report: one self-contained HTML file (offline, printable)."""
    from flockwatch.errors import ParameterError
    from flockwatch.report import ReportOptions, write_report
    from flockwatch.store.db import Store, memory_limit, resolve_db_path

    if top_accounts < 0 or top_clusters < 0:
        raise ParameterError("--top-accounts and --top-clusters must be 0 or more")
    options = ReportOptions(
        top_accounts=top_accounts, top_clusters=top_clusters, title=title, seed=seed
    )
    with (
        Store(resolve_db_path(db), read_only=True, memory_limit=memory_limit()) as store,
        console.status("Writing report..."),
    ):
        result = write_report(store, out, options)
    console.print(
        f"Wrote {result.path} ({result.bytes / 1e6:.1f} MB, {result.seconds:.1f}s): "
        f"{', '.join(result.sections)}; {result.flagged_accounts:,} flagged accounts, "
        f"{result.panels:,} panels, {result.clusters:,} clusters"
    )
