"""`domain.dbcopy`: the copy's audit side. A chain that does not verify in the target, or a production
database whose key is not here, keeps nothing there; an admin's copy is recorded as `db.copied`."""

from __future__ import annotations

import json
import sqlite3

import pytest

from collectui.clock import FixedClock
from collectui.domain import audit, dbcopy
from collectui.domain.audit import keys
from collectui.domain.context import Ctx
from collectui.domain.errors import PermissionDenied
from collectui.domain.policy import Policy
from collectui.domain.staff.actor import system_actor
from collectui.storage.engine import Database
from tests.support.calls import calls_policy, log, seed
from tests.support.cli import actor_of, add_staff
from tests.support.clock import NOW, TZ

pytestmark = pytest.mark.sqlite_only  # SQLite files as source and target (tests/storage/test_copy.py: PostgreSQL)


def bank(path, kind="test") -> Ctx:
    db = Database(path)
    db.create_schema(kind=kind)
    ctx = Ctx(db, FixedClock(NOW, TZ), calls_policy())
    seed(ctx, customers=2)
    assert log(ctx, "amy", "no_answer", customer="C1").saved
    return ctx


def test_an_admins_copy_is_recorded_in_the_target(tmp_path):
    ctx = bank(tmp_path / "bank.db")
    admin = add_staff(ctx, "root", "admin")
    done = dbcopy.copy(ctx, admin, tmp_path / "copy.db")
    assert done.ok and done.source == str(tmp_path / "bank.db") and done.target_engine == "sqlite"
    conn = sqlite3.connect(tmp_path / "copy.db")
    try:
        [(actor, target, details)] = conn.execute(
            "SELECT actor, target_id, details FROM audit_event WHERE action = 'db.copied'"
        ).fetchall()
    finally:
        conn.close()
    assert (actor, target) == ("root", str(tmp_path / "copy.db"))
    assert json.loads(details)["counts"]["call_attempt"] == 1
    assert done.audit_events == sum(c.source for c in done.counts if c.table == "audit_event") + 1


def test_a_collector_may_not_copy(tmp_path):
    ctx = bank(tmp_path / "bank.db")
    with pytest.raises(PermissionDenied):
        dbcopy.copy(ctx, actor_of(ctx, "amy"), tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_a_chain_that_does_not_verify_keeps_nothing(tmp_path):
    ctx = bank(tmp_path / "bank.db")
    admin = add_staff(ctx, "root", "admin")
    conn = sqlite3.connect(ctx.db.path)  # an edit behind the app's back: the event no longer matches its digest
    conn.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 1")
    conn.commit()
    conn.close()
    with pytest.raises(dbcopy.CopyFailed, match="does not verify") as failed:
        dbcopy.copy(ctx, admin, tmp_path / "copy.db")
    assert failed.value.problems and all(p.startswith("audit: ") for p in failed.value.problems)
    assert not (tmp_path / "copy.db").exists()


def test_a_production_database_without_its_key_is_not_copied(tmp_path, monkeypatch):
    """The key is found by the database's id; where it is missing (another account, another machine) the
    `db.copied` event cannot be signed, and nothing is kept: a production database never gets a new key."""
    monkeypatch.delenv(keys.KEY_ENV)
    keys.forget_cached_keys()
    db = Database(tmp_path / "bank.db")
    db.create_schema(kind="production")
    key_file = keys.provision_key(db)
    assert key_file is not None
    ctx = Ctx(db, FixedClock(NOW, TZ), Policy())
    with db.raw_write() as raw:
        audit.record_raw(raw, ctx.clock, "system:test", "test.event")
    key_file.rename(tmp_path / "elsewhere.key")
    keys.forget_cached_keys()
    try:
        with pytest.raises(keys.AuditKeyError, match="no audit key"):
            dbcopy.copy(ctx, system_actor("system:test"), tmp_path / "copy.db")
        assert not (tmp_path / "copy.db").exists()
        assert not key_file.exists()  # and no new key was made for it
    finally:
        keys.forget_cached_keys()
        db.dispose()
