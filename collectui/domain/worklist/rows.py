"""The rows of the work list as the faces show them: masked, with names, branches, collectors and promises.

``build_rows`` turns ``work_item`` rows (driver values, in the order of ``COLUMNS``) into ``WorkRow``s with a
handful of keyed reads per page, whatever the page's offset.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypedDict

from collectui.domain.context import Ctx
from collectui.domain.portfolio.reasons import decode as decode_reasons
from collectui.domain.privacy.masking import mask_name, mask_phone
from collectui.domain.said import Said
from collectui.storage.raw import RawConnection

COLUMNS = (
    "w.customer_id, w.max_dpd, w.bucket, w.category, w.overdue_fen, w.outstanding_fen, w.score, "
    "w.reasons, w.callable, w.blocked_reason, w.last_contact_at, w.promise_id, w.loan_ids, w.branch_id, "
    "w.collector_id, w.broken_promises, w.as_of, w.blocked_until, w.callback_at"
)


class PromiseSummary(TypedDict):
    """The open or latest promise of a borrower, as the list shows it."""

    id: int
    amount_fen: int
    date: str  # ISO date
    status: str  # open | kept | partial | broken
    paid_fen: int


def promise_summary(p: Mapping[str, Any]) -> PromiseSummary:
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
    reasons: list[Said]  # the ranking's explanation (portfolio/reasons.py)
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


def build_rows(raw: RawConnection, ctx: Ctx, rows: Sequence[Sequence[Any]], offset: int) -> list[WorkRow]:
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
                reasons=decode_reasons(r[7]),
                callable=bool(r[8]),
                blocked_reason=r[9],
                last_contact_at=datetime.fromisoformat(r[10]) if r[10] else None,
                promise=promises.get(r[11]) if r[11] is not None else None,
                loan_ids=json.loads(r[12]) if r[12] else [],
                collector=users.get(r[14]),
                broken_promises=r[15],
                as_of=date.fromisoformat(r[16]) if r[16] else None,
                blocked_until=local_time(r[17], ctx),
                callback_at=local_time(r[18], ctx),
            )
        )
    return out


def local_time(stored: str | None, ctx: Ctx) -> datetime | None:
    return datetime.fromisoformat(stored).astimezone(ctx.policy.tz) if stored else None
