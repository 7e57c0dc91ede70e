"""Gate rule ``plan_active`` (level customer) and its work-list mirror: an active payment plan holds calls.

Like ``promise_pending``, the hold lasts while the plan is being kept: the plan is ``active`` (it took
effect, and the refresh has judged no instalment partial or broken: ``portfolio.plans``) and the call's
local day is on or before its last instalment's date. So a broken instalment reopens the borrower at the
next refresh (a payment import refreshes), and after the last date the hold lifts by time alone while
the last instalment waits out its grace.

It lives in ``portfolio`` next to the other mirrors' data (``availability`` wraps ``plan_active_bulk``
into its ``Block``; the gate, ``calls.gate``, registers ``check_plan_active``). Plain SQL only: the gate's
process never loads the ORM.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from collectui.domain.said import Said, said
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:
    from collectui.domain.calls.gate import GateFacts
    from collectui.domain.context import Ctx

RULE_ID = "plan_active"

_ACTIVE_PLAN = (
    "SELECT p.id, max(i.due_date) FROM payment_plan p JOIN plan_instalment i ON i.plan_id = p.id "
    "WHERE p.customer_id = ? AND p.status = 'active' AND p.approved_at <= ? GROUP BY p.id "
    "HAVING max(i.due_date) >= ? ORDER BY p.id LIMIT 1"
)


def _message(plan_id: object, last: object) -> str:
    return f"active payment plan #{plan_id} is being kept (last instalment {last}); no collection calls"


def check_plan_active(facts: GateFacts, cfg: dict[str, Any]) -> Said | None:
    """Why the borrower may not be called now (an active plan being kept), or None."""
    row = facts.raw.execute(
        _ACTIVE_PLAN, (facts.customer.customer_id, utc_text(facts.at), facts.at.date().isoformat())
    ).fetchone()
    return said("gate.plan_active", _message(row[0], row[1]), id=row[0], last=str(row[1])) if row else None


def plan_active_bulk(
    raw: RawConnection, ctx: Ctx, scope_sql: str, at: datetime, cfg: dict[str, Any]
) -> dict[str, tuple[str | None, datetime | None]]:
    """The list mirror of ``check_plan_active`` for the borrowers of ``scope_sql`` (a SELECT of
    customer_ids): ``{customer_id: (detail, until)}``, ``until`` the start of the day after the last
    instalment (policy zone), when the hold lifts by time alone."""
    found: dict[str, tuple[str | None, datetime | None]] = {}
    for cid, plan_id, last in raw.execute(
        "SELECT p.customer_id, p.id, max(i.due_date) FROM payment_plan p JOIN plan_instalment i ON i.plan_id = p.id "
        f"WHERE p.customer_id IN ({scope_sql}) AND p.status = 'active' AND p.approved_at <= ? GROUP BY p.id "
        "HAVING max(i.due_date) >= ?",
        (utc_text(at), at.date().isoformat()),
    ):
        until = datetime.combine(date.fromisoformat(last) + timedelta(days=1), time(0), tzinfo=at.tzinfo)
        if cid not in found or (found[cid][1] or until) < until:
            found[cid] = (_message(plan_id, last), until)
    return found
