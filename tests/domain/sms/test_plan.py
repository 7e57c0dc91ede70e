"""Planning: one reminder per borrower of the day's list, every skip with its stable reason code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import policy_from_dict
from collectui.domain.sms import plan as plan_svc
from collectui.storage.models import AuditEvent, Promise, SmsMessage, SmsOptOut
from tests.support.sms import SUP, add_borrowers, add_message


def reasons(result):
    return {k.customer_id: k.reason for k in result.skipped}


def stored(ctx):
    with ctx.db.read() as s:
        return s.exec(select(SmsMessage)).all()


def test_each_reason_code(ctx):
    ids = add_borrowers(
        ctx, 9, do_not_call=[0], sms_opt_out=[1], phone_invalid=[2], dispute=[3], complaint=[4], landline=[5]
    )
    with ctx.db.write() as s:  # opted out by a TD reply: the phone is on the list, the flag is not set
        s.add(SmsOptOut(phone="13800000007", at=ctx.clock.now(), source="reply"))
    add_message(ctx, ids[7], "sent", ctx.clock.today() - timedelta(days=2), ctx.clock.now() - timedelta(days=2))
    result = plan_svc.plan(ctx, SUP)
    assert reasons(result) == {
        "C001": "do_not_call",
        "C002": "opted_out",
        "C003": "invalid_number",
        "C004": "dispute_hold",
        "C005": "complaint_hold",
        "C006": "not_mobile",
        "C007": "opted_out",
        "C008": "recent_reminder",
    }
    assert [q.customer_id for q in result.queued] == ["C009"]
    assert len(result.queued) + len(result.skipped) == 9  # every borrower of the list gets one line


def test_promise_pending_is_reported(ctx):
    add_borrowers(ctx, 2)
    with ctx.db.write() as s:
        s.add(
            Promise(
                customer_id="C001",
                made_at=ctx.clock.now(),
                amount_fen=100,
                due_date=ctx.clock.today() + timedelta(days=3),
            )
        )
    result = plan_svc.plan(ctx, SUP)
    assert reasons(result) == {"C001": "promise_pending"}


def test_preview_is_masked_and_text_rendered(ctx):
    add_borrowers(ctx, 1)
    result = plan_svc.plan(ctx, SUP)
    (q,) = result.queued
    assert q.phone == "138****0001"
    msg = stored(ctx)[0]
    assert msg.phone == "13800000001" and msg.state == "pending" and msg.text == q.text
    assert "李" not in q.text and "您的贷款已逾期" in q.text  # no name at all, not even masked (NAMES[1] 李秀英)
    assert "本行工作人员近日将致电您" in q.text  # the call that follows is announced
    assert "1,050.00" in q.text and "示例村镇银行" in q.text and "0000-00000000" in q.text
    assert (ctx.clock.today() - timedelta(days=20)).isoformat() in q.text


def test_limit_caps_queued_after_skips(ctx):
    add_borrowers(ctx, 5, do_not_call=[4])  # C005 is first in rank (most days past due) and skipped
    result = plan_svc.plan(ctx, SUP, limit=2)
    assert [q.customer_id for q in result.queued] == ["C004", "C003"]
    assert reasons(result) == {"C005": "do_not_call", "C002": "limit", "C001": "limit"}
    with pytest.raises(InvalidInput):
        plan_svc.plan(ctx, SUP, limit=-1)


def test_recent_reminder_window_edges(ctx):
    ids = add_borrowers(ctx, 4)
    today = ctx.clock.today()
    add_message(ctx, ids[0], "sent", today - timedelta(days=2), ctx.clock.now() - timedelta(days=2))  # within 3
    add_message(ctx, ids[1], "delivered", today - timedelta(days=3), ctx.clock.now() - timedelta(days=3))  # 3 ago
    add_message(ctx, ids[2], "failed", today - timedelta(days=1))  # never accepted: --retry-failed may send it
    add_message(ctx, ids[3], "failed", today - timedelta(days=1), ctx.clock.now() - timedelta(days=1))  # not delivered
    assert reasons(plan_svc.plan(ctx, SUP)) == {"C001": "recent_reminder", "C003": "recent_reminder"}


def test_planning_twice_queues_nothing_new(ctx):
    add_borrowers(ctx, 3)
    assert len(plan_svc.plan(ctx, SUP).queued) == 3
    again = plan_svc.plan(ctx, SUP)
    assert again.queued == [] and set(reasons(again).values()) == {"recent_reminder"}
    # Even with no resend gap a borrower never has two reminders waiting.
    ctx.policy = policy_from_dict({"sms": {"resend_days": 0}})
    assert plan_svc.plan(ctx, SUP).queued == []
    assert len(stored(ctx)) == 3


def test_every_queued_message_is_audited_without_personal_data(ctx):
    add_borrowers(ctx, 2)
    result = plan_svc.plan(ctx, SUP)
    with ctx.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action.in_(["sms.queue", "sms.plan"]))).all()
    assert sorted(e.target_id for e in events if e.action == "sms.queue") == sorted(q.message_id for q in result.queued)
    blob = repr([(e.target_id, e.details) for e in events])
    assert "1380000" not in blob and "李秀英" not in blob


def test_refused_template_stops_planning(ctx):
    add_borrowers(ctx, 1)
    ctx.policy = policy_from_dict({"sms": {"templates": {"zh": "{phone} 请还款"}}})
    with pytest.raises(InvalidInput, match="phone"):
        plan_svc.plan(ctx, SUP)
    assert stored(ctx) == []


def test_plan_for_another_day_uses_that_days_list(ctx):
    add_borrowers(ctx, 1, overdue_days=1)  # due yesterday
    before = ctx.clock.today() - timedelta(days=2)  # not yet overdue then
    assert plan_svc.plan(ctx, SUP, for_date=before).queued == []
    later = ctx.clock.today() + timedelta(days=1)
    (q,) = plan_svc.plan(ctx, SUP, for_date=later).queued
    assert stored(ctx)[0].planned_for == later
