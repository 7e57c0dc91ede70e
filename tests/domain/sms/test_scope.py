"""Branch scope of reminders: a branch supervisor plans, lists, counts and sends their branch's only; an
admin every branch's or one named; naming another branch is refused and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from collectui.domain.errors import PermissionDenied
from collectui.domain.sms import messages
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.gateway_file import FileGateway
from collectui.domain.staff.actor import Actor
from collectui.storage.models import AuditEvent, Branch, Customer, SmsMessage
from tests.support.clock import TZ
from tests.support.sms import SUP, add_borrowers

HEXI = "河西支行"
ADMIN = Actor(name="root", role="admin", branch=None, user_id=None, via="session")
HEXI_SUP = Actor(name="hx", role="supervisor", branch=HEXI, user_id=None, via="session")
NOBODY_S = Actor(name="lost", role="supervisor", branch=None, user_id=None, via="session")
OURS, THEIRS = {"C001", "C002", "C003"}, {"C004", "C005"}


@pytest.fixture
def two(ctx):
    """C001-C003 of 城关支行 (SUP's), C004-C005 of 河西支行."""
    add_borrowers(ctx, 5)
    with ctx.db.write() as s:
        hexi = Branch(name=HEXI)
        s.add(hexi)
        s.flush()
        for cid in THEIRS:
            s.get(Customer, cid).branch_id = hexi.id
    return ctx


def customers_of(ctx, message_ids) -> set[str]:
    with ctx.db.read() as s:
        rows = s.exec(select(SmsMessage).where(SmsMessage.message_id.in_(list(message_ids)))).all()
        return {m.customer_id for m in rows}


def states(ctx) -> dict[str, str]:
    with ctx.db.read() as s:
        return {m.customer_id: m.state for m in s.exec(select(SmsMessage)).all()}


def denied(ctx) -> list[dict]:
    with ctx.db.read() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
        return [{"actor": e.actor, "permission": e.target_id, **e.details} for e in rows]


def at(hour: int) -> datetime:
    return datetime(2026, 11, 28, hour, 0, tzinfo=TZ)


def test_a_branch_supervisor_plans_their_branch_only(two):
    mine = plan_svc.plan(two, SUP)
    assert mine.branch == "城关支行"
    assert {q.customer_id for q in mine.queued} == OURS and mine.skipped == []
    assert set(states(two)) == OURS
    # The admin plans every branch: the other branch's borrowers now; ours already have one waiting.
    everyone = plan_svc.plan(two, ADMIN)
    assert everyone.branch is None
    assert {q.customer_id for q in everyone.queued} == THEIRS
    assert {k.customer_id: k.reason for k in everyone.skipped} == dict.fromkeys(OURS, "recent_reminder")


def test_another_day_is_scoped_too(two):
    later = plan_svc.plan(two, HEXI_SUP, for_date=two.clock.today() + timedelta(days=3))
    assert {q.customer_id for q in later.queued} == THEIRS and later.branch == HEXI


def test_an_admin_may_name_one_branch(two):
    result = plan_svc.plan(two, ADMIN, branch=HEXI)
    assert {q.customer_id for q in result.queued} == THEIRS
    assert [v.customer_id for v in messages.list_messages(two, actor=ADMIN, branch="城关支行")] == []


def test_naming_another_branch_is_refused_and_audited(two):
    plan_svc.plan(two, ADMIN)
    before = states(two)
    with pytest.raises(PermissionDenied, match="acts for branch 城关支行 only"):
        plan_svc.plan(two, SUP, branch=HEXI)
    with pytest.raises(PermissionDenied):
        send_svc.send(two, SUP, branch=HEXI, gateway=FileGateway(two.db.path.parent / "out"))
    with pytest.raises(PermissionDenied):
        messages.list_messages(two, actor=SUP, branch=HEXI)
    with pytest.raises(PermissionDenied):
        messages.counts_by_state(two, actor=SUP, branch=HEXI)
    assert states(two) == before
    assert [(d["actor"], d["permission"], d["why"], d["branch"]) for d in denied(two)] == [
        ("sup", "sms.plan", "branch", HEXI),
        ("sup", "sms.send", "branch", HEXI),
        ("sup", "sms.plan", "branch", HEXI),
        ("sup", "sms.plan", "branch", HEXI),
    ]
    # Their own branch by name is theirs.
    assert {v.customer_id for v in messages.list_messages(two, actor=SUP, branch="城关支行")} == OURS


def test_listing_and_counts_are_scoped(two):
    plan_svc.plan(two, ADMIN)
    assert {v.customer_id for v in messages.list_messages(two, actor=SUP)} == OURS
    assert {v.customer_id for v in messages.list_messages(two, actor=HEXI_SUP)} == THEIRS
    assert {v.customer_id for v in messages.list_messages(two, actor=ADMIN)} == OURS | THEIRS
    assert messages.counts_by_state(two, actor=SUP)["pending"] == 3
    assert messages.counts_by_state(two, actor=HEXI_SUP)["pending"] == 2
    assert messages.counts_by_state(two, actor=ADMIN)["pending"] == 5


def test_a_supervisor_of_no_branch_sees_and_plans_nothing(two):
    plan_svc.plan(two, ADMIN)
    result = plan_svc.plan(two, NOBODY_S)
    assert result.queued == [] and result.skipped == [] and result.branch == ""
    assert messages.list_messages(two, actor=NOBODY_S) == []
    assert sum(messages.counts_by_state(two, actor=NOBODY_S).values()) == 0


def test_a_branch_supervisor_sends_their_branch_only(two, tmp_path):
    plan_svc.plan(two, ADMIN)
    with two.db.write() as s:  # changed since planning: the other branch's run must cancel it, not ours
        s.get(Customer, "C005").do_not_call = True
    two.clock.current = at(7)
    early = send_svc.send(two, SUP, at=at(7), gateway=FileGateway(tmp_path))
    assert not early.in_window and early.due == 3 and customers_of(two, [m for m, _ in early.pending]) == OURS

    two.clock.current = at(9)
    mine = send_svc.send(two, SUP, at=at(9), gateway=FileGateway(tmp_path / "out"))
    assert mine.branch == "城关支行" and mine.due == 3 and mine.cancelled == []
    assert customers_of(two, mine.accepted) == OURS
    batch = next((tmp_path / "out").glob("*.csv")).read_text(encoding="utf-8")
    assert "13800000004" not in batch and "13800000005" not in batch and "13800000001" in batch
    assert states(two) == {**dict.fromkeys(OURS, "sent"), "C004": "pending", "C005": "pending"}

    theirs = send_svc.send(two, HEXI_SUP, at=at(9), gateway=FileGateway(tmp_path / "out"))
    assert customers_of(two, theirs.accepted) == {"C004"}
    assert [reason for _m, reason in theirs.cancelled] == ["do_not_call"]


def test_retry_failed_requeues_the_own_branch_only(two, tmp_path):
    plan_svc.plan(two, ADMIN)
    with two.db.write() as s:
        for m in s.exec(select(SmsMessage).where(SmsMessage.customer_id.in_(["C001", "C004"]))).all():
            m.state, m.last_error = "failed", "HTTP 500"
    two.clock.current = at(9)
    result = send_svc.send(two, SUP, at=at(9), retry_failed=True, gateway=FileGateway(tmp_path))
    assert result.requeued == 1 and customers_of(two, result.accepted) == OURS
    assert states(two)["C004"] == "failed" and states(two)["C005"] == "pending"


def test_the_plan_event_names_the_branch(two):
    plan_svc.plan(two, SUP)
    with two.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "sms.plan")).one()
        assert event.details["branch"] == "城关支行"
