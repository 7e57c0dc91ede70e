"""Keeps the derived overdue figures current: ``loan_state``, ``work_item``, promise verdicts, snapshots.

A refresh, as of day D (default: today):
1. judges the promises (``domain.promises``);
2. computes every loan's ``overdue.compute`` figures into ``loan_state`` (``refresh_figures``: one SQL
   aggregate + INSERT ... SELECT for loans without payments, the Python payment waterfall streamed in
   loan_id order for the others, so memory does not grow with the book), upserts the day's
   ``bucket_snapshot`` rows from it and reads the overdue loans back per borrower;
3. aggregates each overdue borrower (any loan not closed with DPD >= 1) into one ``work_item`` with its
   score (``domain.ranking``), reasons and the first contact block that applies, and deletes the work
   items of borrowers no longer overdue.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from collectui.domain import audit_chain as _audit
from collectui.domain import promises as _promises
from collectui.domain.overdue import bucket_for, category_for
from collectui.domain.refresh_figures import iter_loan_figures, loan_figures  # noqa: F401 (public here too)
from collectui.domain.refresh_figures import loan_filter, stage_figures
from collectui.domain.refresh_figures import sql_bucket as _sql_bucket
from collectui.domain.refresh_figures import sql_category as _sql_category
from collectui.domain.ranking import RankInput, score, sort_key, weights_from_policy

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


@dataclass(slots=True)
class WorkItemData:
    customer_id: str
    as_of: date
    branch_id: int
    collector_id: int | None
    max_dpd: int
    bucket: str
    category: str
    overdue_fen: int
    outstanding_fen: int
    loan_ids: list[str]
    broken_promises: int
    last_contact_at: str | None  # stored UTC text of the last logged call
    promise: dict | None  # {id, amount_fen, date, status, paid_fen}
    score: int
    reasons: list[str]
    callable: bool
    blocked_reason: str | None
    sort_key: str


@dataclass(slots=True)
class _Agg:
    """A borrower's overdue loans so far (loan_id order)."""

    max_dpd: int = 0
    worst_overdue: int = -1
    collector_id: int | None = None
    overdue_fen: int = 0
    outstanding_fen: int = 0
    loan_ids: list[str] = field(default_factory=list)


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
    loans in scope, by borrower (for ``_overdue_by_customer``)."""
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
    return _OVERDUE_SQL.format(source=target, sub=sub)


# The overdue loans (not closed, DPD >= 1) of a loan_state-shaped table, by borrower then loan.
_OVERDUE_SQL = ("SELECT s.customer_id, s.loan_id, l.collector_id, s.dpd, s.overdue_fen, s.outstanding_fen "
                "FROM {source} s JOIN loan l ON l.loan_id = s.loan_id WHERE s.dpd >= 1 AND l.status != 'closed' "
                "AND {sub} ORDER BY s.customer_id, s.loan_id")


def _overdue_by_customer(rows: Iterable[tuple], stats: RefreshStats) -> Iterator[tuple[str, _Agg]]:
    """(customer_id, aggregate) per borrower, from ``_OVERDUE_SQL`` rows: one borrower in memory at a time."""
    current: str | None = None
    agg: _Agg | None = None
    for cid, loan_id, collector_id, dpd, over, outst in rows:
        stats.overdue_loans += 1
        if cid != current:
            if agg is not None:
                yield current, agg
            current, agg = cid, _Agg()
        if dpd > agg.max_dpd or (dpd == agg.max_dpd and over > agg.worst_overdue):
            agg.max_dpd, agg.worst_overdue, agg.collector_id = dpd, over, collector_id
        agg.overdue_fen += over
        agg.outstanding_fen += outst
        agg.loan_ids.append(loan_id)
    if agg is not None:
        yield current, agg


# ---------------------------------------------------------------------------------------------------------
# work items


def _build_work_items(raw, ctx, as_of: date, overdue: Iterable[tuple[str, _Agg]],
                      promises: dict[str, list[_promises.PromiseFact]]) -> Iterator[WorkItemData]:
    """The work items of the borrowers ``overdue`` yields, in that order, ``_ITEM_CHUNK`` borrowers at a
    time: memory stays flat whatever the size of the book."""
    overdue = iter(overdue)
    while chunk := dict(islice(overdue, _ITEM_CHUNK)):
        yield from _work_items_of(raw, ctx, as_of, chunk, promises)


_ITEM_CHUNK = 5000


def _work_items_of(raw, ctx, as_of: date, overdue: dict[str, _Agg],
                   promises: dict[str, list[_promises.PromiseFact]]) -> list[WorkItemData]:
    tz = ctx.policy.tz
    end = _promises.day_end_utc(as_of, tz)
    weights = weights_from_policy(ctx.policy)
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS _over_cust(customer_id TEXT PRIMARY KEY)")
    raw.execute("DELETE FROM temp._over_cust")
    raw.executemany("INSERT INTO temp._over_cust VALUES (?)", ((c,) for c in overdue))
    over = "SELECT customer_id FROM temp._over_cust"
    customers = {cid: (branch, bool(dnc)) for cid, branch, dnc in raw.execute(
        f"SELECT customer_id, branch_id, do_not_call FROM customer WHERE customer_id IN ({over})")}
    disputes = {r[0] for r in raw.execute(
        f"SELECT DISTINCT customer_id FROM dispute WHERE customer_id IN ({over}) AND opened_at < ? "
        "AND (status = 'open' OR resolved_at >= ?)", (end, end))}
    holds = {r[0] for r in raw.execute(
        f"SELECT DISTINCT customer_id FROM complaint WHERE customer_id IN ({over}) AND opened_at < ? "
        "AND (hold_active = 1 OR hold_cleared_at >= ?)", (end, end))}
    contacts = {cid: (last, last_rpc) for cid, last, last_rpc in raw.execute(
        "SELECT customer_id, MAX(started_at), MAX(CASE WHEN right_party THEN started_at END) FROM call_attempt "
        f"WHERE customer_id IN ({over}) AND status = 'logged' AND started_at < ? GROUP BY customer_id", (end,))}
    raw.execute("DELETE FROM temp._over_cust")
    lookback = as_of - timedelta(days=weights.broken_promise_lookback_days)
    items: list[WorkItemData] = []
    for cid, agg in overdue.items():
        if cid not in customers:
            continue  # a loan without its customer row: nothing to call
        branch_id, dnc = customers[cid]
        facts = promises.get(cid, ())
        broken = sum(1 for p in facts if p.status == "broken" and p.due_date >= lookback)
        open_ = [p for p in facts if p.status == "open"]
        shown = max(open_ or facts, key=lambda p: (p.made_on, p.due_date, p.id), default=None)
        last, last_rpc = contacts.get(cid, (None, None))
        days = None
        if last_rpc:
            days = (as_of - datetime.fromisoformat(last_rpc).astimezone(tz).date()).days
        sc = score(RankInput(agg.max_dpd, agg.overdue_fen, broken, days), weights)
        blocked = None
        if dnc:
            blocked = "do_not_call"
        elif cid in disputes:
            blocked = "dispute_hold"
        elif cid in holds:
            blocked = "complaint_hold"
        elif any(as_of <= p.due_date for p in open_):
            blocked = "promise_pending"
        promise = None
        if shown is not None:
            promise = {"id": shown.id, "amount_fen": shown.amount_fen, "date": shown.due_date.isoformat(),
                       "status": shown.status, "paid_fen": shown.paid_fen}
        items.append(WorkItemData(
            cid, as_of, branch_id, agg.collector_id, agg.max_dpd, bucket_for(agg.max_dpd),
            category_for(agg.max_dpd), agg.overdue_fen, agg.outstanding_fen, agg.loan_ids, broken, last,
            promise, sc.hundredths, sc.reasons, blocked is None, blocked,
            sort_key(sc.hundredths, agg.max_dpd, agg.overdue_fen, broken, cid)))
    return items


def _json_ids(ids: list[str]) -> str:
    plain = "".join(ids)
    if plain.isascii() and plain.isprintable() and '"' not in plain and "\\" not in plain:
        return '["' + '","'.join(ids) + '"]' if ids else "[]"  # what json.dumps writes, 5x faster
    return json.dumps(ids)


def _json_texts(texts: list[str]) -> str:
    joined = "".join(texts)
    if joined.isprintable() and '"' not in joined and "\\" not in joined:
        return '["' + '", "'.join(texts) + '"]' if texts else "[]"  # json.dumps(ensure_ascii=False), faster
    return json.dumps(texts, ensure_ascii=False)


def _write_work_items(raw, items: Iterable[WorkItemData], scope: str | None, stats: RefreshStats) -> None:
    """Replace the work items in scope by ``items`` (any order: the list is read by ``sort_key``)."""
    if scope:
        raw.execute(f"DELETE FROM work_item WHERE customer_id IN (SELECT customer_id FROM {scope})")
    else:
        raw.execute("DELETE FROM work_item")
    sql = ("INSERT INTO work_item(customer_id, as_of, branch_id, collector_id, max_dpd, bucket, category, "
           "overdue_fen, outstanding_fen, loan_ids, broken_promises, last_contact_at, promise_id, score, reasons, "
           "callable, blocked_reason, sort_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    items = iter(items)
    while batch := list(islice(items, _ITEM_CHUNK)):
        stats.work_items += len(batch)
        stats.callable += sum(1 for w in batch if w.callable)
        raw.executemany(sql, [
            (w.customer_id, w.as_of.isoformat(), w.branch_id, w.collector_id, w.max_dpd, w.bucket, w.category,
             w.overdue_fen, w.outstanding_fen, _json_ids(w.loan_ids), w.broken_promises, w.last_contact_at,
             w.promise["id"] if w.promise else None, w.score, _json_texts(w.reasons),
             int(w.callable), w.blocked_reason, w.sort_key) for w in batch])


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
    overdue = _overdue_by_customer(raw.execute(overdue_sql), stats)
    _write_work_items(raw, _build_work_items(raw, ctx, day, overdue, promise_facts), scope, stats)
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
    overdue = _overdue_by_customer(raw.execute(_OVERDUE_SQL.format(source="loan_state", sub="1")), stats)
    _write_work_items(raw, _build_work_items(raw, ctx, day, overdue, facts), None, stats)
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
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        value = get_meta_raw(raw, META_AS_OF)
    return date.fromisoformat(value) if value else None


def is_current(ctx) -> bool:
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
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
    conn = ctx.db.engine.raw_connection()
    try:
        raw = conn.driver_connection
        raw.execute("BEGIN")
        try:
            facts = _promises.load_in(raw, as_of, ctx.policy["promises.grace_days"], ctx.policy.tz, None)
            stats = RefreshStats(as_of=as_of, full=True)
            overdue = _overdue_by_customer(raw.execute(_stream_loans(raw, as_of, None, False, stats)), stats)
            items = list(_build_work_items(raw, ctx, as_of, overdue, facts))
            items.sort(key=lambda w: w.sort_key)
            return items
        finally:
            raw.execute("ROLLBACK")
    finally:
        conn.close()
