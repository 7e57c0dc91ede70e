"""The raw connection of a PostgreSQL database, as the domain knows raw connections (``storage.raw``).

The domain writes SQL with SQLite's placeholders (``?`` and ``:name``) and catches ``storage.raw``'s error
classes; psycopg takes ``%s`` / ``%(name)s`` and raises its own. ``PgRawConnection`` wraps a psycopg
connection so that neither shows:

- Placeholders are translated once per statement text (an LRU cache: statement texts are few and built once
  per call, so nothing is translated per row); every literal ``%`` is doubled (psycopg reads one even inside
  quotes), and ``?`` / ``:name`` inside quotes and comments are left alone. A statement without parameters is sent as written.
- Values come back as SQLite gives them: flags (SMALLINT) and counts as ``int``, dates as ISO text, a
  ``numeric`` (``AVG``, a ``SUM`` of big integers) as ``int`` when whole and ``float`` otherwise; ``True``
  and ``False`` are sent as 1 and 0, the way the schema stores flags.
- The driver's errors are raised as ``storage.raw.IntegrityError`` / ``OperationalError`` /
  ``DatabaseError`` (the psycopg error as ``__cause__``), so the domain's ``except`` clauses hold on both.

Unlike SQLite, a failed statement spoils the rest of its transaction: a caller that catches an error and
goes on writing must use a savepoint (``bulk`` does for staging).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader

from collectui.storage.dialect import POSTGRESQL, Dialect

# What the translation looks at: quoted text and comments (kept as they are), then the placeholders, the
# cast operator (kept) and a literal percent sign.
_TOKENS = re.compile(
    r"""('(?:[^']|'')*')"""  # a string literal
    r"""|("(?:[^"]|"")*")"""  # a quoted identifier
    r"|(--[^\n]*)|(/\*.*?\*/)"  # comments
    r"|(::)"  # a cast: not a named placeholder
    r"|(\?)"
    r"|(?<![\w:]):([A-Za-z_]\w*)"
    r"|(%)",
    re.S,
)


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """``sql`` with ``?`` as ``%s``, ``:name`` as ``%(name)s`` and ``%`` as ``%%`` (placeholder characters
    inside quotes and comments kept)."""

    def one(m: re.Match[str]) -> str:
        if m.group(6):
            return "%s"
        if m.group(7):
            return f"%({m.group(7)})s"
        # psycopg reads every "%" as the start of a placeholder, even inside quotes and comments.
        return m.group(0).replace("%", "%%")

    return _TOKENS.sub(one, sql)


def as_storage_error(exc: psycopg.Error) -> sqlite3.Error:
    """The ``storage.raw`` error class the domain catches for a psycopg error (same message)."""
    message = str(exc).strip() or type(exc).__name__
    if isinstance(exc, (psycopg.IntegrityError, psycopg.errors.RaiseException)):
        # A trigger's RAISE is SQLite's RAISE(ABORT): a constraint failed.
        return sqlite3.IntegrityError(message)
    if isinstance(exc, (psycopg.OperationalError, psycopg.ProgrammingError)):
        # Locked past the timeout, a lost server, a missing table, a syntax error: SQLite's OperationalError.
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


def _params(params: Any) -> Any:
    if params is None or isinstance(params, Mapping):
        return params
    return tuple(params)


class _FlagDumper(Dumper):
    """``True``/``False`` as the SMALLINT 1/0 the schema stores flags as (SQLite binds them so too)."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericLoader(Loader):
    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class _TextLoader(Loader):
    """A value as the text PostgreSQL prints (dates: ISO, as SQLite stores them)."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


def configure(conn: psycopg.Connection[Any]) -> None:
    """Give a psycopg connection SQLite's value forms (see the module docstring); for the ORM's too."""
    types = conn.adapters.types
    int2 = types.get("int2")
    assert int2 is not None
    _FlagDumper.oid = int2.oid
    conn.adapters.register_dumper(bool, _FlagDumper)
    conn.adapters.register_loader("numeric", _NumericLoader)


def configure_raw(conn: psycopg.Connection[Any]) -> None:
    """``configure`` and dates as text, for raw connections (the ORM reads dates as ``date`` objects)."""
    configure(conn)
    conn.adapters.register_loader("date", _TextLoader)


class PgCursor:
    """A psycopg cursor that takes SQLite's placeholders and raises ``storage.raw``'s errors."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cur = cursor

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> PgCursor:
        try:
            if params:
                self._cur.execute(translate(sql), _params(params))
            else:
                self._cur.execute(sql)
        except psycopg.Error as exc:
            raise as_storage_error(exc) from exc
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]) -> PgCursor:
        try:
            self._cur.executemany(translate(sql), map(_params, seq))
        except psycopg.Error as exc:
            raise as_storage_error(exc) from exc
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cur.fetchmany(size) if size is not None else self._cur.fetchmany()

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur)

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    def close(self) -> None:
        self._cur.close()


class PgRawConnection:
    """A psycopg connection behind the DB-API surface the domain uses (``storage.raw.RawConnection``)."""

    dialect: Dialect = POSTGRESQL
    is_raw_connection = True  # storage.raw.raw_of tells these from ORM sessions without importing psycopg

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.driver = conn

    def cursor(self) -> PgCursor:
        return PgCursor(self.driver.cursor())

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> PgCursor:
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]) -> PgCursor:
        return self.cursor().executemany(sql, seq)

    def close(self) -> None:
        self.driver.close()

    @property
    def closed(self) -> bool:
        return bool(self.driver.closed)


def connect(url: str, application_name: str = "collectui") -> PgRawConnection:
    """A new autocommit connection (the caller says BEGIN), with SQLite's value forms."""
    try:
        conn = psycopg.connect(url, autocommit=True, application_name=application_name)
    except psycopg.Error as exc:
        raise as_storage_error(exc) from exc
    configure_raw(conn)
    return PgRawConnection(conn)
