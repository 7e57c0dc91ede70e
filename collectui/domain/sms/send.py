"""Sending: only inside the sending window; commit each message's state as soon as the gateway answers.

Nothing is lost and nothing goes out under two keys:
- each message keeps one ``message_id`` for life, sent as the ``Idempotency-Key`` on every attempt;
- over HTTP, each answer is committed in its own transaction before the next message is posted. If the
  process dies between the platform's 2xx and that commit, the message is still ``pending`` and the next
  run posts it again with the same key: the platform recognises the key and does not send it twice;
- the file gateway writes its batch (atomically) before marking the batch sent, and skips ids already in
  the outbox (see ``gateway_file``);
- the state is only moved on from ``pending`` (two runs at once cannot undo each other's result);
- and two runs are not at once: a run takes the send lease (``domain.sms.lease``) or is refused with
  "another send is in progress (since ..., pid ...)".

A run's time (``at``, ``--at``) is the clock's now, give or take ``FUTURE_SLACK`` (the same few minutes as
``call log``): messages are stamped as sent at that time and it decides the sending window, so a time in
the future would mark messages sent tomorrow, and a time in the past would backdate them or send after the
window closed as if it were still open. Either is refused (``InvalidInput``) before anything is written.

A branch-bound sender (a branch supervisor) sends, re-queues and cancels the due messages of their own
branch's borrowers only; the other branches' stay pending for their own supervisors (or an admin, who sends
every branch's, or one named). The lease stays one for the whole database: one run at a time, any branch.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from datetime import time as dtime
from pathlib import Path

from collectui.clock import FUTURE_SLACK
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.portfolio import refresh
from collectui.domain.said import Said, said
from collectui.domain.sms import lease, messages, store
from collectui.domain.sms.gateway_file import FileGateway
from collectui.domain.sms.gateway_http import HttpGateway, Outcome
from collectui.domain.sms.messages import branch_clause
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import NO_BRANCH, reading_scope
from collectui.storage.timefmt import utc_text

# After this many failed requests in a row the platform is taken to be down: the run stops and leaves the
# remaining messages pending, untouched (no attempt counted), instead of waiting out every timeout.
STOP_AFTER_FAILURES_IN_A_ROW = 3
MAX_BACKOFF_S = 30.0


@dataclass
class SendResult:
    at: datetime
    gateway: str
    in_window: bool
    opens_at: datetime | None = None  # when outside the window: when it next opens
    due: int = 0  # pending messages due at the start of the run (after re-queueing)
    accepted: list[str] = field(default_factory=list)
    pending: list[tuple[str, str | None]] = field(default_factory=list)  # (message_id, last error)
    failed: list[tuple[str, str | None]] = field(default_factory=list)
    cancelled: list[tuple[str, str]] = field(default_factory=list)  # (message_id, reason)
    requeued: int = 0
    files: list[Path] = field(default_factory=list)
    stopped_early: bool = False
    branch: str | None = None  # the branch the run was limited to; None: every branch; "": bound to none

    @property
    def ok(self) -> bool:
        """Every due message was accepted (cancelled ones were never due to go)."""
        return not self.pending and not self.failed


def window(policy: Policy) -> tuple[dtime, dtime]:
    start, end = policy.text("sms.window").split("-")
    sh, sm = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    return dtime(sh, sm), (dtime(eh, em) if eh < 24 else dtime.max)


def window_state(policy: Policy, at: datetime, tz: tzinfo) -> tuple[bool, datetime | None]:
    """(inside the window, when it next opens if not). Start included, end excluded, policy time zone."""
    local = at.astimezone(tz)
    start, end = window(policy)
    if start <= local.time().replace(tzinfo=None) < end:
        return True, None
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return False, datetime.combine(day, start, tzinfo=tz)


SEND_AT = said("what.sms_send_at", "messages are stamped as sent at this time; it may be")
PLAN_AT = said("what.sms_plan_at", "reminders are stamped as planned at this time; it may be")


def checked_at(ctx: Ctx, at: datetime | None, what: Said) -> datetime:
    """``at`` (default: now) if within ``FUTURE_SLACK`` of the clock's now either way; else InvalidInput,
    one line. ``what`` says what the time is used for."""
    now = ctx.clock.now()
    if at is None:
        return now
    local, shown_now = at.astimezone(ctx.clock.tz), now.astimezone(ctx.clock.tz)
    slack = int(FUTURE_SLACK.total_seconds() // 60)
    if at > now + FUTURE_SLACK:
        raise InvalidInput(
            said(
                "error.sms.at_future",
                f"--at {local:%Y-%m-%d %H:%M} is in the future (now {shown_now:%Y-%m-%d %H:%M}): {what} "
                f"at most {slack} minutes ahead of the clock",
                at=f"{local:%Y-%m-%d %H:%M}",
                now=f"{shown_now:%Y-%m-%d %H:%M}",
                what=what,
                slack=slack,
            )
        )
    if at < now - FUTURE_SLACK:
        raise InvalidInput(
            said(
                "error.sms.at_past",
                f"--at {local:%Y-%m-%d %H:%M} is in the past (now {shown_now:%Y-%m-%d %H:%M}): {what} "
                f"at most {slack} minutes behind the clock",
                at=f"{local:%Y-%m-%d %H:%M}",
                now=f"{shown_now:%Y-%m-%d %H:%M}",
                what=what,
                slack=slack,
            )
        )
    return at


def make_gateway(ctx: Ctx) -> FileGateway | HttpGateway:
    policy = ctx.policy
    if policy["sms.gateway"] == "http":
        return HttpGateway(policy["sms.http.url"], policy["sms.http.timeout_s"])
    outbox = Path(policy["sms.file.outbox"]).expanduser()
    if not outbox.is_absolute():
        outbox = ctx.db.path.parent / outbox
    return FileGateway(outbox)


@dataclass(frozen=True)
class Due:
    message_id: str
    customer_id: str
    phone: str
    text: str
    last_error: str | None


def _requeue_failed(ctx: Ctx, actor: str, branch: str | None) -> int:
    """Failed messages never accepted by the platform go back to pending, keeping their key."""
    where, params = branch_clause("customer_id", branch)
    with ctx.db.raw_write() as raw:
        rows = raw.execute(
            f"SELECT message_id, customer_id FROM sms_message WHERE state = 'failed' AND sent_at IS NULL{where}",
            params,
        ).fetchall()
        raw.executemany(
            "UPDATE sms_message SET state = 'pending', attempts = 0, last_error = NULL "
            "WHERE message_id = ? AND state = 'failed'",
            [(m,) for m, _ in rows],
        )
        store.audit_many(
            raw,
            ctx.clock,
            actor,
            [("sms.requeue", "sms_message", m, {"customer_id": c}) for m, c in rows],
            policy=ctx.policy_version,
        )
        return len(rows)


# Pending messages due on a day, with what is needed to decide whether they may still go out.
_DUE_SQL = """
    SELECT m.message_id, m.customer_id, m.phone, m.text, m.last_error,
           c.customer_id IS NULL, c.do_not_call, c.sms_opt_out, c.phone_invalid, c.phone,
           EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone = c.phone),
           EXISTS (SELECT 1 FROM dispute d WHERE d.customer_id = m.customer_id AND d.status = 'open'),
           EXISTS (SELECT 1 FROM complaint k WHERE k.customer_id = m.customer_id AND k.hold_active = 1)
    FROM sms_message m LEFT JOIN customer c ON c.customer_id = m.customer_id
    WHERE m.state = 'pending' AND m.planned_for <= ?{branch}
    ORDER BY m.planned_for, m.id
"""


def _stop_reason(row: Sequence[object]) -> str | None:
    """Why a queued reminder must not go out any more (things changed since it was planned)."""
    _m, _c, phone, _t, _e, gone, dnc, opt_flag, invalid, current_phone, opted, dispute, complaint = row
    if gone or dnc:
        return "do_not_call"
    if opt_flag or opted:
        return "opted_out"
    if invalid:
        return "invalid_number"
    if current_phone != phone:
        return "number_changed"
    if dispute:
        return "dispute_hold"
    if complaint:
        return "complaint_hold"
    return None


def _due(ctx: Ctx, actor: str, at: datetime, result: SendResult, branch: str | None) -> list[Due]:
    """Pending messages planned for today or earlier (of ``branch`` if given); those that must not go out
    any more are cancelled."""
    today = at.astimezone(ctx.clock.tz).date()
    where, params = branch_clause("m.customer_id", branch)
    with ctx.db.raw_write() as raw:
        due, cancel = [], []
        for row in raw.execute(_DUE_SQL.format(branch=where), (today.isoformat(), *params)).fetchall():
            reason = _stop_reason(row)
            if reason:
                cancel.append((row[0], row[1], reason))
            else:
                due.append(Due(row[0], row[1], row[2], row[3], row[4]))
        store.set_states(raw, [("cancelled", reason, mid) for mid, _c, reason in cancel])
        store.audit_many(
            raw,
            ctx.clock,
            actor,
            [("sms.cancel", "sms_message", mid, {"customer_id": cid, "reason": reason}) for mid, cid, reason in cancel],
            policy=ctx.policy_version,
        )
    result.cancelled.extend((mid, reason) for mid, _c, reason in cancel)
    return due


def send(
    ctx: Ctx,
    actor: Actor,
    at: datetime | None = None,
    retry_failed: bool = False,
    gateway: FileGateway | HttpGateway | None = None,
    sleep: Callable[[float], None] = time.sleep,
    branch: str | None = None,
) -> SendResult:
    """Send the due reminders. ``branch``: only that branch's; a branch-bound actor sends their own branch's
    whatever is asked, and naming another is refused (audited ``access.denied``)."""
    scope = reading_scope(ctx, actor, "sms.send", branch)
    at = checked_at(ctx, at, SEND_AT)
    gateway = gateway or make_gateway(ctx)
    ttl = lease.DEFAULT_TTL_S
    if isinstance(gateway, HttpGateway):  # renewed before each message: outlast one request and its backoff
        ttl = max(ttl, 4 * (float(ctx.policy["sms.http.timeout_s"]) + MAX_BACKOFF_S))
    held = lease.acquire(ctx.db, ctx.clock, ttl)  # one run at a time (domain.sms.lease)
    try:
        result = _send(ctx, actor.name, at, retry_failed, gateway, sleep, held, scope)
    finally:
        lease.release(ctx.db, held)
    _judge_again(ctx, actor.name, result.accepted)
    return result


def _judge_again(ctx: Ctx, actor: str, message_ids: list[str]) -> None:
    """A reminder sent lifts the work list's ``sms_notice`` block after its lead time: re-judge those
    borrowers now, so their rows say from when they may be called (and are judged again then)."""
    if not message_ids:
        return
    with ctx.db.raw_write() as raw:
        customers: list[str] = []
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            customers += [
                r[0]
                for r in raw.execute(
                    f"SELECT DISTINCT customer_id FROM sms_message WHERE message_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            ]
        refresh.refresh_in(raw, ctx, customers, actor=actor)


def _send(
    ctx: Ctx,
    by: str,
    at: datetime,
    retry_failed: bool,
    gateway: FileGateway | HttpGateway,
    sleep: Callable[[float], None],
    held: lease.Lease,
    branch: str | None,
) -> SendResult:
    inside, opens_at = window_state(ctx.policy, at, ctx.clock.tz)
    result = SendResult(at=at, gateway=gateway.kind, in_window=inside, opens_at=opens_at)
    result.branch = "" if branch == NO_BRANCH else branch
    if retry_failed:
        result.requeued = _requeue_failed(ctx, by, branch)
    if not inside:  # nothing goes out: say what waits
        result.pending = messages.waiting(ctx, at.astimezone(ctx.clock.tz).date(), branch)
        result.due = len(result.pending)
        return result
    due = _due(ctx, by, at, result, branch)
    result.due = len(due)
    if not due:
        return result
    if isinstance(gateway, FileGateway):
        _send_file(ctx, by, at, gateway, due, result)
    else:
        _send_http(ctx, by, at, gateway, due, result, sleep, held)
    return result


def _send_file(ctx: Ctx, actor: str, at: datetime, gateway: FileGateway, due: list[Due], result: SendResult) -> None:
    run_id = secrets.token_hex(3)
    with ctx.db.raw_write() as raw:  # BEGIN IMMEDIATE: a second run waits, then finds these sent
        still = {r[0] for r in raw.execute("SELECT message_id FROM sms_message WHERE state = 'pending'")}
        todo = [m for m in due if m.message_id in still]
        written = gateway.already_written()
        rows = [(m.message_id, m.phone, m.text) for m in todo if m.message_id not in written]
        if rows:
            batch = gateway.write_batch(at.astimezone(ctx.clock.tz), run_id, rows)
            result.files = [batch.csv_path, batch.jsonl_path]
        store.mark_sent(raw, [m.message_id for m in todo], at)
        events: list[store.AuditItem] = []
        for m in todo:
            details: dict[str, object] = {"customer_id": m.customer_id, "gateway": "file"}
            if m.message_id in written:
                details["recovered"] = True  # found in an earlier batch: written before a crash
            events.append(("sms.sent", "sms_message", m.message_id, details))
        store.audit_many(raw, ctx.clock, actor, events, policy=ctx.policy_version)
    result.accepted.extend(m.message_id for m in todo)


def _record_attempt(ctx: Ctx, actor: str, at: datetime, message_id: str, outcome: Outcome, max_attempts: int) -> str:
    """Commit one answer of the platform; returns the message's state afterwards."""
    with ctx.db.raw_write() as raw:
        state: str
        attempts: int
        state, customer_id, attempts = raw.execute(
            "SELECT state, customer_id, attempts FROM sms_message WHERE message_id = ?", (message_id,)
        ).fetchone()
        if state != "pending":
            return state  # another run got there first
        attempts += 1
        if outcome.accepted:
            raw.execute(
                "UPDATE sms_message SET state = 'sent', sent_at = ?, last_error = NULL, attempts = ? "
                "WHERE message_id = ?",
                (utc_text(at), attempts, message_id),
            )
            state, action = "sent", "sms.sent"
        else:
            state = "failed" if attempts >= max_attempts else "pending"
            action = "sms.failed" if state == "failed" else "sms.attempt_failed"
            raw.execute(
                "UPDATE sms_message SET state = ?, last_error = ?, attempts = ? WHERE message_id = ?",
                (state, outcome.error, attempts, message_id),
            )
        store.audit_many(
            raw,
            ctx.clock,
            actor,
            [
                (
                    action,
                    "sms_message",
                    message_id,
                    {
                        "customer_id": customer_id,
                        "gateway": "http",
                        "attempt": attempts,
                        "status": outcome.status,
                        "error": outcome.error,
                    },
                )
            ],
            policy=ctx.policy_version,
        )
        return state


def _send_http(
    ctx: Ctx,
    actor: str,
    at: datetime,
    gateway: HttpGateway,
    due: list[Due],
    result: SendResult,
    sleep: Callable[[float], None],
    held: lease.Lease,
) -> None:
    max_attempts = ctx.policy["sms.http.max_attempts"]
    backoff = ctx.policy["sms.http.backoff_s"]
    in_a_row = 0
    for index, msg in enumerate(due):
        if in_a_row >= STOP_AFTER_FAILURES_IN_A_ROW:
            result.stopped_early = True
            result.pending.extend((m.message_id, m.last_error) for m in due[index:])
            return
        lease.renew(ctx.db, held)  # a long run keeps its lease; a run presumed dead and taken over stops here
        outcome = gateway.send(msg.message_id, msg.phone, msg.text)
        state = _record_attempt(ctx, actor, at, msg.message_id, outcome, max_attempts)
        if outcome.accepted:
            in_a_row = 0
        else:
            in_a_row += 1
        if state == "sent" or state == "delivered":
            result.accepted.append(msg.message_id)
        elif state == "failed":
            result.failed.append((msg.message_id, outcome.error))
        elif state == "pending":
            result.pending.append((msg.message_id, outcome.error))
        if not outcome.accepted and backoff > 0 and index + 1 < len(due) and in_a_row < STOP_AFTER_FAILURES_IN_A_ROW:
            sleep(min(backoff * 2 ** (in_a_row - 1), MAX_BACKOFF_S))
