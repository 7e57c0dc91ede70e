"""Disputes: the borrower says the debt is wrong; the bank checks and answers by a due day.

Life of a dispute: a call with outcome ``dispute`` opens it (``calls.store.insert_dispute``) with a reason
code, and the gate's ``dispute_hold`` refuses every collection call while it is ``open``. The bank's answer
is due ``disputes.answer_days`` (15) days after the local day it was opened; unanswered after that day it is
overdue (dashboard, ``report compliance``). A supervisor resolves it:

- ``resolved_upheld``: the borrower was right; the resolution says what was corrected;
- ``resolved_rejected``: the debt stands; the resolution says why, and the borrower is told by letter or
  by the ``dispute_answer`` SMS (``cases.dispute_answer``).

Either way the hold lifts at once: the borrower's work item is refreshed in the same transaction, so the
list and the gate agree. Collectors are refused (``access.denied``); every resolution is audited.
Reads and writes use plain SQL (this package may not import ``domain.calls``, which imports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from collectui.domain import audit
from collectui.domain.cases.dispute_answer import queue_answer
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.policy import Policy
from collectui.domain.privacy.masking import mask_name
from collectui.domain.said import not_one_of, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer, reading_scope
from collectui.domain.voice.vocabulary import MAX_TEXT, scrub_free_text
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

REASON_CODES = ("amount_wrong", "not_my_loan", "already_paid", "other")
STATUSES = ("open", "resolved_upheld", "resolved_rejected")
# What ``list_disputes(status=...)`` takes: a stored status, or a group of them.
STATUS_FILTERS = (*STATUSES, "resolved", "overdue")
TOLD_BY = ("sms", "letter")
RESOLVED = ("resolved_upheld", "resolved_rejected", "resolved")  # "resolved": rows from before the lifecycle


@dataclass(frozen=True)
class DisputeView:
    id: int
    customer_id: str
    name: str  # masked
    branch: str
    status: str
    reason_code: str | None
    opened_at: datetime
    opened_on: date
    opened_by: str | None
    call_id: int | None
    due_on: date
    days_left: int  # negative when overdue (for a resolved one: against the day it was resolved)
    overdue: bool  # open after its due day
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None
    told_by: str | None
    in_time: bool | None  # resolved on or before the due day; None while open


@dataclass(frozen=True)
class Resolution:
    id: int
    customer_id: str
    status: str
    late: bool  # resolved after the due day
    sms_message_id: str | None  # the queued dispute_answer SMS
    sms_text: str | None  # its text (holds no name)


def answer_due(opened_at: datetime, policy: Policy) -> date:
    """The day the bank's answer is due: the local opening day plus ``disputes.answer_days``."""
    return opened_at.astimezone(policy.tz).date() + timedelta(days=policy.integer("disputes.answer_days"))


def due_of(opened_at: datetime, due_on: date | None, policy: Policy) -> date:
    """The stored due day; disputes opened before it was stored (or by an older path) get the policy's."""
    return due_on if due_on is not None else answer_due(opened_at, policy)


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Open after the due day (the due day itself is still in time)."""
    return status == "open" and today > due_on


_SELECT = """
    SELECT d.id, d.customer_id, c.name, b.name, d.status, d.reason_code, d.opened_at, ob.username, d.call_id,
           d.due_on, d.resolved_at, rb.username, d.resolution, d.told_by
    FROM dispute d
    JOIN customer c ON c.customer_id = d.customer_id
    JOIN branch b ON b.id = c.branch_id
    LEFT JOIN staff_user ob ON ob.id = d.opened_by
    LEFT JOIN staff_user rb ON rb.id = d.resolved_by
"""


def _view(row: tuple[object, ...], policy: Policy, today: date) -> DisputeView:
    did, cid, name, branch, status, code, opened, opened_by, call_id, due, resolved, resolved_by, res, told = row
    tz = policy.tz
    opened_at = datetime.fromisoformat(str(opened))
    due_on = due_of(opened_at, date.fromisoformat(str(due)) if due else None, policy)
    resolved_at = datetime.fromisoformat(str(resolved)) if resolved else None
    resolved_on = resolved_at.astimezone(tz).date() if resolved_at else None
    return DisputeView(
        id=int(str(did)),
        customer_id=str(cid),
        name=mask_name(str(name), policy),
        branch=str(branch),
        status=str(status),
        reason_code=str(code) if code else None,
        opened_at=opened_at,
        opened_on=opened_at.astimezone(tz).date(),
        opened_by=str(opened_by) if opened_by else None,
        call_id=int(str(call_id)) if call_id is not None else None,
        due_on=due_on,
        days_left=(due_on - (resolved_on or today)).days,
        overdue=is_overdue(str(status), due_on, today),
        resolved_at=resolved_at,
        resolved_by=str(resolved_by) if resolved_by else None,
        resolution=str(res) if res else None,
        told_by=str(told) if told else None,
        in_time=None if resolved_on is None else resolved_on <= due_on,
    )


def list_disputes(
    ctx: Ctx,
    actor: Actor,
    status: str | None = None,
    branch: str | None = None,
    customer_id: str | None = None,
    today: date | None = None,
) -> list[DisputeView]:
    """Open ones first, by due day (earliest first), then resolved ones, latest first.

    The reader needs ``queue.read``; a branch-bound one sees its own branch only (asking for another is
    refused and audited). ``status``: open, resolved_upheld, resolved_rejected, resolved (both), overdue.
    """
    if status is not None and status not in STATUS_FILTERS:
        raise InvalidInput(not_one_of("status", STATUS_FILTERS, status))
    scope = reading_scope(ctx, actor, "queue.read", branch, customer_id)
    today = today or ctx.clock.today()
    where, params = [], []
    if scope is not None:
        where.append("b.name = ?")
        params.append(scope)
    if customer_id is not None:
        where.append("d.customer_id = ?")
        params.append(customer_id)
    if status in ("open", "overdue"):
        where.append("d.status = 'open'")
    elif status == "resolved":
        where.append("d.status IN ('resolved_upheld', 'resolved_rejected', 'resolved')")
    elif status is not None:
        where.append("d.status = ?")
        params.append(status)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    with ctx.db.raw_read() as raw:
        rows = raw.execute(sql, tuple(params)).fetchall()
    views = [_view(tuple(r), ctx.policy, today) for r in rows]
    if status == "overdue":
        views = [v for v in views if v.overdue]
    open_ones = sorted((v for v in views if v.status == "open"), key=lambda v: (v.due_on, v.id))
    done = sorted((v for v in views if v.status != "open"), key=lambda v: (v.resolved_at or v.opened_at, v.id))
    return open_ones + done[::-1]


def overdue_count(raw: RawConnection, policy: Policy, today: date, branch: str | None = None) -> tuple[int, int]:
    """(open, overdue) disputes, of one branch or all: for the dashboard."""
    sql = "SELECT d.opened_at, d.due_on FROM dispute d"
    params: tuple[str, ...] = ()
    if branch is not None:
        sql += " JOIN customer c ON c.customer_id = d.customer_id JOIN branch b ON b.id = c.branch_id AND b.name = ?"
        params = (branch,)
    rows = raw.execute(sql + " WHERE d.status = 'open'", params).fetchall()
    due = [due_of(datetime.fromisoformat(str(o)), date.fromisoformat(str(d)) if d else None, policy) for o, d in rows]
    return len(rows), sum(1 for day in due if today > day)


def _clean_reason(ctx: Ctx, reason: str | None) -> str:
    """Required; numbers masked; refused when it holds a phrase the note scan forbids (a resolution may be
    read back to the borrower)."""
    scrubbed = scrub_free_text(reason, ctx.policy)
    if scrubbed is None:
        raise InvalidInput(said("error.cases.reason_required", "reason: text is required"))
    if len(scrubbed.text) > MAX_TEXT:
        raise InvalidInput(
            said(
                "error.cases.dispute_reason_long",
                f"reason: at most {MAX_TEXT} characters (got {len(scrubbed.text)})",
                max=MAX_TEXT,
                got=len(scrubbed.text),
            )
        )
    hits = scan(scrubbed.text, ctx.policy.table("rules.note_scan"))
    if hits:
        words = ", ".join(repr(h.phrase) for h in hits)
        raise InvalidInput(
            said(
                "error.cases.dispute_reason_banned",
                f"reason: not allowed ({hits[0].category.replace('_', ' ')}): {words}",
                category=hits[0].category.replace("_", " "),
                words=words,
            )
        )
    return scrubbed.text


def _when(ctx: Ctx, at: datetime | None, opened_at: datetime) -> datetime:
    when = at or ctx.clock.now()
    if when.tzinfo is None:
        raise InvalidInput(said("error.cases.at_needs_zone", "at: needs a time zone"))
    if when > ctx.clock.now():
        raise InvalidInput(said("error.cases.at_future", "at: cannot be in the future"))
    if when < opened_at:
        raise InvalidInput(said("error.cases.at_before_dispute", "at: before the dispute was opened"))
    return when


def _acting_user(raw: RawConnection, actor: Actor) -> int | None:
    """The acting person's account id (None for a machine's token); a deactivated account is refused."""
    if actor.user_id is None:
        return None
    row = raw.execute("SELECT active FROM staff_user WHERE id = ?", (actor.user_id,)).fetchone()
    if row is None or row[0] != 1:
        raise PermissionDenied(
            said("error.cases.user_inactive", f"user {actor.name!r} is not active", user=repr(actor.name))
        )
    return actor.user_id


def resolve_dispute(
    ctx: Ctx,
    actor: Actor,
    dispute_id: int,
    upheld: bool,
    reason: str | None,
    at: datetime | None = None,
    told_by: str = "letter",
    sms_lang: str = "zh",
) -> Resolution:
    """Resolve an open dispute (``dispute.resolve``: supervisors and admins of its branch)."""
    from collectui.domain.portfolio.refresh import refresh_in

    with ctx.db.raw_read() as raw:
        found = raw.execute("SELECT customer_id FROM dispute WHERE id = ?", (dispute_id,)).fetchone()
    if found is None:
        authorize(ctx, actor, "dispute.resolve")
        raise NotFound(said("error.cases.no_dispute", f"no dispute {dispute_id}", dispute_id=dispute_id))
    customer_id = str(found[0])
    authorize_customer(ctx, actor, "dispute.resolve", customer_id)
    if told_by not in TOLD_BY:
        raise InvalidInput(not_one_of("told_by", TOLD_BY, told_by))
    if upheld and told_by == "sms":  # the one SMS template says the debt stands
        raise InvalidInput(
            said(
                "error.cases.told_by_sms_upheld",
                "told_by sms: the dispute_answer SMS tells a rejection; tell an upheld one by letter",
            )
        )
    text = _clean_reason(ctx, reason)
    status = "resolved_upheld" if upheld else "resolved_rejected"
    with ctx.db.raw_write() as raw:
        user_id = _acting_user(raw, actor)
        row = raw.execute("SELECT status, opened_at, due_on FROM dispute WHERE id = ?", (dispute_id,)).fetchone()
        if row[0] != "open":
            raise InvalidInput(
                said(
                    "error.cases.dispute_not_open",
                    f"dispute {dispute_id} is {row[0]}; only an open dispute is resolved",
                    dispute_id=dispute_id,
                    status=row[0],
                )
            )
        opened_at = datetime.fromisoformat(str(row[1]))
        when = _when(ctx, at, opened_at)
        due_on = due_of(opened_at, date.fromisoformat(str(row[2])) if row[2] else None, ctx.policy)
        late = when.astimezone(ctx.policy.tz).date() > due_on
        raw.execute(
            "UPDATE dispute SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ?, told_by = ?, "
            "due_on = ? WHERE id = ? AND status = 'open'",
            (status, utc_text(when), user_id, text, told_by, due_on.isoformat(), dispute_id),
        )
        details: dict[str, object] = {
            "customer_id": customer_id,
            "from": "open",
            "to": status,
            "reason": text,
            "told_by": told_by,
            "due_on": due_on.isoformat(),
            "late": late,
            "at": when.isoformat(),
            "policy": ctx.policy_version,
        }
        answer = None
        if not upheld and told_by == "sms":
            answer = queue_answer(
                raw, ctx.policy, customer_id, opened_at.astimezone(ctx.policy.tz).date(), when, sms_lang
            )
            details["sms_message_id"] = answer.message_id
        audit.record_raw(raw, ctx.clock, actor.name, "dispute.resolve", "dispute", str(dispute_id), details)
        if answer is not None:
            audit.record_raw(
                raw,
                ctx.clock,
                actor.name,
                "sms.queue",
                "sms_message",
                answer.message_id,
                {
                    "customer_id": customer_id,
                    "template": "dispute_answer",
                    "dispute_id": dispute_id,
                    "lang": answer.lang,
                },
            )
        # The hold lifts in the same transaction: the work list and the gate agree at once.
        refresh_in(raw, ctx, [customer_id], actor=actor.name)
    return Resolution(
        dispute_id,
        customer_id,
        status,
        late,
        answer.message_id if answer else None,
        answer.text if answer else None,
    )
