"""Hand-worked refreshes through the database (clock: 2026-11-28). Amounts in fen.

Standard loan: instalments of 1000.00 principal + 50.00 interest due 08-10, 09-10, 10-10.
"""

from datetime import timedelta

import pytest
from sqlalchemy import text

from collectui.domain import audit
from collectui.domain.portfolio import reasons, refresh
from collectui.storage.models import WorkItem
from tests.support.small_bank import Bank, D, at, monthly

SCHED = monthly(D(2026, 8, 10), 3)


@pytest.fixture(autouse=True)
def _no_reminder_rule(ctx):
    """The list's other rules are under test here; the reminder SMS rule (sms_notice) has its own tests."""
    from collectui.domain.policy import policy_from_dict

    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})


@pytest.fixture
def bank(db):
    return Bank(db)


def item(ctx, cid):
    with ctx.db.read() as s:
        return s.get(WorkItem, cid)


def loan_state(ctx, loan_id):
    with ctx.db.engine.connect() as c:
        return c.execute(
            text("SELECT dpd, overdue_fen, outstanding_fen, bucket FROM loan_state WHERE loan_id=:l"), {"l": loan_id}
        ).first()


def test_partial_payment(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    bank.pay("L1", D(2026, 8, 20), 60000)  # 50 interest + 550 principal of instalment 1
    stats = refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert stats.full and stats.loans == 1 and stats.work_items == 1
    assert w.max_dpd == (D(2026, 11, 28) - D(2026, 8, 10)).days == 110
    assert (w.overdue_fen, w.outstanding_fen) == (315000 - 60000, 315000 - 60000)
    assert (w.bucket, w.category, w.loan_ids, w.callable, w.blocked_reason) == ("M4", "substandard", ["L1"], True, None)
    assert reasons.read(w.reasons)[0].text == "DPD 110: +110.00"


def test_early_payment_covers_first_instalment(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    bank.pay("L1", D(2026, 8, 1), 105000)
    refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert (w.max_dpd, w.overdue_fen) == ((D(2026, 11, 28) - D(2026, 9, 10)).days, 210000)


def test_overpayment_carries_to_next_instalment(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    bank.pay("L1", D(2026, 8, 10), 150000)  # instalment 1 + 45000 of instalment 2
    refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert (w.max_dpd, w.overdue_fen, w.bucket) == (79, 165000, "M3")


def test_paid_in_full_and_payments_after_as_of(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    bank.pay("L1", D(2026, 11, 1), 315000)
    refresh.refresh(ctx)
    assert item(ctx, "C1") is None
    assert tuple(loan_state(ctx, "L1")) == (0, 0, 0, "M0")
    # As of 10-15 the payment (11-01) has not happened yet.
    refresh.refresh(ctx, as_of=D(2026, 10, 15))
    w = item(ctx, "C1")
    assert (w.max_dpd, w.overdue_fen, w.outstanding_fen) == (66, 315000, 315000)


def test_closed_loans_are_not_worked_but_keep_their_figures(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED, status="closed")
    refresh.refresh(ctx)
    assert item(ctx, "C1") is None
    assert loan_state(ctx, "L1")[0] == 110


def test_borrower_aggregates_overdue_loans_and_takes_worst_collector(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED, collector_id=1)  # dpd 110
    bank.loan("L2", "C1", monthly(D(2026, 10, 20), 2), collector_id=2)  # dpd 39, both instalments overdue
    bank.loan("L3", "C1", monthly(D(2026, 12, 20), 2))  # not yet due: not in the item
    refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert (w.max_dpd, w.overdue_fen, w.collector_id) == (110, 315000 + 210000, 1)
    assert w.loan_ids == ["L1", "L2"]
    assert w.outstanding_fen == 315000 + 210000  # L3 is not overdue: not in the borrower's figures


def test_no_longer_overdue_borrower_loses_item_on_incremental_refresh(ctx, bank):
    bank.customer("C1")
    bank.customer("C2")
    bank.loan("L1", "C1", SCHED)
    bank.loan("L2", "C2", SCHED)
    refresh.refresh(ctx)
    bank.pay("L1", D(2026, 11, 27), 315000)
    stats = refresh.refresh(ctx, ["C1"])
    assert not stats.full and stats.loans == 1
    assert item(ctx, "C1") is None and item(ctx, "C2") is not None


def test_stale_day_brings_the_whole_list_forward_first(ctx, bank):
    bank.customer("C1")
    bank.customer("C2")
    bank.loan("L1", "C1", SCHED)
    bank.loan("L2", "C2", SCHED)
    refresh.refresh(ctx)
    ctx.clock.advance(timedelta(days=1))
    stats = refresh.refresh(ctx, ["C2"])
    assert stats.mode == "customers" and refresh.stored_as_of(ctx) == D(2026, 11, 29)
    assert item(ctx, "C1").max_dpd == item(ctx, "C2").max_dpd == 111
    ctx.clock.advance(timedelta(days=-5))  # a clock set back: nothing to carry forward, full refresh
    assert refresh.refresh(ctx, ["C2"]).full and item(ctx, "C1").max_dpd == 106


@pytest.mark.parametrize(
    "setup, reason",
    [
        (lambda b: b.customer("C1", do_not_call=True), "do_not_call"),
        (lambda b: (b.customer("C1"), b.dispute("C1", at(D(2026, 11, 1)))), "dispute_hold"),
        (lambda b: (b.customer("C1"), b.complaint("C1", at(D(2026, 11, 1)))), "complaint_hold"),
        (lambda b: (b.customer("C1"), b.promise("C1", D(2026, 11, 20), 50000, D(2026, 11, 28))), "promise_pending"),
        (lambda b: (b.customer("C1", do_not_call=True), b.dispute("C1", at(D(2026, 11, 1)))), "do_not_call"),
        (
            lambda b: (b.customer("C1"), b.dispute("C1", at(D(2026, 11, 1))), b.complaint("C1", at(D(2026, 11, 2)))),
            "dispute_hold",
        ),
        (lambda b: (b.customer("C1"), b.dispute("C1", at(D(2026, 11, 1)), "resolved", at(D(2026, 11, 5)))), None),
        (lambda b: (b.customer("C1"), b.complaint("C1", at(D(2026, 11, 1)), False, at(D(2026, 11, 5)))), None),
        # The promise date has passed (still open inside the grace days): callable again.
        (lambda b: (b.customer("C1"), b.promise("C1", D(2026, 11, 20), 50000, D(2026, 11, 27))), None),
    ],
)
def test_blocked_reasons(ctx, bank, setup, reason):
    setup(bank)
    bank.loan("L1", "C1", SCHED)
    refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert (w.callable, w.blocked_reason) == (reason is None, reason)


def test_last_contact_and_reasons(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    bank.call("C1", at(D(2026, 11, 20)), right_party=True)
    bank.call("C1", at(D(2026, 11, 25)), right_party=False)
    bank.call("C1", at(D(2026, 11, 27)), right_party=True, status="refused")
    bank.call("C1", at(D(2026, 11, 29)), right_party=True)  # after as-of: ignored
    refresh.refresh(ctx)
    w = item(ctx, "C1")
    assert w.last_contact_at == at(D(2026, 11, 25))
    assert "8 days since last reached: +4.00" in [r.text for r in reasons.read(w.reasons)]


def test_refresh_in_a_session_and_in_a_raw_transaction_keep_the_audit_chain(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    with ctx.db.write() as s:
        audit.record(s, ctx.clock, "t", "x.before")
        refresh.refresh_in(s, ctx, ["C1"])
        audit.record(s, ctx.clock, "t", "x.after")
        assert s.get(WorkItem, "C1").max_dpd == 110
    with ctx.db.raw_write() as raw:
        refresh.refresh_in(raw, ctx, ["C1"])
    with ctx.db.read() as s:
        assert audit.verify(s).ok


def test_ensure_current_refreshes_once_a_day(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    assert refresh.ensure_current(ctx).full
    assert refresh.ensure_current(ctx) is None
    assert refresh.stored_as_of(ctx) == D(2026, 11, 28)
    ctx.clock.advance(timedelta(days=2))
    assert refresh.ensure_current(ctx).as_of == D(2026, 11, 30)
    assert item(ctx, "C1").max_dpd == 112


def test_snapshots_per_day(ctx, bank):
    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    refresh.refresh(ctx, as_of=D(2026, 9, 1))
    refresh.refresh(ctx)
    refresh.refresh(ctx)
    with ctx.db.engine.connect() as c:
        rows = c.execute(text("SELECT snap_date, bucket, dpd FROM bucket_snapshot ORDER BY snap_date")).all()
    assert [tuple(r) for r in rows] == [("2026-09-01", "M1", 22), ("2026-11-28", "M4", 110)]


def test_changed_ranking_policy_reranks_on_next_use(ctx, bank):
    from collectui.domain.policy import policy_from_dict

    bank.customer("C1")
    bank.loan("L1", "C1", SCHED)
    refresh.ensure_current(ctx)
    before = item(ctx, "C1").score
    ctx.policy = policy_from_dict({"ranking": {"dpd_points_per_day": 2.0}})
    stats = refresh.ensure_current(ctx)
    assert stats is not None and stats.mode == "full"
    assert item(ctx, "C1").score == before + 11000  # 110 more points for 110 days
    assert refresh.ensure_current(ctx) is None
