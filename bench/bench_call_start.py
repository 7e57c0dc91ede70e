"""Benchmark: how fast `check` and `call log` start as processes, against `queue` (the baseline).

A dialler runs `collectui check` (may this borrower be called now?) and `collectui call log` (what happened)
once per dial, as new processes; the time that matters is the whole process: interpreter, imports, opening
the database, the token check, the gate. `queue --limit 10` is the baseline: the command that was made to
start fast first. Target: `check` and `call log` within 1.2x of `queue`.

On a demo database (default 2,000 borrowers, with their call history), with a collector's API token scoped
to queue.read, check and call.log, as a dialler would present it. Each command runs --runs times (default
9, after one warm-up); prints the median and best wall time in ms and the ratio to `queue`.

    python bench/bench_call_start.py [--customers N] [--runs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zoneinfo import ZoneInfo

from collectui.clock import FixedClock, parse_datetime
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import tokens
from collectui.domain.staff.actor import system_actor
from collectui.storage.engine import Database

NOW = "2026-11-28T10:00:00+08:00"
CLI = [sys.executable, "-m", "collectui"]


def dialler_env(path: Path, name: str = "") -> dict[str, str]:
    """A collector-role token of branch 1 for the dialler, scoped to what it runs."""
    db = Database(path)
    now = parse_datetime(NOW, ZoneInfo("Asia/Shanghai"))
    ctx = Ctx(db=db, clock=FixedClock(now), policy=Policy())
    try:
        with db.raw_read() as raw:
            branch = raw.execute("SELECT b.name FROM branch b ORDER BY b.id LIMIT 1").fetchone()[0]
        secret = tokens.create(
            ctx,
            system_actor("bench"),
            name or f"dialler-{os.getpid()}",
            "collector",
            branch,
            ["queue.read", "check", "call.log"],
            now + timedelta(days=30),
        )
    finally:
        db.dispose()
    return {**os.environ, "COLLECTUI_TOKEN": secret, "COLLECTUI_NOW": NOW}


def targets(path: Path, n: int) -> tuple[list[str], str]:
    """Borrowers of branch 1 on the work list, and a collector of that branch the calls are logged for."""
    db = Database(path)
    try:
        with db.raw_read() as raw:
            ids = [
                r[0]
                for r in raw.execute(
                    "SELECT w.customer_id FROM work_item w WHERE w.branch_id = "
                    "(SELECT min(id) FROM branch) ORDER BY w.sort_key LIMIT ?",
                    (n,),
                )
            ]
            collector = raw.execute(
                "SELECT username FROM staff_user WHERE role = 'collector' AND branch_id = (SELECT min(id) FROM branch) "
                "ORDER BY id LIMIT 1"
            ).fetchone()[0]
    finally:
        db.dispose()
    return ids, collector


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    return (time.perf_counter() - started) * 1000, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, default=None, help="Build the database in this folder and keep it.")
    opts = parser.parse_args()
    folder = opts.keep or Path(tempfile.mkdtemp(prefix="bench-start-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.db"
    base_env = {**os.environ, "COLLECTUI_NOW": NOW}
    if not path.exists():
        subprocess.run(
            [*CLI, "--db", str(path), "demo", "--customers", str(opts.customers)],
            env=base_env,
            check=True,
            capture_output=True,
        )
    env = dialler_env(path)
    ids, collector = targets(path, opts.runs + 1)
    db = ["--db", str(path)]
    commands = {
        "queue --limit 10": lambda i: [*CLI, *db, "queue", "--limit", "10", "--format", "json"],
        "check": lambda i: [*CLI, *db, "check", ids[i % len(ids)], "--format", "json"],
        "call log": lambda i: [
            *CLI,
            *db,
            "call",
            "log",
            ids[i % len(ids)],
            "--outcome",
            "no_answer",
            "--collector",
            collector,
            "--format",
            "json",
        ],
    }
    print(f"database: {path} ({opts.customers:,} borrowers), {opts.runs} runs each after a warm-up")
    results: dict[str, list[float]] = {}
    for name, build in commands.items():
        timed(build(opts.runs), env)  # warm-up: the OS file cache, .pyc files
        times, codes = [], set()
        for i in range(opts.runs):
            ms, code = timed(build(i), env)
            times.append(ms)
            codes.add(code)
        results[name] = times
        print(
            f"  {name:18} median {statistics.median(times):7.0f} ms   best {min(times):7.0f} ms   exit codes {sorted(codes)}"
        )
    base = statistics.median(results["queue --limit 10"])
    for name in ("check", "call log"):
        ratio = statistics.median(results[name]) / base
        verdict = "within" if ratio <= 1.2 else "OVER"
        print(f"  {name:18} {ratio:5.2f}x queue ({verdict} the 1.2x target)")


if __name__ == "__main__":
    main()
