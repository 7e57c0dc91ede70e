"""Payment plans: validation edges, maker-checker, who may decide, and what a decision changes.

Borrower C1 (tests/support/calls.py) on 2026-11-28: overdue 5,100.00 (510,000 fen), total outstanding
10,100.00 (1,010,000 fen). The plan's day is the clock's day unless the plan names a call.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from collectui.domain.cases import plan_views, plans
from collectui.domain.cases.plan_rules import PlannedInstalment, parse_instalment
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.storage.models import StaffUser
from tests.support.calls import OUTSTANDING_FEN, at, calls_policy, log, seed
from tests.support.cli import actor_of

OVERDUE_FEN = 510_000


@pytest.fixture
def case(ctx):
    ctx = replace(ctx, policy=calls_policy())  # without the reminder-SMS rule: these tests log calls
    seed(ctx, customers=2)
    with ctx.db.write() as s:
        branch_id = s.exec(select(StaffUser.branch_id)).first()
        s.add(
            StaffUser(
                username="tom",
                display_name="tom",
                role="supervisor",
                branch_id=branch_id,
                password_hash="x",
                created_at=ctx.clock.now(),
            )
        )
    return ctx


def two(first_fen: int, second_fen: int, first=date(2026, 12, 15), second=date(2027, 1, 15)):
    return [PlannedInstalment(first, first_fen), PlannedInstalment(second, second_fen)]


def statuses(ctx, plan_id):
    with ctx.db.raw_read() as raw:
        return raw.execute(
            "SELECT status, approved_by, decision_reason FROM payment_plan WHERE id = ?", (plan_id,)
        ).fetchone()


def test_sum_just_below_the_overdue_amount_is_refused(case):
    with pytest.raises(InvalidInput) as err:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(255_000, OVERDUE_FEN - 255_000 - 1))
    assert "less than the overdue amount ¥5,100.00" in str(err.value)
    assert plans.propose_plan(case, actor_of(case, "amy"), "C1", two(255_000, OVERDUE_FEN - 255_000)).status == "active"


def test_the_total_outstanding_is_allowed_and_one_fen_more_is_not(case):
    with pytest.raises(InvalidInput, match="more than the total outstanding"):
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(500_000, OUTSTANDING_FEN - 500_000 + 1))
    result = plans.propose_plan(case, actor_of(case, "amy"), "C1", two(500_000, OUTSTANDING_FEN - 500_000))
    assert (result.status, result.total_fen, result.plan_day) == ("active", OUTSTANDING_FEN, date(2026, 11, 28))


def test_one_day_past_the_horizon_is_refused(case):
    # The default horizon is 365 days after the plan's day (2026-11-28).
    with pytest.raises(InvalidInput) as err:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000, second=date(2027, 11, 29)))
    assert err.value.problems == [
        "instalment 2: 2027-11-29 is after 2027-11-28 (at most 365 days after the plan's day)"
    ]
    plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000, second=date(2027, 11, 28)))


def test_each_problem_names_its_instalment(case):
    bad = [
        PlannedInstalment(date(2026, 11, 27), 300_000),
        PlannedInstalment(date(2026, 12, 1), 0),
        PlannedInstalment(date(2026, 12, 1), 300_000),
    ]
    with pytest.raises(InvalidInput) as err:
        plans.propose_plan(case, actor_of(case, "amy"), "C1", bad)
    assert err.value.problems == [
        "instalment 1: 2026-11-27 is before the plan's day 2026-11-28",
        "instalment 2: the amount must be above zero",
        "instalment 3: 2026-12-01 is also the date of instalment 2",
    ]


@pytest.mark.parametrize("count", [1, 25])
def test_two_to_twenty_four_instalments(case, count):
    many = [PlannedInstalment(date(2027, 1 + n // 28, 1 + n % 28), 600_000 // count) for n in range(count)]
    with pytest.raises(InvalidInput, match=f"a plan has 2 to 24 instalments, got {count}"):
        plans.propose_plan(case, actor_of(case, "amy"), "C1", many)


def test_instalment_texts_are_parsed_with_their_number():
    assert parse_instalment("2026-12-15:1,200.50", 1) == PlannedInstalment(date(2026, 12, 15), 120_050)
    assert parse_instalment("２０２６-12-15：１２００", 1) == PlannedInstalment(date(2026, 12, 15), 120_000)
    with pytest.raises(InvalidInput, match="instalment 3: expected a date"):
        parse_instalment("15/12/2026:100", 3)
    with pytest.raises(InvalidInput, match="instalment 2: not an amount"):
        parse_instalment("2026-12-15:abc", 2)
    with pytest.raises(InvalidInput, match="instalment 4: expected DATE:AMOUNT"):
        parse_instalment("2026-12-15", 4)


def seven(each_fen: int = 80_000):
    """7 monthly instalments from 2026-12-15 (560,000 fen: above the overdue amount)."""
    days = [date(2026, 12, 15)] + [date(2027, m, 15) for m in range(1, 7)]
    return [PlannedInstalment(d, each_fen) for d in days]


def test_above_the_threshold_a_plan_waits_and_the_proposer_cannot_approve_it(case):
    sue = actor_of(case, "sue")
    result = plans.propose_plan(case, sue, "C1", seven())  # 7 instalments > plans.approval_instalments (6)
    assert result.status == "proposed"
    with pytest.raises(PermissionDenied, match="the proposer cannot approve their own plan"):
        plans.approve_plan(case, sue, result.plan_id)
    assert statuses(case, result.plan_id)[0] == "proposed"
    plans.approve_plan(case, actor_of(case, "tom"), result.plan_id, "harvest in March")
    status, approved_by, reason = statuses(case, result.plan_id)
    assert (status, reason) == ("active", "harvest in March")
    assert approved_by == actor_of(case, "tom").user_id


def test_a_collector_cannot_approve_or_reject(case):
    result = plans.propose_plan(case, actor_of(case, "amy"), "C1", seven())
    for decide in (plans.approve_plan, plans.reject_plan):
        with pytest.raises(PermissionDenied, match="plan.decide: a collector may not do this"):
            decide(case, actor_of(case, "bob"), result.plan_id)
    with case.db.raw_read() as raw:
        denied = raw.execute("SELECT count(*) FROM audit_event WHERE action = 'access.denied'").fetchone()[0]
    assert denied == 2
    plans.reject_plan(case, actor_of(case, "sue"), result.plan_id, "ask for a shorter plan")
    assert statuses(case, result.plan_id)[0] == "rejected"
    with pytest.raises(InvalidInput, match="is rejected; approve needs proposed"):
        plans.approve_plan(case, actor_of(case, "tom"), result.plan_id)
    # A rejected plan no longer stands in the way of a new proposal.
    assert plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000)).status == "active"


def test_one_live_plan_at_a_time_and_cancel(case):
    first = plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000))
    with pytest.raises(InvalidInput, match=f"already has plan #{first.plan_id} \\(active\\)"):
        plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000))
    with pytest.raises(PermissionDenied):
        plans.cancel_plan(case, actor_of(case, "amy"), first.plan_id, "x")
    plans.cancel_plan(case, actor_of(case, "sue"), first.plan_id, "borrower wants monthly dates")
    assert statuses(case, first.plan_id)[0] == "cancelled"
    plans.propose_plan(case, actor_of(case, "amy"), "C1", two(300_000, 300_000))


def test_a_plan_from_a_call_starts_on_the_call_day(case):
    call = log(case, outcome="hardship", when=at(27, 15))
    result = plans.propose_plan(
        case, actor_of(case, "amy"), "C1", ["2026-11-27:3000", "2026-12-27:3000"], call_id=call.call_id
    )
    assert result.plan_day == date(2026, 11, 27)
    with case.db.raw_read() as raw:
        assert raw.execute("SELECT call_id FROM payment_plan").fetchone()[0] == call.call_id
    with pytest.raises(InvalidInput, match="was with another borrower"):
        plans.propose_plan(case, actor_of(case, "amy"), "C2", two(300_000, 300_000), call_id=call.call_id)
    with pytest.raises(NotFound):
        plans.propose_plan(case, actor_of(case, "amy"), "C2", two(300_000, 300_000), call_id=999)


def test_every_change_is_audited_and_the_list_masks_names(case):
    result = plans.propose_plan(case, actor_of(case, "amy"), "C1", seven())
    plans.approve_plan(case, actor_of(case, "sue"), result.plan_id)
    with case.db.raw_read() as raw:
        actions = [r[0] for r in raw.execute("SELECT action FROM audit_event WHERE target_type = 'plan' ORDER BY id")]
    assert actions == ["plan.propose", "plan.approve"]
    (view,) = plan_views.list_plans(case, actor_of(case, "sue"))
    assert (view.name, view.status, view.proposed_by, view.decided_by) == ("李*", "active", "amy", "sue")
    assert [i.amount_fen for i in view.instalments] == [80_000] * 7
    assert plan_views.list_plans(case, actor_of(case, "sue"), status="rejected") == []


def test_above_the_amount_threshold_a_plan_waits(case):
    from collectui.domain.policy import policy_from_dict

    strict = replace(
        case,
        policy=policy_from_dict({"rules": {"sms_notice": {"enabled": False}}, "plans": {"approval_amount_yuan": 5099}}),
    )
    assert plans.propose_plan(strict, actor_of(case, "amy"), "C1", two(255_000, 255_000)).status == "proposed"
    lenient = replace(case, policy=policy_from_dict({"plans": {"approval_amount_yuan": 5100}}))
    assert plans.propose_plan(lenient, actor_of(case, "amy"), "C2", two(255_000, 255_000)).status == "active"


def test_the_audit_trail_vouches_for_plans(case):
    from collectui.domain import audit

    result = plans.propose_plan(case, actor_of(case, "amy"), "C1", seven())
    plans.approve_plan(case, actor_of(case, "sue"), result.plan_id, "harvest")
    with case.db.raw_read() as raw:
        assert audit.verify(raw).ok
    with case.db.raw_write() as raw:  # who approved it, changed behind the service's back
        raw.execute("UPDATE payment_plan SET approved_by = NULL WHERE id = ?", (result.plan_id,))
    with case.db.raw_read() as raw:
        assert not audit.verify(raw).ok
