"""The SQLite database: one file, WAL, foreign keys on, a busy timeout, write transactions that lock early.

Reads use deferred transactions; writes use ``BEGIN IMMEDIATE`` so that two writers (two branch PCs on a
shared file, or the TUI and an import) queue on the busy timeout instead of failing half-way.

``Database`` is the engine seen from above: ORM sessions (``read``/``write``), raw connections
(``raw_read``/``raw_write``, see ``storage.raw``) and the SQL ``dialect`` those connections speak. A second
engine would offer the same (docs/developer/storage-seam.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectui.storage.dialect import SQLITE, Dialect
from collectui.storage.kind import Kind, kind_of
from collectui.storage.raw import RawConnection
from collectui.storage.version import LATEST_VERSION

if TYPE_CHECKING:  # SQLAlchemy and SQLModel load on first ORM use: the raw paths start without them
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 30_000
_IDLE_READERS = 4


def _on_connect(dbapi_connection: RawConnection, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module; the "begin" hook issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _make_engine(path: Path, begin_sql: str) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine


class Database:
    """A collectui database file. Faces receive one of these; tests pass a temporary one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._engines: dict[str, Engine] = {}
        self._idle: list[RawConnection] = []  # raw read connections kept for reuse (warm page cache)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine for reads (deferred transactions); made on first use."""
        if "read" not in self._engines:
            self._engines["read"] = _make_engine(self.path, "BEGIN")
        return self._engines["read"]

    @property
    def _write_engine(self) -> Engine:
        if "write" not in self._engines:
            self._engines["write"] = _make_engine(self.path, "BEGIN IMMEDIATE")
        return self._engines["write"]

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect of this database's connections (``storage.dialect``)."""
        return SQLITE

    @property
    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def create_schema(self, kind: Kind = "test") -> None:
        """Create or upgrade the schema; safe to call on every start. A new database is stamped ``kind``
        (``storage.kind``: only ``collectui init`` makes production databases)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.schema_version() == LATEST_VERSION:
            return
        from collectui.storage.migrations import migrate

        migrate(self._write_engine, self.path, kind)

    def kind(self) -> Kind:
        """What this database is for (``storage.kind``)."""
        with self.raw_read() as raw:
            return kind_of(raw)

    def schema_version(self) -> int | None:
        """The stored schema version (None: no database yet, or no readable version)."""
        if not self.exists:
            return None
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None
        finally:
            conn.close()

    def connect_raw(self) -> RawConnection:
        """A plain sqlite3 connection with the same settings as the engine's (autocommit; BEGIN yourself)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        _on_connect(conn, None)
        return conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        from sqlmodel import Session

        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def raw_write(self, foreign_keys: bool = True) -> Iterator[RawConnection]:
        """A plain sqlite3 connection inside BEGIN IMMEDIATE, for bulk paths (imports, refresh).

        ``foreign_keys=False`` is for a caller that checks every reference it writes itself (the import
        does, naming each bad line): SQLite's own check would repeat a look-up per row (a third of the
        cost of inserting a million instalments)."""
        conn = self.connect_raw()
        try:
            if not foreign_keys:
                conn.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    @contextmanager
    def raw_read(self) -> Iterator[RawConnection]:
        """A plain sqlite3 connection inside a read transaction (one consistent snapshot), rolled back at
        the end. Connections are reused (a few kept idle), so repeated reads keep SQLite's page cache."""
        try:
            conn = self._idle.pop()  # list.pop is atomic: safe from worker threads
        except IndexError:
            conn = self.connect_raw()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
        except BaseException:
            conn.close()
            raise
        if len(self._idle) < _IDLE_READERS:
            self._idle.append(conn)
        else:
            conn.close()

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        while self._idle:
            self._idle.pop().close()
