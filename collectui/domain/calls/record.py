"""The call record: starting a call, logging what happened, and the effects of each outcome.

``log_call`` is the one service behind ``collectui call log`` and the TUI's call form. Order: the gate
first (a refusal is recorded as a ``refused`` attempt, audited, and answered with exit 3 whatever else is
wrong), then the record is validated (an invalid record is not saved and counts toward nothing), then
the attempt, its effects and the audit events are written in the same ``BEGIN IMMEDIATE`` transaction as
the gate's counts were read, so two staff logging at once are counted together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from collectui.domain.attempts import day_bounds, expiry_cutoff
from collectui.domain.audit import record_raw
from collectui.domain.calls import late, store
from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.checking import call_time, check_call
from collectui.domain.calls.gate import GateFacts, GateResult, RuleHit, evaluate
from collectui.domain.calls.parties import DEBTOR, Borrower, ThirdParty, resolve_target, third_party
from collectui.domain.calls.validation import DISPUTE_REASONS, Parsed, Problem, validate
from collectui.domain.cases.disputes import answer_due
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.portfolio.refresh import refresh_in
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer
from collectui.domain.textsafe import clean_line
from collectui.domain.voice.vocabulary import scrub_free_text
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

__all__ = [
    "DISPUTE_REASONS",
    "call_time",
    "check_call",
    "CallInput",
    "CallResult",
    "StartResult",
    "CancelResult",
    "UnfinishedCall",
]


@dataclass
class CallInput:
    customer_id: str
    outcome: str | None
    contact: str = DEBTOR
    checklist: list[str] = field(default_factory=list)
    recording_ref: str | None = None
    notes: str | None = None
    promise_amount: str | None = None  # yuan, as typed
    promise_date: str | date | None = None
    at: datetime | None = None  # when the call started; default the clock
    late_reason: str | None = None  # a supervisor's reason for a late entry (domain.calls.late)
    callback_at: str | datetime | None = None  # outcome callback: "YYYY-MM-DD HH:MM", or "HH:MM" that day
    dispute_reason: str | None = None  # outcome dispute: one of DISPUTE_REASONS


@dataclass
class CallResult:
    saved: bool
    call_id: int | None
    reasons: list[RuleHit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[RuleHit] = field(default_factory=list)
    refused_attempt_id: int | None = None
    effects: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.saved else 3 if self.reasons else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "saved": self.saved,
            "call_id": self.call_id,
            "reasons": [r.to_json() for r in self.reasons],
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class StartResult:
    """A call begun from the TUI: allowed (a 'started' attempt, the full number) or refused."""

    gate: GateResult
    call_id: int | None  # the started attempt, or the refused one
    phone: str | None  # in full, only when allowed: the number to dial for this call
    started_at: datetime


@dataclass(frozen=True)
class CancelResult:
    call_id: int
    counted: bool  # the number had been shown: the attempt counts as unanswered for every limit


@dataclass(frozen=True)
class UnfinishedCall:
    """A call of this person that ended without a record: still on screen, abandoned or cancelled."""

    call_id: int
    customer_id: str
    name_masked: str
    contact: str  # "debtor" or a contact_id
    started_at: datetime
    state: str  # open (started, within the in_call minutes) | expired (abandoned) | cancelled

    @property
    def expired(self) -> bool:
        return self.state != "open"


def _target_label(contact: ThirdParty | None) -> str:
    return contact.contact_id if contact is not None else DEBTOR


def _caller(raw: RawConnection, actor: Actor, collector: str | None, late_entry: bool = False) -> store.Caller:
    """Whose call it is: the signed-in person, or for a machine (a dialler's token) the collector it names;
    a supervisor's late entry (already authorized) may name the collector too."""
    if actor.user_id is not None:
        if collector and collector != actor.name:
            if not late_entry:
                raise InvalidInput(
                    said(
                        "error.calls.for_someone_else",
                        "only a machine (an API token) or a late entry logs calls for someone else",
                    )
                )
            return store.load_caller(raw, collector)
        return store.load_caller(raw, actor.name)
    if not collector:
        raise InvalidInput(
            said(
                "error.calls.name_collector",
                f"{actor.name} is not a person: name the collector who made the call (--collector)",
                actor=actor.name,
            )
        )
    return store.load_caller(raw, collector)


def _record_refusal(
    raw: RawConnection, ctx: Ctx, user: store.Caller, facts: GateFacts, gate: GateResult, source: str
) -> int:
    rules = [r.rule for r in gate.reasons]
    attempt_id = store.insert_attempt(
        raw,
        facts.customer.customer_id,
        facts.contact.contact_id if facts.contact else None,
        facts.phone,
        user.id,
        "refused",
        facts.at,
        rules,
    )
    record_raw(
        raw,
        ctx.clock,
        user.username,
        "call.refused",
        "customer",
        facts.customer.customer_id,
        {
            "attempt_id": attempt_id,
            "contact": _target_label(facts.contact),
            "source": source,
            "rules": rules,
            "policy": ctx.policy_version,
        },
    )
    return attempt_id


def start_call(
    ctx: Ctx, actor: Actor, customer_id: str, contact: str | None = DEBTOR, source: str = "tui"
) -> StartResult:
    """Gate and, when allowed, a 'started' attempt in one transaction (so ``in_call`` sees it at once).

    The number is returned in full for this call only; that view is audited as ``call.unmask_number``.
    """
    authorize_customer(ctx, actor, "call.log", customer_id)
    with ctx.db.raw_write() as raw:
        user = _caller(raw, actor, None)
        customer, target, phone = resolve_target(raw, customer_id, contact)
        facts = GateFacts(raw, ctx.policy, customer, target, phone, user.id, user.role, call_time(ctx, None))
        gate = evaluate(facts)
        if not gate.allowed:
            return StartResult(gate, _record_refusal(raw, ctx, user, facts, gate, source), None, facts.at)
        attempt_id = store.insert_attempt(
            raw, customer_id, target.contact_id if target else None, phone, user.id, "started", facts.at
        )
        details = {
            "attempt_id": attempt_id,
            "contact": _target_label(target),
            "source": source,
            "policy": ctx.policy_version,
        }
        record_raw(raw, ctx.clock, user.username, "call.start", "customer", customer_id, details)
        record_raw(
            raw,
            ctx.clock,
            user.username,
            "call.unmask_number",
            "customer",
            customer_id,
            {**details, "phone": mask_phone(phone, ctx.policy), "why": "dial for this call"},
        )
        return StartResult(gate, attempt_id, phone, facts.at)


def cancel_call(ctx: Ctx, actor: Actor, call_id: int, source: str = "tui") -> CancelResult:
    """End a started call without a record: ``in_call`` is released at once, and since the full number was
    shown the attempt counts as unanswered (``domain.attempts``) until the collector records it."""
    with ctx.db.raw_read() as raw:
        found = store.load_started(raw, call_id)
    if found is None:
        raise NotFound(said("error.calls.no_attempt", f"no call attempt {call_id}", call=call_id))
    authorize_customer(ctx, actor, "call.log", found[0])  # outside the write: a refusal writes its audit event
    with ctx.db.raw_write() as raw:
        started = store.load_started(raw, call_id)
        assert started is not None  # attempts are never deleted
        customer_id, contact_id, user_id, status, _at = started
        user = _caller(raw, actor, None)
        if user_id != user.id or status != "started":
            raise InvalidInput(
                said(
                    "error.calls.not_open",
                    f"call attempt {call_id} is not a call {user.username} has started and not ended",
                    call=call_id,
                    user=user.username,
                )
            )
        store.mark_cancelled(raw, call_id, ctx.clock.now())
        record_raw(
            raw,
            ctx.clock,
            user.username,
            "call.cancel",
            "customer",
            customer_id,
            {
                "attempt_id": call_id,
                "contact": contact_id or DEBTOR,
                "counted": True,
                "source": source,
                "policy": ctx.policy_version,
            },
        )
        refresh_in(raw, ctx, [customer_id], actor=user.username)
        return CancelResult(call_id, True)


def unfinished_calls(ctx: Ctx, actor: Actor) -> list[UnfinishedCall]:
    """This person's calls that ended without a record, newest first (at most 50): started ones (open, or
    abandoned after the in_call minutes) and today's cancelled ones. The app shows them on opening so each
    can be recorded properly or left as counted."""
    if actor.user_id is None:
        return []
    authorize(ctx, actor, "call.log")
    now = ctx.clock.now().astimezone(ctx.policy.tz)
    with ctx.db.raw_read() as raw:
        rows = raw.execute(
            "SELECT a.id, a.customer_id, c.name, a.contact_id, a.started_at, a.status FROM call_attempt a "
            "JOIN customer c ON c.customer_id = a.customer_id WHERE a.user_id = ? "
            "AND (a.status = 'started' OR (a.status = 'cancelled' AND a.started_at >= ?)) "
            "ORDER BY a.started_at DESC, a.id DESC LIMIT 50",
            # Cancelled calls of today only: already counted, worth a record while the call is fresh.
            (actor.user_id, day_bounds(now)[0]),
        ).fetchall()
        cutoff = expiry_cutoff(ctx.policy, now)
    out = []
    for call_id, cid, name, contact_id, started_text, status in rows:
        state = "cancelled" if status == "cancelled" else "expired" if started_text <= cutoff else "open"
        out.append(
            UnfinishedCall(
                int(call_id),
                str(cid),
                mask_name(str(name), ctx.policy),
                str(contact_id) if contact_id else DEBTOR,
                datetime.fromisoformat(str(started_text)).astimezone(ctx.policy.tz),
                state,
            )
        )
    return out


def validate_call(ctx: Ctx, data: CallInput, started_call_id: int | None = None) -> list[Problem]:
    """Problems only, nothing written: for a form that shows them while the collector types."""
    with ctx.db.raw_read() as raw:
        if started_call_id is not None:
            started = store.load_started(raw, started_call_id)
            if started is None:
                raise NotFound(
                    said("error.calls.no_attempt", f"no call attempt {started_call_id}", call=started_call_id)
                )
            customer, contact, _ = resolve_target(raw, started[0], started[1])
            at = started[4].astimezone(ctx.policy.tz)
        else:
            customer, contact, _ = resolve_target(raw, data.customer_id, data.contact)
            at = call_time(ctx, data.at)
        return validate(raw, ctx, customer, contact, data, at)[0]


def _apply_effects(
    raw: RawConnection,
    ctx: Ctx,
    user: store.Caller,
    customer: Borrower,
    contact: ThirdParty | None,
    call_id: int,
    outcome: str,
    at: datetime,
    parsed: Parsed,
) -> list[str]:
    cid = customer.customer_id
    base = {"call_id": call_id, "contact": _target_label(contact), "policy": ctx.policy_version}
    amount, due = parsed.amount_fen, parsed.due
    if outcome == "promise_to_pay":
        # validate() parsed both, or the record had problems and was not saved.
        assert amount is not None and due is not None
        promise_id = store.insert_promise(raw, cid, call_id, user.id, at, amount, due)
        record_raw(
            raw,
            ctx.clock,
            user.username,
            "promise.open",
            "customer",
            cid,
            {**base, "promise_id": promise_id, "amount_fen": amount, "due_date": due.isoformat()},
        )
        return [f"promise:{promise_id}"]
    if outcome == "dispute":
        dispute_id = store.insert_dispute(
            raw, cid, call_id, user.id, at, reason_code=parsed.dispute_reason, due_on=answer_due(at, ctx.policy)
        )
        record_raw(
            raw,
            ctx.clock,
            user.username,
            "dispute.open",
            "customer",
            cid,
            {**base, "dispute_id": dispute_id, "reason": parsed.dispute_reason},
        )
        return [f"dispute:{dispute_id}"]
    if outcome == "callback":
        assert parsed.callback_at is not None  # validate() requires it
        return [f"callback:{utc_text(parsed.callback_at)}"]
    # The number dialled is wrong or dead: marked invalid (rule invalid_number) until an import or a
    # supervisor says otherwise. Asked to stop: the borrower herself (on any of her numbers), or the contact.
    if outcome == "cease_request" and contact is not None and third_party(contact):
        table, key, flag = "contact", contact.contact_id, "refused_calls"
    elif outcome == "cease_request":
        table, key, flag = "customer", cid, "do_not_call"
    elif outcome in ("invalid_number", "wrong_number"):
        table, key, flag = (
            ("contact", contact.contact_id, "phone_invalid") if contact else ("customer", cid, "phone_invalid")
        )
    elif outcome == "hardship" and not third_party(contact):
        table, key, flag = "customer", cid, "hardship"
    else:
        return []
    store.set_flag(raw, table, flag, key)
    record_raw(raw, ctx.clock, user.username, f"{table}.{flag}", table, key, base)
    return [f"{table}.{flag}"]


def log_call(
    ctx: Ctx,
    actor: Actor,
    data: CallInput,
    started_call_id: int | None = None,
    source: str = "cli",
    collector: str | None = None,
) -> CallResult:
    """Gate (unless logging a call the gate already allowed at its start), validate, save, effects, refresh.

    A person logs their own calls; a machine's token names the ``collector`` who made the call.
    """
    authorize_customer(ctx, actor, "call.log", data.customer_id)
    typed_at = call_time(ctx, data.at) if data.at is not None and started_call_id is None else None
    late_entry = typed_at is not None and late.is_late(ctx, typed_at, data.late_reason)
    if late_entry:
        late.authorize_late(ctx, actor)
    with ctx.db.raw_write() as raw:
        user = _caller(raw, actor, collector, late_entry)
        username = user.username
        if started_call_id is None:
            customer, contact, phone = resolve_target(raw, data.customer_id, data.contact)
            at = call_time(ctx, data.at)
            gate = evaluate(GateFacts(raw, ctx.policy, customer, contact, phone, user.id, user.role, at))
        else:
            # The gate allowed it when it started; a cancelled or abandoned call may still be recorded.
            started = store.load_started(raw, started_call_id)
            if started is None or started[3] not in ("started", "cancelled") or started[2] != user.id:
                raise InvalidInput(
                    said(
                        "error.calls.not_started",
                        f"call attempt {started_call_id} is not a call {username} has started",
                        call=started_call_id,
                        user=username,
                    )
                )
            customer, contact, phone = resolve_target(raw, started[0], started[1])
            at = started[4].astimezone(ctx.policy.tz)
            gate = GateResult()
        problems, parsed = validate(raw, ctx, customer, contact, data, at)
        timing = late.judge(raw, ctx, customer.customer_id, at, data.late_reason) if typed_at else late.Timing()
        if timing.problems:  # a start time that may not be logged: nothing is recorded, not even a refusal
            return CallResult(False, None, [], [Problem(f, m) for f, m in timing.problems] + problems, gate.warnings)
        if not gate.allowed:
            facts = GateFacts(raw, ctx.policy, customer, contact, phone, user.id, user.role, at)
            refused_id = _record_refusal(raw, ctx, user, facts, gate, source)
            return CallResult(False, None, gate.reasons, problems, gate.warnings, refused_id)
        if problems:
            hits = scan(data.notes, ctx.policy.table("rules.note_scan"))
            if hits:
                # Supervisors review these in the compliance report; the phrase category, never the note.
                record_raw(
                    raw,
                    ctx.clock,
                    user.username,
                    "call.note_refused",
                    "customer",
                    customer.customer_id,
                    {"categories": sorted({h.category for h in hits}), "source": source, "policy": ctx.policy_version},
                )
            return CallResult(False, None, [], problems, gate.warnings)
        outcome = (data.outcome or "").strip()  # not empty: validate() found no problem
        kind = oc.kind_of(outcome, third_party(contact))
        if started_call_id is None:
            call_id = store.insert_attempt(
                raw, customer.customer_id, contact.contact_id if contact else None, phone, user.id, "logged", at
            )
            ended = None
        else:
            call_id, ended = started_call_id, ctx.clock.now()
        if timing.late and timing.reason:
            late.mark_late(raw, call_id, timing.reason)
        # Notes are stored like feedback texts: phone, ID and card numbers masked, control characters removed.
        notes = scrub_free_text(data.notes, ctx.policy)
        store.write_logged(
            raw,
            call_id,
            outcome,
            kind != oc.KIND_UNANSWERED,
            kind == oc.KIND_RIGHT_PARTY,
            sorted({i.strip() for i in data.checklist if i.strip()}),
            clean_line(data.recording_ref or "").strip() or None,
            notes.text if notes else None,
            ended,
            parsed.callback_at,
        )
        effects = _apply_effects(raw, ctx, user, customer, contact, call_id, outcome, at, parsed)
        record_raw(
            raw,
            ctx.clock,
            user.username,
            "call.log",
            "customer",
            customer.customer_id,
            {
                "call_id": call_id,
                "outcome": outcome,
                "kind": kind,
                "contact": _target_label(contact),
                "source": source,
                "effects": effects,
                **({"notes_masked_numbers": notes.masked} if notes and notes.masked else {}),
                "policy": ctx.policy_version,  # the policy version the gate and the note scan judged by
                **({"by": actor.name} if actor.name != user.username else {}),
                **({"late": True, "late_reason": timing.reason} if timing.late else {}),
            },
        )
        # The work list depends on calls, promises, holds and do-not-call: recompute it in this transaction.
        refresh_in(raw, ctx, [customer.customer_id], actor=user.username)
        return CallResult(True, call_id, [], [], gate.warnings, None, effects)
