"""Payment plans (协商还款): proposing one for a borrower who cannot pay at once, and deciding it.

Life of a plan: a collector proposes it (from a right-party call, or from the profile); a plan within the
policy threshold is ``active`` at once, a larger one is ``proposed`` until a supervisor other than the
proposer approves it (``active``) or rejects it (``rejected``); the refresh then judges its instalments
(``portfolio.plans``) and moves it to ``completed`` (shown as kept) or ``broken``. A supervisor may cancel
a proposed or active plan (``cancelled``), for example to agree a new one. A borrower has at most one
proposed or active plan. An active plan holds collection calls (gate rule ``plan_active``,
``cases.plan_gate``) while its instalments are met.

``approved_by`` / ``approved_at`` record who decided and when (for a plan active at once: nobody, the
moment it was proposed); ``decision_reason`` why. Every change is audited in its transaction, and the
borrower's work item is refreshed in the same transaction. Plain SQL throughout (no ORM): the queue and
the call path read plans without loading SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from collectui.domain.audit import record_raw
from collectui.domain.cases.plan_rules import (
    PlannedInstalment,
    borrower_figures,
    needs_approval,
    parse_instalments,
    plan_problems,
    problems_said,
)
from collectui.domain.conduct.notescan import scan
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.portfolio.refresh import refresh_in
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer
from collectui.domain.textsafe import clean_line
from collectui.domain.voice.vocabulary import scrub_free_text
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

STATUSES = ("proposed", "active", "rejected", "completed", "broken", "cancelled")
LIVE = ("proposed", "active")
MAX_REASON = 500
# The maker-checker refusals name the action in the person's language (approve / approved, reject / rejected).
_DO = {
    "approve": said("error.cases.plan_do_approve", "approve"),
    "reject": said("error.cases.plan_do_reject", "reject"),
}
_DONE = {
    "approve": said("error.cases.plan_done_approve", "approved"),
    "reject": said("error.cases.plan_done_reject", "rejected"),
}


@dataclass(frozen=True)
class ProposeResult:
    plan_id: int
    status: str  # active (within the threshold) | proposed (waits for a supervisor)
    total_fen: int
    plan_day: date


def _person(raw: RawConnection, actor: Actor) -> int | None:
    """The acting person's account id (None for a machine's token); a deactivated account is refused."""
    if actor.user_id is None:
        return None
    row = raw.execute("SELECT active FROM staff_user WHERE id = ?", (actor.user_id,)).fetchone()
    if row is None or row[0] != 1:
        raise PermissionDenied(
            said("error.cases.user_inactive", f"user {actor.name!r} is not active", user=repr(actor.name))
        )
    return actor.user_id


def _plan_day(ctx: Ctx, raw: RawConnection, customer_id: str, call_id: int | None) -> date:
    """The call's local day when the plan comes from a call (a logged right-party call with this borrower),
    else today."""
    if call_id is None:
        return ctx.clock.today()
    row = raw.execute(
        "SELECT customer_id, status, right_party, started_at FROM call_attempt WHERE id = ?", (call_id,)
    ).fetchone()
    if row is None:
        raise NotFound(said("error.cases.no_call", f"no call {call_id}", call_id=call_id))
    cid, status, right_party, started_at = row
    if cid != customer_id:
        raise InvalidInput(
            said("error.cases.call_other_borrower", f"call {call_id} was with another borrower", call_id=call_id)
        )
    if status != "logged" or right_party != 1:
        raise InvalidInput(
            said(
                "error.cases.call_not_conversation",
                f"call {call_id} was not a logged conversation with the borrower",
                call_id=call_id,
            )
        )
    return datetime.fromisoformat(started_at).astimezone(ctx.policy.tz).date()


def _reason(ctx: Ctx, text: str | None, required: bool) -> str | None:
    """A decision's reason: one line, numbers masked, and none of the phrases the note scan forbids."""
    scrubbed = scrub_free_text(clean_line(text or ""), ctx.policy)
    if scrubbed is None:
        if required:
            raise InvalidInput(said("error.cases.reason_required", "reason: text is required"))
        return None
    if len(scrubbed.text) > MAX_REASON:
        raise InvalidInput(
            said(
                "error.cases.plan_reason_long",
                f"reason: at most {MAX_REASON} characters (got {len(scrubbed.text)})",
                max=MAX_REASON,
                got=len(scrubbed.text),
            )
        )
    hits = scan(scrubbed.text, ctx.policy["rules.note_scan"])
    if hits:
        raise InvalidInput(
            said(
                "error.cases.plan_reason_banned",
                f"reason: may not say {', '.join(repr(h.phrase) for h in hits)}",
                phrases=", ".join(repr(h.phrase) for h in hits),
            )
        )
    return scrubbed.text


def propose_plan(
    ctx: Ctx,
    actor: Actor,
    customer_id: str,
    instalments: list[PlannedInstalment] | list[str],
    call_id: int | None = None,
) -> ProposeResult:
    """Save a plan for ``customer_id``: ``instalments`` as parsed, or as ``DATE:AMOUNT`` texts (yuan).

    InvalidInput lists every problem, each naming its instalment (1-based, in the order given)."""
    authorize_customer(ctx, actor, "plan.propose", customer_id)
    planned = [i for i in instalments if isinstance(i, PlannedInstalment)]
    texts = [i for i in instalments if isinstance(i, str)]
    if texts:
        planned = parse_instalments(texts) if not planned else planned + parse_instalments(texts)
    now = ctx.clock.now()
    with ctx.db.raw_write() as raw:
        user_id = _person(raw, actor)
        if raw.execute("SELECT 1 FROM customer WHERE customer_id = ?", (customer_id,)).fetchone() is None:
            raise NotFound(
                said("error.cases.no_customer", f"no customer {customer_id!r}", customer_id=repr(customer_id))
            )
        live = raw.execute(
            "SELECT id, status FROM payment_plan WHERE customer_id = ? AND status IN ('proposed','active') LIMIT 1",
            (customer_id,),
        ).fetchone()
        if live is not None:
            raise InvalidInput(
                said(
                    "error.cases.plan_exists",
                    f"the borrower already has plan #{live[0]} ({live[1]}); a supervisor may cancel it",
                    plan_id=live[0],
                    status=live[1],
                )
            )
        day = _plan_day(ctx, raw, customer_id, call_id)
        problems = plan_problems(planned, day, borrower_figures(raw, customer_id, day), ctx.policy)
        if problems:
            raise InvalidInput(problems_said(list(problems)), problems)
        total = sum(i.amount_fen for i in planned)
        waits = needs_approval(planned, ctx.policy)
        status = "proposed" if waits else "active"
        row = raw.execute(
            "INSERT INTO payment_plan(customer_id, call_id, proposed_by, proposed_at, status, approved_by, "
            "approved_at, decision_reason, total_fen) VALUES (?,?,?,?,?,NULL,?,NULL,?) RETURNING id",
            (customer_id, call_id, user_id, utc_text(now), status, None if waits else utc_text(now), total),
        ).fetchone()
        plan_id = int(row[0])
        ordered = sorted(planned, key=lambda i: i.due_date)
        raw.executemany(
            "INSERT INTO plan_instalment(plan_id, seq, due_date, amount_fen, status, paid_fen, evaluated_on) "
            "VALUES (?,?,?,?,'open',0,NULL)",
            [(plan_id, n, i.due_date.isoformat(), i.amount_fen) for n, i in enumerate(ordered, start=1)],
        )
        record_raw(
            raw,
            ctx.clock,
            actor.name,
            "plan.propose",
            "plan",
            str(plan_id),
            {
                "customer_id": customer_id,
                "call_id": call_id,
                "plan_day": day.isoformat(),
                "instalments": len(ordered),
                "first": ordered[0].due_date.isoformat(),
                "last": ordered[-1].due_date.isoformat(),
                "total_fen": total,
                "status": status,
            },
        )
        if not waits:
            refresh_in(raw, ctx, [customer_id], actor=actor.name)
    return ProposeResult(plan_id, status, total, day)


def _authorize_plan(ctx: Ctx, actor: Actor, plan_id: int, action: str) -> None:
    """``plan.decide`` on the borrower's branch; approving and rejecting also need a named person other
    than the proposer (maker-checker). A refusal is audited (``access.denied``) in its own transaction."""
    with ctx.db.raw_read() as raw:
        row = raw.execute("SELECT customer_id, proposed_by FROM payment_plan WHERE id = ?", (plan_id,)).fetchone()
    if row is None:
        authorize(ctx, actor, "plan.decide")
        raise NotFound(said("error.cases.no_plan", f"no plan {plan_id}", plan_id=plan_id))
    customer_id, proposed_by = row
    authorize_customer(ctx, actor, "plan.decide", customer_id)
    if action not in ("approve", "reject"):
        return
    why = None
    if actor.user_id is None:
        why = "not_a_person"
        message = said(
            "error.cases.plan_decide_token",
            f"plan {plan_id}: a plan is {action}d by a signed-in person, not a token",
            plan_id=plan_id,
            done=_DONE[action],
        )
    elif actor.user_id == proposed_by:
        why = "own_plan"
        message = said(
            "error.cases.plan_decide_own",
            f"plan {plan_id}: the proposer cannot {action} their own plan",
            plan_id=plan_id,
            action=_DO[action],
        )
    if why is None:
        return
    with ctx.db.raw_write() as raw:
        details = {"permission": "plan.decide", "why": why, "role": actor.role, "via": actor.via, "plan": plan_id}
        record_raw(raw, ctx.clock, actor.name, "access.denied", "permission", "plan.decide", details)
    raise PermissionDenied(message)


def _decide(
    ctx: Ctx, actor: Actor, plan_id: int, action: str, allowed_from: tuple[str, ...], to: str, reason: str | None
) -> None:
    _authorize_plan(ctx, actor, plan_id, action)
    text = _reason(ctx, reason, required=False)
    now = ctx.clock.now()
    with ctx.db.raw_write() as raw:
        user_id = _person(raw, actor)
        customer_id, status = raw.execute(
            "SELECT customer_id, status FROM payment_plan WHERE id = ?", (plan_id,)
        ).fetchone()
        if status not in allowed_from:
            raise InvalidInput(
                said(
                    "error.cases.plan_state",
                    f"plan {plan_id} is {status}; {action} needs {' or '.join(allowed_from)}",
                    plan_id=plan_id,
                    status=status,
                    action=action,
                    allowed=" or ".join(allowed_from),
                )
            )
        if action in ("approve", "reject"):
            raw.execute(
                "UPDATE payment_plan SET status = ?, approved_by = ?, approved_at = ?, decision_reason = ? "
                "WHERE id = ?",
                (to, user_id, utc_text(now), text, plan_id),
            )
        else:  # cancel: the decision fields keep who approved it; the reason says why it ended
            raw.execute("UPDATE payment_plan SET status = ?, decision_reason = ? WHERE id = ?", (to, text, plan_id))
        record_raw(
            raw,
            ctx.clock,
            actor.name,
            f"plan.{action}",
            "plan",
            str(plan_id),
            {"customer_id": customer_id, "from": status, "to": to, "reason": text},
        )
        if to == "active" or status == "active":
            refresh_in(raw, ctx, [customer_id], actor=actor.name)


def approve_plan(ctx: Ctx, actor: Actor, plan_id: int, reason: str | None = None) -> None:
    """A supervisor approves a proposed plan (not their own): it takes effect now."""
    _decide(ctx, actor, plan_id, "approve", ("proposed",), "active", reason)


def reject_plan(ctx: Ctx, actor: Actor, plan_id: int, reason: str | None = None) -> None:
    """A supervisor rejects a proposed plan (not their own); the borrower may get another proposal."""
    _decide(ctx, actor, plan_id, "reject", ("proposed",), "rejected", reason)


def cancel_plan(ctx: Ctx, actor: Actor, plan_id: int, reason: str | None = None) -> None:
    """A supervisor ends a proposed or active plan (a new one is to be agreed); calls may resume."""
    _decide(ctx, actor, plan_id, "cancel", LIVE, "cancelled", reason)
