"""`collectui db copy SRC DST`: the whole database into an empty one, e.g. a branch's SQLite file onto the
bank's PostgreSQL server (admins; ``domain.dbcopy``).

SRC is the database copied and the one whose sign-in (or ``COLLECTUI_TOKEN``) says who acts: ``--db`` is not
used. SRC must be at this collectui's schema version: it is checked before the context is opened, since
opening would upgrade it. A URL is printed without its password. Progress goes to stderr, on a terminal only.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import typer

from collectui.cli import lang
from collectui.cli.common import State, err, out, state
from collectui.domain import dbcopy

# Rows from which a table gets a progress bar (a smaller one is copied before a bar could be read).
_BIG = 50_000


class _Bars:
    """A rich progress bar per big table on stderr, when stderr is a terminal; nothing otherwise."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bars:
        self.progress.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.progress.stop()

    def __call__(self, table: str, done: int, total: int) -> None:
        if total < _BIG:
            return
        if table not in self.tasks:
            self.tasks[table] = self.progress.add_task(lang.t("cli.db.copy.progress", table=table), total=total)
        self.progress.update(self.tasks[table], completed=done)


def _source_state(st: State, source: str) -> State:
    """The run's state with SRC as its database: who acts is signed in there."""
    from collectui.storage.locate import database_at, is_url

    if is_url(source):
        return State(db_path=database_at(source).path, policy_path=st.policy_path, lang=st.lang, db_url=source)
    return State(db_path=Path(source), policy_path=st.policy_path, lang=st.lang)


def copy(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="SRC", help="The database to copy: a file or a postgresql:// URL."),
    target: str = typer.Argument(
        ..., metavar="DST", help="An empty database: a postgresql:// URL without collectui's tables, or a new file."
    ),
) -> None:
    """Copy every table of SRC into the empty database DST in one transaction (either engine to either:
    a branch's SQLite file onto PostgreSQL), record `db.copied` in DST's audit trail and verify it there.
    Rows keep their ids; the audit key stays the one of SRC (docs/deploy.md). SRC must be at the newest
    schema (`collectui db migrate` first); you are signed in on SRC (or use a token). Exit 1 on any
    mismatch, with nothing kept in DST when it is found before the commit."""
    from collectui.cli.opening import open_database
    from collectui.storage.copy import shown
    from collectui.storage.locate import is_url

    src = _source_state(state(ctx), source)
    say = partial(err.print, markup=False, highlight=False)
    found = open_database(src.db_url or src.db_path, say)
    try:
        dbcopy.refuse_old_source(found)
    finally:
        found.dispose()
    c = src.ctx()
    try:
        with _Bars() as bars:
            done = dbcopy.copy(c, src.actor(), target if is_url(target) else Path(target), progress=bars)
    except dbcopy.CopyFailed as exc:
        for problem in exc.problems:
            err.print(problem, markup=False, highlight=False)
        err.print(lang.t("cli.error_mark") + lang.translator().error(exc), markup=False, highlight=False)
        raise typer.Exit(1) from None
    finally:
        c.db.dispose()
    for count in done.counts:
        out.print(
            lang.t("cli.db.copy.table", table=count.table, source=f"{count.source:,}", target=f"{count.target:,}"),
            markup=False,
        )
    if done.problems:
        for problem in done.problems:
            err.print(problem, markup=False, highlight=False)
        err.print(lang.t("cli.db.copy.problems", target=done.target, n=len(done.problems)), markup=False)
        raise typer.Exit(1)
    rows = sum(count.source for count in done.counts)
    out.print(
        lang.t(
            "cli.db.copy.done",
            source=done.source,
            target=done.target,
            tables=len(done.counts),
            rows=f"{rows:,}",
            events=f"{done.audit_events:,}",
        ),
        markup=False,
    )
    out.print(lang.t("cli.db.copy.next", target=shown(target)), markup=False)


def register(db_app: typer.Typer) -> None:
    db_app.command("copy")(copy)
