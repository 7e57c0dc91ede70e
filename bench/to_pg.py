"""Put a benchmark bank built as a SQLite file into a new PostgreSQL database, row for row.

The generators (``gen_bank``, ``bench_import.prepare_db``) write SQLite through ``sqlite3`` at full speed;
the benchmarks want the very same bank on PostgreSQL, so they build the file once and copy it here with
``collectui.storage.copy`` (what ``collectui db copy`` does: every table in one transaction, ``COPY`` into
the target, the counts compared, ``meta`` whole, so the copy's work list is as current as the file's), then
``ANALYZE`` the target so the first measures do not wait for autovacuum's statistics.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectui.storage.copy import copy_database
from collectui.storage.engine import Database
from collectui.storage.pg.database import PgDatabase


def copy_sqlite_to_pg(path: Path, url: str) -> tuple[int, float]:
    """Copy the bank in the SQLite file ``path`` into the empty PostgreSQL database ``url``.
    Returns (rows copied, seconds)."""
    started = time.perf_counter()
    source = Database(path)
    try:
        counts = copy_database(source, url)
    finally:
        source.dispose()
    target = PgDatabase(url)
    try:
        with target.raw_write() as raw:
            raw.execute("ANALYZE")
    finally:
        target.dispose()
    return sum(c.target for c in counts), time.perf_counter() - started
