"""Disputes: opened by a call with a reason and a due day, resolved by a supervisor only, the hold lifting at
once (the gate and the work list), the dispute_answer SMS, every change audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from collectui.domain.audit import verify
from collectui.domain.calls.record import check_call
from collectui.domain.cases import disputes as svc
from collectui.domain.cases.dispute_answer import check_answer_template
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio.refresh import refresh
from collectui.domain.privacy.masking import mask_name
from tests.support.calls import at, calls_policy, log, seed
from tests.support.cli import actor_of
from tests.support.clock import TZ


@pytest.fixture
def bank(ctx):
    """C1 and C2 of branch 东城支行 (collectors amy, bob; supervisor sue), SMS notice off; C1 disputes its debt."""
    ctx.policy = calls_policy()
    seed(ctx, customers=2)
    refresh(ctx)
    result = log(ctx, "amy", "dispute", when=at(28, 9), dispute_reason="amount_wrong")
    assert result.saved, result
    return ctx


def _rows(ctx, sql, *params):
    with ctx.db.raw_read() as raw:  # the database's own connection: the same test on either engine
        return [tuple(row) for row in raw.execute(sql, params).fetchall()]


def _verified(ctx) -> bool:
    with ctx.db.raw_read() as raw:
        result = verify(raw)
    assert result.ok, result
    return True


def _events(ctx, action):
    return _rows(ctx, "SELECT actor, target_type, target_id, details FROM audit_event WHERE action = ?", action)


def test_a_dispute_call_opens_it_with_its_reason_and_due_day(bank):
    [view] = svc.list_disputes(bank, actor_of(bank, "sue"))
    assert view.status == "open" and view.reason_code == "amount_wrong"
    assert view.opened_on == date(2026, 11, 28)
    assert view.due_on == date(2026, 12, 13)  # opening day + disputes.answer_days (15)
    assert view.days_left == 15 and not view.overdue and view.in_time is None
    assert view.name == mask_name("李四") and view.opened_by == "amy"


def test_overdue_the_day_after_the_due_day(bank, clock):
    clock.current = datetime(2026, 12, 13, 23, 59, tzinfo=TZ)
    assert not svc.list_disputes(bank, actor_of(bank, "sue"))[0].overdue  # the due day is in time
    clock.current = datetime(2026, 12, 14, 8, 0, tzinfo=TZ)
    [late] = svc.list_disputes(bank, actor_of(bank, "sue"), status="overdue")
    assert late.overdue and late.days_left == -1
    with bank.db.raw_read() as raw:
        assert svc.overdue_count(raw, bank.policy, clock.today()) == (1, 1)
        assert svc.overdue_count(raw, bank.policy, clock.today(), "西城支行") == (0, 0)


def test_the_policy_sets_the_due_day(ctx):
    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}, "disputes": {"answer_days": 30}})
    opened = datetime(2026, 11, 28, 23, 30, tzinfo=TZ)  # 15:30 UTC: the opening day is the local day
    assert svc.answer_due(opened, ctx.policy) == date(2026, 12, 28)


def test_a_collector_cannot_resolve_and_the_refusal_is_audited(bank):
    with pytest.raises(PermissionDenied):
        svc.resolve_dispute(bank, actor_of(bank, "amy"), 1, upheld=True, reason="核实无误")
    [(actor, _t, permission, _d)] = _events(bank, "access.denied")
    assert (actor, permission) == ("amy", "dispute.resolve")
    assert svc.list_disputes(bank, actor_of(bank, "sue"))[0].status == "open"


def test_the_hold_lifts_on_resolution_not_before(bank, clock):
    sue, amy = actor_of(bank, "sue"), actor_of(bank, "amy")
    refused = check_call(bank, amy, "C1")
    assert "dispute_hold" in [r.rule for r in refused.reasons]
    assert _rows(bank, "SELECT callable, blocked_reason FROM work_item WHERE customer_id = 'C1'") == [
        (0, "dispute_hold")
    ]
    clock.current = at(28, 11)
    result = svc.resolve_dispute(bank, sue, 1, upheld=True, reason="利息多算了 120 元，已更正")
    assert result.status == "resolved_upheld" and not result.late and result.sms_message_id is None
    assert check_call(bank, amy, "C1").allowed  # nothing else holds C1: the gate lets the call through
    # The work list follows in the same transaction, not at the next refresh.
    [(callable_, blocked)] = _rows(bank, "SELECT callable, blocked_reason FROM work_item WHERE customer_id = 'C1'")
    assert blocked != "dispute_hold"
    [view] = svc.list_disputes(bank, sue, status="resolved")
    assert view.resolution == "利息多算了 120 元，已更正" and view.resolved_by == "sue" and view.in_time
    [(actor, target_type, target_id, details)] = _events(bank, "dispute.resolve")
    assert (actor, target_type, target_id) == ("sue", "dispute", "1")
    assert '"to": "resolved_upheld"' in details and '"late": false' in details
    assert _verified(bank)


def test_only_an_open_dispute_is_resolved(bank):
    sue = actor_of(bank, "sue")
    svc.resolve_dispute(bank, sue, 1, upheld=False, reason="还款记录核对无误")
    with pytest.raises(InvalidInput, match="resolved_rejected"):
        svc.resolve_dispute(bank, sue, 1, upheld=True, reason="再次核实")
    with pytest.raises(NotFound):
        svc.resolve_dispute(bank, sue, 99, upheld=True, reason="x")


def test_a_reason_is_required_checked_and_masked(bank):
    sue = actor_of(bank, "sue")
    with pytest.raises(InvalidInput, match="reason"):
        svc.resolve_dispute(bank, sue, 1, upheld=True, reason="  ")
    with pytest.raises(InvalidInput, match="not allowed"):
        svc.resolve_dispute(bank, sue, 1, upheld=False, reason="老赖，后果自负")
    svc.resolve_dispute(bank, sue, 1, upheld=False, reason="已电话 13812345678 告知")
    assert "13812345678" not in svc.list_disputes(bank, sue)[0].resolution


def test_when_it_was_resolved(bank, clock):
    sue = actor_of(bank, "sue")
    with pytest.raises(InvalidInput, match="future"):
        svc.resolve_dispute(bank, sue, 1, upheld=True, reason="x", at=clock.now() + timedelta(hours=1))
    with pytest.raises(InvalidInput, match="before the dispute"):
        svc.resolve_dispute(bank, sue, 1, upheld=True, reason="x", at=at(27, 9))
    clock.current = datetime(2026, 12, 20, 10, 0, tzinfo=TZ)
    result = svc.resolve_dispute(bank, sue, 1, upheld=True, reason="核实后更正")
    assert result.late
    view = svc.list_disputes(bank, sue)[0]
    assert view.in_time is False and not view.overdue and view.days_left == -7


def test_rejected_and_told_by_sms_queues_the_dispute_answer_without_the_name(bank):
    sue = actor_of(bank, "sue")
    result = svc.resolve_dispute(bank, sue, 1, upheld=False, reason="还款记录核对无误", told_by="sms")
    assert result.status == "resolved_rejected" and result.sms_message_id
    [(text, state, planned, phone)] = _rows(
        bank, "SELECT text, state, planned_for, phone FROM sms_message WHERE message_id = ?", result.sms_message_id
    )
    assert state == "pending" and planned == "2026-11-28" and phone == "13812340001"
    assert text == result.sms_text and "2026-11-28" in text
    assert mask_name("李四") not in text and "李" not in text
    [(_a, _t, _id, details)] = _events(bank, "sms.queue")
    assert '"template": "dispute_answer"' in details
    assert svc.list_disputes(bank, sue)[0].told_by == "sms"
    assert _verified(bank)


def test_told_by_sms_is_refused_when_no_sms_can_reach_the_borrower(bank):
    with bank.db.raw_write() as raw:
        raw.execute("UPDATE customer SET sms_opt_out = 1 WHERE customer_id = 'C1'")
    with pytest.raises(InvalidInput, match="opted out.*letter"):
        svc.resolve_dispute(bank, actor_of(bank, "sue"), 1, upheld=False, reason="核对无误", told_by="sms")
    assert svc.list_disputes(bank, actor_of(bank, "sue"))[0].status == "open"  # nothing written
    with pytest.raises(InvalidInput, match="told_by"):
        svc.resolve_dispute(bank, actor_of(bank, "sue"), 1, upheld=False, reason="核对无误", told_by="fax")
    with pytest.raises(InvalidInput, match="upheld one by letter"):
        svc.resolve_dispute(bank, actor_of(bank, "sue"), 1, upheld=True, reason="已更正", told_by="sms")


def test_the_answer_template_never_names_the_borrower(ctx):
    policy = policy_from_dict({"disputes": {"answer_sms": {"zh": "{masked_name}您好，异议已核实。{hotline}"}}})
    [problem] = check_answer_template(policy, "zh").problems
    assert problem.code == "unknown_placeholder" and "{masked_name}" in problem.message
    for lang in ("zh", "en"):
        report = check_answer_template(ctx.policy, lang)
        assert not report.problems and report.longest_chars is not None


def test_a_branch_bound_reader_sees_their_branch_only(bank):
    from collectui.domain.staff.actor import Actor

    other = Actor(name="x", role="supervisor", branch="西城支行", user_id=None, via="token")
    assert svc.list_disputes(bank, other) == []
    with pytest.raises(PermissionDenied):
        svc.list_disputes(bank, actor_of(bank, "amy"), branch="西城支行")
    with pytest.raises(InvalidInput, match="status"):
        svc.list_disputes(bank, actor_of(bank, "amy"), status="closed")


def test_an_older_dispute_without_due_day_gets_the_policys(bank):
    with bank.db.raw_write() as raw:
        raw.execute("UPDATE dispute SET due_on = NULL, reason_code = NULL, status = 'open'")
    [view] = svc.list_disputes(bank, actor_of(bank, "sue"))
    assert view.due_on == date(2026, 12, 13) and view.reason_code is None
