"""The fast bulk paths on a raw connection: scratch tables, the import's staging settings, many-row inserts.

What the import, the refresh and the promise judging do in bulk is portable SQL over sets; how a set gets
into the engine fastest, and where intermediate sets live, is the engine's business and is here:

- ``scratch_table``: a connection-private table for an intermediate set (a scope of borrowers, the loans
  to recompute), created on first use and emptied for each use;
- ``prepare_staging``: settings for staging millions of rows in temporary tables inside one transaction;
- ``RowInserter``: equal-width rows into one table, many rows per statement (SQLite: one INSERT with many
  VALUES groups, under the parameter limit; executemany's per-statement cost is a third of staging's);
- ``model_defaults``: the scalar defaults the models give columns a raw INSERT does not fill.

Foreign-key checks are switched off for a whole write with ``Database.raw_write(foreign_keys=False)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, islice
from typing import Any

from collectui.storage.raw import RawConnection, dialect_of, table_columns

# Rows per INSERT statement in ``RowInserter``: past ~50, longer statements stop paying off.
_PACK = 50
# The temporary schema's page cache for staging (KiB); past it, staging spills to a temporary file, so
# memory stays bounded whatever the size of the file imported.
_STAGING_CACHE_KIB = 65536


def scratch_table(conn: RawConnection, name: str, columns: str, *, clustered: bool = False) -> str:
    """An empty connection-private table ``name`` with ``columns`` (made on first use on this connection,
    emptied on every later one); returns how statements refer to it. ``clustered``: see
    ``Dialect.create_temp_table``."""
    d = dialect_of(conn)
    conn.execute(d.create_temp_table(name, columns, clustered=clustered, if_not_exists=True))
    table = d.temp(name)
    conn.execute(f"DELETE FROM {table}")
    return table


def prepare_staging(conn: RawConnection) -> None:
    """Before staging a large import in temporary tables on ``conn``: bound the memory they may take."""
    conn.execute(f"PRAGMA temp.cache_size = -{_STAGING_CACHE_KIB}")


class RowInserter:
    """Inserts lists of rows of ``width`` values (every column of ``table``, in order) into ``table``.

    The statements are built once here; each call sends ``pack`` rows per statement and the rest one by
    one. Rows are tuples (or any sequence) of plain values."""

    def __init__(self, conn: RawConnection, table: str, width: int) -> None:
        self.conn = conn
        one = "(" + ", ".join("?" * width) + ")"
        self.pack = max(1, min(_PACK, dialect_of(conn).max_parameters // width))
        self._many = f"INSERT INTO {table} VALUES {', '.join([one] * self.pack)}"
        self._one = f"INSERT INTO {table} VALUES {one}"

    def __call__(self, rows: Sequence[Sequence[Any]]) -> None:
        pack = self.pack
        full = len(rows) - len(rows) % pack
        if full:
            groups = zip(*[islice(rows, full)] * pack, strict=True)  # the same iterator pack times: consecutive rows
            self.conn.executemany(self._many, map(tuple, map(chain.from_iterable, groups)))
        if full < len(rows):
            self.conn.executemany(self._one, rows[full:])


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
