"""`collectui` with no subcommand, and `collectui tui`: the collector's terminal UI."""

from __future__ import annotations

import sys

import typer

from collectui.cli.common import State, err, state


def _no_database(st: State) -> None:
    """No database yet: say how to make the demo one, and offer to when someone is at the keyboard."""
    err.print(f"No database at {st.db_path}.")
    err.print(f"Create the demo one with:  collectui --db {st.db_path} demo")
    err.print("or load core-banking exports with `collectui import --help`.")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise typer.Exit(1)
    if not typer.confirm("Create the demo database now?", default=False, err=True):
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
