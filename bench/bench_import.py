"""Benchmark: `collectui import schedule` against a stdlib csv + sqlite3 executemany baseline.

On the same generated schedule file (default 1,000,000 rows: 100,000 loans x 10 instalments), in one run:
  (a) baseline: csv.reader + sqlite3 executemany into a plain 5-column table, one transaction;
  (b) `collectui import schedule FILE` (validation, duplicate/reference checks, indexes, audit and the
      overdue refresh of every touched borrower), into a database already holding the loans.
Both run as child processes so that their peak memory (max RSS, from os.wait4) is measured apart.
  (c) the same import with --dry-run: validation, checks and writes, then a rollback: no overdue refresh;
  (d) (b)'s file imported again into (b)'s result: the daily full re-export, every row "unchanged".
(a), (b) and (d) run --repeat times, alternated, and the best and median of each are compared (a shared
machine's figures vary by a third from one run to the next). Target: (b) within 2.5x of (a)'s time, peak
memory under 300 MB.

    python bench/bench_import.py [--rows N] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASELINE = r"""
import csv, sqlite3, sys
src, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("CREATE TABLE schedule (loan_id TEXT, seq TEXT, due_date TEXT, principal_due TEXT, interest_due TEXT)")
conn.execute("BEGIN")
with open(src, newline="", encoding="utf-8") as fh:
    reader = csv.reader(fh)
    next(reader)
    batch = []
    for row in reader:
        batch.append(row)
        if len(batch) >= 10000:
            conn.executemany("INSERT INTO schedule VALUES (?, ?, ?, ?, ?)", batch)
            batch.clear()
    conn.executemany("INSERT INTO schedule VALUES (?, ?, ?, ?, ?)", batch)
conn.execute("COMMIT")
"""


def generate(path: Path, rows: int, per_loan: int = 10) -> int:
    loans = rows // per_loan
    start = date(2025, 1, 15)
    dues = [(start + timedelta(days=30 * k)).isoformat() for k in range(1, per_loan + 1)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("loan_id,seq,due_date,principal_due,interest_due\n")
        for n in range(loans):
            loan = f"L{n:08d}"
            principal = 1000 + (n % 50) * 100
            lines = [
                f"{loan},{k + 1},{dues[k]},{principal}.00,{(n * 7 + k) % 900}.{k % 10}5\n" for k in range(per_loan)
            ]
            fh.write("".join(lines))
    return loans


def prepare_db(path: Path, loans: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from collectui.storage.engine import Database

    db = Database(path)
    db.create_schema()
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO branch(id, name) VALUES (1, '城关支行')")
    customers = (loans + 9) // 10
    conn.executemany(
        "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
        "phone_invalid, sms_opt_out, hardship) VALUES (?, '张三', '11010119900307123X', '13812345678', 1, 0, 0, 0, 0, 0)",
        ((f"C{c:07d}",) for c in range(customers)),
    )
    conn.executemany(
        "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
        "VALUES (?, ?, '农户小额信用贷款', 1000000, '2024-12-15', '2025-11-15', 'active')",
        ((f"L{n:08d}", f"C{n // 10:07d}") for n in range(loans)),
    )
    conn.execute("COMMIT")
    conn.close()


def run_child(cmd: list[str], env: dict | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, max RSS in MB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace"))
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def fresh_copy(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (a) and (b), alternated; best and median")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    parser.add_argument("--no-dry-run", action="store_true", help="skip run (c)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "schedule.csv"
    t0 = time.perf_counter()
    loans = generate(src, args.rows)
    print(
        f"file: {args.rows:,} rows, {loans:,} loans, {src.stat().st_size / 1e6:.1f} MB "
        f"(generated in {time.perf_counter() - t0:.1f} s); {args.repeat} rounds, alternated"
    )
    start_db, base_db, app_db = work / "start.db", work / "baseline.db", work / "collectui.db"
    for p in (start_db, base_db):
        for suffix in ("", "-wal", "-shm"):
            Path(str(p) + suffix).unlink(missing_ok=True)
    os.environ["COLLECTUI_STATE_DIR"] = str(work / "state")  # the bench databases' audit keys stay in work
    prepare_db(start_db, loans)
    from bench.access import admin_token_env

    env = dict(os.environ, COLLECTUI_NOW="2026-11-28T10:00:00+08:00", **admin_token_env(start_db))
    cmd = [sys.executable, "-m", "collectui", "--db", str(app_db), "import", "schedule", str(src), "--quiet"]
    a_runs, b_runs, again_runs = [], [], []
    for _ in range(args.repeat):
        for suffix in ("", "-wal", "-shm"):
            Path(str(base_db) + suffix).unlink(missing_ok=True)
        a_runs.append(run_child([sys.executable, "-c", BASELINE, str(src), str(base_db)]))
        fresh_copy(start_db, app_db)
        b_runs.append(run_child(cmd, env))
        # (d) the daily case: the same full schedule again; every row is "unchanged", nothing to refresh.
        again_runs.append(run_child(cmd, env))
    # (c) the same import with --dry-run: everything but the refresh and the commit, to show what the
    # overdue refresh of 100,000 loans costs inside (b).
    c_run = None
    if not args.no_dry_run:
        dry_db = work / "dry.db"
        fresh_copy(start_db, dry_db)
        c_run = run_child([*cmd[:4], str(dry_db), *cmd[5:], "--dry-run"], env)
    conn = sqlite3.connect(app_db)
    stored = conn.execute("SELECT COUNT(*) FROM instalment").fetchone()[0]
    states = conn.execute("SELECT COUNT(*) FROM loan_state").fetchone()[0]
    conn.close()

    def line(label: str, runs: list[tuple]) -> tuple[float, float]:
        walls = sorted(r[0] for r in runs)
        best, med = walls[0], statistics.median(walls)
        cpu = min(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        rcs = sorted({r[3] for r in runs})
        print(
            f"{label:34s}: best {best:6.2f} s  median {med:6.2f} s  (CPU {cpu:5.2f} s)  peak {rss:4.0f} MB  "
            f"exit {','.join(map(str, rcs))}"
        )
        return best, med

    a_best, a_med = line("(a) baseline csv + executemany", a_runs)
    b_best, b_med = line("(b) collectui import schedule", b_runs)
    print(f"{'':36s}({stored:,} instalments, {states:,} loan states refreshed)")
    d_best, d_med = line("(d) the same file again (unchanged)", again_runs)
    if c_run is not None:
        line("(c) (b) with --dry-run (no refresh)", [c_run])
    print(
        f"ratio (b)/(a): best {b_best / a_best:.2f}x, median {b_med / a_med:.2f}x   "
        "(target <= 2.5x; peak memory target < 300 MB)"
    )
    print(f"ratio (d)/(a): best {d_best / a_best:.2f}x, median {d_med / a_med:.2f}x   (daily re-import)")
    if c_run is not None:
        print(f"ratio (c)/(a): {c_run[0] / a_best:.2f}x   (the import without the overdue refresh, vs best (a))")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
