"""kill -9 in the middle of an import leaves the database exactly as before, and it still opens."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from collectui.storage.engine import Database
from tests.support.cli import as_admin
from tests.support.importing import fingerprint

LOANS = 12_000
PER_LOAN = 10


def make_bank(db_path: Path, src: Path) -> None:
    db = Database(db_path)
    db.create_schema()
    db.dispose()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO branch(id, name) VALUES (1, '城关支行')")
    conn.executemany(
        "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, phone_invalid,"
        " sms_opt_out, hardship) VALUES (?, '张三', '11010119900307002X', '13812345678', 1, 0, 0, 0, 0, 0)",
        ((f"C{n:06d}",) for n in range(LOANS // 10)),
    )
    conn.executemany(
        "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
        "VALUES (?, ?, 'p', 1000000, '2025-01-01', '2026-01-01', 'active')",
        ((f"L{n:06d}", f"C{n // 10:06d}") for n in range(LOANS)),
    )
    conn.execute("COMMIT")
    conn.close()
    with open(src, "w", encoding="utf-8") as fh:
        fh.write("loan_id,seq,due_date,principal_due,interest_due\n")
        for n in range(LOANS):
            fh.write("".join(f"L{n:06d},{k},2025-{k:02d}-15,1000.00,45.50\n" for k in range(1, PER_LOAN + 1)))


def test_kill_9_mid_import_leaves_the_database_as_before(tmp_path):
    db_path, src = tmp_path / "bank.db", tmp_path / "schedule.csv"
    make_bank(db_path, src)
    as_admin(db_path)
    before = fingerprint(db_path)
    wal = Path(str(db_path) + "-wal")
    wal_start = wal.stat().st_size if wal.exists() else 0
    env = dict(os.environ, COLLECTUI_NOW="2026-11-28T10:00:00+08:00")
    proc = subprocess.Popen(
        [sys.executable, "-m", "collectui", "--db", str(db_path), "import", "schedule", str(src), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    killed = False
    while proc.poll() is None and time.monotonic() < deadline:
        # Kill once the import has started writing table pages (uncommitted frames in the WAL).
        if wal.exists() and wal.stat().st_size > wal_start + 1_000_000:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.02)
    proc.wait()
    assert killed, f"the import ended before it could be killed (exit {proc.returncode})"
    assert proc.returncode == -signal.SIGKILL

    assert fingerprint(db_path) == before
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM instalment").fetchone()[0] == 0
    finally:
        conn.close()
    # It still opens and takes an import.
    small = tmp_path / "one.csv"
    small.write_text("loan_id,seq,due_date,principal_due,interest_due\nL000001,1,2025-01-15,1000.00,45.50\n")
    done = subprocess.run(
        [sys.executable, "-m", "collectui", "--db", str(db_path), "import", "schedule", str(small), "--quiet"],
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM instalment").fetchone()[0] == 1
    finally:
        conn.close()
