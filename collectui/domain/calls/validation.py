"""What makes a call record valid: an outcome the contact can give, its checklist, a recording for a
connected call, notes within length and free of banned phrases, a promise only with ``promise_to_pay``
(an amount and a date the promise rules accept), a callback time only with ``callback`` (inside the call
window, within ``calls.callback_horizon_days``) and a dispute reason only with ``dispute``.

``record.log_call`` saves nothing while a problem remains; the TUI's form shows the same problems as the
collector types (``record.validate_call``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.gate import outside_window
from collectui.domain.calls.parties import Borrower, ThirdParty, third_party
from collectui.domain.calls.promise_rules import (
    amount_problem,
    date_problem,
    parse_amount,
    parse_promise_date,
    total_outstanding,
)
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.storage.raw import RawConnection

if TYPE_CHECKING:
    from collectui.domain.calls.record import CallInput

DISPUTE_REASONS = ("amount_wrong", "not_my_loan", "already_paid", "other")

MAX_NOTES = 2000
MAX_RECORDING = 200


@dataclass(frozen=True)
class Problem:
    field: str  # outcome | checklist | recording | notes | promise_amount | promise_date | callback_at |
    # dispute_reason | at
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class Parsed:
    """What a valid record carries beyond its text: the promise, the callback time, the dispute reason."""

    amount_fen: int | None = None
    due: date | None = None
    callback_at: datetime | None = None
    dispute_reason: str | None = None


def validate(
    raw: RawConnection, ctx: Ctx, customer: Borrower, contact: ThirdParty | None, data: CallInput, at: datetime
) -> tuple[list[Problem], Parsed]:
    """Every problem with the record, plus what was parsed from it when valid."""
    problems: list[Problem] = []
    third = third_party(contact)
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
            msg = amount_problem(amount, total_outstanding(raw, customer.customer_id, at.date()))
        if msg:
            problems.append(Problem("promise_amount", msg))
        due, msg = parse_promise_date(data.promise_date)
        if due is not None:  # parsed (msg is None)
            msg = date_problem(due, at.date(), ctx.policy)
        if msg:
            problems.append(Problem("promise_date", msg))
    elif has_promise:
        problems.append(Problem("promise_amount", "a promise amount and date go only with promise_to_pay"))
    callback = _callback(ctx, customer, data, outcome, at, problems)
    reason = (data.dispute_reason or "").strip() or None
    if outcome == "dispute" and known and reason not in DISPUTE_REASONS:
        problems.append(Problem("dispute_reason", f"why the borrower disputes: one of {', '.join(DISPUTE_REASONS)}"))
    elif outcome != "dispute" and reason:
        problems.append(Problem("dispute_reason", "a dispute reason goes only with the dispute outcome"))
    return problems, Parsed(amount, due, callback, reason if outcome == "dispute" else None)


def parse_callback(text: str | datetime | None, day: date, tz: object) -> datetime | None:
    """A typed callback time: an aware datetime, "YYYY-MM-DD HH:MM", or "HH:MM" on ``day``; None if unreadable."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=tz)  # type: ignore[arg-type]
    value = (text or "").strip().replace("T", " ")
    try:
        if len(value) <= 5:
            hours, _, minutes = value.partition(":")
            moment = datetime(day.year, day.month, day.day, int(hours), int(minutes))
        else:
            moment = datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return moment.replace(tzinfo=tz)  # type: ignore[arg-type]


def _callback(
    ctx: Ctx, customer: Borrower, data: CallInput, outcome: str, at: datetime, problems: list[Problem]
) -> datetime | None:
    typed = data.callback_at
    if outcome != "callback":
        if typed:
            problems.append(Problem("callback_at", "a callback time goes only with the callback outcome"))
        return None
    if not typed:
        problems.append(Problem("callback_at", "when to call back: YYYY-MM-DD HH:MM, or HH:MM for today"))
        return None
    moment = parse_callback(typed, at.date(), ctx.policy.tz)
    if moment is None:
        problems.append(Problem("callback_at", f"{str(typed)[:40]!r} is not a time: YYYY-MM-DD HH:MM, or HH:MM"))
        return None
    moment = moment.astimezone(ctx.policy.tz)
    horizon = ctx.policy["calls.callback_horizon_days"]
    if moment <= at:
        problems.append(Problem("callback_at", f"{moment:%Y-%m-%d %H:%M} is not after the call"))
    elif moment.date() > at.date() + timedelta(days=horizon):
        problems.append(Problem("callback_at", f"at most {horizon} days ahead (calls.callback_horizon_days)"))
    else:
        window = ctx.policy.table("rules").get("call_window", {"start": "08:00", "end": "22:00"})
        outside = outside_window(customer.consent_hours, moment, window)
        if outside:
            problems.append(Problem("callback_at", outside.text))
    return moment
