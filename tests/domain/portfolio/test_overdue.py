"""Hand-worked examples for the overdue engine (docs/domain.md section 4). Amounts in fen."""

from datetime import date

import pytest

from collectui.domain.portfolio.overdue import Inst, Pay, bucket_for, category_for, compute

D = date
# Three monthly instalments of 1000.00 principal + 50.00 interest.
SCHEDULE = [
    Inst(1, D(2026, 8, 10), 100000, 5000),
    Inst(2, D(2026, 9, 10), 100000, 5000),
    Inst(3, D(2026, 10, 10), 100000, 5000),
]


def test_nothing_due_yet():
    f = compute(SCHEDULE, [], D(2026, 8, 1))
    assert (f.dpd, f.overdue_fen, f.bucket, f.category) == (0, 0, "M0", "normal")
    assert f.outstanding_fen == 300000  # all principal, no interest due yet
    assert f.next_due_date == D(2026, 8, 10) and f.next_due_fen == 105000


def test_instalment_due_on_as_of_is_not_overdue():
    f = compute(SCHEDULE, [], D(2026, 8, 10))
    assert f.dpd == 0 and f.overdue_fen == 0
    assert f.outstanding_fen == 300000 + 5000  # interest due on the day counts in outstanding
    f = compute(SCHEDULE, [], D(2026, 8, 11))
    assert f.dpd == 1 and f.overdue_fen == 105000 and f.bucket == "M1"


def test_unpaid_counts_from_oldest_instalment():
    f = compute(SCHEDULE, [], D(2026, 10, 11))
    assert f.dpd == (D(2026, 10, 11) - D(2026, 8, 10)).days == 62
    assert f.overdue_fen == 315000 and f.bucket == "M3"
    assert f.outstanding_fen == 315000


def test_partial_payment_goes_to_interest_first_and_keeps_instalment_overdue():
    # 600.00 paid: 50 interest + 550 principal of instalment 1; 450 principal still unpaid.
    f = compute(SCHEDULE, [Pay(D(2026, 8, 20), 60000)], D(2026, 9, 1))
    assert f.dpd == (D(2026, 9, 1) - D(2026, 8, 10)).days == 22
    assert f.overdue_fen == 45000
    assert f.outstanding_fen == 45000 + 200000
    assert f.paid_fen == 60000


def test_paying_oldest_in_full_moves_dpd_to_next_unpaid():
    f = compute(SCHEDULE, [Pay(D(2026, 9, 20), 105000)], D(2026, 9, 25))
    assert f.oldest_unpaid_due == D(2026, 9, 10) and f.dpd == 15


def test_payment_after_as_of_is_ignored():
    f = compute(SCHEDULE, [Pay(D(2026, 9, 5), 105000)], D(2026, 9, 1))
    assert f.dpd == 22 and f.overdue_fen == 105000


def test_early_payment_carries_to_next_instalment():
    # Paid 1575.00 before the first due date: instalment 1 in full, then 50 interest + 475 principal of #2.
    f = compute(SCHEDULE, [Pay(D(2026, 8, 1), 157500)], D(2026, 9, 11))
    assert f.dpd == 1 and f.oldest_unpaid_due == D(2026, 9, 10)
    assert f.overdue_fen == 52500
    assert f.outstanding_fen == 52500 + 100000


def test_overpayment_beyond_schedule_is_credit():
    f = compute(SCHEDULE, [Pay(D(2026, 8, 1), 320000)], D(2026, 12, 1))
    assert (f.dpd, f.overdue_fen, f.outstanding_fen, f.credit_fen) == (0, 0, 0, 5000)
    assert f.next_due_date is None


def test_several_payments_pool_in_date_order_irrelevant():
    pays = [Pay(D(2026, 9, 1), 5000), Pay(D(2026, 8, 15), 100000)]
    f = compute(SCHEDULE, pays, D(2026, 9, 11))
    assert f.oldest_unpaid_due == D(2026, 9, 10) and f.overdue_fen == 105000


@pytest.mark.parametrize(
    "dpd,bucket",
    [
        (0, "M0"),
        (1, "M1"),
        (30, "M1"),
        (31, "M2"),
        (60, "M2"),
        (61, "M3"),
        (90, "M3"),
        (91, "M4"),
        (120, "M4"),
        (121, "M5"),
        (150, "M5"),
        (151, "M6"),
        (180, "M6"),
        (181, "M6+"),
    ],
)
def test_buckets(dpd, bucket):
    assert bucket_for(dpd) == bucket


@pytest.mark.parametrize(
    "dpd,category",
    [
        (0, "normal"),
        (1, "special_mention"),
        (90, "special_mention"),
        (91, "substandard"),
        (270, "substandard"),
        (271, "doubtful"),
        (360, "doubtful"),
        (361, "loss"),
    ],
)
def test_five_categories(dpd, category):
    assert category_for(dpd) == category
