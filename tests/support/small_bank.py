"""Small hand-made banks for the work-list tests (no tests here; imported by tests/test_refresh*.py etc.)."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count
from zoneinfo import ZoneInfo

from collectui.domain.privacy.identity import id_check_char
from collectui.storage.models import (
    Branch,
    CallAttempt,
    Complaint,
    Customer,
    Dispute,
    Instalment,
    Loan,
    Payment,
    Promise,
    StaffUser,
)
from tests.support.certified import certify_all

TZ = ZoneInfo("Asia/Shanghai")
D = date
_ids = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def id_number(n: int) -> str:
    first17 = f"11010119900307{n % 1000:03d}"
    return first17 + id_check_char(first17)


def monthly(first_due: date, n: int, principal_fen: int = 100000, interest_fen: int = 5000):
    out = []
    y, m = first_due.year, first_due.month
    for i in range(n):
        mm = m + i
        out.append((date(y + (mm - 1) // 12, (mm - 1) % 12 + 1, first_due.day), principal_fen, interest_fen))
    return out


class Bank:
    """Writes rows through the ORM in one transaction per call."""

    def __init__(self, db):
        self.db = db
        with db.write() as s:
            s.add(Branch(id=1, name="城关支行"))
            s.add(Branch(id=2, name="河西支行"))
            s.add(
                StaffUser(
                    id=1,
                    username="wang",
                    display_name="王",
                    role="collector",
                    branch_id=1,
                    password_hash="x",
                    created_at=at(D(2026, 1, 1)),
                )
            )
            s.add(
                StaffUser(
                    id=2,
                    username="li",
                    display_name="李",
                    role="collector",
                    branch_id=2,
                    password_hash="x",
                    created_at=at(D(2026, 1, 1)),
                )
            )
            certify_all(s, D(2026, 11, 28))  # wang and li stand for trained staff (the gate's `certified` rule)

    def customer(
        self, cid: str, branch_id: int = 1, name: str = "张三丰", phone: str = "13812345678", do_not_call: bool = False
    ) -> str:
        with self.db.write() as s:
            s.add(
                Customer(
                    customer_id=cid,
                    name=name,
                    id_number=id_number(next(_ids)),
                    phone=phone,
                    branch_id=branch_id,
                    do_not_call=do_not_call,
                )
            )
        return cid

    def loan(self, loan_id: str, cid: str, schedule, status: str = "active", collector_id: int | None = None):
        with self.db.write() as s:
            s.add(
                Loan(
                    loan_id=loan_id,
                    customer_id=cid,
                    product="农户贷",
                    principal_fen=sum(p for _, p, _ in schedule),
                    disbursed_on=D(2026, 1, 1),
                    maturity_date=schedule[-1][0],
                    status=status,
                    collector_id=collector_id,
                )
            )
            s.flush()
            for seq, (due, p, i) in enumerate(schedule, 1):
                s.add(Instalment(loan_id=loan_id, seq=seq, due_date=due, principal_due_fen=p, interest_due_fen=i))
        return loan_id

    def pay(self, loan_id: str, paid_on: date, amount_fen: int):
        with self.db.write() as s:
            s.add(Payment(payment_id=f"P{next(_ids)}", loan_id=loan_id, paid_on=paid_on, amount_fen=amount_fen))

    def promise(self, cid: str, made_on: date, amount_fen: int, due: date, status: str = "open") -> int:
        with self.db.write() as s:
            p = Promise(customer_id=cid, made_at=at(made_on), amount_fen=amount_fen, due_date=due, status=status)
            s.add(p)
            s.flush()
            return p.id

    def call(self, cid: str, when: datetime, right_party: bool = True, status: str = "logged"):
        with self.db.write() as s:
            s.add(
                CallAttempt(
                    customer_id=cid,
                    phone="13812345678",
                    user_id=1,
                    status=status,
                    started_at=when,
                    ended_at=when,
                    connected=right_party,
                    right_party=right_party,
                )
            )

    def dispute(self, cid: str, opened: datetime, status: str = "open", resolved: datetime | None = None):
        with self.db.write() as s:
            s.add(Dispute(customer_id=cid, opened_at=opened, status=status, resolved_at=resolved))

    def complaint(self, cid: str, opened: datetime, hold_active: bool = True, cleared: datetime | None = None):
        with self.db.write() as s:
            s.add(
                Complaint(
                    customer_id=cid,
                    about="collection",
                    text="t",
                    opened_at=opened,
                    due_on=opened.date(),
                    hold_active=hold_active,
                    hold_cleared_at=cleared,
                )
            )
