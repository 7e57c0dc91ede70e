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
    import select, sys
    from collectui.storage.locate import database_at

    db = database_at(sys.argv[1])  # a file, or a PostgreSQL URL under --pg
    with db.raw_write(holder="the import") as raw:  # as the import holds it: one long transaction
        raw.execute("INSERT INTO branch(name) VALUES ('imported')")
        print("holding", flush=True)
        # Until the test releases it (closes our stdin: ``release``) or, at the latest, argv[2] seconds: a test
        # waits for what it checks instead of a sleep long enough on a loaded machine.
        select.select([sys.stdin], [], [], float(sys.argv[2]))
""")


def hold(db: Database, seconds: float) -> subprocess.Popen[str]:
    where = getattr(db, "url", None) or str(db.path)  # PgDatabase.url; a SQLite database is its file
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, where, str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def release(holder: subprocess.Popen[str]) -> None:
    """The holder commits and ends now (before its time is up)."""
    if holder.stdin is not None and not holder.stdin.closed:
        holder.stdin.close()


@pytest.fixture
def quick_notes(monkeypatch):
    monkeypatch.setattr(waiting, "FIRST_NOTE_S", 0.5)
    monkeypatch.setattr(waiting, "NOTE_EVERY_S", 1.0)


def test_a_writer_waits_behind_the_import_and_says_so(db, quick_notes):
    notes: list[tuple[float, str]] = []

    def on_wait(waited: float, who: str) -> None:
        notes.append((waited, who))
        if waited > 2.0:  # three notes (0.5, 1.5, 2.5 s): the import ends
            release(holder)

    db.write_wait.on_wait = on_wait
    holder = hold(db, 3.5)
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

    def on_wait(waited: float, who: str) -> None:
        notes.append(who)
        release(holder)  # the first note said it: the import ends

    db.write_wait.on_wait = on_wait
    holder = hold(db, 2.5)
    from collectui.storage.models import Branch

    with db.write() as s:
        s.add(Branch(name="via the ORM"))
    assert holder.wait(timeout=30) == 0 and notes and notes[0] == "the import"


def test_past_the_limit_a_writer_gives_up_with_one_line(db):
    db.write_wait.limit_s = 1.5
    holder = hold(db, 6)
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


@pytest.mark.sqlite_only  # the CLI's --db names a file here
def test_the_cli_prints_the_wait_on_stderr(ctx, monkeypatch):
    from argon2 import PasswordHasher

    from collectui.domain.staff import users
    from tests.support.cli import add_staff, sign_in

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    add_staff(ctx, "root", "admin")
    ctx.db.dispose()
    sign_in(ctx.db.path, "root")
    holder = hold(ctx.db, 30)
    backup = ctx.db.path.with_name("backup.db")  # a backup records itself in the audit trail: a write
    command = [str(Path(sys.executable).with_name("collectui")), "--db", str(ctx.db.path), "db", "backup", str(backup)]
    env = {**os.environ, "COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
    cli = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert cli.stderr is not None
    said = []
    for line in cli.stderr:  # the import ends once the CLI said it waits (or at the holder's 30 s)
        said.append(line)
        if line.startswith("waiting for"):
            break
    release(holder)
    _, rest = cli.communicate(timeout=60)
    stderr = "".join(said) + rest
    assert holder.wait(timeout=30) == 0
    assert cli.returncode == 0, stderr
    assert re.search(r"^waiting for the import to finish, \d+ s$", stderr, re.MULTILINE), stderr


def test_the_limit_comes_from_the_policy():
    from collectui.domain.policy import Policy

    assert Policy()["storage.write_wait_seconds"] == 300
    assert Database("x.db").write_wait.limit_s == waiting.DEFAULT_LIMIT_S == 300


@pytest.mark.sqlite_only  # the CLI's --db names a file here
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
    holder = hold(ctx.db, 12)
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
