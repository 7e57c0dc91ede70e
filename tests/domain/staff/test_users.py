"""Staff users: lockout after five failures (audited), passwords and roles validated."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.staff import users
from tests.support.cli import SYSTEM


def test_lockout_after_five_failures(ctx):
    users.add_user(ctx, SYSTEM, "amy", "collector", "东城支行", "correct-horse")
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="wrong"):
            users.authenticate(ctx, "amy", "nope-nope")
    with pytest.raises(PermissionDenied, match="wrong"):
        users.authenticate(ctx, "amy", "nope-nope")
    with pytest.raises(PermissionDenied, match="locked; try again in 15 min"):
        users.authenticate(ctx, "amy", "correct-horse")
    with pytest.raises(PermissionDenied, match="wrong"):
        users.authenticate(ctx, "nobody", "whatever1")
    ctx.clock.advance(timedelta(minutes=15, seconds=1))
    assert users.authenticate(ctx, "amy", "correct-horse").role == "collector"
    with ctx.db.read() as s:
        actions = [r[0] for r in s.connection().execute(text("SELECT action FROM audit_event"))]
    assert "login.locked" in actions and "login.ok" in actions
    assert "login.refused_locked" in actions  # refusals are audited, not rolled back
    assert actions.count("login.fail") == 5  # four wrong passwords and the unknown user


def test_short_password_and_bad_role_refused(ctx):
    with pytest.raises(InvalidInput):
        users.add_user(ctx, SYSTEM, "bob", "collector", "b", "short")
    with pytest.raises(InvalidInput):
        users.add_user(ctx, SYSTEM, "bob", "boss", "b", "long-enough")
