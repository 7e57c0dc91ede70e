"""The `collectui` command: global options, then one module per feature registers its commands."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Optional

import typer

from collectui.cli.common import SafeGroup, State, default_db_path

# Each module defines `register(app)`; order is the order of `collectui --help`.
FEATURES = ("demo", "queue", "importing", "calls", "sms", "voice", "users", "audit_cmd", "tui_cmd")
# Which module registers each top-level command, so `main` imports only what the command line needs
# (importing every feature pulls in openpyxl, faker and textual: seconds on a branch PC).
COMMAND_MODULES = {
    "demo": "demo", "queue": "queue", "import": "importing", "check": "calls", "call": "calls",
    "policy": "calls", "sms": "sms", "feedback": "voice", "complaint": "voice", "report": "voice",
    "users": "users", "audit": "audit_cmd", "tui": "tui_cmd",
}
_VALUE_OPTIONS = ("--db", "--policy", "--lang")


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


def build_app(features: tuple[str, ...] = FEATURES) -> typer.Typer:
    new_app = typer.Typer(
        cls=SafeGroup,
        name="collectui",
        help="collectui: lawful, humane collection phone work for a rural bank, over one SQLite file.",
        no_args_is_help=False,
        invoke_without_command=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new_app.callback()(root)
    for name in features:
        importlib.import_module(f"collectui.cli.{name}").register(new_app)
    return new_app


def features_for(argv: list[str]) -> tuple[str, ...]:
    """The feature modules a command line needs: its command's module, or all of them for help/unknown."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUE_OPTIONS:
            next(args, None)
        elif any(arg.startswith(opt + "=") for opt in _VALUE_OPTIONS):
            continue
        elif arg.startswith("-"):
            return FEATURES
        else:
            module = COMMAND_MODULES.get(arg)
            return (module,) if module else FEATURES
    return ("tui_cmd",)


def __getattr__(name: str):
    # `from collectui.cli.app import app` (tests, tools) gets the full application.
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    build_app(features_for(sys.argv[1:]))(prog_name="collectui")
