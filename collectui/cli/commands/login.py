"""`collectui login`: start a command-line session for one person on one database (`logout` ends it,
`whoami` shows it).

The password is checked like the TUI's sign-in (argon2, lockout after repeated failures, every failure
audited); the session secret goes to a file only this OS user can read. A password an admin set must be
replaced here before the session starts.
"""

from __future__ import annotations

import sys

import typer

from collectui.cli import lang
from collectui.cli.commands.users import require_terminal
from collectui.cli.commands.whoami import local_minute
from collectui.cli.common import out, state
from collectui.domain.errors import InvalidInput
from collectui.domain.said import said
from collectui.domain.staff import logins
from collectui.domain.staff import users as users_svc


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(said(f"cli.err.no_stdin.{what}", f"no {what} on standard input"))
    return line.rstrip("\r\n")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return _stdin_line("new password (the second line)")
    first = typer.prompt(lang.t("cli.prompt.new_password"), hide_input=True, err=True)
    users_svc.check_password(first)  # a short one is refused before it is asked again
    second = typer.prompt(lang.t("cli.prompt.repeat"), hide_input=True, err=True)
    if first != second:
        raise InvalidInput(said("cli.err.passwords_differ", "the two passwords differ"))
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
    require_terminal(password_stdin)
    c = state(ctx).ctx()
    if username is None:
        username = _stdin_line("username") if password_stdin else typer.prompt(lang.t("cli.prompt.username"), err=True)
    if password_stdin:
        password = _stdin_line("password")
    else:
        password = typer.prompt(lang.t("cli.prompt.password"), hide_input=True, err=True)
    user = users_svc.authenticate(c, username.strip(), password)
    if user.must_change_password:
        out.print(lang.t("cli.login.choose_own"))
        user = users_svc.change_own_password(c, user.username, password, _new_password(password_stdin))
    info = logins.start(c, user.id)
    ends = local_minute(info.expires, c.clock.tz)
    role = lang.t(f"role.{info.actor.role}")
    out.print(lang.t("cli.login.signed_in", name=info.actor.name, role=role, ends=ends))


def register(app: typer.Typer) -> None:
    app.command("login")(login)
