"""Copying a whole collectui database to another one, either engine to either engine (``collectui db copy``).

The way a bank moves a branch's SQLite file onto its PostgreSQL server (and back, or file to file):

- The source must be at this collectui's schema version (the copy writes the newest schema on the target
  and the rows must fit it); it is read in one snapshot (SQLite's read transaction, PostgreSQL's REPEATABLE
  READ), so writers that carry on meanwhile are not copied, but nothing half-written is.
- The target must be empty: a PostgreSQL database without collectui's tables, or a file path where no
  database is (missing or empty). Anything else is refused before anything is written.
- One transaction on the target: the schema is created, every table is copied in foreign-key order, the
  counts are compared, and the caller's ``before_commit`` runs (the domain records ``db.copied`` in the
  audit trail and verifies the chain there) before the commit. A failure or Ctrl-C rolls it all back, so
  the target is left as it was. A SQLite target is built beside its path (``.NAME.building-PID``, which
  ``storage.files.clean_stale_builds`` removes if the process dies) and renamed into place at the end.
- Rows keep their ids and values exactly: both engines store the same forms (docs/developer/storage-seam.md:
  flags 0/1, dates and datetimes as text, JSON as text), so values pass through unchanged. ``meta`` comes over
  whole: ``db_id`` and ``kind`` stay, so the audit key (looked up by ``db_id``) and the chain verify on the
  target. The audit table's append-only triggers stay on: they refuse updates and deletes, not inserts.
- Rows stream in batches of ``BATCH`` (a server-side cursor on a PostgreSQL source; ``bulk.RowInserter``,
  which is ``COPY`` on a PostgreSQL target): a table of millions of rows never sits in memory.
- PostgreSQL's id sequences are set past the copied ids (the schema's ``collectui_follow_ids`` trigger does
  it per statement; the copy sets them once more at the end so it does not depend on that).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectui.storage.bulk import RowInserter, stream
from collectui.storage.dialect import POSTGRESQL
from collectui.storage.engine import Database
from collectui.storage.files import building_path, seal, sidecars
from collectui.storage.locate import is_url
from collectui.storage.raw import RawConnection, dialect_of, table_columns
from collectui.storage.version import LATEST_VERSION

if TYPE_CHECKING:
    from sqlalchemy import Table

BATCH = 5_000
HOLDER = "the copy"  # who holds the target's write lock, for anyone who queues behind it


class CopyRefused(Exception):
    """The copy cannot start (nothing was written): ``reason`` names why, ``params`` fill the message."""

    def __init__(self, reason: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


class CopyMismatch(Exception):
    """A table's rows on the target are not the source's count (the copy was rolled back)."""

    def __init__(self, counts: list[TableCount]) -> None:
        bad = ", ".join(f"{c.table} {c.source} != {c.target}" for c in counts if not c.equal)
        super().__init__(f"row counts differ: {bad}")
        self.counts = counts


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def equal(self) -> bool:
        return self.source == self.target


# (table, rows copied so far, rows in the table): called after each batch.
Progress = Callable[[str, int, int], None]
# Runs on the target's connection inside the copy's transaction, after the counts were found equal.
BeforeCommit = Callable[[RawConnection, list["TableCount"]], None]


def engine_of(target: Database | str | Path) -> str:
    """``postgresql`` or ``sqlite``: for messages and the audit event."""
    if isinstance(target, Database):
        return target.dialect.name
    return "postgresql" if is_url(target) else "sqlite"


def shown(target: str | Path) -> str:
    """How a target is named in messages and the audit trail: a URL without its password."""
    if is_url(target):
        from collectui.storage.pg.database import shown_url

        return shown_url(str(target))
    return str(target)


def name_of(db: Database) -> str:
    """How a database is named in messages: its file, or its URL without the password."""
    return str(db) if db.dialect is POSTGRESQL else str(db.path)


def tables() -> list[Table]:
    """collectui's tables, each after the ones its foreign keys point to."""
    from sqlmodel import SQLModel

    from collectui.storage import models  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def refuse_old_source(source: Database) -> None:
    """Refuse a source whose schema is not this collectui's (upgrading it is `db migrate`'s job, not a copy's)."""
    version = source.schema_version()
    if version != LATEST_VERSION:
        raise CopyRefused(
            "source_version",
            f"the source {name_of(source)} has schema version {version}, this collectui writes {LATEST_VERSION}: "
            "run `collectui db migrate` on the source first",
            source=name_of(source),
            version=str(version),
            latest=str(LATEST_VERSION),
        )


def count_rows(conn: RawConnection) -> dict[str, int]:
    """The rows of each of collectui's tables on ``conn``."""
    return {t.name: int(conn.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]) for t in tables()}


def copy_database(
    source: Database,
    target: str | Path,
    before_commit: BeforeCommit | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> list[TableCount]:
    """Copy every table of ``source`` into the empty database ``target`` (a ``postgresql://`` URL or a file
    path) in one transaction (see the module docstring); the counts per table. Raises ``CopyRefused`` before
    writing anything, ``CopyMismatch`` (rolled back) when a count differs."""
    refuse_old_source(source)
    if is_url(target):
        return _to_postgresql(source, str(target), before_commit, progress, batch)
    return _to_sqlite(source, Path(target), before_commit, progress, batch)


def _not_empty(target: str | Path, reason: str, found: str, **params: str) -> CopyRefused:
    where = shown(target)
    return CopyRefused(
        reason,
        f"the target {where} is not empty ({found}); copy into a new, empty database",
        target=where,
        **params,
    )


def _to_postgresql(
    source: Database, url: str, before_commit: BeforeCommit | None, progress: Progress | None, batch: int
) -> list[TableCount]:
    from collectui.storage.pg.database import PgDatabase
    from collectui.storage.pg.schema import create_tables, table_exists

    target = PgDatabase(url)
    try:
        # Checked before and again inside the transaction (holding the write lock): two copies into one
        # database at once queue, and the second finds the first one's tables.
        with target.raw_write(holder=HOLDER) as raw:
            found = [t.name for t in tables() if table_exists(raw, t.name)]
            if found:
                raise _not_empty(
                    url, "target_has_tables", f"{len(found)} of collectui's tables, e.g. {found[0]}", n=str(len(found))
                )
            create_tables(raw)
            put_back = _set_aside(raw)
            counts = _copy_all(source, raw, progress, batch)
            for statement in put_back:
                raw.execute(statement)
            _move_sequences(raw)
            if before_commit is not None:
                before_commit(raw, counts)
        return counts
    finally:
        target.dispose()


def _to_sqlite(
    source: Database, path: Path, before_commit: BeforeCommit | None, progress: Progress | None, batch: int
) -> list[TableCount]:
    if path.is_dir() or (path.exists() and path.stat().st_size > 0) or sidecars(path):
        raise _not_empty(path, "target_exists", "a file is there")
    if source.dialect is not POSTGRESQL and Path(source.path).resolve() == path.resolve():
        raise _not_empty(path, "target_exists", "it is the source")
    build = building_path(path)
    _remove(build)
    target = Database(build)
    done = False
    try:
        target.create_schema()  # stamps a new id and kind: the copy's meta replaces them below
        with target.raw_write(holder=HOLDER) as raw:
            raw.execute("DELETE FROM meta")
            counts = _copy_all(source, raw, progress, batch)
            if before_commit is not None:
                before_commit(raw, counts)
        target.dispose()
        seal(build)  # one self-contained file, no WAL beside it
        if path.exists() and path.stat().st_size > 0:  # someone wrote a file there meanwhile: keep it
            raise _not_empty(path, "target_exists", "a file appeared there during the copy")
        os.replace(build, path)
        done = True
        return counts
    finally:
        target.dispose()
        if not done:
            _remove(build)


def _remove(build: Path) -> None:
    for leftover in [build, *sidecars(build)]:
        leftover.unlink(missing_ok=True)


def _copy_all(source: Database, raw: RawConnection, progress: Progress | None, batch: int) -> list[TableCount]:
    counts: list[TableCount] = []
    with source.raw_read() as src:  # one snapshot for every table
        for table in tables():
            total = int(src.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0])
            copy_table(src, raw, table, total, progress, batch)
            # Counted again on the target, not taken from the loop: what is there is what gets committed.
            on_target = int(raw.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0])
            counts.append(TableCount(table.name, total, on_target))
    if not all(c.equal for c in counts):
        raise CopyMismatch(counts)
    return counts


def copy_table(
    src: RawConnection, dst: RawConnection, table: Table, total: int, progress: Progress | None, batch: int
) -> int:
    """Stream the rows of ``table`` from ``src`` to ``dst`` in batches; the rows written."""
    names = [c.name for c in table.columns]
    on_target = [c.name for c in table_columns(dst, table.name)]
    if on_target != names:  # RowInserter writes every column in order: the target is made from the models
        raise RuntimeError(f"{table.name}: the target's columns {on_target} are not the schema's {names}")
    keys = [c.name for c in table.primary_key.columns] or names[:1]
    sql = f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {', '.join(keys)}"
    insert = RowInserter(dst, table.name, len(names))
    written = 0
    if progress is not None:
        progress(table.name, 0, total)
    for rows in _batches(stream(src, sql), batch):
        insert(rows)
        written += len(rows)
        if progress is not None:
            progress(table.name, written, total)
    return written


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(tuple(row))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _set_aside(raw: RawConnection) -> list[str]:
    """Drop the new tables' foreign keys and secondary indexes (PostgreSQL); the statements that make them
    again. As ``pg_restore`` does: checking each row's references and updating each index row by row took
    half the copy's time; made again once the rows are in, they are checked in one pass each (a row that
    breaks one fails the copy there, and the transaction is rolled back). The definitions come from the
    server's catalogue, so what is made again is exactly what ``create_tables`` made."""
    here = "connamespace = CAST(current_schema() AS regnamespace)"
    foreign = raw.execute(
        "SELECT CAST(CAST(conrelid AS regclass) AS TEXT), quote_ident(conname), pg_get_constraintdef(oid) "
        f"FROM pg_constraint WHERE contype = 'f' AND {here} ORDER BY 1, 2"
    ).fetchall()
    indexes = raw.execute(
        "SELECT CAST(CAST(i.indexrelid AS regclass) AS TEXT), pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid "
        "WHERE c.relnamespace = CAST(current_schema() AS regnamespace) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1"
    ).fetchall()
    for table, name, _definition in foreign:
        raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        raw.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition in foreign
    ]


def _move_sequences(raw: RawConnection) -> None:
    """Every id sequence past the largest id copied, so the next row the app adds gets a new id."""
    if dialect_of(raw) is not POSTGRESQL:
        return  # SQLite numbers after the largest id by itself
    for table in tables():
        key = table.autoincrement_column
        if key is None:
            continue
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), max({key.name})) FROM {table.name} HAVING count(*) > 0",
            (table.name, key.name),
        )
