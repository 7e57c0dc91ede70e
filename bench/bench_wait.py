"""Benchmark: how long a `collectui call log` waits behind a long import, and that it then succeeds.

The import of a schedule is one transaction (all or nothing), so it holds SQLite's write lock for as long
as it runs. Writers that arrive meanwhile queue with a visible wait ("waiting for the import to finish,
35 s") up to the policy's `storage.write_wait_seconds` (default 300 s) instead of failing after 30 s
(storage/waiting.py). This measures it on a generated bank (default 1,000,000 instalment rows):

  1. `collectui import schedule FILE` starts in a child process;
  2. once the import has announced that it holds the write lock (its `.NAME.writing-PID` file), plus
     --delay seconds, a `collectui call log` starts in another child process;
  3. printed: the import's time and how long it held the lock, the call's wall time, its exit code and
     its last line, and the wait lines it showed.

    python bench/bench_wait.py [--rows N] [--delay S] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_import import generate, prepare_db

NOW = "2026-11-28T10:00:00+08:00"


def sign_in_admin(db_path: Path) -> None:
    """An admin `root`, signed in for this OS user (the commands act for a signed-in person)."""
    from argon2 import PasswordHasher

    from collectui.clock import FixedClock, parse_datetime
    from collectui.domain.context import Ctx
    from collectui.domain.policy import Policy
    from collectui.domain.staff import logins, users
    from collectui.domain.staff.actor import system_actor
    from collectui.storage.engine import Database

    users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # set-up speed only
    db = Database(db_path)
    policy = Policy()
    ctx = Ctx(db=db, clock=FixedClock(parse_datetime(NOW, policy.tz), policy.tz), policy=policy)
    users.add_user(ctx, system_actor("system:bench"), "root", "admin", None, "bench-password-1")
    with db.raw_read() as raw:
        user_id = raw.execute("SELECT id FROM staff_user WHERE username = 'root'").fetchone()[0]
    logins.start(ctx, user_id)
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--delay", type=float, default=5.0, help="seconds into the import the call starts")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-wait-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, COLLECTUI_NOW=NOW, COLLECTUI_STATE_DIR=str(work / "state"))
    os.environ.update(env)
    src, db_path = work / "schedule.csv", work / "bank.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    loans = generate(src, args.rows)
    prepare_db(db_path, loans)
    sign_in_admin(db_path)
    print(f"bank: {loans:,} loans, schedule file {args.rows:,} rows ({src.stat().st_size / 1e6:.1f} MB)")

    cli = [sys.executable, "-m", "collectui", "--db", str(db_path)]
    started = time.monotonic()
    importer = subprocess.Popen([*cli, "import", "schedule", str(src), "--quiet"], env=env, stdout=subprocess.DEVNULL)
    announcement = db_path.with_name(f".{db_path.name}.writing-{importer.pid}")
    while not announcement.exists() and importer.poll() is None:
        time.sleep(0.05)
    locked_at = time.monotonic()
    time.sleep(args.delay)
    call_started = time.monotonic()
    call = subprocess.Popen(
        [*cli, "call", "log", "C0000000", "--outcome", "no_answer"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while announcement.exists() and importer.poll() is None:
        time.sleep(0.05)
    unlocked_at = time.monotonic()
    import_rc = importer.wait()
    import_done = time.monotonic()
    out, err = call.communicate()
    call_done = time.monotonic()
    waits = [line for line in err.splitlines() if line.startswith("waiting for")]
    last = (err.strip().splitlines() or out.strip().splitlines() or ["(no output)"])[-1]
    print(
        f"import: {import_done - started:6.1f} s, exit {import_rc}; "
        f"held the write lock {unlocked_at - locked_at:6.1f} s"
    )
    print(
        f"call log: started {call_started - locked_at:4.1f} s into the lock, took {call_done - call_started:6.1f} s "
        f"(finished {call_done - unlocked_at:4.1f} s after the import let go), exit {call.returncode}"
    )
    print(f"call log said {len(waits)} wait line(s): {waits[0] if waits else '-'} ... {waits[-1] if waits else '-'}")
    print(f"call log's last line: {last}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
