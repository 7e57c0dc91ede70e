"""Reminder messages as stored: states, the opt-out list, listings for the faces, and the branch scope.

A branch-bound reader (a supervisor, a token given a branch) sees the messages of their branch's borrowers
only; asking for another branch is refused and audited (``permissions.reading_scope``). Planning and sending
(``plan``, ``send``) take the same scope through ``branch_clause``.

States: ``pending`` (queued, not yet accepted by the gateway), ``sent`` (accepted), ``delivered``
(receipt), ``failed`` (gave up after ``max_attempts``, or a delivery-failure receipt), ``cancelled``
(the borrower opted out, asked not to be called or the number went invalid before it was sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select

from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.privacy.masking import mask_phone
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import reading_scope
from collectui.storage.models import Branch, Customer, SmsMessage

if TYPE_CHECKING:
    from collectui.domain.staff.users import UserView

STATES = ("pending", "sent", "delivered", "failed", "cancelled")
# States in which a message reached (or may still reach) the platform: a second reminder would be a duplicate.
LIVE_STATES = ("pending", "sent", "delivered")


@dataclass(frozen=True)
class MessageView:
    message_id: str
    customer_id: str
    phone: str  # masked
    state: str
    planned_for: date
    sent_at: datetime | None
    delivered_at: datetime | None
    attempts: int
    last_error: str | None
    lang: str

    def as_dict(self) -> dict[str, object]:
        return {
            "message_id": self.message_id,
            "customer_id": self.customer_id,
            "phone": self.phone,
            "state": self.state,
            "planned_for": self.planned_for.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None,
            "attempts": self.attempts,
            "last_error": self.last_error,
        }


def view(msg: SmsMessage, policy: Policy, tz: tzinfo) -> MessageView:
    return MessageView(
        msg.message_id,
        msg.customer_id,
        mask_phone(msg.phone, policy),
        msg.state,
        msg.planned_for,
        msg.sent_at.astimezone(tz) if msg.sent_at else None,
        msg.delivered_at.astimezone(tz) if msg.delivered_at else None,
        msg.attempts,
        msg.last_error,
        msg.lang,
    )


def branch_clause(column: str, branch: str | None) -> tuple[str, tuple[str, ...]]:
    """SQL ``AND ...`` keeping the rows whose borrower (``column``: a customer id) is of ``branch``, and its
    parameters; nothing when ``branch`` is None (every branch). For the plain-SQL paths of planning and sending."""
    if branch is None:
        return "", ()
    return (
        f" AND {column} IN (SELECT cb.customer_id FROM customer cb JOIN branch bb ON bb.id = cb.branch_id "
        "WHERE bb.name = ?)",
        (branch,),
    )


def _scope(ctx: Ctx, actor: Actor | None, branch: str | None, customer_id: str | None = None) -> str | None:
    """The branch a listing is limited to: with ``actor``, the reader needs ``sms.plan`` and a branch-bound
    one gets their own branch (another branch, or another branch's borrower, is refused, audited); without
    (the profile, which checked the borrower itself), ``branch`` as given."""
    return reading_scope(ctx, actor, "sms.plan", branch, customer_id) if actor is not None else branch


def _of_branch(branch: str) -> ColumnElement[bool]:
    return col(SmsMessage.customer_id).in_(
        select(Customer.customer_id)
        .join(Branch, col(Branch.id) == col(Customer.branch_id))
        .where(Branch.name == branch)
    )


def list_messages(
    ctx: Ctx,
    state: str | None = None,
    customer_id: str | None = None,
    limit: int | None = None,
    actor: Actor | None = None,
    branch: str | None = None,
) -> list[MessageView]:
    """Newest first. With ``actor`` (the command line, the SMS screen) the reader needs ``sms.plan`` and a
    branch-bound one sees their branch's borrowers only."""
    scope = _scope(ctx, actor, branch, customer_id or None)
    with ctx.db.read() as s:
        query = select(SmsMessage)
        if scope is not None:
            query = query.where(_of_branch(scope))
        if state:
            query = query.where(SmsMessage.state == state)
        if customer_id:
            query = query.where(SmsMessage.customer_id == customer_id)
        query = query.order_by(col(SmsMessage.created_at).desc(), col(SmsMessage.id).desc())
        if limit:
            query = query.limit(limit)
        return [view(m, ctx.policy, ctx.clock.tz) for m in s.exec(query).all()]


def reminders_for(ctx: Ctx, customer_id: str) -> list[MessageView]:
    """A borrower's reminders with their states, newest first (for the profile)."""
    return list_messages(ctx, customer_id=customer_id)


def counts_by_state(ctx: Ctx, actor: Actor | None = None, branch: str | None = None) -> dict[str, int]:
    """Messages per state, scoped as ``list_messages``."""
    scope = _scope(ctx, actor, branch)
    with ctx.db.read() as s:
        query = select(SmsMessage.state, func.count())
        if scope is not None:
            query = query.where(_of_branch(scope))
        rows = s.exec(query.group_by(SmsMessage.state)).all()
    counts = dict.fromkeys(STATES, 0)
    counts.update({state: n for state, n in rows})
    return counts


def waiting(ctx: Ctx, day: date, branch: str | None) -> list[tuple[str, str | None]]:
    """(message_id, last error) of the pending messages due on ``day`` (of ``branch`` if given), in
    sending order: what a run outside the window leaves waiting."""
    where, params = branch_clause("customer_id", branch)
    with ctx.db.raw_read() as raw:
        rows = raw.execute(
            f"SELECT message_id, last_error FROM sms_message WHERE state = 'pending' AND planned_for <= ?{where} "
            "ORDER BY planned_for, id",
            (day.isoformat(), *params),
        ).fetchall()
    return [(str(m), e) for m, e in rows]


SMS_ROLES = ("supervisor", "admin")


def require_sms_role(user: UserView) -> None:
    """Planning and sending reminders from the TUI: supervisors and admins only."""
    from collectui.domain.staff.users import require_role

    require_role(user, SMS_ROLES, said("what.reminder_sms", "reminder SMS"))
