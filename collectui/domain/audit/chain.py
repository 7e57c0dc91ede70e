"""Appending to the audit chain through a plain connection; ``record`` (the ORM path) goes through here too.

The chain: each event's digest covers its id, time, actor, action, target, details, the digests of the
rows it names (``audit.rows``) and the previous event's digest; ``meta.audit_head`` holds the last id and
digest. From ``meta.audit_keyed_from`` on, the digest is an HMAC-SHA256 with the audit key
(``audit.keys``), so an operator who edits the table cannot recompute it. Events before that sequence
(a database from before the key) keep their plain SHA-256 and are reported as unkeyed by ``verify``.

Time never goes backwards on a production database: an event earlier than the chain head is refused
(``AuditClockError``), except within ``CLOCK_SKEW`` (two branch PCs on one file differ a little), where it
is stamped at the head's time. Demo, practice and test databases keep their clock's time (training moves
the clock back and forth); ``verify`` notes each step back there instead of failing.

No ORM import here, so that the raw paths (import, refresh, calls, SMS) start quickly.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from collectui.clock import Clock
from collectui.domain.audit import keys, rows
from collectui.domain.audit.explain import unexplained_rows
from collectui.domain.errors import CollectError
from collectui.domain.said import said
from collectui.storage.kind import kind_of
from collectui.storage.raw import RawConnection, set_meta_raw
from collectui.storage.timefmt import store_datetime

GENESIS = "0" * 64
HEAD_KEY = "audit_head"  # meta key: "<last event id>:<its digest>"
KEYED_FROM_KEY = "audit_keyed_from"  # meta key: the id of the first keyed (HMAC) event
CLOCK_SKEW = timedelta(minutes=2)
ADOPT_BATCH = 500  # rows one baseline event vouches for


class AuditClockError(CollectError):
    """The clock is earlier than the last audit event on a production database."""


def next_after(head: str | None) -> tuple[int, str]:
    """The id of the next event and the digest it chains to, from the stored head (None: an empty trail)."""
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
    key: bytes | None = None,
    row_digests: dict[str, str] | None = None,
) -> str:
    """SHA-256 of the event (an unkeyed event from before the key), or HMAC-SHA256 with ``key``."""
    if key is None:
        body = [event_id, at_text, actor, action, target_type, target_id, details, prev_hash]
    else:
        body = [event_id, at_text, actor, action, target_type, target_id, details, prev_hash, row_digests or {}]
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    if key is None:
        return hashlib.sha256(text).hexdigest()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


_INSERT = (
    "INSERT INTO audit_event (id, at, actor, action, target_type, target_id, details, prev_hash, hash, row_digests) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_META = f"SELECT key, value FROM meta WHERE key IN ('{HEAD_KEY}', '{KEYED_FROM_KEY}', '{keys.CHECK_KEY}')"


def chain_key(conn: RawConnection, keyed_from: str | None, stored_check: str | None) -> bytes:
    """The key to write with; refuses (``AuditKeyError``) a missing or foreign key."""
    key = keys.load_key(conn, create=keyed_from is None and keys.may_create_key(conn))
    if key is None:
        raise keys.AuditKeyError(keys.missing_key_said(conn, "error.audit.no_key_unwritten", "; nothing was written"))
    if stored_check is not None and stored_check != keys.check_of(key):
        check = keys.check_of(key)
        raise keys.AuditKeyError(
            said(
                "error.audit.foreign_key",
                f"the audit key ({keys.KEY_ENV} or the key file) is not this database's: its check is "
                f"{check}, the database's {stored_check}; nothing was written",
                env=keys.KEY_ENV,
                check=check,
                stored=stored_check,
            )
        )
    return key


class RawAudit:
    """Appends events through a plain connection, inside the caller's write transaction.

    The head is read once, events are chained in memory and written with ``executemany``, and ``close``
    moves the head. The first keyed append on a database marks where the keyed chain starts: on an older
    database (unkeyed events before it) with an ``audit.keyed`` event; ``audit.baseline`` events then vouch
    for the covered rows already there, if any.
    """

    def __init__(self, conn: RawConnection, clock: Clock, actor: str, at: datetime | None = None) -> None:
        self.conn = conn
        self.actor = actor
        meta = dict(conn.execute(_META).fetchall())
        self.next_id, self.prev = next_after(meta.get(HEAD_KEY))
        keyed_from = meta.get(KEYED_FROM_KEY)
        self.key = chain_key(conn, keyed_from, meta.get(keys.CHECK_KEY))
        self.at_text = store_datetime(self._stamp(at or clock.now()))
        self._batch: list[tuple[object, ...]] = []
        self.count = 0
        if keyed_from is None:
            self._start_keyed()

    def _stamp(self, when: datetime) -> datetime:
        """The event time: never before the head's on a production database."""
        if self.next_id == 1:
            return when
        row = self.conn.execute("SELECT at FROM audit_event WHERE id = ?", (self.next_id - 1,)).fetchone()
        if row is None or store_datetime(when) >= str(row[0]) or kind_of(self.conn) != "production":
            return when
        head_at = datetime.fromisoformat(str(row[0]))
        if head_at - when <= CLOCK_SKEW:
            return head_at
        now_text = when.isoformat(timespec="seconds")
        head_text = head_at.astimezone(when.tzinfo).isoformat(timespec="seconds")
        raise AuditClockError(
            said(
                "error.audit.clock_back",
                f"the clock says {now_text}, earlier than the last audit event "
                f"({head_text}): audit time never goes back on a "
                "production database; correct the system clock (nothing was written)",
                now=now_text,
                head=head_text,
            )
        )

    def _start_keyed(self) -> None:
        """Mark the first keyed event; vouch for rows written before it (an older database, the demo's bulk)."""
        set_meta_raw(self.conn, KEYED_FROM_KEY, str(self.next_id))
        set_meta_raw(self.conn, keys.CHECK_KEY, keys.check_of(self.key))
        unkeyed = self.next_id - 1
        if unkeyed:
            self.add("audit.keyed", "audit", None, {"unkeyed_events": unkeyed})
        # Trust on first use: the rows as they stand when the key arrives (an older database's, or rows a
        # test or a tool wrote before the first event) are vouched for from here on; nothing is before.
        adopt_rows(self, "audit.baseline", baseline=True)

    def add(
        self, action: str, target_type: str | None, target_id: str | None, details: dict[str, Any] | None = None
    ) -> None:
        details = dict(details or {})
        row_digests = rows.digests_for(self.conn, target_type, target_id, details)
        self._append(action, target_type, target_id, details, row_digests)

    def _append(
        self,
        action: str,
        target_type: str | None,
        target_id: str | None,
        details: dict[str, Any],
        row_digests: dict[str, str] | None,
    ) -> None:
        event_hash = digest(
            self.next_id,
            self.at_text,
            self.actor,
            action,
            target_type,
            target_id,
            details,
            self.prev,
            self.key,
            row_digests,
        )
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
                json.dumps(row_digests, ensure_ascii=False, sort_keys=True) if row_digests else None,
            )
        )
        self.prev = event_hash
        self.next_id += 1
        self.count += 1
        if len(self._batch) >= 2000:
            self.flush()

    def add_rows(self, action: str, details: dict[str, Any], row_digests: dict[str, str]) -> None:
        """One event vouching for many rows at once (baseline, the demo's bulk history)."""
        self._append(action, "audit", None, details, row_digests)

    def flush(self) -> None:
        if self._batch:
            self.conn.executemany(_INSERT, self._batch)
            self._batch.clear()

    def close(self) -> None:
        """Write pending events and move the chain head (inside the caller's transaction)."""
        self.flush()
        if self.count:
            set_meta_raw(self.conn, HEAD_KEY, head_of(self.next_id - 1, self.prev))


def _chunks(items: Iterable[tuple[str, str]]) -> Iterable[dict[str, str]]:
    batch: dict[str, str] = {}
    for name, value in items:
        batch[name] = value
        if len(batch) >= ADOPT_BATCH:
            yield batch
            batch = {}
    if batch:
        yield batch


def adopt_rows(appender: RawAudit, action: str, baseline: bool = False, reason: str | None = None) -> int:
    """Vouch, in events of up to ``ADOPT_BATCH`` rows, for the covered rows no event explains yet.

    ``baseline``: at the start of the keyed chain every covered row is vouched for (the rows as they stand
    when the key arrives). Otherwise only rows whose current content no event explains (the demo builder's
    bulk history). Never called for rows a person changed: their services record their own events.
    """
    if baseline:
        items: list[tuple[str, str]] = []
        tables = rows.present_tables(appender.conn, refresh=True)
        for cov in rows.COVERED:
            if cov.table not in tables:
                continue
            found = (
                rows.current_rows(appender.conn, cov)
                if cov.mode == "row"
                else rows.current_flags(appender.conn, cov, only_set=True)
            )
            items.extend((f"{cov.kind}:{key}", value) for key, value in found)
    else:
        appender.flush()
        items = unexplained_rows(appender.conn)
    count = 0
    details: dict[str, Any] = {"reason": reason} if reason else {}
    for batch in _chunks(items):
        appender.add_rows(action, {**details, "rows": len(batch)}, batch)
        count += len(batch)
    return count


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


def adopt(conn: RawConnection, clock: Clock, actor: str, reason: str) -> int:
    """For a system path that wrote covered rows in bulk (the demo's history): one ``audit.adopt`` event per
    ``ADOPT_BATCH`` rows no event explains yet. Returns how many rows were vouched for."""
    appender = RawAudit(conn, clock, actor)
    count = adopt_rows(appender, "audit.adopt", reason=reason)
    appender.close()
    return count
