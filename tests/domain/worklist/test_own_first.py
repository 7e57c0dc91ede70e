"""A collector's list: the borrowers assigned to them first, then the branch's unassigned ones, nobody else's."""

from __future__ import annotations

import pytest

from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio import refresh
from collectui.domain.worklist import queries
from collectui.domain.worklist.queries import WorkFilter
from collectui.storage.models import StaffUser
from tests.support.small_bank import Bank, D, at, monthly

WANG, LI, ZHAO = 1, 2, 3  # wang and zhao collect for branch 1


@pytest.fixture
def bank(ctx):
    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})
    b = Bank(ctx.db)
    with ctx.db.write() as s:
        s.add(StaffUser(id=ZHAO, username="zhao", display_name="赵", role="collector", branch_id=1,
                        password_hash="x", created_at=at(D(2026, 1, 1))))  # fmt: skip
    # Older debts rank higher: W1..W3 wang's, F1..F3 nobody's, Z1..Z2 zhao's, interleaved in rank.
    owners = {"W1": WANG, "F1": None, "Z1": ZHAO, "W2": WANG, "F2": None, "Z2": ZHAO, "F3": None, "W3": WANG}
    for n, (cid, owner) in enumerate(owners.items()):
        b.customer(cid)
        b.loan(f"L{cid}", cid, monthly(D(2026, 6, 1 + n), 3), collector_id=owner)
    refresh.refresh(ctx)
    return b


def ids(rows) -> list[str]:
    return [r.customer_id for r in rows]


def test_own_then_unassigned_in_list_order(ctx, bank):
    everyone = ids(queries.fetch_page(ctx, WorkFilter(), 0, 50))
    assert everyone == ["W1", "F1", "Z1", "W2", "F2", "Z2", "F3", "W3"]
    flt = WorkFilter(own_first=WANG)
    assert queries.count(ctx, flt) == 6
    rows = queries.fetch_page(ctx, flt, 0, 50)
    assert ids(rows) == ["W1", "W2", "W3", "F1", "F2", "F3"] and [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("offset", [0, 1, 2, 3, 4, 5])
def test_pages_across_the_seam_join_up(ctx, bank, offset):
    flt = WorkFilter(own_first=WANG)
    whole = ids(queries.fetch_page(ctx, flt, 0, 50))
    page = queries.fetch_page(ctx, flt, offset, 2)
    assert (
        ids(page) == whole[offset : offset + 2]
        and [r.rank for r in page] == list(range(offset + 1, offset + 3))[: len(page)]
    )


def test_positions_and_jumps(ctx, bank):
    flt = WorkFilter(own_first=WANG)
    assert queries.find_position(ctx, flt, "W3") == 2
    assert queries.find_position(ctx, flt, "F1") == 3
    assert queries.find_position(ctx, flt, "Z1") is None  # another collector's borrower
    position, page = queries.page_containing(ctx, flt, "F2", 4)
    assert position == 4 and ids(page) == ["F2", "F3"]  # the second page of 4
    assert [r.customer_id for r in queries.search(ctx, "F2", flt)] == ["F2"]


def test_the_list_as_of_another_day_keeps_the_order(ctx, bank):
    total, rows = queries.rows_as_of(ctx, WorkFilter(own_first=WANG), D(2026, 11, 29), 0, None)
    assert total == 6 and ids(rows) == ["W1", "W2", "W3", "F1", "F2", "F3"]
