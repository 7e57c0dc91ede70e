"""`report activity`: payment plans made and their instalments kept, by count and amount, as of --to.

Borrowers C1 and C2 (tests/support/calls.py), plans made on 2026-11-28 by amy: C1 3,000.00 on 2026-12-05
and 3,000.00 on 2027-01-05; C2 the same dates, 2,600.00 each. A rejected plan (C3) was never made.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from collectui.domain.cases import plans
from collectui.domain.cases.plan_rules import PlannedInstalment
from collectui.domain.reports import Params, run
from collectui.storage.models import Payment
from tests.support.calls import calls_policy, seed
from tests.support.cli import actor_of

FIRST, SECOND = date(2026, 12, 5), date(2027, 1, 5)


@pytest.fixture
def case(ctx):
    ctx = replace(ctx, policy=calls_policy())
    seed(ctx, customers=3)
    amy = actor_of(ctx, "amy")
    for cid, each in (("C1", 300_000), ("C2", 260_000)):
        plans.propose_plan(ctx, amy, cid, [PlannedInstalment(FIRST, each), PlannedInstalment(SECOND, each)])
    days = [date(2026, 12, 15)] + [date(2027, m, 15) for m in range(1, 7)]
    waiting = plans.propose_plan(ctx, amy, "C3", [PlannedInstalment(d, 80_000) for d in days])
    plans.reject_plan(ctx, actor_of(ctx, "sue"), waiting.plan_id, "too long")
    with ctx.db.write() as s:
        s.add(Payment(payment_id="P1", loan_id="L1", paid_on=date(2026, 12, 6), amount_fen=300_000))  # in grace
        s.add(Payment(payment_id="P2", loan_id="L2", paid_on=date(2026, 12, 1), amount_fen=100_000))  # partial
        s.add(Payment(payment_id="P3", loan_id="L1", paid_on=date(2027, 1, 2), amount_fen=300_000))  # after --to
    return ctx


def activity(ctx, date_from, date_to):
    return run(ctx, "activity", Params(date_from=date_from, date_to=date_to)).data


def test_plans_made_and_kept_rates(case):
    total = activity(case, date(2026, 11, 28), date(2026, 12, 31))["total"]
    assert (total["plans_made"], total["plans_made_amount"]) == (2, "11200.00")
    # December: C1's first instalment kept, C2's partial; January's are outside the window.
    assert (total["plan_instalments_due"], total["plan_instalments_kept"], total["plan_instalments_pending"]) == (
        2,
        1,
        0,
    )
    assert total["plan_kept_rate"] == pytest.approx(0.5)
    assert total["plan_kept_rate_amount"] == pytest.approx(300_000 / 560_000, abs=1e-4)
    (amy,) = activity(case, date(2026, 11, 28), date(2026, 12, 31))["by_collector"]
    assert (amy["collector"], amy["plans_made"]) == ("amy", 2)


def test_judged_as_of_to_whenever_run(case):
    # On --to 2026-12-06 the first instalments are still in their grace: pending, not in the rate.
    early = activity(case, date(2026, 12, 1), date(2026, 12, 6))["total"]
    assert (early["plans_made"], early["plan_instalments_due"], early["plan_instalments_pending"]) == (0, 0, 2)
    assert early["plan_kept_rate"] is None
    # January: C1's second instalment was paid 2027-01-02 (carried: kept), C2's is broken.
    jan = activity(case, date(2027, 1, 1), date(2027, 1, 31))["total"]
    assert (jan["plan_instalments_due"], jan["plan_instalments_kept"]) == (2, 1)
