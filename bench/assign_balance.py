"""Benchmark: `collectui assign --balance` on the 100,000-borrower bank, against a refresh of the same borrowers.

Builds (or reuses, cached under /tmp) the bank of `bench/bench_queue.py`'s shape with `bench/gen_bank.py`
(100,000 customers, 2 loans each, 3 branches of 10 collectors), refreshed once. Then, per round, on a fresh
copy of it, in the first branch (about 33,000 borrowers):

  (a) baseline: ``refresh(ctx, ids)`` of the borrowers the balance moves (a partial refresh; the balance
      does one inside its transaction, so this is the floor of its cost);
  (b) ``balance(..., dry_run=True)`` with a third of the branch's borrowers unassigned (read only);
  (c) ``balance(...)`` of those unassigned borrowers, for real (assignment rows, every loan, one audit event
      per borrower, the refresh);
  (d) ``balance(..., leaving=...)``: one collector's borrowers spread over the nine others.

Prints the best of --rounds (the machine is shared), the ratios to (a), and the verdict on the target
(c under 5 s).

    python bench/assign_balance.py [--customers 100000] [--rounds 2] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen_bank import BankSpec, generate
from collectui.clock import FixedClock
from collectui.domain.cases import assignment
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio import refresh
from collectui.domain.staff.actor import system_actor
from collectui.storage.engine import Database

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
ADMIN = system_actor("bench:assign")


def bank(customers: int, rebuild: bool) -> Path:
    """The generated bank with today's work list, cached by size (rebuilt when the schema lacks assignment)."""
    path = Path(f"/tmp/collectui-bench-assign-{customers}.db")
    if path.exists() and not rebuild:
        conn = sqlite3.connect(path)
        fresh = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'assignment'").fetchone()
        conn.close()
        if fresh:
            return path
    spec = BankSpec(customers=customers, loans_per_customer=2, share_overdue=0.5, as_of=NOW.date(), seed=42)
    stats = generate(path, spec)
    print(f"built {path.name}: {stats.customers:,} customers, {stats.loans:,} loans in {stats.seconds:.1f} s")
    db = Database(path)
    started = time.perf_counter()
    refresh.refresh(Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy()))
    print(f"full refresh in {time.perf_counter() - started:.1f} s")
    db.dispose()
    return path


def _copy(template: Path, folder: Path, unassign_share: float) -> tuple[Ctx, str, list[str]]:
    """A copy with ``unassign_share`` of the first branch's borrowers left without a collector: (ctx, branch,
    the unassigned borrowers)."""
    path = folder / "work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    branch, branch_id = conn.execute("SELECT name, id FROM branch ORDER BY id LIMIT 1").fetchone()
    every = max(int(1 / unassign_share), 1) if unassign_share else 0
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT customer_id FROM customer WHERE branch_id = ? ORDER BY customer_id", (branch_id,)
        ).fetchall()
    ]
    freed = ids[::every] if every else []
    conn.executemany("UPDATE loan SET collector_id = NULL WHERE customer_id = ?", [(c,) for c in freed])
    conn.executemany("UPDATE work_item SET collector_id = NULL WHERE customer_id = ?", [(c,) for c in freed])
    conn.commit()
    conn.close()
    db = Database(path)
    return Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy()), branch, freed


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def round_(template: Path, folder: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    ctx, branch, freed = _copy(template, folder, 1 / 3)
    out["borrowers to spread"] = len(freed)
    out["(a) baseline: refresh of those borrowers (s)"], _ = _timed(lambda: refresh.refresh(ctx, freed))
    out["(b) balance --dry-run (s)"], dry = _timed(lambda: assignment.balance(ctx, ADMIN, branch, dry_run=True))
    out["(c) balance, unassigned (s)"], done = _timed(lambda: assignment.balance(ctx, ADMIN, branch))
    assert isinstance(dry, assignment.BalanceResult) and isinstance(done, assignment.BalanceResult)
    assert len(done.moves) == len(freed) == len(dry.moves)
    out["spread before: borrowers"] = done.spread_before.borrowers
    out["spread after: borrowers"] = done.spread_after.borrowers
    out["spread before: overdue (yuan)"] = done.spread_before.overdue_fen / 100
    out["spread after: overdue (yuan)"] = done.spread_after.overdue_fen / 100
    leaving = next(e for e in done.after if e.username is not None and e.borrowers)
    out["(d) balance --from one collector (s)"], left = _timed(
        lambda: assignment.balance(ctx, ADMIN, branch, leaving=leaving.username)
    )
    assert isinstance(left, assignment.BalanceResult)
    out["moved from the leaving collector"] = len(left.moves)
    ctx.db.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="assign --balance benchmark")
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    template = bank(a.customers, a.rebuild)
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(a.rounds):
            for key, value in round_(template, Path(folder)).items():
                best[key] = min(best.get(key, value), value) if key.endswith("(s)") else value
    base = best["(a) baseline: refresh of those borrowers (s)"]
    print(f"\n{'measure':48} {'value':>12} {'x baseline':>11}")
    for key, value in best.items():
        ratio = f"{value / base:11.1f}" if key.endswith("(s)") and base else ""
        print(f"{key:48} {value:12,.2f} {ratio}")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    target = best["(c) balance, unassigned (s)"]
    print(f"target: assign --balance under 5 s -> {target:.2f} s {'OK' if target < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
