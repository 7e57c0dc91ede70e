"""Portfolio and migration for any past day: the stored state, that day's snapshot and the figures computed
from the loans, schedules and payments give the same report on the same data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectui.domain.portfolio import refresh
from collectui.domain.reports import Params, run
from collectui.domain.reports.portfolio_day import FutureDay

BASE = date(2026, 1, 1)
TODAY = date(2026, 11, 28)  # the fixture clock's today
days = st.integers(min_value=0, max_value=(TODAY - BASE).days).map(lambda n: BASE + timedelta(days=n))
instalment = st.tuples(days, st.integers(0, 200_000), st.integers(0, 20_000))
loan = st.fixed_dictionaries(
    {
        "customer": st.integers(0, 3),
        "status": st.sampled_from(["active", "active", "closed", "written_off"]),
        "disbursed": st.integers(-30, 200).map(lambda n: BASE + timedelta(days=n)),
        "collector": st.sampled_from([None, 1, 2]),
        "schedule": st.lists(instalment, max_size=6),
        # most loans have no payment (the refresh's SQL path), the others take the Python waterfall
        "payments": st.one_of(st.just([]), st.lists(st.tuples(days, st.integers(0, 400_000)), max_size=4)),
    }
)
# What may differ between the paths: where the figures came from, said in the source and the notes.
SOURCE_KEYS = (
    "source",
    "source_kind",
    "notes",
    "first_snapshot",
    "from_source",
    "to_source",
    "from_snapshot",
    "to_snapshot",
)


def _write_bank(ctx, loans) -> None:
    with ctx.db.raw_write() as raw:
        for table in ("work_item", "promise", "bucket_snapshot", "loan_state", "payment", "instalment", "loan"):
            raw.execute(f"DELETE FROM {table}")
        raw.execute("DELETE FROM meta WHERE key IN ('state_as_of', 'state_policy')")
        raw.execute("INSERT INTO branch(id, name) VALUES (1, '城关支行'), (2, '东街支行') ON CONFLICT DO NOTHING")
        raw.executemany(
            "INSERT INTO staff_user(id, username, display_name, role, branch_id, password_hash, "
            "created_at, active, failed_logins, must_change_password) "
            "VALUES (?, ?, ?, 'collector', 1, 'x', '2026-01-01 00:00:00.000000', 1, 0, 0) ON CONFLICT DO NOTHING",
            [(1, "li", "li"), (2, "wang", "wang")],
        )
        raw.executemany(
            "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
            "phone_invalid, sms_opt_out, hardship) VALUES (?, '张三', '11010119900307123X', '13812345678', ?, "
            "0, 0, 0, 0, 0) ON CONFLICT DO NOTHING",
            [(f"C{c}", 1 + c // 2) for c in range(4)],
        )
        for n, ln in enumerate(loans):
            loan_id = f"L{n:02d}"
            raw.execute(
                "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, "
                "status, collector_id) VALUES (?, ?, 'p', 1, ?, '2027-06-01', ?, ?)",
                (loan_id, f"C{ln['customer']}", ln["disbursed"].isoformat(), ln["status"], ln["collector"]),
            )
            raw.executemany(
                "INSERT INTO instalment(loan_id, seq, due_date, principal_due_fen, interest_due_fen) "
                "VALUES (?, ?, ?, ?, ?)",
                [(loan_id, s + 1, d.isoformat(), p, i) for s, (d, p, i) in enumerate(ln["schedule"])],
            )
            raw.executemany(
                "INSERT INTO payment(payment_id, loan_id, paid_on, amount_fen) VALUES (?, ?, ?, ?)",
                [(f"P{n}_{k}", loan_id, d.isoformat(), a) for k, (d, a) in enumerate(ln["payments"])],
            )


def _figures(ctx, name: str, params: Params) -> dict:
    data = run(ctx, name, params).data
    return {k: v for k, v in data.items() if k not in SOURCE_KEYS}


def _other_day(*taken: date) -> date:
    day = TODAY
    while day in taken:
        day -= timedelta(days=1)
    return day


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(loan, max_size=8),
    days,
    st.sampled_from([None, "城关支行", "东街支行"]),
    st.sampled_from([None, "li"]),
)
def test_portfolio_agrees_whichever_source(ctx, loans, day, branch, collector):
    _write_bank(ctx, loans)
    params = Params(date_to=day, branch=branch, collector=collector)
    report = run(ctx, "portfolio", params)
    assert report.data["source_kind"] == "computed"
    computed = _figures(ctx, "portfolio", params)
    refresh.refresh(ctx, as_of=day)  # the stored state and a snapshot are for that day
    assert run(ctx, "portfolio", params).data["source_kind"] == ("snapshot" if loans else "state")
    assert _figures(ctx, "portfolio", params) == computed
    with ctx.db.raw_write() as raw:  # the state alone (as a database from before snapshots has it)
        raw.execute("DELETE FROM bucket_snapshot")
    assert run(ctx, "portfolio", params).data["source_kind"] == "state"
    assert _figures(ctx, "portfolio", params) == computed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(loan, max_size=8), days, days, st.sampled_from([None, "东街支行"]))
def test_migration_agrees_whichever_source(ctx, loans, one, two, branch):
    _write_bank(ctx, loans)
    params = Params(date_from=min(one, two), date_to=max(one, two), branch=branch)
    computed = _figures(ctx, "migration", params)
    for day in (one, two):
        refresh.refresh(ctx, as_of=day)
    refresh.refresh(ctx, as_of=_other_day(one, two))
    data = run(ctx, "migration", params).data
    if computed["available"]:
        assert data["from_snapshot"] == params.date_from.isoformat()
        assert data["to_snapshot"] == params.date_to.isoformat()
    assert _figures(ctx, "migration", params) == computed


@pytest.fixture
def book(ctx):
    """L1 (C0, 城关, li): 1,000.00 + 10.00 due 1 Sep, 500.00 + 5.00 due 1 Oct; 300.00 paid on 15 Sep.
    L2 (C2, 东街): disbursed 1 Nov, 200.00 + 2.00 due 20 Nov, unpaid.
    Each test works out its figures."""
    loans = [
        {
            "customer": 0,
            "status": "active",
            "disbursed": date(2026, 6, 1),
            "collector": 1,
            "schedule": [(date(2026, 9, 1), 100_000, 1_000), (date(2026, 10, 1), 50_000, 500)],
            "payments": [(date(2026, 9, 15), 30_000)],
        },
        {
            "customer": 2,
            "status": "active",
            "disbursed": date(2026, 11, 1),
            "collector": None,
            "schedule": [(date(2026, 11, 20), 20_000, 200)],
            "payments": [],
        },
    ]
    _write_bank(ctx, loans)
    return ctx


def test_portfolio_of_a_past_day_without_snapshots_is_computed(book):
    """30 Sep: L1's first instalment (1,010.00) got 300.00 (10.00 interest, 290.00 principal): 710.00 overdue
    since 1 Sep (29 DPD, M1); the second (505.00) is not due, its interest not counted: outstanding 710.00 +
    500.00 = 1,210.00. L2 was not disbursed yet: left out."""
    report = run(book, "portfolio", Params(date_to=date(2026, 9, 30)))
    data = report.data
    assert data["source_kind"] == "computed" and "computed from the loans" in data["source"]
    assert any("no stored figures for 2026-09-30" in n.text for n in report.notes)
    assert (data["total"]["loans"], data["total"]["borrowers"]) == (1, 1)
    assert (data["total"]["outstanding"], data["total"]["overdue"], data["total"]["par30"]) == (
        "1210.00",
        "710.00",
        0.0,
    )
    buckets = {b["bucket"]: b for b in data["by_bucket"]}
    assert (buckets["M1"]["loans"], buckets["M1"]["borrowers"], buckets["M1"]["outstanding"]) == (1, 1, "1210.00")
    # 28 Nov: L1 88 DPD (M3) 1,215.00 overdue and outstanding; L2 8 DPD (M1) 202.00.
    data = run(book, "portfolio", Params(date_to=TODAY)).data
    assert (data["total"]["loans"], data["total"]["outstanding"]) == (2, "1417.00")
    assert data["total"]["par30"] == round(1215 / 1417, 4)
    # Nothing was written: the report reads, whatever it computes.
    with book.db.raw_read() as raw:
        assert raw.execute("SELECT COUNT(*) FROM loan_state").fetchone()[0] == 0
        assert raw.execute("SELECT COUNT(*) FROM bucket_snapshot").fetchone()[0] == 0


def test_a_day_after_today_is_refused(book):
    with pytest.raises(FutureDay, match="after today"):
        run(book, "portfolio", Params(date_to=TODAY + timedelta(days=1)))
    report = run(book, "migration", Params(date_from=TODAY, date_to=TODAY + timedelta(days=3)))
    assert report.data["available"] is False and "after today" in report.data["message"]


def test_migration_without_snapshots_is_computed(book):
    """30 Sep -> 28 Nov: L1 M1 (1,210.00) -> M3: roll M1->M2 0 (it skipped M2), any worse 1, cure 0.
    L2 was disbursed after 30 Sep: not in t-1."""
    report = run(book, "migration", Params(date_from=date(2026, 9, 30), date_to=TODAY))
    data = report.data
    assert data["available"] is True and data["from_snapshot"] is None and data["to_snapshot"] is None
    assert "computed" in data["from_source"] and "computed" in data["to_source"]
    rows = {b["bucket"]: b for b in data["by_bucket"]}
    assert (rows["M1"]["loans"], rows["M1"]["balance"], rows["M1"]["roll_rate"]) == (1, "1210.00", 0.0)
    assert rows["M1"]["worse_rate"] == 1.0 and data["total"]["cure_rate"] == 0.0
    assert data["matrix"][1]["M3"] == "1210.00"
    assert any("t-1: computed" in n.text for n in report.notes)


def test_migration_before_the_first_loan_says_so(book):
    report = run(book, "migration", Params(date_from=date(2026, 5, 1), date_to=TODAY))
    assert report.data["available"] is False and report.data["total"] is None
    assert "no loan had been disbursed by 2026-05-01 (the first was on 2026-06-01)" in report.data["message"]
