"""Reading payment plans: the list (CLI, TUI), one borrower's plans (the profile) and the queue's summary.

Plain SQL on a read snapshot, names masked before any face sees them. A completed plan is shown as
``kept`` (``shown_status``): every instalment was paid in time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from collectui.domain.context import Ctx
from collectui.domain.privacy.masking import mask_name
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import reading_scope
from collectui.money import fmt_fen
from collectui.storage.raw import RawConnection


def shown_status(status: str) -> str:
    return "kept" if status == "completed" else status


@dataclass(frozen=True)
class InstalmentView:
    seq: int
    due_date: date
    amount_fen: int
    status: str  # open | kept | partial | broken
    paid_fen: int


@dataclass(frozen=True)
class PlanView:
    id: int
    customer_id: str
    name: str  # masked
    branch: str
    status: str
    proposed_at: datetime  # policy zone
    proposed_by: str | None  # username; None: a machine's token
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    call_id: int | None
    total_fen: int
    instalments: tuple[InstalmentView, ...]

    @property
    def shown_status(self) -> str:
        return shown_status(self.status)

    @property
    def paid_fen(self) -> int:
        return sum(i.paid_fen for i in self.instalments)

    @property
    def next_open(self) -> InstalmentView | None:
        return next((i for i in self.instalments if i.status == "open"), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "name": self.name,
            "branch": self.branch,
            "status": self.shown_status,
            "proposed_at": self.proposed_at.isoformat(timespec="seconds"),
            "proposed_by": self.proposed_by,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(timespec="seconds") if self.decided_at else None,
            "reason": self.decision_reason,
            "call_id": self.call_id,
            "total": fmt_fen(self.total_fen),
            "paid": fmt_fen(self.paid_fen),
            "instalments": [
                {
                    "seq": i.seq,
                    "date": i.due_date.isoformat(),
                    "amount": fmt_fen(i.amount_fen),
                    "status": i.status,
                    "paid": fmt_fen(i.paid_fen),
                }
                for i in self.instalments
            ],
        }


MAX_LISTED = 2000

_SELECT = (
    "SELECT p.id, p.customer_id, c.name, b.name, p.status, p.proposed_at, up.username, ua.username, "
    "p.approved_at, p.decision_reason, p.call_id, p.total_fen "
    "FROM payment_plan p JOIN customer c ON c.customer_id = p.customer_id JOIN branch b ON b.id = c.branch_id "
    "LEFT JOIN staff_user up ON up.id = p.proposed_by LEFT JOIN staff_user ua ON ua.id = p.approved_by"
)


def _views(
    ctx: Ctx, raw: RawConnection, where: str, params: tuple[object, ...], limit: int = MAX_LISTED
) -> list[PlanView]:
    tz = ctx.policy.tz
    rows = raw.execute(f"{_SELECT} WHERE {where} ORDER BY p.id DESC LIMIT {int(limit)}", params).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    insts: dict[int, list[InstalmentView]] = {i: [] for i in ids}
    marks = ",".join("?" * len(ids))  # plans listed are few (a branch's); the list is paged by the face
    for pid, seq, due, amount, status, paid in raw.execute(
        "SELECT plan_id, seq, due_date, amount_fen, status, paid_fen FROM plan_instalment "
        f"WHERE plan_id IN ({marks}) ORDER BY plan_id, seq",
        ids,
    ):
        insts[pid].append(InstalmentView(seq, date.fromisoformat(due), amount, status, paid or 0))
    views = []
    for pid, cid, name, branch, status, proposed, by, decider, decided, reason, call_id, total in rows:
        views.append(
            PlanView(
                pid,
                cid,
                mask_name(name, ctx.policy),
                branch,
                status,
                datetime.fromisoformat(proposed).astimezone(tz),
                by,
                decider,
                datetime.fromisoformat(decided).astimezone(tz) if decided and decider else None,
                reason,
                call_id,
                total,
                tuple(insts[pid]),
            )
        )
    return views


def list_plans(
    ctx: Ctx,
    actor: Actor,
    status: str | None = None,
    customer_id: str | None = None,
    branch: str | None = None,
) -> list[PlanView]:
    """Plans newest first (at most ``MAX_LISTED``), of the actor's branch for a branch-bound actor.
    ``status`` ``kept`` means completed."""
    scope = reading_scope(ctx, actor, "queue.read", branch, customer_id or None)
    where, params = ["1 = 1"], []
    if status:
        params.append("completed" if status == "kept" else status)
        where.append("p.status = ?")
    if customer_id:
        params.append(customer_id)
        where.append("p.customer_id = ?")
    if scope is not None:
        params.append(scope)
        where.append("b.name = ?")
    with ctx.db.raw_read() as raw:
        views = _views(ctx, raw, " AND ".join(where), tuple(params))
    return views


def plans_of(ctx: Ctx, customer_id: str) -> list[PlanView]:
    """One borrower's plans, newest first, for a face that has already checked the right to see them."""
    with ctx.db.raw_read() as raw:
        return _views(ctx, raw, "p.customer_id = ?", (customer_id,))


def queue_plans(raw: RawConnection, customer_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The plan shown next to ``promise`` in the queue JSON, per borrower: the live (proposed or active)
    plan, else the latest. ``{id, status, total, paid, instalments, next_date, next_amount}`` (money in yuan)."""
    ids = list(dict.fromkeys(customer_ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for pid, cid, status, total, count, paid, next_date, next_amount in raw.execute(
            "SELECT p.id, p.customer_id, p.status, p.total_fen, count(i.seq), coalesce(sum(i.paid_fen), 0), "
            "min(CASE WHEN i.status = 'open' THEN i.due_date END), "
            "(SELECT i2.amount_fen FROM plan_instalment i2 WHERE i2.plan_id = p.id AND i2.status = 'open' "
            "ORDER BY i2.seq LIMIT 1) "
            "FROM payment_plan p JOIN plan_instalment i ON i.plan_id = p.id "
            f"WHERE p.customer_id IN ({marks}) GROUP BY p.id ORDER BY p.id",
            chunk,
        ):
            held = found.get(cid)
            if held is not None and held["status"] in ("proposed", "active") and status not in ("proposed", "active"):
                continue  # the live plan wins over a later ended one (there is at most one live plan)
            found[cid] = {
                "id": pid,
                "status": shown_status(status),
                "total": fmt_fen(total),
                "paid": fmt_fen(paid),
                "instalments": count,
                "next_date": next_date,
                "next_amount": fmt_fen(next_amount) if next_amount is not None else None,
            }
    return found
