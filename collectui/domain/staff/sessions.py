"""TUI session events that belong in the audit trail: idle lock and sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.staff.permissions import BRANCH_BOUND_ROLES
from collectui.domain.staff.users import UserView

IDLE_LOCK = timedelta(minutes=10)


def idle_expired(last_activity: datetime, now: datetime, limit: timedelta = IDLE_LOCK) -> bool:
    return now - last_activity >= limit


def record_lock(ctx: Ctx, user: UserView, idle_for: timedelta) -> None:
    with ctx.db.write() as s:
        audit.record(
            s,
            ctx.clock,
            user.username,
            "session.idle_lock",
            "user",
            user.username,
            {"idle_seconds": int(idle_for.total_seconds())},
        )


def record_logout(ctx: Ctx, user: UserView) -> None:
    with ctx.db.write() as s:
        audit.record(s, ctx.clock, user.username, "session.logout", "user", user.username)


def may_see_all_branches(user: UserView) -> bool:
    """Admins and trainers; collectors and supervisors work their own branch (``permissions``)."""
    return user.role not in BRANCH_BOUND_ROLES


def visible_branches(ctx: Ctx, user: UserView) -> list[str]:
    """Branch names the user may pick in the work-list filter: collectors only their own."""
    if not may_see_all_branches(user):
        return [user.branch] if user.branch else []
    from sqlmodel import select

    from collectui.storage.models import Branch

    with ctx.db.read() as s:
        return [b.name for b in s.exec(select(Branch).order_by(Branch.name))]
