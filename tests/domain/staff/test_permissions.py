"""The role matrix, token scopes, branch binding, and ``authorize``: refusals raise and are audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

from collectui.domain.errors import PermissionDenied
from collectui.domain.staff import permissions as perm
from collectui.domain.staff.actor import Actor, system_actor, token_actor
from collectui.storage.models import AuditEvent


def person(role: str, branch: str | None = "东城支行") -> Actor:
    return Actor(name=f"a-{role}", role=role, branch=branch, user_id=7, via="session")


def test_the_matrix_of_a_village_bank():
    assert perm.may(person("collector"), "call.log") and not perm.may(person("collector"), "unmask")
    assert perm.may(person("trainer"), "check") and not perm.may(person("trainer"), "report.read")
    assert perm.may(person("supervisor"), "complaint.clear_hold") and perm.may(person("supervisor"), "unmask")
    assert not perm.may(person("supervisor"), "users.manage") and not perm.may(person("supervisor"), "import")
    assert all(perm.may(person("admin", None), p) for p in perm.PERMISSIONS)
    assert not perm.may(person("boss"), "queue.read")  # an unknown role may nothing
    with pytest.raises(ValueError):
        perm.may(person("admin"), "launch.rockets")


def test_token_scopes_narrow_the_role_and_name_families():
    dialler = token_actor("dialler", "collector", "东城支行", frozenset({"check", "call"}))
    assert perm.may(dialler, "check") and perm.may(dialler, "call.log")
    assert not perm.may(dialler, "call.late_entry")  # in the family, but not the role's
    assert not perm.may(dialler, "queue.read")
    assert perm.check_scopes(["check", "call", "sms.send"]) == []
    assert [str(p) for p in perm.check_scopes(["calls", "c"])] == ["unknown scope 'calls'", "unknown scope 'c'"]


def test_branch_binding():
    assert perm.branch_allowed(person("collector"), "东城支行")
    assert not perm.branch_allowed(person("collector"), "河西支行")
    assert not perm.branch_allowed(person("supervisor"), "河西支行")
    assert not perm.branch_allowed(person("collector", None), "东城支行")  # bound to no branch: none
    assert perm.branch_allowed(person("trainer"), "河西支行") and perm.branch_allowed(person("admin"), "河西支行")
    assert not perm.branch_allowed(token_actor("t", "admin", "东城支行", frozenset({"import"})), "河西支行")
    assert perm.branch_allowed(person("collector"), None)  # not about a branch


def test_authorize_refusals_are_audited_and_committed(ctx):
    perm.authorize(ctx, person("supervisor"), "unmask", branch="东城支行")
    perm.authorize(ctx, system_actor("system:test"), "users.manage")
    with pytest.raises(PermissionDenied, match="a collector may not do this"):
        perm.authorize(ctx, person("collector"), "unmask", branch="东城支行")
    with pytest.raises(PermissionDenied, match="branch"):
        perm.authorize(ctx, person("supervisor"), "unmask", branch="河西支行")
    with pytest.raises(PermissionDenied, match="scope"):
        perm.authorize(ctx, token_actor("t", "admin", None, frozenset({"import"})), "users.manage")
    with ctx.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [(e.actor, e.target_id, e.details["why"]) for e in events] == [
        ("a-collector", "unmask", "role"),
        ("a-supervisor", "unmask", "branch"),
        ("token:t", "users.manage", "scope"),
    ]
    assert events[1].details["branch"] == "河西支行"
    assert {e.details["policy"] for e in events} == {0}  # the built-in defaults


def test_a_refusal_names_the_policy_version_in_force(ctx):
    ctx.policy_version = 3
    with pytest.raises(PermissionDenied):
        perm.authorize(ctx, person("collector"), "users.manage")
    with ctx.db.read() as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert event.details["policy"] == 3 and event.details["permission"] == "users.manage"


def test_reading_scope_keeps_bound_readers_on_their_branch(ctx):
    assert perm.reading_scope(ctx, person("collector"), "queue.read", None) == "东城支行"
    assert perm.reading_scope(ctx, person("admin", None), "queue.read", None) is None
    assert perm.reading_scope(ctx, person("admin", None), "queue.read", "河西支行") == "河西支行"
    assert perm.reading_scope(ctx, person("collector", None), "queue.read", None) == perm.NO_BRANCH
    with pytest.raises(PermissionDenied):
        perm.reading_scope(ctx, person("collector"), "queue.read", "河西支行")
