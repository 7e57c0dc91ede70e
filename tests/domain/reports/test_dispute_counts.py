"""`report compliance` counts disputes: opened and resolved in the window, resolved in time, overdue at --to."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from collectui.domain.cases import disputes
from collectui.domain.reports import Params, run
from tests.support.calls import at, calls_policy, log, seed
from tests.support.cli import actor_of
from tests.support.clock import TZ


@pytest.fixture
def bank(ctx, clock):
    """Disputes (answer due 15 days after the opening day):
    D1 C1 opened 11-02, due 11-17, resolved 11-10 (in time) | D2 C2 opened 11-03, due 11-18, resolved 11-25 (late) |
    D3 C3 opened 11-05, due 11-20, open (overdue at 11-28) | D4 C4 opened 11-20, due 12-05, open |
    D5 C5 opened 10-01, due 10-16, open (overdue; opened before the window)."""
    ctx.policy = calls_policy()
    seed(ctx, customers=5)
    for cid, month, day in (("C1", 11, 2), ("C2", 11, 3), ("C3", 11, 5), ("C4", 11, 20), ("C5", 10, 1)):
        assert log(ctx, "amy", "dispute", when=at(day, 10, month=month), customer=cid, dispute_reason="other").saved
    sue = actor_of(ctx, "sue")
    for did, day in ((1, 10), (2, 25)):
        clock.current = datetime(2026, 11, day, 16, 0, tzinfo=TZ)
        disputes.resolve_dispute(ctx, sue, did, upheld=did == 1, reason="核实完毕")
    clock.current = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
    return ctx


def test_compliance_counts_disputes(bank):
    total = run(bank, "compliance", Params(date_from=date(2026, 11, 1))).data["total"]
    assert (
        total["disputes_opened"],
        total["disputes_resolved"],
        total["disputes_resolved_in_time"],
        total["disputes_overdue"],
    ) == (4, 2, 1, 2)


def test_judged_as_of_the_end_of_to(bank):
    # At the end of 18 Nov: D2 (due 11-18) is not yet overdue and not yet resolved; D5 is overdue; D1 resolved.
    total = run(bank, "compliance", Params(date_from=date(2026, 11, 1), date_to=date(2026, 11, 18))).data["total"]
    assert (total["disputes_opened"], total["disputes_resolved"], total["disputes_overdue"]) == (3, 1, 1)
    # At 19 Nov D2 is overdue too (resolved only on the 25th).
    total = run(bank, "compliance", Params(date_from=date(2026, 11, 1), date_to=date(2026, 11, 19))).data["total"]
    assert total["disputes_overdue"] == 2


def test_filters(bank):
    other = run(bank, "compliance", Params(date_from=date(2026, 11, 1), branch="东城支行")).data["total"]
    assert other["disputes_opened"] == 4
    by_bob = run(bank, "compliance", Params(date_from=date(2026, 11, 1), collector="bob")).data["total"]
    assert by_bob["disputes_opened"] == 0 and by_bob["disputes_overdue"] == 0
