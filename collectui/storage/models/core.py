"""Reference data imported from core banking, staff, settings and the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class Meta(SQLModel, table=True):
    """Key/value facts about the database: schema version, demo marker, audit chain head."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Branch(SQLModel, table=True):
    __tablename__ = "branch"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    display_name: str
    role: str  # collector | supervisor | admin | trainer
    branch_id: int | None = Field(default=None, foreign_key="branch.id")
    password_hash: str
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(sa_type=AwareDateTime)
    # Set when an admin sets someone else's password: they choose their own at the next sign-in.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    customer_id: str = Field(primary_key=True)
    name: str
    id_number: str
    phone: str  # normalised: 11-digit mobile or area-code-number landline
    address: str | None = None
    branch_id: int = Field(foreign_key="branch.id", index=True)
    do_not_call: bool = False
    vulnerable: bool = False
    # "HH:MM-HH:MM" the borrower agreed to be called in, lifting the default window; None = default
    consent_hours: str | None = None
    phone_invalid: bool = False
    sms_opt_out: bool = False
    hardship: bool = False  # flagged for a supervisor after a hardship call
    created_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Contact(SQLModel, table=True):
    """A third party (guarantor, spouse, relative, emergency contact), or another number of the borrower."""

    __tablename__ = "contact"
    contact_id: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", index=True)
    name: str
    relation: str  # guarantor | spouse | relative | emergency | other | self (the borrower's own other number)
    phone: str
    refused_calls: bool = False
    phone_invalid: bool = False
    # Where the row came from: "import" (core banking), "call" (learned on call from_call_id) or "staff"
    # (added by a staff member outside a call); the last two are shown as unverified, not being the bank's
    # records. The server default covers the raw inserts of the import and the demo, which do not name it.
    source: str = Field(default="import", sa_column_kwargs={"server_default": "import"})
    # Plain ids, no foreign keys: call_attempt already references contact, and staff accounts are never
    # deleted (deactivated); the service checks both when it writes them.
    from_call_id: int | None = None  # call_attempt.id
    added_by: int | None = None  # staff_user.id; None for an API token (a machine is nobody)
    added_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Loan(SQLModel, table=True):
    __tablename__ = "loan"
    loan_id: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", index=True)
    product: str
    principal_fen: int
    disbursed_on: date
    maturity_date: date
    rate_ppm: int | None = None  # annual rate in millionths: 4.35% -> 43500
    status: str = "active"  # active | closed | written_off
    collector_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)


class Instalment(SQLModel, table=True):
    __tablename__ = "instalment"
    # Clustered by (loan_id, seq), the key every read and the import use: one B-tree instead of a table
    # plus a unique index (a third less to write when a million instalments are imported, and a loan's
    # schedule is read in one place).
    __table_args__ = {"sqlite_with_rowid": False}
    loan_id: str = Field(foreign_key="loan.loan_id", primary_key=True)
    seq: int = Field(primary_key=True)
    due_date: date
    principal_due_fen: int
    interest_due_fen: int


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_loan_paid", "loan_id", "paid_on"),)
    payment_id: str = Field(primary_key=True)
    loan_id: str = Field(foreign_key="loan.loan_id")
    paid_on: date
    amount_fen: int
    channel: str | None = None


class AuditEvent(SQLModel, table=True):
    """Append-only (triggers refuse UPDATE and DELETE); each row hashes its content and the previous hash."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=AwareDateTime, index=True)
    actor: str  # username, or "system" / "cli"
    action: str  # dotted verb: "user.create", "profile.unmask", "import.loans" ...
    target_type: str | None = None
    target_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # never raw personal data
    prev_hash: str
    hash: str  # SHA-256, or from meta.audit_keyed_from on an HMAC-SHA256 with the audit key (domain.audit)
    # {"kind:key": digest} of the business rows the event names, as they stood after it (domain.audit.rows)
    row_digests: dict[str, str] | None = Field(default=None, sa_type=JSON)
