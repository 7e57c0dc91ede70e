"""`collectui db backup|check|restore`: a backup taken under a running writer is whole and passes the audit
check; `db check` names each problem; a restore is refused while the database is open elsewhere and keeps
the replaced file aside."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain import dbcare
from tests.support.cli import add_staff, sign_in

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}


pytestmark = [pytest.mark.usefixtures("cheap_hasher"), pytest.mark.sqlite_only]  # SQLite's backup to a file


@pytest.fixture
def bank(ctx) -> Path:
    """A database with an admin ``root`` signed in, and a collector ``zhang``."""
    add_staff(ctx, "root", "admin")
    add_staff(ctx, "zhang", "collector", "城关支行")
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    return ctx.db.path


def run(db: Path, *args: str):
    return CliRunner().invoke(build_app(), ["--db", str(db), *args], env=ENV)


def cli_process(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, as an admin runs it (no connection of this test process counts)."""
    command = [str(Path(sys.executable).with_name("collectui")), "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **ENV}, check=False)


def branches(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM branch ORDER BY id")]
    finally:
        conn.close()


WRITER = textwrap.dedent("""
    import select, sys, time
    from collectui.clock import FixedClock
    from collectui.domain import audit
    from collectui.storage.engine import Database
    from tests.support.clock import NOW, TZ

    db, clock, n = Database(sys.argv[1]), FixedClock(NOW, TZ), 0
    end = time.monotonic() + float(sys.argv[2])
    print("writing", flush=True)
    # Many small audited writes, as the call screen makes them, until the test is done (closes our stdin) or,
    # at the latest, argv[2] seconds.
    while time.monotonic() < end and not select.select([sys.stdin], [], [], 0)[0]:
        with db.raw_write() as raw:
            raw.execute("INSERT INTO branch(name) VALUES (?)", (f"branch {n}",))
            audit.record_raw(raw, clock, "writer", "branch.add", "branch", str(n), {"n": n})
        n += 1
    print(n, flush=True)
""")


def test_backup_under_a_running_writer_is_whole_and_verified(bank, tmp_path):
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(bank), "30"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert writer.stdin is not None and writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    counts = []
    try:
        for i in range(3):
            time.sleep(0.5)
            copy = tmp_path / "backups" / f"b{i}.db"
            result = run(bank, "db", "backup", str(copy))
            assert result.exit_code == 0, result.output
            assert stat.S_IMODE(copy.stat().st_mode) == 0o600
            assert not Path(f"{copy}-wal").exists()  # one self-contained file
            problems, events = dbcare.problems_of(copy)  # integrity, foreign keys, schema, audit chain
            assert problems == []
            counts.append(events)
        assert writer.poll() is None  # every copy was taken while it wrote
    finally:
        writer.stdin.close()  # done: the writer stops
    assert writer.wait(timeout=60) == 0
    written = int(writer.stdout.read().strip())
    assert written > 0 and counts == sorted(counts) and counts[0] < counts[-1]  # copies taken mid-write


def test_backup_refuses_the_database_and_an_existing_file(bank, tmp_path):
    for target in (bank, Path(f"{bank}-wal")):
        result = run(bank, "db", "backup", str(target))
        assert result.exit_code == 1 and "database" in result.output
    existing = tmp_path / "old-backup.db"
    assert run(bank, "db", "backup", str(existing)).exit_code == 0
    again = run(bank, "db", "backup", str(existing))
    assert again.exit_code == 1 and "never overwrites" in again.output


def test_backup_and_restore_are_for_admins(bank, tmp_path):
    sign_in(bank, "zhang")
    result = run(bank, "db", "backup", str(tmp_path / "b.db"))
    assert result.exit_code != 0 and "db.backup" in result.output
    assert not (tmp_path / "b.db").exists()
    assert run(bank, "db", "restore", str(bank)).exit_code != 0


def test_check_names_each_problem(bank):
    assert run(bank, "db", "check").exit_code == 0
    conn = sqlite3.connect(bank)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
        "VALUES ('L9', 'NOBODY', 'p', 100, '2026-01-01', '2026-12-01', 'active')"
    )
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 1")
    conn.commit()
    conn.close()
    result = run(bank, "db", "check")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "foreign keys: 1 row(s) of loan point to a missing customer" in lines
    assert any(line.startswith("audit: ") and "event 1" in line for line in lines)
    assert lines[-1].endswith("problem(s)")


HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("SELECT COUNT(*) FROM branch").fetchone()  # an open connection, as the app keeps one
    print("open", flush=True)
    sys.stdin.readline()
    conn.close()
""")


def test_restore_is_refused_while_connected_then_keeps_the_replaced_file(bank, tmp_path):
    backup = tmp_path / "b.db"
    assert cli_process(bank, "db", "backup", str(backup)).returncode == 0
    conn = sqlite3.connect(bank)
    conn.execute("INSERT INTO branch(name) VALUES ('after the backup')")
    conn.commit()
    conn.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(bank)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    refused = cli_process(bank, "db", "restore", str(backup))
    assert refused.returncode == 1 and "in use" in refused.stderr
    assert "after the backup" in branches(bank)
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    result = cli_process(bank, "db", "restore", str(backup))
    assert result.returncode == 0, result.stderr
    aside = bank.with_name(f"{bank.name}.replaced-20261128T100000")
    assert "after the backup" in branches(aside) and "after the backup" not in branches(bank)
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600 and stat.S_IMODE(bank.stat().st_mode) == 0o600
    check = cli_process(bank, "db", "check")
    assert check.returncode == 0, check.stderr


def test_restore_refuses_a_backup_that_fails_its_checks(bank, tmp_path):
    bad = tmp_path / "bad.db"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = bank.read_bytes()
    result = run(bank, "db", "restore", str(bad))
    assert result.exit_code == 1 and result.output == f"error: {bad} is not a collectui database backup\n"
    assert bank.read_bytes() == before
    assert not list(tmp_path.glob("*.replaced-*"))


def test_restore_of_a_missing_or_foreign_file_is_one_line(bank, tmp_path):
    before = bank.read_bytes()
    missing = tmp_path / "nonexist.db"
    result = run(bank, "db", "restore", str(missing))
    assert result.exit_code == 1 and result.output == f"error: no backup file at {missing}\n"
    toml = tmp_path / "policy.toml"
    toml.write_text("[rules.daily_attempts]\nmax = 4\n", encoding="utf-8")
    result = run(bank, "db", "restore", str(toml))
    assert result.exit_code == 1 and result.output == f"error: {toml} is not a collectui database backup\n"
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run(bank, "db", "restore", str(empty))
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1 and "is empty" in result.output
    assert bank.read_bytes() == before and not list(tmp_path.glob("*.replaced-*"))


def test_an_anchor_taken_after_the_restored_backup_fails_with_the_reason(bank, tmp_path):
    backup = tmp_path / "b.db"
    assert cli_process(bank, "db", "backup", str(backup)).returncode == 0
    conn = sqlite3.connect(backup)
    backup_head = conn.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    conn.close()
    # Work goes on after the backup; the supervisor keeps an anchor of it.
    for _ in range(3):
        assert cli_process(bank, "audit", "verify").returncode == 0
        assert cli_process(bank, "users", "list").returncode == 0
    taken = cli_process(bank, "audit", "anchor")
    assert taken.returncode == 0, taken.stderr
    kept = taken.stdout.strip()
    assert int(kept.split(":")[0]) > backup_head
    restored = cli_process(bank, "db", "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    # The restore is recorded in the restored database, right after the backup's head, naming it.
    conn = sqlite3.connect(bank)
    event_id, action, details = conn.execute(
        "SELECT id, action, details FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (event_id, action) == (backup_head + 1, "db.restore")
    assert json.loads(details)["head"].startswith(f"{backup_head}:")
    assert cli_process(bank, "audit", "verify").returncode == 0  # the restored trail itself is whole
    result = cli_process(bank, "audit", "verify", "--anchor", kept)
    assert result.returncode == 1 and "audit trail BROKEN" in result.stderr  # correct to fail, but explained
    hint = (
        f"audit: the database was restored from a backup on 2026-11-28 10:00 (event {backup_head + 1}): "
        "an anchor taken after that backup no longer matches; take a new anchor"
    )
    assert hint in result.stderr.splitlines()
    # A new anchor holds; an anchor within the backup that does not match is not blamed on the restore.
    new = cli_process(bank, "audit", "anchor").stdout.strip()
    assert cli_process(bank, "audit", "verify", "--anchor", new).returncode == 0
    wrong = cli_process(bank, "audit", "verify", "--anchor", f"{backup_head}:{'0' * 64}")
    assert wrong.returncode == 1 and "restored from a backup" not in wrong.stderr
