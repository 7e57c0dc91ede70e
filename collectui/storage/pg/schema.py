"""The schema on PostgreSQL: the same SQLModel tables, in SQLite's storage forms.

The domain's raw SQL reads and compares stored values as SQLite holds them, so PostgreSQL keeps those forms
(docs/developer/storage-seam.md, "Schema and migrations"): flags as SMALLINT 0/1, dates as ISO text
(``VARCHAR(10)``), JSON as text (SQL that looks inside casts it to ``jsonb``), aware datetimes as UTC text
(``types.AwareDateTime``, already text). Each ``Boolean``/``Date``/``JSON`` column of the metadata gets a
PostgreSQL variant of its type; SQLite's DDL and values are untouched by it (a variant applies to its
dialect only). Moving to native ``date`` / ``timestamptz`` / ``boolean`` would be a later, separate change.

Every text column is ``COLLATE "C"``: text compares and sorts by code point, as in SQLite, whatever the
database's default collation (a bank's server may default to ``en_US.UTF-8`` or ``zh_CN.UTF-8``, where
``c1`` sorts between ``C0001`` and ``C10``). The work list's key-prefix search (``key >= ? AND key < ? ||
U+10FFFF``), its keyset pages by ``sort_key`` and the refresh's merge of sorted cursors rely on it. The
dialect's temporary tables say ``COLLATE "C"`` too, so that a join between the two can use either's index.

The audit table's append-only rule is a PL/pgSQL trigger function that raises, as SQLite's triggers do.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Integer, SmallInteger, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel

from collectui.storage import models  # noqa: F401  (registers the tables)
from collectui.storage.types import AwareDateTime

# Code-point order, as SQLite compares text (see the module docstring).
COLLATION = "C"


class PgFlag(TypeDecorator[bool]):
    """A flag as SMALLINT 0/1 (what SQLite stores for a Boolean), read back as ``bool``."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(bool(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> bool | None:
        return None if value is None else bool(value)


class PgIsoDate(TypeDecorator[date]):
    """A date as ISO text ``YYYY-MM-DD`` (SQLite's form), read back as ``date``."""

    impl = String(10, collation=COLLATION)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat() if isinstance(value, date) else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value))


class PgJsonText(TypeDecorator[Any]):
    """JSON as text, serialised as SQLAlchemy's JSON type does on SQLite (``json.dumps``); NULL stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class PgAwareDateTime(AwareDateTime):
    """An aware datetime as UTC text (``types.AwareDateTime``) in code-point order."""

    impl = String(32, collation=COLLATION)
    cache_ok = True


_VARIANTS: list[tuple[type[TypeEngine[Any]], type[TypeEngine[Any]]]] = [
    (Boolean, PgFlag),
    (Date, PgIsoDate),
    (JSON, PgJsonText),
    (AwareDateTime, PgAwareDateTime),
    (Integer, BigInteger),  # SQLite's integers are 64-bit: so are these (an id is BIGSERIAL)
]
_adapted = False


def _pg_type(column_type: TypeEngine[Any]) -> TypeEngine[Any] | None:
    """The PostgreSQL form of a column type, or None where PostgreSQL's own is SQLite's."""
    for base, variant in _VARIANTS:
        if type(column_type) is base or (base is not Integer and isinstance(column_type, base)):
            return variant()
    # Any other text (SQLModel's AutoString for a ``str`` field, a String): the same length, code-point order.
    text = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
    if isinstance(text, String):
        return String(text.length, collation=COLLATION)
    return None


def adapt_metadata() -> None:
    """Give every flag, date, datetime, JSON and text column its PostgreSQL storage form (once per process)."""
    global _adapted
    if _adapted:
        return
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            variant = _pg_type(column.type)
            if variant is not None:
                column.type = column.type.with_variant(variant, "postgresql")
    _adapted = True


AUDIT_TRIGGER = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$""",
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_event",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    # TRUNCATE skips row triggers: a statement trigger refuses it too.
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]


# An integer id numbered by a sequence (SERIAL) does not see ids written explicitly (a seed, a copy of another
# database), and the next default id would collide with them; SQLite numbers after the largest id. After
# each INSERT statement this moves the sequence past the largest id the statement wrote, if it is behind.
FOLLOW_IDS = """CREATE OR REPLACE FUNCTION collectui_follow_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seq text := pg_get_serial_sequence(quote_ident(TG_TABLE_NAME), TG_ARGV[0]);
    top bigint;
BEGIN
    EXECUTE format('SELECT max(%I) FROM new_rows', TG_ARGV[0]) INTO top;
    IF top IS NOT NULL AND top > coalesce(pg_sequence_last_value(seq), 0) THEN
        PERFORM setval(seq, top);
    END IF;
    RETURN NULL;
END $$"""


def follow_ids_trigger(table: str, column: str) -> str:
    return (
        f"CREATE TRIGGER {table}_follow_ids AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION collectui_follow_ids('{column}')"
    )


def table_exists(raw: Any, name: str) -> bool:
    row = raw.execute("SELECT to_regclass(CAST(? AS TEXT)) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def create_tables(raw: Any) -> None:
    """Every table and index of the metadata, in PostgreSQL's DDL with the storage forms above."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    adapt_metadata()
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    for table in SQLModel.metadata.sorted_tables:
        raw.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            raw.execute(str(CreateIndex(index).compile(dialect=dialect)))
    for sql in AUDIT_TRIGGER:
        raw.execute(sql)
    raw.execute(FOLLOW_IDS)
    for table in SQLModel.metadata.sorted_tables:
        key = table.autoincrement_column
        if key is not None:
            raw.execute(follow_ids_trigger(table.name, key.name))
    from collectui.storage.localtime import create_functions

    create_functions(raw)  # the reports' local_date / local_week / date_week (zone per session)


def current_version(raw: Any) -> int:
    if not table_exists(raw, "meta"):
        return 0
    row = raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: Any, kind: Any = "test") -> None:
    """Create or upgrade ``db`` (a ``PgDatabase``) in one transaction holding the write lock (two processes
    creating it at once queue). A new database starts at the newest version; a later step runs its
    PostgreSQL form (``migrations.PerEngine``)."""
    with db.raw_write() as raw:
        migrate_in(raw, db.shown, kind)


def migrate_in(raw: Any, shown: str, kind: Any = "test") -> None:
    """``migrate``'s work in the caller's transaction (which holds the write lock): ``PgDatabase.creating``
    adds the first rows to the same transaction, so a failure leaves no half schema (DDL is transactional)."""
    from collectui.storage.kind import stamp_new
    from collectui.storage.migrations import SCHEMA_VERSION, STEPS, SchemaTooNew, run_action, stamp_marker, step_for
    from collectui.storage.raw import set_meta_raw

    version = current_version(raw)
    if version > SCHEMA_VERSION + len(STEPS):
        raise SchemaTooNew(
            f"{shown} has schema version {version}; this collectui knows up to {SCHEMA_VERSION + len(STEPS)}"
        )
    if version == 0:
        create_tables(raw)
        version = SCHEMA_VERSION + len(STEPS)
        stamp_new(raw, kind)
    for number, step in enumerate(STEPS[version - SCHEMA_VERSION :], start=version + 1):
        action = step_for(step, "postgresql")
        if action is None:
            raise RuntimeError(f"schema step {number} has no PostgreSQL form; this database cannot be upgraded")
        run_action(raw, action)
        version += 1
    stamp_marker(raw)
    set_meta_raw(raw, "schema_version", str(version))
