"""Recording an audit event inside an ORM write transaction.

The session is flushed first (so the rows the event names are read as the service left them), then the
event is appended on the session's own connection by ``RawAudit``: one chain, one digest, one head for
the ORM and the raw paths (see ``audit.chain``). Callers record inside their write transaction
(``BEGIN IMMEDIATE``), which serialises appends across processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from collectui.clock import Clock
from collectui.domain.audit.chain import RawAudit
from collectui.storage.raw import driver_connection

if TYPE_CHECKING:  # the ORM loads on first use: the raw paths import this package without it
    from sqlmodel import Session


def record(
    session: Session,
    clock: Clock,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Append one event; returns its id. ``details`` must hold no raw personal data (mask it first).

    ``at`` backdates the event (the demo builder's history only: on a production database an event
    earlier than the chain head is refused, see ``audit.chain``).
    """
    appender = RawAudit(driver_connection(session), clock, actor, at)
    event_id = appender.next_id  # after the keyed marker and baseline a first append may have written
    appender.add(action, target_type, target_id, details)
    appender.close()
    return event_id
