"""Payment plan instalments judged in the refresh from the imported payments (grace 2 days), and the hold.

Borrower C1 (tests/support/calls.py), clock 2026-11-28 10:00. The plan: 3,000.00 on 2026-12-05 and
3,000.00 on 2027-01-05, active at once (under the approval threshold).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from collectui.domain.cases import plan_views, plans
from collectui.domain.cases.plan_rules import PlannedInstalment
from collectui.domain.portfolio import reasons, refresh
from collectui.domain.portfolio.plan_hold import check_plan_active, plan_active_bulk
from collectui.domain.portfolio.plans import broken_instalments, plan_status
from collectui.storage.models import Payment
from tests.support.calls import calls_policy, seed
from tests.support.cli import actor_of
from tests.support.clock import TZ

FIRST, SECOND = date(2026, 12, 5), date(2027, 1, 5)


@pytest.fixture
def case(ctx):
    ctx = replace(ctx, policy=calls_policy())
    seed(ctx, customers=2)
    return ctx


@pytest.fixture
def plan_id(case) -> int:
    inst = [PlannedInstalment(FIRST, 300_000), PlannedInstalment(SECOND, 300_000)]
    return plans.propose_plan(case, actor_of(case, "amy"), "C1", inst).plan_id


def pay(ctx, day: date, fen: int, loan: str = "L1") -> None:
    with ctx.db.write() as s:
        s.add(Payment(payment_id=f"P{day}{fen}{loan}", loan_id=loan, paid_on=day, amount_fen=fen))


def judged(ctx, plan_id: int, as_of: date) -> tuple[str, list[tuple[str, int]]]:
    refresh.refresh(ctx, as_of=as_of)
    with ctx.db.raw_read() as raw:
        status = raw.execute("SELECT status FROM payment_plan WHERE id = ?", (plan_id,)).fetchone()[0]
        insts = raw.execute(
            "SELECT status, paid_fen FROM plan_instalment WHERE plan_id = ? ORDER BY seq", (plan_id,)
        ).fetchall()
    return status, [tuple(r) for r in insts]


def test_plan_status_follows_its_instalments():
    assert plan_status(["kept", "open"]) == "active"
    assert plan_status(["kept", "kept"]) == "completed"
    assert plan_status(["kept", "partial"]) == "broken"
    assert plan_status(["broken", "open"]) == "broken"


def test_kept_then_broken_then_mended_by_a_late_import(case, plan_id):
    pay(case, date(2026, 12, 4), 300_000)
    assert judged(case, plan_id, date(2026, 12, 7)) == ("active", [("open", 300_000), ("open", 0)])  # in grace
    assert judged(case, plan_id, date(2026, 12, 8)) == ("active", [("kept", 300_000), ("open", 0)])
    assert judged(case, plan_id, date(2027, 1, 7)) == ("active", [("kept", 300_000), ("open", 0)])
    assert judged(case, plan_id, date(2027, 1, 8)) == ("broken", [("kept", 300_000), ("broken", 0)])
    with case.db.raw_read() as raw:
        assert broken_instalments(raw, "SELECT 'C1'", date(2027, 1, 1)) == {"C1": 1}
        assert broken_instalments(raw, "SELECT 'C1'", date(2027, 1, 6)) == {}  # before the lookback window
        events = raw.execute("SELECT count(*) FROM audit_event WHERE action = 'plan.evaluate'").fetchone()[0]
    assert events >= 2
    pay(case, date(2027, 1, 6), 300_000)  # paid inside the grace, imported late
    assert judged(case, plan_id, date(2027, 1, 8)) == ("completed", [("kept", 300_000), ("kept", 300_000)])
    (view,) = plan_views.plans_of(case, "C1")
    assert view.shown_status == "kept"


def test_a_partial_instalment_breaks_the_plan(case, plan_id):
    pay(case, date(2026, 12, 1), 100_000)
    assert judged(case, plan_id, date(2026, 12, 8)) == ("broken", [("partial", 100_000), ("open", 0)])


def test_paying_ahead_carries_to_the_next_instalment_and_any_loan_counts(case, plan_id):
    pay(case, date(2026, 11, 30), 450_000)
    pay(case, date(2026, 12, 20), 150_000, loan="L1")
    assert judged(case, plan_id, date(2026, 12, 8)) == ("active", [("kept", 300_000), ("open", 150_000)])
    assert judged(case, plan_id, date(2027, 1, 8)) == ("completed", [("kept", 300_000), ("kept", 300_000)])


def test_payments_before_the_plan_day_do_not_count(case, plan_id):
    pay(case, date(2026, 11, 27), 600_000)
    assert judged(case, plan_id, date(2026, 12, 8)) == ("broken", [("broken", 0), ("open", 0)])


def test_a_proposed_plan_is_not_judged(case):
    days = [date(2026, 12, 15)] + [date(2027, m, 15) for m in range(1, 7)]
    result = plans.propose_plan(case, actor_of(case, "amy"), "C1", [PlannedInstalment(d, 80_000) for d in days])
    assert judged(case, result.plan_id, date(2027, 8, 1))[0] == "proposed"


def test_the_roll_to_a_new_day_judges_plans_too(case, plan_id):
    refresh.refresh(case)  # the stored state is for 2026-11-28
    case.clock.current = datetime(2026, 12, 8, 9, 0, tzinfo=TZ)
    stats = refresh.ensure_current(case)
    assert stats is not None and stats.mode == "roll"
    with case.db.raw_read() as raw:
        status = raw.execute("SELECT status FROM plan_instalment WHERE plan_id = ? AND seq = 1", (plan_id,)).fetchone()
    assert status[0] == "broken"


def facts(ctx, raw, customer_id: str, at: datetime):
    return SimpleNamespace(raw=raw, customer=SimpleNamespace(customer_id=customer_id), at=at)


def test_the_hold_lasts_while_the_plan_is_kept(case, plan_id):
    now = case.clock.now()
    with case.db.raw_read() as raw:
        message = check_plan_active(facts(case, raw, "C1", now), {"enabled": True})
        assert message is not None and f"#{plan_id}" in message.text and "2027-01-05" in message.text
        assert (message.key, message.values) == ("gate.plan_active", {"id": plan_id, "last": "2027-01-05"})
        assert check_plan_active(facts(case, raw, "C2", now), {}) is None
        bulk = plan_active_bulk(raw, case, "SELECT customer_id FROM customer", now, {})
        assert list(bulk) == ["C1"]
        assert bulk["C1"][1] == datetime.combine(SECOND + timedelta(days=1), time(0), tzinfo=TZ)
        after = datetime.combine(SECOND + timedelta(days=1), time(9), tzinfo=TZ)
        assert check_plan_active(facts(case, raw, "C1", after), {}) is None  # lifts by time alone
        assert plan_active_bulk(raw, case, "SELECT customer_id FROM customer", after, {}) == {}
    judged(case, plan_id, date(2026, 12, 8))  # nothing paid: instalment 1 broken, calls may resume
    later = datetime.combine(date(2026, 12, 8), time(9), tzinfo=TZ)
    with case.db.raw_read() as raw:
        assert check_plan_active(facts(case, raw, "C1", later), {}) is None
        assert plan_active_bulk(raw, case, "SELECT customer_id FROM customer", later, {}) == {}


def test_a_broken_instalment_raises_the_rank_like_a_broken_promise(case, plan_id):
    from collectui.storage.models import WorkItem

    def item(as_of):
        refresh.refresh(case, as_of=as_of)
        with case.db.read() as s:
            row = s.get(WorkItem, "C1")
            return row.broken_promises, row.score, row.reasons

    before = item(date(2026, 12, 7))
    after = item(date(2026, 12, 8))  # nothing paid: instalment 1 broken
    assert before[0] == 0 and after[0] == 1
    assert "1 broken promise: +30.00" in [r.text for r in reasons.read(after[2])]
    assert after[1] > before[1] + 2900  # 30 points (hundredths) beyond the day's DPD point
