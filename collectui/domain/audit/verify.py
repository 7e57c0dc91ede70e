"""Checking the audit trail: the chain, its key, an anchor kept off the machine, and the rows it vouches for.

``verify`` walks every event in id order and reports each break with the event id:

- an event whose digest does not match its content (edited), a gap or a stranger in the ids (deleted or
  inserted), a link to the wrong previous digest, a head that does not end the chain (events removed
  from the end; undetectable when the head is rewritten too, unless an anchor or the rows say so);
- from ``meta.audit_keyed_from`` on, digests are HMACs with the audit key: a chain recomputed without the
  key fails here. A missing or foreign key fails loudly; a database with a key but no keyed event (every
  event deleted, or the marker moved) fails;
- ``anchor`` (``SEQ:DIGEST`` printed by ``collectui audit anchor`` and kept on paper or at the head office):
  event SEQ must still be there with that digest, so nothing up to it was removed or rewritten;
- the rows: every covered row must be explained by the latest event that named it (``audit.explain``);
- time going backwards: a problem on a production database, a note on the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from collectui.domain.audit import keys, rows
from collectui.domain.audit.chain import GENESIS, HEAD_KEY, KEYED_FROM_KEY, digest, head_of
from collectui.domain.audit.explain import Ledger
from collectui.domain.errors import InvalidInput
from collectui.domain.said import said
from collectui.storage.kind import kind_of
from collectui.storage.raw import RawConnection, raw_of

if TYPE_CHECKING:
    from collectui.storage.raw import SessionOrRaw


@dataclass(frozen=True)
class RestoreMark:
    """A ``db.restore`` event: the database was replaced by a backup whose trail ended at ``backup_head``."""

    event: int
    at: datetime
    backup_head: int


@dataclass
class VerifyResult:
    ok: bool
    events: int
    problems: list[str]
    keyed_from: int | None = None  # the first keyed (HMAC) event; None: the chain is not keyed
    notes: list[str] = field(default_factory=list)
    head: str | None = None  # "SEQ:DIGEST" of the last event
    rows_checked: int = 0  # covered rows the trail vouched for, found intact
    # The anchor failed and the trail says the database was restored from a backup older than the anchor.
    restored: RestoreMark | None = None


def parse_anchor(text: str) -> tuple[int, str]:
    seq, sep, value = text.strip().partition(":")
    # ASCII digits only: str.isdigit() also accepts '²' or '٣', which int() then refuses or misreads.
    if (
        not sep
        or not seq
        or len(seq) > 19
        or any(c not in "0123456789" for c in seq)
        or len(value) != 64
        or any(c not in "0123456789abcdef" for c in value)
    ):
        shown = text.strip()[:80]
        raise InvalidInput(
            said(
                "error.audit.anchor",
                f"anchor {shown!r}: expected SEQ:DIGEST (as `collectui audit anchor` prints)",
                anchor=shown,
            )
        )
    return int(seq), value


def _meta(conn: RawConnection) -> dict[str, str]:
    return dict(
        conn.execute(
            f"SELECT key, value FROM meta WHERE key IN ('{HEAD_KEY}', '{KEYED_FROM_KEY}', '{keys.CHECK_KEY}')"
        ).fetchall()
    )


def _key_problems(
    conn: RawConnection, keyed_from: int | None, stored_check: str | None
) -> tuple[bytes | None, list[str]]:
    try:
        key = keys.load_key(conn)
    except keys.AuditKeyError as exc:
        return None, [str(exc)]
    if key is None:
        if keyed_from is not None or kind_of(conn) == "production":
            return None, [keys.missing_key_message(conn) + ": the keyed chain cannot be verified"]
        return None, []
    if stored_check is not None and stored_check != keys.check_of(key):
        return None, [
            f"the audit key given is not this database's (check {keys.check_of(key)}, the database's {stored_check})"
        ]
    return key, []


def verify(conn: SessionOrRaw, anchor: str | None = None) -> VerifyResult:
    """Walk the chain in id order, then the rows; every break is reported."""
    anchored = parse_anchor(anchor) if anchor else None
    raw, _session = raw_of(conn)
    meta = _meta(raw)
    keyed_from = int(meta[KEYED_FROM_KEY]) if meta.get(KEYED_FROM_KEY, "").isdigit() else None
    key, problems = _key_problems(raw, keyed_from, meta.get(keys.CHECK_KEY))
    production = kind_of(raw) == "production"
    notes: list[str] = []
    ledger = Ledger()
    prev_hash, expected_id, count, last_at = GENESIS, 1, 0, ""
    anchor_seen = False
    restores: list[RestoreMark] = []
    rows_cur = raw.execute(
        "SELECT id, at, actor, action, target_type, target_id, details, prev_hash, hash, row_digests "
        "FROM audit_event ORDER BY id"
    )
    for event_id, at_text, actor, action, ttype, tid, details_json, stored_prev, stored_hash, found in rows_cur:
        count += 1
        if event_id != expected_id:
            problems.append(f"event {event_id}: expected event {expected_id} here (deleted or inserted)")
        if stored_prev != prev_hash:
            problems.append(f"event {event_id}: does not follow the previous event (chain broken)")
        details = json.loads(details_json) if isinstance(details_json, str) else (details_json or {})
        keyed = keyed_from is not None and event_id >= keyed_from
        if keyed and event_id == keyed_from and event_id != 1 and action != "audit.keyed":
            problems.append(f"event {event_id}: the keyed chain should start here with audit.keyed (marker moved)")
        if keyed and key is None:
            pass  # reported once above: no key to check it with
        else:
            row_digests = json.loads(found) if keyed and found else None
            computed = digest(
                event_id, at_text, actor, action, ttype, tid, details, stored_prev, key if keyed else None, row_digests
            )
            if computed != stored_hash:
                problems.append(f"event {event_id}: content does not match its {'HMAC' if keyed else 'hash'} (edited)")
        if keyed:
            ledger.note(event_id, found)
        if action == "db.restore":
            mark = _restore_mark(event_id, at_text, details)
            if mark is not None:
                restores.append(mark)
        if str(at_text) < last_at:
            msg = f"event {event_id}: its time {at_text} is earlier than the event before it"
            (problems if production else notes).append(
                msg if production else msg + " (allowed on a non-production database)"
            )
        last_at = max(last_at, str(at_text))
        if anchored is not None and event_id == anchored[0]:
            anchor_seen = True
            if stored_hash != anchored[1]:
                problems.append(f"anchor {anchored[0]}: the event's digest differs from the anchor (rewritten)")
        prev_hash, expected_id = stored_hash, event_id + 1
    head = meta.get(HEAD_KEY)
    if head is None and count:
        problems.append("the chain head is missing")
    elif head is not None and head != head_of(expected_id - 1, prev_hash):
        problems.append(
            f"the chain ends at event {expected_id - 1}, but the head says {head.split(':')[0]}"
            " (events removed from the end, or the head was changed)"
        )
    if anchored is not None and not anchor_seen:
        problems.append(
            f"anchor {anchored[0]}: no such event any more (events removed; the trail ends at {expected_id - 1})"
        )
    restored = None
    if anchored is not None and any(p.startswith(f"anchor {anchored[0]}:") for p in problems):
        # An anchor taken after the backup that was later restored cannot match: the restored trail forks
        # from the backup's head. Still a failure (the anchor's events are gone), but one with a reason.
        restored = next((r for r in reversed(restores) if r.backup_head < anchored[0]), None)
    if key is not None and keyed_from is None and (count or _any_covered_row(raw)):
        problems.append("this database has an audit key but no keyed event (events deleted, or the key marker removed)")
    elif keyed_from is not None and keyed_from >= expected_id and (count or _any_covered_row(raw)):
        problems.append(
            f"the chain is said to be keyed from event {keyed_from}, but it ends at {expected_id - 1} (events deleted)"
        )
    if keyed_from is None and key is None and count and not production:
        notes.append("the chain is not keyed yet: the next event written will key it")
    findings = ledger.findings(raw) if keyed_from is not None or key is not None else []
    problems.extend(f.message() for f in findings)
    checked = len(ledger.latest) - sum(1 for f in findings if f.what != "unexplained")
    return VerifyResult(
        ok=not problems,
        events=count,
        problems=problems,
        keyed_from=keyed_from,
        notes=notes,
        head=head_of(expected_id - 1, prev_hash) if count else None,
        rows_checked=max(checked, 0),
        restored=restored,
    )


def _restore_mark(event_id: int, at_text: object, details: object) -> RestoreMark | None:
    """What a ``db.restore`` event says about the backup it put back (its head, or its event count)."""
    if not isinstance(details, dict):
        return None
    head = details.get("head")
    seq = str(head).split(":")[0] if head else str(details.get("events", ""))
    if not seq.isascii() or not seq.isdigit():
        return None
    try:
        at = datetime.fromisoformat(str(at_text))
    except ValueError:
        return None
    return RestoreMark(event_id, at, int(seq))


def _any_covered_row(raw: RawConnection) -> bool:
    tables = rows.present_tables(raw, refresh=True)
    return any(
        raw.execute(f"SELECT 1 FROM {c.table} LIMIT 1").fetchone()
        for c in rows.COVERED
        if c.table in tables and c.mode == "row"
    )


def anchor(conn: SessionOrRaw) -> str:
    """``SEQ:DIGEST`` of the chain's last event, for the supervisor to keep off the machine."""
    raw, _session = raw_of(conn)
    row = raw.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        raise InvalidInput(said("error.audit.empty", "the audit trail is empty: nothing to anchor yet"))
    return head_of(int(row[0]), str(row[1]))
