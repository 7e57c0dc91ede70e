"""A failed `collectui init` on a PostgreSQL URL leaves the database as it was: the schema, its marker and
the first admin are one transaction (PostgreSQL's DDL is transactional), so a refusal or a failure midway
leaves no half schema behind and `init` can be run again. (SQLite's `init` deletes its new file instead.)"""

from __future__ import annotations

import pytest

from collectui.storage.locate import database_at
from tests.storage.test_pg_cli import SECRET, run

pytestmark = pytest.mark.pg


def _tables(url: str) -> int:
    db = database_at(url)
    try:
        with db.raw_read() as raw:
            return int(
                raw.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                ).fetchone()[0]
            )
    finally:
        db.dispose()


def test_a_too_short_password_creates_nothing(pg_url):
    result = run("--db", pg_url, "init", "--admin", "root", "--password-stdin", stdin="short\n")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert _tables(pg_url) == 0


def test_a_failure_after_the_schema_leaves_no_half_schema_and_init_runs_again(pg_url, monkeypatch):
    import collectui.cli.commands.init as init_command
    from collectui.paths import state_dir

    monkeypatch.delenv("COLLECTUI_AUDIT_KEY")  # a key file, as a bank has: made for the new id, removed with it
    keys = state_dir() / "keys"

    real = init_command.add_user
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("the server went away midway")

    monkeypatch.setattr(init_command, "add_user", failing)
    failed = run("--db", pg_url, "init", "--admin", "root", "--password-stdin", stdin=SECRET + "\n")
    assert calls and failed.exit_code != 0
    assert _tables(pg_url) == 0  # no tables, no functions' worth of half a bank
    db = database_at(pg_url)
    assert not db.exists and db.schema_version() is None
    with db.raw_read() as raw:
        left = raw.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = CAST(current_schema() AS regnamespace)"
        ).fetchone()[0]
    db.dispose()
    assert left == 0  # the audit trigger's and the local-time functions went with the rollback
    assert not keys.exists() or not list(keys.iterdir())

    monkeypatch.setattr(init_command, "add_user", real)
    made = run("--db", pg_url, "init", "--admin", "root", "--password-stdin", stdin=SECRET + "\n")
    assert made.exit_code == 0, made.output
    db = database_at(pg_url)
    assert db.kind() == "production"
    with db.raw_read() as raw:
        assert raw.execute("SELECT username, role FROM staff_user").fetchall() == [("root", "admin")]
        assert raw.execute("SELECT count(*) FROM audit_event WHERE action = 'user.create'").fetchone()[0] == 1
        db_id = raw.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
    db.dispose()
    assert [p.name for p in keys.iterdir()] == [f"{db_id}.key"]
    login = run("--db", pg_url, "login", "root", "--password-stdin", stdin=SECRET + "\n")
    assert login.exit_code == 0, login.output
    verified = run("--db", pg_url, "audit", "verify")
    assert verified.exit_code == 0, verified.output
