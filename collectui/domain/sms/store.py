"""Raw-SQL writes for the SMS paths that handle thousands of messages at once (plan, send, receipts).

The ORM costs milliseconds per row and per audit event; these helpers write with ``executemany`` on the
plain connection of ``Database.raw_write()`` and append audit events to the same hash chain as
``audit.record`` (head read once, events chained in memory, head written once).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from collectui.clock import Clock
from collectui.domain import audit as _audit
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

AuditItem = tuple[str, str | None, str | None, dict[str, Any]]  # action, target_type, target_id, details
# A message to queue: (message_id, customer_id, phone, text, lang, planned_for ISO, created_at).
QueuedRow = tuple[str, str, str, str, str, str, datetime]


def audit_many(raw: RawConnection, clock: Clock, actor: str, items: Iterable[AuditItem], *, policy: int) -> int:
    """Append the events; each carries ``policy``, the policy version the run worked under (Ctx.policy_version)."""
    appender = _audit.RawAudit(raw, clock, actor)
    for action, target_type, target_id, details in items:
        appender.add(action, target_type, target_id, {**details, "policy": policy})
    appender.close()
    return appender.count


def insert_messages(raw: RawConnection, rows: list[QueuedRow]) -> None:
    """rows: (message_id, customer_id, phone, text, lang, planned_for ISO, created_at datetime)."""
    raw.executemany(
        "INSERT INTO sms_message(message_id, customer_id, phone, text, lang, state, planned_for, created_at, "
        "attempts) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, 0)",
        [(m, c, p, t, lang, day, utc_text(created)) for m, c, p, t, lang, day, created in rows],
    )


def set_states(raw: RawConnection, rows: list[tuple[str, str | None, str]], from_state: str = "pending") -> None:
    """rows: (new state, last_error, message_id); only messages still in ``from_state`` change."""
    raw.executemany(
        "UPDATE sms_message SET state = ?, last_error = ? WHERE message_id = ? AND state = ?",
        [(*r, from_state) for r in rows],
    )


def mark_sent(raw: RawConnection, message_ids: list[str], sent_at: datetime) -> None:
    raw.executemany(
        "UPDATE sms_message SET state = 'sent', sent_at = ?, last_error = NULL, attempts = attempts + 1 "
        "WHERE message_id = ? AND state = 'pending'",
        [(utc_text(sent_at), m) for m in message_ids],
    )
