"""Plain DB-API connections for the bulk and hot paths (import, refresh, calls, SMS, audit appends).

The domain writes portable SQL on these connections; this module is where the faces of the engine that
the domain must not know about live: the driver's connection type and error class, how to reach the
connection behind an ORM session, and the ``meta`` key/value table on a plain connection. Nothing here
loads SQLAlchemy, so that the raw paths start quickly.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from sqlmodel import Session

# The connection type the raw paths receive (``Database.raw_write`` / ``raw_read``).
RawConnection = sqlite3.Connection
# Raised by the driver for any database-level failure (locked, constraint, corrupt file).
DatabaseError = sqlite3.Error
IntegrityError = sqlite3.IntegrityError

SessionOrRaw = Union["Session", RawConnection]


def driver_connection(session: Session) -> RawConnection:
    """The driver connection behind an ORM session, flushed first, in the session's transaction."""
    session.flush()
    conn = session.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def raw_of(conn: SessionOrRaw) -> tuple[RawConnection, Session | None]:
    """The plain connection of either a session (flushed; returned too, to expire its cache) or itself."""
    if isinstance(conn, sqlite3.Connection):
        return conn, None
    return driver_connection(conn), conn


def get_meta_raw(raw: RawConnection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_meta_raw(raw: RawConnection, key: str, value: str) -> None:
    raw.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
