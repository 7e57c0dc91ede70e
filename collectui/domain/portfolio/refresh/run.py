"""Keeps the derived overdue figures current: ``loan_state``, ``work_item``, promise verdicts, snapshots.

A refresh, as of day D (default: today):
1. judges the promises (``portfolio.promises``);
2. computes every loan's ``overdue.compute`` figures into ``loan_state`` (``figures``: one SQL
   aggregate + INSERT ... SELECT for loans without payments, the Python payment waterfall streamed in
   loan_id order for the others, so memory does not grow with the book), upserts the day's
   ``bucket_snapshot`` rows from it and reads the overdue loans back per borrower;
3. aggregates each overdue borrower (any loan not closed with DPD >= 1) into one ``work_item`` with its
   score (``portfolio.ranking``), reasons and the first contact block that applies, one borrower at a time
   and written 5,000 at a time (``items``), and deletes the work items of borrowers no longer
   overdue.

``refresh(ctx, customer_ids)`` touches only those customers (milliseconds for a handful). When the stored
state (meta ``state_as_of``) is for an earlier day, it is first carried forward to the new day (``roll``:
same result as a full refresh, without re-reading every schedule); for a later day or another ranking
policy a full refresh runs instead. So the list never mixes two days. ``compute_work_items`` does the
same computation without writing, for "as of another day" views.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.portfolio import plans as _plans
from collectui.domain.portfolio import promises as _promises
from collectui.domain.portfolio.refresh.items import (
    WorkItemData,
    build_work_items,
    overdue_by_customer,
    write_work_items,
)
from collectui.domain.portfolio.refresh.loans import stream_loans
from collectui.domain.portfolio.refresh.roll import can_roll, roll
from collectui.domain.portfolio.refresh.stats import META_AS_OF, META_POLICY, RefreshStats, policy_fingerprint
from collectui.storage.raw import RawConnection, SessionOrRaw, get_meta_raw, raw_of, set_meta_raw
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:
    from sqlmodel import Session


def _expire(session: Session) -> None:
    """Raw writes bypass the Session: drop its cached copies of the rows a refresh may change."""
    from collectui.storage.models import LoanState, Meta, Promise, WorkItem

    for obj in list(session.identity_map.values()):
        if isinstance(obj, (LoanState, WorkItem, Promise, Meta)):
            session.expire(obj)


def refresh_in(
    conn: SessionOrRaw,
    ctx: Ctx,
    customer_ids: Iterable[str] | None = None,
    as_of: date | None = None,
    actor: str = "system",
) -> RefreshStats:
    """Refresh inside the caller's write transaction (a Session from ``db.write()`` or the sqlite3
    connection from ``db.raw_write()``). Becomes a full refresh when the stored state is for another day."""
    started = _time.perf_counter()
    raw, session = raw_of(conn)
    day = as_of or ctx.clock.today()
    fingerprint = policy_fingerprint(ctx.policy)
    ids = None if customer_ids is None else list(dict.fromkeys(customer_ids))
    current = get_meta_raw(raw, META_AS_OF) == day.isoformat() and get_meta_raw(raw, META_POLICY) == fingerprint
    if not current and ids is not None:
        # The stored list is for another day: bring all of it to `day` first (cheaply when possible).
        if can_roll(raw, day, fingerprint):
            rolled = roll(raw, ctx, day, fingerprint, actor)
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
    _plans.judge_plans_in(raw, ctx, day, scope, actor)  # payment plans: the same grace, the same day
    if scope:
        raw.execute(f"DELETE FROM loan_state WHERE customer_id IN (SELECT customer_id FROM {scope})")
    else:  # every loan's row is overwritten: only rows of loans that are gone must go
        raw.execute("DELETE FROM loan_state WHERE loan_id NOT IN (SELECT loan_id FROM loan)")
    overdue_sql = stream_loans(raw, day, scope, True, stats)
    overdue = overdue_by_customer(raw.execute(overdue_sql), stats)
    write_work_items(raw, build_work_items(raw, ctx, day, overdue, promise_facts), scope, stats)
    if stats.full:
        set_meta_raw(raw, META_AS_OF, day.isoformat())
        set_meta_raw(raw, META_POLICY, fingerprint)
    _promises.audit_verdicts(raw, ctx.clock, actor, day.isoformat(), changed)
    if stats.full:
        record_raw(
            raw,
            ctx.clock,
            actor,
            "state.refresh",
            "work_list",
            None,
            {"as_of": day.isoformat(), "loans": stats.loans, "work_items": stats.work_items},
        )
    if session is not None:
        _expire(session)
    stats.seconds = _time.perf_counter() - started
    return stats


def refresh(
    ctx: Ctx, customer_ids: Iterable[str] | None = None, as_of: date | None = None, actor: str = "system"
) -> RefreshStats:
    """Refresh ``customer_ids`` (all when None) as of ``as_of`` (default today) in its own transaction."""
    with ctx.db.raw_write() as raw:
        return refresh_in(raw, ctx, customer_ids, as_of, actor)


def stored_as_of(ctx: Ctx) -> date | None:
    with ctx.db.raw_read() as raw:
        value = get_meta_raw(raw, META_AS_OF)
    return date.fromisoformat(value) if value else None


def is_current(ctx: Ctx) -> bool:
    with ctx.db.raw_read() as raw:
        return get_meta_raw(raw, META_AS_OF) == ctx.clock.today().isoformat() and get_meta_raw(
            raw, META_POLICY
        ) == policy_fingerprint(ctx.policy)


def _due_for_recheck(raw: RawConnection, ctx: Ctx) -> list[str]:
    now = utc_text(ctx.clock.now())
    return [r[0] for r in raw.execute("SELECT customer_id FROM work_item WHERE recheck_at <= ?", (now,))]


def recheck_due(ctx: Ctx, actor: str = "system") -> int:
    """Judge again the borrowers whose block may have lifted by now (``work_item.recheck_at``: a reminder's
    lead time passed, a promise's date passed): the list calls callable exactly whom the gate would allow.
    An index lookup when nothing is due; returns how many were judged again."""
    with ctx.db.raw_read() as raw:
        if not _due_for_recheck(raw, ctx):
            return 0
    with ctx.db.raw_write() as raw:
        due = _due_for_recheck(raw, ctx)
        if due:
            refresh_in(raw, ctx, due, actor=actor)
        return len(due)


def ensure_current(ctx: Ctx, actor: str = "system") -> RefreshStats | None:
    """Bring the stored state to today: nothing when current; a roll forward from an earlier day; else a
    full refresh (first use, a changed ranking/promise policy, or a clock set back). Then the rows whose
    block may have lifted by now are judged again (``recheck_due``)."""
    stats = _bring_to_today(ctx, actor)
    if not ctx.db.read_only:  # a read-only reader sees the stored verdicts
        recheck_due(ctx, actor)
    return stats


def _bring_to_today(ctx: Ctx, actor: str) -> RefreshStats | None:
    if is_current(ctx):
        return None
    with ctx.db.raw_write() as raw:
        day, fingerprint = ctx.clock.today(), policy_fingerprint(ctx.policy)
        if get_meta_raw(raw, META_AS_OF) == day.isoformat() and get_meta_raw(raw, META_POLICY) == fingerprint:
            return None  # another process refreshed while we waited for the lock
        if can_roll(raw, day, fingerprint):
            return roll(raw, ctx, day, fingerprint, actor)
        return refresh_in(raw, ctx, None, None, actor)


def compute_work_items(ctx: Ctx, as_of: date) -> list[WorkItemData]:
    """The whole work list as of ``as_of``, computed in memory; writes nothing (TEMP tables only).

    Costs a full refresh's computation (no writes): seconds at 100,000 borrowers.
    """
    with ctx.db.raw_read() as raw:  # TEMP tables only; everything is rolled back at the end
        facts = _promises.load_in(raw, as_of, ctx.policy["promises.grace_days"], ctx.policy.tz, None)
        stats = RefreshStats(as_of=as_of, full=True)
        overdue = overdue_by_customer(raw.execute(stream_loans(raw, as_of, None, False, stats)), stats)
        items = list(build_work_items(raw, ctx, as_of, overdue, facts))
    items.sort(key=lambda w: w.sort_key)
    return items
