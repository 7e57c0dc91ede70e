"""Asking the gate, and nothing else: ``collectui check`` (a dialler asks once per dial).

Kept apart from ``record`` so that a process that only asks does not load the call record, the audit
writer and the work-list refresh.
"""

from __future__ import annotations

from datetime import datetime

from collectui.domain.calls.gate import GateFacts, GateResult, evaluate
from collectui.domain.calls.parties import DEBTOR, resolve_target
from collectui.domain.context import Ctx
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize_customer


def call_time(ctx: Ctx, at: datetime | None) -> datetime:
    """The moment a call is judged at, in the policy's zone: ``at`` (naive = that zone) or now."""
    if at is None:
        return ctx.clock.now().astimezone(ctx.policy.tz)
    if at.tzinfo is None:
        at = at.replace(tzinfo=ctx.policy.tz)
    return at.astimezone(ctx.policy.tz)


def check_call(
    ctx: Ctx, actor: Actor, customer_id: str, contact: str | None = DEBTOR, at: datetime | None = None
) -> GateResult:
    """Ask the gate only: nothing is written. Rules about roles judge the actor's role (a token's too)."""
    authorize_customer(ctx, actor, "check", customer_id)
    with ctx.db.raw_read() as raw:
        customer, target, phone = resolve_target(raw, customer_id, contact)
        facts = GateFacts(raw, ctx.policy, customer, target, phone, actor.user_id, actor.role, call_time(ctx, at))
        return evaluate(facts)
