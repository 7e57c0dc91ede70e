"""Demo loans: products, monthly schedules in integer fen, and payments crafted for a target days-past-due.

A loan that should be ``k`` days past due on the as-of date gets an instalment due exactly ``as_of - k``
(the anchor); every instalment before it is paid (on time, a little early or a little late, or several at
once in a catch-up payment), the anchor is unpaid or only partly paid, and nothing after it is paid. The
overdue engine then finds ``k`` by itself: the demo never writes DPD.
"""

from __future__ import annotations

import calendar
import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from typing import TypeVar

_T = TypeVar("_T")

# name, principal range in yuan (step 1000), terms in months, annual rate range in ppm, repayment method
Product = tuple[str, tuple[int, int], tuple[int, ...], tuple[int, int], str]
PRODUCTS: tuple[Product, ...] = (
    ("农户小额信用贷款", (10_000, 50_000), (12, 24, 36), (60_000, 80_000), "annuity"),
    ("个体工商户经营贷", (50_000, 300_000), (12, 24, 36), (55_000, 75_000), "equal_principal"),
    ("消费贷", (5_000, 50_000), (6, 12, 24), (80_000, 120_000), "annuity"),
)
PRODUCT_CUM = (50, 75, 100)
BUSINESS_PRODUCT = "个体工商户经营贷"
CHANNELS = ("counter", "mobile_banking", "auto_debit", "agent_point")
CHANNEL_CUM = (25, 60, 90, 100)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (or earlier), clamped to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    dom = day.day
    if dom > 28:
        dom = min(dom, 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1])
    return date(year, month, dom)


@dataclass
class LoanPlan:
    loan_id: str
    customer_id: str
    product: str
    principal_fen: int
    rate_ppm: int
    method: str
    disbursed_on: date
    maturity_date: date
    status: str
    schedule: list[tuple[int, date, int, int]]  # seq, due, principal, interest
    anchor_due: date  # the oldest unpaid instalment (overdue) or the next one (current)
    payments: list[tuple[date, int]] = field(default_factory=list)
    target_dpd: int = 0
    catchup: tuple[date, int] | None = None  # several instalments paid at once (a kept promise)
    partial: tuple[date, int] | None = None  # part of the anchor instalment


@cache
def _annuity_factor(rate_ppm: int, term: int) -> Decimal:
    with localcontext() as c:
        c.prec = 34
        r = Decimal(rate_ppm) / Decimal(12_000_000)
        return r / (1 - (1 + r) ** -term)


def amounts(principal_fen: int, rate_ppm: int, term: int, method: str) -> list[tuple[int, int]]:
    """(principal, interest) per month. Annuity (等额本息) or equal principal (等额本金); the last
    instalment takes the rounding remainder so the principal parts sum to the loan exactly."""
    out: list[tuple[int, int]] = []
    balance = principal_fen
    payment = 0
    if method == "annuity":
        payment = int((principal_fen * _annuity_factor(rate_ppm, term)).quantize(Decimal(1), ROUND_HALF_UP))
    for n in range(term):
        interest = (balance * rate_ppm + 6_000_000) // 12_000_000
        if n == term - 1:
            part = balance
        elif payment:
            part = min(balance, max(payment - interest, 0))
        else:
            part = principal_fen // term
        out.append((part, interest))
        balance -= part
    return out


def pick(rng: random.Random, items: Sequence[_T], cum: Sequence[float]) -> _T:
    """``rng.choices(items, cum_weights=cum)[0]`` without the list building (called per payment)."""
    return items[bisect_right(cum, rng.random() * cum[-1])]


class LoanFactory:
    def __init__(self, rng: random.Random, as_of: date) -> None:
        self.rng = rng
        self.as_of = as_of

    def _product(self, product: str | None = None) -> Product:
        if product:
            return next(p for p in PRODUCTS if p[0] == product)
        return pick(self.rng, PRODUCTS, PRODUCT_CUM)

    def _skeleton(
        self,
        loan_id: str,
        customer_id: str,
        anchor_due: date,
        anchor_idx: int | None,
        product: str | None = None,
        min_term: int = 0,
    ) -> LoanPlan:
        """A loan whose instalment ``anchor_idx`` (None: the last one) falls due on ``anchor_due``."""
        rng = self.rng
        name, (lo, hi), terms, (rlo, rhi), method = self._product(product)
        if anchor_idx is None:
            term = rng.choice(terms)
            anchor_idx = term - 1
        else:
            term = rng.choice(
                [t for t in terms if t > max(anchor_idx, min_term - 1)] or [max(terms[-1], anchor_idx + 1)]
            )
        principal = rng.randrange(lo // 1000, hi // 1000 + 1) * 100_000
        rate = rng.randrange(rlo // 500, rhi // 500 + 1) * 500
        dues = [add_months(anchor_due, j - anchor_idx) for j in range(term)]
        schedule = [(j + 1, dues[j], p, i) for j, (p, i) in enumerate(amounts(principal, rate, term, method))]
        return LoanPlan(
            loan_id,
            customer_id,
            name,
            principal,
            rate,
            method,
            add_months(dues[0], -1),
            dues[-1],
            "active",
            schedule,
            anchor_due=anchor_due,
        )

    def _pay_on(self, due: date, latest: date) -> date:
        """Mostly on time or a few days early; some days late; some well ahead."""
        r = self.rng.random
        roll = r()
        offset = int(r() * 4) - 3 if roll < 0.72 else 1 + int(r() * 9) if roll < 0.9 else -4 - int(r() * 12)
        return min(due + timedelta(days=offset), latest)

    def _pay_before(self, plan: LoanPlan, upto: int, latest: date, skip_last: int = 0) -> None:
        """Pay instalments 0..upto-1 one by one, except the last ``skip_last`` (a catch-up pays those)."""
        for _seq, due, p, i in plan.schedule[: upto - skip_last]:
            plan.payments.append((max(self._pay_on(due, latest), plan.disbursed_on + timedelta(days=1)), p + i))

    def overdue(
        self,
        loan_id: str,
        customer_id: str,
        dpd: int,
        partial: bool = False,
        catchup: bool = False,
        product: str | None = None,
        partial_early: bool = False,
    ) -> LoanPlan:
        """``partial_early``: the partial payment falls 3 days after the anchor or later and at least 6 days
        before the as-of date, so a promise around it can be judged already."""
        anchor = self.as_of - timedelta(days=dpd)
        rng = self.rng
        idx = rng.randint(1 if catchup else 0, 9)
        plan = self._skeleton(loan_id, customer_id, anchor, idx, product)
        plan.target_dpd = dpd
        count = 0
        if catchup and idx >= 1:
            prev_due = plan.schedule[idx - 1][1]
            lo, hi = prev_due + timedelta(days=8), self.as_of - timedelta(days=3)
            if lo <= hi:
                count = rng.randint(1, min(3, idx))
                day = lo + timedelta(days=rng.randint(0, min((hi - lo).days, 40)))
                plan.catchup = (day, sum(p + i for _, _, p, i in plan.schedule[idx - count : idx]))
        self._pay_before(plan, idx, anchor - timedelta(days=1), count)
        if plan.catchup:
            plan.payments.append(plan.catchup)
        if partial and dpd >= 3:
            _, due, p, i = plan.schedule[idx]
            amount = max(100, ((p + i) * rng.randint(20, 70) // 100) // 100 * 100)
            if partial_early and dpd >= 9:
                day = due + timedelta(days=rng.randint(3, min(dpd - 6, 20)))
            else:
                day = due + timedelta(days=rng.randint(1, max(1, min(dpd - 1, 20))))
            plan.partial = (min(day, self.as_of - timedelta(days=1)), min(amount, p + i - 1))
            plan.payments.append(plan.partial)
        return plan

    def current(
        self,
        loan_id: str,
        customer_id: str,
        early: bool = False,
        overpay: bool = False,
        catchup: bool = False,
        product: str | None = None,
    ) -> LoanPlan:
        rng = self.rng
        anchor = self.as_of + timedelta(days=rng.randint(0, 29))
        idx = rng.randint(2 if catchup else 0, 14)
        plan = self._skeleton(loan_id, customer_id, anchor, idx, product, min_term=idx + 2)
        count = 0
        if catchup and idx >= 2:
            prev_due = plan.schedule[idx - 1][1]
            lo, hi = prev_due + timedelta(days=1), self.as_of - timedelta(days=1)
            if lo <= hi:
                count = 2
                day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
                plan.catchup = (day, sum(p + i for _, _, p, i in plan.schedule[idx - 2 : idx]))
        self._pay_before(plan, idx, self.as_of - timedelta(days=1), count)
        if plan.catchup:
            plan.payments.append(plan.catchup)
        if early or overpay:
            _, due, p, i = plan.schedule[idx]
            amount = p + i + (rng.randint(50, 500) * 100 if overpay else 0)
            plan.payments.append((self.as_of - timedelta(days=rng.randint(1, 5)), amount))
        return plan

    def closed(self, loan_id: str, customer_id: str) -> LoanPlan:
        """Every instalment due in the past and paid: a loan the borrower finished."""
        last_due = self.as_of - timedelta(days=self.rng.randint(10, 500))
        plan = self._skeleton(loan_id, customer_id, last_due, None, "消费贷")
        plan.status = "closed"
        self._pay_before(plan, len(plan.schedule), self.as_of - timedelta(days=1))
        return plan

    def written_off(self, loan_id: str, customer_id: str) -> LoanPlan:
        plan = self.overdue(loan_id, customer_id, self.rng.randint(540, 900), product="农户小额信用贷款")
        plan.status = "written_off"
        return plan
