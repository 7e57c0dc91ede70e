"""The ways an operator with the database file tried to rewrite history, each caught.

The append-only triggers only stop an honest mistake: each test drops them with SQL, as an operator would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from collectui.domain import audit
from collectui.domain.audit.chain import GENESIS
from collectui.domain.errors import NotSignedIn
from collectui.domain.staff import logins, users
from collectui.storage.engine import Database
from tests.domain.audit.conftest import log, operator
from tests.support import calls
from tests.support.cli import SYSTEM


def check(ctx, anchor=None):
    with ctx.db.read() as s:
        return audit.verify(s, anchor=anchor)


def problems(ctx, anchor=None) -> str:
    result = check(ctx, anchor)
    assert not result.ok
    return "\n".join(result.problems)


def recompute_plain(conn: Any) -> None:
    """What an operator without the key can do: SHA-256 every event again and rewrite the head."""
    prev = GENESIS
    last = 0
    for row in conn.execute(
        "SELECT id, at, actor, action, target_type, target_id, details, row_digests FROM audit_event ORDER BY id"
    ).fetchall():
        event_id, at, actor, action, ttype, tid, details, found = row
        body = [event_id, at, actor, action, ttype, tid, json.loads(details), prev, json.loads(found or "{}")]
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        new = hashlib.sha256(text.encode()).hexdigest()
        conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, new, event_id))
        prev, last = new, event_id
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{last}:{prev}",))


def test_the_untouched_trail_verifies(trail):
    result = check(trail)
    assert result.ok, result.problems
    assert result.keyed_from == 1 and result.events > 60 and result.rows_checked >= 10


def test_1_edited_event(trail):
    conn = operator(trail)
    conn.execute("""UPDATE audit_event SET actor = 'bob' WHERE id = 5""")
    assert "event 5: content does not match its HMAC" in problems(trail)


def test_2_deleted_event_in_the_middle(trail):
    conn = operator(trail)
    conn.execute("DELETE FROM audit_event WHERE id = 7")
    assert "event 8: expected event 7 here" in problems(trail)


def test_3_last_50_deleted_and_head_rewritten(trail):
    assert calls_logged_after(trail)
    with trail.db.read() as s:
        kept = audit.anchor(s)  # the evening's anchor, kept on paper
    conn = operator(trail)
    last = conn.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    conn.execute("DELETE FROM audit_event WHERE id > ?", (last - 50,))
    new_last, new_hash = conn.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{new_last}:{new_hash}",))
    found = problems(trail, anchor=kept)
    assert f"anchor {kept.split(':')[0]}: no such event any more" in found
    # Without the anchor, the rows the removed events vouched for give it away.
    assert "call_attempt id=" in problems(trail) and "no audit event explains this row" in problems(trail)


def calls_logged_after(ctx) -> bool:
    """The 50 removed events include the day's last calls."""
    with ctx.db.write() as s:
        for i in range(50):
            audit.record(s, ctx.clock, "sue", "report.view", "report", f"late-{i}")
    for outcome in ("no_answer", "busy"):
        assert log(ctx, "C3", outcome).saved
    return True


def test_4_event_edited_and_chain_recomputed_without_the_key(trail):
    conn = operator(trail)
    conn.execute("""UPDATE audit_event SET details = '{"n": 1}' WHERE id = 10""")
    recompute_plain(conn)
    found = problems(trail)
    assert "event 1: content does not match its HMAC" in found and "event 10:" in found


def test_5_every_event_deleted(trail):
    conn = operator(trail)
    conn.execute("DELETE FROM audit_event")
    conn.execute("DELETE FROM meta WHERE key IN ('audit_head', 'audit_keyed_from', 'audit_key_check')")
    found = problems(trail)
    assert "has an audit key but no keyed event" in found
    assert "staff_user username=amy: no audit event explains this row" in found


def test_6_call_attempt_edited(trail):
    conn = operator(trail)
    conn.execute("UPDATE call_attempt SET outcome = 'busy', notes = 'edited' WHERE id = 1")
    assert "call_attempt id=1: changed after event" in problems(trail)


def test_7_call_attempt_deleted(trail):
    conn = operator(trail)
    conn.execute("DELETE FROM call_attempt WHERE id = 2")
    assert "call_attempt id=2: deleted, but event" in problems(trail)


def test_8_forged_admin_inserted(trail):
    conn = operator(trail)
    conn.execute(
        "INSERT INTO staff_user (username, display_name, role, password_hash, active, failed_logins, "
        "must_change_password, created_at) VALUES ('mallory', 'mallory', 'admin', 'x', 1, 0, 0, '2026-11-28T02:00:00.000000+00:00')"
    )
    assert "staff_user username=mallory: no audit event explains this row" in problems(trail)


def test_9_role_raised_with_sql(trail):
    conn = operator(trail)
    conn.execute("UPDATE staff_user SET role = 'admin' WHERE username = 'bob'")
    assert "staff_user username=bob: changed after event" in problems(trail)


def test_cleared_do_not_call_and_edited_promise(trail):
    assert log(trail, "C1", "cease_request", checklist=calls.RPC_CHECKS).saved
    assert check(trail).ok
    conn = operator(trail)
    conn.execute("UPDATE customer SET do_not_call = 0 WHERE customer_id = 'C1'")
    conn.execute("UPDATE promise SET amount_fen = 1 WHERE customer_id = 'C2'")
    found = problems(trail)
    assert "customer customer_id=C1: a flag event" in found
    assert "promise id=1: changed after event" in found


def test_a_promise_verdict_is_derived_not_an_edit(trail):
    """The evaluation rewrites a promise's status from the payments: not a change the trail vouches for."""
    conn = operator(trail)
    conn.execute("UPDATE promise SET status = 'broken', evaluated_on = '2026-12-08'")
    assert check(trail).ok


def user_id(ctx, username: str) -> int:
    with ctx.db.read() as s:
        return int(s.connection().exec_driver_sql("SELECT id FROM staff_user WHERE username = ?", (username,)).one()[0])


def test_10_forged_login_session_inserted(trail):
    """A session row with a secret hash its author knows would sign them in as anyone (here: sue)."""
    logins.start(trail, user_id(trail, "amy"))  # an honest session, vouched for
    conn = operator(trail)
    conn.execute(
        "INSERT INTO login_session (user_id, secret_hash, os_user, created_at, last_seen_at, expires_at) "
        "VALUES (?, ?, 'mallory', '2026-11-28T02:00:00.000000+00:00', '2026-11-28T02:00:00.000000+00:00', "
        "'2026-11-29T02:00:00.000000+00:00')",
        (user_id(trail, "sue"), logins.secret_hash("known to mallory")),
    )
    found = problems(trail)
    assert "login_session id=2: no audit event explains this row (inserted outside collectui)" in found
    assert "login_session id=1" not in found


def test_11_login_session_revived_or_extended(trail):
    logins.start(trail, user_id(trail, "amy"))
    assert logins.end(trail) == "amy"
    logins.start(trail, user_id(trail, "bob"))
    conn = operator(trail)
    conn.execute("UPDATE login_session SET revoked_at = NULL WHERE id = 1")
    conn.execute("UPDATE login_session SET expires_at = '2027-11-28T02:00:00.000000+00:00' WHERE id = 2")
    found = problems(trail)
    assert "login_session id=1: changed after event" in found
    assert "login_session id=2: changed after event" in found


def test_honest_sessions_verify(trail):
    """Sign-in, use, a sign-in that replaces one, logout, expiry (idle, and later), deactivation: every
    session row is vouched for; the last use (recorded or not) is not part of it."""
    amy, bob = user_id(trail, "amy"), user_id(trail, "bob")
    logins.start(trail, amy)
    trail.clock.advance(timedelta(minutes=5))
    logins.current(trail)  # its last use moves: not an edit
    logins.start(trail, bob)  # replaces amy's session on this OS account
    assert logins.end(trail) == "bob"
    logins.start(trail, amy)
    trail.clock.advance(timedelta(hours=2))
    with pytest.raises(NotSignedIn, match="idle"):
        logins.current(trail)
    logins.start(trail, amy)
    trail.clock.advance(timedelta(hours=13))
    with pytest.raises(NotSignedIn):
        logins.current(trail)
    logins.start(trail, bob)
    users.set_active(trail, SYSTEM, "bob", False)
    with pytest.raises(NotSignedIn, match="deactivated"):
        logins.current(trail)
    result = check(trail)
    assert result.ok, result.problems
    conn = operator(trail)
    assert conn.execute("SELECT count(*) FROM login_session WHERE revoked_at IS NOT NULL").fetchone()[0] == 5


@pytest.mark.sqlite_only  # an importer holding SQLite's one write lock, and a read-only database file
def test_sessions_used_without_recording_their_last_use_verify(trail):
    """On a read-only database, or while an import holds the write lock, a session is checked but neither its
    last use nor its end is written: the trail still vouches for it."""
    logins.start(trail, user_id(trail, "amy"))
    trail.clock.advance(timedelta(minutes=5))
    importer = sqlite3.connect(trail.db.path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # a long import
    try:
        assert logins.current(trail).actor.name == "amy"
        trail.clock.advance(timedelta(hours=1))
        with pytest.raises(NotSignedIn, match="idle"):  # refused, its end not written
            logins.current(trail)
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    readonly = Database(trail.db.path, read_only=True)
    try:
        later = dataclasses.replace(trail, db=readonly)
        with pytest.raises(NotSignedIn, match="idle"):
            logins.current(later)
        assert check(later).ok
    finally:
        readonly.dispose()
    trail.clock.advance(timedelta(hours=-1))
    assert logins.current(trail).actor.name == "amy"  # back within the idle time: its last use written now
    result = check(trail)
    assert result.ok, result.problems
