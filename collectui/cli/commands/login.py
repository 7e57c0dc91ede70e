"""`collectui login`, `logout` and `whoami`: a command-line session for one person on one database.

The password is checked like the TUI's sign-in (argon2, lockout after repeated failures, every failure
audited); the session secret goes to a file only this OS user can read. A password an admin set must be
replaced here before the session starts.
"""

from __future__ import annotations

import sys

import typer

from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_rows
from collectui.domain.errors import InvalidInput
from collectui.domain.staff import logins, tokens
from collectui.domain.staff import users as users_svc


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(f"no {what} on standard input")
    return line.rstrip("\r\n")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return _stdin_line("new password (the second line)")
    first = typer.prompt("New password", hide_input=True, err=True)
    second = typer.prompt("Repeat", hide_input=True, err=True)
    if first != second:
        raise InvalidInput("the two passwords differ")
    return first


def login(
    ctx: typer.Context,
    username: str | None = typer.Argument(None, help="Your username (asked when left out)."),
    password_stdin: bool = typer.Option(
        False,
        "--password-stdin",
        help="Read the password from stdin (and, when an admin set it, the new one from the next line).",
    ),
) -> None:
    """Sign in: later commands on this database act as you until `logout` or the session expires."""
    c = state(ctx).ctx()
    if username is None:
        username = _stdin_line("username") if password_stdin else typer.prompt("Username", err=True)
    password = _stdin_line("password") if password_stdin else typer.prompt("Password", hide_input=True, err=True)
    user = users_svc.authenticate(c, username.strip(), password)
    if user.must_change_password:
        out.print("an admin set your password: choose your own now")
        user = users_svc.change_own_password(c, user.username, password, _new_password(password_stdin))
    info = logins.start(c, user.id)
    out.print(f"signed in as {info.actor.name} ({info.actor.role}); session ends by {info.expires:%Y-%m-%d %H:%M}")


def logout(ctx: typer.Context) -> None:
    """Sign out: end this OS user's session on this database."""
    name = logins.end(state(ctx).ctx())
    out.print(f"signed out {name}" if name else "no session to end")


def whoami(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Who commands act as: the COLLECTUI_TOKEN token, else your login session (exit 4 when neither)."""
    st = state(ctx)
    actor = st.actor()
    if actor.via == "session":
        expires = logins.current(st.ctx()).expires
    else:
        expires = tokens.expiry(st.ctx(), actor)
    row: dict[str, object] = {
        "name": actor.name,
        "role": actor.role,
        "branch": actor.branch,
        "via": actor.via,
        "scopes": ",".join(sorted(actor.scopes)) if actor.scopes is not None else "",
        "expires": f"{expires:%Y-%m-%d %H:%M}",
    }
    emit_rows([row], list(row), fmt)


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
