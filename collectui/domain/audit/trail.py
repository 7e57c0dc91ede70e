"""The audit trail: append-only events chained by SHA-256.

Each event's hash covers its id, time, actor, action, target and details plus the previous event's hash;
``meta.audit_head`` holds the last id and hash, so an edited, deleted, inserted or truncated event breaks
the chain and ``verify`` finds it. Callers record inside their write transaction (``BEGIN IMMEDIATE``),
which serialises appends across processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from collectui.clock import Clock
from collectui.domain.audit.chain import GENESIS, HEAD_KEY, digest, head_of, next_after
from collectui.storage.timefmt import store_datetime

if TYPE_CHECKING:  # the ORM loads on first use: the raw paths import this package without it
    from sqlmodel import Session

    from collectui.storage.models import AuditEvent


def record(
    session: Session,
    clock: Clock,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event. ``details`` must hold no raw personal data (mask it first)."""
    from collectui.storage.meta import get_meta, set_meta
    from collectui.storage.models import AuditEvent

    details = dict(details or {})
    event_id, prev_hash = next_after(get_meta(session, HEAD_KEY))
    when = at or clock.now()
    at_text = store_datetime(when)
    event_hash = digest(event_id, at_text, actor, action, target_type, target_id, details, prev_hash)
    event = AuditEvent(
        id=event_id,
        at=when,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
        prev_hash=prev_hash,
        hash=event_hash,
    )
    session.add(event)
    set_meta(session, HEAD_KEY, head_of(event_id, event_hash))
    return event


@dataclass
class VerifyResult:
    ok: bool
    events: int
    problems: list[str]


def verify(session: Session) -> VerifyResult:
    """Walk the chain in id order; every break is reported with the event id."""
    from sqlalchemy import text

    from collectui.storage.meta import get_meta

    problems: list[str] = []
    prev_hash, expected_id, count = GENESIS, 1, 0
    rows = session.connection().execute(
        text(
            "SELECT id, at, actor, action, target_type, target_id, details, prev_hash, hash "
            "FROM audit_event ORDER BY id"
        )
    )
    for row in rows:
        count += 1
        event_id, at_text, actor, action, ttype, tid, details_json, stored_prev, stored_hash = row
        if event_id != expected_id:
            problems.append(f"event {event_id}: expected event {expected_id} here (deleted or inserted)")
        if stored_prev != prev_hash:
            problems.append(f"event {event_id}: does not follow the previous event (chain broken)")
        details = json.loads(details_json) if isinstance(details_json, str) else (details_json or {})
        computed = digest(event_id, at_text, actor, action, ttype, tid, details, stored_prev)
        if computed != stored_hash:
            problems.append(f"event {event_id}: content does not match its hash (edited)")
        prev_hash, expected_id = stored_hash, event_id + 1
    head = get_meta(session, HEAD_KEY)
    if head is None and count:
        problems.append("the chain head is missing")
    elif head is not None and head != head_of(expected_id - 1, prev_hash):
        problems.append(
            f"the chain ends at event {expected_id - 1}, but the head says {head.split(':')[0]}"
            " (events removed from the end, or the head was changed)"
        )
    return VerifyResult(ok=not problems, events=count, problems=problems)
