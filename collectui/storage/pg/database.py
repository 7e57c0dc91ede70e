"""``PgDatabase``: a collectui database on a PostgreSQL server, behind ``Database``'s interface.

- ORM sessions through SQLAlchemy's ``postgresql+psycopg`` engine; raw connections are psycopg ones wrapped
  in ``pg.raw.PgRawConnection``, a few kept idle for reuse by reads and writes alike (a new connection is a
  new server process).
- Writers queue as on SQLite: every write transaction (``write``, ``raw_write``, ``take_write_lock``) first
  takes collectui's transaction-level advisory lock, so the audit chain's "read the head, append" and the
  refresh's table replacements never interleave; readers are not blocked (MVCC). A writer waits for the
  lock in 1 s attempts up to ``write_wait.limit_s``, telling ``write_wait.on_wait`` who holds it (a long
  writer names itself in its ``application_name``). Row locks wait ``lock_timeout`` (SQLite's busy timeout).
- Reads (``raw_read``) run in one REPEATABLE READ transaction: one consistent snapshot.
- There is no file: ``path`` is a private folder in the state directory for what SQLite keeps beside its
  file (the SMS outbox), and backups are the server's business (``pg_dump``), not ``db backup``'s.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

from collectui.paths import state_dir
from collectui.storage import waiting
from collectui.storage.dialect import POSTGRESQL, Dialect
from collectui.storage.engine import BUSY_TIMEOUT_MS, Database
from collectui.storage.kind import Kind, kind_of
from collectui.storage.opening import OpenRefused
from collectui.storage.outfiles import make_private_dir
from collectui.storage.raw import OperationalError, RawConnection
from collectui.storage.version import LATEST_VERSION

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from collectui.storage.pg.raw import PgRawConnection

# collectui's advisory lock: every writer of one database takes it ("collectu" as a 64-bit integer).
WRITE_LOCK_KEY = int.from_bytes(b"collectu", "big")
ATTEMPT_MS = 1_000
_IDLE = 4  # raw connections kept for reuse
_HOLDER_PREFIX = "collectui: "
# A write that took longer (s) may have filled big scratch tables: its end drops them (see ``raw_write``).
_LONG_WRITE_S = 1.0


class ServerUnreachable(OpenRefused):
    """The PostgreSQL server of a URL cannot be reached (down, wrong host or socket, refused sign-in)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def driver_url(url: str) -> str:
    """The URL as libpq reads it (``postgresql://``)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    return urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))


class PgDatabase(Database):
    """A collectui database on PostgreSQL (see the module docstring)."""

    def __init__(self, url: str, read_only: bool = False, read_only_reason: str = "") -> None:
        digest = hashlib.sha256(shown_url(url).encode()).hexdigest()[:12]
        name = urlsplit(url).path.strip("/") or "postgres"
        super().__init__(state_dir() / "postgresql" / f"{name}-{digest}" / name, read_only, read_only_reason)
        make_private_dir(self.path.parent)
        self.url = driver_url(url)
        self.shown = shown_url(url)
        self._idle_pg: list[PgRawConnection] = []

    def __str__(self) -> str:
        return self.shown

    @classmethod
    def open_existing(cls, path: str | Path) -> Database:
        """The collectui database at the URL ``path``; raises ``ServerUnreachable``, ``NoDatabase`` or
        ``ForeignDatabase`` (``storage.opening``), having written nothing."""
        from collectui.storage.opening import ForeignDatabase, NoDatabase

        db = cls(str(path))
        db.reach()
        if db.schema_version() is None:
            raise NoDatabase(f"{db.shown}: no collectui database there (create one with `collectui init`)")
        with db.raw_read() as raw:
            from collectui.storage.kind import APP_MARKER, META_APP
            from collectui.storage.raw import get_meta_raw

            if get_meta_raw(raw, META_APP) not in (APP_MARKER, None):
                raise ForeignDatabase(f"{db.shown}: not a collectui database; collectui will not touch it")
        return db

    # ---- connections ---------------------------------------------------------------------------------

    def connect_raw(self) -> RawConnection:
        from collectui.storage.pg.raw import connect

        conn = connect(self.url)
        conn.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return cast("RawConnection", conn)

    def _make_pg_engine(self, writer: bool) -> Engine:
        from sqlalchemy import create_engine, event

        from collectui.storage.pg.raw import PgRawConnection, configure, translate
        from collectui.storage.pg.schema import adapt_metadata

        adapt_metadata()
        engine = create_engine(
            "postgresql+psycopg://" + self.url.split("://", 1)[1],
            connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_MS}", "application_name": "collectui"},
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            configure(dbapi_connection)
            # storage.raw.driver_connection hands this to the domain's raw SQL inside a session.
            dbapi_connection.collectui_raw = PgRawConnection(dbapi_connection)

        @event.listens_for(engine, "before_cursor_execute", retval=True)
        def _placeholders(_conn: Any, _cursor: Any, statement: str, parameters: Any, context: Any, _many: bool) -> Any:
            # Text the domain passed to ``exec_driver_sql`` has SQLite's placeholders (``?``); what SQLAlchemy
            # compiled itself (``context.compiled``) is already in psycopg's.
            if parameters and (context is None or context.compiled is None):
                statement = translate(statement)
            return statement, parameters

        if writer:

            @event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:
                self.take_write_lock(cast("RawConnection", conn.connection.driver_connection.collectui_raw))

        return engine

    @property
    def engine(self) -> Engine:
        if "read" not in self._engines:
            self._engines["read"] = self._make_pg_engine(writer=False)
        return self._engines["read"]

    @property
    def _write_engine(self) -> Engine:
        if "write" not in self._engines:
            self._refuse_write()
            self._engines["write"] = self._make_pg_engine(writer=True)
        return self._engines["write"]

    @property
    def dialect(self) -> Dialect:
        return POSTGRESQL

    def reach(self) -> None:
        """Connect once (the connection kept for reuse); raises ``ServerUnreachable`` with the server's reason
        when it cannot: a server that cannot be reached is not "no database there"."""
        try:
            self._give_back(self._borrow())
        except OperationalError as exc:
            reason = (str(exc).strip().splitlines() or [""])[0]
            raise ServerUnreachable(
                f"{self.shown}: cannot connect to the PostgreSQL server ({reason})", reason
            ) from None

    @property
    def exists(self) -> bool:
        """The database holds tables (collectui's or another program's); raises ``ServerUnreachable`` when the
        server cannot be reached (``collectui init`` says so before it asks for a password)."""
        self.reach()
        conn = self._borrow()
        try:
            row = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchone()
            return bool(row and row[0])
        finally:
            self._give_back(conn)

    # ---- schema --------------------------------------------------------------------------------------

    def create_schema(self, kind: Kind = "test") -> None:
        """Create or upgrade the schema (``pg.schema.migrate``); a new database starts at the newest version."""
        version = self.schema_version()
        if version == LATEST_VERSION:
            return
        if self.read_only:
            raise OperationalError(
                f"{self.shown} has schema version {version} and needs an upgrade to {LATEST_VERSION}, but it is "
                f"opened read-only ({self.read_only_reason})"
            )
        from collectui.storage.pg.schema import migrate

        migrate(self, kind)

    @contextmanager
    def creating(self, kind: Kind = "test") -> Iterator[Session]:
        """The schema of a new database and its first rows (``init``'s admin) in ONE transaction: a session
        whose connection first creates the schema (``pg.schema.migrate_in``, PostgreSQL's DDL is
        transactional); committed when the block ends, rolled back with the schema on any exception, so a
        failed ``init`` leaves the database as it was."""
        from collectui.storage.pg.schema import migrate_in
        from collectui.storage.raw import driver_connection

        with self.write() as session:  # the write lock is taken as the session's transaction begins
            migrate_in(driver_connection(session), self.shown, kind)
            yield session

    def kind(self) -> Kind:
        with self.raw_read() as raw:
            return kind_of(raw)

    def schema_version(self) -> int | None:
        try:
            conn = self._borrow()
        except OperationalError:
            return None
        try:
            if not conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
                return None
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else None
        except (OperationalError, ValueError):
            return None
        finally:
            self._give_back(conn)

    # ---- transactions --------------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def raw_write(self, foreign_keys: bool = True, holder: str | None = None) -> Iterator[RawConnection]:
        """A raw connection inside a write transaction (collectui's write lock held), committed at the end.

        ``foreign_keys=False`` changes nothing here: PostgreSQL cannot switch one session's checks off
        without superuser rights, and its checks are index probes the bulk insert pays anyway. ``holder``
        names a long write to the writers that queue behind it."""
        self._refuse_write()
        conn = self._borrow()
        began = time.monotonic()
        try:
            conn.execute("BEGIN")
            if holder:
                conn.execute("SELECT set_config('application_name', ?, true)", (_HOLDER_PREFIX + holder[:60],))
            self.take_write_lock(conn)
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            conn.close()
            raise
        # Scratch tables (storage.bulk.scratch_table) are emptied by each use, so the next write may find and
        # reuse this one's: dropping and re-creating the five of a saved call's refresh cost 8 of its 35 ms.
        # A long write's may be big (a full refresh, an import) and would hold disk while the connection idles:
        # those go. (Asking the catalogue for their size cost another millisecond a write.)
        if time.monotonic() - began > _LONG_WRITE_S:
            conn.execute("DISCARD TEMP")
        self._give_back(conn)

    def take_write_lock(self, conn: RawConnection) -> None:
        """Take collectui's write lock in ``conn``'s transaction (begun by the caller or implicitly),
        queueing up to ``write_wait.limit_s`` (see the module docstring)."""
        self._refuse_write()
        if conn.execute("SELECT pg_try_advisory_xact_lock(?)", (WRITE_LOCK_KEY,)).fetchone()[0]:
            return
        started = time.monotonic()
        next_note = waiting.FIRST_NOTE_S
        while True:
            # One blocking attempt in a savepoint: a lock timeout undoes the savepoint, not the transaction.
            conn.execute("SAVEPOINT collectui_write_lock")
            conn.execute(f"SET LOCAL lock_timeout = {ATTEMPT_MS}")
            try:
                conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
            except OperationalError as exc:
                if "lock timeout" not in str(exc):
                    raise
                conn.execute("ROLLBACK TO SAVEPOINT collectui_write_lock")
            else:
                conn.execute("RELEASE SAVEPOINT collectui_write_lock")
                conn.execute(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
                return
            waited = time.monotonic() - started
            if waited >= self.write_wait.limit_s:
                raise OperationalError(
                    f"database is locked: {self._holder(conn)} kept it for {waited:.0f} s, longer than "
                    f"storage.write_wait_seconds ({self.write_wait.limit_s:.0f} s); nothing was changed, try again later"
                )
            if self.write_wait.on_wait is not None and waited >= next_note:
                self.write_wait.on_wait(waited, self._holder(conn))
                next_note = waited + waiting.NOTE_EVERY_S

    @staticmethod
    def _holder(conn: RawConnection) -> str:
        row = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ?",
            (WRITE_LOCK_KEY >> 32, WRITE_LOCK_KEY & 0xFFFFFFFF),
        ).fetchone()
        name = str(row[0]) if row and row[0] else ""
        return name[len(_HOLDER_PREFIX) :] if name.startswith(_HOLDER_PREFIX) else "another writer"

    @contextmanager
    def raw_bookkeeping(self) -> Iterator[tuple[RawConnection, bool]]:
        """As ``Database.raw_bookkeeping``: writable only when the write lock is free right now."""
        conn = self._borrow()
        try:
            conn.execute("BEGIN")
            writable = not self.read_only and bool(
                conn.execute("SELECT pg_try_advisory_xact_lock(?)", (WRITE_LOCK_KEY,)).fetchone()[0]
            )
            yield conn, writable
            conn.execute("COMMIT" if writable else "ROLLBACK")
        except BaseException:
            _rollback(conn)
            conn.close()
            raise
        self._give_back(conn)

    def _borrow(self) -> RawConnection:
        """An idle connection (a new one costs a server process: ~10 ms), outside any transaction."""
        try:
            return cast("RawConnection", self._idle_pg.pop())  # list.pop is atomic: safe from worker threads
        except IndexError:
            return self.connect_raw()

    def _give_back(self, conn: RawConnection) -> None:
        pg_conn = cast("PgRawConnection", conn)
        if len(self._idle_pg) < _IDLE and not pg_conn.closed:
            self._idle_pg.append(pg_conn)
        else:
            conn.close()

    @contextmanager
    def raw_read(self) -> Iterator[RawConnection]:
        conn = self._borrow()
        try:
            # Not READ ONLY: reads may make temporary tables (scratch sets), as in SQLite's read transactions;
            # the rollback drops them.
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try:
                yield conn
            finally:
                _rollback(conn)
        except BaseException:
            conn.close()
            raise
        self._give_back(conn)

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        while self._idle_pg:
            self._idle_pg.pop().close()


def _rollback(conn: RawConnection) -> None:
    try:
        conn.execute("ROLLBACK")
    except OperationalError:
        pass  # the connection is gone: so is its transaction
