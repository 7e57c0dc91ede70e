"""Carrying a full refresh forward to a later day without re-reading every schedule."""

from __future__ import annotations

import time as _time
from datetime import date

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.portfolio import plans as _plans
from collectui.domain.portfolio import promises as _promises
from collectui.domain.portfolio.refresh.figures import sql_bucket, sql_category
from collectui.domain.portfolio.refresh.items import (
    OVERDUE_SQL,
    build_work_items,
    overdue_by_customer,
    write_work_items,
)
from collectui.domain.portfolio.refresh.loans import stream_loans
from collectui.domain.portfolio.refresh.stats import META_AS_OF, META_POLICY, RefreshStats
from collectui.storage.bulk import planned, scratch_table
from collectui.storage.raw import RawConnection, dialect_of, get_meta_raw, set_meta_raw


def can_roll(raw: RawConnection, day: date, fingerprint: str) -> bool:
    prev = get_meta_raw(raw, META_AS_OF)
    if not prev:
        return False
    return prev < day.isoformat() and get_meta_raw(raw, META_POLICY) == fingerprint


def roll(raw: RawConnection, ctx: Ctx, day: date, fingerprint: str, actor: str) -> RefreshStats:
    """The stored state (a full refresh as of day S) carried to ``day`` D > S; equal to a full refresh.

    From S to D a loan's figures change only if an instalment falls due in [S, D], a payment is dated in
    (S, D], or it was overdue (its DPD grows by D - S, nothing else moves). The first two kinds (and loans
    without a state row) are recomputed; the DPD of the others is shifted in SQL. Every work item is then
    rebuilt from loan_state (scores depend on the day) without reading a single instalment again.
    """
    started = _time.perf_counter()
    stored = get_meta_raw(raw, META_AS_OF)
    assert stored is not None, "roll carries a stored state forward (see can_roll)"
    prev = date.fromisoformat(stored)
    d, s, shift = day.isoformat(), prev.isoformat(), (day - prev).days
    stats = RefreshStats(as_of=day, full=True, mode="roll")
    facts = _promises.load_in(raw, day, ctx.policy["promises.grace_days"], ctx.policy.tz, None)
    changed = _promises.write_verdicts(raw, facts, day)
    stats.promises_changed = len(changed)
    _plans.judge_plans_in(raw, ctx, day, None, actor)  # payment plans: the same grace, the same day
    raw.execute("DELETE FROM loan_state WHERE loan_id NOT IN (SELECT loan_id FROM loan)")
    dialect = dialect_of(raw)
    loans = scratch_table(raw, "_roll_loans", "loan_id TEXT PRIMARY KEY")
    raw.execute(
        dialect.insert_ignore(loans, "SELECT loan_id FROM instalment WHERE due_date >= ? AND due_date <= ?"), (s, d)
    )
    raw.execute(dialect.insert_ignore(loans, "SELECT loan_id FROM payment WHERE paid_on > ? AND paid_on <= ?"), (s, d))
    raw.execute(
        dialect.insert_ignore(loans, "SELECT loan_id FROM loan WHERE loan_id NOT IN (SELECT loan_id FROM loan_state)")
    )
    planned(raw, loans)
    new_dpd = f"(CASE WHEN dpd > 0 THEN dpd + {int(shift)} ELSE 0 END)"
    raw.execute(
        f"UPDATE loan_state SET as_of = ?, dpd = {new_dpd}, bucket = {sql_bucket(new_dpd)}, "
        f"category = {sql_category(new_dpd)}",
        (d,),
    )
    recompute = RefreshStats(as_of=day, full=False)
    stream_loans(raw, day, None, True, recompute, loan_scope=loans)
    raw.execute(f"DELETE FROM {loans}")
    # Every column is set: the same rows as replacing them. (The WHERE lets the upsert parse.)
    raw.execute(
        "INSERT INTO bucket_snapshot(snap_date, loan_id, customer_id, bucket, dpd, outstanding_fen, overdue_fen) "
        "SELECT ?, loan_id, customer_id, bucket, dpd, outstanding_fen, overdue_fen FROM loan_state WHERE 1 = 1 "
        "ON CONFLICT(snap_date, loan_id) DO UPDATE SET customer_id = excluded.customer_id, "
        "bucket = excluded.bucket, dpd = excluded.dpd, outstanding_fen = excluded.outstanding_fen, "
        "overdue_fen = excluded.overdue_fen",
        (d,),
    )
    stats.loans = raw.execute("SELECT COUNT(*) FROM loan_state").fetchone()[0]
    overdue = overdue_by_customer(raw.execute(OVERDUE_SQL.format(source="loan_state", sub="1 = 1")), stats)
    write_work_items(raw, build_work_items(raw, ctx, day, overdue, facts), None, stats)
    set_meta_raw(raw, META_AS_OF, d)
    set_meta_raw(raw, META_POLICY, fingerprint)
    _promises.audit_verdicts(raw, ctx.clock, actor, d, changed)
    record_raw(
        raw,
        ctx.clock,
        actor,
        "state.refresh",
        "work_list",
        None,
        {"as_of": d, "from": s, "mode": "roll", "recomputed_loans": recompute.loans, "work_items": stats.work_items},
    )
    stats.seconds = _time.perf_counter() - started
    return stats
