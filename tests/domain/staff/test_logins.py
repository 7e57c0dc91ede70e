"""CLI login sessions: bound to the database and the OS user's private file, idle and absolute expiry from
the policy, ended by logout and by deactivation."""

from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest
from sqlmodel import select

from collectui.domain.errors import NotSignedIn
from collectui.domain.policy import policy_from_dict
from collectui.domain.staff import logins, users
from collectui.storage.engine import Database
from collectui.storage.models import AuditEvent, LoginSession
from tests.support.cli import SYSTEM, add_staff


@pytest.fixture
def amy(ctx):
    return add_staff(ctx, "amy", "collector", "东城支行")


def _actions(ctx) -> list[str]:
    with ctx.db.read() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_a_session_acts_as_its_user_and_keeps_only_a_hash(ctx, amy):
    info = logins.start(ctx, amy.user_id)
    assert (info.actor.name, info.actor.role, info.actor.branch, info.actor.via) == (
        "amy",
        "collector",
        "东城支行",
        "session",
    )
    path = logins.session_file(logins.database_id(ctx))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = json.loads(path.read_text())["secret"]
    with ctx.db.read() as s:
        row = s.exec(select(LoginSession)).one()
    assert row.secret_hash == logins.secret_hash(secret) and secret not in row.secret_hash
    assert logins.current(ctx).actor == info.actor
    assert "session.start" in _actions(ctx)


def test_idle_expiry_at_the_policy_minutes(ctx, amy):
    logins.start(ctx, amy.user_id)
    ctx.clock.advance(timedelta(minutes=29, seconds=59))
    logins.current(ctx)  # used: the idle clock starts again
    ctx.clock.advance(timedelta(minutes=29, seconds=59))
    logins.current(ctx)
    ctx.clock.advance(timedelta(minutes=30))
    with pytest.raises(NotSignedIn, match="idle too long"):
        logins.current(ctx)
    with pytest.raises(NotSignedIn, match="collectui login"):  # and it stays over
        logins.current(ctx)
    assert "session.expired" in _actions(ctx)


def test_absolute_expiry_even_when_used(ctx, amy):
    ctx.policy = policy_from_dict({"sessions": {"idle_minutes": 120, "absolute_hours": 2}})
    logins.start(ctx, amy.user_id)
    for _ in range(3):
        ctx.clock.advance(timedelta(minutes=39))
        logins.current(ctx)
    ctx.clock.advance(timedelta(minutes=2, seconds=59))
    logins.current(ctx)  # 1 h 59 min 59 s after sign-in
    ctx.clock.advance(timedelta(seconds=1))
    with pytest.raises(NotSignedIn, match="reached its end"):
        logins.current(ctx)


def test_logout_revokes_and_deletes_the_file(ctx, amy):
    logins.start(ctx, amy.user_id)
    path = logins.session_file(logins.database_id(ctx))
    secret = json.loads(path.read_text())["secret"]
    assert logins.end(ctx) == "amy"
    assert not path.exists()
    path.write_text(json.dumps({"secret": secret}))  # a copy kept from before is worth nothing
    with pytest.raises(NotSignedIn):
        logins.current(ctx)
    assert logins.end(ctx) is None


def test_deactivation_ends_the_session_at_once(ctx, amy):
    logins.start(ctx, amy.user_id)
    users.set_active(ctx, SYSTEM, "amy", False)
    with pytest.raises(NotSignedIn):
        logins.current(ctx)
    with ctx.db.read() as s:
        assert s.exec(select(LoginSession)).one().revoked_at is not None
    users.set_active(ctx, SYSTEM, "amy", True)
    with pytest.raises(NotSignedIn):  # reactivation does not revive it: sign in again
        logins.current(ctx)


def test_a_session_is_bound_to_its_database(ctx, amy, tmp_path):
    logins.start(ctx, amy.user_id)
    other = Database(tmp_path / "other.db")
    other.create_schema()
    try:
        from collectui.domain.context import Ctx

        with pytest.raises(NotSignedIn):
            logins.current(Ctx(other, ctx.clock, ctx.policy))
    finally:
        other.dispose()
    logins.current(ctx)


def test_a_new_login_replaces_the_previous_one(ctx, amy):
    logins.start(ctx, amy.user_id)
    bob = add_staff(ctx, "bob", "supervisor", "东城支行")
    logins.start(ctx, bob.user_id)
    assert logins.current(ctx).actor.name == "bob"
    with ctx.db.read() as s:
        rows = s.exec(select(LoginSession).order_by(LoginSession.id)).all()
    assert [r.revoked_at is not None for r in rows] == [True, False]
