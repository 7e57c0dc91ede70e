"""The fast bulk paths on a raw connection: scratch tables, the import's staging settings, many-row inserts.

What the import, the refresh and the promise judging do in bulk is portable SQL over sets; how a set gets
into the engine fastest, and where intermediate sets live, is the engine's business and is here:

- ``scratch_table``: a connection-private table for an intermediate set (a scope of borrowers, the loans
  to recompute), created on first use and emptied for each use; ``planned`` once it is filled;
- ``prepare_staging``: settings for staging millions of rows in temporary tables inside one transaction;
- ``RowInserter``: equal-width rows into one table, many rows per statement (SQLite: one INSERT with many
  VALUES groups, under the parameter limit; executemany's per-statement cost is a third of staging's;
  PostgreSQL: ``COPY ... FROM STDIN``, the rows streamed to the server in one statement per call);
- ``stream``: a SELECT read as it is fetched, for results too large to hold (the refresh merges three of a
  million rows each: PostgreSQL's ordinary cursors fetch everything at once, so there it is a server-side
  cursor);
- ``model_defaults``: the scalar defaults the models give columns a raw INSERT does not fill.

Foreign-key checks are switched off for a whole write with ``Database.raw_write(foreign_keys=False)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, count, islice
from typing import Any

from collectui.storage.dialect import POSTGRESQL
from collectui.storage.raw import DatabaseError, RawConnection, dialect_of, table_columns

# Rows per INSERT statement in ``RowInserter``: past ~50, longer statements stop paying off.
_PACK = 50
# The temporary schema's page cache for staging (KiB); past it, staging spills to a temporary file, so
# memory stays bounded whatever the size of the file imported. (PostgreSQL's ``temp_buffers`` alike.)
_STAGING_CACHE_KIB = 65536
# Rows a server-side cursor brings per round trip; its name only has to differ from the others still open.
_STREAM_ROWS = 10_000
_cursor_names = count()


def scratch_table(conn: RawConnection, name: str, columns: str, *, clustered: bool = False) -> str:
    """An empty connection-private table ``name`` with ``columns`` (made on first use on this connection,
    emptied on every later one); returns how statements refer to it. ``clustered``: see
    ``Dialect.create_temp_table``."""
    d = dialect_of(conn)
    conn.execute(d.create_temp_table(name, columns, clustered=clustered, if_not_exists=True))
    table = d.temp(name)
    # DELETE on both engines. On PostgreSQL TRUNCATE would swap in an empty file, but making and removing it
    # cost 0.5-1 ms a table, 5 ms of a saved call's 25, for tables that are nearly always empty already: their
    # users empty them when done, and the big ones (a write of over a second) are dropped when that write
    # ends (``PgDatabase.raw_write``).
    conn.execute(f"DELETE FROM {table}")
    return table


def planned(conn: RawConnection, table: str) -> None:
    """Once the scratch ``table`` is filled, before statements join it: let the planner know its rows.

    PostgreSQL keeps no statistics of a temporary table until it is analysed (autovacuum never sees one), so
    it plans ``x IN (SELECT ... FROM table)`` against a guess of a few thousand rows: a sequential scan of
    ``call_attempt`` for the one borrower a saved call refreshes (49 ms at 200,000 calls, 0.2 ms once
    analysed). ANALYZE of a small table costs well under a millisecond. SQLite's planner reads an
    unanalysed table as small and uses the indexes: nothing to do."""
    if dialect_of(conn) is POSTGRESQL:
        conn.execute(f"ANALYZE {table}")


def prepare_staging(conn: RawConnection) -> None:
    """Before staging a large import in temporary tables on ``conn``: bound the memory they may take."""
    if dialect_of(conn) is not POSTGRESQL:
        conn.execute(f"PRAGMA temp.cache_size = -{_STAGING_CACHE_KIB}")
        return
    # Temporary tables always spill to files past ``temp_buffers`` (8 MB by default): memory is bounded
    # already and a larger cache only makes staging faster. The server takes the setting only before the
    # session's first temporary table; later (a reused connection) it refuses, and the default stays.
    want = f"{_STAGING_CACHE_KIB // 1024}MB"
    if conn.execute("SELECT current_setting('temp_buffers')").fetchone()[0] == want:
        return
    conn.execute("SAVEPOINT collectui_staging")
    try:
        conn.execute(f"SET temp_buffers = '{want}'")
    except DatabaseError:
        conn.execute("ROLLBACK TO SAVEPOINT collectui_staging")
    conn.execute("RELEASE SAVEPOINT collectui_staging")


def stream(conn: RawConnection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Iterator[Any]:
    """The rows of the SELECT ``sql``, fetched as they are read, while other statements run on ``conn``.

    SQLite's cursors step through the result as it is read. PostgreSQL's fetch the whole result at
    ``execute``; there this is a server-side cursor in the current transaction, read ``_STREAM_ROWS`` at a
    time (it closes when the iterator is exhausted or dropped)."""
    if dialect_of(conn) is not POSTGRESQL:
        return iter(conn.cursor().execute(sql, params))
    return _server_side(conn, sql, params)


def _server_side(conn: RawConnection, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> Iterator[Any]:
    import psycopg
    from psycopg.pq import TransactionStatus

    from collectui.storage.pg.raw import as_storage_error, translate

    driver = _driver(conn)
    if driver.info.transaction_status != TransactionStatus.INTRANS:
        # A server-side cursor lives in a transaction; outside one, the rows are fetched whole.
        yield from conn.cursor().execute(sql, params)
        return
    args = (translate(sql), params if isinstance(params, Mapping) else tuple(params)) if params else (sql, None)
    try:
        with driver.cursor(name=f"collectui_stream_{next(_cursor_names)}") as cur:
            cur.itersize = _STREAM_ROWS
            cur.execute(*args)
            yield from cur
    except psycopg.Error as exc:
        raise as_storage_error(exc) from exc


def _driver(conn: RawConnection) -> Any:
    """The psycopg connection behind a PostgreSQL raw connection (``storage.pg.raw.PgRawConnection``)."""
    return conn.driver  # type: ignore[attr-defined]


class RowInserter:
    """Inserts lists of rows of ``width`` values (every column of ``table``, in order) into ``table``.

    The statements are built once here; each call sends ``pack`` rows per statement and the rest one by
    one (SQLite), or all of them in one ``COPY`` (PostgreSQL: no parameter limit, no statement to parse per
    pack). Rows are tuples (or any sequence) of plain values."""

    def __init__(self, conn: RawConnection, table: str, width: int) -> None:
        self.conn = conn
        self._copy = f"COPY {table} FROM STDIN" if dialect_of(conn) is POSTGRESQL else None
        one = "(" + ", ".join("?" * width) + ")"
        self.pack = max(1, min(_PACK, dialect_of(conn).max_parameters // width))
        self._many = f"INSERT INTO {table} VALUES {', '.join([one] * self.pack)}"
        self._one = f"INSERT INTO {table} VALUES {one}"

    def __call__(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._copy is not None:
            if rows:
                self._copy_rows(self._copy, rows)
            return
        pack = self.pack
        full = len(rows) - len(rows) % pack
        if full:
            groups = zip(*[islice(rows, full)] * pack, strict=True)  # the same iterator pack times: consecutive rows
            self.conn.executemany(self._many, map(tuple, map(chain.from_iterable, groups)))
        if full < len(rows):
            self.conn.executemany(self._one, rows[full:])

    def _copy_rows(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        import psycopg

        from collectui.storage.pg.raw import as_storage_error

        try:
            with _driver(self.conn).cursor() as cur, cur.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise as_storage_error(exc) from exc


def model_defaults(conn: RawConnection, table: str, covered: set[str]) -> dict[str, Any]:
    """Scalar defaults the SQLModel classes give columns this raw INSERT does not fill."""
    out: dict[str, Any] = {}
    # Only load the ORM's metadata when the table has a column left to fill (instalment has none).
    left = [c.name for c in table_columns(conn, table) if c.name not in covered and not c.primary_key]
    if not left:
        return out
    from sqlalchemy.sql.schema import ScalarElementColumnDefault
    from sqlmodel import SQLModel

    from collectui.storage import models  # noqa: F401  (registers the tables)

    tbl = SQLModel.metadata.tables.get(table)
    if tbl is None:
        return out
    for col in tbl.columns:
        if col.name in covered or col.primary_key or col.default is None:
            continue
        if isinstance(col.default, ScalarElementColumnDefault):
            value = col.default.arg
            out[col.name] = int(value) if isinstance(value, bool) else value
    return out
