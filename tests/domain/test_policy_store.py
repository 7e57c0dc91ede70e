"""Policy versions in the database: applied (admins), in force, checked again when read; every call, refusal
and SMS audit event carries the version it ran under; the compliance report lists the changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from collectui.domain.calls.record import CallInput, log_call, start_call
from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.policy import Policy
from collectui.domain.policy_store import (
    StoredPolicyInvalid,
    active_policy,
    apply_policy,
    changed_keys,
    history,
    latest,
    sha256_of,
    version,
)
from collectui.domain.reports import compliance
from collectui.domain.reports.common import Params
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.gateway_file import FileGateway
from collectui.domain.staff.actor import Actor
from collectui.storage.models import AuditEvent, StaffUser
from tests.support.calls import RPC_CHECKS, seed
from tests.support.sms import add_borrowers

ADMIN = Actor(name="root", role="admin", branch=None, user_id=None, via="system")
STRICT = "[rules.daily_attempts]\nmax = 4\n"


def person(ctx, username: str) -> Actor:
    with ctx.db.read() as s:
        user = s.exec(select(StaffUser).where(StaffUser.username == username)).one()
        return Actor(name=user.username, role=user.role, branch="东城支行", user_id=user.id, via="session")


def events(ctx, *actions: str) -> list[AuditEvent]:
    with ctx.db.read() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).all()
        return list(rows)


def in_force(ctx) -> None:
    """What the CLI does when it builds its context: the stored policy and its version."""
    ctx.policy, ctx.policy_version = active_policy(ctx.db)


def test_nothing_applied_is_the_defaults_at_version_0(ctx):
    policy, number = active_policy(ctx.db)
    assert number == 0 and policy.data == Policy().data
    assert latest(ctx.db) is None and history(ctx.db) == []


def test_apply_stores_each_version_whole_and_audits_it(ctx):
    first = apply_policy(ctx, ADMIN, STRICT, "  after the audit  ", "strict.toml")
    assert (first.version, first.applied_by, first.reason) == (1, "root", "after the audit")
    assert first.sha256 == sha256_of(STRICT) and first.applied_at == ctx.clock.now()
    second = apply_policy(ctx, ADMIN, "[promises]\ngrace_days = 1\n", "grace", "g.toml")
    assert second.version == 2
    policy, number = active_policy(ctx.db)
    assert number == 2 and policy["promises.grace_days"] == 1 and policy["rules.daily_attempts.max"] == 6
    assert version(ctx.db, 1) == first and [h.version for h in history(ctx.db)] == [1, 2]
    stored = version(ctx.db, 1)
    assert stored is not None and stored.content == STRICT
    (one, two) = events(ctx, "policy.apply")
    assert one.target_id == "1" and one.actor == "root"
    assert one.details == {
        "policy": 1,
        "previous": 0,
        "sha256": sha256_of(STRICT),
        "reason": "after the audit",
        "changed": ["rules.daily_attempts.max"],
    }
    assert two.details["previous"] == 1
    assert set(two.details["changed"]) == {"rules.daily_attempts.max", "promises.grace_days"}


def test_apply_refuses_and_stores_nothing(ctx):
    seed(ctx)
    with pytest.raises(PermissionDenied):
        apply_policy(ctx, person(ctx, "sue"), STRICT, "why", "p.toml")
    with pytest.raises(InvalidInput, match="--reason"):
        apply_policy(ctx, ADMIN, STRICT, " ", "p.toml")
    with pytest.raises(InvalidInput, match="--reason: must not hold control characters"):
        apply_policy(ctx, ADMIN, STRICT, "ok\x1b[2J", "p.toml")
    with pytest.raises(InvalidInput) as info:
        apply_policy(
            ctx, ADMIN, "[rules.daily_attempts]\nmax = 7\n[rules.do_not_call]\nenabled = false\n", "r", "l.toml"
        )
    assert len(info.value.problems) == 2 and all("relaxes a floor" in p for p in info.value.problems)
    with pytest.raises(InvalidInput, match="not valid TOML"):
        apply_policy(ctx, ADMIN, "[rules", "r", "b.toml")
    assert history(ctx.db) == [] and events(ctx, "policy.apply") == []
    assert [e.details["permission"] for e in events(ctx, "access.denied")] == ["policy.apply"]


def test_a_stored_version_is_checked_again_when_read(ctx):
    apply_policy(ctx, ADMIN, STRICT, "ok", "p.toml")
    with ctx.db.raw_write() as raw:  # as if an older program had accepted it, or the row was edited
        raw.execute("UPDATE policy_version SET content = ? WHERE version = 1", ("[rules.daily_attempts]\nmax = 9\n",))
    with pytest.raises(StoredPolicyInvalid, match=r"policy version 1: rules\.daily_attempts\.max = 9 relaxes a floor"):
        active_policy(ctx.db)
    # An admin can still replace it.
    assert apply_policy(ctx, ADMIN, STRICT, "fixed", "p.toml").version == 2
    assert active_policy(ctx.db)[1] == 2


def test_changed_keys():
    before = Policy()
    after = Policy()
    after.data["rules"]["daily_attempts"]["max"] = 4
    assert changed_keys(before, after) == ["rules.daily_attempts.max"] and changed_keys(before, before) == []


def test_calls_and_refusals_carry_the_policy_version(ctx):
    seed(ctx)
    apply_policy(ctx, ADMIN, "[rules.sms_notice]\nenabled = false\n", "calls without the SMS rule", "p.toml")
    in_force(ctx)
    assert ctx.policy_version == 1
    amy = person(ctx, "amy")
    assert log_call(ctx, amy, CallInput(customer_id="C1", outcome="no_answer")).saved
    # A third party before the borrower was unreachable: refused by the gate.
    refused = log_call(ctx, amy, CallInput(customer_id="C1", contact="K1", outcome="no_answer"))
    assert not refused.saved and refused.reasons
    threat = CallInput(
        customer_id="C1",
        outcome="refuses_to_pay",
        checklist=RPC_CHECKS,
        recording_ref="r.wav",
        notes="再不还钱就让你坐牢",
    )
    assert not log_call(ctx, amy, threat).saved
    apply_policy(ctx, ADMIN, "[rules.sms_notice]\nenabled = false\n[promises]\ngrace_days = 1\n", "grace", "p.toml")
    in_force(ctx)
    started = start_call(ctx, amy, "C1")
    assert started.call_id is not None and started.gate.allowed
    promise = CallInput(
        customer_id="C1",
        outcome="promise_to_pay",
        checklist=RPC_CHECKS,
        recording_ref="r.wav",
        promise_amount="100",
        promise_date=(ctx.clock.today() + timedelta(days=3)).isoformat(),
    )
    assert log_call(ctx, amy, promise, started_call_id=started.call_id).saved
    seen = {e.action: e.details.get("policy") for e in events(ctx, *ACTIONS)}
    assert seen == {
        "call.log": 2,  # the last one, logged under version 2 (the first under 1: below)
        "call.refused": 1,
        "call.note_refused": 1,
        "call.start": 2,
        "call.unmask_number": 2,
        "promise.open": 2,
    }
    assert events(ctx, "call.log")[0].details["policy"] == 1


ACTIONS = ("call.log", "call.refused", "call.note_refused", "call.start", "call.unmask_number", "promise.open")


def test_sms_events_carry_the_policy_version(ctx, tmp_path):
    add_borrowers(ctx, 2)
    apply_policy(ctx, ADMIN, "[sms]\nresend_days = 2\n", "reminders every 2 days", "p.toml")
    in_force(ctx)
    planned = plan_svc.plan(ctx, ADMIN)
    assert len(planned.queued) == 2
    with ctx.db.raw_write() as raw:  # the borrower asked not to be called after planning: the send cancels it
        raw.execute("UPDATE customer SET do_not_call = 1 WHERE customer_id = ?", (planned.queued[0].customer_id,))
    send_svc.send(ctx, ADMIN, gateway=FileGateway(tmp_path / "outbox"))
    found = events(ctx, "sms.queue", "sms.plan", "sms.skip", "sms.sent", "sms.cancel")
    assert {e.action for e in found} >= {"sms.sent", "sms.cancel"}
    assert found and {e.details.get("policy") for e in found} == {1}


def test_compliance_lists_policy_changes_in_its_window(ctx):
    apply_policy(ctx, ADMIN, STRICT, "after the audit", "p.toml")
    ctx.clock.advance(timedelta(days=3))
    apply_policy(ctx, ADMIN, "[promises]\ngrace_days = 1\n", "shorter grace for 13912345678", "p.toml")
    day = ctx.clock.today()
    report = compliance.build(ctx, Params(date_from=day - timedelta(days=7), date_to=day))
    changes = report.data["policy_changes"]
    assert [(c["version"], c["by"]) for c in changes] == [(1, "root"), (2, "root")]
    assert changes[0]["at"] == "2026-11-28 10:00" and changes[0]["reason"] == "after the audit"
    assert "13912345678" not in changes[1]["reason"]  # reasons are shown scrubbed of personal data
    only_last = compliance.build(ctx, Params(date_from=day, date_to=day)).data["policy_changes"]
    assert [c["version"] for c in only_last] == [2]
    assert "policy_changes" in [s.name for s in report.sections]


def test_the_gate_judges_by_the_version_in_force(ctx):
    seed(ctx)
    apply_policy(ctx, ADMIN, "[rules.sms_notice]\nenabled = false\n[rules.daily_attempts]\nmax = 2\n", "2", "p.toml")
    in_force(ctx)
    amy = person(ctx, "amy")
    for _ in range(2):
        assert log_call(ctx, amy, CallInput(customer_id="C1", outcome="no_answer")).saved
    third = log_call(ctx, amy, CallInput(customer_id="C1", outcome="no_answer"))
    assert [r.rule for r in third.reasons] == ["daily_attempts"]
    assert events(ctx, "call.refused")[-1].details["policy"] == 1
