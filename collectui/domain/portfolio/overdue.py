"""The overdue engine (docs/domain.md section 4): pure functions over one loan's schedule and payments.

Payments made on or before the as-of date are pooled and applied to instalments oldest first, interest
before principal; money beyond an instalment carries to the next (early payments and overpayments), and
money beyond the whole schedule is reported as ``credit_fen``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")
CATEGORIES = ("normal", "special_mention", "substandard", "doubtful", "loss")
CATEGORY_ZH = {"normal": "正常", "special_mention": "关注", "substandard": "次级", "doubtful": "可疑", "loss": "损失"}


@dataclass(frozen=True, slots=True)
class Inst:
    seq: int
    due_date: date
    principal_fen: int
    interest_fen: int


@dataclass(frozen=True, slots=True)
class Pay:
    paid_on: date
    amount_fen: int


@dataclass(frozen=True, slots=True)
class LoanFigures:
    dpd: int
    bucket: str
    category: str
    overdue_fen: int
    outstanding_fen: int
    oldest_unpaid_due: date | None  # oldest instalment due before as-of that is not fully paid
    next_due_date: date | None  # first instalment due on or after as-of with something unpaid
    next_due_fen: int
    paid_fen: int  # payments applied to the schedule
    credit_fen: int  # paid beyond the whole schedule


def bucket_for(dpd: int) -> str:
    if dpd <= 0:
        return "M0"
    if dpd > 180:
        return "M6+"
    return f"M{(dpd - 1) // 30 + 1}"


def category_for(dpd: int) -> str:
    if dpd <= 0:
        return "normal"
    if dpd <= 90:
        return "special_mention"
    if dpd <= 270:
        return "substandard"
    if dpd <= 360:
        return "doubtful"
    return "loss"


def compute(instalments: Iterable[Inst], payments: Iterable[Pay], as_of: date) -> LoanFigures:
    schedule = sorted(instalments, key=lambda i: (i.due_date, i.seq))
    pool = sum(p.amount_fen for p in payments if p.paid_on <= as_of)
    applied = 0
    overdue = outstanding = next_due_fen = 0
    oldest_unpaid: date | None = None
    next_due: date | None = None
    for inst in schedule:
        pay_interest = min(pool, inst.interest_fen)
        pool -= pay_interest
        pay_principal = min(pool, inst.principal_fen)
        pool -= pay_principal
        applied += pay_interest + pay_principal
        unpaid_interest = inst.interest_fen - pay_interest
        unpaid_principal = inst.principal_fen - pay_principal
        unpaid = unpaid_interest + unpaid_principal
        outstanding += unpaid_principal
        if inst.due_date <= as_of:
            outstanding += unpaid_interest
        if inst.due_date < as_of:
            overdue += unpaid
            if unpaid and oldest_unpaid is None:
                oldest_unpaid = inst.due_date
        elif unpaid and next_due is None:
            next_due, next_due_fen = inst.due_date, unpaid
    dpd = (as_of - oldest_unpaid).days if oldest_unpaid else 0
    return LoanFigures(
        dpd=dpd,
        bucket=bucket_for(dpd),
        category=category_for(dpd),
        overdue_fen=overdue,
        outstanding_fen=outstanding,
        oldest_unpaid_due=oldest_unpaid,
        next_due_date=next_due,
        next_due_fen=next_due_fen,
        paid_fen=applied,
        credit_fen=pool,
    )
