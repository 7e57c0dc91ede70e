"""Writes of the call record on the raw connection of the caller's write transaction.

The call path is hot (a gate check and a record per dial, over millions of earlier attempts), so the rows
are written with plain SQL instead of ORM flushes; audit events go through ``audit.record_raw`` (the
same hash chain as ``audit.record``). Use these only inside a session that does not also hold ORM copies
of the rows touched (``record.py`` reads customers through the ORM but never modifies those objects).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from collectui.domain.errors import NotFound, PermissionDenied
from collectui.domain.said import said
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text


@dataclass(frozen=True)
class Caller:
    id: int
    username: str
    role: str


def _inserted_id(raw: RawConnection, sql: str, params: tuple[object, ...]) -> int:
    """The id an ``INSERT ... RETURNING id`` gave its row (read to the end, so the statement is done)."""
    rows = raw.execute(sql, params).fetchall()
    return int(rows[0][0])


def load_caller(raw: RawConnection, username: str) -> Caller:
    row = raw.execute("SELECT id, username, role, active FROM staff_user WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise NotFound(said("error.staff.no_user", f"no user {username!r}", username=username))
    if not row[3]:
        raise PermissionDenied(said("error.calls.user_inactive", f"user {username!r} is not active", username=username))
    return Caller(row[0], row[1], row[2])


def insert_attempt(
    raw: RawConnection,
    customer_id: str,
    contact_id: str | None,
    phone: str,
    user_id: int,
    status: str,
    started_at: datetime,
    refused_rules: list[str] | None = None,
) -> int:
    return _inserted_id(
        raw,
        "INSERT INTO call_attempt(customer_id, contact_id, phone, user_id, status, started_at, connected, "
        "right_party, refused_rules, checklist) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, '[]') RETURNING id",
        (customer_id, contact_id, phone, user_id, status, utc_text(started_at), json.dumps(refused_rules or [])),
    )


def write_logged(
    raw: RawConnection,
    attempt_id: int,
    outcome: str,
    connected: bool,
    right_party: bool,
    checklist: list[str],
    recording_ref: str | None,
    notes: str | None,
    ended_at: datetime | None,
    callback_at: datetime | None = None,
) -> None:
    raw.execute(
        "UPDATE call_attempt SET status = 'logged', outcome = ?, connected = ?, right_party = ?, checklist = ?, "
        "recording_ref = ?, notes = ?, ended_at = coalesce(ended_at, ?), callback_at = ? WHERE id = ?",
        (
            outcome,
            int(connected),
            int(right_party),
            json.dumps(checklist),
            recording_ref,
            notes,
            utc_text(ended_at) if ended_at else None,
            utc_text(callback_at) if callback_at else None,
            attempt_id,
        ),
    )


def mark_cancelled(raw: RawConnection, attempt_id: int, ended_at: datetime) -> None:
    """A started call left without a record (``domain.attempts``: it counts as unanswered)."""
    raw.execute(
        "UPDATE call_attempt SET status = 'cancelled', ended_at = ? WHERE id = ? AND status = 'started'",
        (utc_text(ended_at), attempt_id),
    )


def load_started(raw: RawConnection, attempt_id: int) -> tuple[str, str | None, int, str, datetime] | None:
    """(customer_id, contact_id, user_id, status, started_at) of an attempt, or None."""
    if not 0 < attempt_id < 2**63:  # no such row, and SQLite could not even take the number
        return None
    row = raw.execute(
        "SELECT customer_id, contact_id, user_id, status, started_at FROM call_attempt WHERE id = ?", (attempt_id,)
    ).fetchone()
    if row is None:
        return None
    return row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4])


def insert_promise(
    raw: RawConnection, customer_id: str, call_id: int, user_id: int, made_at: datetime, amount_fen: int, due: date
) -> int:
    return _inserted_id(
        raw,
        "INSERT INTO promise(customer_id, call_id, user_id, made_at, amount_fen, due_date, status, paid_fen) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open', 0) RETURNING id",
        (customer_id, call_id, user_id, utc_text(made_at), amount_fen, due.isoformat()),
    )


def insert_dispute(
    raw: RawConnection,
    customer_id: str,
    call_id: int,
    user_id: int,
    opened_at: datetime,
    reason_code: str | None = None,
    due_on: date | None = None,
) -> int:
    """``due_on``: when the bank's answer is due, ``cases.disputes.answer_due(opened_at, ctx.policy)``. Left
    out, it is NULL and the readers derive the same day from the policy in force (``cases.disputes.due_of``)
    until the resolution stamps it."""
    return _inserted_id(
        raw,
        "INSERT INTO dispute(customer_id, call_id, opened_at, opened_by, status, reason, reason_code, due_on) "
        "VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
        (
            customer_id,
            call_id,
            utc_text(opened_at),
            user_id,
            f"raised on call {call_id}",
            reason_code,
            due_on.isoformat() if due_on else None,
        ),
    )


FLAGS = {
    ("customer", "do_not_call"),
    ("customer", "phone_invalid"),
    ("customer", "hardship"),
    ("contact", "refused_calls"),
    ("contact", "phone_invalid"),
}


def set_flag(raw: RawConnection, table: str, column: str, key: str) -> None:
    if (table, column) not in FLAGS:
        raise ValueError(f"{table}.{column} is not a flag a call may set")
    id_col = "customer_id" if table == "customer" else "contact_id"
    raw.execute(f"UPDATE {table} SET {column} = 1 WHERE {id_col} = ?", (key,))
