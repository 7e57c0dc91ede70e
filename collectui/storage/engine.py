"""The SQLite database: one file, WAL, foreign keys on, a busy timeout, write transactions that lock early.

Reads use deferred transactions; writes use ``BEGIN IMMEDIATE`` so that two writers (two branch PCs on a
shared file, or the TUI and an import) queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

BUSY_TIMEOUT_MS = 30_000


def _on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Take transaction control away from the sqlite3 module; the "begin" hook issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _make_engine(path: Path, begin_sql: str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine


class Database:
    """A collectui database file. Faces receive one of these; tests pass a temporary one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.engine = _make_engine(self.path, "BEGIN")
        self._write_engine = _make_engine(self.path, "BEGIN IMMEDIATE")

    @property
    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def create_schema(self) -> None:
        """Create or upgrade the schema; safe to call on every start."""
        from collectui.storage.migrations import migrate

        self.path.parent.mkdir(parents=True, exist_ok=True)
        migrate(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def raw_write(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection inside BEGIN IMMEDIATE, for bulk paths (imports, refresh)."""
        conn = self._write_engine.raw_connection()
        try:
            dbapi = conn.driver_connection
            dbapi.execute("BEGIN IMMEDIATE")
            try:
                yield dbapi
                dbapi.execute("COMMIT")
            except BaseException:
                dbapi.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()
        self._write_engine.dispose()
