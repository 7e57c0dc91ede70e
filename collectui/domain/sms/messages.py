"""Reminder messages as stored: states, the opt-out list, listings for the faces.

States: ``pending`` (queued, not yet accepted by the gateway), ``sent`` (accepted), ``delivered``
(receipt), ``failed`` (gave up after ``max_attempts``, or a delivery-failure receipt), ``cancelled``
(the borrower opted out, asked not to be called or the number went invalid before it was sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.privacy.masking import mask_phone
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.storage.models import Customer, SmsMessage, SmsOptOut

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


def phone_opted_out(session: Session, phone: str) -> bool:
    return session.get(SmsOptOut, phone) is not None


def customer_opted_out(session: Session, customer: Customer) -> bool:
    return bool(customer.sms_opt_out) or phone_opted_out(session, customer.phone)


def list_messages(
    ctx: Ctx,
    state: str | None = None,
    customer_id: str | None = None,
    limit: int | None = None,
    actor: Actor | None = None,
) -> list[MessageView]:
    """Newest first. With ``actor`` (the command line) the reader needs ``sms.plan``; the TUI's SMS screen
    is shown only to those who have it."""
    if actor is not None:
        authorize(ctx, actor, "sms.plan")
    with ctx.db.read() as s:
        query = select(SmsMessage)
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


def counts_by_state(ctx: Ctx) -> dict[str, int]:
    from sqlalchemy import func

    with ctx.db.read() as s:
        rows = s.exec(select(SmsMessage.state, func.count()).group_by(SmsMessage.state)).all()
    counts = dict.fromkeys(STATES, 0)
    counts.update({state: n for state, n in rows})
    return counts


SMS_ROLES = ("supervisor", "admin")


def require_sms_role(user: UserView) -> None:
    """Planning and sending reminders from the TUI: supervisors and admins only."""
    from collectui.domain.staff.users import require_role

    require_role(user, SMS_ROLES, "reminder SMS")
