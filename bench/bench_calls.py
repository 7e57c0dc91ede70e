"""Benchmark: the call gate (`check`) and the call record (`call log`) in-process, on a big call history.

Two databases with the same bank (default 20,000 borrowers, one loan of 12 instalments each, 20 collectors):
  (a) baseline: an empty call_attempt table;
  (b) the same bank with 1,000,000 earlier call attempts (bulk-generated over the past year, a share of them
      today, so the daily counts have rows to count).
On each, in this process: `check_call` for random borrowers (debtor and third-party contact) and `log_call`
(no_answer, each on a different borrower, so the gate allows it) with the work-list refresh it triggers.
Prints p50/p95/max in ms and the ratio (b)/(a). Target: p95 under 30 ms on (b).

    python bench/bench_calls.py [--customers N] [--calls N] [--samples N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectui.clock import FixedClock
from collectui.domain.calls.outcomes import OUTCOMES, RIGHT_PARTY, UNANSWERED
from collectui.domain.calls.record import CallInput, check_call, log_call
from collectui.domain.context import Ctx
from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio.refresh import refresh
from collectui.domain.staff.actor import Actor
from collectui.storage.bulk import RowInserter
from collectui.storage.dialect import POSTGRESQL
from collectui.storage.engine import Database
from collectui.storage.locate import database_at
from collectui.storage.types import utc_text

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
# The collector the calls are made by (user 2 of build_bank, branch 1).
U2 = Actor(name="u2", role="collector", branch="城关支行", user_id=2, via="session")


def build_bank(path: Path | str, customers: int) -> Database:
    """The bank at ``path``: a SQLite file, or an empty PostgreSQL database's URL."""
    db = database_at(path)
    db.create_schema()
    created = utc_text(NOW)
    with db.raw_write() as raw:
        raw.execute("INSERT INTO branch(id, name) VALUES (1, '城关支行')")
        raw.executemany(
            "INSERT INTO staff_user(id, username, display_name, role, branch_id, password_hash, active, "
            "failed_logins, created_at) VALUES (?, ?, ?, ?, 1, 'x', 1, 0, ?)",
            [(i, f"u{i}", f"u{i}", "supervisor" if i == 1 else "collector", created) for i in range(1, 21)],
        )
        # Trained staff: the gate's `certified` rule refuses every call by an uncertified collector.
        raw.executemany(
            "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at) "
            "VALUES (?, ?, 'recorded', 'bench staff', NULL, ?)",
            [(i, (NOW.date() - timedelta(days=30)).isoformat(), created) for i in range(1, 21)],
        )
        raw.executemany(
            "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, vulnerable, "
            "phone_invalid, sms_opt_out, hardship, created_at) VALUES (?, '李四', 'x', ?, 1, 0, 0, 0, 0, 0, ?)",
            ((f"C{n:07d}", f"138{n:08d}", created) for n in range(customers)),
        )
        raw.executemany(
            "INSERT INTO contact(contact_id, customer_id, name, relation, phone, refused_calls, phone_invalid) "
            "VALUES (?, ?, '王五', 'spouse', ?, 0, 0)",
            ((f"K{n:07d}", f"C{n:07d}", f"139{n:08d}") for n in range(customers)),
        )
        raw.executemany(
            "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, status) "
            "VALUES (?, ?, '农户贷', 1200000, '2026-01-10', '2026-12-10', 'active')",
            ((f"L{n:07d}", f"C{n:07d}") for n in range(customers)),
        )

        def instalments():
            for n in range(customers):
                for seq in range(1, 13):
                    yield (f"L{n:07d}", seq, date(2026, seq, 10).isoformat(), 100000, 5000)

        raw.executemany(
            "INSERT INTO instalment(loan_id, seq, due_date, principal_due_fen, interest_due_fen) "
            "VALUES (?, ?, ?, ?, ?)",
            instalments(),
        )
    return db


def add_calls(db: Database, customers: int, calls: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    today_start = datetime(2026, 11, 28, 0, 0, tzinfo=TZ)

    def rows():
        for _ in range(calls):
            n = rng.randrange(customers)
            if rng.random() < 0.05:  # today, before 10:00
                when = today_start + timedelta(seconds=rng.randrange(10 * 3600))
            else:
                when = NOW - timedelta(days=rng.randrange(1, 366), seconds=rng.randrange(86400))
            outcome = rng.choice(OUTCOMES)
            third = rng.random() < 0.1
            status = "refused" if rng.random() < 0.03 else "logged"
            at_text = when.astimezone(UTC).isoformat(timespec="microseconds")
            yield (
                f"C{n:07d}",
                f"K{n:07d}" if third else None,
                f"139{n:08d}" if third else f"138{n:08d}",
                rng.randrange(1, 21),
                status,
                at_text,
                at_text,
                None if status == "refused" else outcome,
                int(outcome not in UNANSWERED),
                int(outcome in RIGHT_PARTY and not third),
                '["call_window"]' if status == "refused" else "[]",
                "[]",
            )

    started = time.perf_counter()
    columns = (
        "customer_id, contact_id, phone, user_id, status, started_at, ended_at, outcome, connected, right_party, "
        "refused_rules, checklist"
    )
    on_pg = db.dialect is POSTGRESQL
    with db.raw_write() as raw:
        # Bulk load without the indexes, then build them once (what a restore or migration would do).
        listed = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'call_attempt' AND indexname NOT LIKE '%pkey'"
            if on_pg
            else "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call_attempt' "
            "AND sql IS NOT NULL"
        )
        indexes = raw.execute(listed).fetchall()
        for name, _ in indexes:
            raw.execute(f"DROP INDEX {name}")
        if on_pg:  # COPY, 50,000 rows a call
            insert, batch = RowInserter(raw, f"call_attempt ({columns})", 12), []
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    insert(batch)
                    batch.clear()
            insert(batch)
        else:
            raw.executemany(f"INSERT INTO call_attempt({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows())
        for _, sql in indexes:
            raw.execute(sql)
    with db.raw_write() as raw:
        raw.execute("ANALYZE")
    return time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(
    db: Database, customers: int, samples: int, seed: int = 11
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})
    ctx = Ctx(db, FixedClock(NOW, TZ), policy)
    refresh(ctx)  # the work list is current, so each call log refreshes only its borrower
    rng = random.Random(seed)
    times: dict[str, list[float]] = {"check debtor": [], "check contact": [], "call log": []}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    picks = rng.sample(range(customers), min(customers, samples * 2))
    refused = 0
    for n in picks[:samples]:
        for name, contact in (("check debtor", "debtor"), ("check contact", f"K{n:07d}")):
            t0, c0 = time.perf_counter(), time.process_time()
            check_call(ctx, U2, f"C{n:07d}", contact, NOW)
            times[name].append((time.perf_counter() - t0) * 1000)
            cpu[name].append((time.process_time() - c0) * 1000)
    for n in picks[samples:]:
        data = CallInput(customer_id=f"C{n:07d}", outcome="no_answer", at=NOW)
        t0, c0 = time.perf_counter(), time.process_time()
        result = log_call(ctx, U2, data)
        times["call log"].append((time.perf_counter() - t0) * 1000)
        cpu["call log"].append((time.process_time() - c0) * 1000)
        if result.exit_code == 1:
            raise SystemExit(f"unexpected invalid record: {result.problems}")
        refused += not result.saved
    if refused:  # a refusal is a shorter path than a saved call: say how many of the samples were one
        print(f"call log: {refused} of {len(picks[samples:])} refused by the gate (the day's limits of the history)")
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases in this directory")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-calls-"))
    workdir.mkdir(parents=True, exist_ok=True)

    print(f"bank: {args.customers:,} borrowers; history: {args.calls:,} call attempts; {args.samples} samples each")
    base_db = build_bank(workdir / "empty.db", args.customers)
    big_db = build_bank(workdir / "big.db", args.customers)
    seconds = add_calls(big_db, args.customers, args.calls)
    print(f"generated {args.calls:,} call attempts in {seconds:.1f} s")
    base, base_cpu = measure(base_db, args.customers, args.samples)
    big, big_cpu = measure(big_db, args.customers, args.samples)
    print("wall-clock ms (what a collector waits; inflated when other processes load the machine):")
    print(
        f"{'operation':<15}{'base p50':>10}{'base p95':>10}{'1M p50':>10}{'1M p95':>10}{'1M max':>10}"
        f"{'p95 ratio':>11}  target p95 < 30 ms"
    )
    ok = True
    for name in base:
        b50, b95 = statistics.median(base[name]), pct(base[name], 95)
        m50, m95, mmax = statistics.median(big[name]), pct(big[name], 95), max(big[name])
        ok &= m95 < 30
        print(
            f"{name:<15}{b50:>10.2f}{b95:>10.2f}{m50:>10.2f}{m95:>10.2f}{mmax:>10.2f}{m95 / b95:>10.2f}x"
            f"  {'ok' if m95 < 30 else 'MISSED'}"
        )
    print("CPU ms of this process (same operations; insensitive to other load on the machine):")
    for name in base:
        print(
            f"{name:<15} base p50 {statistics.median(base_cpu[name]):6.2f} p95 {pct(base_cpu[name], 95):6.2f}"
            f" | 1M p50 {statistics.median(big_cpu[name]):6.2f} p95 {pct(big_cpu[name], 95):6.2f}"
        )
    print("wall-clock p95 within target" if ok else "wall-clock p95 target missed")
    base_db.dispose()
    big_db.dispose()


if __name__ == "__main__":
    main()
