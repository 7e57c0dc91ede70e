"""The refresh's two paths (SQL aggregates for loans without payments, the Python waterfall for the rest)
write the figures of ``overdue.compute`` into loan_state, bucket_snapshot and the work items."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectui.domain.portfolio import refresh
from collectui.domain.portfolio.overdue import Inst, Pay, compute
from collectui.domain.portfolio.promises import customer_scope
from collectui.domain.portfolio.refresh import figures

BASE = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: BASE + timedelta(days=n))
seqs = st.one_of(st.integers(0, 30), st.integers(10**11, 10**13))
instalment = st.tuples(days, st.integers(0, 200_000), st.integers(0, 20_000))
loan = st.fixed_dictionaries(
    {
        "customer": st.integers(0, 3),
        "status": st.sampled_from(["active", "active", "closed", "written_off"]),
        "schedule": st.lists(st.tuples(seqs, instalment), max_size=7, unique_by=lambda r: r[0]),
        # most loans have no payment (the SQL path); a zero payment still sends a loan down the Python path
        "payments": st.one_of(st.just([]), st.lists(st.tuples(days, st.integers(0, 400_000)), max_size=4)),
    }
)
STATE = (
    "SELECT loan_id, customer_id, as_of, dpd, bucket, category, overdue_fen, outstanding_fen, "
    "oldest_unpaid_due, next_due_date, next_due_fen FROM loan_state ORDER BY loan_id"
)


def _write_bank(raw, loans) -> None:
    for table in ("work_item", "bucket_snapshot", "loan_state", "payment", "instalment", "loan", "customer"):
        raw.execute(f"DELETE FROM {table}")
    raw.execute("INSERT INTO branch(id, name) VALUES (1, '城关支行') ON CONFLICT DO NOTHING")
    raw.executemany(
        "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
        "phone_invalid, sms_opt_out, hardship) VALUES (?, '张三', '11010119900307123X', '13812345678', 1, 0, 0, 0, 0, 0)",
        [(f"C{c}",) for c in range(4)],
    )
    for n, ln in enumerate(loans):
        loan_id = f"L{n:02d}"
        raw.execute(
            "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, "
            "status) VALUES (?, ?, 'p', 1, '2026-01-01', '2027-01-01', ?)",
            (loan_id, f"C{ln['customer']}", ln["status"]),
        )
        raw.executemany(
            "INSERT INTO instalment(loan_id, seq, due_date, principal_due_fen, interest_due_fen) "
            "VALUES (?, ?, ?, ?, ?)",
            [(loan_id, s, d.isoformat(), p, i) for s, (d, p, i) in ln["schedule"]],
        )
        raw.executemany(
            "INSERT INTO payment(payment_id, loan_id, paid_on, amount_fen) VALUES (?, ?, ?, ?)",
            [(f"P{n}_{k}", loan_id, d.isoformat(), a) for k, (d, a) in enumerate(ln["payments"])],
        )


def _expected_state(loans, as_of):
    rows = []
    for n, ln in enumerate(loans):
        f = compute(
            [Inst(s, d, p, i) for s, (d, p, i) in ln["schedule"]], [Pay(d, a) for d, a in ln["payments"]], as_of
        )
        rows.append(
            (
                f"L{n:02d}",
                f"C{ln['customer']}",
                as_of.isoformat(),
                f.dpd,
                f.bucket,
                f.category,
                f.overdue_fen,
                f.outstanding_fen,
                f.oldest_unpaid_due and f.oldest_unpaid_due.isoformat(),
                f.next_due_date and f.next_due_date.isoformat(),
                f.next_due_fen,
            )
        )
    return rows


def _expected_items(state, loans):
    items = {}
    for row, ln in zip(state, loans, strict=True):
        if row[3] >= 1 and ln["status"] != "closed":
            it = items.setdefault(row[1], [0, 0, 0, []])
            it[0] = max(it[0], row[3])
            it[1] += row[6]
            it[2] += row[7]
            it[3].append(row[0])
    return {cid: tuple(v) for cid, v in items.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(loan, max_size=8), days)
def test_full_and_scoped_refresh_write_the_engine_figures(ctx, loans, as_of):
    with ctx.db.raw_write() as raw:
        _write_bank(raw, loans)
        stats = refresh.refresh_in(raw, ctx, None, as_of)
        state = raw.execute(STATE).fetchall()
        snaps = raw.execute(
            "SELECT snap_date, loan_id, customer_id, bucket, dpd, outstanding_fen, overdue_fen "
            "FROM bucket_snapshot ORDER BY loan_id"
        ).fetchall()
        items = {
            r[0]: (r[1], r[2], r[3], r[4].strip("[]").replace('"', "").split(",") if r[4] != "[]" else [])
            for r in raw.execute("SELECT customer_id, max_dpd, overdue_fen, outstanding_fen, loan_ids FROM work_item")
        }
        # a scoped refresh (the borrowers of every other loan) rewrites the same rows
        scope = customer_scope(raw, ["C1", "C3"])
        refresh.refresh_in(raw, ctx, ["C1", "C3"], as_of)
        assert raw.execute(STATE).fetchall() == state
        assert scope
    expected = _expected_state(loans, as_of)
    assert state == expected
    assert snaps == [(as_of.isoformat(), r[0], r[1], r[4], r[3], r[7], r[6]) for r in expected]
    assert items == _expected_items(expected, loans)
    assert stats.loans == len(loans)
    in_memory = {
        w.customer_id: (w.max_dpd, w.overdue_fen, w.outstanding_fen, w.loan_ids)
        for w in refresh.compute_work_items(ctx, as_of)
    }
    assert in_memory == items


def test_loans_the_aggregates_cannot_handle_take_the_python_path(ctx):
    """Negative amounts or sequence numbers (never imported, but possible in the file) are computed exactly
    as the all-Python stream computes them."""
    loans = [
        {
            "customer": 0,
            "status": "active",
            "payments": [],
            "schedule": [(1, (date(2026, 3, 1), -5_000, 10_000)), (2, (date(2026, 4, 1), 50_000, 1_000))],
        },
        {
            "customer": 1,
            "status": "active",
            "payments": [],
            "schedule": [(-2, (date(2026, 9, 1), 10_000, 0)), (-1, (date(2026, 9, 1), 20_000, 0))],
        },
        {"customer": 2, "status": "active", "payments": [], "schedule": []},
        {
            "customer": 2,
            "status": "active",
            "payments": [],
            "schedule": [
                (7, (date(2026, 12, 1), 10_000, 500)),
                (3, (date(2026, 12, 1), 30_000, 0)),
                (1, (date(2026, 10, 1), 0, 0)),
            ],
        },
    ]
    as_of = date(2026, 11, 28)
    with ctx.db.raw_write() as raw:
        _write_bank(raw, loans)
        python = [(r[0], r[1], *r[4:]) for r in figures.iter_loan_figures(raw, as_of, None)]
        refresh.refresh_in(raw, ctx, None, as_of)
        state = raw.execute(STATE).fetchall()
    assert [(r[0], r[1], r[3], *r[6:]) for r in state] == python
    assert state[1][3:4] + state[1][6:] == (88, 30_000, 30_000, "2026-09-01", None, 0)
    # the seq order, not the insertion order, picks the next instalment among equal due dates; a fully
    # zero instalment is never the oldest unpaid one
    assert state[3][3:4] + state[3][6:] == (0, 0, 40_000, None, "2026-12-01", 30_000)


@given(st.lists(st.tuples(st.integers(0, 10**6), st.text(max_size=12)), max_size=4))
def test_work_item_reasons_are_written_as_json_would_write_them(parts):
    import json

    from collectui.domain.portfolio.reasons import encode, part

    coded = [part("since_reached", n, text) for n, text in parts]
    expected = [["since_reached", n, text] for n, text in parts]
    assert encode(coded) == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
