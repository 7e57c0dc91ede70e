"""Sending: only inside the sending window; commit each message's state as soon as the gateway answers.

Nothing is lost and nothing goes out under two keys:
- each message keeps one ``message_id`` for life, sent as the ``Idempotency-Key`` on every attempt;
- over HTTP, each answer is committed in its own transaction before the next message is posted. If the
  process dies between the platform's 2xx and that commit, the message is still ``pending`` and the next
  run posts it again with the same key: the platform recognises the key and does not send it twice;
- the file gateway writes its batch (atomically) before marking the batch sent, and skips ids already in
  the outbox (see ``gateway_file``);
- the state is only moved on from ``pending`` (two runs at once cannot undo each other's result).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time as dtime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.sms.gateway_file import FileGateway
from collectui.domain.sms.gateway_http import HttpGateway, Outcome
from collectui.domain.sms.messages import customer_opted_out
from collectui.storage.models import Complaint, Customer, Dispute, SmsMessage

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

    @property
    def ok(self) -> bool:
        """Every due message was accepted (cancelled ones were never due to go)."""
        return not self.pending and not self.failed


def window(policy) -> tuple[dtime, dtime]:
    start, end = policy["sms.window"].split("-")
    sh, sm = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    return dtime(sh, sm), (dtime(eh, em) if eh < 24 else dtime.max)


def window_state(policy, at: datetime, tz) -> tuple[bool, datetime | None]:
    """(inside the window, when it next opens if not). Start included, end excluded, policy time zone."""
    local = at.astimezone(tz)
    start, end = window(policy)
    if start <= local.time().replace(tzinfo=None) < end:
        return True, None
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return False, datetime.combine(day, start, tzinfo=tz)


def make_gateway(ctx: Ctx) -> FileGateway | HttpGateway:
    policy = ctx.policy
    if policy["sms.gateway"] == "http":
        return HttpGateway(policy["sms.http.url"], policy["sms.http.timeout_s"])
    outbox = Path(policy["sms.file.outbox"]).expanduser()
    if not outbox.is_absolute():
        outbox = ctx.db.path.parent / outbox
    return FileGateway(outbox)


def _requeue_failed(ctx: Ctx, actor: str) -> int:
    """Failed messages never accepted by the platform go back to pending, keeping their key."""
    with ctx.db.write() as s:
        rows = s.exec(select(SmsMessage).where(SmsMessage.state == "failed", SmsMessage.sent_at == None)).all()  # noqa: E711
        for msg in rows:
            msg.state, msg.attempts, msg.last_error = "pending", 0, None
            s.add(msg)
            audit.record(s, ctx.clock, actor, "sms.requeue", "sms_message", msg.message_id,
                         {"customer_id": msg.customer_id})
        return len(rows)


def _stop_reason(s: Session, msg: SmsMessage) -> str | None:
    """Why a queued reminder must not go out any more (things changed since it was planned)."""
    customer = s.get(Customer, msg.customer_id)
    if customer is None or customer.do_not_call:
        return "do_not_call"
    if customer_opted_out(s, customer):
        return "opted_out"
    if customer.phone_invalid:
        return "invalid_number"
    if customer.phone != msg.phone:
        return "number_changed"
    if s.exec(select(Dispute.id).where(Dispute.customer_id == msg.customer_id, Dispute.status == "open")).first():
        return "dispute_hold"
    if s.exec(select(Complaint.id).where(Complaint.customer_id == msg.customer_id,
                                         Complaint.hold_active == True)).first():  # noqa: E712
        return "complaint_hold"
    return None


def _due(ctx: Ctx, actor: str, at: datetime, result: SendResult) -> list[SmsMessage]:
    """Pending messages planned for today or earlier; those that must not go out any more are cancelled."""
    today = at.astimezone(ctx.clock.tz).date()
    with ctx.db.write() as s:
        rows = s.exec(select(SmsMessage).where(SmsMessage.state == "pending", SmsMessage.planned_for <= today)
                      .order_by(SmsMessage.planned_for, SmsMessage.id)).all()
        due = []
        for msg in rows:
            reason = _stop_reason(s, msg)
            if reason:
                msg.state, msg.last_error = "cancelled", reason
                s.add(msg)
                audit.record(s, ctx.clock, actor, "sms.cancel", "sms_message", msg.message_id,
                             {"customer_id": msg.customer_id, "reason": reason})
                result.cancelled.append((msg.message_id, reason))
            else:
                due.append(msg)
        return due


def send(ctx: Ctx, actor: str, at: datetime | None = None, retry_failed: bool = False,
         gateway: FileGateway | HttpGateway | None = None,
         sleep: Callable[[float], None] = time.sleep) -> SendResult:
    at = at or ctx.clock.now()
    gateway = gateway or make_gateway(ctx)
    inside, opens_at = window_state(ctx.policy, at, ctx.clock.tz)
    result = SendResult(at=at, gateway=gateway.kind, in_window=inside, opens_at=opens_at)
    if retry_failed:
        result.requeued = _requeue_failed(ctx, actor)
    if not inside:
        today = at.astimezone(ctx.clock.tz).date()
        with ctx.db.read() as s:
            rows = s.exec(select(SmsMessage).where(SmsMessage.state == "pending",
                                                   SmsMessage.planned_for <= today)).all()
        result.due = len(rows)
        result.pending = [(m.message_id, m.last_error) for m in rows]
        return result
    due = _due(ctx, actor, at, result)
    result.due = len(due)
    if not due:
        return result
    if isinstance(gateway, FileGateway):
        _send_file(ctx, actor, at, gateway, due, result)
    else:
        _send_http(ctx, actor, at, gateway, due, result, sleep)
    return result


def _send_file(ctx: Ctx, actor: str, at: datetime, gateway: FileGateway, due: list[SmsMessage],
               result: SendResult) -> None:
    run_id = secrets.token_hex(3)
    with ctx.db.write() as s:  # BEGIN IMMEDIATE: a second run waits, then finds these sent
        ids = [m.message_id for m in due]
        current = {m.message_id: m for m in s.exec(select(SmsMessage).where(SmsMessage.message_id.in_(ids))).all()}
        todo = [current[i] for i in ids if current[i].state == "pending"]
        written = gateway.already_written()
        rows = [(m.message_id, m.phone, m.text) for m in todo if m.message_id not in written]
        if rows:
            batch = gateway.write_batch(at.astimezone(ctx.clock.tz), run_id, rows)
            result.files = [batch.csv_path, batch.jsonl_path]
        for msg in todo:
            msg.state, msg.sent_at, msg.last_error = "sent", at, None
            msg.attempts += 1
            s.add(msg)
            details = {"customer_id": msg.customer_id, "gateway": "file"}
            if msg.message_id in written:
                details["recovered"] = True  # found in an earlier batch: written before a crash
            audit.record(s, ctx.clock, actor, "sms.sent", "sms_message", msg.message_id, details)
            result.accepted.append(msg.message_id)


def _record_attempt(ctx: Ctx, actor: str, at: datetime, message_id: str, outcome: Outcome,
                    max_attempts: int) -> str:
    """Commit one answer of the platform; returns the message's state afterwards."""
    with ctx.db.write() as s:
        msg = s.exec(select(SmsMessage).where(SmsMessage.message_id == message_id)).one()
        if msg.state != "pending":
            return msg.state  # another run got there first
        msg.attempts += 1
        if outcome.accepted:
            msg.state, msg.sent_at, msg.last_error = "sent", at, None
            action = "sms.sent"
        else:
            msg.last_error = outcome.error
            if msg.attempts >= max_attempts:
                msg.state, action = "failed", "sms.failed"
            else:
                action = "sms.attempt_failed"
        s.add(msg)
        audit.record(s, ctx.clock, actor, action, "sms_message", msg.message_id,
                     {"customer_id": msg.customer_id, "gateway": "http", "attempt": msg.attempts,
                      "status": outcome.status, "error": outcome.error})
        return msg.state


def _send_http(ctx: Ctx, actor: str, at: datetime, gateway: HttpGateway, due: list[SmsMessage],
               result: SendResult, sleep: Callable[[float], None]) -> None:
    max_attempts = ctx.policy["sms.http.max_attempts"]
    backoff = ctx.policy["sms.http.backoff_s"]
    in_a_row = 0
    for index, msg in enumerate(due):
        if in_a_row >= STOP_AFTER_FAILURES_IN_A_ROW:
            result.stopped_early = True
            result.pending.extend((m.message_id, m.last_error) for m in due[index:])
            return
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
