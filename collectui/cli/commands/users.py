"""`collectui users`: staff accounts (admins only: the service checks `users.manage`)."""

from __future__ import annotations

import sys

import typer

from collectui.cli import lang
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_rows
from collectui.domain.errors import InvalidInput, UsageError
from collectui.domain.said import said
from collectui.domain.staff import users as users_svc

users_app = typer.Typer(
    help="Staff accounts: add, list, set passwords, deactivate and reactivate (admins).", no_args_is_help=True
)


NOT_A_TERMINAL = "stdin is not a terminal: pass --password-stdin to read the password from it"


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def require_terminal(from_stdin: bool) -> None:
    """A hidden prompt needs a terminal: piped input without --password-stdin is refused (exit 2).

    Otherwise ``getpass`` would read the pipe anyway and print its "Can not control echo" warning. Commands
    call it before they open the database, so that a refused run touches nothing.
    """
    if not from_stdin and not stdin_is_terminal():
        raise UsageError(said("cli.err.not_a_terminal", NOT_A_TERMINAL))


def read_password(from_stdin: bool, prompt: str | None = None) -> str:
    """One line from stdin (--password-stdin), or a hidden prompt asked twice at a terminal.

    The length rule is checked on the first entry: a short password is refused before "Repeat" is asked.
    """
    require_terminal(from_stdin)
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput(said("cli.err.no_stdin_password", "no password on standard input"))
        password = line.rstrip("\r\n")
        users_svc.check_password(password)
        return password
    first = typer.prompt(prompt or lang.t("cli.prompt.password"), hide_input=True, err=True)
    users_svc.check_password(first)
    second = typer.prompt(lang.t("cli.prompt.repeat"), hide_input=True, err=True)
    if first != second:
        raise InvalidInput(said("cli.err.passwords_differ", "the two passwords differ"))
    return first


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name (1-32 letters, digits, '.', '_', '-')."),
    role: str = typer.Option(..., "--role", help="collector | supervisor | admin | trainer | trainee"),
    branch: str | None = typer.Option(None, "--branch", help="Branch name (created when new)."),
    display_name: str | None = typer.Option(None, "--name", help="Display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create a staff account; they choose their own password at their first sign-in."""
    if role not in users_svc.ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(users_svc.ROLES)}", param_hint="--role")
    users_svc.check_username(username)
    require_terminal(password_stdin)  # before the database is opened: a refused run leaves nothing behind
    st = state(ctx)
    c, actor = st.ctx(), st.actor()  # who may add accounts is known before a password is typed
    password = read_password(password_stdin)
    users_svc.add_user(
        c, actor, username, role, branch, password, display_name, must_change=True, on_new_branch=_note_new_branch
    )
    out.print(lang.t("cli.users.created", role=lang.t(f"role.{role}"), username=username), markup=False)


def _note_new_branch(name: str, existing: list[str]) -> None:
    """A new branch may be a typo of an existing one: say so on stderr (the account is created anyway)."""
    others = lang.t("cli.list_sep").join(existing) if existing else lang.t("cli.users.none_yet")
    err.print(lang.t("cli.users.new_branch", name=name, others=others), markup=False, highlight=False)


@users_app.command("list")
def list_(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """List staff accounts."""
    st = state(ctx)
    rows = [dict(u.__dict__) for u in users_svc.list_users(st.ctx(), st.actor())]
    if fmt is not Format.json:  # JSON keeps the role codes, for programs
        for row in rows:
            row["role"] = lang.t(f"role.{row['role']}")
    columns = ["username", "display_name", "role", "branch", "active", "locked", "must_change_password"]
    emit_rows(rows, columns, fmt)


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Set someone's password (clears a lockout); they must change it at their next sign-in."""
    require_terminal(password_stdin)
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    users_svc.set_password(c, actor, username, read_password(password_stdin))
    out.print(lang.t("cli.users.password_set", username=username), markup=False)


@users_app.command("deactivate")
def deactivate(ctx: typer.Context, username: str = typer.Argument(...)) -> None:
    """Deactivate an account: it cannot sign in and its sessions end at once."""
    st = state(ctx)
    users_svc.set_active(st.ctx(), st.actor(), username, False)
    out.print(lang.t("cli.users.deactivated", username=username), markup=False)


@users_app.command("reactivate")
def reactivate(ctx: typer.Context, username: str = typer.Argument(...)) -> None:
    """Reactivate a deactivated account."""
    st = state(ctx)
    users_svc.set_active(st.ctx(), st.actor(), username, True)
    out.print(lang.t("cli.users.reactivated", username=username), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
