"""Opening an up-to-date database and the raw import path load no ORM; the schema version stays in step."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from collectui.storage import migrations
from collectui.storage.engine import Database
from collectui.storage.version import LATEST_VERSION


def test_latest_version_follows_the_migration_steps():
    assert migrations.SCHEMA_VERSION + len(migrations.STEPS) == LATEST_VERSION


def test_new_database_is_created_then_recognised_as_current(tmp_path):
    db = Database(tmp_path / "x.db")
    assert db.schema_version() is None
    db.create_schema()
    assert db.schema_version() == LATEST_VERSION
    db.dispose()


@pytest.mark.sqlite_only  # the CLI's --db names a file here
@pytest.mark.parametrize("command", [["import", "schedule", "{csv}"], ["queue", "--limit", "5"]])
def test_import_and_queue_do_not_load_sqlalchemy(tmp_path, ctx, command):
    # The command's start-up cost is most of a small import or a queue; SQLAlchemy and SQLModel alone take
    # about half a second. (A header-only file: the path, not the rows.)
    from tests.support.cli import add_staff, sign_in

    add_staff(ctx, "root", "admin")  # commands act for a signed-in person
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    csv = tmp_path / "schedule.csv"
    csv.write_text("loan_id,seq,due_date,principal_due,interest_due\n", encoding="utf-8")
    argv = ["--db", str(ctx.db.path), *[a.replace("{csv}", str(csv)) for a in command]]
    script = textwrap.dedent(f"""
        import os, sys
        os.environ["COLLECTUI_NOW"] = "2026-11-28T10:00:00+08:00"
        from typer.testing import CliRunner
        from collectui.cli.app import build_app, commands_for
        argv = {argv!r}
        r = CliRunner().invoke(build_app(commands_for(argv)), argv)
        assert r.exit_code == 0, r.output
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel")))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.sqlite_only  # SQLite's temp schema; tests/storage/test_pg_database.py has PostgreSQL's
def test_raw_read_reuses_its_connection_and_leaves_nothing_behind(ctx):
    with ctx.db.raw_read() as first:
        first.execute("CREATE TEMP TABLE scratch (x)")
    with ctx.db.raw_read() as second:
        assert second is first  # the page cache stays warm between reads (the TUI reads a page per key)
        assert second.execute("SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'scratch'").fetchone()[0] == 0
    ctx.db.dispose()
    assert not ctx.db._idle


@pytest.mark.sqlite_only  # PostgreSQL keeps its checks (storage.pg.database)
def test_raw_write_turns_foreign_keys_off_only_when_asked(ctx):
    with ctx.db.raw_write(foreign_keys=False) as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    with ctx.db.raw_write() as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


V1_INSTALMENT = """CREATE TABLE instalment (
	id INTEGER NOT NULL, loan_id VARCHAR NOT NULL, seq INTEGER NOT NULL, due_date DATE NOT NULL,
	principal_due_fen INTEGER NOT NULL, interest_due_fen INTEGER NOT NULL, PRIMARY KEY (id),
	CONSTRAINT uq_instalment_loan_seq UNIQUE (loan_id, seq), FOREIGN KEY(loan_id) REFERENCES loan (loan_id))"""


def test_version_1_database_is_upgraded_in_place(tmp_path):
    import sqlite3

    db = Database(tmp_path / "old.db")
    db.create_schema()
    db.dispose()
    conn = sqlite3.connect(db.path)  # turn it into a version 1 database with two instalments
    conn.execute("DROP TABLE instalment")
    conn.execute(V1_INSTALMENT)
    conn.execute("CREATE INDEX ix_instalment_loan_due ON instalment (loan_id, due_date)")
    conn.execute("INSERT INTO branch(id, name) VALUES (1, 'b')")
    conn.execute(
        "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
        "phone_invalid, sms_opt_out, hardship) VALUES ('C1', 'n', 'i', 'p', 1, 0, 0, 0, 0, 0)"
    )
    conn.execute(
        "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
        "VALUES ('L1', 'C1', 'p', 100, '2026-01-01', '2026-12-01', 'active')"
    )
    conn.executemany(
        "INSERT INTO instalment VALUES (?, 'L1', ?, ?, 50, 1)", [(7, 2, "2026-08-01"), (9, 1, "2026-07-01")]
    )
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    db = Database(db.path)
    db.create_schema()
    assert db.schema_version() == LATEST_VERSION
    conn = sqlite3.connect(db.path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'instalment'").fetchone()[0]
    rows = conn.execute("SELECT * FROM instalment").fetchall()
    indexes = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'instalment'")
    ]
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    conn.close()
    assert sql.endswith("WITHOUT ROWID") and indexes == [] and problems == []
    assert rows == [("L1", 1, "2026-07-01", 50, 1), ("L1", 2, "2026-08-01", 50, 1)]  # key order, no id
    db.dispose()
