"""Collection activity between ``--from`` and ``--to`` (local days, both included), per collector and week.

attempts       = logged calls (status 'logged'); attempts refused by the gate ('refused') belong to the
                 compliance report and calls only started ('started') are not attempts
RPC            = attempts to the borrower (no third-party contact) with a right-party outcome
RPC rate       = RPC / attempts
promises       = promises made in the window;  PTP rate = promises / RPC
PTP kept rate  = promises kept / promises that fell due, by count and by amount (kept amount / amount of
                 the promises that fell due). Every promise whose date is in the window is judged here as of
                 the end of --to, whatever the stored status and whatever day the report is run: with
                 paid = the borrower's payments (any loan) from the day it was made to min(date + grace, --to),
                 it is pending when date + grace is after --to (not kept, not broken, not in the rate),
                 else kept (paid >= amount), partial (paid > 0) or broken; it fell due when not pending.
                 Payments after --to and promises made after --to never count, so the same window gives the
                 same figures whenever it is run. (Report --to D judges as ``queue --as-of`` D+1 does.)
The collector is the user who logged the call (for a promise, the user who took it).
Payment plans (plans made, their instalments kept by count and amount): ``reports.plan_activity``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.portfolio.promises import JUDGED, judge
from collectui.domain.reports import plan_activity
from collectui.domain.reports.common import (
    RPC_OUTCOMES,
    Column,
    Params,
    Report,
    Section,
    Window,
    branch_filter,
    call_scan,
    filters_json,
    money,
    rate,
    read_conn,
    resolve_window,
    usernames,
    weeks_between,
)
from collectui.storage.raw import RawConnection, dialect_of

_RPC = ", ".join(f"'{o}'" for o in RPC_OUTCOMES)


# Counts and sums of one row (total, a collector or a week), before the rates are added.
Counts = dict[str, int]


def _blank() -> Counts:
    return {
        "attempts": 0,
        "rpc": 0,
        "promises": 0,
        "promised_fen": 0,
        "due": 0,
        "due_fen": 0,
        "kept": 0,
        "kept_fen": 0,
        "partial": 0,
        "broken": 0,
        "pending": 0,
        "plans": 0,
        "plans_fen": 0,
        "plan_due": 0,
        "plan_due_fen": 0,
        "plan_kept": 0,
        "plan_kept_fen": 0,
        "plan_pending": 0,
    }


def _out(acc: Counts) -> dict[str, Any]:
    return {
        "attempts": acc["attempts"],
        "rpc": acc["rpc"],
        "rpc_rate": rate(acc["rpc"], acc["attempts"]),
        "promises": acc["promises"],
        "promised_amount": money(acc["promised_fen"]),
        "ptp_rate": rate(acc["promises"], acc["rpc"]),
        "promises_due": acc["due"],
        "promises_due_amount": money(acc["due_fen"]),
        "kept": acc["kept"],
        "partial": acc["partial"],
        "broken": acc["broken"],
        "pending": acc["pending"],
        "kept_amount": money(acc["kept_fen"]),
        "ptp_kept_rate": rate(acc["kept"], acc["due"]),
        "ptp_kept_rate_amount": rate(acc["kept_fen"], acc["due_fen"]),
        "plans_made": acc["plans"],
        "plans_made_amount": money(acc["plans_fen"]),
        "plan_instalments_due": acc["plan_due"],
        "plan_instalments_kept": acc["plan_kept"],
        "plan_instalments_pending": acc["plan_pending"],
        "plan_kept_rate": rate(acc["plan_kept"], acc["plan_due"]),
        "plan_kept_rate_amount": rate(acc["plan_kept_fen"], acc["plan_due_fen"]),
    }


def _judged_as_of_to(
    conn: RawConnection, grace_days: int, w: Window, who: str, pjoin: str, where: str, args: list[Any]
) -> list[tuple[int | None, str, str, int]]:
    """(collector, week of the date, status as of the end of --to, amount) of each promise dated in the window.

    Status is ``judge`` as of the day after --to (so a promise whose last grace day is --to is judged), from
    the payments up to --to only; ``open`` here means pending. Stored statuses other than open/kept/partial/
    broken (set by another feature) leave the promise out, as they do in the work list.
    """
    judged = ", ".join(f"'{st}'" for st in JUDGED)
    cond = f"x.due_date >= ? AND x.due_date <= ? AND x.made_at < ? AND x.status IN ({judged}){where}"
    cargs = [w.date_from.isoformat(), w.date_to.isoformat(), w.end_utc, *args]
    rows = conn.execute(
        f"SELECT x.id, {who}, date_week(x.due_date), x.customer_id, local_date(x.made_at), x.due_date, "
        f"x.amount_fen FROM promise x{pjoin} WHERE {cond}",
        cargs,
    ).fetchall()
    if not rows:
        return []
    lo = min(str(r[4]) for r in rows)
    paid: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for cid, paid_on, amount in conn.execute(
        "SELECT l.customer_id, pay.paid_on, SUM(pay.amount_fen) FROM payment pay "
        "JOIN loan l ON l.loan_id = pay.loan_id WHERE pay.paid_on >= ? AND pay.paid_on <= ? "
        f"AND l.customer_id IN (SELECT x.customer_id FROM promise x{pjoin} WHERE {cond}) GROUP BY 1, 2",
        [lo, w.date_to.isoformat(), *cargs],
    ):
        paid[cid].append((date.fromisoformat(str(paid_on)), amount or 0))
    day_after = w.date_to + timedelta(days=1)
    out = []
    for _pid, uid, week, cid, made_text, due_text, amount in rows:
        made_on, due = date.fromisoformat(str(made_text)), date.fromisoformat(str(due_text))
        hi = min(due + timedelta(days=grace_days), w.date_to)
        got = sum(a for on, a in paid.get(cid, ()) if made_on <= on <= hi)
        out.append((uid, week, judge(amount, got, due, grace_days, day_after), amount))
    return out


def build(ctx: Ctx, params: Params) -> Report:
    with read_conn(ctx) as conn:
        w = resolve_window(ctx, conn, params)
        names = usernames(conn)
        join, extra, fargs = branch_filter(w)
        scan, window = call_scan(conn, w)  # one sequential scan (see call_scan)
        d = dialect_of(conn)
        calls = conn.execute(
            f"SELECT x.user_id, local_week(x.started_at), COUNT(*), "
            f"{d.count_true(f'x.contact_id IS NULL AND x.outcome IN ({_RPC})')} FROM call_attempt x{scan}{join} "
            f"WHERE x.status = 'logged' AND {window}{extra}"
            f"{' AND x.user_id = ?' if w.collector_id is not None else ''} GROUP BY 1, 2",
            [w.start_utc, w.end_utc, *fargs, *([w.collector_id] if w.collector_id is not None else [])],
        ).fetchall()
        who = "COALESCE(x.user_id, ca.user_id)"
        pjoin = " LEFT JOIN call_attempt ca ON ca.id = x.call_id" + join
        coll = f" AND {who} = ?" if w.collector_id is not None else ""
        cargs = [w.collector_id] if w.collector_id is not None else []
        made = conn.execute(
            f"SELECT {who}, local_week(x.made_at), COUNT(*), SUM(x.amount_fen) FROM promise x{pjoin} "
            f"WHERE x.made_at >= ? AND x.made_at < ?{extra}{coll} GROUP BY 1, 2",
            [w.start_utc, w.end_utc, *fargs, *cargs],
        ).fetchall()
        due = _judged_as_of_to(conn, ctx.policy["promises.grace_days"], w, who, pjoin, extra + coll, [*fargs, *cargs])
        plans_made = plan_activity.plans_made(conn, w, join, extra, fargs)
        plans_due = plan_activity.instalments_due(conn, w, ctx.policy["promises.grace_days"], join, extra, fargs)

    total = _blank()
    by_user: dict[str, Counts] = defaultdict(_blank)
    by_week: dict[str, Counts] = {label: _blank() for label, _ in weeks_between(w.date_from, w.date_to)}

    def name(uid: int | None) -> str:
        return names.get(uid, "(unknown)") if uid is not None else "(unknown)"

    for uid, week, n, rpc in calls:
        for acc in (total, by_user[name(uid)], by_week.setdefault(week, _blank())):
            acc["attempts"] += n
            acc["rpc"] += rpc or 0
    for uid, week, n, amount in made:
        for acc in (total, by_user[name(uid)], by_week.setdefault(week, _blank())):
            acc["promises"] += n
            acc["promised_fen"] += amount or 0
    for uid, week, status, amount in due:
        for acc in (total, by_user[name(uid)], by_week.setdefault(week, _blank())):
            if status == "open":
                acc["pending"] += 1
                continue
            acc["due"] += 1
            acc["due_fen"] += amount
            acc[status] += 1
            if status == "kept":
                acc["kept_fen"] += amount
    for uid, week, n, amount in plans_made:
        for acc in (total, by_user[name(uid)], by_week.setdefault(week, _blank())):
            acc["plans"] += n
            acc["plans_fen"] += amount
    for uid, week, status, amount in plans_due:
        for acc in (total, by_user[name(uid)], by_week.setdefault(week, _blank())):
            if status == "open":
                acc["plan_pending"] += 1
                continue
            acc["plan_due"] += 1
            acc["plan_due_fen"] += amount
            if status == "kept":
                acc["plan_kept"] += 1
                acc["plan_kept_fen"] += amount

    collectors = [{"collector": u, **_out(acc)} for u, acc in sorted(by_user.items())]
    weeks = [{"week": wk, **_out(acc)} for wk, acc in sorted(by_week.items())]
    data = {
        "report": "activity",
        "from": w.date_from.isoformat(),
        "to": w.date_to.isoformat(),
        **filters_json(params),
        "total": _out(total),
        "by_collector": collectors,
        "by_week": weeks,
    }
    cols = [
        Column("attempts", "attempts", "int"),
        Column("rpc", "RPC", "int"),
        Column("rpc_rate", "RPC rate", "rate"),
        Column("promises", "promises", "int"),
        Column("promised_amount", "promised", "money"),
        Column("ptp_rate", "PTP rate", "rate"),
        Column("promises_due", "fell due", "int"),
        Column("kept", "kept", "int"),
        Column("partial", "partial", "int"),
        Column("broken", "broken", "int"),
        Column("pending", "pending", "int"),
        Column("promises_due_amount", "amount due", "money"),
        Column("kept_amount", "kept amount", "money"),
        Column("ptp_kept_rate", "kept rate", "rate"),
        Column("ptp_kept_rate_amount", "kept rate (amount)", "rate"),
        Column("plans_made", "plans", "int"),
        Column("plans_made_amount", "planned", "money"),
        Column("plan_instalments_due", "plan inst. due", "int"),
        Column("plan_instalments_kept", "plan inst. kept", "int"),
        Column("plan_instalments_pending", "plan inst. pending", "int"),
        Column("plan_kept_rate", "plan kept rate", "rate"),
        Column("plan_kept_rate_amount", "plan kept rate (amount)", "rate"),
    ]
    sections = [
        Section("total", f"Activity {w.date_from} to {w.date_to}", cols, [data["total"]]),
        Section("by_collector", "By collector", [Column("collector", "collector")] + cols, collectors),
        Section("by_week", "By ISO week", [Column("week", "week")] + cols, weeks),
    ]
    return Report("activity", data, sections, [])
