"""The audit key: outside the database, made on first use for non-production databases, required for
production; an older unkeyed chain continues keyed from a marked event; time never goes back."""

from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest

from collectui.clock import FixedClock
from collectui.domain import audit
from collectui.domain.audit import keys
from collectui.domain.audit.chain import GENESIS, digest
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.paths import state_dir
from collectui.storage.engine import Database
from tests.support.clock import NOW, TZ


@pytest.fixture(autouse=True)
def _key_files(monkeypatch):
    """These tests use key files, not the suite's shared key from the environment."""
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    keys.forget_cached_keys()
    yield
    keys.forget_cached_keys()


def make(tmp_path, kind="test", name="k.db") -> Ctx:
    db = Database(tmp_path / name)
    db.create_schema(kind=kind)
    return Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())


def write(ctx, n=1, action="thing.do"):
    with ctx.db.write() as s:
        for i in range(n):
            audit.record(s, ctx.clock, "tester", action, "thing", str(i))


def verify(ctx, anchor=None):
    with ctx.db.read() as s:
        return audit.verify(s, anchor=anchor)


def db_id(ctx) -> str:
    with ctx.db.raw_read() as raw:
        return raw.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]


def test_a_test_database_gets_a_private_key_file_on_first_use(tmp_path):
    ctx = make(tmp_path)
    write(ctx, 3)
    path = state_dir() / "keys" / f"{db_id(ctx)}.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(bytes.fromhex(path.read_text())) == 32
    result = verify(ctx)
    assert result.ok and result.keyed_from == 1
    with ctx.db.write() as s:
        assert audit.record(s, ctx.clock, "tester", "thing.do") == 4  # record returns the event's id


def test_production_refuses_to_write_or_verify_without_its_key_then_provision_makes_one(tmp_path):
    ctx = make(tmp_path, kind="production")
    with pytest.raises(audit.AuditKeyError, match="no audit key for this database"):
        write(ctx)
    assert verify(ctx).events == 0  # nothing was written
    path = audit.provision_key(ctx.db)
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert audit.provision_key(ctx.db) == path and path.read_text()  # idempotent: never replaced
    write(ctx, 2)
    assert verify(ctx).ok
    path.unlink()
    keys.forget_cached_keys()
    result = verify(ctx)
    assert not result.ok and any("no audit key for this database" in p for p in result.problems)
    with pytest.raises(audit.AuditKeyError):
        write(ctx)


def test_a_lost_key_is_not_silently_replaced_on_a_test_database_either(tmp_path):
    ctx = make(tmp_path)
    write(ctx)
    (state_dir() / "keys" / f"{db_id(ctx)}.key").unlink()
    keys.forget_cached_keys()
    with pytest.raises(audit.AuditKeyError, match="no audit key"):
        write(ctx)


def test_a_foreign_key_is_named_and_refused(tmp_path, monkeypatch):
    ctx = make(tmp_path)
    write(ctx)
    monkeypatch.setenv(keys.KEY_ENV, "ab" * 32)
    with pytest.raises(audit.AuditKeyError, match="not this database's"):
        write(ctx)
    result = verify(ctx)
    assert not result.ok and "not this database's" in result.problems[0]


def test_the_key_may_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(keys.KEY_ENV, "cd" * 32)
    ctx = make(tmp_path, kind="production")
    write(ctx, 2)
    assert verify(ctx).ok
    assert not (state_dir() / "keys").exists()  # no file was needed
    monkeypatch.setenv(keys.KEY_ENV, "not hex")
    with pytest.raises(audit.AuditKeyError, match="hex"):
        write(ctx)


def _legacy_chain(ctx, n: int) -> None:
    """Events as an older collectui wrote them: plain SHA-256, no row digests, no key marker."""
    with ctx.db.raw_write() as raw:
        prev = GENESIS
        at = "2026-11-27T02:00:00.000000+00:00"
        for i in range(1, n + 1):
            h = digest(i, at, "cli", "old.thing", "thing", str(i), {"n": i}, prev)
            raw.execute(
                "INSERT INTO audit_event (id, at, actor, action, target_type, target_id, details, prev_hash, hash) "
                "VALUES (?, ?, 'cli', 'old.thing', 'thing', ?, ?, ?, ?)",
                (i, at, str(i), json.dumps({"n": i}), prev, h),
            )
            prev = h
        raw.execute("INSERT INTO meta (key, value) VALUES ('audit_head', ?)", (f"{n}:{prev}",))
        raw.execute(
            "INSERT INTO staff_user (username, display_name, role, password_hash, active, failed_logins, "
            "must_change_password, created_at) VALUES ('old', 'old', 'collector', 'x', 1, 0, 0, ?)",
            (at,),
        )


def test_an_older_unkeyed_chain_continues_keyed_from_a_marked_event(tmp_path):
    ctx = make(tmp_path)
    _legacy_chain(ctx, 5)
    result = verify(ctx)
    assert result.ok and result.keyed_from is None and "not keyed yet" in result.notes[0]
    write(ctx)
    result = verify(ctx)
    assert result.ok, result.problems
    assert result.keyed_from == 6  # 1-5 plain SHA-256, 6 the marker, then the baseline and the new event
    with ctx.db.raw_read() as raw:
        actions = [a for (a,) in raw.execute("SELECT action FROM audit_event WHERE id >= 6 ORDER BY id")]
    assert actions == ["audit.keyed", "audit.baseline", "thing.do"]
    # The rows that were there before the key are vouched for from then on.
    with ctx.db.raw_write() as raw:
        raw.execute("UPDATE staff_user SET role = 'admin' WHERE username = 'old'")
    assert any("staff_user username=old: changed" in p for p in verify(ctx).problems)


def test_moving_the_keyed_marker_is_caught(tmp_path):
    ctx = make(tmp_path)
    _legacy_chain(ctx, 3)
    write(ctx, 2)
    with ctx.db.raw_write() as raw:
        raw.execute("UPDATE meta SET value = '5' WHERE key = 'audit_keyed_from'")
    assert not verify(ctx).ok
    with ctx.db.raw_write() as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'audit_keyed_from'")
    assert any("events deleted" in p for p in verify(ctx).problems)


def test_time_never_goes_back_on_production(tmp_path):
    audit_ctx = make(tmp_path, kind="production")
    audit.provision_key(audit_ctx.db)
    write(audit_ctx)
    clock = audit_ctx.clock
    assert isinstance(clock, FixedClock)
    clock.advance(-timedelta(minutes=1))  # two PCs' clocks a little apart: stamped at the head's time
    write(audit_ctx)
    with audit_ctx.db.raw_read() as raw:
        first, second = (t for (t,) in raw.execute("SELECT at FROM audit_event ORDER BY id"))
    assert first == second
    clock.advance(-timedelta(hours=1))  # COLLECTUI_NOW, or a clock set back by hand
    with pytest.raises(audit.AuditClockError, match="earlier than the last audit event"):
        write(audit_ctx)
    assert verify(audit_ctx).ok and verify(audit_ctx).events == 2


def test_a_test_database_may_move_its_clock_back_and_verify_notes_it(tmp_path):
    ctx = make(tmp_path)
    write(ctx)
    ctx.clock.advance(-timedelta(days=1))
    write(ctx)
    result = verify(ctx)
    assert result.ok and "earlier than the event before it" in result.notes[0]


def test_anchor_is_checked_and_malformed_anchors_are_refused(tmp_path):
    ctx = make(tmp_path)
    write(ctx, 4)
    with ctx.db.read() as s:
        kept = audit.anchor(s)
    assert kept.startswith("4:") and verify(ctx, kept).ok
    write(ctx)
    assert verify(ctx, kept).ok  # later events do not disturb an older anchor
    forged = kept[:-1] + ("0" if kept[-1] != "0" else "1")
    assert "differs from the anchor" in verify(ctx, forged).problems[0]
    from collectui.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="SEQ:DIGEST"):
        verify(ctx, "4:abc")
