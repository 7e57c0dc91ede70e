"""Benchmark: SQLite and PostgreSQL side by side, in one run, on the same generated data.

  (a) `collectui import schedule` of a generated schedule (default 1,000,000 rows: 100,000 loans x 10), the
      same file into the same starting bank on each engine: wall time and peak RSS of the importing process
      (the PostgreSQL server's own processes are not in that figure);
  (b) the work list at ``--borrowers`` (default 100,000; 200,000 loans, 2.4M instalments, 1M payments):
      everything ``bench_queue.measure`` times, `queue --limit 50` in-process and as a command among them
      (medians of several); and each engine's size on disk (SQLite: the file; PostgreSQL: pg_database_size);
  (c) `check` and `call log` latency through the services (``bench_calls.measure``) on 20,000 borrowers
      with 200,000 earlier calls (``--calls``; bench_calls uses 1,000,000: too slow on PostgreSQL today);
  (d) `check` + `call log` by 8 and 32 concurrent writer processes for ``--seconds`` each on that bank,
      borrowers drawn from a pool of ``--pool`` so the daily limits are reached and contested: calls saved per
      second, p95, failures (target 0), borrower-days / numbers above the daily limits afterwards (target 0:
      the gate's counts are race-free), `audit verify`.

Each bank is built once as a SQLite file by the existing generators and copied row for row into PostgreSQL
(``bench/to_pg.py``), so both engines start from identical data. PostgreSQL is a throwaway server started
here with its durable defaults (fsync, synchronous_commit, full_page_writes on; unlike the test server), or
``--pg-url`` (a user allowed to CREATE DATABASE). The settings in force are printed with the figures.
``--quick`` runs everything at a tenth of the sizes (a check that the script works, not figures).

    python bench/bench_engines.py [--borrowers N] [--rows N] [--quick] [--pg-url URL] [--only abcd] [--keep DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_calls, bench_import, bench_queue, bench_stress
from bench.access import admin_token_env
from bench.to_pg import copy_sqlite_to_pg
from collectui.storage.timefmt import utc_text
from tests.support.pg import Databases, start_server, with_database

ENGINES = ("sqlite", "postgresql")


@dataclass
class Table:
    """The figures of both engines, row by row: printed at the end with the ratio PostgreSQL / SQLite."""

    rows: list[tuple[str, str, float, float]] = field(default_factory=list)

    def add(self, label: str, unit: str, sqlite: float, pg: float) -> None:
        self.rows.append((label, unit, sqlite, pg))
        print(f"  {label} ({unit}): SQLite {sqlite:,.2f}  PostgreSQL {pg:,.2f}", flush=True)

    def show(self) -> None:
        print(f"\n{'measure':58}{'unit':>6}{'SQLite':>12}{'PostgreSQL':>12}{'PG/SQLite':>11}")
        for label, unit, s, p in self.rows:
            ratio = f"{p / s:10.2f}x" if s and math.isfinite(p / s) else f"{'n/a':>11}"
            print(f"{label:58}{unit:>6}{s:>12,.1f}{p:>12,.1f}{ratio}")


class Pg:
    """Where the PostgreSQL databases of this run come from: a server started here, or ``--pg-url``."""

    def __init__(self, url: str | None) -> None:
        self.server = None if url else start_server(durable=True)
        self.admin = url or self.server.admin_url  # type: ignore[union-attr]
        self.made: list[Databases] = []

    def databases(self) -> Databases:
        found = Databases(self.admin)
        self.made.append(found)
        return found

    def settings(self) -> str:
        import psycopg

        names = ("server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "work_mem")
        with psycopg.connect(self.admin) as conn:
            return ", ".join(f"{n}={conn.execute(f'SHOW {n}').fetchone()[0]}" for n in names)  # type: ignore[index]

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        else:
            for found in self.made:
                found.drop_all()


def sqlite_settings(path: Path) -> str:
    from collectui.storage.engine import Database

    db = Database(path)
    with db.raw_read() as raw:
        journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
        sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[raw.execute("PRAGMA synchronous").fetchone()[0]]
        version = raw.execute("SELECT sqlite_version()").fetchone()[0]
    db.dispose()
    return f"SQLite {version}, journal_mode={journal}, synchronous={sync} (collectui's connection settings)"


def size_mb(target: Path | str) -> float:
    if isinstance(target, Path):
        return sum(Path(f"{target}{s}").stat().st_size for s in ("", "-wal") if Path(f"{target}{s}").exists()) / 1e6
    from collectui.storage.pg.database import PgDatabase

    db = PgDatabase(target)
    with db.raw_read() as raw:
        size = raw.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    db.dispose()
    return float(size) / 1e6


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (2 cores, shared)"


# ---- (a) the schedule import ------------------------------------------------------------------------------


def bench_import_both(work: Path, pg: Pg, rows: int, repeat: int, table: Table) -> None:
    src = work / "schedule.csv"
    loans = bench_import.generate(src, rows)
    start_db = work / "import-start.db"
    bench_import.prepare_db(start_db, loans)
    imports = pg.databases()

    def build(url: str) -> None:
        copy_sqlite_to_pg(start_db, url)

    imports.make_template(build)
    template_url = with_database(imports.admin_url, imports.template or "")
    token = admin_token_env(template_url)  # every copy of the template carries it (and its db_id's key)
    token_sqlite = admin_token_env(start_db)
    print(f"(a) import: {rows:,} rows, {loans:,} loans, {src.stat().st_size / 1e6:.1f} MB; {repeat} round(s)")
    runs: dict[str, list[tuple[float, float, float, int]]] = defaultdict(list)
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(repeat):
        for engine in ENGINES:
            if engine == "sqlite":
                target: Path | str = work / "import.db"
                bench_import.fresh_copy(start_db, Path(target))
                env = token_sqlite
            else:
                target, env = imports.new(from_template=True), token
            cmd = [sys.executable, "-m", "collectui", "--db", str(target), "import", "schedule", str(src), "--quiet"]
            child_env = dict(os.environ, COLLECTUI_NOW="2026-11-28T10:00:00+08:00", **env)
            runs[engine].append(bench_import.run_child(cmd, child_env))
            wall, used, peak, code = runs[engine][-1]
            print(f"  {engine}: {wall:.2f} s, CPU {used:.2f} s, peak {peak:.1f} MB, exit {code}", flush=True)
            counts[engine] = stored_counts(target)
    for engine in ENGINES:
        codes = {r[3] for r in runs[engine]}
        if codes != {0}:
            raise SystemExit(f"{engine}: import exited {codes}")
    print(f"  stored (instalments, loan states): SQLite {counts['sqlite']}, PostgreSQL {counts['postgresql']}")
    best = {e: min(r[0] for r in runs[e]) for e in ENGINES}
    med = {e: statistics.median(r[0] for r in runs[e]) for e in ENGINES}
    table.add(f"(a) import schedule {rows:,} rows, best of {repeat}", "s", best["sqlite"], best["postgresql"])
    if repeat > 1:
        table.add(f"(a) import schedule {rows:,} rows, median", "s", med["sqlite"], med["postgresql"])
    cpu = {e: min(r[1] for r in runs[e]) for e in ENGINES}
    table.add("(a) import schedule, CPU of the importing process", "s", cpu["sqlite"], cpu["postgresql"])
    rss = {e: max(r[2] for r in runs[e]) for e in ENGINES}
    table.add("(a) import schedule, peak RSS of the importing process", "MB", rss["sqlite"], rss["postgresql"])


def stored_counts(target: Path | str) -> tuple[int, int]:
    from collectui.storage.locate import database_at

    db = database_at(target)
    with db.raw_read() as raw:
        instalments, states = (
            raw.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("instalment", "loan_state")
        )
    db.dispose()
    return int(instalments), int(states)


# ---- (b) the work list at N borrowers, and the size on disk ------------------------------------------------


def bench_queue_both(work: Path, pg: Pg, borrowers: int, table: Table) -> None:
    path = bench_queue.bank(borrowers, 0.5, True, work / "queue.db")
    url = pg.databases().new()
    copied, seconds = copy_sqlite_to_pg(path, url)
    print(f"(b) work list: bank copied to PostgreSQL ({copied:,} rows) in {seconds:.1f} s; {load()}")
    figures = {"sqlite": bench_queue.measure(path), "postgresql": bench_queue.measure(url)}
    for key in figures["sqlite"]:
        unit = "ms" if "(ms)" in key else "s" if "(s)" in key else ""
        label = key.replace(" (ms)", "").replace(" (s)", "")
        table.add(f"(b) {label}", unit, figures["sqlite"][key], figures["postgresql"].get(key, float("nan")))
    table.add(f"size on disk at {borrowers:,} borrowers", "MB", size_mb(path), size_mb(url))


# ---- (c) check / call log latency, (d) concurrent writers --------------------------------------------------


def bench_calls_both(
    work: Path, pg: Pg, borrowers: int, calls: int, samples: int, table: Table
) -> dict[str, Path | str]:
    banks: dict[str, Path | str] = {"sqlite": work / "calls.db", "postgresql": pg.databases().new()}
    results = {}
    for engine, target in banks.items():
        t0 = time.perf_counter()
        db = bench_calls.build_bank(target, borrowers)
        seconds = bench_calls.add_calls(db, borrowers, calls)
        print(
            f"(c) {engine}: bank of {borrowers:,} + {calls:,} calls in {time.perf_counter() - t0:.1f} s "
            f"(calls {seconds:.1f} s); {load()}",
            flush=True,
        )
        results[engine] = bench_calls.measure(db, borrowers, samples)[0]
        db.dispose()
    for op in results["sqlite"]:
        for p in (50, 95):
            s, g = (bench_calls.pct(results[e][op], p) for e in ENGINES)
            table.add(f"(c) {op} p{p}, {calls:,} earlier calls", "ms", s, g)
    table.add(
        f"size on disk, {borrowers:,} borrowers + {calls:,} calls",
        "MB",
        size_mb(banks["sqlite"]),
        size_mb(banks["postgresql"]),
    )
    return banks


def writer(role: str, index: int, target: str, epoch: float, seconds: float, ready: Any, go: Any, out: Any) -> None:
    """One collector's terminal at full speed: the gate, then (if allowed) the call record, on ``pool``."""
    import traceback

    from collectui.domain.calls.record import check_call, log_call
    from collectui.domain.staff.actor import Actor

    pool_size = int(role.split(":")[1])
    ctx = bench_stress._context(target, epoch)
    with ctx.db.raw_read() as raw:
        everyone = sorted(r[0] for r in raw.execute("SELECT customer_id FROM customer"))
    pool = random.Random(5).sample(everyone, min(pool_size, len(everyone)))  # the same pool in every process
    collectors = [
        Actor(name=f"u{i}", role="collector", branch="城关支行", user_id=i, via="session") for i in range(2, 21)
    ]
    rng = random.Random(index)
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    refused = 0
    ready.release()
    go.wait()
    until = time.time() + seconds
    while time.time() < until:
        op, started = "check", time.perf_counter()
        try:
            customer, actor = rng.choice(pool), rng.choice(collectors)
            gate = check_call(ctx, actor, customer)
            times[op].append((time.perf_counter() - started) * 1000)
            if not gate.allowed:
                refused += 1
                continue
            op, started = "call log", time.perf_counter()
            result = log_call(ctx, actor, bench_stress.random_call(rng, customer, f"REC-{index}-{len(times[op])}"))
            times[op].append((time.perf_counter() - started) * 1000)
            refused += not result.saved
            if result.exit_code == 1:
                failures.append(f"call log invalid: {result.problems}")
        except Exception as exc:  # every failure is counted and shown: the target is none
            failures.append(f"{op}: {type(exc).__name__}: {exc}")
            if len(failures) <= 2:
                traceback.print_exc()
    ctx.db.dispose()
    out.put((role, dict(times), failures, refused))


def logged_calls(target: Path | str) -> int:
    from collectui.storage.locate import database_at

    db = database_at(target)
    with db.raw_read() as raw:
        found = int(raw.execute("SELECT COUNT(*) FROM call_attempt WHERE status = 'logged'").fetchone()[0])
    db.dispose()
    return found


def writers_both(banks: dict[str, Path | str], counts: list[int], seconds: float, pool: int, table: Table) -> None:
    from collectui.domain.portfolio.refresh import ensure_current

    for day, procs in enumerate(counts):
        figures: dict[str, dict[str, float]] = {}
        for engine in ENGINES:
            target = banks[engine]
            epoch = time.time() - day * 86400  # each phase on a day of its own: fresh daily limits
            ctx = bench_stress._context(target, epoch)
            ensure_current(ctx)  # the day's roll once, not in every process at once
            ctx.db.dispose()
            before = logged_calls(target)
            times, failures, refused, elapsed = bench_stress.run_phase(
                target, [f"writer:{pool}"] * procs, seconds, epoch, work=writer
            )
            saved = logged_calls(target) - before
            # The writers' days only (from START, in UTC): the generated history is not the gate's doing.
            talks, unanswered = bench_stress.limits_exceeded(target, utc_text(bench_stress.START)[:10])
            print(
                f"(d) {engine}, {procs} writers, {elapsed:.0f} s: {saved:,} calls saved, {refused:,} refused by "
                f"the gate, {len(failures)} failures, limits exceeded {talks}/{unanswered}, audit verify "
                f"{bench_stress.verify(target)}; {load()}",
                flush=True,
            )
            for line in sorted(set(failures))[:5]:
                print("    failure:", line)
            figures[engine] = {
                "calls saved / s": saved / elapsed,
                "gate checks / s": len(times.get("check", [])) / elapsed,
                "check p95": bench_stress.pct(times.get("check", []), 95),
                "call log p95": bench_stress.pct(times.get("call log", []), 95),
                "failures": float(len(failures)),
                "borrower-days over 3 talks + numbers over 6 unanswered": float(talks + unanswered),
            }
        for key in figures["sqlite"]:
            unit = "ms" if "p95" in key else "/s" if "/ s" in key else "n"
            table.add(f"(d) {procs} writers: {key}", unit, figures["sqlite"][key], figures["postgresql"][key])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--borrowers", type=int, default=100_000, help="the work-list bank (b)")
    ap.add_argument("--rows", type=int, default=1_000_000, help="the schedule file (a)")
    ap.add_argument("--call-borrowers", type=int, default=20_000, help="borrowers of the call bank (c, d)")
    # 200,000, not bench_calls' 1,000,000: on PostgreSQL each `call log` still scans call_attempt (see the
    # performance page), and the run has to finish on a shared machine.
    ap.add_argument("--calls", type=int, default=200_000, help="earlier calls in the call bank (c, d)")
    ap.add_argument("--samples", type=int, default=200, help="operations timed per kind in (c)")
    ap.add_argument("--repeat", type=int, default=2, help="rounds of (a), alternating the engines")
    ap.add_argument("--writers", default="8,32", help="writer processes in (d), one phase each")
    ap.add_argument("--seconds", type=float, default=30, help="length of each (d) phase")
    ap.add_argument("--pool", type=int, default=500, help="borrowers the (d) writers call")
    ap.add_argument("--quick", action="store_true", help="a tenth of every size: checks the script, not figures")
    ap.add_argument("--pg-url", help="a PostgreSQL server to use (its user may CREATE DATABASE) instead of one here")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    ap.add_argument("--only", default="abcd", help="parts to run, e.g. 'bd'")
    a = ap.parse_args()
    if a.quick:
        a.borrowers, a.rows, a.calls, a.samples = a.borrowers // 10, a.rows // 10, a.calls // 10, a.samples // 10
        a.call_borrowers //= 10
        a.repeat, a.seconds, a.pool = 1, max(a.seconds / 10, 5), max(a.pool // 10, 20)
    work = a.keep or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["COLLECTUI_STATE_DIR"] = str(work / "state")  # the bench databases' audit keys stay in work
    started = time.perf_counter()
    print(f"bench_engines at {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; {load()}")
    pg = Pg(a.pg_url)
    try:
        print(f"PostgreSQL: {'--pg-url' if a.pg_url else 'a server started here'}; {pg.settings()}")
        probe = work / "probe.db"
        bench_calls.build_bank(probe, 1).dispose()
        print(sqlite_settings(probe))
        table = Table()
        steps: list[tuple[str, Callable[[], object]]] = [
            ("a", lambda: bench_import_both(work, pg, a.rows, a.repeat, table)),
            ("b", lambda: bench_queue_both(work, pg, a.borrowers, table)),
        ]
        for part, step in steps:
            if part in a.only:
                step()
        if "c" in a.only or "d" in a.only:
            banks = bench_calls_both(work, pg, a.call_borrowers, a.calls, a.samples, table)
            if "d" in a.only:
                counts = [int(n) for n in a.writers.split(",")]
                writers_both(banks, counts, a.seconds, a.pool, table)
        table.show()
        print(f"\nwhole run {(time.perf_counter() - started) / 60:.1f} min; at the end: {load()}")
    finally:
        pg.close()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
