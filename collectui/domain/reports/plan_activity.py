"""Payment plans in ``report activity``: plans made, and their instalments kept, by count and by amount.

plans made       = plans proposed in the window that took effect (active at once or approved; a rejected
                   plan, or one cancelled before approval, was never made), with their total amount; the
                   collector is the proposer, the week the proposal's
plan instalments = instalments dated in the window of plans that took effect by the end of --to (cancelled
                   plans left out, as other statuses are for promises), judged as of the end of --to like
                   the promises: with the borrower's payments (any loan) from the plan's day up to --to
                   filling the instalments in order (``portfolio.plans``), an instalment is pending while
                   its date + grace is after --to, else kept, partial or broken; the week is its date's
instalment kept rate = kept / fell due, by count and by amount (kept amount / amount that fell due)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from collectui.domain.portfolio.plans import InstalmentVerdict, PlanVerdict, judge_instalments
from collectui.domain.reports.common import Window
from collectui.storage.raw import RawConnection

# (collector id, ISO week, count, total fen) of the plans made in the window.
Made = list[tuple[int | None, str, int, int]]
# (collector id, ISO week of the instalment's date, status as of the end of --to, amount fen).
Due = list[tuple[int | None, str, str, int]]


def plans_made(conn: RawConnection, w: Window, join: str, extra: str, args: list[Any]) -> Made:
    coll = " AND x.proposed_by = ?" if w.collector_id is not None else ""
    rows = conn.execute(
        f"SELECT x.proposed_by, local_week(x.proposed_at), COUNT(*), SUM(x.total_fen) FROM payment_plan x{join} "
        "WHERE x.proposed_at >= ? AND x.proposed_at < ? AND x.approved_at IS NOT NULL AND x.status != 'rejected'"
        f"{extra}{coll} GROUP BY 1, 2",
        [w.start_utc, w.end_utc, *args, *([w.collector_id] if w.collector_id is not None else [])],
    ).fetchall()
    return [(uid, str(week), n, total or 0) for uid, week, n, total in rows]


def instalments_due(conn: RawConnection, w: Window, grace_days: int, join: str, extra: str, args: list[Any]) -> Due:
    coll = " AND x.proposed_by = ?" if w.collector_id is not None else ""
    cargs = [w.end_utc, *args, *([w.collector_id] if w.collector_id is not None else [])]
    plans: dict[int, tuple[PlanVerdict, int | None]] = {}
    for pid, uid, cid, proposed_at in conn.execute(
        f"SELECT x.id, x.proposed_by, x.customer_id, x.proposed_at FROM payment_plan x{join} "
        "WHERE x.status IN ('active','completed','broken') AND x.approved_at < ? "
        f"AND EXISTS (SELECT 1 FROM plan_instalment i WHERE i.plan_id = x.id AND i.due_date >= ? AND i.due_date <= ?)"
        f"{extra}{coll}",
        [cargs[0], w.date_from.isoformat(), w.date_to.isoformat(), *cargs[1:]],
    ):
        start = datetime.fromisoformat(str(proposed_at)).astimezone(w.tz).date()
        plans[pid] = (PlanVerdict(pid, cid, start, "active", "active"), uid)
    if not plans:
        return []
    ids = list(plans)
    marks = ",".join("?" * len(ids))
    weeks: dict[tuple[int, int], str] = {}
    for pid, seq, due, amount, week in conn.execute(
        "SELECT plan_id, seq, due_date, amount_fen, date_week(due_date) FROM plan_instalment "
        f"WHERE plan_id IN ({marks}) ORDER BY plan_id, seq",
        ids,
    ):
        plans[pid][0].instalments.append(
            InstalmentVerdict(seq, date.fromisoformat(due), amount, "open", 0, ("", 0, None))
        )
        weeks[(pid, seq)] = str(week)
    paid: dict[str, list[tuple[date, int]]] = defaultdict(list)
    customers = sorted({p.customer_id for p, _ in plans.values()})
    cmarks = ",".join("?" * len(customers))
    for cid, paid_on, amount in conn.execute(
        "SELECT l.customer_id, pay.paid_on, SUM(pay.amount_fen) FROM payment pay JOIN loan l ON l.loan_id = pay.loan_id "
        f"WHERE pay.paid_on <= ? AND l.customer_id IN ({cmarks}) GROUP BY 1, 2 ORDER BY 1, 2",
        [w.date_to.isoformat(), *customers],
    ):
        paid[cid].append((date.fromisoformat(str(paid_on)), amount or 0))
    day_after = w.date_to + timedelta(days=1)
    out: Due = []
    for plan, uid in plans.values():
        payments = [(d, a) for d, a in paid.get(plan.customer_id, ()) if d >= plan.start]
        judge_instalments(plan, payments, grace_days, day_after)
        for inst in plan.instalments:
            if w.date_from <= inst.due_date <= w.date_to:
                out.append((uid, weeks[(plan.id, inst.seq)], inst.status, inst.amount_fen))
    return out
