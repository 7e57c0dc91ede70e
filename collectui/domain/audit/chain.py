"""Appending to the audit chain through a plain connection (bulk paths: import, refresh, calls, SMS).

The chain itself is described in ``collectui.domain.audit.trail``; this half has no ORM import, so that the
raw paths start quickly.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from collectui.clock import Clock
from collectui.storage.raw import RawConnection, get_meta_raw, set_meta_raw
from collectui.storage.timefmt import store_datetime

GENESIS = "0" * 64
HEAD_KEY = "audit_head"  # meta key: "<last event id>:<its hash>"


def next_after(head: str | None) -> tuple[int, str]:
    """The id of the next event and the hash it chains to, from the stored head (None: an empty trail)."""
    if not head:
        return 1, GENESIS
    last, prev = head.split(":", 1)
    return int(last) + 1, prev


def head_of(event_id: int, event_hash: str) -> str:
    """The stored head after the event ``event_id`` with ``event_hash``."""
    return f"{event_id}:{event_hash}"


def digest(
    event_id: int,
    at_text: str,
    actor: str,
    action: str,
    target_type: str | None,
    target_id: str | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    body = json.dumps(
        [event_id, at_text, actor, action, target_type, target_id, details, prev_hash],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


_INSERT = (
    "INSERT INTO audit_event (id, at, actor, action, target_type, target_id, details, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class RawAudit:
    """Appends events through a plain connection (bulk paths: import, refresh, calls, SMS).

    Same chain as ``record`` (same digest, same ``meta.audit_head``): the head is read once, events are
    chained in memory and written with ``executemany``, and ``close`` moves the head, all inside the
    caller's transaction. ``verify`` checks these events exactly like the others.
    """

    def __init__(self, conn: RawConnection, clock: Clock, actor: str) -> None:
        self.conn = conn
        self.actor = actor
        self.at_text = store_datetime(clock.now())
        self.next_id, self.prev = next_after(get_meta_raw(conn, HEAD_KEY))
        self._batch: list[tuple[object, ...]] = []
        self.count = 0

    def add(
        self, action: str, target_type: str | None, target_id: str | None, details: dict[str, Any] | None = None
    ) -> None:
        details = dict(details or {})
        event_hash = digest(self.next_id, self.at_text, self.actor, action, target_type, target_id, details, self.prev)
        self._batch.append(
            (
                self.next_id,
                self.at_text,
                self.actor,
                action,
                target_type,
                target_id,
                json.dumps(details, ensure_ascii=False),
                self.prev,
                event_hash,
            )
        )
        self.prev = event_hash
        self.next_id += 1
        self.count += 1
        if len(self._batch) >= 2000:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self.conn.executemany(_INSERT, self._batch)
            self._batch.clear()

    def close(self) -> None:
        """Write pending events and move the chain head (inside the caller's transaction)."""
        self.flush()
        if self.count:
            set_meta_raw(self.conn, HEAD_KEY, head_of(self.next_id - 1, self.prev))


def record_raw(
    conn: RawConnection,
    clock: Clock,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """``record`` for a plain connection inside a write transaction."""
    appender = RawAudit(conn, clock, actor)
    appender.add(action, target_type, target_id, details)
    appender.close()
