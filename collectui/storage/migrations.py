"""Schema creation and versioned upgrades.

Version 1 is the whole model (``SQLModel.metadata``). A later change appends a step to ``STEPS``: each step
is a list of SQL statements, or a function of the connection when what it does depends on what it finds,
run in one transaction with the version bump, so an upgrade is all-or-nothing. (Alembic would be the tool
for branching histories; one linear list is enough here.)

**Append-only.** A released step is never edited: a database that ran it keeps what it did. Step 2 was once
rewritten (it first only dropped an index; later it rebuilt ``instalment`` clustered), and databases built
between the two say version 2 with the old layout; step 3 repairs them. Every released layout has a fixture
in ``tests/storage/fixtures`` that a test migrates and compares with a new database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import SQLModel

from collectui.storage import models  # noqa: F401  (registers the tables)
from collectui.storage.kind import APP_MARKER, META_APP, META_DB_ID, Kind, stamp_new
from collectui.storage.raw import RawConnection, get_meta_raw, set_meta_raw, table_columns

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

# Step 3's copy of step 2's clustered instalment table (step 2 itself stays as released).
_INSTALMENT_CLUSTERED = """CREATE TABLE instalment_v2 (
	loan_id VARCHAR NOT NULL,
	seq INTEGER NOT NULL,
	due_date DATE NOT NULL,
	principal_due_fen INTEGER NOT NULL,
	interest_due_fen INTEGER NOT NULL,
	PRIMARY KEY (loan_id, seq),
	FOREIGN KEY(loan_id) REFERENCES loan (loan_id)
) WITHOUT ROWID"""
_REBUILD_INSTALMENT = [
    "DROP TABLE IF EXISTS instalment_v2",
    _INSTALMENT_CLUSTERED,
    "INSERT INTO instalment_v2 SELECT loan_id, seq, due_date, principal_due_fen, interest_due_fen "
    "FROM instalment ORDER BY loan_id, seq",
    "DROP TABLE instalment",
    "ALTER TABLE instalment_v2 RENAME TO instalment",
]
# The refresh's meta keys (collectui.domain.portfolio.refresh.stats): without them the next start refreshes
# the derived tables in full.
_REFRESH_STATE_KEYS = ("state_as_of", "state_policy")


def _repair_drifted_layouts(raw: RawConnection) -> None:
    """Step 3: bring databases whose layout drifted from their version number to the version-2 layout.

    - ``instalment`` still with its surrogate ``id`` (databases built by the first, later rewritten step 2,
      or upgraded by it: version 2 with the version-1 table): rebuilt clustered, rows kept.
    - ``work_item`` without ``sort_key`` (version 1 as first released, before the work list's page walks):
      derived state only, so it is recreated empty from the model with its indexes, and the refresh state
      is forgotten so the next start rebuilds it in full.
    Each part looks before it acts, so the step is a no-op on a database that is already right."""
    columns = {c.name for c in table_columns(raw, "instalment")}
    if "id" in columns:
        for sql in _REBUILD_INSTALMENT:
            raw.execute(sql)
    raw.execute("DROP INDEX IF EXISTS ix_instalment_loan_due")
    work_columns = {c.name for c in table_columns(raw, "work_item")}
    if work_columns and "sort_key" not in work_columns:
        from sqlalchemy.schema import CreateIndex, CreateTable

        raw.execute("DROP TABLE work_item")  # its old indexes go with it
        table = SQLModel.metadata.tables["work_item"]
        from sqlalchemy.dialects import sqlite

        dialect = sqlite.dialect()
        raw.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            raw.execute(str(CreateIndex(index).compile(dialect=dialect)))
        raw.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in _REFRESH_STATE_KEYS])


# Version 3's new tables and columns: who acts and what binds them (login sessions and API tokens, stored
# policy versions, a forced password change, late call entries, row digests on audit events). New columns
# come last, as in the model, so a migrated table equals a new one.
_TRUST_TABLES = [
    """CREATE TABLE IF NOT EXISTS login_session (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	secret_hash VARCHAR NOT NULL,
	os_user VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	last_seen_at VARCHAR(32) NOT NULL,
	expires_at VARCHAR(32) NOT NULL,
	revoked_at VARCHAR(32),
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES staff_user (id)
)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_login_session_secret_hash ON login_session (secret_hash)",
    "CREATE INDEX IF NOT EXISTS ix_login_session_user_id ON login_session (user_id)",
    """CREATE TABLE IF NOT EXISTS api_token (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	secret_hash VARCHAR NOT NULL,
	role VARCHAR NOT NULL,
	branch_id INTEGER,
	scopes VARCHAR NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	expires_at VARCHAR(32) NOT NULL,
	revoked_at VARCHAR(32),
	last_used_at VARCHAR(32),
	PRIMARY KEY (id),
	FOREIGN KEY(branch_id) REFERENCES branch (id)
)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_api_token_name ON api_token (name)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_api_token_secret_hash ON api_token (secret_hash)",
    """CREATE TABLE IF NOT EXISTS policy_version (
	version INTEGER NOT NULL,
	content VARCHAR NOT NULL,
	sha256 VARCHAR NOT NULL,
	applied_by VARCHAR NOT NULL,
	applied_at VARCHAR(32) NOT NULL,
	reason VARCHAR NOT NULL,
	PRIMARY KEY (version)
)""",
    "CREATE INDEX IF NOT EXISTS ix_policy_version_applied_at ON policy_version (applied_at)",
]
_TRUST_COLUMNS = [
    ("audit_event", "row_digests", "JSON"),
    ("call_attempt", "entered_late", "BOOLEAN NOT NULL DEFAULT '0'"),
    ("call_attempt", "late_reason", "VARCHAR"),
    ("staff_user", "must_change_password", "BOOLEAN NOT NULL DEFAULT '0'"),
]


def _step_3(raw: RawConnection) -> None:
    """Step 3: repair drifted layouts, then add version 3's tables and columns (each only where missing,
    like the repair: a table rebuilt from the model by the repair already has them)."""
    _repair_drifted_layouts(raw)
    for sql in _TRUST_TABLES:
        raw.execute(sql)
    for table, column, decl in _TRUST_COLUMNS:
        if column not in {c.name for c in table_columns(raw, table)}:
            raw.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")


# Version 4's new tables and columns: the whole call (numbers learned on calls, callbacks, the list's
# "callable until" and recheck time), cases that end (dispute reasons, answers and deadlines, hand
# assignments, payment plans and their instalments).
_CASE_TABLES = [
    """CREATE TABLE IF NOT EXISTS assignment (
	customer_id VARCHAR NOT NULL,
	collector_id INTEGER NOT NULL,
	assigned_by INTEGER,
	assigned_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (customer_id),
	FOREIGN KEY(customer_id) REFERENCES customer (customer_id),
	FOREIGN KEY(collector_id) REFERENCES staff_user (id),
	FOREIGN KEY(assigned_by) REFERENCES staff_user (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_assignment_collector_id ON assignment (collector_id)",
    """CREATE TABLE IF NOT EXISTS payment_plan (
	id INTEGER NOT NULL,
	customer_id VARCHAR NOT NULL,
	call_id INTEGER,
	proposed_by INTEGER,
	proposed_at VARCHAR(32) NOT NULL,
	status VARCHAR NOT NULL,
	approved_by INTEGER,
	approved_at VARCHAR(32),
	decision_reason VARCHAR,
	total_fen INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(customer_id) REFERENCES customer (customer_id),
	FOREIGN KEY(call_id) REFERENCES call_attempt (id),
	FOREIGN KEY(proposed_by) REFERENCES staff_user (id),
	FOREIGN KEY(approved_by) REFERENCES staff_user (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_payment_plan_customer_status ON payment_plan (customer_id, status)",
    """CREATE TABLE IF NOT EXISTS plan_instalment (
	plan_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	due_date DATE NOT NULL,
	amount_fen INTEGER NOT NULL,
	status VARCHAR NOT NULL,
	paid_fen INTEGER NOT NULL,
	evaluated_on DATE,
	PRIMARY KEY (plan_id, seq),
	FOREIGN KEY(plan_id) REFERENCES payment_plan (id)
)""",
]
_CASE_COLUMNS = [
    ("call_attempt", "callback_at", "VARCHAR(32)"),
    ("contact", "source", "VARCHAR NOT NULL DEFAULT 'import'"),
    ("contact", "from_call_id", "INTEGER"),
    ("contact", "added_by", "INTEGER"),
    ("contact", "added_at", "VARCHAR(32)"),
    ("dispute", "reason_code", "VARCHAR"),
    ("dispute", "due_on", "DATE"),
    ("dispute", "resolution", "VARCHAR"),
    ("dispute", "told_by", "VARCHAR"),
    ("work_item", "blocked_until", "VARCHAR(32)"),
    ("work_item", "recheck_at", "VARCHAR(32)"),
    ("work_item", "callback_at", "VARCHAR(32)"),
]


def _step_4(raw: RawConnection) -> None:
    """Step 4: version 4's tables and columns. The work list is then judged afresh at the next start (the
    gate's customer-level rules now decide "callable", with times), so the refresh state is dropped."""
    for sql in _CASE_TABLES:
        raw.execute(sql)
    for table, column, decl in _CASE_COLUMNS:
        if column not in {c.name for c in table_columns(raw, table)}:
            raw.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
    raw.execute("CREATE INDEX IF NOT EXISTS ix_work_item_recheck_at ON work_item (recheck_at)")
    raw.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in _REFRESH_STATE_KEYS])


# Version 5's new tables: training results (practice calls, quizzes) and certifications.
_TRAINING_TABLES = [
    """CREATE TABLE IF NOT EXISTS training_attempt (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	scenario_id VARCHAR NOT NULL,
	scenario_version INTEGER NOT NULL,
	mandatory BOOLEAN NOT NULL,
	finished_at VARCHAR(32) NOT NULL,
	score INTEGER NOT NULL,
	choices_lost INTEGER NOT NULL,
	compliance_lost INTEGER NOT NULL,
	outcome_lost INTEGER NOT NULL,
	passed BOOLEAN NOT NULL,
	mistakes VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES staff_user (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_training_attempt_user_scenario ON training_attempt (user_id, scenario_id)",
    """CREATE TABLE IF NOT EXISTS quiz_attempt (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	taken_at VARCHAR(32) NOT NULL,
	questions INTEGER NOT NULL,
	correct INTEGER NOT NULL,
	percent INTEGER NOT NULL,
	passed BOOLEAN NOT NULL,
	answers VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES staff_user (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_quiz_attempt_user_id ON quiz_attempt (user_id)",
    """CREATE TABLE IF NOT EXISTS certification (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	certified_on DATE NOT NULL,
	source VARCHAR NOT NULL,
	reason VARCHAR,
	by_user_id INTEGER,
	recorded_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES staff_user (id),
	FOREIGN KEY(by_user_id) REFERENCES staff_user (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_certification_user_id ON certification (user_id)",
]

Action = list[str] | Callable[[RawConnection], None]


@dataclass(frozen=True)
class PerEngine:
    """A step whose statements differ per engine. PostgreSQL databases start at version 5 (the newest when
    PostgreSQL came), so steps 2 to 5 never run there; every later step must say what it does on both."""

    sqlite: Action
    postgresql: Action | None


Step = Action | PerEngine


def step_for(step: Step, engine: str) -> Action | None:
    """What ``step`` does on ``engine`` (``sqlite`` or ``postgresql``); None: it has no form there."""
    if isinstance(step, PerEngine):
        return step.sqlite if engine == "sqlite" else step.postgresql
    return step if engine == "sqlite" else None


# STEPS[n] upgrades version n+1 to n+2. Append only: never edit a step that has been released.
STEPS: list[Step] = [
    # 2: instalment clustered by its key (loan_id, seq), WITHOUT ROWID: the surrogate id and the two
    # indexes of version 1 served no query and made every schedule import write three B-trees.
    # (Released first as ["DROP INDEX IF EXISTS ix_instalment_loan_due"] alone; step 3 repairs those.)
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
    # 3: repair the layouts that drifted from their version number (see _repair_drifted_layouts), then the
    # tables and columns of sign-in, tokens, stored policies, late entries and row digests.
    _step_3,
    # 4: numbers learned on calls, callbacks, the list's judged block times; dispute answers, hand
    # assignments, payment plans.
    _step_4,
    # 5: training results and certifications. Nobody in an upgraded bank is certified yet: with the
    # `certified` rule on, an admin records certifications for trained staff (`collectui training certify`).
    _TRAINING_TABLES,
]


def run_action(raw: RawConnection, action: Action) -> None:
    """One step's form for this engine: a function of the raw connection, or its statements in order."""
    if callable(action):
        action(raw)
    else:
        for sql in action:
            raw.execute(sql)


def stamp_marker(raw: RawConnection) -> None:
    """Give a database from before the marker collectui's ``app`` and a ``db_id`` (its kind stays as
    ``storage.kind.kind_of`` reads it: production unless it is the demo)."""
    if get_meta_raw(raw, META_APP) != APP_MARKER:
        set_meta_raw(raw, META_APP, APP_MARKER)
    if not get_meta_raw(raw, META_DB_ID):
        set_meta_raw(raw, META_DB_ID, uuid.uuid4().hex)


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
        raw = conn.connection.driver_connection
        assert raw is not None
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
            stamp_new(raw, kind)
        for step in STEPS[version - SCHEMA_VERSION :]:
            action = step_for(step, "sqlite")
            assert action is not None  # every step has a SQLite form
            run_action(raw, action)
            version += 1
        stamp_marker(raw)
        conn.exec_driver_sql(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (str(version),),
        )
