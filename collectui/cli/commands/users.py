"""`collectui users`: staff accounts."""

from __future__ import annotations

import sys

import typer

from collectui.cli.common import cli_actor, out, state
from collectui.cli.output import Format, emit_rows
from collectui.domain.errors import InvalidInput
from collectui.domain.staff import users as users_svc

users_app = typer.Typer(help="Staff accounts: add, list, change passwords.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("no password on standard input")
        return line.rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat", hide_input=True)
    if first != second:
        raise InvalidInput("the two passwords differ")
    return first


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help="collector | supervisor | admin | trainer"),
    branch: str | None = typer.Option(None, "--branch", help="Branch name (created when new)."),
    display_name: str | None = typer.Option(None, "--name", help="Display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create a staff account."""
    if role not in users_svc.ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(users_svc.ROLES)}", param_hint="--role")
    c = state(ctx).ctx(create=True)
    password = _read_password(password_stdin)
    users_svc.add_user(c, cli_actor(), username, role, branch, password, display_name)
    out.print(f"created {role} {username}")


@users_app.command("list")
def list_(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """List staff accounts."""
    rows = [u.__dict__ for u in users_svc.list_users(state(ctx).ctx())]
    emit_rows(rows, ["username", "display_name", "role", "branch", "active", "locked"], fmt)


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Set a new password (also clears a lockout)."""
    c = state(ctx).ctx()
    users_svc.set_password(c, cli_actor(), username, _read_password(password_stdin))
    out.print(f"password changed for {username}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
