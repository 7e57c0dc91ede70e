"""A small bank with a trail worth tampering with: three borrowers, calls, a promise, plain events."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import pytest

from collectui.domain import audit
from collectui.domain.calls.record import CallInput, CallResult, log_call
from collectui.domain.staff.actor import Actor
from collectui.storage.pg import raw as pg_raw
from tests.support import calls


def log(ctx, customer: str, outcome: str, user: str = "amy", contact: str = "debtor", **kw) -> CallResult:
    """A call logged by a signed-in collector of the seeded branch."""
    with ctx.db.raw_read() as raw:  # a raw connection: its ``?`` placeholders are portable
        user_id, role = raw.execute("SELECT id, role FROM staff_user WHERE username = ?", (user,)).fetchone()
    actor = Actor(name=user, role=role, branch="东城支行", user_id=user_id, via="session")
    checks = kw.pop("checklist", [])
    if checks:
        kw.setdefault("recording_ref", "rec-001.wav")
    return log_call(
        ctx, actor, CallInput(customer_id=customer, outcome=outcome, contact=contact, checklist=checks, **kw)
    )


@pytest.fixture
def trail(ctx):
    ctx = dataclasses.replace(ctx, policy=calls.calls_policy())
    calls.seed(ctx, customers=3)
    with ctx.db.raw_write() as raw:  # the seed writes its rows with the ORM and no events, like a bulk path
        audit.adopt(raw, ctx.clock, "system:test", "seeded bank")
    for cid in ("C1", "C2", "C3"):
        for outcome in ("no_answer", "busy"):
            assert log(ctx, cid, outcome).saved
    promise = {"promise_amount": "100", "promise_date": "2026-12-03", "checklist": calls.RPC_CHECKS}
    assert log(ctx, "C2", "promise_to_pay", **promise).saved
    with ctx.db.write() as s:
        for i in range(60):
            audit.record(s, ctx.clock, "sue", "report.view", "report", str(i))
    return ctx


def operator(ctx) -> Any:
    """A connection of the operator's own, outside collectui, each statement committed at once, with the
    append-only triggers dropped: the database file's owner on SQLite, the table's owner on PostgreSQL."""
    url = getattr(ctx.db, "url", None)
    if url is None:
        conn = sqlite3.connect(ctx.db.path, isolation_level=None)
        conn.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        return conn
    conn = pg_raw.connect(url)
    for trigger in ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_truncate"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger} ON audit_event")
    return conn
