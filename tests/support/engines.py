"""CLI tests on either engine: a database named as the CLI's ``--db`` names it (a SQLite file's path or a
PostgreSQL URL: ``new_db_at``, ``cli.db_arg``), read or changed behind the CLI's back, and a bank built once
per test module and handed to each test on the test's engine.

``Built`` keeps a module's bank per engine: on SQLite a file copied per test (``shutil.copy``), on
PostgreSQL a database copied per test with ``CREATE DATABASE ... TEMPLATE`` (a file copy on the server), so
a bank that takes seconds to build is built once per module and engine, as the SQLite tests always did.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from collectui.storage.engine import Database
from collectui.storage.locate import database_at, is_url
from tests.support.pg import Databases, admin_execute


@contextmanager
def opened(target: str | Path) -> Iterator[Database]:
    """The database at ``target`` (path or URL), closed after."""
    db = database_at(target)
    try:
        yield db
    finally:
        db.dispose()


def holds_database(target: str | Path) -> bool:
    """Is there a database at ``target`` (a non-empty file; a PostgreSQL database with tables)?"""
    with opened(target) as db:
        return db.exists


def rows(target: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of a query (``?`` placeholders on either engine) as plain tuples."""
    with opened(target) as db, db.raw_read() as raw:
        return [tuple(r) for r in raw.execute(sql, params).fetchall()]


def execute(target: str | Path, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
    """Run statements in one transaction, around collectui (no write lock, no audit): a test's tampering."""
    with opened(target) as db:
        conn = db.connect_raw()
        try:
            conn.execute("BEGIN")
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, ())
                conn.execute(sql, params)
            conn.execute("COMMIT")
        finally:
            conn.close()


def drop_audit_guard(target: str | Path, trigger: str) -> None:
    """Remove one of the audit trail's append-only triggers (``audit_event_no_update`` / ``_no_delete``),
    as someone with the database's own rights could: the tests of what ``audit verify`` catches then."""
    on_table = " ON audit_event" if is_url(str(target)) else ""
    execute(target, f"DROP TRIGGER {trigger}{on_table}")


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


class Built:
    """A database built once per engine by ``build(target)`` (target: a new database's path or URL), for a
    module's tests: ``copy(new_db_at(...))`` gives a test a copy of its own, ``shared(...)`` the one built."""

    def __init__(self, folder: Path, build: Callable[[str], None]) -> None:
        self.folder = folder
        self.build = build
        self._made: dict[str, str] = {}  # engine -> the built database's path or URL
        self._databases: Databases | None = None

    def _get(self, engine: str, request: pytest.FixtureRequest) -> str:
        if engine not in self._made:
            if engine == "sqlite":
                target = str(self.folder / "bank.db")
            else:
                self._databases = request.getfixturevalue("pg_databases")
                target = self._databases.new()
            self.build(target)
            self._made[engine] = target
        return self._made[engine]

    def shared(self, engine: str, request: pytest.FixtureRequest) -> str:
        """The database built for ``engine`` itself: the module's tests share what they write to it."""
        return self._get(engine, request)

    def copy(self, into: str, request: pytest.FixtureRequest) -> str:
        """A copy of the built database at ``into`` (a ``new_db_at`` path or URL, of the test's engine)."""
        if not is_url(into):
            shutil.copy(self._get("sqlite", request), into)
            return into
        template = _name(self._get("postgresql", request))
        assert self._databases is not None
        # CREATE DATABASE ... TEMPLATE wants nobody connected to the template (a pool left behind by the build).
        admin_execute(
            self._databases.admin_url,
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template}'",
            f'DROP DATABASE IF EXISTS "{_name(into)}" WITH (FORCE)',
            f'CREATE DATABASE "{_name(into)}" TEMPLATE "{template}"',
        )
        return into

    def close(self) -> None:
        """Drop the PostgreSQL database built (the SQLite file goes with the module's temporary folder)."""
        if self._databases is not None and "postgresql" in self._made:
            self._databases.drop(self._made.pop("postgresql"))
