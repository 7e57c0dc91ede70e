"""Reading the ranked work list (``work_item``) for the CLI and the TUI. Reads only, never refreshes.

Order: ``work_item.sort_key`` (see ``domain.ranking``), walked through an index per filter, so ``count``
and a page at any offset are index walks (no sort) even at 100,000+ borrowers. Names and phones leave
this module masked. The face calls ``refresh.ensure_current(ctx)`` once at start.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict, TypeVar

from collectui.domain.context import Ctx
from collectui.domain.errors import UsageError
from collectui.domain.portfolio.overdue import BUCKETS
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.storage.raw import RawConnection, dialect_of
from collectui.storage.timefmt import utc_text

T = TypeVar("T")

_COLS = (
    "w.customer_id, w.max_dpd, w.bucket, w.category, w.overdue_fen, w.outstanding_fen, w.score, "
    "w.reasons, w.callable, w.blocked_reason, w.last_contact_at, w.promise_id, w.loan_ids, w.branch_id, "
    "w.collector_id, w.broken_promises, w.as_of, w.blocked_until, w.callback_at"
)


@dataclass(frozen=True)
class WorkFilter:
    branch: str | int | None = None  # branch name or id
    bucket: str | None = None  # M0..M6, M6+
    collector_id: int | None = None  # "assigned to me"
    include_blocked: bool = False
    search: str | None = None  # ASCII: customer_id or loan_id prefix; otherwise a name substring
    callbacks_due: bool = False  # only borrowers with a callback due today (or missed and still owed)


class PromiseSummary(TypedDict):
    """The open or latest promise of a borrower, as the list shows it."""

    id: int
    amount_fen: int
    date: str  # ISO date
    status: str  # open | kept | partial | broken
    paid_fen: int


def _promise_summary(p: Mapping[str, Any]) -> PromiseSummary:
    return {
        "id": p["id"],
        "amount_fen": p["amount_fen"],
        "date": p["date"],
        "status": p["status"],
        "paid_fen": p["paid_fen"],
    }


@dataclass
class WorkRow:
    rank: int
    customer_id: str
    name: str  # masked
    phone: str  # masked
    branch: str
    dpd: int
    bucket: str
    category: str
    overdue_fen: int
    outstanding_fen: int
    score: int  # hundredths of a point
    reasons: list[str]
    callable: bool
    blocked_reason: str | None
    last_contact_at: datetime | None
    promise: PromiseSummary | None
    loan_ids: list[str] = field(default_factory=list)
    collector: str | None = None  # username
    broken_promises: int = 0
    as_of: date | None = None
    blocked_until: datetime | None = None  # when the block lifts by time alone, where known (policy zone)
    callback_at: datetime | None = None  # the callback the latest call agreed (policy zone)


def _end_of_today(ctx: Ctx) -> str:
    """Stored UTC text of the end of today: a callback agreed for before it is due (a missed one is still owed)."""
    now = ctx.clock.now().astimezone(ctx.policy.tz)
    return utc_text(datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=ctx.policy.tz))


def callbacks_due_count(ctx: Ctx, flt: WorkFilter = WorkFilter()) -> int:
    """How many borrowers of ``flt`` have a callback due today or overdue (for the list header)."""
    return count(ctx, replace(flt, callbacks_due=True))


def normalise_bucket(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip().upper()
    if value not in BUCKETS:
        raise UsageError(f"unknown bucket {text!r}; expected one of {', '.join(BUCKETS)}")
    return value


def _branch_id(raw: RawConnection, branch: str | int | None) -> int | None:
    if branch is None or branch == "":
        return None
    if isinstance(branch, int):
        return branch
    row = raw.execute("SELECT id FROM branch WHERE name = ?", (branch.strip(),)).fetchone()
    if row:
        return int(row[0])
    key = branch.strip()
    if key.isascii() and key.isdigit() and len(key) <= 18:  # an id SQLite can hold; "²" is no id
        row = raw.execute("SELECT id FROM branch WHERE id = ?", (int(key),)).fetchone()
        if row:
            return int(row[0])
    names = [r[0] for r in raw.execute("SELECT name FROM branch ORDER BY name")]
    raise UsageError(f"unknown branch {branch!r}; branches: {', '.join(names) or '(none)'}")


_MAX_MATCHES = 2000


def _match_sql(raw: RawConnection, text: str) -> tuple[str, list[str]]:
    """Customers matched by a search: ASCII text is a customer_id or loan_id prefix (primary-key ranges);
    anything else is a substring of the name (a scan of the names)."""
    if text.isascii():
        return (
            "SELECT customer_id FROM customer WHERE customer_id >= ? AND customer_id < ? "
            "UNION SELECT customer_id FROM loan WHERE loan_id >= ? AND loan_id < ?",
            [text, text + "\U0010ffff", text, text + "\U0010ffff"],
        )
    return f"SELECT customer_id FROM customer WHERE {dialect_of(raw).contains('name', '?')}", [text]


def _matches(raw: RawConnection, text: str) -> set[str]:
    sql, params = _match_sql(raw, text)
    return {r[0] for r in raw.execute(sql, params)}


def _where(raw: RawConnection, ctx: Ctx, flt: WorkFilter) -> tuple[str, list[int | str]]:
    terms: list[str] = []
    params: list[int | str] = []
    branch_id = _branch_id(raw, flt.branch)
    if branch_id is not None:
        terms.append("w.branch_id = ?")
        params.append(branch_id)
    if not flt.include_blocked:
        terms.append("w.callable = 1")
    if flt.collector_id is not None:
        terms.append("w.collector_id = ?")
        params.append(flt.collector_id)
    bucket = normalise_bucket(flt.bucket)
    if bucket is not None:
        terms.append("w.bucket = ?")
        params.append(bucket)
    if flt.callbacks_due:
        terms.append("w.callback_at < ?")
        params.append(_end_of_today(ctx))
    text = (flt.search or "").strip()
    if text:
        # Resolve the (few) matching customers first, then filter the list by them.
        sql, match_params = _match_sql(raw, text)
        ids = [r[0] for r in raw.execute(f"{sql} LIMIT {_MAX_MATCHES + 1}", match_params)]
        if len(ids) <= _MAX_MATCHES:
            terms.append(f"w.customer_id IN ({','.join('?' * len(ids))})" if ids else "1 = 0")
            params += ids
        else:  # a very common name: filter by the subquery (complete, slower)
            terms.append(f"w.customer_id IN ({sql})")
            params += match_params
    return (" WHERE " + " AND ".join(terms)) if terms else "", params


def _with_raw(ctx: Ctx, fn: Callable[[RawConnection], T]) -> T:
    with ctx.db.raw_read() as raw:
        return fn(raw)


def count(ctx: Ctx, flt: WorkFilter = WorkFilter()) -> int:
    def run(raw: RawConnection) -> int:
        where, params = _where(raw, ctx, flt)
        return int(raw.execute(f"SELECT COUNT(*) FROM work_item w{where}", params).fetchone()[0])

    return _with_raw(ctx, run)


def fetch_page(ctx: Ctx, flt: WorkFilter = WorkFilter(), offset: int = 0, limit: int = 50) -> list[WorkRow]:
    """Rows ``offset+1 .. offset+limit`` of the filtered list, ``rank`` = position in that list."""
    offset, limit = max(int(offset), 0), max(int(limit), 0)
    if limit == 0:
        return []

    def run(raw: RawConnection) -> list[WorkRow]:
        where, params = _where(raw, ctx, flt)
        locator = dialect_of(raw).row_locator("w")  # in every index: the page is an index-only walk
        keys = raw.execute(
            f"SELECT {locator} FROM work_item w{where} ORDER BY w.sort_key LIMIT ? OFFSET ?", params + [limit, offset]
        ).fetchall()
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = raw.execute(
            f"SELECT {_COLS} FROM work_item w WHERE {locator} IN ({marks}) ORDER BY w.sort_key", [k[0] for k in keys]
        ).fetchall()
        return _rows(raw, ctx, rows, offset)

    return _with_raw(ctx, run)


def find_position(ctx: Ctx, flt: WorkFilter, customer_id: str) -> int | None:
    """0-based position of ``customer_id`` in the filtered list, or None when it is not in it."""

    def run(raw: RawConnection) -> int | None:
        where, params = _where(raw, ctx, flt)
        row = raw.execute(
            f"SELECT w.sort_key FROM work_item w{where}{' AND' if where else ' WHERE'} w.customer_id = ?",
            params + [customer_id],
        ).fetchone()
        if row is None:
            return None
        where2 = where + (" AND" if where else " WHERE") + " w.sort_key < ?"
        return int(raw.execute(f"SELECT COUNT(*) FROM work_item w{where2}", params + [row[0]]).fetchone()[0])

    return _with_raw(ctx, run)


def page_containing(ctx: Ctx, flt: WorkFilter, customer_id: str, page_size: int) -> tuple[int, list[WorkRow]] | None:
    """(position, rows of the page of ``page_size`` holding it) for a search hit, or None.

    The page is read with two index seeks from the hit's sort key (rows before it, rows from it), not with
    an OFFSET walk, so jumping to a hit deep in a long list costs one COUNT and two short seeks.
    """

    def run(raw: RawConnection) -> tuple[int, list[WorkRow]] | None:
        where, params = _where(raw, ctx, flt)
        join = " AND" if where else " WHERE"
        locator = dialect_of(raw).row_locator("w")
        row = raw.execute(
            f"SELECT w.sort_key FROM work_item w{where}{join} w.customer_id = ?", params + [customer_id]
        ).fetchone()
        if row is None:
            return None
        key = row[0]
        position = int(
            raw.execute(f"SELECT COUNT(*) FROM work_item w{where}{join} w.sort_key < ?", params + [key]).fetchone()[0]
        )
        start = position - position % page_size
        before = raw.execute(
            f"SELECT {locator} FROM work_item w{where}{join} w.sort_key < ? ORDER BY w.sort_key DESC LIMIT ?",
            params + [key, position - start],
        ).fetchall()
        after = raw.execute(
            f"SELECT {locator} FROM work_item w{where}{join} w.sort_key >= ? ORDER BY w.sort_key LIMIT ?",
            params + [key, page_size - (position - start)],
        ).fetchall()
        ids = [r[0] for r in reversed(before)] + [r[0] for r in after]
        marks = ",".join("?" * len(ids))
        rows = raw.execute(
            f"SELECT {_COLS} FROM work_item w WHERE {locator} IN ({marks}) ORDER BY w.sort_key", ids
        ).fetchall()
        return position, _rows(raw, ctx, rows, start)

    return _with_raw(ctx, run)


def search(ctx: Ctx, text: str, flt: WorkFilter = WorkFilter(), limit: int = 20) -> list[WorkRow]:
    """Matches of ``text`` (customer_id / loan_id prefix, name substring) within ``flt``, list order;
    ``rank`` is the row's position in the list ``flt`` shows (for jumping there)."""
    hits = fetch_page(ctx, replace(flt, search=text), 0, limit)
    for row in hits:
        pos = find_position(ctx, flt, row.customer_id)
        row.rank = (pos + 1) if pos is not None else 0
    return hits


@dataclass(frozen=True)
class BucketCount:
    bucket: str
    count: int
    overdue_fen: int


def bucket_summary(ctx: Ctx, flt: WorkFilter = WorkFilter()) -> list[BucketCount]:
    """Count and overdue amount per bucket (every bucket, zeros included), for the list header."""

    def run(raw: RawConnection) -> list[BucketCount]:
        where, params = _where(raw, ctx, replace(flt, bucket=None))
        got = {
            b: (n, s)
            for b, n, s in raw.execute(
                f"SELECT w.bucket, COUNT(*), SUM(w.overdue_fen) FROM work_item w{where} GROUP BY w.bucket", params
            )
        }
        return [BucketCount(b, *got.get(b, (0, 0))) for b in BUCKETS]

    return _with_raw(ctx, run)


def _rows(raw: RawConnection, ctx: Ctx, rows: Sequence[Sequence[Any]], offset: int) -> list[WorkRow]:
    """``rows``: work_item rows in the order of ``_COLS`` (driver values)."""
    cids = [r[0] for r in rows]
    marks = ",".join("?" * len(cids))
    people = {
        c: (n, p)
        for c, n, p in raw.execute(
            f"SELECT customer_id, name, phone FROM customer WHERE customer_id IN ({marks})", cids
        )
    }
    branches = dict(raw.execute("SELECT id, name FROM branch"))
    collector_ids = {r[14] for r in rows if r[14] is not None}
    users: dict[int, str] = {}
    if collector_ids:
        users = dict(
            raw.execute(
                f"SELECT id, username FROM staff_user WHERE id IN ({','.join('?' * len(collector_ids))})",
                list(collector_ids),
            )
        )
    promise_ids = [r[11] for r in rows if r[11] is not None]
    promises: dict[int, PromiseSummary] = {}
    if promise_ids:
        for pid, amount, due, status, paid in raw.execute(
            f"SELECT id, amount_fen, due_date, status, paid_fen FROM promise WHERE id IN "
            f"({','.join('?' * len(promise_ids))})",
            promise_ids,
        ):
            promises[pid] = {"id": pid, "amount_fen": amount, "date": due, "status": status, "paid_fen": paid}
    out: list[WorkRow] = []
    for i, r in enumerate(rows):
        name, phone = people.get(r[0], ("", ""))
        out.append(
            WorkRow(
                rank=offset + i + 1,
                customer_id=r[0],
                name=mask_name(name, ctx.policy),
                phone=mask_phone(phone, ctx.policy) if phone else "",
                branch=branches.get(r[13], str(r[13])),
                dpd=r[1],
                bucket=r[2],
                category=r[3],
                overdue_fen=r[4],
                outstanding_fen=r[5],
                score=r[6],
                reasons=json.loads(r[7]) if r[7] else [],
                callable=bool(r[8]),
                blocked_reason=r[9],
                last_contact_at=datetime.fromisoformat(r[10]) if r[10] else None,
                promise=promises.get(r[11]) if r[11] is not None else None,
                loan_ids=json.loads(r[12]) if r[12] else [],
                collector=users.get(r[14]),
                broken_promises=r[15],
                as_of=date.fromisoformat(r[16]) if r[16] else None,
                blocked_until=_local(r[17], ctx),
                callback_at=_local(r[18], ctx),
            )
        )
    return out


def _local(stored: str | None, ctx: Ctx) -> datetime | None:
    return datetime.fromisoformat(stored).astimezone(ctx.policy.tz) if stored else None


def rows_as_of(
    ctx: Ctx, flt: WorkFilter, as_of: date, offset: int = 0, limit: int | None = 50
) -> tuple[int, list[WorkRow]]:
    """(count, page) of the list as it was/will be on ``as_of``, computed in memory (stored state untouched).

    Costs a full computation (no writes): seconds at 100,000 borrowers.
    """
    from collectui.domain.portfolio.refresh import compute_work_items

    items = compute_work_items(ctx, as_of)

    def run(raw: RawConnection) -> tuple[int, list[WorkRow]]:
        branch_id = _branch_id(raw, flt.branch)
        bucket = normalise_bucket(flt.bucket)
        text = (flt.search or "").strip()
        matches = _matches(raw, text) if text else None
        due_before = _end_of_today(ctx)
        chosen = [
            w
            for w in items
            if (flt.include_blocked or w.callable)
            and (branch_id is None or w.branch_id == branch_id)
            and (flt.collector_id is None or w.collector_id == flt.collector_id)
            and (bucket is None or w.bucket == bucket)
            and (matches is None or w.customer_id in matches)
            and (not flt.callbacks_due or (w.callback_at or "\uffff") < due_before)
        ]
        page = chosen[offset : None if limit is None else offset + limit]
        if not page:
            return len(chosen), []
        rows = [
            (
                w.customer_id,
                w.max_dpd,
                w.bucket,
                w.category,
                w.overdue_fen,
                w.outstanding_fen,
                w.score,
                json.dumps(w.reasons),
                w.callable,
                w.blocked_reason,
                w.last_contact_at,
                None,
                json.dumps(w.loan_ids),
                w.branch_id,
                w.collector_id,
                w.broken_promises,
                w.as_of.isoformat(),
                w.blocked_until,
                w.callback_at,
            )
            for w in page
        ]
        result = _rows(raw, ctx, rows, offset)
        for row, w in zip(result, page, strict=True):
            row.promise = _promise_summary(w.promise) if w.promise else None
        return len(chosen), result

    return _with_raw(ctx, run)
