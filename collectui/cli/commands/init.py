"""`collectui init --admin NAME`: a new, empty production database and its first admin.

This is the only way to make a production database (the demo makes demo ones, tests make test ones). It
never touches an existing database: an admin for an existing one is added by an admin (`users add`).
"""

from __future__ import annotations

import typer
from rich.markup import escape

from collectui.cli import lang
from collectui.cli.commands.users import read_password, require_terminal
from collectui.cli.common import clock_refused, out, state
from collectui.cli.opening import DatabaseRefused, url_refusal
from collectui.clock import ClockOverrideRefused, clock_from_env
from collectui.domain.audit.keys import provision_key
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError, UsageError
from collectui.domain.policy import Policy
from collectui.domain.said import said
from collectui.domain.staff.actor import system_actor
from collectui.domain.staff.users import add_user, check_username
from collectui.storage.opening import OpenRefused
from collectui.storage.raw import driver_connection


def init(
    ctx: typer.Context,
    admin: str = typer.Option(..., "--admin", help="Username of the first admin."),
    name: str | None = typer.Option(None, "--name", help="The admin's display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create a new production database at --db with its first admin (password from stdin or a prompt)."""
    st = state(ctx)
    db = st.database()
    where = str(db) if st.db_url else st.db_path  # a PostgreSQL URL is shown without its password
    try:  # an unreachable server is said before anything is asked
        there = db.exists if st.db_url else st.db_path.exists() and (db.exists or st.db_path.is_dir())
    except OpenRefused as exc:
        raise DatabaseRefused(url_refusal(exc, str(st.db_url))) from None
    if there:
        english = f"{where} already exists: `init` only creates a new database"
        raise CollectError(said("cli.err.init_exists", english, where=str(where)))
    # Every refusal comes before the password is asked and before any file is made.
    check_username(admin)
    require_terminal(password_stdin)
    if st.policy_path is not None:  # a production database keeps its policy inside (domain.policy_store)
        english = "--policy: not for init; once the database exists, `collectui policy apply FILE --reason ...`"
        raise UsageError(said("cli.err.init_policy", english))
    policy = Policy()
    try:  # a production database never runs on a moved clock, from its first event on
        clock = clock_from_env(policy["timezone"], allow_override=False)
    except ClockOverrideRefused as exc:
        raise clock_refused(exc) from None
    password = read_password(password_stdin)  # the length rule on the first entry
    c = Ctx(db=db, clock=clock, policy=policy)
    key = None
    try:
        # On PostgreSQL the schema and the admin are one transaction: a failure rolls the schema back too.
        with db.creating(kind="production") as s:
            key = provision_key(db, driver_connection(s))  # before the first event: the whole trail is keyed
            add_user(c, system_actor("system:init"), admin, "admin", None, password, name, session=s)
    except BaseException:  # a failed init leaves nothing behind (Ctrl+C included): the new file, its key
        db.dispose()
        for suffix in ("", "-wal", "-shm") if not st.db_url else ():
            st.db_path.with_name(st.db_path.name + suffix).unlink(missing_ok=True)
        if key is not None:  # made just now for this database's new id: no other database uses it
            key.unlink(missing_ok=True)
        raise
    out.print(lang.t("cli.init.created", path=where, admin=admin), markup=False)
    out.print(lang.t("cli.init.key", keyfile=key) if key else lang.t("cli.init.key_env"), markup=False)
    out.print(f"{lang.t('cli.next')}[bold]collectui --db {escape(str(where))} login {escape(admin)}[/]")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
