"""Promise verdicts from payments (grace 2 days by default). Clock: 2026-11-28."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from collectui.domain import audit
from collectui.domain.portfolio import promises, refresh
from collectui.domain.portfolio.promises import judge
from collectui.storage.models import Promise
from tests.support.small_bank import Bank, D, monthly

SCHED = monthly(D(2026, 8, 10), 3)


@pytest.fixture(autouse=True)
def _no_reminder_rule(ctx):
    """The list's other rules are under test here; the reminder SMS rule (sms_notice) has its own tests."""
    from collectui.domain.policy import policy_from_dict

    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})


@pytest.fixture
def bank(db):
    b = Bank(db)
    b.customer("C1")
    b.loan("L1", "C1", SCHED)
    b.loan("L2", "C1", SCHED)
    b.customer("C2")
    b.loan("L9", "C2", SCHED)
    return b


def get(ctx, pid):
    with ctx.db.read() as s:
        return s.get(Promise, pid)


def test_judge_edges():
    due = D(2026, 11, 20)
    assert judge(1000, 0, due, 2, D(2026, 11, 22)) == "open"  # due + grace: not yet passed
    assert judge(1000, 0, due, 2, D(2026, 11, 23)) == "broken"
    assert judge(1000, 999, due, 2, D(2026, 11, 23)) == "partial"
    assert judge(1000, 1000, due, 2, D(2026, 11, 23)) == "kept"
    assert judge(1000, 5000, due, 0, D(2026, 11, 21)) == "kept"


def test_kept_partial_broken_and_open(ctx, bank):
    kept = bank.promise("C1", D(2026, 11, 10), 50000, D(2026, 11, 20))
    bank.pay("L2", D(2026, 11, 22), 50000)  # on due + grace, on another of the borrower's loans
    partial = bank.promise("C2", D(2026, 11, 10), 50000, D(2026, 11, 20))
    bank.pay("L9", D(2026, 11, 15), 20000)
    bank.pay("L9", D(2026, 11, 23), 90000)  # after due + grace: does not count
    stats = promises.evaluate_promises(ctx)
    assert (get(ctx, kept).status, get(ctx, kept).paid_fen, get(ctx, kept).evaluated_on) == (
        "kept",
        50000,
        D(2026, 11, 28),
    )
    assert (get(ctx, partial).status, get(ctx, partial).paid_fen) == ("partial", 20000)
    assert (stats.kept, stats.partial, stats.changed) == (1, 1, 2)


def test_payment_before_the_promise_was_made_does_not_count(ctx, bank):
    pid = bank.promise("C1", D(2026, 11, 10), 50000, D(2026, 11, 20))
    bank.pay("L1", D(2026, 11, 9), 50000)
    promises.evaluate_promises(ctx)
    assert (get(ctx, pid).status, get(ctx, pid).paid_fen) == ("broken", 0)


def test_stays_open_until_due_plus_grace_has_passed(ctx, bank):
    pid = bank.promise("C1", D(2026, 11, 20), 50000, D(2026, 11, 26))  # judged from 11-29
    bank.pay("L1", D(2026, 11, 21), 10000)
    promises.evaluate_promises(ctx)
    p = get(ctx, pid)
    assert (p.status, p.paid_fen, p.evaluated_on) == ("open", 10000, None)
    ctx.clock.advance(timedelta(days=1))
    promises.evaluate_promises(ctx)
    assert get(ctx, pid).status == "partial"


def test_late_imported_payment_rejudges_and_other_statuses_are_left_alone(ctx, bank):
    pid = bank.promise("C1", D(2026, 11, 10), 50000, D(2026, 11, 20))
    cancelled = bank.promise("C1", D(2026, 11, 10), 50000, D(2026, 11, 20), status="cancelled")
    refresh.refresh(ctx)
    assert get(ctx, pid).status == "broken"
    bank.pay("L1", D(2026, 11, 20), 60000)  # arrives in a later import
    stats = refresh.refresh(ctx, ["C1"])
    assert stats.promises_changed == 1
    assert (get(ctx, pid).status, get(ctx, pid).paid_fen) == ("kept", 60000)
    assert get(ctx, cancelled).status == "cancelled"
    with ctx.db.read() as s:
        assert audit.verify(s).ok
        actions = s.connection().execute(text("SELECT action FROM audit_event")).scalars().all()
    assert actions.count("promise.evaluate") == 2


def test_work_item_shows_the_promise_and_counts_broken_ones(ctx, bank):
    bank.promise("C1", D(2026, 10, 1), 10000, D(2026, 10, 5))
    bank.promise("C1", D(2026, 10, 20), 10000, D(2026, 10, 25))
    bank.promise("C1", D(2026, 3, 1), 10000, D(2026, 3, 5))  # outside the 180-day lookback
    open_id = bank.promise("C1", D(2026, 11, 27), 30000, D(2026, 12, 3))
    refresh.refresh(ctx)
    with ctx.db.engine.connect() as c:
        row = c.execute(
            text("SELECT broken_promises, promise_id, blocked_reason FROM work_item WHERE customer_id = 'C1'")
        ).one()
    assert tuple(row) == (2, open_id, "promise_pending")
