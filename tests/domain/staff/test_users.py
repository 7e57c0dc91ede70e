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
        with pytest.raises(PermissionDenied, match="^wrong username or password$"):
            users.authenticate(ctx, "amy", "nope-nope")
    with pytest.raises(PermissionDenied, match="^wrong username or password; the account is now locked for 15 min$"):
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


def test_only_admins_manage_accounts(ctx):
    from tests.support.cli import add_staff

    sue = add_staff(ctx, "sue", "supervisor", "东城支行")
    with pytest.raises(PermissionDenied):
        users.add_user(ctx, sue, "mallory", "admin", None, "x12345678")
    with pytest.raises(PermissionDenied):
        users.set_password(ctx, sue, "sue", "another-one")
    with pytest.raises(PermissionDenied):
        users.list_users(ctx, sue)
    with pytest.raises(PermissionDenied):
        users.set_active(ctx, sue, "sue", False)
    assert [u.username for u in users.list_users(ctx, SYSTEM)] == ["sue"]


def test_a_password_an_admin_sets_must_be_changed(ctx):
    from tests.support.cli import add_staff

    root = add_staff(ctx, "root", "admin")
    add_staff(ctx, "amy", "collector", "东城支行")
    users.set_password(ctx, root, "amy", "temporary-1")
    assert users.authenticate(ctx, "amy", "temporary-1").must_change_password
    with pytest.raises(InvalidInput, match="differ"):
        users.change_own_password(ctx, "amy", "temporary-1", "temporary-1")
    with pytest.raises(PermissionDenied):  # the old password proves who asks
        users.change_own_password(ctx, "amy", "wrong-one", "my-own-secret")
    view = users.change_own_password(ctx, "amy", "temporary-1", "my-own-secret")
    assert not view.must_change_password
    assert not users.authenticate(ctx, "amy", "my-own-secret").must_change_password
    users.set_password(ctx, root, "root", "admins-own-1")  # one's own: no forced change
    assert not users.authenticate(ctx, "root", "admins-own-1").must_change_password


def test_deactivation_and_the_last_admin(ctx):
    from tests.support.cli import add_staff

    root = add_staff(ctx, "root", "admin")
    add_staff(ctx, "amy", "collector", "东城支行")
    with pytest.raises(InvalidInput, match="last active admin"):
        users.set_active(ctx, root, "root", False)
    users.set_active(ctx, root, "amy", False)
    with pytest.raises(PermissionDenied):
        users.authenticate(ctx, "amy", "password123")
    with pytest.raises(InvalidInput, match="already deactivated"):
        users.set_active(ctx, root, "amy", False)
    users.set_active(ctx, root, "amy", True)
    assert users.authenticate(ctx, "amy", "password123").active


def test_usernames_have_a_length_limit(ctx):
    with pytest.raises(InvalidInput, match="at most 32"):
        users.add_user(ctx, SYSTEM, "a" * 33, "admin", None, "long-enough")
    with pytest.raises(InvalidInput, match="letters"):
        users.add_user(ctx, SYSTEM, "amy smith", "admin", None, "long-enough")
    users.add_user(ctx, SYSTEM, "a" * 32, "admin", None, "long-enough")
