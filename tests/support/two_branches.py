"""The TUI bank (tests/support/tui_bank.py) with 河西支行 busy in every listing: what a 城关支行 user must never see.

``seed`` gives C0031 and C0032 (河西支行, collector liu) a call logged today with a promise, a refused call, a
started call left unfinished, a dispute, a collection complaint with its hold, feedback, a proposed payment
plan, a pending and a sent reminder, a contact; liu a practice result and a quiz. The other branch's
borrowers get names whose surnames no 城关支行 borrower has, so a leaked name (full or masked) can be found.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import select

from collectui.domain.context import Ctx
from collectui.domain.portfolio import refresh
from collectui.domain.privacy.masking import mask_name
from collectui.storage.models import (
    CallAttempt,
    Complaint,
    Contact,
    Customer,
    Dispute,
    Feedback,
    PaymentPlan,
    PlanInstalment,
    Promise,
    QuizAttempt,
    SmsMessage,
    StaffUser,
    TrainingAttempt,
)
from tests.support.clock import TZ

THEIRS = tuple(f"C{n:04d}" for n in range(31, 39))
THEIR_LOANS = tuple(f"L{n:04d}01" for n in range(31, 39))
THEIR_NAMES = ("欧阳春", "上官雪", "司马林", "诸葛亮", "东方明", "夏侯杰", "皇甫英", "尉迟敬")
THEIR_STAFF = ("liu", "刘催收")
TODAY = date(2026, 11, 28)


def _at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def forbidden() -> list[str]:
    """Every string of the other branch a listing must not show: ids, loan ids, full and masked names."""
    masked = [mask_name(n) for n in THEIR_NAMES]
    return [*THEIRS, *THEIR_LOANS, *THEIR_NAMES, *masked]


def leaks(text: str) -> list[str]:
    return [s for s in forbidden() if s in text]


def seed(ctx: Ctx) -> None:
    with ctx.db.write() as s:
        for cid, name in zip(THEIRS, THEIR_NAMES, strict=True):
            s.exec(select(Customer).where(Customer.customer_id == cid)).one().name = name
        liu = s.exec(select(StaffUser).where(StaffUser.username == "liu")).one()
        for n, cid in enumerate(("C0031", "C0032")):
            phone = s.exec(select(Customer.phone).where(Customer.customer_id == cid)).one()
            logged = CallAttempt(
                customer_id=cid,
                phone=phone,
                user_id=liu.id,
                status="logged",
                started_at=_at(9, n),
                ended_at=_at(9, n + 5),
                outcome="promise_to_pay",
                connected=True,
                right_party=True,
            )
            s.add(logged)
            s.add(
                CallAttempt(
                    customer_id=cid,
                    phone=phone,
                    user_id=liu.id,
                    status="refused",
                    started_at=_at(9, 30 + n),
                    refused_rules=["daily_limit"],
                )
            )
            s.add(
                CallAttempt(customer_id=cid, phone=phone, user_id=liu.id, status="started", started_at=_at(9, 40 + n))
            )
            s.flush()
            s.add(
                Promise(
                    customer_id=cid,
                    call_id=logged.id,
                    user_id=liu.id,
                    made_at=_at(9, n + 5),
                    amount_fen=80000,
                    due_date=date(2026, 12, 3),
                )
            )
            s.add(
                Dispute(
                    customer_id=cid,
                    opened_at=_at(9, 50),
                    opened_by=liu.id,
                    status="open",
                    reason="金额有误",
                    reason_code="amount_wrong",
                    due_on=date(2026, 12, 12),
                )
            )
            s.add(
                Complaint(
                    customer_id=cid,
                    about="collection",
                    text="催收电话太多",
                    opened_at=_at(9, 55),
                    opened_by=liu.id,
                    collector_id=liu.id,
                    due_on=date(2026, 12, 13),
                    hold_active=True,
                )
            )
            s.add(
                Feedback(
                    customer_id=cid,
                    call_id=logged.id,
                    collector_id=liu.id,
                    channel="call",
                    sentiment="negative",
                    satisfaction=2,
                    text="态度不好",
                    at=_at(9, 10),
                )
            )
            plan = PaymentPlan(
                customer_id=cid, call_id=logged.id, proposed_by=liu.id, proposed_at=_at(9, 12), total_fen=200000
            )
            s.add(plan)
            s.flush()
            assert plan.id is not None
            s.add(PlanInstalment(plan_id=plan.id, seq=1, due_date=date(2026, 12, 20), amount_fen=100000))
            s.add(PlanInstalment(plan_id=plan.id, seq=2, due_date=date(2027, 1, 20), amount_fen=100000))
            s.add(
                SmsMessage(
                    message_id=f"M-{cid}-pending",
                    customer_id=cid,
                    phone=phone,
                    text="温馨提示",
                    state="pending",
                    planned_for=TODAY,
                    created_at=_at(8),
                )
            )
            s.add(
                SmsMessage(
                    message_id=f"M-{cid}-sent",
                    customer_id=cid,
                    phone=phone,
                    text="温馨提示",
                    state="sent",
                    planned_for=TODAY,
                    created_at=_at(8),
                    sent_at=_at(8, 30),
                )
            )
            s.add(
                Contact(
                    contact_id=f"K{cid}",
                    customer_id=cid,
                    name="欧阳保",
                    relation="guarantor",
                    phone="13800009999",
                    source="call",
                    from_call_id=logged.id,
                    added_by=liu.id,
                    added_at=_at(9, 6),
                )
            )
        s.add(
            TrainingAttempt(
                user_id=liu.id,
                scenario_id="promise_basic",
                scenario_version=1,
                mandatory=True,
                finished_at=_at(8),
                score=90,
                choices_lost=10,
                compliance_lost=0,
                outcome_lost=0,
                passed=True,
                mistakes="[]",
            )
        )
        s.add(
            QuizAttempt(
                user_id=liu.id, taken_at=_at(8, 20), questions=10, correct=9, percent=90, passed=True, answers="[]"
            )
        )
    refresh.refresh(ctx)
