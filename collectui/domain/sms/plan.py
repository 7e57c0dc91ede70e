"""Planning: one reminder for each borrower of the day's work list who may get one.

Every borrower of the list that is not queued is reported with a stable reason code (see ``REASONS``).
The list comes from the work-list engine (``refresh`` keeps ``work_item`` current for a day); the
reminder's text is rendered now, so what is sent is what the supervisor previewed. A branch-bound planner
(a branch supervisor) plans the list of their own branch only; an admin plans every branch, or one named.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.privacy.identity import is_mobile
from collectui.domain.privacy.masking import mask_phone
from collectui.domain.said import said
from collectui.domain.sms import store
from collectui.domain.sms.messages import branch_clause
from collectui.domain.sms.send import PLAN_AT, checked_at
from collectui.domain.sms.templates import render, template_for, values
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import NO_BRANCH, reading_scope

if TYPE_CHECKING:
    from collectui.storage.raw import RawConnection

# Stable reason codes, in the order they are tested (a borrower gets the first that applies).
REASONS = {
    "do_not_call": "the borrower asked not to be contacted",
    "opted_out": "the borrower opted out of SMS (customer flag or TD reply)",
    "invalid_number": "the borrower's number is marked invalid",
    "not_mobile": "the borrower's number is a landline; it cannot take an SMS",
    "dispute_hold": "an open dispute: no collection contact",
    "complaint_hold": "an open collection complaint: no collection contact",
    "promise_pending": "an open promise to pay whose date has not passed",
    "plan_active": "an active payment plan being kept: no collection contact",
    "recent_reminder": "a reminder was already queued or sent within sms.resend_days",
    "limit": "over the --limit of this run",
}

_CUSTOMER_SQL = """
    SELECT c.customer_id, c.name, c.phone, c.do_not_call, c.phone_invalid, c.sms_opt_out,
           (SELECT MIN(ls.oldest_unpaid_due) FROM loan_state ls WHERE ls.customer_id = c.customer_id)
    FROM customer c JOIN work_item w ON w.customer_id = c.customer_id
"""
# A borrower's columns after the id in ``_CUSTOMER_SQL``: name, phone, do_not_call, phone_invalid, sms_opt_out,
# oldest unpaid due date (ISO text; None without an unpaid instalment).
_Person = tuple[str, str, int, int, int, str | None]
# A queued message as ``store.insert_messages`` takes it: (message_id, customer_id, phone, text, lang,
# planned_for ISO, created_at).
_Queued = tuple[str, str, str, str, str, str, datetime]


@dataclass(frozen=True)
class Planned:
    message_id: str
    customer_id: str
    phone: str  # masked
    lang: str
    text: str  # rendered with the masked name: safe to show


@dataclass(frozen=True)
class Skipped:
    customer_id: str
    reason: str


@dataclass
class PlanResult:
    for_date: date
    branch: str | None = None  # the branch the run was limited to; None: every branch; "": bound to none
    queued: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def reason_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for skip in self.skipped:
            counts[skip.reason] = counts.get(skip.reason, 0) + 1
        return counts


def work_list(ctx: Ctx, for_date: date, branch: str | None = None) -> list[tuple[str, bool, str | None, int]]:
    """(customer_id, callable, blocked_reason, overdue_fen) of every borrower on the list of ``for_date``,
    blocked ones included, in list order (the work-list engine's ``sort_key``); of ``branch`` only if given."""
    from collectui.domain.portfolio import refresh

    if for_date == ctx.clock.today():
        refresh.ensure_current(ctx)
        where, params = branch_clause("customer_id", branch)
        with ctx.db.raw_read() as raw:  # a raw connection: its ``?`` placeholders are portable
            rows = raw.execute(
                "SELECT customer_id, callable, blocked_reason, overdue_fen FROM work_item WHERE 1 = 1"
                f"{where} ORDER BY sort_key",
                params,
            )
            return [(r[0], bool(r[1]), r[2], r[3]) for r in rows]
    items = sorted(refresh.compute_work_items(ctx, for_date), key=lambda w: w.sort_key)
    if branch is not None:
        with ctx.db.raw_read() as raw:
            ids = {r[0] for r in raw.execute("SELECT id FROM branch WHERE name = ?", (branch,))}
        items = [w for w in items if w.branch_id in ids]
    return [(w.customer_id, w.callable, w.blocked_reason, w.overdue_fen) for w in items]


def recent_customers(raw: RawConnection, for_date: date, resend_days: int, tz: tzinfo) -> set[str]:
    """Borrowers with a reminder that blocks another on ``for_date`` (``raw``: a plain connection).

    A reminder blocks when it is pending, sent or delivered, or failed without ever being accepted
    (``--retry-failed`` may still send it), and its day (planned day, or the later day it was sent) is
    less than ``resend_days`` before ``for_date`` or after it. A pending reminder always blocks: there is
    never more than one waiting per borrower.
    """
    cutoff = (for_date - timedelta(days=max(resend_days, 0) + 1)).isoformat()
    rows = raw.execute(
        "SELECT customer_id, state, planned_for, sent_at FROM sms_message "
        "WHERE state = 'pending' OR (state != 'cancelled' AND (planned_for >= ? OR sent_at >= ?))",
        (cutoff, cutoff),
    ).fetchall()
    blocked: set[str] = set()
    for customer_id, state, planned_for, sent_at in rows:
        if state == "pending":
            blocked.add(customer_id)
            continue
        if state == "failed" and sent_at is not None:
            continue  # accepted, then not delivered: a new reminder is a new message, not a resend
        day = date.fromisoformat(planned_for)
        if sent_at is not None:
            day = max(day, datetime.fromisoformat(sent_at).astimezone(tz).date())
        if (for_date - day).days < resend_days:
            blocked.add(customer_id)
    return blocked


def _customer(raw: RawConnection, cid: str) -> _Person:
    return tuple(
        raw.execute(
            "SELECT name, phone, do_not_call, phone_invalid, sms_opt_out, "
            "(SELECT MIN(oldest_unpaid_due) FROM loan_state WHERE customer_id = ?) FROM customer WHERE customer_id = ?",
            (cid, cid),
        ).fetchone()
    )


def new_message_id(for_date: date) -> str:
    """Also the gateway's idempotency key: fixed for the message's whole life."""
    return f"R{for_date:%Y%m%d}-{secrets.token_hex(6)}"


def plan(
    ctx: Ctx,
    actor: Actor,
    for_date: date | None = None,
    at: datetime | None = None,
    limit: int | None = None,
    lang: str = "zh",
    branch: str | None = None,
) -> PlanResult:
    """Queue the reminders of ``for_date``'s list. ``branch``: only that branch's borrowers; a branch-bound
    actor plans their own branch whatever is asked, and naming another is refused (audited ``access.denied``)."""
    scope = reading_scope(ctx, actor, "sms.plan", branch)
    if limit is not None and limit < 0:
        raise InvalidInput(said("error.sms.limit_negative", "--limit must not be negative"))
    at = checked_at(ctx, at, PLAN_AT)
    for_date = for_date or at.astimezone(ctx.clock.tz).date()
    template = template_for(ctx.policy, lang)
    listed = work_list(ctx, for_date, scope)
    result = PlanResult(for_date, "" if scope == NO_BRANCH else scope)
    policy = ctx.policy
    rows: list[_Queued] = []
    with ctx.db.raw_write() as raw:
        opted = {row[0] for row in raw.execute("SELECT phone FROM sms_opt_out")}
        recent = recent_customers(raw, for_date, policy["sms.resend_days"], ctx.clock.tz)
        where, params = branch_clause("c.customer_id", scope)  # no other branch's personal data is read
        people: dict[str, _Person] = {r[0]: r[1:] for r in raw.execute(f"{_CUSTOMER_SQL} WHERE 1 = 1{where}", params)}
        taken: set[str] = set()
        for cid, callable_, blocked, overdue_fen in listed:
            # Due date: the oldest unpaid instalment as the stored loan states have it.
            name, phone, dnc, invalid, opt_flag, due = people.get(cid) or _customer(raw, cid)
            if dnc or blocked == "do_not_call":
                reason = "do_not_call"
            elif opt_flag or phone in opted:
                reason = "opted_out"
            elif invalid:
                reason = "invalid_number"
            elif not is_mobile(phone):
                reason = "not_mobile"
            elif not callable_ and blocked != "sms_notice":  # waiting for this very reminder is no reason
                reason = blocked or "not_callable"
            elif cid in recent:
                reason = "recent_reminder"
            elif limit is not None and len(result.queued) >= limit:
                reason = "limit"
            else:
                reason = None
            if reason:
                result.skipped.append(Skipped(cid, reason))
                continue
            due_date = date.fromisoformat(due) if isinstance(due, str) else due
            body = render(template, values(policy, name, overdue_fen, due_date))
            message_id = new_message_id(for_date)
            while message_id in taken:
                message_id = new_message_id(for_date)
            taken.add(message_id)
            rows.append((message_id, cid, phone, body, lang, for_date.isoformat(), at))
            result.queued.append(Planned(message_id, cid, mask_phone(phone, policy), lang, body))
        store.insert_messages(raw, rows)
        events: list[store.AuditItem] = [
            ("sms.queue", "sms_message", r[0], {"customer_id": r[1], "planned_for": r[5], "lang": lang}) for r in rows
        ]
        events.append(
            (
                "sms.plan",
                "sms_plan",
                for_date.isoformat(),
                {
                    "queued": len(result.queued),
                    "skipped": result.reason_counts(),
                    "limit": limit,
                    "branch": result.branch,
                },
            )
        )
        store.audit_many(raw, ctx.clock, actor.name, events, policy=ctx.policy_version)
    return result
