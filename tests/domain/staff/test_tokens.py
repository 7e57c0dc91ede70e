"""API tokens: created by admins only, the secret shown once and stored hashed, scope, expiry, revocation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from collectui.domain.errors import InvalidInput, NotSignedIn, PermissionDenied
from collectui.domain.staff import token_auth, tokens, users
from collectui.storage.models import ApiToken, AuditEvent, Branch
from tests.support.cli import SYSTEM, add_staff


def _create(ctx, name="dialler", role="collector", branch="东城支行", scopes=("check", "call.log"), days=30):
    if branch:  # a token names an existing branch
        with ctx.db.write() as s:
            users.get_or_create_branch(s, branch)
    return tokens.create(ctx, SYSTEM, name, role, branch, list(scopes), ctx.clock.now() + timedelta(days=days))


def test_the_secret_is_shown_once_and_stored_hashed(ctx):
    secret = _create(ctx)
    assert secret.startswith(tokens.SECRET_PREFIX) and len(secret) > 40
    with ctx.db.read() as s:
        row = s.exec(select(ApiToken)).one()
    assert secret not in (row.secret_hash, row.name, row.scopes)
    actor = token_auth.actor_for(ctx, secret)
    assert (actor.name, actor.role, actor.branch, actor.via) == ("token:dialler", "collector", "东城支行", "token")
    assert actor.scopes == frozenset({"check", "call.log"}) and actor.user_id is None
    [view] = tokens.list_tokens(ctx, SYSTEM)
    assert view.last_used_at is not None and not view.revoked


def test_expiry_and_revocation(ctx):
    secret = _create(ctx, days=1)
    ctx.clock.advance(timedelta(days=1, seconds=-1))
    token_auth.actor_for(ctx, secret)
    ctx.clock.advance(timedelta(seconds=1))
    with pytest.raises(NotSignedIn, match="expired"):
        token_auth.actor_for(ctx, secret)
    other = _create(ctx, name="nightly", role="admin", branch=None, scopes=("import",))
    tokens.revoke(ctx, SYSTEM, "nightly")
    with pytest.raises(NotSignedIn, match="revoked"):
        token_auth.actor_for(ctx, other)
    with pytest.raises(NotSignedIn, match="unknown"):
        token_auth.actor_for(ctx, "cut_guess")
    with pytest.raises(InvalidInput, match="already revoked"):
        tokens.revoke(ctx, SYSTEM, "nightly")
    with ctx.db.read() as s:
        refused = [e.details["why"] for e in s.exec(select(AuditEvent).where(AuditEvent.action == "token.refused"))]
    assert refused == ["expired", "revoked", "unknown"]


def test_only_admins_manage_tokens_and_inputs_are_checked(ctx):
    sue = add_staff(ctx, "sue", "supervisor", "东城支行")
    with pytest.raises(PermissionDenied):
        tokens.create(ctx, sue, "mine", "supervisor", "东城支行", ["sms"], ctx.clock.now() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        tokens.list_tokens(ctx, sue)
    with pytest.raises(InvalidInput, match="unknown scope"):
        _create(ctx, scopes=("check", "everything"))
    with pytest.raises(InvalidInput, match="needs --branch"):
        _create(ctx, branch=None)
    with pytest.raises(InvalidInput, match="future"):
        _create(ctx, days=0)
    with pytest.raises(InvalidInput, match="at most 32"):
        _create(ctx, name="x" * 33)
    _create(ctx)
    with pytest.raises(InvalidInput, match="already exists"):
        _create(ctx)
    assert tokens.parse_scopes(" check, call.log ,check") == ["call.log", "check"]
    with pytest.raises(InvalidInput):
        tokens.parse_scopes(" , ")


def test_a_token_names_an_existing_branch_and_scopes_within_its_role(ctx):
    _create(ctx)  # makes 东城支行
    with ctx.db.write() as s:
        users.get_or_create_branch(s, "河西支行")
    until = ctx.clock.now() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="^no branch 不存在; branches: 东城支行, 河西支行$"):
        tokens.create(ctx, SYSTEM, "t5", "collector", "不存在", ["check"], until)
    with pytest.raises(InvalidInput, match="^scope import is beyond the role collector$"):
        tokens.create(ctx, SYSTEM, "t6", "collector", "东城支行", ["import"], until)
    with pytest.raises(InvalidInput, match="scope sms is beyond the role trainer"):
        tokens.create(ctx, SYSTEM, "t7", "trainer", None, ["check", "sms"], until)
    # A family the role has a part of is within it: `call` gives a collector `call.log`.
    tokens.create(ctx, SYSTEM, "t8", "collector", "东城支行", ["call"], until)
    with ctx.db.read() as s:
        assert sorted(s.exec(select(ApiToken.name)).all()) == ["dialler", "t8"]
        assert len(s.exec(select(Branch)).all()) == 2  # nothing created by the refusals
