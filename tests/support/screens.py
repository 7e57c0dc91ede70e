"""More life in the TUI bank for the screen snapshots (fixture ``screens_bank`` in tests/tui/conftest.py).

On top of tests/support/tui_bank.py, all deterministic (clock 2026-11-28 10:00, a Saturday):
- reminder SMS: delivered on 11-27 to the six borrowers at the top of 城关支行's list (so the first call of
  the day passes the gate's sms_notice rule), pending for today for three more, one failed, one sent;
- eight weeks of zhang's logged calls, promises judged kept or broken, and feedback with ratings (the
  dashboard's charts and figures);
- a service complaint past its deadline;
- four attempts the gate refused today at 10:00 (today's refusals screen).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import select

from collectui.domain.calls.record import start_call
from collectui.domain.portfolio import refresh
from collectui.storage.models import CallAttempt, Complaint, Customer, Feedback, Payment, Promise, SmsMessage, StaffUser
from tests.support.cli import actor_of
from tests.support.clock import NOW, TZ
from tests.support.tui_bank import at

REMINDED = ("C0030", "C0020", "C0010", "C0021", "C0022", "C0012")  # the top of 城关支行's list
DUE_TODAY = ("C0002", "C0023", "C0024")
REFUSED = ("C0005", "C0007", "C0009", "C0013")  # do-not-call, vulnerable, disputed, no reminder
CALLED = ("C0014", "C0015", "C0016", "C0017", "C0018", "C0019", "C0025", "C0026", "C0027", "C0028", "C0029")
OUTCOMES = ("no_answer", "promise_to_pay", "busy", "claims_paid", "no_answer", "refuses", "promise_to_pay")
WEEK_1 = date(2026, 10, 5)  # Monday of ISO week 41, the first of the dashboard's eight


def _phone(s, cid: str) -> str:
    return s.get(Customer, cid).phone


def _sms(s) -> None:
    text = "【县农商行】尊敬的客户，您的贷款已逾期，请通过本行官方渠道还款。退订回TD"
    n = 0

    def add(cid: str, state: str, planned: date, **kw) -> None:
        nonlocal n
        n += 1
        s.add(
            SmsMessage(
                message_id=f"R{planned:%Y%m%d}-{n:012x}",
                customer_id=cid,
                phone=_phone(s, cid),
                text=text,
                state=state,
                planned_for=planned,
                created_at=at(planned, 8),
                **kw,
            )
        )

    day = date(2026, 11, 27)
    for cid in REMINDED:
        add(cid, "delivered", day, sent_at=at(day, 9), delivered_at=at(day, 9), attempts=1)
    for cid in DUE_TODAY:
        add(cid, "pending", date(2026, 11, 28))
    add("C0025", "failed", day, sent_at=at(day, 9), attempts=3, last_error="HTTP 503 from the gateway")
    add("C0026", "sent", day, sent_at=at(day, 9), attempts=1)


def _activity(s, zhang: int) -> None:
    """Calls every week (a third reach the borrower), promises due in the window, feedback after calls."""
    k = 0
    for week in range(8):
        monday = WEEK_1 + timedelta(weeks=week)
        for i in range(3 + week % 3):
            k += 1
            cid = CALLED[k % len(CALLED)]
            outcome = OUTCOMES[k % len(OUTCOMES)]
            reached = outcome not in ("no_answer", "busy")
            when = at(monday + timedelta(days=i % 5), 9 + i)
            call = CallAttempt(
                customer_id=cid,
                phone=_phone(s, cid),
                user_id=zhang,
                status="logged",
                started_at=when,
                ended_at=when + timedelta(minutes=4),
                outcome=outcome,
                connected=reached,
                right_party=reached,
            )
            s.add(call)
            s.flush()
            if outcome == "promise_to_pay" and week < 7:
                due = when.date() + timedelta(days=5)
                kept = k % 2 == 0
                amount = 200000 + 1000 * k
                if kept:
                    s.add(Payment(payment_id=f"P-S{k}", loan_id=f"L{cid[1:]}01", paid_on=due, amount_fen=amount))
                s.add(
                    Promise(
                        customer_id=cid,
                        call_id=call.id,
                        user_id=zhang,
                        made_at=when,
                        amount_fen=amount,
                        due_date=due,
                        status="kept" if kept else "broken",
                        paid_fen=amount if kept else 0,
                        evaluated_on=due + timedelta(days=3),
                    )
                )
            if reached:
                rating = 2 + (k * 3) % 4  # 2..5
                s.add(
                    Feedback(
                        customer_id=cid,
                        call_id=call.id,
                        collector_id=zhang,
                        channel="call",
                        sentiment="positive" if rating >= 4 else ("neutral" if rating == 3 else "negative"),
                        satisfaction=rating,
                        recommend=2 * rating,
                        at=when + timedelta(hours=2),
                    )
                )


def _complaint(s) -> None:
    """A service complaint past its deadline (the dashboard marks it OVERDUE, first in the list)."""
    s.add(
        Complaint(
            customer_id="C0027",
            about="service",
            text="催收员态度不好",
            opened_at=at(date(2026, 11, 4)),
            due_on=date(2026, 11, 19),
            hold_active=False,
        )
    )


def enrich(ctx) -> None:
    with ctx.db.write() as s:
        zhang = s.exec(select(StaffUser).where(StaffUser.username == "zhang")).one().id
        _sms(s)
        _activity(s, zhang)
        _complaint(s)
    refresh.refresh(ctx)
    for cid in REFUSED:
        result = start_call(ctx, actor_of(ctx, "zhang"), cid)
        assert not result.gate.allowed, cid


def add_callback_and_fresh_reminder(ctx) -> None:
    """For the work list's "call?" column: C0002 asked yesterday to be called back at 15:00 today, and C0013's
    first reminder went out at 09:30 today (so the gate's lead time holds it back until 10:30)."""
    yesterday = NOW - timedelta(days=1)
    with ctx.db.write() as s:
        zhang = s.exec(select(StaffUser).where(StaffUser.username == "zhang")).one().id
        s.add(
            CallAttempt(
                customer_id="C0002",
                phone=_phone(s, "C0002"),
                user_id=zhang,
                status="logged",
                started_at=yesterday,
                ended_at=yesterday,
                outcome="callback",
                connected=True,
                right_party=True,
                callback_at=datetime.combine(NOW.date(), time(15), tzinfo=TZ),
            )
        )
        sent = datetime.combine(NOW.date(), time(9, 30), tzinfo=TZ)
        s.add(
            SmsMessage(
                message_id="R-C0013-today",
                customer_id="C0013",
                phone=_phone(s, "C0013"),
                text="【县农商行】尊敬的客户，您的贷款已逾期，请通过本行官方渠道还款。退订回TD",
                state="delivered",
                planned_for=NOW.date(),
                created_at=sent,
                sent_at=sent,
                delivered_at=sent,
            )
        )
    refresh.refresh(ctx, ["C0002", "C0013"])
