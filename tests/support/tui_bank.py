"""A small deterministic bank for the TUI tests and snapshots: ``build`` it once (fixture ``bank_template``),
copy it per test (fixture ``bank``; both in tests/conftest.py).

Clock: 2026-11-28 10:00 Asia/Shanghai. Branches 城关支行 (30 overdue borrowers) and 河西支行 (8).
Staff: collector zhang (城关), collector liu (河西), supervisor wang (城关), admin root; password PASSWORD.
Customer C0001 has the richest history (promise, calls, SMS, feedback, complaint, a guarantor). Every other
borrower got a reminder SMS yesterday except C0013 (so the list holds it back: sms_notice).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio import refresh
from collectui.domain.privacy.identity import id_check_char
from collectui.domain.staff import users
from collectui.storage.locate import database_at
from collectui.storage.models import (
    CallAttempt,
    Complaint,
    Contact,
    Customer,
    Dispute,
    Feedback,
    Instalment,
    Loan,
    Payment,
    Promise,
    SmsMessage,
)
from tests.support.certified import certify_all
from tests.support.cli import SYSTEM
from tests.support.clock import NOW, TZ

PASSWORD = "correct-horse-9"
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "伟", "海燕", "志强", "桂兰", "明", "丽娟", "德华", "小红")


def id_number(n: int) -> str:
    first17 = f"4201061985{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _monthly(first_due: date, n: int, principal: int, interest: int):
    y, m = first_due.year, first_due.month
    for i in range(n):
        mm = m + i
        yield date(y + (mm - 1) // 12, (mm - 1) % 12 + 1, first_due.day), principal, interest


def build(path) -> Ctx:
    db = database_at(path)  # a file, or a PostgreSQL URL (tests/tui/test_on_postgresql.py)
    db.create_schema()
    ctx = Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    with db.write() as s:
        zhang = users.add_user(ctx, SYSTEM, "zhang", "collector", "城关支行", PASSWORD, "张催收", session=s)
        users.add_user(ctx, SYSTEM, "liu", "collector", "河西支行", PASSWORD, "刘催收", session=s)
        users.add_user(ctx, SYSTEM, "wang", "supervisor", "城关支行", PASSWORD, "王主管", session=s)
        users.add_user(ctx, SYSTEM, "root", "admin", None, PASSWORD, "管理员", session=s)
        certify_all(s, ctx.clock.today())  # the four stand for trained staff (the gate's `certified` rule)
        branch_ids = {b: users.get_or_create_branch(s, b).id for b in ("城关支行", "河西支行")}
        for n in range(1, 39):
            cid = f"C{n:04d}"
            branch = "城关支行" if n <= 30 else "河西支行"
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
            s.add(
                Customer(
                    customer_id=cid,
                    name=name,
                    id_number=id_number(n),
                    phone=f"139{n:04d}{(n * 7919) % 10000:04d}",
                    address=f"湖北省武汉市江夏区纸坊街{n}号",
                    branch_id=branch_ids[branch],
                    do_not_call=(n == 5),
                    vulnerable=(n == 7),
                    created_at=NOW,
                )
            )
            s.flush()
            first_due = date(2026, 1 + n % 10, 10)  # older first due date = more days past due
            principal, interest = 100000 + n * 12345, 5000 + n * 37
            loan_id = f"L{n:04d}01"
            s.add(
                Loan(
                    loan_id=loan_id,
                    customer_id=cid,
                    product="农户小额贷",
                    principal_fen=principal * 12,
                    disbursed_on=date(2025, 12, 10),
                    maturity_date=date(2027, 1, 10),
                    collector_id=zhang.id if n % 3 == 0 and branch == "城关支行" else None,
                )
            )
            s.flush()
            for seq, (due, p, i) in enumerate(_monthly(first_due, 12, principal, interest), 1):
                s.add(Instalment(loan_id=loan_id, seq=seq, due_date=due, principal_due_fen=p, interest_due_fen=i))
            if n % 4 == 0:
                s.add(
                    Payment(
                        payment_id=f"P{n:04d}",
                        loan_id=loan_id,
                        paid_on=first_due + timedelta(days=3),
                        amount_fen=principal // 2,
                        channel="柜面",
                    )
                )
        c1 = "C0001"
        s.add(Contact(contact_id="K0001", customer_id=c1, name="张大山", relation="guarantor", phone="13900001111"))
        s.add(Dispute(customer_id="C0009", opened_at=at(date(2026, 11, 20)), status="open", reason="金额有误"))
        s.add(
            Complaint(
                customer_id="C0011",
                about="collection",
                text="来电太频繁",
                opened_at=at(date(2026, 11, 25)),
                due_on=date(2026, 12, 10),
                hold_active=True,
            )
        )
        call = CallAttempt(
            customer_id=c1,
            phone="13900010001",
            user_id=zhang.id,
            status="logged",
            started_at=at(date(2026, 11, 20), 9),
            ended_at=at(date(2026, 11, 20), 9),
            outcome="promise_to_pay",
            connected=True,
            right_party=True,
        )
        s.add(call)
        s.add(
            CallAttempt(
                customer_id=c1,
                phone="13900010001",
                user_id=zhang.id,
                status="logged",
                started_at=at(date(2026, 11, 18), 15),
                ended_at=at(date(2026, 11, 18), 15),
                outcome="no_answer",
            )
        )
        s.flush()
        s.add(
            Promise(
                customer_id=c1,
                call_id=call.id,
                user_id=zhang.id,
                made_at=at(date(2026, 11, 20), 9),
                amount_fen=150000,
                due_date=date(2026, 12, 5),
                status="open",
            )
        )
        s.add(
            SmsMessage(
                message_id="M-C0001-1",
                customer_id=c1,
                phone="13900010001",
                text="温馨提示",
                state="delivered",
                planned_for=date(2026, 11, 17),
                created_at=at(date(2026, 11, 17), 8),
                sent_at=at(date(2026, 11, 17), 9),
                delivered_at=at(date(2026, 11, 17), 9),
            )
        )
        s.add(
            Feedback(
                customer_id=c1,
                call_id=None,
                channel="call",
                sentiment="neutral",
                satisfaction=4,
                at=at(date(2026, 11, 20), 10),
            )
        )
        s.add(
            Complaint(
                customer_id=c1,
                about="service",
                text="网点排队太久",
                status="resolved",
                opened_at=at(date(2026, 10, 2)),
                due_on=date(2026, 10, 17),
                hold_active=False,
            )
        )
        # Yesterday's reminders: the first calls of the cycle may go ahead (all but C0013, still waiting).
        for n in range(2, 39):
            if n != 13:
                s.add(
                    SmsMessage(
                        message_id=f"M-C{n:04d}-1",
                        customer_id=f"C{n:04d}",
                        phone=f"139{n:04d}{(n * 7919) % 10000:04d}",
                        text="温馨提示",
                        state="sent",
                        planned_for=date(2026, 11, 27),
                        created_at=at(date(2026, 11, 27), 8),
                        sent_at=at(date(2026, 11, 27), 9),
                    )
                )
    refresh.refresh(ctx)
    return ctx
