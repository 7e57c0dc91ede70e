"""Row builders for the feedback, complaint and report tests: small hand-worked datasets inserted directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from collectui.domain.portfolio.overdue import bucket_for, category_for
from collectui.storage.models import (
    Branch,
    BucketSnapshot,
    CallAttempt,
    Complaint,
    Customer,
    Feedback,
    Loan,
    LoanState,
    Promise,
    StaffUser,
)

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 1, 9, 0, tzinfo=TZ)


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


class Seed:
    """Inserts rows in one session; ``ids`` of users by username."""

    def __init__(self, session):
        self.s = session
        self.users: dict[str, int] = {}
        self.branches: dict[str, int] = {}

    def branch(self, name: str) -> int:
        if name not in self.branches:
            b = Branch(name=name)
            self.s.add(b)
            self.s.flush()
            self.branches[name] = b.id
        return self.branches[name]

    def user(self, username: str, role: str = "collector", branch: str = "城关支行") -> int:
        u = StaffUser(
            username=username,
            display_name=username,
            role=role,
            branch_id=self.branch(branch),
            password_hash="x",
            created_at=AT,
        )
        self.s.add(u)
        self.s.flush()
        self.users[username] = u.id
        return u.id

    def customer(self, cid: str, name: str = "张三丰", branch: str = "城关支行", phone: str = "13812345678") -> str:
        self.s.add(
            Customer(
                customer_id=cid, name=name, id_number="110101199003070011", phone=phone, branch_id=self.branch(branch)
            )
        )
        self.s.flush()
        return cid

    def loan(
        self,
        loan_id: str,
        cid: str,
        dpd: int,
        outstanding: int,
        overdue: int,
        as_of: date,
        collector: str | None = None,
        status: str = "active",
    ) -> None:
        self.s.add(
            Loan(
                loan_id=loan_id,
                customer_id=cid,
                product="农户贷",
                principal_fen=outstanding,
                disbursed_on=date(2025, 1, 1),
                maturity_date=date(2027, 1, 1),
                status=status,
                collector_id=self.users.get(collector) if collector else None,
            )
        )
        self.s.flush()
        self.s.add(
            LoanState(
                loan_id=loan_id,
                customer_id=cid,
                as_of=as_of,
                dpd=dpd,
                bucket=bucket_for(dpd),
                category=category_for(dpd),
                overdue_fen=overdue,
                outstanding_fen=outstanding,
            )
        )

    def snapshot(self, day: date, loan_id: str, cid: str, dpd: int, outstanding: int) -> None:
        self.s.add(
            BucketSnapshot(
                snap_date=day,
                loan_id=loan_id,
                customer_id=cid,
                bucket=bucket_for(dpd),
                dpd=dpd,
                outstanding_fen=outstanding,
                overdue_fen=0,
            )
        )

    def call(
        self,
        cid: str,
        user: str,
        at: datetime,
        outcome: str | None,
        status: str = "logged",
        contact_id: str | None = None,
        refused_rules: list[str] | None = None,
    ) -> int:
        c = CallAttempt(
            customer_id=cid,
            contact_id=contact_id,
            phone="13812345678",
            user_id=self.users[user],
            status=status,
            started_at=at,
            outcome=outcome,
            refused_rules=refused_rules or [],
        )
        self.s.add(c)
        self.s.flush()
        return c.id

    def promise(
        self, cid: str, user: str, made_at: datetime, amount: int, due: date, status: str, call_id: int | None = None
    ) -> int:
        p = Promise(
            customer_id=cid,
            call_id=call_id,
            user_id=self.users[user],
            made_at=made_at,
            amount_fen=amount,
            due_date=due,
            status=status,
        )
        self.s.add(p)
        self.s.flush()
        return p.id

    def feedback(
        self,
        cid: str,
        at: datetime,
        sentiment: str,
        satisfaction: int | None = None,
        recommend: int | None = None,
        categories: list[str] | None = None,
        collector: str | None = None,
        text: str | None = None,
    ) -> int:
        f = Feedback(
            customer_id=cid,
            collector_id=self.users.get(collector) if collector else None,
            channel="call",
            sentiment=sentiment,
            categories=categories or [],
            satisfaction=satisfaction,
            recommend=recommend,
            text=text,
            at=at,
        )
        self.s.add(f)
        self.s.flush()
        return f.id

    def complaint(
        self,
        cid: str,
        opened_at: datetime,
        due_on: date,
        status: str = "open",
        about: str = "collection",
        decided_at: datetime | None = None,
        hold: bool = False,
        collector: str | None = None,
        text: str = "态度不好",
        hold_cleared_at: datetime | None = None,
    ) -> int:
        c = Complaint(
            customer_id=cid,
            about=about,
            text=text,
            status=status,
            opened_at=opened_at,
            due_on=due_on,
            decided_at=decided_at,
            hold_active=hold,
            hold_cleared_at=hold_cleared_at,
            collector_id=self.users.get(collector) if collector else None,
        )
        self.s.add(c)
        self.s.flush()
        return c.id


def days(n: int) -> timedelta:
    return timedelta(days=n)
