"""Issue 16 item 2: `report activity` judges every promise as of --to, so a window's figures never change."""

from __future__ import annotations

from datetime import date, datetime

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.portfolio.promises import evaluate_promises
from collectui.domain.reports import Params, run
from collectui.storage.models import Payment
from tests.support.report_rows import TZ, Seed, local

FROM, TO = date(2026, 11, 1), date(2026, 11, 20)  # grace is 2 days (the default policy)


def _at(ctx: Ctx, day: date) -> Ctx:
    return Ctx(
        db=ctx.db, clock=FixedClock(datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ), TZ), policy=ctx.policy
    )


def _pay(ctx: Ctx, pid: str, loan: str, on: date, fen: int) -> None:
    with ctx.db.write() as s:
        s.add(Payment(payment_id=pid, loan_id=loan, paid_on=on, amount_fen=fen))


def _report(ctx: Ctx) -> dict:
    evaluate_promises(ctx)  # what every refresh does: the stored statuses move with the clock
    return run(ctx, "activity", Params(date_from=FROM, date_to=TO)).data


def test_same_window_same_figures_whenever_run(ctx):
    """A: due 19 Nov (+2 = 21 Nov, after --to) -> pending; B: due 17 Nov (+2 = 19 Nov) paid 30 of 100 -> partial.

    Between the two runs (a day after --to, a month after) A is paid in full on 21 Nov and B on 25 Nov: the stored
    statuses change (A kept), the report does not.
    """
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.customer("C1")
        seed.loan("L1", "C1", 0, 100000, 0, TO)
        seed.promise("C1", "li", local(2026, 11, 10), 10000, date(2026, 11, 19), "open")
        seed.promise("C1", "li", local(2026, 11, 10), 10000, date(2026, 11, 17), "open")
    _pay(ctx, "Y1", "L1", date(2026, 11, 18), 3000)

    early = _report(_at(ctx, date(2026, 11, 21)))
    _pay(ctx, "Y2", "L1", date(2026, 11, 21), 7000)
    _pay(ctx, "Y3", "L1", date(2026, 11, 25), 7000)
    late_ctx = _at(ctx, date(2026, 12, 21))
    late = _report(late_ctx)

    assert late == early
    t = early["total"]
    assert (t["promises_due"], t["kept"], t["partial"], t["broken"], t["pending"]) == (1, 0, 1, 0, 1)
    assert (t["ptp_kept_rate"], t["promises_due_amount"], t["kept_amount"]) == (0.0, "100.00", "0.00")
    with late_ctx.db.raw_read() as raw:
        stored = sorted(r[0] for r in raw.execute("SELECT status FROM promise").fetchall())
    assert stored == ["kept", "partial"]  # the stored verdicts did move (A kept): the report ignores them


def test_grace_edge(ctx):
    """--to 20 Nov, grace 2: due 18 Nov (last grace day = --to) is judged; due 19 Nov is pending even if paid."""
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        for cid in ("C1", "C2", "C3"):
            seed.customer(cid)
            seed.loan(f"L{cid}", cid, 0, 100000, 0, TO)
        seed.promise("C1", "li", local(2026, 11, 10), 10000, date(2026, 11, 18), "open")  # paid on --to: kept
        seed.promise("C2", "li", local(2026, 11, 10), 10000, date(2026, 11, 19), "open")  # paid, still pending
        seed.promise("C3", "li", local(2026, 11, 10), 10000, date(2026, 11, 18), "open")  # paid after --to: broken
    _pay(ctx, "Y1", "LC1", date(2026, 11, 20), 10000)
    _pay(ctx, "Y2", "LC2", date(2026, 11, 19), 10000)
    _pay(ctx, "Y3", "LC3", date(2026, 11, 21), 10000)
    for day in (date(2026, 11, 21), date(2027, 1, 5)):
        t = _report(_at(ctx, day))["total"]
        assert (t["promises_due"], t["kept"], t["partial"], t["broken"], t["pending"]) == (2, 1, 0, 1, 1)
        assert (t["ptp_kept_rate"], t["ptp_kept_rate_amount"]) == (0.5, 0.5)
