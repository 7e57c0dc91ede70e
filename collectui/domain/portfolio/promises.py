"""Promises to pay: judged kept / partial / broken from the imported payments.

A promise made on day M (local date of ``made_at``) for ``amount`` by ``due_date`` is judged once
``due_date + promises.grace_days`` has passed as of D (that is, D > due + grace). It counts the payments on
ANY of the borrower's loans with M <= paid_on <= due + grace: kept if they reach the amount, partial if
something was paid, broken if nothing. Before that it stays open (``paid_fen`` shows the money so far).
Judging is a pure function of D, so a late-imported payment inside the window re-judges the promise at
the next refresh, and computing "as of" an earlier day gives the statuses of that day.

Only statuses ``open|kept|partial|broken`` are judged; any other status (set by another feature, e.g. a
cancelled promise) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from collectui.clock import Clock
from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.storage.bulk import planned, scratch_table
from collectui.storage.raw import RawConnection, dialect_of
from collectui.storage.timefmt import utc_text

JUDGED = ("open", "kept", "partial", "broken")


@dataclass(slots=True)
class PromiseFact:
    id: int
    customer_id: str
    made_on: date
    due_date: date
    amount_fen: int
    status: str  # as of the evaluation day
    paid_fen: int  # paid inside the window, up to the evaluation day
    stored_status: str
    stored_paid_fen: int
    stored_evaluated_on: str | None


@dataclass
class PromiseStats:
    as_of: date
    evaluated: int
    changed: int
    kept: int
    partial: int
    broken: int
    open: int


def judge(amount_fen: int, paid_fen: int, due_date: date, grace_days: int, as_of: date) -> str:
    """Status of a promise as of ``as_of`` given what was paid inside its window."""
    if as_of <= due_date + timedelta(days=grace_days):
        return "open"
    if paid_fen >= amount_fen:
        return "kept"
    return "partial" if paid_fen > 0 else "broken"


def day_end_utc(day: date, tz: ZoneInfo) -> str:
    """Stored-text form of the first instant after ``day`` (local), for ``at < day_end`` comparisons."""
    return utc_text(datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz))


def customer_scope(raw: RawConnection, customer_ids: Iterable[str] | None) -> str | None:
    """Fill the scratch table ``_scope_cust`` with ``customer_ids``; returns its name (None = every customer)."""
    if customer_ids is None:
        return None
    scope = scratch_table(raw, "_scope_cust", "customer_id TEXT PRIMARY KEY")
    raw.executemany(dialect_of(raw).insert_ignore(scope, "VALUES (?)"), ((c,) for c in customer_ids))
    planned(raw, scope)
    return scope


def load_in(
    raw: RawConnection, as_of: date, grace_days: int, tz: ZoneInfo, scope: str | None = None
) -> dict[str, list[PromiseFact]]:
    """Every judgeable promise made on or before ``as_of`` (of the customers in ``scope``), judged as of it."""
    where = "p.made_at < ? AND p.status IN ('open','kept','partial','broken')"
    if scope:
        where += f" AND p.customer_id IN (SELECT customer_id FROM {scope})"
    rows = raw.execute(
        "SELECT p.id, p.customer_id, p.made_at, p.due_date, p.amount_fen, p.status, p.paid_fen, p.evaluated_on "
        f"FROM promise p WHERE {where}",
        (day_end_utc(as_of, tz),),
    ).fetchall()
    facts: dict[int, PromiseFact] = {}
    windows = []
    for pid, cid, made_at, due_text, amount, status, paid, evaluated_on in rows:
        made_on = datetime.fromisoformat(made_at).astimezone(tz).date()
        due = date.fromisoformat(due_text)
        facts[pid] = PromiseFact(pid, cid, made_on, due, amount, "open", 0, status, paid or 0, evaluated_on)
        hi = min(due + timedelta(days=grace_days), as_of)
        if hi >= made_on:
            windows.append((pid, cid, made_on.isoformat(), hi.isoformat()))
    if windows:
        win = scratch_table(raw, "_promise_win", "id INTEGER PRIMARY KEY, customer_id TEXT, lo TEXT, hi TEXT")
        raw.executemany(f"INSERT INTO {win} VALUES (?,?,?,?)", windows)
        planned(raw, win)
        sums = raw.execute(
            f"SELECT w.id, SUM(pay.amount_fen) FROM {win} w "
            "JOIN loan l ON l.customer_id = w.customer_id "
            "JOIN payment pay ON pay.loan_id = l.loan_id AND pay.paid_on >= w.lo AND pay.paid_on <= w.hi "
            "GROUP BY w.id"
        )
        for pid, total in sums:
            facts[pid].paid_fen = total or 0
        raw.execute(f"DELETE FROM {win}")
    by_customer: dict[str, list[PromiseFact]] = {}
    for fact in facts.values():
        fact.status = judge(fact.amount_fen, fact.paid_fen, fact.due_date, grace_days, as_of)
        by_customer.setdefault(fact.customer_id, []).append(fact)
    return by_customer


def write_verdicts(raw: RawConnection, by_customer: dict[str, list[PromiseFact]], as_of: date) -> list[PromiseFact]:
    """Store status, paid_fen and evaluated_on where they changed; returns the changed promises."""
    changed = [
        f
        for facts in by_customer.values()
        for f in facts
        if (f.status, f.paid_fen) != (f.stored_status, f.stored_paid_fen)
        or (f.status == "open") != (f.stored_evaluated_on is None)
    ]
    raw.executemany(
        "UPDATE promise SET status = ?, paid_fen = ?, evaluated_on = ? WHERE id = ?",
        [(f.status, f.paid_fen, None if f.status == "open" else as_of.isoformat(), f.id) for f in changed],
    )
    return changed


def stats_of(by_customer: dict[str, list[PromiseFact]], as_of: date, changed: int) -> PromiseStats:
    counts = dict.fromkeys(JUDGED, 0)
    total = 0
    for facts in by_customer.values():
        for f in facts:
            counts[f.status] += 1
            total += 1
    return PromiseStats(as_of, total, changed, counts["kept"], counts["partial"], counts["broken"], counts["open"])


def evaluate_promises(
    ctx: Ctx, customer_ids: Iterable[str] | None = None, as_of: date | None = None, actor: str = "system"
) -> PromiseStats:
    """Judge the promises of ``customer_ids`` (all when None) as of ``as_of`` in their own transaction.

    ``refresh`` does this as part of every refresh; call this directly only when the promise statuses
    alone are needed (reports).
    """

    day = as_of or ctx.clock.today()
    with ctx.db.raw_write() as raw:
        stats = evaluate_in(raw, ctx, customer_ids, day)
        if stats.changed:
            record_raw(
                raw,
                ctx.clock,
                actor,
                "promise.evaluate",
                "promise",
                None,
                {
                    "as_of": day.isoformat(),
                    "changed": stats.changed,
                    "kept": stats.kept,
                    "partial": stats.partial,
                    "broken": stats.broken,
                },
            )
    return stats


def audit_verdicts(raw: RawConnection, clock: Clock, actor: str, as_of: str, changed: list[PromiseFact]) -> None:
    """One ``promise.evaluate`` event for the verdicts a refresh changed (counts per status, the first ids)."""
    if not changed:
        return
    counts = {st: sum(1 for f in changed if f.status == st) for st in JUDGED}
    details = {"as_of": as_of, "changed": len(changed), **counts, "ids": [f.id for f in changed][:50]}
    record_raw(raw, clock, actor, "promise.evaluate", "promise", None, details)


def evaluate_in(raw: RawConnection, ctx: Ctx, customer_ids: Iterable[str] | None, as_of: date) -> PromiseStats:
    scope = customer_scope(raw, customer_ids)
    by_customer = load_in(raw, as_of, ctx.policy["promises.grace_days"], ctx.policy.tz, scope)
    changed = write_verdicts(raw, by_customer, as_of)
    return stats_of(by_customer, as_of, len(changed))
