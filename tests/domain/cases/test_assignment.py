"""Assignment: by hand, balancing (3 collectors with uneven loads, before/after spread), the load per
collector, permissions, and a later import that keeps a hand assignment."""

from __future__ import annotations

from datetime import date

import pytest

from collectui.domain.cases import assignment as svc
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.importing import import_file
from collectui.domain.portfolio.refresh import refresh
from collectui.storage.models import Branch, Customer, Instalment, Loan, StaffUser
from tests.support.cli import SYSTEM, actor_of
from tests.support.importing import write

BRANCH, OTHER = "城关支行", "新街支行"
# Borrowers already with a collector (overdue yuan each) and the branch's unassigned ones.
HELD = {"c1": [1000] * 6, "c2": [500, 500], "c3": []}
UNASSIGNED = [3000, 2500, 2000, 1500, 1000, 800, 500, 200]


def _q(ctx, sql, *params):
    with ctx.db.raw_read() as raw:  # the database's own connection: the same test on either engine
        return [tuple(row) for row in raw.execute(sql, params).fetchall()]


@pytest.fixture
def branch(ctx):
    """Collectors c1 (6 borrowers, 6,000 yuan overdue), c2 (2, 1,000), c3 (none); 8 unassigned borrowers
    (11,500 yuan); supervisor sue; in another branch, collector x1 and borrower X1."""
    with ctx.db.write() as s:
        ids = {}
        for name in (BRANCH, OTHER):
            b = Branch(name=name)
            s.add(b)
            s.flush()
            ids[name] = b.id
        users = {}
        for username, role, where in (
            ("c1", "collector", BRANCH),
            ("c2", "collector", BRANCH),
            ("c3", "collector", BRANCH),
            ("gone", "collector", BRANCH),
            ("sue", "supervisor", BRANCH),
            ("x1", "collector", OTHER),
        ):
            u = StaffUser(
                username=username,
                display_name=username,
                role=role,
                branch_id=ids[where],
                password_hash="x",
                created_at=ctx.clock.now(),
                active=username != "gone",
            )
            s.add(u)
            s.flush()
            users[username] = u.id
        people = [(f"{who}-{n}", yuan, who) for who, amounts in HELD.items() for n, yuan in enumerate(amounts)]
        people += [(f"U{n}", yuan, None) for n, yuan in enumerate(UNASSIGNED)]
        people += [("X1", 700, "x1")]
        for cid, yuan, who in people:
            s.add(
                Customer(
                    customer_id=cid,
                    name="张三",
                    id_number="110101199003070011",
                    phone="13812345678",
                    branch_id=ids[OTHER if cid == "X1" else BRANCH],
                )
            )
            s.flush()
            s.add(
                Loan(
                    loan_id=f"L-{cid}",
                    customer_id=cid,
                    product="农户贷",
                    principal_fen=yuan * 200,
                    disbursed_on=date(2026, 1, 1),
                    maturity_date=date(2027, 1, 1),
                    collector_id=users.get(who) if who else None,
                )
            )
            s.flush()
            s.add(Instalment(loan_id=f"L-{cid}", seq=1, due_date=date(2026, 10, 1), principal_due_fen=yuan * 100,
                             interest_due_fen=0))  # fmt: skip
            s.add(Instalment(loan_id=f"L-{cid}", seq=2, due_date=date(2027, 1, 1), principal_due_fen=yuan * 100,
                             interest_due_fen=0))  # fmt: skip
    refresh(ctx)
    return ctx


def _load(ctx, actor="sue"):
    return {(e.username, e.branch): (e.borrowers, e.overdue_fen) for e in svc.load(ctx, actor_of(ctx, actor))}


def test_load_per_collector_with_the_unassigned(branch):
    assert _load(branch) == {
        ("c1", BRANCH): (6, 600_000),
        ("c2", BRANCH): (2, 100_000),
        ("c3", BRANCH): (0, 0),
        ("gone", BRANCH): (0, 0),
        (None, BRANCH): (8, 1_150_000),
    }
    every = {(e.username, e.branch) for e in svc.load(branch, SYSTEM)}  # an admin sees every branch
    assert ("x1", OTHER) in every


def test_balancing_evens_out_three_uneven_collectors(branch):
    dry = svc.balance(branch, actor_of(branch, "sue"), BRANCH, dry_run=True)
    # Before: 6 / 2 / 0 borrowers, 6,000 / 1,000 / 0 yuan.
    assert dry.spread_before == svc.Spread(borrowers=6, overdue_fen=600_000)
    assert len(dry.moves) == 8 and {m.from_user for m in dry.moves} == {None}
    after = {e.username: (e.borrowers, e.overdue_fen) for e in dry.after if e.username in ("c1", "c2", "c3")}
    assert sum(n for n, _ in after.values()) == 16 and sum(o for _, o in after.values()) == 1_850_000
    # After: 6 / 6 / 4 borrowers, 6,000 / 6,300 / 6,200 yuan (largest first onto the least amount:
    # c3 3,000, c2 2,500, c3 2,000, c2 1,500, c3 1,000, c2 800, c2 500, c3 200).
    assert after == {"c1": (6, 600_000), "c2": (6, 630_000), "c3": (4, 620_000)}  # c1 takes nothing more
    assert dry.spread_after == svc.Spread(borrowers=2, overdue_fen=30_000)
    assert _q(branch, "SELECT COUNT(*) FROM assignment") == [(0,)]  # a dry run writes nothing

    done = svc.balance(branch, actor_of(branch, "sue"), BRANCH)
    assert [(m.customer_id, m.to_user) for m in done.moves] == [(m.customer_id, m.to_user) for m in dry.moves]
    assert _load(branch)[("c3", BRANCH)] == after["c3"] and (None, BRANCH) not in _load(branch)
    moved = {m.customer_id: m.to_user for m in done.moves}
    rows = _q(
        branch,
        "SELECT a.customer_id, u.username, w.collector_id = a.collector_id, l.collector_id = a.collector_id "
        "FROM assignment a JOIN staff_user u ON u.id = a.collector_id JOIN work_item w USING (customer_id) "
        "JOIN loan l USING (customer_id)",
    )
    assert {r[0]: r[1] for r in rows} == moved and all(r[2] == 1 and r[3] == 1 for r in rows)
    assert _q(branch, "SELECT COUNT(*) FROM audit_event WHERE action = 'assignment.assign'") == [(8,)]
    assert _q(branch, "SELECT target_id FROM audit_event WHERE action = 'assignment.balance'") == [(BRANCH,)]
    # Nothing left to spread: a second run moves nobody.
    assert svc.balance(branch, actor_of(branch, "sue"), BRANCH).moves == []


def test_borrowers_with_nothing_overdue_even_out_the_counts():
    # Amounts first (a 0 / 0 collector takes the one with money), then the counts (the others go to b).
    moves = svc.plan_moves([("X", None, 500), ("Y", None, 0), ("Z", None, 0)], {"a": (0, 0), "b": (0, 100)})
    assert [(m.customer_id, m.to_user) for m in moves] == [("X", "a"), ("Y", "b"), ("Z", "b")]
    with pytest.raises(InvalidInput, match="no active collector"):
        svc.plan_moves([("X", None, 1)], {})


def test_a_leaving_collectors_borrowers_go_to_the_others(branch):
    result = svc.balance(branch, actor_of(branch, "sue"), BRANCH, leaving="c1")
    assert len(result.moves) == 6 and {m.from_user for m in result.moves} == {"c1"}
    assert {m.to_user for m in result.moves} <= {"c2", "c3"}  # never back to c1, never to an inactive one
    load = _load(branch)
    assert load[("c1", BRANCH)] == (0, 0)
    assert abs(load[("c2", BRANCH)][0] - load[("c3", BRANCH)][0]) <= 2


def test_assign_by_hand(branch):
    result = svc.assign(branch, actor_of(branch, "sue"), ["U0", "c1-0", "U0"], "c3")
    assert [(m.customer_id, m.from_user) for m in result.moves] == [("U0", None), ("c1-0", "c1")]
    assert _q(branch, "SELECT u.username FROM work_item w JOIN staff_user u ON u.id = w.collector_id "
              "WHERE customer_id IN ('U0', 'c1-0')") == [("c3",), ("c3",)]  # fmt: skip
    again = svc.assign(branch, actor_of(branch, "sue"), ["U0"], "c3")
    assert again.moves == [] and again.confirmed == ["U0"]
    # Already theirs by the import: now marked as a hand assignment.
    marked = svc.assign(branch, actor_of(branch, "sue"), ["c2-0"], "c2")
    assert marked.moves == [] and marked.confirmed == ["c2-0"]
    assert _q(branch, "SELECT COUNT(*) FROM assignment") == [(3,)]


def test_assign_refusals(branch):
    sue = actor_of(branch, "sue")
    with pytest.raises(PermissionDenied, match="acts for branch"):
        svc.assign(branch, sue, ["X1"], "c3")  # a borrower of another branch: refused, her branch not named
    with pytest.raises(InvalidInput, match="新街支行"):
        svc.assign(branch, SYSTEM, ["X1"], "c3")  # one who acts on every branch is told why it cannot be
    with pytest.raises(PermissionDenied):
        svc.assign(branch, sue, ["X1"], "x1")  # sue answers for her own branch only
    with pytest.raises(InvalidInput, match="supervisor"):
        svc.assign(branch, sue, ["U0"], "sue")
    with pytest.raises(InvalidInput, match="not active"):
        svc.assign(branch, sue, ["U0"], "gone")
    with pytest.raises(NotFound):
        svc.assign(branch, sue, ["NOPE"], "c3")
    with pytest.raises(NotFound):
        svc.balance(branch, sue, "no such branch") if False else svc.balance(branch, SYSTEM, "无此支行")
    with pytest.raises(InvalidInput, match="新街支行"):
        svc.balance(branch, SYSTEM, BRANCH, leaving="x1")


def test_a_collector_can_neither_assign_nor_balance_nor_see_the_load(branch):
    c1 = actor_of(branch, "c1")
    for attempt in (
        lambda: svc.assign(branch, c1, ["U0"], "c1"),
        lambda: svc.balance(branch, c1, BRANCH),
        lambda: svc.load(branch, c1),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert _q(branch, "SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' AND actor = 'c1'") == [(3,)]
    assert _q(branch, "SELECT COUNT(*) FROM assignment") == [(0,)]


LOANS = "loan_id,customer_id,product,principal,disbursed_on,maturity_date,annual_rate,status,collector\n"


def test_an_import_keeps_a_hand_assignment(branch, tmp_path):
    svc.assign(branch, actor_of(branch, "sue"), ["U0"], "c3")
    # The core-banking export still says c1 for U0's loan and brings a new loan of U0 for c2; U1 (never
    # assigned by hand) follows the file.
    path = write(
        tmp_path / "loans.csv",
        LOANS
        + "L-U0,U0,农户贷,6000,2026-01-01,2027-01-01,,active,c1\n"
        + "L-U0b,U0,农户贷,1000,2026-02-01,2027-02-01,,active,c2\n"
        + "L-U1,U1,农户贷,5000,2026-01-01,2027-01-01,,active,c1\n",
    )
    result = import_file(branch, "loans", path)
    assert result.committed and result.kinds[0].kept == 2
    got = dict(_q(branch, "SELECT l.loan_id, u.username FROM loan l JOIN staff_user u ON u.id = l.collector_id "
                  "WHERE l.loan_id IN ('L-U0', 'L-U0b', 'L-U1')"))  # fmt: skip
    assert got == {"L-U0": "c3", "L-U0b": "c3", "L-U1": "c1"}
    [(details,)] = _q(branch, "SELECT details FROM audit_event WHERE action = 'import.loans'")
    assert '"kept_assignments": 2' in details


def test_hand_assignments_are_vouched_for_by_the_audit_trail(branch):
    from collectui.domain.audit import verify

    svc.balance(branch, actor_of(branch, "sue"), BRANCH)
    with branch.db.raw_read() as raw:
        assert verify(raw).ok
    with branch.db.raw_write() as raw:  # an operator moves a borrower with SQL: the trail says so
        raw.execute("UPDATE assignment SET collector_id = (SELECT id FROM staff_user WHERE username = 'c1') "
                    "WHERE customer_id = 'U0'")  # fmt: skip
    with branch.db.raw_read() as raw:
        result = verify(raw)
    assert not result.ok and "assignment" in str(result)
