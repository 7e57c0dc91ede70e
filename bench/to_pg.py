"""Put a benchmark bank built as a SQLite file into a new PostgreSQL database, row for row.

The generators (``gen_bank``, ``bench_import.prepare_db``) write SQLite through ``sqlite3`` at full speed;
the engines benchmark wants the very same bank on PostgreSQL, so it builds the file once and copies it here:
the PostgreSQL schema from ``PgDatabase.create_schema``, then every table that has rows, parents before
children (the foreign keys stay checked), streamed with ``COPY`` (``storage.bulk.RowInserter``). ``meta``
is the new database's (its own ``db_id``, kind and version) but for the day and policy its derived state is
of (``state_as_of``, ``state_policy``), which come over so the copy's work list is as current as the file's. Not ``collectui db copy``: no counts, no
audit verify, no refusals; a benchmark's helper only.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import SQLModel

import collectui.storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from collectui.storage.bulk import RowInserter
from collectui.storage.pg.database import PgDatabase
from collectui.storage.raw import set_meta_raw

CHUNK = 50_000  # rows per COPY call: bounded memory, few round trips
SKIP = {"meta"}


def copy_sqlite_to_pg(path: Path, url: str) -> tuple[int, float]:
    """Copy the bank in the SQLite file ``path`` into the empty PostgreSQL database ``url``.
    Returns (rows copied, seconds)."""
    started = time.perf_counter()
    db = PgDatabase(url)
    db.create_schema()
    src = sqlite3.connect(path)
    copied = 0
    try:
        with db.raw_write() as raw:
            for table in SQLModel.metadata.sorted_tables:
                name = table.name
                if name in SKIP:
                    continue
                cols = [r[1] for r in src.execute(f'PRAGMA table_info("{name}")')]
                if not cols or not src.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
                    continue
                listed = ", ".join(cols)
                insert = RowInserter(raw, f"{name} ({listed})", len(cols))
                cur = src.execute(f'SELECT {listed} FROM "{name}"')
                while rows := cur.fetchmany(CHUNK):
                    insert(rows)
                    copied += len(rows)
            for key, value in src.execute(
                "SELECT key, value FROM meta WHERE key IN ('state_as_of', 'state_policy')"
            ).fetchall():
                set_meta_raw(raw, key, value)
            raw.execute("ANALYZE")
    finally:
        src.close()
        db.dispose()
    return copied, time.perf_counter() - started
