"""Reading the ranked work list (``work_item``) for the CLI and the TUI. Reads only, never refreshes.

Order: ``work_item.sort_key`` (see ``domain.ranking``), walked through an index per filter, so ``count``
and a page at any offset are index walks (no sort) even at 100,000+ borrowers. Names and phones leave
this module masked. The face calls ``refresh.ensure_current(ctx)`` once at start.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from collectui.domain.context import Ctx
from collectui.domain.errors import UsageError
from collectui.domain.portfolio.overdue import BUCKETS
from collectui.domain.portfolio.reasons import encode as encode_reasons
from collectui.domain.said import said
from collectui.domain.worklist.rows import COLUMNS, WorkRow, build_rows, promise_summary
from collectui.storage.raw import RawConnection, dialect_of
from collectui.storage.timefmt import utc_text

T = TypeVar("T")


@dataclass(frozen=True)
class WorkFilter:
    branch: str | int | None = None  # branch name or id
    bucket: str | None = None  # M0..M6, M6+
    collector_id: int | None = None  # "assigned to me"
    include_blocked: bool = False
    search: str | None = None  # ASCII: customer_id or loan_id prefix; otherwise a name substring
    callbacks_due: bool = False  # only borrowers with a callback due today (or missed and still owed)
    # A collector's own list: the borrowers assigned to this user id first, then the unassigned ones.
    own_first: int | None = None
    unassigned: bool = False  # only borrowers nobody is assigned to


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
        buckets = ", ".join(BUCKETS)
        raise UsageError(
            said(
                "error.worklist.unknown_bucket",
                f"unknown bucket {text!r}; expected one of {buckets}",
                bucket=text,
                buckets=buckets,
            )
        )
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
    if not names:
        raise UsageError(
            said("error.worklist.unknown_branch_none", f"unknown branch {branch!r}; branches: (none)", branch=branch)
        )
    listed = ", ".join(names)
    raise UsageError(
        said(
            "error.worklist.unknown_branch",
            f"unknown branch {branch!r}; branches: {listed}",
            branch=branch,
            branches=listed,
        )
    )


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
    if flt.unassigned:
        terms.append("w.collector_id IS NULL")
    if flt.own_first is not None:
        terms.append("(w.collector_id = ? OR w.collector_id IS NULL)")
        params.append(flt.own_first)
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


def _own_parts(flt: WorkFilter) -> tuple[WorkFilter, WorkFilter]:
    """An own-first list as its two index walks: the user's borrowers, then the unassigned ones."""
    assert flt.own_first is not None
    return replace(flt, own_first=None, collector_id=flt.own_first), replace(flt, own_first=None, unassigned=True)


def fetch_page(ctx: Ctx, flt: WorkFilter = WorkFilter(), offset: int = 0, limit: int = 50) -> list[WorkRow]:
    """Rows ``offset+1 .. offset+limit`` of the filtered list, ``rank`` = position in that list."""
    offset, limit = max(int(offset), 0), max(int(limit), 0)
    if limit == 0:
        return []
    if flt.own_first is not None:
        mine, free = _own_parts(flt)
        n_mine = count(ctx, mine)
        page = fetch_page(ctx, mine, offset, limit) if offset < n_mine else []
        rest = fetch_page(ctx, free, max(offset - n_mine, 0), limit - len(page))
        for i, row in enumerate(page + rest):
            row.rank = offset + i + 1
        return page + rest

    def run(raw: RawConnection) -> list[WorkRow]:
        where, params = _where(raw, ctx, flt)
        locator = dialect_of(raw).row_locator("w", "customer_id")  # in every index: the page is an index-only walk
        keys = raw.execute(
            f"SELECT {locator} FROM work_item w{where} ORDER BY w.sort_key LIMIT ? OFFSET ?", params + [limit, offset]
        ).fetchall()
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = raw.execute(
            f"SELECT {COLUMNS} FROM work_item w WHERE {locator} IN ({marks}) ORDER BY w.sort_key", [k[0] for k in keys]
        ).fetchall()
        return build_rows(raw, ctx, rows, offset)

    return _with_raw(ctx, run)


def find_position(ctx: Ctx, flt: WorkFilter, customer_id: str) -> int | None:
    """0-based position of ``customer_id`` in the filtered list, or None when it is not in it."""
    if flt.own_first is not None:
        mine, free = _own_parts(flt)
        pos = find_position(ctx, mine, customer_id)
        if pos is not None:
            return pos
        pos = find_position(ctx, free, customer_id)
        return None if pos is None else count(ctx, mine) + pos

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
    if flt.own_first is not None:
        position = find_position(ctx, flt, customer_id)
        if position is None:
            return None
        return position, fetch_page(ctx, flt, position - position % page_size, page_size)

    def run(raw: RawConnection) -> tuple[int, list[WorkRow]] | None:
        where, params = _where(raw, ctx, flt)
        join = " AND" if where else " WHERE"
        locator = dialect_of(raw).row_locator("w", "customer_id")
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
            f"SELECT {COLUMNS} FROM work_item w WHERE {locator} IN ({marks}) ORDER BY w.sort_key", ids
        ).fetchall()
        return position, build_rows(raw, ctx, rows, start)

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
            and (not flt.unassigned or w.collector_id is None)
            and (flt.own_first is None or w.collector_id in (None, flt.own_first))
        ]
        if flt.own_first is not None:  # stable: the list order within each part
            chosen.sort(key=lambda w: w.collector_id is None)
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
                encode_reasons(w.reasons),
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
        result = build_rows(raw, ctx, rows, offset)
        for row, w in zip(result, page, strict=True):
            row.promise = promise_summary(w.promise) if w.promise else None
        return len(chosen), result

    return _with_raw(ctx, run)
