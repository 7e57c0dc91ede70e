"""What makes a call record valid: an outcome the contact can give, its checklist, a recording for a
connected call, notes within length and free of banned phrases, and a promise only with ``promise_to_pay``
(an amount and a date the promise rules accept).

``record.log_call`` saves nothing while a problem remains; the TUI's form shows the same problems as the
collector types (``record.validate_call``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.promise_rules import (
    amount_problem,
    date_problem,
    parse_amount,
    parse_promise_date,
    total_outstanding,
)
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.storage.models import Contact, Customer

if TYPE_CHECKING:
    from sqlmodel import Session

    from collectui.domain.calls.record import CallInput

MAX_NOTES = 2000
MAX_RECORDING = 200


@dataclass(frozen=True)
class Problem:
    field: str  # outcome | checklist | recording | notes | promise_amount | promise_date | at
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def validate(
    s: Session, ctx: Ctx, customer: Customer, contact: Contact | None, data: CallInput, at: datetime
) -> tuple[list[Problem], int | None, date | None]:
    """Every problem with the record, plus the parsed promise (amount in fen, date) when valid."""
    problems: list[Problem] = []
    third = contact is not None
    outcome = (data.outcome or "").strip()
    if not outcome:
        problems.append(Problem("outcome", f"choose an outcome: {', '.join(oc.outcomes_for(third))}"))
    elif outcome not in oc.OUTCOMES:
        problems.append(
            Problem("outcome", f"unknown outcome {outcome[:40]!r} (expected one of {', '.join(oc.OUTCOMES)})")
        )
    elif outcome not in oc.outcomes_for(third):
        problems.append(
            Problem(
                "outcome", f"{outcome} needs the borrower on the line; a call to a third-party contact cannot record it"
            )
        )
    known = outcome in oc.outcomes_for(third)
    if known:
        problems += [Problem("checklist", m) for m in oc.checklist_problems(outcome, third, data.checklist)]
        if oc.kind_of(outcome, third) != oc.KIND_UNANSWERED and not (data.recording_ref or "").strip():
            problems.append(Problem("recording", "a connected call needs a recording reference"))
    if len((data.recording_ref or "").strip()) > MAX_RECORDING:
        problems.append(Problem("recording", f"at most {MAX_RECORDING} characters"))
    if data.notes and len(data.notes) > MAX_NOTES:
        problems.append(Problem("notes", f"at most {MAX_NOTES} characters"))
    for hit in scan(data.notes, ctx.policy.table("rules.note_scan")):
        problems.append(Problem("notes", f"not allowed ({hit.category.replace('_', ' ')}): {hit.phrase!r}"))
    amount = due = None
    has_promise = bool(str(data.promise_amount or "").strip() or str(data.promise_date or "").strip())
    if outcome == "promise_to_pay" and known:
        amount, msg = parse_amount(data.promise_amount)
        if amount is not None:  # parsed (msg is None)
            msg = amount_problem(amount, total_outstanding(s, customer.customer_id, at.date()))
        if msg:
            problems.append(Problem("promise_amount", msg))
        due, msg = parse_promise_date(data.promise_date)
        if due is not None:  # parsed (msg is None)
            msg = date_problem(due, at.date(), ctx.policy)
        if msg:
            problems.append(Problem("promise_date", msg))
    elif has_promise:
        problems.append(Problem("promise_amount", "a promise amount and date go only with promise_to_pay"))
    return problems, amount, due
