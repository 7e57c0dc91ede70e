"""Plain DB-API connections for the bulk and hot paths (import, refresh, calls, SMS, audit appends, reports).

The domain writes portable SQL on these connections; this module is where the faces of the engine that
the domain must not know about live: the driver's connection type and error classes, the dialect of a
connection, how to reach the connection behind an ORM session, the columns of a table, the local-time SQL
functions the reports call, and the ``meta`` key/value table on a plain connection. Nothing here loads
SQLAlchemy, so that the raw paths start quickly.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple, Union, cast
from zoneinfo import ZoneInfo

from collectui.storage.dialect import SQLITE, Dialect
from collectui.storage.timefmt import iso_week

if TYPE_CHECKING:
    from sqlmodel import Session

# The connection type the raw paths receive (``Database.raw_write`` / ``raw_read``). The domain uses the
# DB-API surface of it only: execute, executemany, cursor, fetchone/fetchmany/fetchall, rowcount. On
# PostgreSQL it is a ``pg.raw.PgRawConnection`` with that surface (typed as this for now; a Protocol later),
# which raises the error classes below.
RawConnection = sqlite3.Connection
# Raised by the driver for any database-level failure (locked, constraint, corrupt file).
DatabaseError = sqlite3.Error
IntegrityError = sqlite3.IntegrityError
# Locked or busy past the timeout, a missing table, a file that is not a database.
OperationalError = sqlite3.OperationalError

SessionOrRaw = Union["Session", RawConnection]


def driver_connection(session: Session) -> RawConnection:
    """The driver connection behind an ORM session, flushed first, in the session's transaction."""
    session.flush()
    conn = session.connection().connection.driver_connection
    if isinstance(conn, sqlite3.Connection):
        return conn
    # A PostgreSQL session: its psycopg connection carries its wrapper (``pg.database`` attaches it).
    return cast(RawConnection, conn.collectui_raw)  # type: ignore[union-attr]


def raw_of(conn: SessionOrRaw) -> tuple[RawConnection, Session | None]:
    """The plain connection of either a session (flushed; returned too, to expire its cache) or itself."""
    if isinstance(conn, sqlite3.Connection) or getattr(conn, "is_raw_connection", False):
        return cast(RawConnection, conn), None
    return driver_connection(conn), conn


def get_meta_raw(raw: RawConnection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_meta_raw(raw: RawConnection, key: str, value: str) -> None:
    raw.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def dialect_of(conn: RawConnection) -> Dialect:
    """The SQL dialect of a raw connection: SQLite's, or the one a PostgreSQL connection carries."""
    return cast(Dialect, getattr(conn, "dialect", SQLITE))


class TableColumn(NamedTuple):
    name: str
    primary_key: bool


def table_columns(conn: RawConnection, table: str) -> list[TableColumn]:
    """The columns of ``table`` in their order (empty when there is no such table)."""
    if dialect_of(conn) is SQLITE:
        return [TableColumn(r[1], bool(r[5])) for r in conn.execute(f"PRAGMA table_info({table})")]
    rows = conn.execute(
        "SELECT a.attname, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary "
        "AND a.attnum = ANY(i.indkey)) FROM pg_attribute a WHERE a.attrelid = to_regclass(CAST(? AS TEXT)) AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
        (table,),
    )
    return [TableColumn(r[0], bool(r[1])) for r in rows]


def install_local_time(conn: RawConnection, tz: ZoneInfo) -> None:
    """SQL functions on ``conn`` for the reports, in the zone ``tz``: ``local_date(utc_text)`` (ISO date),
    ``local_week(utc_text)`` and ``date_week(iso_date)`` (ISO week label, ``YYYY-Www``); NULL gives NULL.

    SQLite has no time zones: these run in Python (``local_week`` cached per UTC minute, since calls
    cluster in working hours and no zone changes the week inside one). PostgreSQL has them as SQL
    functions made with the schema, reading the session's zone (``storage.localtime``)."""
    if dialect_of(conn) is not SQLITE:
        from collectui.storage.localtime import use_zone

        use_zone(conn, tz)
        return
    cache: dict[str, str] = {}

    def local_date(text: str | None) -> str | None:
        if text is None:
            return None
        return datetime.fromisoformat(text).astimezone(tz).date().isoformat()

    def local_week(text: str | None) -> str | None:
        if text is None:
            return None
        key = text[:16]
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = iso_week(datetime.fromisoformat(text).astimezone(tz).date())
        return hit

    def date_week(text: str | None) -> str | None:
        return None if text is None else iso_week(date.fromisoformat(text))

    conn.create_function("local_date", 1, local_date, deterministic=True)
    conn.create_function("local_week", 1, local_week, deterministic=True)
    conn.create_function("date_week", 1, date_week, deterministic=True)
