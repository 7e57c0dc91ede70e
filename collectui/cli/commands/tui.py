"""`collectui` with no subcommand, and `collectui tui`: the collector's terminal UI."""

from __future__ import annotations

import shlex
import sys

import typer

from collectui.cli import lang
from collectui.cli.common import State, err, state


def _no_database(st: State) -> None:
    """No database at this path: say how a bank makes one and how a trainer makes the demo.

    The path may be a mistyped production one, so the offer to build the demo there is made only to
    someone at a terminal, names the path, and defaults to No: pressing Enter creates nothing.
    """
    path = shlex.quote(str(st.db_path))
    err.print(lang.t("cli.tui.no_database", path=st.db_path), markup=False)
    err.print(lang.t("cli.tui.init_hint", command=f"collectui --db {path} init --admin NAME"), markup=False)
    err.print(lang.t("cli.tui.demo_hint", command=f"collectui --db {path} demo"), markup=False)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise typer.Exit(1)
    if not typer.confirm(lang.t("cli.tui.build_demo", path=st.db_path), default=False, err=True):
        raise typer.Exit(1)
    from collectui.cli.commands.demo import make_demo

    make_demo(st)


def launch(st: State) -> None:

    # A PostgreSQL URL goes straight to the checked open (cli.opening): a server that does not answer, or
    # holds no collectui database, is refused with its reason and the URL without its password; no demo
    # is offered there (the demo is a SQLite file).
    if not st.db_url and not st.database().exists:
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
