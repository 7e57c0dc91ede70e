"""Benchmark: the full overdue refresh (``refresh_in(raw, ctx, None)``) against bare I/O in the same run.

Builds the bank that `bench/bench_import.py` imports (default 100,000 loans x 10 instalments = 1,000,000
instalments, 10 loans per borrower, no payments) straight with sqlite3, optionally with payments on a share
of the loans (--paid-share: those loans take the Python payment waterfall), then on a fresh copy, per round:

  (a) baseline: a bare ``SELECT ... FROM instalment ORDER BY loan_id, seq`` iterated in Python, plus a bare
      executemany of one loan_state-shaped row per loan into a plain TEMP table;
  (b) the full refresh on an empty state (what `collectui import schedule` runs inside its transaction);
  (c) the full refresh again with the state present (a full refresh on a later day, or a new policy).

Prints the best of --rounds (the machine is shared) and the ratios (b)/(a), (c)/(a): how close to I/O-bound
the refresh is.

    python bench/bench_refresh.py [--loans 100000] [--paid-share 0.0] [--rounds 3] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("COLLECTUI_NOW", "2026-11-28T10:00:00+08:00")

from bench.bench_import import prepare_db
from collectui.cli.common import State
from collectui.domain.portfolio.refresh import refresh_in


def build(path: Path, loans: int, per_loan: int, paid_share: float) -> None:
    """The bench_import bank with its schedule already in (same amounts and due dates)."""
    prepare_db(path, loans)
    start = date(2025, 1, 15)
    dues = [(start + timedelta(days=30 * k)).isoformat() for k in range(1, per_loan + 1)]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO instalment(loan_id, seq, due_date, principal_due_fen, interest_due_fen) VALUES (?,?,?,?,?)",
        (
            (f"L{n:08d}", k + 1, dues[k], (1000 + (n % 50) * 100) * 100, ((n * 7 + k) % 900) * 100 + (k % 10) * 10 + 5)
            for n in range(loans)
            for k in range(per_loan)
        ),
    )
    rng = random.Random(1)
    paid = rng.sample(range(loans), int(loans * paid_share))
    conn.executemany(
        "INSERT INTO payment(payment_id, loan_id, paid_on, amount_fen, channel) VALUES (?, ?, ?, ?, 'counter')",
        (
            (
                f"P{n:08d}",
                f"L{n:08d}",
                (start + timedelta(days=rng.randrange(30, 600))).isoformat(),
                rng.randrange(1, 1_500_000),
            )
            for n in paid
        ),
    )
    conn.execute("COMMIT")
    conn.close()


def baseline(path: Path) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    n = 0
    for _row in conn.execute(
        "SELECT loan_id, seq, due_date, principal_due_fen, interest_due_fen FROM instalment ORDER BY loan_id, seq"
    ):
        n += 1
    loans = conn.execute("SELECT loan_id, customer_id FROM loan").fetchall()
    conn.execute(
        "CREATE TEMP TABLE state(loan_id, customer_id, as_of, dpd, bucket, category, overdue_fen, "
        "outstanding_fen, oldest_unpaid_due, next_due_date, next_due_fen)"
    )
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO temp.state VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (lid, cid, "2026-11-28", 30, "M1", "special_mention", 105000, 105000, "2026-10-29", "2026-12-29", 105000)
            for lid, cid in loans
        ],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def full_refresh(path: Path) -> tuple[float, object]:
    ctx = State(path, None, None).ctx()
    with ctx.db.raw_write() as raw:
        started = time.perf_counter()
        stats = refresh_in(raw, ctx, None)
        elapsed = time.perf_counter() - started
    ctx.db.dispose()
    return elapsed, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--per-loan", type=int, default=10)
    parser.add_argument("--paid-share", type=float, default=0.0, help="share of loans with a payment")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="measure on a copy of this database instead of building one")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    source = work / "source.db"
    if args.db:
        shutil.copy(args.db, source)
    else:
        t = time.perf_counter()
        build(source, args.loans, args.per_loan, args.paid_share)
        print(
            f"built: {args.loans:,} loans x {args.per_loan} instalments, paid share {args.paid_share:.0%} "
            f"({time.perf_counter() - t:.1f} s)"
        )
    conn = sqlite3.connect(source)
    loans, insts, pays = (
        conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("loan", "instalment", "payment")
    )
    conn.close()
    print(f"bank: {loans:,} loans, {insts:,} instalments, {pays:,} payments; load average {os.getloadavg()[0]:.2f}")
    results: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    stats = None
    for _ in range(args.rounds):
        db = work / "round.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copy(source, db)
        results["a"].append(baseline(db))
        elapsed, stats = full_refresh(db)
        results["b"].append(elapsed)
        results["c"].append(full_refresh(db)[0])
    a, b, c = (min(results[k]) for k in "abc")
    print(f"(a) baseline: SELECT instalments ORDER BY loan_id, seq + executemany {loans:,} rows: {a:6.2f} s")
    print(
        f"(b) full refresh, empty state  : {b:6.2f} s   ({stats.loans:,} loans, {stats.overdue_loans:,} overdue, "
        f"{stats.work_items:,} work items)"
    )
    print(f"(c) full refresh, state present: {c:6.2f} s")
    print(
        f"ratio (b)/(a): {b / a:.2f}x   ratio (c)/(a): {c / a:.2f}x   (best of {args.rounds}; all rounds: "
        + ", ".join(f"{k}=" + "/".join(f"{x:.2f}" for x in v) for k, v in results.items())
        + ")"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
