"""Writers queue behind a long write (an import) with a visible wait up to the policy's limit, instead of
failing after the 30 s busy timeout; past the limit they fail with one line, having changed nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from collectui.storage import waiting
from collectui.storage.engine import Database
from collectui.storage.raw import OperationalError

ROOT = Path(__file__).parents[2]

HOLDER = textwrap.dedent("""
    import sys, time
    from collectui.storage.engine import Database

    db = Database(sys.argv[1])
    with db.raw_write(holder="the import") as raw:  # as the import holds it: one long transaction
        raw.execute("INSERT INTO branch(name) VALUES ('imported')")
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def quick_notes(monkeypatch):
    monkeypatch.setattr(waiting, "FIRST_NOTE_S", 0.5)
    monkeypatch.setattr(waiting, "NOTE_EVERY_S", 1.0)


def test_a_writer_waits_behind_the_import_and_says_so(db, quick_notes):
    notes: list[tuple[float, str]] = []
    db.write_wait.on_wait = lambda waited, holder: notes.append((waited, holder))
    holder = hold(db.path, 3.5)
    started = time.monotonic()
    with db.raw_write() as raw:
        raw.execute("INSERT INTO branch(name) VALUES ('logged a call')")
    waited = time.monotonic() - started
    assert holder.wait(timeout=30) == 0
    assert 2.0 < waited < 20
    assert notes and all(h == "the import" for _, h in notes)
    assert [round(w) for w, _ in notes] == sorted(round(w) for w, _ in notes)
    with db.raw_read() as raw:
        assert [r[0] for r in raw.execute("SELECT name FROM branch ORDER BY id")] == ["imported", "logged a call"]
    assert not list(db.path.parent.glob(".*.writing-*"))  # the announcement went with the transaction


def test_orm_writes_wait_too(db, quick_notes):
    notes: list[str] = []
    db.write_wait.on_wait = lambda waited, holder: notes.append(holder)
    holder = hold(db.path, 2.5)
    from collectui.storage.models import Branch

    with db.write() as s:
        s.add(Branch(name="via the ORM"))
    assert holder.wait(timeout=30) == 0 and notes and notes[0] == "the import"


def test_past_the_limit_a_writer_gives_up_with_one_line(db):
    db.write_wait.limit_s = 1.5
    holder = hold(db.path, 6)
    started = time.monotonic()
    with pytest.raises(OperationalError) as caught:
        with db.raw_write() as raw:
            raw.execute("INSERT INTO branch(name) VALUES ('never')")
    assert 1.4 < time.monotonic() - started < 5
    message = str(caught.value)
    assert "\n" not in message and "the import kept it for" in message and "storage.write_wait_seconds" in message
    holder.kill()
    holder.wait()
    with db.raw_read() as raw:
        assert raw.execute("SELECT COUNT(*) FROM branch WHERE name = 'never'").fetchone()[0] == 0


def test_the_cli_prints_the_wait_on_stderr(ctx, monkeypatch):
    from argon2 import PasswordHasher

    from collectui.domain.staff import users
    from tests.support.cli import add_staff, sign_in

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    add_staff(ctx, "root", "admin")
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    holder = hold(ctx.db.path, 9)
    backup = ctx.db.path.with_name("backup.db")  # a backup records itself in the audit trail: a write
    command = [str(Path(sys.executable).with_name("collectui")), "--db", str(ctx.db.path), "db", "backup", str(backup)]
    env = {**os.environ, "COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert holder.wait(timeout=30) == 0
    assert result.returncode == 0, result.stderr
    assert re.search(r"^waiting for the import to finish, \d+ s$", result.stderr, re.MULTILINE), result.stderr


def test_the_limit_comes_from_the_policy():
    from collectui.domain.policy import Policy

    assert Policy()["storage.write_wait_seconds"] == 300
    assert Database("x.db").write_wait.limit_s == waiting.DEFAULT_LIMIT_S == 300


def test_reads_do_not_queue_behind_the_import(ctx, monkeypatch):
    """A signed-in read (`audit verify`) runs while the import holds the lock: the session's last use is
    bookkeeping and is skipped rather than queued for."""
    from argon2 import PasswordHasher

    from collectui.domain.staff import users
    from tests.support.cli import add_staff, sign_in

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    add_staff(ctx, "root", "admin")
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    with ctx.db.raw_bookkeeping() as (_, writable):
        assert writable  # nobody holds the lock: bookkeeping may write
    holder = hold(ctx.db.path, 12)
    with ctx.db.raw_bookkeeping() as (_, writable):
        assert not writable  # the import holds it: bookkeeping reads only, without waiting
    command = [str(Path(sys.executable).with_name("collectui")), "--db", str(ctx.db.path), "audit", "verify"]
    env = {**os.environ, "COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    took = time.monotonic() - started
    still_holding = holder.poll() is None
    holder.kill()
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert "waiting for" not in result.stderr and still_holding and took < 10
