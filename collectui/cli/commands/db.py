"""`collectui db`: back up, check and restore the database file (admins; `db check` for supervisors too).

A backup is taken while others work (SQLite's online backup: one consistent snapshot, writers not blocked)
and checked before it appears; `db check` exits 1 with one line per problem; `db restore` checks the backup,
refuses while anyone has the database open, and keeps the file it replaces. docs/admin/backup.md has a
daily backup job for cron and the Windows Task Scheduler.
"""

from __future__ import annotations

from pathlib import Path

import typer

from collectui.cli import lang
from collectui.cli.common import State, err, out, state
from collectui.domain import dbcare
from collectui.domain.errors import UsageError
from collectui.domain.said import said

db_app = typer.Typer(
    help="The database: backup, check, restore (SQLite files); migrate, copy (either engine).", no_args_is_help=True
)


def _file_only(st: State, command: str) -> None:
    """backup, check and restore work on a SQLite file; a PostgreSQL server has its own tools."""
    if st.db_url:
        english = (
            f"db {command}: for a SQLite database file; a PostgreSQL database is backed up and checked with the "
            "server's tools (pg_dump, pg_restore; `collectui audit verify` checks the audit chain)"
        )
        raise UsageError(said("cli.err.db_file_only", english, command=command))


def _fail(exc: dbcare.BackupFailed) -> None:
    for problem in exc.problems:
        err.print(problem, markup=False, highlight=False)
    err.print(lang.t("cli.error_mark") + lang.translator().error(exc), markup=False, highlight=False)
    raise typer.Exit(1)


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    path: Path = typer.Argument(..., dir_okay=False, help="The new backup file (must not exist)."),
) -> None:
    """Copy the database to PATH (mode 0600) while others keep working, then check the copy (integrity,
    foreign keys, schema, audit chain). PATH must not exist; nothing is left there if a check fails."""
    st = state(ctx)
    _file_only(st, "backup")
    c = st.ctx()
    try:
        made = dbcare.backup(c, st.actor(), path)
    except dbcare.BackupFailed as exc:
        _fail(exc)
        return
    out.print(lang.t("cli.db.backup_written", path=made.path, events=made.audit_events), markup=False)


@db_app.command("check")
def check(ctx: typer.Context) -> None:
    """Check the database: SQLite integrity, foreign keys, schema version, collectui's marker and the audit
    chain. Exit 1 with one line per problem."""
    st = state(ctx)
    _file_only(st, "check")
    c = st.ctx()
    problems, events = dbcare.check(c, st.actor())
    if problems:
        for problem in problems:
            err.print(problem, markup=False, highlight=False)
        err.print(lang.t("cli.db.problems", path=c.db.path, n=len(problems)), markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(lang.t("cli.db.ok", path=c.db.path, events=events), markup=False)


@db_app.command("restore")
def restore(
    ctx: typer.Context,
    backup_path: Path = typer.Argument(..., metavar="BACKUP", dir_okay=False, help="A backup file to put back."),
) -> None:
    """Replace the database by BACKUP after checking it. Refused while anyone has the database open (close
    the app and stop scheduled jobs first); the replaced file is kept as NAME.replaced-YYYYmmddTHHMMSS."""
    st = state(ctx)
    _file_only(st, "restore")
    c = st.ctx()
    try:
        aside = dbcare.restore(c, st.actor(), backup_path)
    except dbcare.BackupFailed as exc:
        _fail(exc)
        return
    out.print(lang.t("cli.db.restored", path=c.db.path, backup=backup_path, aside=aside), markup=False)


@db_app.command("migrate")
def migrate(ctx: typer.Context) -> None:
    """Upgrade the database's schema to this collectui's: a SQLite file or a PostgreSQL database (a new
    PostgreSQL database is created at the newest version by `init`). Every command makes the same upgrade
    when it opens an older database; this one does only that, e.g. right after installing a new collectui."""
    from functools import partial

    from collectui.cli.opening import open_database
    from collectui.storage.version import LATEST_VERSION

    st = state(ctx)
    db = open_database(st.db_url or st.db_path, partial(err.print, markup=False, highlight=False))
    try:
        before = db.schema_version()
        db.create_schema()
    finally:
        db.dispose()
    where = str(db) if st.db_url else str(st.db_path)
    if before == LATEST_VERSION:
        out.print(lang.t("cli.db.migrate.current", where=where, version=LATEST_VERSION), markup=False)
    else:
        out.print(lang.t("cli.db.migrate.upgraded", where=where, before=before, version=LATEST_VERSION), markup=False)


def register(app: typer.Typer) -> None:
    from collectui.cli.commands import db_copy

    db_copy.register(db_app)
    app.add_typer(db_app, name="db")
