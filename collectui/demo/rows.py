"""The demo's rows in memory, one chunk of borrowers at a time, and how they are written to their tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from collectui.demo.history import HistoryFactory
from collectui.storage.raw import RawConnection


@dataclass
class Rows:
    # Rows of each table in the column order ``store_rows`` gives them.
    customers: list[tuple[object, ...]] = field(default_factory=list)
    contacts: list[tuple[object, ...]] = field(default_factory=list)
    loans: list[tuple[object, ...]] = field(default_factory=list)
    instalments: list[tuple[object, ...]] = field(default_factory=list)
    payments: list[tuple[object, ...]] = field(default_factory=list)
    active: int = 0  # customers with a loan not closed
    buckets: Counter[str] = field(default_factory=Counter)  # worst loan of overdue borrowers, from the engine
    categories: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)  # rows stored so far, per table

    def flush(self) -> None:
        for name in ("customers", "contacts", "loans", "instalments", "payments"):
            rows = getattr(self, name)
            self.totals[name] += len(rows)
            rows.clear()


def store_rows(raw: RawConnection, rows: Rows, history: HistoryFactory) -> None:
    insert_rows(
        raw,
        "customer",
        (
            "customer_id",
            "name",
            "id_number",
            "phone",
            "address",
            "branch_id",
            "do_not_call",
            "vulnerable",
            "consent_hours",
            "phone_invalid",
            "sms_opt_out",
            "hardship",
            "created_at",
            "updated_at",
        ),
        rows.customers,
    )
    insert_rows(
        raw,
        "contact",
        ("contact_id", "customer_id", "name", "relation", "phone", "refused_calls", "phone_invalid"),
        rows.contacts,
    )
    insert_rows(
        raw,
        "loan",
        (
            "loan_id",
            "customer_id",
            "product",
            "principal_fen",
            "disbursed_on",
            "maturity_date",
            "rate_ppm",
            "status",
            "collector_id",
        ),
        rows.loans,
    )
    insert_rows(
        raw, "instalment", ("loan_id", "seq", "due_date", "principal_due_fen", "interest_due_fen"), rows.instalments
    )
    insert_rows(raw, "payment", ("payment_id", "loan_id", "paid_on", "amount_fen", "channel"), rows.payments)
    insert_rows(
        raw,
        "call_attempt",
        (
            "id",
            "customer_id",
            "contact_id",
            "phone",
            "user_id",
            "status",
            "started_at",
            "ended_at",
            "outcome",
            "connected",
            "right_party",
            "refused_rules",
            "checklist",
            "recording_ref",
            "notes",
        ),
        history.calls,
    )
    insert_rows(
        raw,
        "promise",
        (
            "id",
            "customer_id",
            "call_id",
            "user_id",
            "made_at",
            "amount_fen",
            "due_date",
            "status",
            "paid_fen",
            "evaluated_on",
        ),
        history.promises,
    )
    insert_rows(
        raw,
        "dispute",
        (
            "id",
            "customer_id",
            "call_id",
            "opened_at",
            "opened_by",
            "status",
            "resolved_at",
            "resolved_by",
            "reason",
            "reason_code",
            "due_on",
            "resolution",
            "told_by",
        ),
        history.disputes,
    )
    insert_rows(
        raw,
        "complaint",
        (
            "id",
            "customer_id",
            "about",
            "text",
            "status",
            "opened_at",
            "opened_by",
            "call_id",
            "collector_id",
            "due_on",
            "extended",
            "decided_at",
            "closed_at",
            "hold_active",
            "hold_cleared_at",
            "hold_cleared_by",
            "resolution",
        ),
        history.complaints,
    )
    insert_rows(
        raw,
        "feedback",
        (
            "id",
            "customer_id",
            "call_id",
            "collector_id",
            "channel",
            "sentiment",
            "categories",
            "satisfaction",
            "recommend",
            "text",
            "at",
        ),
        history.feedback,
    )
    insert_rows(
        raw,
        "sms_message",
        (
            "id",
            "message_id",
            "customer_id",
            "phone",
            "text",
            "lang",
            "state",
            "planned_for",
            "created_at",
            "sent_at",
            "delivered_at",
            "attempts",
            "last_error",
        ),
        history.sms,
    )


def insert_rows(raw: RawConnection, table: str, columns: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> None:
    if rows:
        marks = ",".join("?" * len(columns))
        raw.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows)
