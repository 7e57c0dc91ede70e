"""Collection work: derived overdue figures, calls, promises, holds, SMS, customer voice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class LoanState(SQLModel, table=True):
    """Overdue figures of one loan as of ``as_of``, kept current by ``domain.refresh``."""

    __tablename__ = "loan_state"
    loan_id: str = Field(primary_key=True, foreign_key="loan.loan_id")
    customer_id: str = Field(index=True)
    as_of: date
    dpd: int
    bucket: str  # M0..M6, M6+
    category: str  # normal | special_mention | substandard | doubtful | loss
    overdue_fen: int
    outstanding_fen: int
    oldest_unpaid_due: date | None = None
    next_due_date: date | None = None
    next_due_fen: int = 0


_LOCATOR: dict[str, Any] = {"postgresql_include": ["customer_id"]}


class WorkItem(SQLModel, table=True):
    """One overdue borrower on the ranked work list as of ``as_of`` (their overdue loans aggregated)."""

    __tablename__ = "work_item"
    __table_args__ = (
        # sort_key encodes the list order (domain.ranking.sort_key). The filter columns ride along in the
        # indexes, so a page at any offset, a count or a position is an index-only walk, never a sort. The
        # page's row locator rides along too: SQLite's rowid is in every index; PostgreSQL's is the key
        # (Dialect.row_locator), which its indexes carry only when told (INCLUDE; SQLite ignores the option).
        Index("ix_work_order", "sort_key", "callable", "branch_id", "collector_id", "bucket", **_LOCATOR),
        Index("ix_work_branch_order", "branch_id", "sort_key", "callable", "collector_id", "bucket", **_LOCATOR),
        Index("ix_work_collector_order", "collector_id", "sort_key", "callable", "bucket", **_LOCATOR),
        Index("ix_work_summary", "callable", "branch_id", "bucket", "overdue_fen"),
    )
    customer_id: str = Field(primary_key=True, foreign_key="customer.customer_id")
    as_of: date
    branch_id: int
    collector_id: int | None = None  # collector of the worst loan
    max_dpd: int
    bucket: str
    category: str
    overdue_fen: int
    outstanding_fen: int
    loan_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    broken_promises: int = 0
    last_contact_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    promise_id: int | None = None  # the open or latest promise shown in the list
    score: int  # hundredths of a point, so ordering is exact
    # One [code, value...] list a ranking reason (collectui/domain/portfolio/reasons.py encode/read).
    reasons: list[Any] = Field(default_factory=list, sa_type=JSON)
    callable: bool
    blocked_reason: str | None = None  # the first customer-level gate rule that refuses (calls.availability)
    sort_key: str = ""  # ranking.sort_key(score, max_dpd, overdue_fen, broken_promises, customer_id)
    # When the block lifts by time alone, where known (a reminder's lead time, a promise's date, tomorrow).
    blocked_until: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # The earliest time the verdict may change by time alone: refresh.recheck_due re-judges such rows.
    recheck_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    callback_at: datetime | None = Field(default=None, sa_type=AwareDateTime)  # the next open callback


class CallAttempt(SQLModel, table=True):
    """A dial attempt, logged after the call, or a refusal by the gate (status 'refused')."""

    __tablename__ = "call_attempt"
    __table_args__ = (
        Index("ix_call_customer_at", "customer_id", "started_at"),
        Index("ix_call_phone_at", "phone", "started_at"),
        Index("ix_call_user_at", "user_id", "started_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id")
    contact_id: str | None = Field(default=None, foreign_key="contact.contact_id")
    phone: str  # the normalised number dialled
    user_id: int = Field(foreign_key="staff_user.id")
    status: str  # started | logged | refused
    started_at: datetime = Field(sa_type=AwareDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    outcome: str | None = None  # see domain.calls outcome codes
    connected: bool = False
    right_party: bool = False
    refused_rules: list[str] = Field(default_factory=list, sa_type=JSON)
    checklist: list[str] = Field(default_factory=list, sa_type=JSON)
    recording_ref: str | None = None
    notes: str | None = None
    # Logged more than the policy's calls.late_entry_minutes after it started: a supervisor's late entry,
    # with their reason (domain.calls.late); counted in the compliance report.
    entered_late: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    late_reason: str | None = None
    callback_at: datetime | None = Field(default=None, sa_type=AwareDateTime)  # outcome callback: when


class Promise(SQLModel, table=True):
    __tablename__ = "promise"
    __table_args__ = (Index("ix_promise_customer_status", "customer_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id")
    call_id: int | None = Field(default=None, foreign_key="call_attempt.id")
    user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    made_at: datetime = Field(sa_type=AwareDateTime)
    amount_fen: int
    due_date: date
    status: str = "open"  # open | kept | partial | broken
    paid_fen: int = 0
    evaluated_on: date | None = None


class Dispute(SQLModel, table=True):
    """The borrower disputes the debt: no collection calls until a supervisor resolves it (domain.cases.disputes)."""

    __tablename__ = "dispute"
    __table_args__ = (Index("ix_dispute_customer_status", "customer_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id")
    call_id: int | None = Field(default=None, foreign_key="call_attempt.id")
    opened_at: datetime = Field(sa_type=AwareDateTime)
    opened_by: int | None = Field(default=None, foreign_key="staff_user.id")
    # open | resolved_upheld (the borrower was right) | resolved_rejected (the debt stands); "resolved" in
    # databases from before the lifecycle. The gate's dispute_hold holds while status = 'open'.
    status: str = "open"
    resolved_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    resolved_by: int | None = Field(default=None, foreign_key="staff_user.id")
    reason: str | None = None  # free text at opening (older rows: "raised on call N")
    reason_code: str | None = None  # amount_wrong | not_my_loan | already_paid | other
    due_on: date | None = None  # the bank's answer is due: opening day + disputes.answer_days
    resolution: str | None = None  # what was corrected (upheld) or why the debt stands (rejected)
    told_by: str | None = None  # how the borrower was told of a rejection: sms | letter


class SmsMessage(SQLModel, table=True):
    __tablename__ = "sms_message"
    __table_args__ = (
        Index("ix_sms_customer_created", "customer_id", "created_at"),
        Index("ix_sms_state", "state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)  # also the gateway idempotency key
    customer_id: str = Field(foreign_key="customer.customer_id")
    phone: str
    text: str
    lang: str = "zh"
    state: str = "pending"  # pending | sent | delivered | failed
    planned_for: date
    created_at: datetime = Field(sa_type=AwareDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    attempts: int = 0
    last_error: str | None = None


class SmsOptOut(SQLModel, table=True):
    __tablename__ = "sms_opt_out"
    phone: str = Field(primary_key=True)
    at: datetime = Field(sa_type=AwareDateTime)
    source: str | None = None


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_at", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", index=True)
    call_id: int | None = Field(default=None, foreign_key="call_attempt.id")
    collector_id: int | None = Field(default=None, foreign_key="staff_user.id")
    channel: str  # call | branch | hotline | sms | survey
    sentiment: str  # positive | neutral | negative
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    satisfaction: int | None = None  # 1-5
    recommend: int | None = None  # 0-10
    text: str | None = None
    at: datetime = Field(sa_type=AwareDateTime)


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_customer_hold", "customer_id", "hold_active"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id")
    about: str  # collection | service | other
    text: str
    status: str = "open"  # open | acknowledged | resolved | rejected | closed
    opened_at: datetime = Field(sa_type=AwareDateTime)
    opened_by: int | None = Field(default=None, foreign_key="staff_user.id")
    call_id: int | None = Field(default=None, foreign_key="call_attempt.id")
    collector_id: int | None = Field(default=None, foreign_key="staff_user.id")
    due_on: date
    extended: bool = False
    decided_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    hold_active: bool = False
    hold_cleared_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    hold_cleared_by: int | None = Field(default=None, foreign_key="staff_user.id")
    resolution: str | None = None


class BucketSnapshot(SQLModel, table=True):
    """Each loan's bucket on a day, for roll and cure rates."""

    __tablename__ = "bucket_snapshot"
    snap_date: date = Field(primary_key=True)
    loan_id: str = Field(primary_key=True)
    customer_id: str
    bucket: str
    dpd: int
    outstanding_fen: int
    overdue_fen: int
