"""Payment plans: each instalment judged kept / partial / broken from the imported payments, in the refresh.

The refresh judges plans next to promises (``promises``), with the same grace (``promises.grace_days``):
an instalment due on day X is judged once X + grace has passed as of D. Payments on ANY of the borrower's
loans count from the plan's day (local date it was proposed: money paid while a supervisor decides still
counts) and they fill the instalments in order, so paying ahead carries over to the next instalment:
instalment k has paid ``clamp(paid by min(X_k + grace, D) - (amounts of instalments 1..k-1), 0, amount_k)``.

A plan that took effect (status active, completed or broken) is re-judged from scratch on every refresh, a
pure function of D like the promises: a late-imported payment can mend a broken plan. Its status follows
its instalments: broken as soon as one instalment is partial or broken (the borrower is open to calls
again and the broken instalments count in the ranking like broken promises), completed when every
instalment is kept, active otherwise. Proposed, rejected and cancelled plans are left alone.

This module lives in ``portfolio`` (not ``cases``, which holds proposing and deciding plans) because the
refresh runs it: ``cases`` builds on ``portfolio``, never the reverse.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.portfolio.promises import day_end_utc, judge
from collectui.storage.raw import RawConnection

TOOK_EFFECT = ("active", "completed", "broken")
NOT_MET = ("partial", "broken")


@dataclass(slots=True)
class InstalmentVerdict:
    seq: int
    due_date: date
    amount_fen: int
    status: str
    paid_fen: int
    stored: tuple[str, int, str | None]  # status, paid_fen, evaluated_on as stored


@dataclass(slots=True)
class PlanVerdict:
    id: int
    customer_id: str
    start: date
    status: str
    stored_status: str
    instalments: list[InstalmentVerdict] = field(default_factory=list)


def plan_status(instalment_statuses: list[str]) -> str:
    """broken when one instalment is not met, completed when all are kept, else active."""
    if any(s in NOT_MET for s in instalment_statuses):
        return "broken"
    if instalment_statuses and all(s == "kept" for s in instalment_statuses):
        return "completed"
    return "active"


def judge_instalments(plan: PlanVerdict, payments: list[tuple[date, int]], grace_days: int, as_of: date) -> None:
    """Fill each instalment's status and paid amount from ``payments`` (day, fen) sorted by day."""
    days = [d for d, _ in payments]
    running = list(accumulate(a for _, a in payments))
    prior = 0
    for inst in plan.instalments:
        end = min(inst.due_date + timedelta(days=grace_days), as_of)
        n = bisect_right(days, end)  # payments on or before the instalment's window end
        paid_by_end = running[n - 1] if n else 0
        inst.paid_fen = max(0, min(paid_by_end - prior, inst.amount_fen))
        inst.status = judge(inst.amount_fen, inst.paid_fen, inst.due_date, grace_days, as_of)
        prior += inst.amount_fen
    plan.status = plan_status([i.status for i in plan.instalments])


def load_plans(raw: RawConnection, ctx: Ctx, as_of: date, scope: str | None) -> list[PlanVerdict]:
    """Every plan that took effect by the end of ``as_of`` (of the customers in ``scope``), judged as of it."""
    tz = ctx.policy.tz
    grace = int(ctx.policy["promises.grace_days"])
    where = "p.status IN ('active','completed','broken') AND p.approved_at < ?"
    if scope:
        where += f" AND p.customer_id IN (SELECT customer_id FROM {scope})"
    params = (day_end_utc(as_of, tz),)
    plans: dict[int, PlanVerdict] = {}
    for pid, cid, proposed_at, status in raw.execute(
        f"SELECT p.id, p.customer_id, p.proposed_at, p.status FROM payment_plan p WHERE {where} ORDER BY p.id", params
    ):
        start = datetime.fromisoformat(proposed_at).astimezone(tz).date()
        plans[pid] = PlanVerdict(pid, cid, start, status, status)
    if not plans:
        return []
    for pid, seq, due, amount, status, paid, evaluated in raw.execute(
        "SELECT i.plan_id, i.seq, i.due_date, i.amount_fen, i.status, i.paid_fen, i.evaluated_on "
        f"FROM plan_instalment i JOIN payment_plan p ON p.id = i.plan_id WHERE {where} ORDER BY i.plan_id, i.seq",
        params,
    ):
        plans[pid].instalments.append(
            InstalmentVerdict(seq, date.fromisoformat(due), amount, "open", 0, (status, paid or 0, evaluated))
        )
    payments: dict[int, list[tuple[date, int]]] = {pid: [] for pid in plans}
    for pid, paid_on, amount in raw.execute(
        "SELECT p.id, pay.paid_on, pay.amount_fen FROM payment_plan p "
        "JOIN loan l ON l.customer_id = p.customer_id JOIN payment pay ON pay.loan_id = l.loan_id "
        f"WHERE {where} AND pay.paid_on <= ? ORDER BY p.id, pay.paid_on",
        (*params, as_of.isoformat()),
    ):
        day = date.fromisoformat(paid_on)
        if day >= plans[pid].start:
            payments[pid].append((day, amount))
    for pid, plan in plans.items():
        judge_instalments(plan, payments[pid], grace, as_of)
    return list(plans.values())


def write_plan_verdicts(raw: RawConnection, plans: list[PlanVerdict], as_of: date) -> list[PlanVerdict]:
    """Store the instalments' and plans' statuses where they changed; returns the plans that changed."""
    changed: list[PlanVerdict] = []
    rows = []
    for plan in plans:
        moved = plan.status != plan.stored_status
        for inst in plan.instalments:
            status, paid, evaluated = inst.stored
            if (inst.status, inst.paid_fen) != (status, paid) or (inst.status == "open") != (evaluated is None):
                moved = True
                judged_on = None if inst.status == "open" else as_of.isoformat()
                rows.append((inst.status, inst.paid_fen, judged_on, plan.id, inst.seq))
        if moved:
            changed.append(plan)
    raw.executemany(
        "UPDATE plan_instalment SET status = ?, paid_fen = ?, evaluated_on = ? WHERE plan_id = ? AND seq = ?", rows
    )
    raw.executemany(
        "UPDATE payment_plan SET status = ? WHERE id = ?",
        [(p.status, p.id) for p in changed if p.status != p.stored_status],
    )
    return changed


def judge_plans_in(raw: RawConnection, ctx: Ctx, as_of: date, scope: str | None, actor: str = "system") -> int:
    """Judge the plans (of the customers in the scratch table ``scope``; every plan when None) inside the
    refresh's transaction; one ``plan.evaluate`` audit event when something changed. Returns that count."""
    changed = write_plan_verdicts(raw, load_plans(raw, ctx, as_of, scope), as_of)
    if changed:
        counts = {st: sum(1 for p in changed if p.status == st) for st in TOOK_EFFECT}
        details = {"as_of": as_of.isoformat(), "changed": len(changed), **counts, "ids": [p.id for p in changed][:50]}
        record_raw(raw, ctx.clock, actor, "plan.evaluate", "plan", None, details)
    return len(changed)


def broken_instalments(raw: RawConnection, customers_sql: str, since: date) -> dict[str, int]:
    """Broken plan instalments due on or after ``since`` per borrower of ``customers_sql`` (a SELECT of
    customer_ids): the ranking counts them like broken promises."""
    return {
        cid: n
        for cid, n in raw.execute(
            "SELECT p.customer_id, count(*) FROM plan_instalment i JOIN payment_plan p ON p.id = i.plan_id "
            f"WHERE p.customer_id IN ({customers_sql}) AND i.status = 'broken' AND i.due_date >= ? "
            "GROUP BY p.customer_id",
            (since.isoformat(),),
        )
    }
