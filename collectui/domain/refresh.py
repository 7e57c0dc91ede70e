"""Keeps the derived overdue figures current: ``loan_state``, ``work_item``, promise verdicts, snapshots.

A refresh, as of day D (default: today):
1. judges the promises (``domain.promises``);
2. computes every loan's ``overdue.compute`` figures into ``loan_state`` (``refresh_figures``: one SQL
   aggregate + INSERT ... SELECT for loans without payments, the Python payment waterfall streamed in
   loan_id order for the others, so memory does not grow with the book), upserts the day's
   ``bucket_snapshot`` rows from it and reads the overdue loans back per borrower;
3. aggregates each overdue borrower (any loan not closed with DPD >= 1) into one ``work_item`` with its
   score (``domain.ranking``), reasons and the first contact block that applies, one borrower at a time
   and written 5,000 at a time (``refresh_items``), and deletes the work items of borrowers no longer
   overdue.

``refresh(ctx, customer_ids)`` touches only those customers (milliseconds for a handful). When the stored
state (meta ``state_as_of``) is for an earlier day, it is first carried forward to the new day (``_roll``:
same result as a full refresh, without re-reading every schedule); for a later day or another ranking
policy a full refresh runs instead. So the list never mixes two days. ``compute_work_items`` does the same computation without writing, for
"as of another day" views.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time as _time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from collectui.domain import audit_chain as _audit
from collectui.domain import promises as _promises
from collectui.domain.refresh_figures import iter_loan_figures, loan_figures  # noqa: F401 (public here too)
from collectui.domain.refresh_figures import loan_filter, stage_figures
from collectui.domain.refresh_figures import sql_bucket as _sql_bucket
from collectui.domain.refresh_figures import sql_category as _sql_category
from collectui.domain.refresh_items import (  # noqa: F401  (WorkItemData and the JSON helpers are public here too)
    OVERDUE_SQL,
    WorkItemData,
    _json_ids,
    _json_texts,
    build_work_items,
    overdue_by_customer,
    write_work_items,
)

META_AS_OF = "state_as_of"
META_POLICY = "state_policy"
BLOCK_RULES = ("do_not_call", "dispute_hold", "complaint_hold", "promise_pending")


@dataclass
class RefreshStats:
    as_of: date
    full: bool
    loans: int = 0
    overdue_loans: int = 0
    work_items: int = 0
    callable: int = 0
    promises_changed: int = 0
    seconds: float = 0.0
    mode: str = ""  # full | roll (a full refresh carried forward from the stored day) | customers


# ---------------------------------------------------------------------------------------------------------
# connections, meta and audit on a raw sqlite3 connection


def _raw_of(conn) -> tuple[sqlite3.Connection, object | None]:
    """The sqlite3 connection behind a Session (flushed first) or the connection itself."""
    if isinstance(conn, sqlite3.Connection):
        return conn, None
    conn.flush()
    return conn.connection().connection.driver_connection, conn


def _expire(session) -> None:
    """Raw writes bypass the Session: drop its cached copies of the rows a refresh may change."""
    from collectui.storage.models import LoanState, Meta, Promise, WorkItem

    for obj in list(session.identity_map.values()):
        if isinstance(obj, (LoanState, WorkItem, Promise, Meta)):
            session.expire(obj)


def get_meta_raw(raw: sqlite3.Connection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta_raw(raw: sqlite3.Connection, key: str, value: str) -> None:
    raw.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value))


def audit_raw(raw: sqlite3.Connection, clock, actor: str, action: str, target_type: str | None,
              target_id: str | None, details: dict) -> None:
    """``audit.record`` for a raw connection: same hash chain, same meta head."""
    _audit.record_raw(raw, clock, actor, action, target_type, target_id, details)


def policy_fingerprint(policy) -> str:
    relevant = {"ranking": policy["ranking"], "promises": policy["promises"], "timezone": policy["timezone"]}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------------------
# the loan stream


def _stream_loans(raw, as_of: date, scope: str | None, write: bool, stats: RefreshStats,
                  loan_scope: str | None = None) -> str:
    """Compute every loan in scope into loan_state (when ``write``; rows of these loans are overwritten) or a
    TEMP table, and write the day's bucket_snapshot rows when ``write``. Returns the query of the overdue
    loans in scope, by borrower (for ``refresh_items.overdue_by_customer``)."""
    day = as_of.isoformat()
    if write:
        target = "loan_state"
    else:
        target = "temp._rf_state"
        raw.execute("CREATE TEMP TABLE IF NOT EXISTS _rf_state(loan_id TEXT PRIMARY KEY, customer_id TEXT, "
                    "as_of TEXT, dpd INTEGER, bucket TEXT, category TEXT, overdue_fen INTEGER, "
                    "outstanding_fen INTEGER, oldest_unpaid_due TEXT, next_due_date TEXT, next_due_fen INTEGER)")
        raw.execute("DELETE FROM temp._rf_state")
    stats.loans += stage_figures(raw, as_of, scope, target, loan_scope)
    _, sub = loan_filter(scope, loan_scope, "s.loan_id")
    if write:
        raw.execute("INSERT INTO bucket_snapshot(snap_date, loan_id, customer_id, bucket, dpd, outstanding_fen, "
                    "overdue_fen) SELECT ?, loan_id, customer_id, bucket, dpd, outstanding_fen, overdue_fen "
                    f"FROM loan_state s WHERE {sub} ON CONFLICT(snap_date, loan_id) DO UPDATE SET "
                    "customer_id = excluded.customer_id, bucket = excluded.bucket, dpd = excluded.dpd, "
                    "outstanding_fen = excluded.outstanding_fen, overdue_fen = excluded.overdue_fen", (day,))
    return OVERDUE_SQL.format(source=target, sub=sub)


# ---------------------------------------------------------------------------------------------------------
# public API


def refresh_in(conn, ctx, customer_ids: Iterable[str] | None = None, as_of: date | None = None,
               actor: str = "system") -> RefreshStats:
    """Refresh inside the caller's write transaction (a Session from ``db.write()`` or the sqlite3
    connection from ``db.raw_write()``). Becomes a full refresh when the stored state is for another day."""
    started = _time.perf_counter()
    raw, session = _raw_of(conn)
    day = as_of or ctx.clock.today()
    fingerprint = policy_fingerprint(ctx.policy)
    ids = None if customer_ids is None else list(dict.fromkeys(customer_ids))
    current = (get_meta_raw(raw, META_AS_OF) == day.isoformat()
               and get_meta_raw(raw, META_POLICY) == fingerprint)
    if not current and ids is not None:
        # The stored list is for another day: bring all of it to `day` first (cheaply when possible).
        if _can_roll(raw, day, fingerprint):
            rolled = _roll(raw, ctx, day, fingerprint, actor)
            if session is not None:
                _expire(session)
            if not ids:
                return rolled
        else:
            ids = None
    stats = RefreshStats(as_of=day, full=ids is None, mode="full" if ids is None else "customers")
    if ids is not None and not ids:
        return stats
    scope = _promises.customer_scope(raw, ids)
    promise_facts = _promises.load_in(raw, day, ctx.policy["promises.grace_days"], ctx.policy.tz, scope)
    changed = _promises.write_verdicts(raw, promise_facts, day)
    stats.promises_changed = len(changed)
    if scope:
        raw.execute(f"DELETE FROM loan_state WHERE customer_id IN (SELECT customer_id FROM {scope})")
    else:  # every loan's row is overwritten: only rows of loans that are gone must go
        raw.execute("DELETE FROM loan_state WHERE loan_id NOT IN (SELECT loan_id FROM loan)")
    overdue_sql = _stream_loans(raw, day, scope, True, stats)
    overdue = overdue_by_customer(raw.execute(overdue_sql), stats)
    write_work_items(raw, build_work_items(raw, ctx, day, overdue, promise_facts), scope, stats)
    if stats.full:
        set_meta_raw(raw, META_AS_OF, day.isoformat())
        set_meta_raw(raw, META_POLICY, fingerprint)
    if changed:
        counts = {s: sum(1 for f in changed if f.status == s) for s in _promises.JUDGED}
        audit_raw(raw, ctx.clock, actor, "promise.evaluate", "promise", None,
                  {"as_of": day.isoformat(), "changed": len(changed), **counts,
                   "ids": [f.id for f in changed][:50]})
    if stats.full:
        audit_raw(raw, ctx.clock, actor, "state.refresh", "work_list", None,
                  {"as_of": day.isoformat(), "loans": stats.loans, "work_items": stats.work_items})
    if session is not None:
        _expire(session)
    stats.seconds = _time.perf_counter() - started
    return stats


# ---------------------------------------------------------------------------------------------------------
# carrying a full refresh forward to a later day


def _can_roll(raw, day: date, fingerprint: str) -> bool:
    prev = get_meta_raw(raw, META_AS_OF)
    return bool(prev) and prev < day.isoformat() and get_meta_raw(raw, META_POLICY) == fingerprint


def _roll(raw, ctx, day: date, fingerprint: str, actor: str) -> RefreshStats:
    """The stored state (a full refresh as of day S) carried to ``day`` D > S; equal to a full refresh.

    From S to D a loan's figures change only if an instalment falls due in [S, D], a payment is dated in
    (S, D], or it was overdue (its DPD grows by D - S, nothing else moves). The first two kinds (and loans
    without a state row) are recomputed; the DPD of the others is shifted in SQL. Every work item is then
    rebuilt from loan_state (scores depend on the day) without reading a single instalment again.
    """
    started = _time.perf_counter()
    prev = date.fromisoformat(get_meta_raw(raw, META_AS_OF))
    d, s, shift = day.isoformat(), prev.isoformat(), (day - prev).days
    stats = RefreshStats(as_of=day, full=True, mode="roll")
    facts = _promises.load_in(raw, day, ctx.policy["promises.grace_days"], ctx.policy.tz, None)
    changed = _promises.write_verdicts(raw, facts, day)
    stats.promises_changed = len(changed)
    raw.execute("DELETE FROM loan_state WHERE loan_id NOT IN (SELECT loan_id FROM loan)")
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS _roll_loans(loan_id TEXT PRIMARY KEY)")
    raw.execute("DELETE FROM temp._roll_loans")
    raw.execute("INSERT OR IGNORE INTO temp._roll_loans SELECT loan_id FROM instalment "
                "WHERE due_date >= ? AND due_date <= ?", (s, d))
    raw.execute("INSERT OR IGNORE INTO temp._roll_loans SELECT loan_id FROM payment "
                "WHERE paid_on > ? AND paid_on <= ?", (s, d))
    raw.execute("INSERT OR IGNORE INTO temp._roll_loans SELECT loan_id FROM loan "
                "WHERE loan_id NOT IN (SELECT loan_id FROM loan_state)")
    new_dpd = f"(CASE WHEN dpd > 0 THEN dpd + {int(shift)} ELSE 0 END)"
    raw.execute(f"UPDATE loan_state SET as_of = ?, dpd = {new_dpd}, bucket = {_sql_bucket(new_dpd)}, "
                f"category = {_sql_category(new_dpd)}", (d,))
    recompute = RefreshStats(as_of=day, full=False)
    _stream_loans(raw, day, None, True, recompute, loan_scope="temp._roll_loans")
    raw.execute("DELETE FROM temp._roll_loans")
    raw.execute("INSERT OR REPLACE INTO bucket_snapshot(snap_date, loan_id, customer_id, bucket, dpd, "
                "outstanding_fen, overdue_fen) SELECT ?, loan_id, customer_id, bucket, dpd, outstanding_fen, "
                "overdue_fen FROM loan_state", (d,))
    stats.loans = raw.execute("SELECT COUNT(*) FROM loan_state").fetchone()[0]
    overdue = overdue_by_customer(raw.execute(OVERDUE_SQL.format(source="loan_state", sub="1")), stats)
    write_work_items(raw, build_work_items(raw, ctx, day, overdue, facts), None, stats)
    set_meta_raw(raw, META_AS_OF, d)
    set_meta_raw(raw, META_POLICY, fingerprint)
    if changed:
        counts = {st: sum(1 for f in changed if f.status == st) for st in _promises.JUDGED}
        audit_raw(raw, ctx.clock, actor, "promise.evaluate", "promise", None,
                  {"as_of": d, "changed": len(changed), **counts, "ids": [f.id for f in changed][:50]})
    audit_raw(raw, ctx.clock, actor, "state.refresh", "work_list", None,
              {"as_of": d, "from": s, "mode": "roll", "recomputed_loans": recompute.loans,
               "work_items": stats.work_items})
    stats.seconds = _time.perf_counter() - started
    return stats


def refresh(ctx, customer_ids: Iterable[str] | None = None, as_of: date | None = None,
            actor: str = "system") -> RefreshStats:
    """Refresh ``customer_ids`` (all when None) as of ``as_of`` (default today) in its own transaction."""
    with ctx.db.raw_write() as raw:
        return refresh_in(raw, ctx, customer_ids, as_of, actor)


def stored_as_of(ctx) -> date | None:
    with ctx.db.raw_read() as raw:
        value = get_meta_raw(raw, META_AS_OF)
    return date.fromisoformat(value) if value else None


def is_current(ctx) -> bool:
    with ctx.db.raw_read() as raw:
        return (get_meta_raw(raw, META_AS_OF) == ctx.clock.today().isoformat()
                and get_meta_raw(raw, META_POLICY) == policy_fingerprint(ctx.policy))


def ensure_current(ctx, actor: str = "system") -> RefreshStats | None:
    """Bring the stored state to today: nothing when current; a roll forward from an earlier day; else a
    full refresh (first use, a changed ranking/promise policy, or a clock set back)."""
    if is_current(ctx):
        return None
    with ctx.db.raw_write() as raw:
        day, fingerprint = ctx.clock.today(), policy_fingerprint(ctx.policy)
        if get_meta_raw(raw, META_AS_OF) == day.isoformat() and get_meta_raw(raw, META_POLICY) == fingerprint:
            return None  # another process refreshed while we waited for the lock
        if _can_roll(raw, day, fingerprint):
            return _roll(raw, ctx, day, fingerprint, actor)
        return refresh_in(raw, ctx, None, None, actor)


def compute_work_items(ctx, as_of: date) -> list[WorkItemData]:
    """The whole work list as of ``as_of``, computed in memory; writes nothing (TEMP tables only).

    Costs a full refresh's computation (no writes): seconds at 100,000 borrowers.
    """
    with ctx.db.raw_read() as raw:  # TEMP tables only; everything is rolled back at the end
        facts = _promises.load_in(raw, as_of, ctx.policy["promises.grace_days"], ctx.policy.tz, None)
        stats = RefreshStats(as_of=as_of, full=True)
        overdue = overdue_by_customer(raw.execute(_stream_loans(raw, as_of, None, False, stats)), stats)
        items = list(build_work_items(raw, ctx, as_of, overdue, facts))
    items.sort(key=lambda w: w.sort_key)
    return items
