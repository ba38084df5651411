"""``flockwatch export``."""

from __future__ import annotations

from pathlib import Path

import typer

from flockwatch.cli import DB_HELP, app, console


@app.command()
def export(
    table: str = typer.Argument(
        ...,
        help="accounts, posts, follows, reports, snapshots, groups, memberships, findings, "
        "clusters, edges, graph (.gexf or .graphml), takedown, audits, pools, impersonations, "
        "report_campaigns, discounted_reports, ...",
    ),
    out: Path = typer.Option(..., "--out", help="Output file: .csv, .parquet, .json or .jsonl"),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    min_score: float | None = typer.Option(
        None, "--min-score", help="takedown only: lowest finding score listed [default: 0.7]"
    ),
) -> None:
    """Write a table or a view of the findings to CSV, Parquet or JSON."""
    from flockwatch.export.tables import write
    from flockwatch.store.db import Store, memory_limit, resolve_db_path

    with Store(resolve_db_path(db), read_only=True, memory_limit=memory_limit()) as store:
        if table == "graph":
            from flockwatch.export.graph import write_graph

            nodes, edges = write_graph(store, out)
            console.print(f"Wrote {nodes:,} nodes and {edges:,} edges to {out}")
            return
        n = write(store, table, out, **_takedown_options(table, min_score))
    console.print(f"Wrote {n:,} rows to {out}")


def _takedown_options(table: str, min_score: float | None) -> dict[str, float]:
    from flockwatch.errors import ParameterError

    if min_score is None:
        return {}
    if table != "takedown":
        raise ParameterError(f"--min-score applies to the takedown export only, not {table!r}")
    return {"min_score": min_score}
