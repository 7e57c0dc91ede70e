"""Who calls whom: a supervisor assigns borrowers to the collectors of their branch, and sees the load.

A borrower is assigned whole: every one of their loans gets the collector (``loan.collector_id``, what the
work list reads), and a row in ``assignment`` marks it as made in collectui, so the loans import keeps it
whatever its ``collector`` column says (``importing.kinds``). It stands until changed here.

- ``assign``: chosen borrowers to one active collector of their branch.
- ``balance``: spread the branch's unassigned borrowers (no loan with a collector), or a leaving
  collector's, over the branch's other active collectors so that their overdue amounts, then their
  borrower counts, end as even as possible (``plan_moves``: greedy, the largest overdue amount first onto
  the collector with the least; then the borrowers with nothing overdue onto the fewest borrowers). Only
  the borrowers being spread move: what a collector already holds stays. ``dry_run`` computes the same
  moves and writes nothing.
- ``load``: per collector, borrowers (with a loan not closed), those on today's work list, overdue amount.

A borrower's collector, for the load: the work list's (the collector of the worst overdue loan) for an
overdue borrower, else the collector on any of their loans. Only supervisors and admins (``assign``);
collectors are refused and the refusal audited. Each borrower moved is an ``assignment.assign`` event.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from collectui.domain.audit import RawAudit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, authorize_customer, reading_scope
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text


@dataclass
class CollectorLoad:
    username: str | None  # None: the branch's unassigned borrowers
    branch: str
    active: bool = True
    borrowers: int = 0
    overdue_borrowers: int = 0
    overdue_fen: int = 0


@dataclass(frozen=True)
class Move:
    customer_id: str
    from_user: str | None
    to_user: str
    overdue_fen: int


@dataclass(frozen=True)
class Spread:
    """Max minus min over the collectors that take work: borrowers and overdue amount."""

    borrowers: int
    overdue_fen: int


@dataclass
class BalanceResult:
    branch: str
    leaving: str | None
    dry_run: bool
    moves: list[Move] = field(default_factory=list)
    before: list[CollectorLoad] = field(default_factory=list)
    after: list[CollectorLoad] = field(default_factory=list)
    spread_before: Spread = Spread(0, 0)
    spread_after: Spread = Spread(0, 0)


@dataclass
class AssignResult:
    to_user: str
    moves: list[Move]  # collector changed
    confirmed: list[str]  # already theirs, now marked as a hand assignment


# One row per borrower with a loan not closed: (customer_id, branch, collector username or NULL, overdue fen,
# on the work list). A correlated look-up per borrower, so a branch filter reads only its own borrowers.
_PORTFOLIO = """
    SELECT c.customer_id, b.name,
           COALESCE(
               (SELECT u.username FROM work_item w JOIN staff_user u ON u.id = w.collector_id
                WHERE w.customer_id = c.customer_id),
               (SELECT MAX(u.username) FROM loan l JOIN staff_user u ON u.id = l.collector_id
                WHERE l.customer_id = c.customer_id AND l.status != 'closed')),
           COALESCE((SELECT w.overdue_fen FROM work_item w WHERE w.customer_id = c.customer_id), 0),
           EXISTS (SELECT 1 FROM work_item w WHERE w.customer_id = c.customer_id)
    FROM customer c JOIN branch b ON b.id = c.branch_id
    WHERE EXISTS (SELECT 1 FROM loan l WHERE l.customer_id = c.customer_id AND l.status != 'closed')
"""
Holding = tuple[str, str, str | None, int, int]  # a row of _PORTFOLIO


def _portfolio(raw: RawConnection, branch: str | None) -> list[Holding]:
    params: tuple[str, ...]
    sql, params = _PORTFOLIO, ()
    if branch is not None:
        sql, params = sql + " AND b.name = ?", (branch,)
    return [
        (str(r[0]), str(r[1]), r[2], int(r[3]), int(r[4])) for r in raw.execute(sql + " ORDER BY c.customer_id", params)
    ]


def _collectors(raw: RawConnection, branch: str | None) -> list[tuple[str, str, bool]]:
    """(username, branch, active) of every collector account, of one branch or all."""
    sql = (
        "SELECT u.username, b.name, u.active FROM staff_user u JOIN branch b ON b.id = u.branch_id "
        "WHERE u.role = 'collector'"
    )
    params: tuple[object, ...] = ()
    if branch is not None:
        sql, params = sql + " AND b.name = ?", (branch,)
    return [(str(r[0]), str(r[1]), r[2] == 1) for r in raw.execute(sql + " ORDER BY b.name, u.username", params)]


def _loads(holdings: Iterable[Holding], collectors: Sequence[tuple[str, str, bool]]) -> list[CollectorLoad]:
    """Per collector (every collector listed, then anyone else holding borrowers), then each branch's
    unassigned; collectors with nothing are listed too, so an idle collector shows."""
    by_key: dict[tuple[str, str | None], CollectorLoad] = {}
    for name, branch, active in collectors:
        by_key[(branch, name)] = CollectorLoad(name, branch, active)
    for _cid, branch, user, overdue, listed in holdings:
        entry = by_key.setdefault((branch, user), CollectorLoad(user, branch, user is not None))
        entry.borrowers += 1
        entry.overdue_borrowers += listed
        entry.overdue_fen += overdue
    return sorted(by_key.values(), key=lambda e: (e.branch, e.username is None, e.username or ""))


def _ensure_current(ctx: Ctx, actor: Actor) -> None:
    from collectui.domain.portfolio.refresh import ensure_current

    ensure_current(ctx, actor.name)


def load(ctx: Ctx, actor: Actor, branch: str | None = None) -> list[CollectorLoad]:
    """The load per collector (``assign``); a branch-bound supervisor sees their branch only."""
    scope = reading_scope(ctx, actor, "assign", branch)
    _ensure_current(ctx, actor)
    with ctx.db.raw_read() as raw:
        return _loads(_portfolio(raw, scope), _collectors(raw, scope))


def collector_of(ctx: Ctx, customer_id: str) -> str | None:
    """The collector (username) on the borrower's loans not closed, None when nobody (for the screens)."""
    with ctx.db.raw_read() as raw:
        row = raw.execute(
            "SELECT MAX(u.username) FROM loan l JOIN staff_user u ON u.id = l.collector_id "
            "WHERE l.customer_id = ? AND l.status != 'closed'",
            (customer_id,),
        ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def spread(loads: Iterable[CollectorLoad], users: Iterable[str]) -> Spread:
    chosen = [e for e in loads if e.username in set(users)]
    if not chosen:
        return Spread(0, 0)
    counts, amounts = [e.borrowers for e in chosen], [e.overdue_fen for e in chosen]
    return Spread(max(counts) - min(counts), max(amounts) - min(amounts))


def plan_moves(items: Sequence[tuple[str, str | None, int]], targets: dict[str, tuple[int, int]]) -> list[Move]:
    """Greedy spread. ``items``: (customer_id, from_user, overdue_fen) to place; ``targets``: username ->
    (borrowers, overdue_fen) already held. Borrowers with something overdue first, largest amount first, each
    onto the collector with the least overdue amount (ties: fewer borrowers, then the username); then those
    with nothing overdue, each onto the collector with the fewest borrowers. Amounts are the work, so they
    are evened first; the borrowers without overdue amount then even out the counts without moving them.

    A combined key (shares of amount plus shares of count) was tried and rejected: it lets one collector end
    with the money and another with the headcount, making the amount spread worse than before."""
    if not targets:
        raise InvalidInput(said("error.cases.no_active_collector", "no active collector to take the borrowers"))
    held = {user: [n, o] for user, (n, o) in targets.items()}
    by_amount = [(o, n, user) for user, (n, o) in targets.items()]
    heapq.heapify(by_amount)
    moves = []
    ordered = sorted(items, key=lambda i: (-i[2], i[0]))
    for cid, from_user, overdue in (i for i in ordered if i[2] > 0):
        o, n, user = heapq.heappop(by_amount)
        moves.append(Move(cid, from_user, user, overdue))
        held[user] = [n + 1, o + overdue]
        heapq.heappush(by_amount, (o + overdue, n + 1, user))
    by_count = [(n, o, user) for user, (n, o) in held.items()]
    heapq.heapify(by_count)
    for cid, from_user, overdue in (i for i in ordered if i[2] <= 0):
        n, o, user = heapq.heappop(by_count)
        moves.append(Move(cid, from_user, user, overdue))
        heapq.heappush(by_count, (n + 1, o, user))
    return moves


def _apply(raw: RawConnection, ctx: Ctx, actor: Actor, moves: Sequence[Move], via: str) -> None:
    """Write the moves: the assignment rows, every loan of each borrower, one audit event each, the list."""
    from collectui.domain.portfolio.refresh import refresh_in

    if not moves:
        return
    ids = dict(raw.execute("SELECT username, id FROM staff_user WHERE role = 'collector'").fetchall())
    at = utc_text(ctx.clock.now())
    rows = [(m.customer_id, ids[m.to_user], actor.user_id, at) for m in moves]
    raw.executemany(
        "INSERT INTO assignment(customer_id, collector_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (customer_id) DO UPDATE SET collector_id = excluded.collector_id, "
        "assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
        rows,
    )
    raw.executemany("UPDATE loan SET collector_id = ? WHERE customer_id = ?", [(r[1], r[0]) for r in rows])
    appender = RawAudit(raw, ctx.clock, actor.name)
    for m in moves:
        details = {"from": m.from_user, "to": m.to_user, "via": via, "policy": ctx.policy_version}
        appender.add("assignment.assign", "assignment", m.customer_id, details)
    appender.close()
    # The work list's collector follows in the same transaction.
    refresh_in(raw, ctx, [m.customer_id for m in moves], actor=actor.name)


def _collector(raw: RawConnection, username: str) -> tuple[str, bool]:
    """(branch, active) of a collector account; NotFound / InvalidInput for anyone else."""
    row = raw.execute(
        "SELECT u.role, b.name, u.active FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id "
        "WHERE u.username = ?",
        (username,),
    ).fetchone()
    if row is None:
        raise NotFound(said("error.cases.no_user", f"no user {username!r}", username=repr(username)))
    if row[0] != "collector":
        raise InvalidInput(
            said(
                "error.cases.assign_not_collector",
                f"{username} is a {row[0]}: borrowers are assigned to collectors",
                username=username,
                role=row[0],
            )
        )
    if row[1] is None:
        raise InvalidInput(
            said(
                "error.cases.assign_no_branch",
                f"{username} has no branch: give the account one first (`collectui users`)",
                username=username,
            )
        )
    return str(row[1]), row[2] == 1


def assign(ctx: Ctx, actor: Actor, customer_ids: Sequence[str], to_user: str) -> AssignResult:
    """Assign borrowers (all their loans) to ``to_user``, an active collector of their branch."""
    wanted = list(dict.fromkeys(c.strip() for c in customer_ids if c.strip()))
    if not wanted:
        raise InvalidInput(said("error.cases.assign_name_borrower", "name at least one borrower (CUSTOMER_ID)"))
    with ctx.db.raw_read() as raw:
        branch, active = _collector(raw, to_user)
    authorize(ctx, actor, "assign", branch=branch)
    for cid in wanted:  # another branch's borrower: refused (audited) before saying anything of her branch
        authorize_customer(ctx, actor, "assign", cid)
    if not active:
        raise InvalidInput(said("error.cases.assign_inactive", f"{to_user} is not active", to_user=to_user))
    _ensure_current(ctx, actor)
    with ctx.db.raw_write() as raw:
        known = {}
        for cid in wanted:
            row = raw.execute(
                "SELECT b.name FROM customer c JOIN branch b ON b.id = c.branch_id WHERE c.customer_id = ?", (cid,)
            ).fetchone()
            if row is None:
                raise NotFound(said("error.cases.no_borrower", f"no borrower {cid!r}", cid=repr(cid)))
            if row[0] != branch:
                raise InvalidInput(
                    said(
                        "error.cases.assign_other_branch",
                        f"{cid} is a borrower of {row[0]}; {to_user} works for {branch}",
                        cid=cid,
                        borrower_branch=row[0],
                        to_user=to_user,
                        branch=branch,
                    )
                )
            known[cid] = row[0]
        current = {h[0]: h for h in _portfolio(raw, branch) if h[0] in known}
        hand = {
            cid for cid in known if raw.execute("SELECT 1 FROM assignment WHERE customer_id = ?", (cid,)).fetchone()
        }
        moves, confirmed = [], []
        for cid in wanted:
            holding = current.get(cid)
            before = holding[2] if holding else None
            overdue = holding[3] if holding else 0
            if before == to_user and cid in hand:
                confirmed.append(cid)
                continue
            moves.append(Move(cid, before, to_user, overdue))
        _apply(raw, ctx, actor, moves, "hand")
    changed = [m for m in moves if m.from_user != to_user]
    confirmed += [m.customer_id for m in moves if m.from_user == to_user]
    return AssignResult(to_user, changed, confirmed)


def _plan_balance(raw: RawConnection, result: BalanceResult) -> None:
    """Fill ``result`` with the moves and the loads before and after them (reads only)."""
    holdings = _portfolio(raw, result.branch)
    collectors = _collectors(raw, result.branch)
    result.before = _loads(holdings, collectors)
    takers = [u for u, _b, active in collectors if active and u != result.leaving]
    items = [(h[0], h[2], h[3]) for h in holdings if h[2] == result.leaving]
    held = {e.username: (e.borrowers, e.overdue_fen) for e in result.before if e.username in takers}
    result.moves = plan_moves(items, {u: held.get(u, (0, 0)) for u in takers}) if items else []
    moved = {m.customer_id: m.to_user for m in result.moves}
    after = [(cid, b, moved.get(cid, user), o, listed) for cid, b, user, o, listed in holdings]
    result.after = _loads(after, collectors)
    result.spread_before = spread(result.before, takers)
    result.spread_after = spread(result.after, takers)


def balance(ctx: Ctx, actor: Actor, branch: str, dry_run: bool = False, leaving: str | None = None) -> BalanceResult:
    """Spread the branch's unassigned borrowers, or ``leaving``'s, over its other active collectors."""
    authorize(ctx, actor, "assign", branch=branch)
    with ctx.db.raw_read() as raw:
        if raw.execute("SELECT 1 FROM branch WHERE name = ?", (branch,)).fetchone() is None:
            raise NotFound(said("error.cases.no_branch", f"no branch {branch!r}", branch=repr(branch)))
        if leaving is not None:
            leaving_branch, _active = _collector(raw, leaving)
            if leaving_branch != branch:
                raise InvalidInput(
                    said(
                        "error.cases.leaving_other_branch",
                        f"{leaving} works for {leaving_branch}, not {branch}",
                        leaving=leaving,
                        leaving_branch=leaving_branch,
                        branch=branch,
                    )
                )
    _ensure_current(ctx, actor)
    result = BalanceResult(branch, leaving, dry_run)
    if dry_run:
        with ctx.db.raw_read() as raw:
            _plan_balance(raw, result)
        return result
    with ctx.db.raw_write() as raw:
        _plan_balance(raw, result)  # again inside the write: nobody changed the branch in between
        _apply(raw, ctx, actor, result.moves, "balance")
        _audit_balance(raw, ctx, actor, result)
    return result


def _audit_balance(raw: RawConnection, ctx: Ctx, actor: Actor, result: BalanceResult) -> None:
    per_user: dict[str, int] = {}
    for m in result.moves:
        per_user[m.to_user] = per_user.get(m.to_user, 0) + 1
    appender = RawAudit(raw, ctx.clock, actor.name)
    appender.add(
        "assignment.balance",
        "branch",
        result.branch,
        {
            "leaving": result.leaving,
            "moved": len(result.moves),
            "to": per_user,
            "spread_before": [result.spread_before.borrowers, result.spread_before.overdue_fen],
            "spread_after": [result.spread_after.borrowers, result.spread_after.overdue_fen],
            "policy": ctx.policy_version,
        },
    )
    appender.close()
