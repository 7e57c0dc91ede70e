"""What a collector may accept as a promise to pay, and opening one.

Amount: above zero and at most the borrower's total outstanding on the call's day (unpaid principal of
all loans plus interest already due, docs/domain.md section 4). Date: from the call's day through that day
plus ``promises.horizon_days``, both ends included. Judging promises kept/partial/broken is the work
list's ``domain.promises``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date, timedelta

from collectui.domain.policy import Policy
from collectui.domain.portfolio.overdue import Inst, Pay, compute
from collectui.money import fmt_fen_grouped, to_fen
from collectui.storage.raw import RawConnection


def total_outstanding(conn: RawConnection, customer_id: str, as_of: date) -> int:
    """Outstanding of all the borrower's loans on ``as_of``, in fen, from the schedules and payments."""
    insts: dict[str, list[Inst]] = defaultdict(list)
    for loan_id, seq, due, principal, interest in conn.execute(
        "SELECT i.loan_id, i.seq, i.due_date, i.principal_due_fen, i.interest_due_fen FROM instalment i "
        "JOIN loan l ON l.loan_id = i.loan_id WHERE l.customer_id = ?",
        (customer_id,),
    ):
        insts[loan_id].append(Inst(seq, date.fromisoformat(due), principal, interest))
    pays: dict[str, list[Pay]] = defaultdict(list)
    for loan_id, paid_on, amount in conn.execute(
        "SELECT p.loan_id, p.paid_on, p.amount_fen FROM payment p JOIN loan l ON l.loan_id = p.loan_id "
        "WHERE l.customer_id = ?",
        (customer_id,),
    ):
        pays[loan_id].append(Pay(date.fromisoformat(paid_on), amount))
    return sum(compute(schedule, pays[loan_id], as_of).outstanding_fen for loan_id, schedule in insts.items())


def parse_amount(value: str | int | None) -> tuple[int | None, str | None]:
    """(fen, problem). Yuan as text: "1200", "1,200.50", "１２００" (full-width digits)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "a promise needs an amount"
    try:
        text = value if isinstance(value, int) else value.strip().replace(",", "").replace("，", "")
        if isinstance(text, str):
            text = unicodedata.normalize("NFKC", text).lstrip("¥￥")
        return to_fen(text), None
    except ValueError as exc:
        return None, f"not an amount in yuan ({exc})"


def parse_promise_date(value: str | date | None) -> tuple[date | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "a promise needs a date"
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(value.strip()), None
    except ValueError:
        return None, f"expected a date YYYY-MM-DD, got {value.strip()[:20]!r}"


def amount_problem(amount_fen: int, outstanding_fen: int) -> str | None:
    if amount_fen <= 0:
        return "the amount must be above zero"
    if amount_fen > outstanding_fen:
        return (
            f"the amount {fmt_fen_grouped(amount_fen)} is more than the borrower's total outstanding "
            f"{fmt_fen_grouped(outstanding_fen)}"
        )
    return None


def date_problem(due: date, call_day: date, policy: Policy) -> str | None:
    horizon = policy.integer("promises.horizon_days")
    last = call_day + timedelta(days=horizon)
    if due < call_day:
        return f"the date {due} is before the call's day {call_day}"
    if due > last:
        return f"the date {due} is after {last} (at most {horizon} days after the call's day)"
    return None
