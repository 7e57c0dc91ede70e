"""Schema creation and versioned upgrades.

Version 1 is the whole model (``SQLModel.metadata``). A later change appends a step to ``STEPS``:
each step is a list of SQL statements run in one transaction with the version bump, so an upgrade is
all-or-nothing. (Alembic would be the tool for branching histories; one linear list is enough here.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import SQLModel

from collectui.storage import models  # noqa: F401  (registers the tables)
from collectui.storage.kind import Kind, stamp_new

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import Connection, Engine

SCHEMA_VERSION = 1  # the first schema; collectui.storage.version.LATEST_VERSION follows STEPS

AUDIT_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]

# STEPS[n] upgrades version n+1 to n+2.
STEPS: list[list[str]] = [
    # 2: instalment clustered by its key (loan_id, seq), WITHOUT ROWID: the surrogate id and the two
    # indexes of version 1 served no query and made every schedule import write three B-trees.
    [
        """CREATE TABLE instalment_v2 (
	loan_id VARCHAR NOT NULL,
	seq INTEGER NOT NULL,
	due_date DATE NOT NULL,
	principal_due_fen INTEGER NOT NULL,
	interest_due_fen INTEGER NOT NULL,
	PRIMARY KEY (loan_id, seq),
	FOREIGN KEY(loan_id) REFERENCES loan (loan_id)
) WITHOUT ROWID""",
        "INSERT INTO instalment_v2 SELECT loan_id, seq, due_date, principal_due_fen, interest_due_fen "
        "FROM instalment ORDER BY loan_id, seq",
        "DROP TABLE instalment",
        "ALTER TABLE instalment_v2 RENAME TO instalment",
    ],
]


class SchemaTooNew(RuntimeError):
    pass


def current_version(conn: Connection) -> int:
    has_meta = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").first()
    if not has_meta:
        return 0
    row = conn.exec_driver_sql("SELECT value FROM meta WHERE key='schema_version'").first()
    return int(row[0]) if row else 0


def migrate(write_engine: Engine, path: Path, kind: Kind = "test") -> None:
    """Create or upgrade the database behind ``write_engine`` (its BEGIN IMMEDIATE engine) in one transaction.

    ``kind`` is stamped on a database being created (``storage.kind``); an existing one keeps its own."""
    with write_engine.begin() as conn:
        version = current_version(conn)
        if version > SCHEMA_VERSION + len(STEPS):
            raise SchemaTooNew(
                f"{path} has schema version {version}; this collectui knows up to {SCHEMA_VERSION + len(STEPS)}"
            )
        if version == 0:
            # The model is always the newest schema: a new database starts at the last version.
            SQLModel.metadata.create_all(conn)
            for sql in AUDIT_TRIGGERS:
                conn.exec_driver_sql(sql)
            version = SCHEMA_VERSION + len(STEPS)
            raw = conn.connection.driver_connection
            assert raw is not None
            stamp_new(raw, kind)
        for step in STEPS[version - SCHEMA_VERSION :]:
            for sql in step:
                conn.exec_driver_sql(sql)
            version += 1
        conn.exec_driver_sql(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (str(version),),
        )
