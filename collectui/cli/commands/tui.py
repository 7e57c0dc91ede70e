"""`collectui` with no subcommand, and `collectui tui`: the collector's terminal UI."""

from __future__ import annotations

import shlex
import sys

import typer

from collectui.cli.common import State, err, state


def _no_database(st: State) -> None:
    """No database at this path: say how a bank makes one and how a trainer makes the demo.

    The path may be a mistyped production one, so the offer to build the demo there is made only to
    someone at a terminal, names the path, and defaults to No: pressing Enter creates nothing.
    """
    path = shlex.quote(str(st.db_path))
    err.print(f"No database at {st.db_path}.")
    err.print(f"A new bank creates one with:  collectui --db {path} init --admin NAME")
    err.print(f"A trainer builds the demo one with:  collectui --db {path} demo")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise typer.Exit(1)
    if not typer.confirm(f"Build the demo database at {st.db_path} now?", default=False, err=True):
        raise typer.Exit(1)
    from collectui.cli.commands.demo import make_demo

    make_demo(st)


def launch(st: State) -> None:
    from collectui.storage.engine import Database

    if not Database(st.db_path).exists:
        _no_database(st)
    ctx = st.ctx(create=False)
    from collectui.tui.app import CollectApp

    CollectApp(ctx, lang=st.lang).run()
    raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    @app.command("tui")
    def tui(ctx: typer.Context) -> None:
        """Open the terminal UI (the same as `collectui` with no command)."""
        launch(state(ctx))
