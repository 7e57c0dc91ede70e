"""The `collectui` command: global options, then one module per feature registers its commands."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Optional

import typer

from collectui.cli.common import SafeGroup, State, default_db_path

app = typer.Typer(
    cls=SafeGroup,
    name="collectui",
    help="collectui: lawful, humane collection phone work for a rural bank, over one SQLite file.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each module defines `register(app)`; order is the order of `collectui --help`.
FEATURES = ("demo", "queue", "importing", "calls", "sms", "voice", "users", "audit_cmd", "tui_cmd")


@app.callback()
def root(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(
        None, "--db", envvar="COLLECTUI_DB",
        help=f"Database file (env COLLECTUI_DB). Default: {default_db_path()}",
        dir_okay=False,
    ),
    policy: Optional[Path] = typer.Option(
        None, "--policy", envvar="COLLECTUI_POLICY",
        help="Policy file (env COLLECTUI_POLICY). Default: policy.toml beside the database.",
        dir_okay=False,
    ),
    lang: Optional[str] = typer.Option(
        None, "--lang", envvar="COLLECTUI_LANG", help="UI language: zh or en (default: from the locale).",
    ),
) -> None:
    ctx.obj = State(db_path=db or default_db_path(), policy_path=policy, lang=lang)
    if ctx.invoked_subcommand is None:
        from collectui.cli import tui_cmd

        tui_cmd.launch(ctx.obj)


for _name in FEATURES:
    importlib.import_module(f"collectui.cli.{_name}").register(app)


def main() -> None:
    app(prog_name="collectui")
