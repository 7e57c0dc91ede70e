"""Writes of the call record on the raw sqlite3 connection of the caller's ``BEGIN IMMEDIATE`` transaction.

The call path is hot (a gate check and a record per dial, over millions of earlier attempts), so the rows
are written with plain SQL instead of ORM flushes; audit events go through ``audit.record_raw`` (the
same hash chain as ``audit.record``). Use these only inside a session that does not also hold ORM copies
of the rows touched (``record.py`` reads customers through the ORM but never modifies those objects).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from collectui.domain.errors import NotFound, PermissionDenied
from collectui.storage.timefmt import utc_text


@dataclass(frozen=True)
class Caller:
    id: int
    username: str
    role: str


def load_caller(raw: sqlite3.Connection, username: str) -> Caller:
    row = raw.execute("SELECT id, username, role, active FROM staff_user WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise NotFound(f"no user {username!r}")
    if not row[3]:
        raise PermissionDenied(f"user {username!r} is not active")
    return Caller(row[0], row[1], row[2])


def insert_attempt(
    raw: sqlite3.Connection,
    customer_id: str,
    contact_id: str | None,
    phone: str,
    user_id: int,
    status: str,
    started_at: datetime,
    refused_rules: list[str] | None = None,
) -> int:
    cur = raw.execute(
        "INSERT INTO call_attempt(customer_id, contact_id, phone, user_id, status, started_at, connected, "
        "right_party, refused_rules, checklist) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, '[]')",
        (customer_id, contact_id, phone, user_id, status, utc_text(started_at), json.dumps(refused_rules or [])),
    )
    return cur.lastrowid


def write_logged(
    raw: sqlite3.Connection,
    attempt_id: int,
    outcome: str,
    connected: bool,
    right_party: bool,
    checklist: list[str],
    recording_ref: str | None,
    notes: str | None,
    ended_at: datetime | None,
) -> None:
    raw.execute(
        "UPDATE call_attempt SET status = 'logged', outcome = ?, connected = ?, right_party = ?, checklist = ?, "
        "recording_ref = ?, notes = ?, ended_at = ? WHERE id = ?",
        (
            outcome,
            int(connected),
            int(right_party),
            json.dumps(checklist),
            recording_ref,
            notes,
            utc_text(ended_at) if ended_at else None,
            attempt_id,
        ),
    )


def load_started(raw: sqlite3.Connection, attempt_id: int) -> tuple[str, str | None, int, str, datetime] | None:
    """(customer_id, contact_id, user_id, status, started_at) of an attempt, or None."""
    row = raw.execute(
        "SELECT customer_id, contact_id, user_id, status, started_at FROM call_attempt WHERE id = ?", (attempt_id,)
    ).fetchone()
    if row is None:
        return None
    return row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4])


def insert_promise(
    raw: sqlite3.Connection, customer_id: str, call_id: int, user_id: int, made_at: datetime, amount_fen: int, due: date
) -> int:
    cur = raw.execute(
        "INSERT INTO promise(customer_id, call_id, user_id, made_at, amount_fen, due_date, status, paid_fen) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open', 0)",
        (customer_id, call_id, user_id, utc_text(made_at), amount_fen, due.isoformat()),
    )
    return cur.lastrowid


def insert_dispute(raw: sqlite3.Connection, customer_id: str, call_id: int, user_id: int, opened_at: datetime) -> int:
    cur = raw.execute(
        "INSERT INTO dispute(customer_id, call_id, opened_at, opened_by, status, reason) VALUES (?, ?, ?, ?, 'open', ?)",
        (customer_id, call_id, utc_text(opened_at), user_id, f"raised on call {call_id}"),
    )
    return cur.lastrowid


FLAGS = {
    ("customer", "do_not_call"),
    ("customer", "phone_invalid"),
    ("customer", "hardship"),
    ("contact", "refused_calls"),
    ("contact", "phone_invalid"),
}


def set_flag(raw: sqlite3.Connection, table: str, column: str, key: str) -> None:
    if (table, column) not in FLAGS:
        raise ValueError(f"{table}.{column} is not a flag a call may set")
    id_col = "customer_id" if table == "customer" else "contact_id"
    raw.execute(f"UPDATE {table} SET {column} = 1 WHERE {id_col} = ?", (key,))
