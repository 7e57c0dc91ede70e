"""The refresh's row-level overdue arithmetic equals the pure engine ``overdue.compute``."""

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from collectui.domain.portfolio.overdue import Inst, Pay, compute
from collectui.domain.portfolio.promises import customer_scope
from collectui.domain.portfolio.refresh import figures
from tests.support.small_bank import Bank

BASE = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: BASE + timedelta(days=n))
instalments = st.lists(st.tuples(days, st.integers(0, 200_000), st.integers(0, 20_000)), min_size=0, max_size=8)
payments = st.lists(st.tuples(days, st.integers(1, 400_000)), max_size=5)


def expected(schedule, pays, as_of):
    f = compute([Inst(i + 1, d, p, r) for i, (d, p, r) in enumerate(schedule)], [Pay(d, a) for d, a in pays], as_of)
    return (f.overdue_fen, f.outstanding_fen, f.oldest_unpaid_due, f.next_due_date, f.next_due_fen, f.dpd)


def fast(schedule, pays, as_of):
    rows = sorted(((d.isoformat(), p, r, i + 1) for i, (d, p, r) in enumerate(schedule)), key=lambda x: (x[0], x[3]))
    pool = sum(a for d, a in pays if d <= as_of)
    over, outst, oldest, next_due, next_fen = figures.loan_figures(rows, pool, as_of.isoformat())
    dpd = (as_of - date.fromisoformat(oldest)).days if oldest else 0
    return (
        over,
        outst,
        oldest and date.fromisoformat(oldest),
        next_due and date.fromisoformat(next_due),
        next_fen,
        dpd,
    )


@settings(max_examples=500)
@given(instalments, payments, days)
def test_loan_figures_equal_the_engine(schedule, pays, as_of):
    assert fast(schedule, pays, as_of) == expected(schedule, pays, as_of)


def test_streamed_figures_equal_the_engine_through_the_database(ctx):
    rng = random.Random(7)
    bank = Bank(ctx.db)
    cases = {}
    for n in range(60):
        cid = bank.customer(f"C{n:03d}")
        for k in range(rng.randrange(0, 3)):
            loan_id = f"L{n:03d}{k}"
            first = BASE + timedelta(days=rng.randrange(0, 200))
            schedule = [
                (
                    first + timedelta(days=30 * j + rng.choice((0, 0, 0, -30))),
                    rng.randrange(0, 90_000),
                    rng.randrange(0, 9_000),
                )
                for j in range(rng.randrange(1, 7))
            ]
            if sum(p + r for _, p, r in schedule) == 0:
                schedule[0] = (schedule[0][0], 1, 0)
            pays = [
                (BASE + timedelta(days=rng.randrange(0, 400)), rng.randrange(1, 120_000))
                for _ in range(rng.randrange(0, 4))
            ]
            bank.loan(loan_id, cid, schedule)
            for d, a in pays:
                bank.pay(loan_id, d, a)
            cases[loan_id] = (schedule, pays)
    as_of = date(2026, 7, 15)
    with ctx.db.raw_write() as raw:
        got = {row[0]: row for row in figures.iter_loan_figures(raw, as_of, None)}
        scope = customer_scope(raw, ["C001", "C002"])
        scoped = [row[0] for row in figures.iter_loan_figures(raw, as_of, scope)]
    assert set(got) == set(cases)
    assert scoped == sorted(k for k in cases if k.startswith(("L001", "L002")))
    for loan_id, (schedule, pays) in cases.items():
        over, outst, oldest, next_due, next_fen, dpd = expected(schedule, pays, as_of)
        row = got[loan_id]
        assert row[4:] == (
            dpd,
            over,
            outst,
            oldest and oldest.isoformat(),
            next_due and next_due.isoformat(),
            next_fen,
        ), loan_id
