"""The ``flockwatch`` command line: a thin adapter over the library stages.

Library errors (:class:`flockwatch.errors.FlockwatchError`) become a one-line message on stderr and
exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from flockwatch.errors import FlockwatchError

app = typer.Typer(
    name="flockwatch",
    help="Find bots, fake accounts and coordinated networks in social-media data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DB_HELP = "DuckDB store file [default: $FLOCKWATCH_DB, else ./flockwatch.duckdb]"


def _register() -> None:
    from flockwatch.cli import audit, data, demo, detect, export, report, train  # noqa: F401  (commands register on import)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 user error, 2 usage error)."""
    _register()
    try:
        app(args=argv, standalone_mode=False)
    except FlockwatchError as exc:
        err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("Aborted.")
        return 1
    except Exception as exc:
        import duckdb

        if isinstance(exc, duckdb.OutOfMemoryException):
            first = str(exc).splitlines()[0]
            err_console.print(
                f"[bold red]Error:[/] DuckDB ran out of memory ({first}); raise "
                "FLOCKWATCH_MEMORY_LIMIT (ingest's default: 1GB; other commands: 80% of "
                "memory) or free memory",
                soft_wrap=True,
            )
            return 1
        # Usage errors (unknown option, missing argument) from Typer's bundled Click.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return int(exc.exit_code)
        raise
    return 0


def run() -> None:
    sys.exit(main())
