"""Work items: one per overdue borrower, built from the loans' figures, one borrower in memory at a time.

``refresh`` computes every loan's figures into ``loan_state``; the overdue ones are then read back ordered
by borrower (``OVERDUE_SQL``), aggregated (``overdue_by_customer``), turned into work items 5,000 borrowers
at a time with the borrower's flags, holds, promises and last contact (``build_work_items``), and written
in the same chunks (``write_work_items``). So memory does not grow with the size of the book.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from collectui.domain.context import Ctx
from collectui.domain.portfolio import availability
from collectui.domain.portfolio import plans as _plans
from collectui.domain.portfolio import promises as _promises
from collectui.domain.portfolio.overdue import bucket_for, category_for
from collectui.domain.portfolio.ranking import RankInput, score, sort_key, weights_from_policy
from collectui.domain.portfolio.reasons import Part
from collectui.domain.portfolio.reasons import encode as encode_reasons
from collectui.storage.bulk import planned, scratch_table
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:
    from collectui.domain.portfolio.refresh.stats import RefreshStats


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
    promise: dict[str, Any] | None  # {id, amount_fen, date, status, paid_fen}
    score: int
    reasons: Sequence[Part]  # the ranking's explanation (portfolio/reasons.py), compact
    callable: bool
    blocked_reason: str | None
    sort_key: str
    blocked_until: str | None = None  # stored UTC text: when the block lifts by time alone, where known
    recheck_at: str | None = None  # stored UTC text: when to judge the block again (refresh.recheck_due)
    callback_at: str | None = None  # stored UTC text: the callback the latest call agreed, if still ahead


@dataclass(slots=True)
class _Agg:
    """A borrower's overdue loans so far (loan_id order)."""

    max_dpd: int = 0
    worst_overdue: int = -1
    collector_id: int | None = None
    overdue_fen: int = 0
    outstanding_fen: int = 0
    loan_ids: list[str] = field(default_factory=list)


# The overdue loans (not closed, DPD >= 1) of a loan_state-shaped table, by borrower then loan.
OVERDUE_SQL = (
    "SELECT s.customer_id, s.loan_id, l.collector_id, s.dpd, s.overdue_fen, s.outstanding_fen "
    "FROM {source} s JOIN loan l ON l.loan_id = s.loan_id WHERE s.dpd >= 1 AND l.status != 'closed' "
    "AND {sub} ORDER BY s.customer_id, s.loan_id"
)


def overdue_by_customer(rows: Iterable[tuple[Any, ...]], stats: RefreshStats) -> Iterator[tuple[str, _Agg]]:
    """(customer_id, aggregate) per borrower, from ``OVERDUE_SQL`` rows (customer_id is never NULL): one
    borrower in memory at a time."""
    current: str | None = None
    agg = _Agg()  # replaced at the first row
    for cid, loan_id, collector_id, dpd, over, outst in rows:
        stats.overdue_loans += 1
        if cid != current:
            if current is not None:
                yield current, agg
            current, agg = cid, _Agg()
        if dpd > agg.max_dpd or (dpd == agg.max_dpd and over > agg.worst_overdue):
            agg.max_dpd, agg.worst_overdue, agg.collector_id = dpd, over, collector_id
        agg.overdue_fen += over
        agg.outstanding_fen += outst
        agg.loan_ids.append(loan_id)
    if current is not None:
        yield current, agg


# ---------------------------------------------------------------------------------------------------------
# work items


def build_work_items(
    raw: RawConnection,
    ctx: Ctx,
    as_of: date,
    overdue: Iterable[tuple[str, _Agg]],
    promises: dict[str, list[_promises.PromiseFact]],
) -> Iterator[WorkItemData]:
    """The work items of the borrowers ``overdue`` yields, in that order, ``_ITEM_CHUNK`` borrowers at a
    time: memory stays flat whatever the size of the book."""
    overdue = iter(overdue)
    while chunk := dict(islice(overdue, _ITEM_CHUNK)):
        yield from _work_items_of(raw, ctx, as_of, chunk, promises)


_ITEM_CHUNK = 5000


def _work_items_of(
    raw: RawConnection,
    ctx: Ctx,
    as_of: date,
    overdue: dict[str, _Agg],
    promises: dict[str, list[_promises.PromiseFact]],
) -> list[WorkItemData]:
    tz = ctx.policy.tz
    end = _promises.day_end_utc(as_of, tz)
    weights = weights_from_policy(ctx.policy)
    over_cust = scratch_table(raw, "_over_cust", "customer_id TEXT PRIMARY KEY")
    raw.executemany(f"INSERT INTO {over_cust} VALUES (?)", ((c,) for c in overdue))
    planned(raw, over_cust)
    over = f"SELECT customer_id FROM {over_cust}"
    customers = {
        cid: branch
        for cid, branch in raw.execute(f"SELECT customer_id, branch_id FROM customer WHERE customer_id IN ({over})")
    }
    contacts = {
        cid: (last, last_rpc)
        for cid, last, last_rpc in raw.execute(
            "SELECT customer_id, MAX(started_at), MAX(CASE WHEN right_party = 1 THEN started_at END) FROM call_attempt "
            f"WHERE customer_id IN ({over}) AND status = 'logged' AND started_at < ? GROUP BY customer_id",
            (end,),
        )
    }
    # The callback the latest logged call agreed (a later call answers it, whatever its outcome).
    callbacks = {
        cid: when
        for cid, when in raw.execute(
            "SELECT a.customer_id, a.callback_at FROM call_attempt a "
            f"WHERE a.customer_id IN ({over}) AND a.status = 'logged' AND a.callback_at IS NOT NULL "
            "AND a.started_at < ? AND NOT EXISTS (SELECT 1 FROM call_attempt b WHERE b.customer_id = a.customer_id "
            "AND b.status = 'logged' AND b.started_at > a.started_at AND b.started_at < ?)",
            (end, end),
        )
    }
    # The gate's customer-level rules, judged for the whole chunk as of the same moment (one truth).
    blocks = availability.judge(raw, ctx, over, availability.judgement_time(ctx, as_of))
    lookback = as_of - timedelta(days=weights.broken_promise_lookback_days)
    plan_broken = _plans.broken_instalments(raw, over, lookback)  # broken plan instalments count alike
    raw.execute(f"DELETE FROM {over_cust}")
    items: list[WorkItemData] = []
    for cid, agg in overdue.items():
        if cid not in customers:
            continue  # a loan without its customer row: nothing to call
        branch_id = customers[cid]
        facts = promises.get(cid, ())
        broken = sum(1 for p in facts if p.status == "broken" and p.due_date >= lookback) + plan_broken.get(cid, 0)
        open_ = [p for p in facts if p.status == "open"]
        shown = max(open_ or facts, key=lambda p: (p.made_on, p.due_date, p.id), default=None)
        last, last_rpc = contacts.get(cid, (None, None))
        days = None
        if last_rpc:
            days = (as_of - datetime.fromisoformat(last_rpc).astimezone(tz).date()).days
        sc = score(RankInput(agg.max_dpd, agg.overdue_fen, broken, days), weights)
        block, until, recheck = availability.verdict(blocks.get(cid))
        blocked = block.rule if block is not None else None
        promise = None
        if shown is not None:
            promise = {
                "id": shown.id,
                "amount_fen": shown.amount_fen,
                "date": shown.due_date.isoformat(),
                "status": shown.status,
                "paid_fen": shown.paid_fen,
            }
        items.append(
            WorkItemData(
                cid,
                as_of,
                branch_id,
                agg.collector_id,
                agg.max_dpd,
                bucket_for(agg.max_dpd),
                category_for(agg.max_dpd),
                agg.overdue_fen,
                agg.outstanding_fen,
                agg.loan_ids,
                broken,
                last,
                promise,
                sc.hundredths,
                sc.parts,
                blocked is None,
                blocked,
                sort_key(sc.hundredths, agg.max_dpd, agg.overdue_fen, broken, cid),
                utc_text(until) if until else None,
                utc_text(recheck) if recheck else None,
                callbacks.get(cid),
            )
        )
    return items


def _json_ids(ids: list[str]) -> str:
    plain = "".join(ids)
    if plain.isascii() and plain.isprintable() and '"' not in plain and "\\" not in plain:
        return '["' + '","'.join(ids) + '"]' if ids else "[]"  # what json.dumps writes, 5x faster
    return json.dumps(ids)


def write_work_items(raw: RawConnection, items: Iterable[WorkItemData], scope: str | None, stats: RefreshStats) -> None:
    """Replace the work items in scope by ``items`` (any order: the list is read by ``sort_key``)."""
    if scope:
        raw.execute(f"DELETE FROM work_item WHERE customer_id IN (SELECT customer_id FROM {scope})")
    else:
        raw.execute("DELETE FROM work_item")
    sql = (
        "INSERT INTO work_item(customer_id, as_of, branch_id, collector_id, max_dpd, bucket, category, "
        "overdue_fen, outstanding_fen, loan_ids, broken_promises, last_contact_at, promise_id, score, reasons, "
        "callable, blocked_reason, sort_key, blocked_until, recheck_at, callback_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    items = iter(items)
    while batch := list(islice(items, _ITEM_CHUNK)):
        stats.work_items += len(batch)
        stats.callable += sum(1 for w in batch if w.callable)
        raw.executemany(
            sql,
            [
                (
                    w.customer_id,
                    w.as_of.isoformat(),
                    w.branch_id,
                    w.collector_id,
                    w.max_dpd,
                    w.bucket,
                    w.category,
                    w.overdue_fen,
                    w.outstanding_fen,
                    _json_ids(w.loan_ids),
                    w.broken_promises,
                    w.last_contact_at,
                    w.promise["id"] if w.promise else None,
                    w.score,
                    encode_reasons(w.reasons),
                    int(w.callable),
                    w.blocked_reason,
                    w.sort_key,
                    w.blocked_until,
                    w.recheck_at,
                    w.callback_at,
                )
                for w in batch
            ],
        )
