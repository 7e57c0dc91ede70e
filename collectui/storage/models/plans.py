"""Payment plans (协商还款): a borrower who cannot pay at once agrees dated smaller payments.

A plan is proposed by a collector (from a call or the profile); above the policy threshold a supervisor
other than the proposer approves it, below it the plan is active at once. The refresh judges each
instalment from the imported payments and moves the plan to completed or broken (domain.portfolio.plans).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class PaymentPlan(SQLModel, table=True):
    __tablename__ = "payment_plan"
    __table_args__ = (Index("ix_payment_plan_customer_status", "customer_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id")
    call_id: int | None = Field(default=None, foreign_key="call_attempt.id")  # the call it came from
    proposed_by: int | None = Field(default=None, foreign_key="staff_user.id")  # None: a machine's token
    proposed_at: datetime = Field(sa_type=AwareDateTime)
    status: str = "proposed"  # proposed | active | rejected | completed | broken | cancelled
    approved_by: int | None = Field(default=None, foreign_key="staff_user.id")  # None while active at once
    approved_at: datetime | None = Field(default=None, sa_type=AwareDateTime)  # when it took effect
    decision_reason: str | None = None
    total_fen: int


class PlanInstalment(SQLModel, table=True):
    __tablename__ = "plan_instalment"
    plan_id: int = Field(primary_key=True, foreign_key="payment_plan.id")
    seq: int = Field(primary_key=True)  # 1, 2, ... in date order
    due_date: date
    amount_fen: int
    status: str = "open"  # open | kept | partial | broken
    paid_fen: int = 0
    evaluated_on: date | None = None
