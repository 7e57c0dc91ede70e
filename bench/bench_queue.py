"""Benchmark: the ranked work list at 100,000 borrowers against a 1,000-borrower baseline in the same run.

Builds (or reuses, cached under /tmp by spec) a bank of 100,000 customers / 200,000 loans / 2,400,000
instalments / ~1,000,000 payments, and a 1,000-customer bank with the same shape, then measures on both:

- the full refresh (what the first use of a day, or an import, costs), and an incremental refresh of 5
  customers (what recording a call costs);
- the next day's first use (the stored state rolled forward one day);
- `collectui queue --limit 50` in-process (ensure_current + count + one page) and as a subprocess;
- the TUI's reads: a page at a deep offset, count, bucket summary, find_position;
- a plain `SELECT ... LIMIT 50` over customers, as the floor for any query.

Usage: python bench/bench_queue.py [--customers 100000] [--share-overdue 0.5] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen_bank import BankSpec, generate
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio import refresh
from collectui.domain.worklist import queries as worklist
from collectui.storage.locate import database_at

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)


def bank(customers: int, share: float, rebuild: bool, path: Path | None = None) -> Path:
    """The bank of ``customers`` (cached under /tmp by its spec, or built at ``path``)."""
    spec = BankSpec(
        customers=customers,
        loans_per_customer=2,
        instalments_per_loan=12,
        payments=customers * 10,
        share_overdue=share,
        as_of=NOW.date(),
        seed=42,
    )
    path = path or Path(f"/tmp/collectui-bench-queue-{customers}-{int(share * 100)}.db")
    if rebuild or not path.exists():
        stats = generate(path, spec)
        print(
            f"built {path.name}: {stats.customers:,} customers, {stats.loans:,} loans, "
            f"{stats.instalments:,} instalments, {stats.payments:,} payments in {stats.seconds:.1f} s"
        )
    return path


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def cpu_and_wall(fn) -> tuple[float, float, object]:
    c, t = time.process_time(), time.perf_counter()
    result = fn()
    return time.perf_counter() - t, time.process_time() - c, result


def measure(path: Path | str) -> dict[str, float]:
    """The work list's figures on the bank at ``path`` (a SQLite file or a PostgreSQL URL)."""
    db = database_at(path)
    ctx = Ctx(db, FixedClock(NOW, TZ), Policy())
    out: dict[str, float] = {}
    wall, cpu, stats = cpu_and_wall(lambda: refresh.refresh(ctx))
    out["full refresh (s)"], out["full refresh CPU (s)"] = wall, cpu
    out["work items"] = stats.work_items
    some = [r.customer_id for r in worklist.fetch_page(ctx, worklist.WorkFilter(), 0, 5)]
    out["incremental refresh, 5 customers (ms)"] = timed(lambda: refresh.refresh(ctx, some))[0] * 1000

    def queue_in_process():
        refresh.ensure_current(ctx)
        flt = worklist.WorkFilter()
        return worklist.count(ctx, flt), worklist.fetch_page(ctx, flt, 0, 50)

    out["queue --limit 50 in-process (ms)"] = timed(queue_in_process)[0] * 1000
    from bench.access import admin_token_env

    env = dict(os.environ, COLLECTUI_NOW=NOW.isoformat(), **admin_token_env(path, NOW))
    exe = str(Path(sys.executable).with_name("collectui"))
    cmd = [exe, "--db", str(path), "queue", "--limit", "50", "--format", "json"]
    out["queue --limit 50 subprocess (ms)"] = (
        timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=True), 3)[0] * 1000
    )
    out["collectui --help subprocess (ms)"] = (
        timed(lambda: subprocess.run([exe, "--help"], env=env, capture_output=True, check=True), 3)[0] * 1000
    )
    total = worklist.count(ctx, worklist.WorkFilter())
    deep = max(total - 60, 0)
    out["TUI page of 60 at the end (ms)"] = (
        timed(lambda: worklist.fetch_page(ctx, worklist.WorkFilter(), deep, 60))[0] * 1000
    )
    out["TUI page of 60, branch + blocked, end (ms)"] = (
        timed(
            lambda: worklist.fetch_page(
                ctx, worklist.WorkFilter(branch=2, include_blocked=True), max(total // 3 - 60, 0), 60
            )
        )[0]
        * 1000
    )
    out["TUI count (ms)"] = timed(lambda: worklist.count(ctx, worklist.WorkFilter()))[0] * 1000
    out["TUI bucket summary (ms)"] = timed(lambda: worklist.bucket_summary(ctx, worklist.WorkFilter()))[0] * 1000
    last = worklist.fetch_page(ctx, worklist.WorkFilter(), deep, 1)
    if last:
        out["TUI find_position of the last row (ms)"] = (
            timed(lambda: worklist.find_position(ctx, worklist.WorkFilter(), last[0].customer_id))[0] * 1000
        )
    out["TUI search by name (ms)"] = (
        timed(lambda: worklist.fetch_page(ctx, worklist.WorkFilter(search="王伟"), 0, 20))[0] * 1000
    )

    def plain():
        with db.engine.connect() as c:
            return c.exec_driver_sql("SELECT customer_id, name FROM customer LIMIT 50").all()

    out["plain SELECT 50 customers (ms)"] = timed(plain)[0] * 1000
    # The next day's first use: the stored state carried forward (what `queue` / the TUI pay once a day).
    ctx.clock.advance(timedelta(days=1))
    wall, cpu, _ = cpu_and_wall(lambda: refresh.ensure_current(ctx))
    out["next day: roll forward (s)"], out["next day: roll forward CPU (s)"] = wall, cpu
    db.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="work-list benchmark")
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--share-overdue", type=float, default=0.5)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    small = measure(bank(max(a.customers // 100, 100), a.share_overdue, a.rebuild))
    big = measure(bank(a.customers, a.share_overdue, a.rebuild))
    print(f"\n{'measure':48} {'baseline':>12} {'big':>12} {'ratio':>8}")
    for key in big:
        b, s = big[key], small.get(key, 0)
        ratio = f"{b / s:8.1f}" if s else "     n/a"
        print(f"{key:48} {s:12.1f} {b:12.1f} {ratio}")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    target = big["queue --limit 50 subprocess (ms)"]
    print(f"target: queue --limit 50 under 1 s -> {target:.0f} ms {'OK' if target < 1000 else 'MISSED'}")


if __name__ == "__main__":
    main()
