"""`collectui` with no subcommand, and `collectui tui`: the collector's terminal UI."""

from __future__ import annotations

import typer

from collectui.cli.common import State, err, state


def launch(st: State) -> None:
    # Replaced by the TUI issue; until then the bare command shows the help.
    err.print("The TUI is not built yet; see `collectui --help`.")
    raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    @app.command("tui")
    def tui(ctx: typer.Context) -> None:
        """Open the terminal UI (the same as `collectui` with no command)."""
        launch(state(ctx))
