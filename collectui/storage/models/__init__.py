"""All tables. Money columns end in ``_fen`` (integer fen); datetimes are aware (stored UTC)."""

from collectui.storage.models.access import ApiToken, LoginSession
from collectui.storage.models.assignment import Assignment as Assignment
from collectui.storage.models.core import (
    AuditEvent,
    Branch,
    Contact,
    Customer,
    Instalment,
    Loan,
    Meta,
    Payment,
    StaffUser,
)
from collectui.storage.models.keys import saved_id
from collectui.storage.models.plans import PaymentPlan as PaymentPlan
from collectui.storage.models.plans import PlanInstalment as PlanInstalment
from collectui.storage.models.policy import PolicyVersion
from collectui.storage.models.training import Certification, QuizAttempt, TrainingAttempt
from collectui.storage.models.work import (
    BucketSnapshot,
    CallAttempt,
    Complaint,
    Dispute,
    Feedback,
    LoanState,
    Promise,
    SmsMessage,
    SmsOptOut,
    WorkItem,
)

__all__ = [
    "ApiToken",
    "LoginSession",
    "AuditEvent",
    "Branch",
    "BucketSnapshot",
    "CallAttempt",
    "Certification",
    "Complaint",
    "Contact",
    "Customer",
    "Dispute",
    "Feedback",
    "Instalment",
    "Loan",
    "LoanState",
    "Meta",
    "Payment",
    "PolicyVersion",
    "Promise",
    "QuizAttempt",
    "SmsMessage",
    "SmsOptOut",
    "StaffUser",
    "TrainingAttempt",
    "WorkItem",
    "saved_id",
]
