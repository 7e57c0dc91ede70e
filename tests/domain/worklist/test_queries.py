"""Reading the work list: pages, filters, positions, summaries, masking, "as of" without side effects."""

import random

import pytest
from sqlalchemy import text

from collectui.domain.errors import UsageError
from collectui.domain.portfolio import refresh
from collectui.domain.portfolio.ranking import order_key
from collectui.domain.worklist import queries as worklist
from collectui.domain.worklist.queries import WorkFilter
from tests.support.small_bank import Bank, D, monthly

NAMES = ["李小龙", "王芳", "张伟", "陈静怡"]


@pytest.fixture(autouse=True)
def _no_reminder_rule(ctx):
    """The list's other rules are under test here; the reminder SMS rule (sms_notice) has its own tests."""
    from collectui.domain.policy import policy_from_dict

    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})


@pytest.fixture
def listed(ctx):
    rng = random.Random(3)
    bank = Bank(ctx.db)
    for n in range(40):
        cid = bank.customer(
            f"C{n:03d}", branch_id=1 + n % 2, name=NAMES[n % 4], phone=f"1390000{n:04d}", do_not_call=n % 10 == 9
        )
        first = D(2026, 1, 1 + n % 28)
        months = rng.randrange(1, 11)
        bank.loan(
            f"L{n:03d}",
            cid,
            monthly(D(first.year, 1 + rng.randrange(0, 10), first.day), months, rng.randrange(10, 90) * 1000, 500),
            collector_id=1 + n % 2,
        )
        if n % 4 == 0:  # same schedule twice: ties on DPD and amount, broken by customer_id
            bank.loan(f"M{n:03d}", cid, monthly(D(2026, 9, 1), 2))
    refresh.refresh(ctx)
    return bank


def stored(ctx, callable_only=True):
    with ctx.db.engine.connect() as c:
        rows = c.execute(
            text("SELECT customer_id, score, max_dpd, overdue_fen, broken_promises, callable FROM work_item")
        ).all()
    rows = [r for r in rows if r.callable or not callable_only]
    return [
        r.customer_id
        for r in sorted(
            rows, key=lambda r: order_key(r.score, r.max_dpd, r.overdue_fen, r.broken_promises, r.customer_id)
        )
    ]


def all_pages(ctx, flt, size):
    out, offset = [], 0
    while True:
        page = worklist.fetch_page(ctx, flt, offset, size)
        if not page:
            return out
        out += page
        offset += size


@pytest.mark.parametrize("size", [1, 7, 100])
def test_pages_at_any_offset_follow_the_ranking(ctx, listed, size):
    for include_blocked in (False, True):
        flt = WorkFilter(include_blocked=include_blocked)
        rows = all_pages(ctx, flt, size)
        assert [r.customer_id for r in rows] == stored(ctx, not include_blocked)
        assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
        assert worklist.count(ctx, flt) == len(rows)
    assert worklist.count(ctx, WorkFilter(include_blocked=True)) > worklist.count(ctx)


def test_rows_are_masked_and_complete(ctx, listed):
    row = worklist.fetch_page(ctx, WorkFilter(), 0, 1)[0]
    assert "*" in row.name and row.name[0] in "李王张陈" and len(row.name) >= 2
    assert row.phone.startswith("139") and "****" in row.phone and len(row.phone) == 11
    assert row.branch in ("城关支行", "河西支行") and row.collector in ("wang", "li")
    assert row.reasons[0].text.startswith(f"DPD {row.dpd}:") and row.callable and row.loan_ids


def test_filters(ctx, listed):
    everyone = all_pages(ctx, WorkFilter(include_blocked=True), 50)
    by_branch = all_pages(ctx, WorkFilter(branch="河西支行", include_blocked=True), 50)
    assert by_branch and [r.customer_id for r in by_branch] == [
        r.customer_id for r in everyone if r.branch == "河西支行"
    ]
    assert [r.customer_id for r in all_pages(ctx, WorkFilter(branch=2, include_blocked=True), 50)] == [
        r.customer_id for r in by_branch
    ]
    mine = all_pages(ctx, WorkFilter(collector_id=1), 50)
    assert mine and all(r.collector == "wang" and r.callable for r in mine)
    bucket = everyone[0].bucket
    assert all(r.bucket == bucket for r in all_pages(ctx, WorkFilter(bucket=bucket.lower()), 50))
    blocked = [r for r in everyone if not r.callable]
    assert blocked and all(r.blocked_reason == "do_not_call" for r in blocked)
    with pytest.raises(UsageError):
        worklist.count(ctx, WorkFilter(bucket="M7"))
    with pytest.raises(UsageError, match="branches: 城关支行, 河西支行"):
        worklist.count(ctx, WorkFilter(branch="nowhere"))


def test_search_and_find_position(ctx, listed):
    everyone = all_pages(ctx, WorkFilter(), 50)
    target = everyone[len(everyone) // 2]
    assert worklist.find_position(ctx, WorkFilter(), target.customer_id) == len(everyone) // 2
    hits = worklist.search(ctx, target.loan_ids[0])
    assert [h.customer_id for h in hits] == [target.customer_id] and hits[0].rank == target.rank
    assert [h.customer_id for h in worklist.fetch_page(ctx, WorkFilter(search=target.customer_id), 0, 5)] == [
        target.customer_id
    ]
    by_name = worklist.fetch_page(ctx, WorkFilter(search="芳"), 0, 100)
    assert by_name and all(h.name.startswith("王") for h in by_name)
    blocked = next(r for r in all_pages(ctx, WorkFilter(include_blocked=True), 50) if not r.callable)
    assert worklist.find_position(ctx, WorkFilter(), blocked.customer_id) is None
    assert worklist.find_position(ctx, WorkFilter(), "nobody") is None


def test_bucket_summary(ctx, listed):
    summary = worklist.bucket_summary(ctx, WorkFilter(include_blocked=True))
    assert [b.bucket for b in summary] == ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+"]
    rows = all_pages(ctx, WorkFilter(include_blocked=True), 50)
    assert sum(b.count for b in summary) == len(rows)
    assert sum(b.overdue_fen for b in summary) == sum(r.overdue_fen for r in rows)


def test_as_of_another_day_leaves_the_stored_state_alone(ctx, listed):
    before = stored(ctx, False)
    total, rows = worklist.rows_as_of(ctx, WorkFilter(), D(2026, 6, 30), 0, None)
    assert rows and total == len(rows) and all(r.as_of == D(2026, 6, 30) for r in rows)
    assert stored(ctx, False) == before and refresh.stored_as_of(ctx) == D(2026, 11, 28)
    # As of the stored day, the in-memory list equals the stored one.
    total, rows = worklist.rows_as_of(ctx, WorkFilter(include_blocked=True), D(2026, 11, 28), 0, None)
    assert [(r.customer_id, r.score, r.reasons) for r in rows] == [
        (r.customer_id, r.score, r.reasons) for r in all_pages(ctx, WorkFilter(include_blocked=True), 50)
    ]


def test_search_with_more_matches_than_the_list_form_holds(ctx, listed, monkeypatch):
    expected = [r.customer_id for r in worklist.fetch_page(ctx, WorkFilter(search="张"), 0, 100)]
    monkeypatch.setattr(worklist, "_MAX_MATCHES", 1)
    assert len(expected) > 1
    assert [r.customer_id for r in worklist.fetch_page(ctx, WorkFilter(search="张"), 0, 100)] == expected
    assert worklist.count(ctx, WorkFilter(search="C0")) == worklist.count(ctx)


@pytest.mark.parametrize("size", [1, 4, 7, 100])
def test_page_containing_a_hit_is_the_same_page_as_by_offset(ctx, listed, size):
    for flt in (WorkFilter(), WorkFilter(include_blocked=True), WorkFilter(branch=2)):
        rows = all_pages(ctx, flt, size)
        for row in rows:
            position, page = worklist.page_containing(ctx, flt, row.customer_id, size)
            assert position == row.rank - 1
            start = position - position % size
            expected = worklist.fetch_page(ctx, flt, start, size)
            assert [(r.customer_id, r.rank) for r in page] == [(r.customer_id, r.rank) for r in expected]
    assert worklist.page_containing(ctx, WorkFilter(), "C009", 7) is None  # do-not-call: not on this list
    assert worklist.page_containing(ctx, WorkFilter(), "nobody", 7) is None
