"""Audit events appended through a plain sqlite3 connection, for the bulk import path.

Same chain as ``collectui.domain.audit.record`` (same digest, same ``meta.audit_head``), but batched with
``executemany`` so that auditing every updated row of a large import stays cheap. ``audit.verify`` checks
events written here exactly like the others (a test makes sure).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from collectui.clock import Clock
from collectui.domain.audit import GENESIS, _digest
from collectui.storage.types import utc_text

_INSERT = ("INSERT INTO audit_event (id, at, actor, action, target_type, target_id, details, prev_hash, hash) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


class RawAudit:
    def __init__(self, conn: sqlite3.Connection, clock: Clock, actor: str) -> None:
        self.conn = conn
        self.actor = actor
        self.at_text = utc_text(clock.now())
        row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        if row:
            last, self.prev = row[0].split(":", 1)
            self.next_id = int(last) + 1
        else:
            self.next_id, self.prev = 1, GENESIS
        self._batch: list[tuple] = []
        self.count = 0

    def add(self, action: str, target_type: str | None, target_id: str | None, details: dict[str, Any]) -> None:
        digest = _digest(self.next_id, self.at_text, self.actor, action, target_type, target_id, details, self.prev)
        self._batch.append((self.next_id, self.at_text, self.actor, action, target_type, target_id,
                            json.dumps(details, ensure_ascii=False), self.prev, digest))
        self.prev = digest
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
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (f"{self.next_id - 1}:{self.prev}",),
            )
