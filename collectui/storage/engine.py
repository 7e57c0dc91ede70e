"""The SQLite database: one file, WAL, foreign keys on, a busy timeout, write transactions that lock early.

Reads use deferred transactions; writes use ``BEGIN IMMEDIATE`` so that two writers (two branch PCs on a
shared file, or the TUI and an import) queue on the busy timeout instead of failing half-way.

``Database`` is the engine seen from above: ORM sessions (``read``/``write``), raw connections
(``raw_read``/``raw_write``, see ``storage.raw``) and the SQL ``dialect`` those connections speak. A second
engine would offer the same (docs/developer/storage-seam.md).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectui.storage.dialect import SQLITE, Dialect
from collectui.storage.kind import Kind, kind_of
from collectui.storage.opening import connect_read_only, examine
from collectui.storage.outfiles import PRIVATE_FILE, make_private_dir
from collectui.storage.raw import RawConnection
from collectui.storage.version import LATEST_VERSION
from collectui.storage.waiting import WriteWait, announce, take_write_lock

if TYPE_CHECKING:  # SQLAlchemy and SQLModel load on first ORM use: the raw paths start without them
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 30_000
_IDLE_READERS = 4


def _on_connect(dbapi_connection: RawConnection, _record: Any, read_only: bool = False) -> None:
    # Take transaction control away from the sqlite3 module; the "begin" hook issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:  # switching to WAL writes the header; a read-only file keeps whatever mode it has
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _make_engine(db: Database, begin_sql: str) -> Engine:
    from sqlalchemy import create_engine, event

    # Connections come from ``Database.connect_raw`` so that the ORM and the raw paths open the file the same
    # way (read-only when ``db.read_only``); the URL still tells SQLAlchemy it is a file (a pool per engine).
    engine = create_engine(f"sqlite:///{db.path}", creator=db.connect_raw)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if begin_sql == "BEGIN IMMEDIATE":
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            db.take_write_lock(raw)
        else:
            conn.exec_driver_sql(begin_sql)

    return engine


class Database:
    """A collectui database file. Faces receive one of these; tests pass a temporary one.

    ``Database(path)`` trusts the caller (tests, ``init``, the demo); the faces open a file the user named
    with ``Database.open_existing``, which refuses missing and foreign files (``storage.opening``)."""

    def __init__(self, path: str | Path, read_only: bool = False, read_only_reason: str = "") -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.read_only_reason = read_only_reason or "opened read-only"
        # How long a writer queues behind another one (a long import) and who hears about it; the faces
        # set both from the policy (``storage.write_wait_seconds``) and their own output.
        self.write_wait = WriteWait()
        self._engines: dict[str, Engine] = {}
        self._idle: list[RawConnection] = []  # raw read connections kept for reuse (warm page cache)

    @classmethod
    def open_existing(cls, path: str | Path) -> Database:
        """The collectui database at ``path``; raises ``storage.opening.OpenRefused`` (one line) for a missing
        or empty file and for a file that is not collectui's, having written nothing. Opened read-only when
        the file or its folder cannot be written."""
        found = examine(path)
        return cls(found.path, read_only=not found.writable, read_only_reason=found.reason)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine for reads (deferred transactions); made on first use."""
        if "read" not in self._engines:
            self._engines["read"] = _make_engine(self, "BEGIN")
        return self._engines["read"]

    @property
    def _write_engine(self) -> Engine:
        if "write" not in self._engines:
            self._refuse_write()
            self._engines["write"] = _make_engine(self, "BEGIN IMMEDIATE")
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
        (``storage.kind``: only ``collectui init`` makes production databases). A new file is created
        owner-only (0600; SQLite gives its -wal and -shm the same mode) in an owner-only folder."""
        version = self.schema_version()
        if version == LATEST_VERSION:
            return
        if self.read_only:
            raise sqlite3.OperationalError(
                f"{self.path} has schema version {version} and needs an upgrade to {LATEST_VERSION}, but it is "
                f"read-only ({self.read_only_reason}); open it once where collectui may write it"
            )
        if not self.exists:
            make_private_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
            os.close(fd)
        from collectui.storage.migrations import migrate

        migrate(self._write_engine, self.path, kind)

    @contextmanager
    def creating(self, kind: Kind = "test") -> Iterator[Session]:
        """A new database's schema, then a write session for its first rows (``init``'s admin). On SQLite these
        are two transactions: a caller whose block fails deletes the new file. PostgreSQL makes them one
        (``PgDatabase.creating``)."""
        self.create_schema(kind=kind)
        with self.write() as session:
            yield session

    def kind(self) -> Kind:
        """What this database is for (``storage.kind``)."""
        with self.raw_read() as raw:
            return kind_of(raw)

    def schema_version(self) -> int | None:
        """The stored schema version (None: no database yet, or no readable version). Reads only."""
        if not self.exists:
            return None
        try:
            conn = connect_read_only(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error:
            return None
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None
        finally:
            conn.close()

    def connect_raw(self) -> RawConnection:
        """A plain sqlite3 connection with the same settings as the engine's (autocommit; BEGIN yourself)."""
        if self.read_only:
            conn = connect_read_only(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        _on_connect(conn, None, read_only=self.read_only)
        return conn

    def _refuse_write(self) -> None:
        if self.read_only:
            raise sqlite3.OperationalError(
                f"{self.path} is read-only ({self.read_only_reason}); this command changes data and cannot run"
            )

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
    def raw_write(self, foreign_keys: bool = True, holder: str | None = None) -> Iterator[RawConnection]:
        """A plain sqlite3 connection inside BEGIN IMMEDIATE, for bulk paths (imports, refresh).

        ``foreign_keys=False`` is for a caller that checks every reference it writes itself (the import
        does, naming each bad line): SQLite's own check would repeat a look-up per row (a third of the
        cost of inserting a million instalments). ``holder`` names a long write (``"the import"``) to the
        writers that queue behind it (``storage.waiting``)."""
        self._refuse_write()
        conn = self.connect_raw()
        try:
            if not foreign_keys:
                conn.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
            self.take_write_lock(conn)
            try:
                with announce(self.path, holder):
                    yield conn
                    conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def take_write_lock(self, conn: RawConnection) -> None:
        """``BEGIN IMMEDIATE`` on ``conn``, queueing behind another writer for up to ``write_wait.limit_s``
        (``storage.waiting``)."""
        self._refuse_write()
        take_write_lock(conn, self.path, self.write_wait, BUSY_TIMEOUT_MS)

    @contextmanager
    def raw_bookkeeping(self) -> Iterator[tuple[RawConnection, bool]]:
        """A plain connection for a read whose only write is bookkeeping (a session's or a token's last use):
        ``(conn, True)`` inside ``BEGIN IMMEDIATE`` when the write lock is free right now (committed at the
        end, rolled back on an exception), else ``(conn, False)`` inside a read transaction: on a read-only
        database, or while another connection (a long import) holds the lock. Never waits for the lock."""
        if self.read_only:
            with self.raw_read() as conn:
                yield conn, False
            return
        conn = self.connect_raw()
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            try:
                conn.execute("BEGIN IMMEDIATE")
                writable = True
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise
                conn.execute("BEGIN")
                writable = False
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                yield conn, writable
                conn.execute("COMMIT" if writable else "ROLLBACK")
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
