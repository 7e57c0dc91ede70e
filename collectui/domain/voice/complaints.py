"""Complaints: a decision due by a deadline, overdue ones impossible to miss, and the collection hold.

Life of a complaint: open -> acknowledged (optional) -> resolved | rejected (the decision) -> closed.
The decision is due ``complaints.due_days`` (15) days after the local day it was opened; ``extend`` moves
that once to ``complaints.extended_days`` (30). Without a decision after the due day it is overdue.

A complaint whose subject is in ``complaints.hold_about`` (collection) sets ``hold_active`` from the moment
it is opened; only a supervisor or admin clears it (``clear_hold``) and deciding the complaint does not.
Any staff member may open or acknowledge a complaint; deciding, extending and closing are for supervisors
and admins, so nobody decides on a complaint about their own calls. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, literal_column, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.policy import Policy
from collectui.domain.privacy.masking import mask_name
from collectui.domain.said import not_one_of, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer, reading_scope
from collectui.domain.staff.users import find_user
from collectui.domain.voice.feedback import clean_text, resolve_call_link
from collectui.storage.models import Branch, Complaint, Customer, StaffUser, saved_id

ABOUT = ("collection", "service", "other")
STATUSES = ("open", "acknowledged", "resolved", "rejected", "closed")
UNDECIDED = ("open", "acknowledged")
DECIDED = ("resolved", "rejected")


@dataclass(frozen=True)
class ComplaintView:
    id: int
    customer_id: str
    name: str  # masked
    about: str
    status: str
    opened_at: datetime
    opened_on: date
    due_on: date
    days_left: int  # negative when overdue
    overdue: bool
    extended: bool
    hold_active: bool
    collector: str | None
    opened_by: str | None
    text: str
    resolution: str | None


def due_date(opened_on: date, extended: bool, policy: Policy) -> date:
    days = policy.integer("complaints.extended_days") if extended else policy.integer("complaints.due_days")
    return opened_on + timedelta(days=days)


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Undecided after the due day (the due day itself is still in time)."""
    return status in UNDECIDED and today > due_on


def _refresh_hold(ctx: Ctx, customer_id: str) -> None:
    """Let the work list see the hold change (the work-list engineer's refresh contract)."""
    try:
        from collectui.domain.portfolio.refresh import refresh
    except ImportError:  # the work list is not built yet; nothing to update
        return
    refresh(ctx, [customer_id])


def _user_id(session: Session, actor: Actor) -> int | None:
    """The acting person's account id (None for a machine's token); a deactivated account is refused."""
    if actor.user_id is None:
        return None
    user = find_user(session, actor.name)
    if not user.active:
        raise PermissionDenied(
            said("error.voice.user_inactive", f"user {actor.name!r} is not active", user=repr(actor.name))
        )
    return user.id


def _authorize_complaint(ctx: Ctx, actor: Actor, permission: str, complaint_id: int) -> None:
    """``authorize`` on the branch of the complaint's borrower (an unknown complaint: NotFound later)."""
    with ctx.db.read() as s:
        row = s.get(Complaint, complaint_id)
        customer_id = row.customer_id if row is not None else None
    if customer_id is None:
        authorize(ctx, actor, permission)
    else:
        authorize_customer(ctx, actor, permission, customer_id)


def _when(ctx: Ctx, at: datetime | None, not_before: datetime | None = None) -> datetime:
    when = at or ctx.clock.now()
    if when.tzinfo is None:
        raise InvalidInput(said("error.voice.at_needs_zone", "at: needs a time zone"))
    if when > ctx.clock.now():
        raise InvalidInput(said("error.voice.at_future", "at: cannot be in the future"))
    if not_before is not None and when < not_before:
        raise InvalidInput(said("error.voice.at_before_complaint", "at: before the complaint was opened"))
    return when


def _get(session: Session, complaint_id: int) -> Complaint:
    row = session.get(Complaint, complaint_id)
    if row is None:
        raise NotFound(said("error.voice.no_complaint", f"no complaint {complaint_id}", complaint_id=complaint_id))
    return row


def open_complaint(
    ctx: Ctx,
    actor: Actor,
    customer_id: str,
    about: str,
    text: str,
    call_id: int | None = None,
    collector: str | None = None,
    at: datetime | None = None,
) -> int:
    if about not in ABOUT:
        raise InvalidInput(not_one_of("about", ABOUT, about))
    authorize_customer(ctx, actor, "complaint.open", customer_id)
    scrubbed = clean_text(text, ctx.policy, "text", required=True)
    when = _when(ctx, at)
    with ctx.db.write() as s:
        user_id = _user_id(s, actor)
        collector_id = resolve_call_link(s, customer_id, collector, call_id)
        opened_on = when.astimezone(ctx.clock.tz).date()
        hold = about in ctx.policy.texts("complaints.hold_about")
        row = Complaint(
            customer_id=customer_id,
            about=about,
            text=scrubbed.text,
            status="open",
            opened_at=when,
            opened_by=user_id,
            call_id=call_id,
            collector_id=collector_id,
            due_on=due_date(opened_on, False, ctx.policy),
            hold_active=hold,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            ctx.clock,
            actor.name,
            "complaint.open",
            "complaint",
            str(row.id),
            {
                "customer_id": customer_id,
                "about": about,
                "due_on": row.due_on.isoformat(),
                "hold": hold,
                "call_id": call_id,
                "masked_numbers": scrubbed.masked,
                "at": when.isoformat(),
            },
        )
        complaint_id = saved_id(row.id)
    if hold:
        _refresh_hold(ctx, customer_id)
    return complaint_id


def _transition(
    ctx: Ctx,
    actor: Actor,
    complaint_id: int,
    action: str,
    allowed_from: tuple[str, ...],
    new_status: str,
    reason: str | None,
    at: datetime | None,
    reason_required: bool,
    permission: str,
) -> None:
    _authorize_complaint(ctx, actor, permission, complaint_id)
    scrubbed = clean_text(reason, ctx.policy, "reason", required=reason_required)
    with ctx.db.write() as s:
        _user_id(s, actor)
        row = _get(s, complaint_id)
        if row.status not in allowed_from:
            raise InvalidInput(
                said(
                    "error.voice.complaint_state",
                    f"complaint {complaint_id} is {row.status}; {action} needs {' or '.join(allowed_from)}",
                    complaint_id=complaint_id,
                    status=row.status,
                    action=action,
                    allowed=" or ".join(allowed_from),
                )
            )
        when = _when(ctx, at, row.opened_at)
        old = row.status
        row.status = new_status
        if new_status in DECIDED:
            row.decided_at = when
            row.resolution = scrubbed.text if scrubbed else None
        if new_status == "closed":
            row.closed_at = when
        s.add(row)
        details: dict[str, object] = {"from": old, "to": new_status, "customer_id": row.customer_id}
        if scrubbed:
            details["reason"] = scrubbed.text
        if new_status in DECIDED:
            details["late"] = when.astimezone(ctx.clock.tz).date() > row.due_on
        details["at"] = when.isoformat()
        audit.record(s, ctx.clock, actor.name, f"complaint.{action}", "complaint", str(complaint_id), details)


# Acknowledging receipt is front-line work (whoever took the complaint); deciding is a supervisor's.
def acknowledge(
    ctx: Ctx, actor: Actor, complaint_id: int, reason: str | None = None, at: datetime | None = None
) -> None:
    _transition(ctx, actor, complaint_id, "ack", ("open",), "acknowledged", reason, at, False, "complaint.open")


def resolve(ctx: Ctx, actor: Actor, complaint_id: int, reason: str | None = None, at: datetime | None = None) -> None:
    _transition(ctx, actor, complaint_id, "resolve", UNDECIDED, "resolved", reason, at, False, "complaint.decide")


def reject(ctx: Ctx, actor: Actor, complaint_id: int, reason: str | None = None, at: datetime | None = None) -> None:
    _transition(ctx, actor, complaint_id, "reject", UNDECIDED, "rejected", reason, at, True, "complaint.decide")


def close(ctx: Ctx, actor: Actor, complaint_id: int, reason: str | None = None, at: datetime | None = None) -> None:
    _transition(ctx, actor, complaint_id, "close", DECIDED, "closed", reason, at, False, "complaint.decide")


def extend(ctx: Ctx, actor: Actor, complaint_id: int, reason: str) -> None:
    """Once, for a complex case: the decision is then due ``extended_days`` after the opening day."""
    _authorize_complaint(ctx, actor, "complaint.decide", complaint_id)
    scrubbed = clean_text(reason, ctx.policy, "reason", required=True)
    with ctx.db.write() as s:
        _user_id(s, actor)
        row = _get(s, complaint_id)
        if row.status not in UNDECIDED:
            raise InvalidInput(
                said(
                    "error.voice.extend_decided",
                    f"complaint {complaint_id} is {row.status}; only an undecided complaint is extended",
                    complaint_id=complaint_id,
                    status=row.status,
                )
            )
        if row.extended:
            raise InvalidInput(
                said(
                    "error.voice.extend_once",
                    f"complaint {complaint_id} was already extended (once only)",
                    complaint_id=complaint_id,
                )
            )
        opened_on = row.opened_at.astimezone(ctx.clock.tz).date()
        old_due = row.due_on
        row.extended = True
        row.due_on = max(due_date(opened_on, True, ctx.policy), old_due)
        s.add(row)
        audit.record(
            s,
            ctx.clock,
            actor.name,
            "complaint.extend",
            "complaint",
            str(complaint_id),
            {
                "customer_id": row.customer_id,
                "from_due": old_due.isoformat(),
                "to_due": row.due_on.isoformat(),
                "reason": scrubbed.text,
            },
        )


def clear_hold(ctx: Ctx, actor: Actor, complaint_id: int, reason: str, at: datetime | None = None) -> None:
    """A supervisor (or admin) lifts the collection hold; collectors are refused (``access.denied``)."""
    _authorize_complaint(ctx, actor, "complaint.clear_hold", complaint_id)
    scrubbed = clean_text(reason, ctx.policy, "reason", required=True)
    with ctx.db.write() as s:
        user_id = _user_id(s, actor)
        row = _get(s, complaint_id)
        if not row.hold_active:
            raise InvalidInput(
                said("error.voice.no_hold", f"complaint {complaint_id} has no active hold", complaint_id=complaint_id)
            )
        when = _when(ctx, at, row.opened_at)
        row.hold_active = False
        row.hold_cleared_at = when
        row.hold_cleared_by = user_id
        s.add(row)
        audit.record(
            s,
            ctx.clock,
            actor.name,
            "complaint.clear_hold",
            "complaint",
            str(complaint_id),
            {
                "customer_id": row.customer_id,
                "status": row.status,
                "reason": scrubbed.text,
                "at": when.isoformat(),
            },
        )
        customer_id = row.customer_id
    _refresh_hold(ctx, customer_id)


def has_hold(session: Session, customer_id: str) -> bool:
    return (
        session.exec(
            # A flag is compared with the integer it is stored as (PostgreSQL has no smallint = true).
            select(Complaint.id).where(
                Complaint.customer_id == customer_id, col(Complaint.hold_active) == literal_column("1")
            )
        ).first()
        is not None
    )


def list_complaints(
    ctx: Ctx,
    status: str | None = None,
    customer_id: str | None = None,
    open_only: bool = False,
    today: date | None = None,
    limit: int | None = None,
    branch: str | None = None,
    actor: Actor | None = None,
) -> list[ComplaintView]:
    """Ordered by deadline (earliest first), then id. ``open_only``: undecided or still holding.

    With ``actor`` (the command line) the reader needs ``queue.read`` and a branch-bound one sees its
    branch only; the TUI's screens pass the signed-in user's branch themselves.
    """
    if actor is not None:
        branch = reading_scope(ctx, actor, "queue.read", branch, customer_id or None)
    if status is not None and status not in STATUSES:
        raise InvalidInput(not_one_of("status", STATUSES, status))
    today = today or ctx.clock.today()
    with ctx.db.read() as s:
        q = select(Complaint, Customer.name).join(Customer, col(Customer.customer_id) == col(Complaint.customer_id))
        if status:
            q = q.where(Complaint.status == status)
        if customer_id:
            q = q.where(Complaint.customer_id == customer_id)
        if branch:
            q = q.join(Branch, col(Branch.id) == col(Customer.branch_id)).where(Branch.name == branch)
        if open_only:
            q = q.where((col(Complaint.status).in_(UNDECIDED)) | (col(Complaint.hold_active) == literal_column("1")))
        q = q.order_by(col(Complaint.due_on), col(Complaint.id))
        if limit:
            q = q.limit(limit)
        rows = s.exec(q).all()
        names = {u.id: u.username for u in s.exec(select(StaffUser)).all()}
    tz = ctx.clock.tz
    return [
        ComplaintView(
            id=saved_id(c.id),
            customer_id=c.customer_id,
            name=mask_name(name, ctx.policy),
            about=c.about,
            status=c.status,
            opened_at=c.opened_at,
            opened_on=c.opened_at.astimezone(tz).date(),
            due_on=c.due_on,
            days_left=(c.due_on - today).days,
            overdue=is_overdue(c.status, c.due_on, today),
            extended=c.extended,
            hold_active=c.hold_active,
            collector=names.get(c.collector_id),
            opened_by=names.get(c.opened_by),
            text=c.text,
            resolution=c.resolution,
        )
        for c, name in rows
    ]
