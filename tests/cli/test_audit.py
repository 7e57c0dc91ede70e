"""`collectui audit verify|anchor|key` and the clock override through the CLI."""

from __future__ import annotations

import stat

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.audit import keys
from collectui.paths import state_dir
from collectui.storage.locate import database_at
from tests.support.cli import as_admin, db_arg
from tests.support.engines import drop_audit_guard, execute, rows

runner = CliRunner()
NOW = "2026-11-28T10:00:00+08:00"


def run(path, *args, now: str | None = NOW, env: dict[str, str] | None = None):
    return runner.invoke(build_app(), ["--db", str(path), *args], env={"COLLECTUI_NOW": now, **(env or {})})


def test_anchor_then_verify_with_it_and_removing_the_tail_is_caught(db):
    path = db_arg(db)
    as_admin(path)
    result = run(path, "audit", "anchor")
    assert result.exit_code == 0, result.output
    kept = result.stdout.strip()
    seq, digest = kept.split(":")
    assert seq.isdigit() and len(digest) == 64
    result = run(path, "audit", "verify", "--anchor", kept)
    assert result.exit_code == 0, result.output
    assert "keyed (HMAC) from event 1" in result.stdout and f"anchor {seq} holds" in result.stdout
    drop_audit_guard(path, "audit_event_no_delete")
    [(last,)] = rows(path, "SELECT max(id) FROM audit_event")
    execute(path, ("DELETE FROM audit_event WHERE id >= ?", (int(seq) - 1,)))
    [(new_last, new_hash)] = rows(path, "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1")
    execute(path, ("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{new_last}:{new_hash}",)))
    assert last >= int(seq)
    result = run(path, "audit", "verify", "--anchor", kept)
    assert result.exit_code == 1
    assert f"anchor {seq}: no such event any more" in result.stderr
    assert "audit trail BROKEN" in result.stderr


def test_anchor_of_a_broken_trail_is_refused(db):
    path = db_arg(db)
    as_admin(path)
    drop_audit_guard(path, "audit_event_no_update")
    execute(path, "UPDATE audit_event SET actor = 'x' WHERE id = 1")
    result = run(path, "audit", "anchor")
    assert result.exit_code == 1 and "no anchor printed" in result.stderr and result.stdout == ""


def test_a_malformed_anchor_is_one_line(db):
    path = db_arg(db)
    as_admin(path)
    # A bad option value is bad usage: exit 2, one line. Digits are ASCII digits ('²' is not 2).
    for bad in ("12:abc", "garbage", "²:" + "a" * 64, "٣:" + "a" * 64, "9" * 5000 + ":" + "a" * 64):
        result = run(path, "audit", "verify", "--anchor", bad)
        assert result.exit_code == 2 and "expected SEQ:DIGEST" in result.stderr, (bad[:10], result.output)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def _production(path: str) -> str:
    db = database_at(path)
    db.create_schema(kind="production")
    db.dispose()
    return path


def test_the_clock_override_is_refused_on_a_production_database(new_db_at):
    path = _production(new_db_at("p.db"))
    result = run(path, "audit", "verify")
    assert result.exit_code == 2
    assert "COLLECTUI_NOW is set: the clock override is refused on a production database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # A demo, practice or test database may move its clock.
    test_db = new_db_at("t.db")
    as_admin(test_db)
    assert run(test_db, "audit", "verify").exit_code == 0


def test_audit_key_creates_the_key_once_and_keys_the_chain(new_db_at, monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    keys.forget_cached_keys()
    path = _production(new_db_at("p.db"))
    first = run(path, "audit", "key", now=None)
    assert first.exit_code == 0, first.output
    files = list((state_dir() / "keys").glob("*.key"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    content = files[0].read_text()
    again = run(path, "audit", "key", now=None)
    assert again.exit_code == 0 and files[0].read_text() == content  # never replaced
    actions = [a for (a,) in rows(path, "SELECT action FROM audit_event ORDER BY id")]
    [(keyed_from,)] = rows(path, "SELECT value FROM meta WHERE key = 'audit_keyed_from'")
    assert actions == ["audit.key", "audit.key"] and keyed_from == "1"
    keys.forget_cached_keys()
