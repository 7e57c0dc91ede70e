"""Stress: many processes at once on one database file, as a busy branch server would see it.

A demo bank (default 3,000 borrowers) is built through the services, then for ``--seconds`` (default 120)
``--procs`` processes (default 16) work on it together, each in a loop:

- callers (7): ask the gate, then log the call (60% unanswered, 40% a right-party talk with the checklist);
- checkers (4): ask the gate only (a dialler's pre-check);
- readers (2): the first work-list page of a branch and its count;
- one SMS planner (`sms plan` for the day), one importer (500 new payments per file), one reporter
  (the compliance report of the week).

Before that, a baseline phase runs each kind of process alone for ``--baseline`` seconds; the p95 of every operation
under load is printed as a ratio to it. After the run: failures (any exception; target 0), the daily limits
(at most 3 conversations per borrower and 6 unanswered attempts per number per day; target 0 above them)
and ``audit verify`` on the file. Loopback only: nothing leaves the machine.

``--pg`` runs the same on PostgreSQL: the demo bank is built as a file, then moved into a new database of a
throwaway server started here (durable settings; or ``--pg-url``) with ``collectui.storage.copy`` (what
``collectui db copy`` does: the database keeps its id, so its audit key), and every process works there.

    python bench/bench_stress.py [--customers N] [--procs N] [--seconds S] [--baseline S] [--keep DIR]
                                 [--pg] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from collectui.domain.calls.record import CallInput

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)  # a Monday morning: twelve hours of call window ahead
RPC_CHECKS = ["identified", "recorded_notice", "verified_identity", "stated_amount", "official_channels", "no_threats"]
PAUSE = {"sms": 2.0, "importer": 3.0, "reporter": 1.0}
ROLES = ["caller"] * 7 + ["checker"] * 4 + ["reader"] * 2 + ["sms", "importer", "reporter"]


@dataclass
class RunningClock:
    """Wall time moved to START: every process shares the epoch, so their clocks agree and only go forward."""

    epoch: float
    tz: ZoneInfo = TZ

    def now(self) -> datetime:
        return START + timedelta(seconds=time.time() - self.epoch)

    def today(self) -> date:
        return self.now().date()


def random_call(rng: random.Random, customer: str, recording_ref: str) -> CallInput:
    """What a collector records: 6 calls in 10 unanswered, the rest a talk with the borrower who refuses."""
    from collectui.domain.calls.record import CallInput  # in the worker process, as the other imports

    if rng.random() < 0.6:
        return CallInput(customer_id=customer, outcome="no_answer")
    return CallInput(
        customer_id=customer,
        outcome="refuses",
        checklist=RPC_CHECKS,
        notes="说明了还款渠道",
        recording_ref=recording_ref,
    )


def build(path: Path, customers: int) -> None:
    from collectui.clock import FixedClock
    from collectui.demo.builder import DemoOptions, build_demo
    from collectui.domain.policy import Policy

    build_demo(path, Policy(), FixedClock(START, TZ), DemoOptions(seed=3, customers=customers, as_of=START.date()))


def _context(path: Path | str, epoch: float):
    from collectui.domain.context import Ctx
    from collectui.domain.policy import policy_from_dict
    from collectui.storage.locate import database_at

    # The reminder rule would refuse every borrower without an SMS first; this measures the database.
    policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})
    return Ctx(db=database_at(path), clock=RunningClock(epoch), policy=policy)


def _staff(ctx):
    from collectui.domain.staff.actor import Actor

    with ctx.db.raw_read() as raw:
        rows = raw.execute(
            "SELECT u.id, u.username, u.role, b.name FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id "
            "WHERE u.active = 1"
        ).fetchall()
        people = raw.execute(
            "SELECT c.customer_id, b.name FROM customer c JOIN branch b ON b.id = c.branch_id "
            "JOIN work_item w ON w.customer_id = c.customer_id"
        ).fetchall()
    actors = [Actor(name=r[1], role=r[2], branch=r[3], user_id=r[0], via="session") for r in rows]
    collectors: dict[str, list] = defaultdict(list)
    for a in actors:
        if a.role == "collector" and a.branch:
            collectors[a.branch].append(a)
    supervisor = next(a for a in actors if a.role == "supervisor")
    admin = next(a for a in actors if a.role == "admin")
    return collectors, supervisor, admin, [(c, b) for c, b in people if collectors.get(b)]


def _payments_file(folder: Path, worker: int, round_no: int, loans: list[str], day: date) -> Path:
    path = folder / f"payments-{worker}-{round_no}.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("payment_id,loan_id,paid_on,amount,channel\n")
        for i, loan in enumerate(loans):
            fh.write(f"S{worker:02d}{round_no:05d}{i:04d},{loan},{day.isoformat()},1.00,柜面\n")
    return path


def worker(role: str, index: int, path: str, epoch: float, seconds: float, ready, go, out: mp.Queue) -> None:
    from collectui.domain.calls.record import check_call, log_call
    from collectui.domain.importing.service import ImportOptions, import_file
    from collectui.domain.reports import compliance
    from collectui.domain.reports.common import Params
    from collectui.domain.sms.plan import plan
    from collectui.domain.worklist.queries import WorkFilter, count, fetch_page
    from collectui.storage.locate import is_url

    ctx = _context(path if is_url(path) else Path(path), epoch)
    collectors, supervisor, admin, people = _staff(ctx)
    rng = random.Random(index)
    with ctx.db.raw_read() as raw:
        loans = [r[0] for r in raw.execute("SELECT loan_id FROM loan ORDER BY loan_id LIMIT 500")]
    branches = sorted(collectors)
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    refused = 0
    round_no = 0
    folder = Path(tempfile.gettempdir()) if is_url(path) else Path(path).parent  # the importer's files
    ready.release()
    go.wait()  # the window opens when every process has started (spawning 16 takes a while on 2 cores)
    until = time.time() + seconds
    while time.time() < until:
        round_no += 1
        started = time.perf_counter()
        op = role
        try:
            if role in ("caller", "checker"):
                customer, branch = rng.choice(people)
                actor = rng.choice(collectors[branch])
                gate = check_call(ctx, actor, customer)
                times["check"].append((time.perf_counter() - started) * 1000)
                if role == "checker" or not gate.allowed:
                    refused += not gate.allowed
                    continue
                op, started = "call log", time.perf_counter()
                result = log_call(ctx, actor, random_call(rng, customer, f"REC-{index}-{round_no}"))
                refused += not result.saved
                if result.exit_code == 1:
                    failures.append(f"call log invalid: {result.problems}")
            elif role == "reader":
                flt = WorkFilter(branch=rng.choice(branches))
                fetch_page(ctx, flt, 0, 50)
                count(ctx, flt)
            elif role == "sms":
                plan(ctx, supervisor)
            elif role == "importer":
                file = _payments_file(folder, index, round_no, loans, ctx.clock.today())
                import_file(ctx, "payments", file, ImportOptions(actor=admin))
                file.unlink()
            elif role == "reporter":
                compliance.build(ctx, Params(ctx.clock.today() - timedelta(days=6), ctx.clock.today()))
            times[op].append((time.perf_counter() - started) * 1000)
            time.sleep(PAUSE.get(role, 0))  # planning, importing and reports come every few seconds, not nonstop
        except Exception as exc:  # every failure is counted and shown: the target is none
            failures.append(f"{op}: {type(exc).__name__}: {exc}")
            if len(failures) <= 3:
                traceback.print_exc()
    ctx.db.dispose()
    out.put((role, dict(times), failures, refused))


def run_phase(
    path: Path | str, roles: list[str], seconds: float, epoch: float, work=None
) -> tuple[dict, list[str], int, float]:
    """Run one process per role for ``seconds`` (``work``: the loop each runs, ``worker``'s signature)."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    ready, go = ctx.Semaphore(0), ctx.Event()
    procs = [
        ctx.Process(target=work or worker, args=(r, i, str(path), epoch, seconds, ready, go, queue))
        for i, r in enumerate(roles)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    refused = 0
    for _role, t, f, r in results:
        for op, values in t.items():
            times[op].extend(values)
        failures.extend(f)
        refused += r
    return times, failures, refused, elapsed


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def limits_exceeded(path: Path | str, since: str = "") -> tuple[int, int]:
    """(borrower-days over 3 conversations, number-days over 6 unanswered attempts); a file or a URL.
    ``since``: only calls started from this UTC text on (not a bulk-generated history)."""
    from collectui.storage.locate import database_at

    db = database_at(path)
    with db.raw_read() as raw:
        talks = raw.execute(
            "SELECT COUNT(*) FROM (SELECT customer_id, substr(started_at, 1, 10) d FROM call_attempt "
            "WHERE status = 'logged' AND right_party = 1 AND started_at >= ? GROUP BY customer_id, d "
            "HAVING COUNT(*) > 3) t",
            (since,),
        ).fetchone()[0]
        unanswered = raw.execute(
            "SELECT COUNT(*) FROM (SELECT phone, substr(started_at, 1, 10) d FROM call_attempt "
            "WHERE status = 'logged' AND connected = 0 AND started_at >= ? GROUP BY phone, d HAVING COUNT(*) > 6) t",
            (since,),
        ).fetchone()[0]
    db.dispose()
    return talks, unanswered


def verify(path: Path | str) -> str:
    from collectui.domain import audit
    from collectui.storage.locate import database_at

    db = database_at(path)
    with db.read() as s:
        result = audit.verify(s)
    db.dispose()
    return "ok" if result.ok else f"FAILED: {result}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--procs", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--baseline", type=float, default=8)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--pg", action="store_true", help="run on PostgreSQL (a server started here)")
    parser.add_argument("--pg-url", help="a PostgreSQL server to use instead (a user allowed to CREATE DATABASE)")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-stress-"))
    workdir.mkdir(parents=True, exist_ok=True)
    built = workdir / "stress.db"
    t0 = time.perf_counter()
    build(built, args.customers)
    print(f"demo bank of {args.customers:,} borrowers built in {time.perf_counter() - t0:.1f} s at {built}")
    path: Path | str = built
    server = None
    if args.pg or args.pg_url:
        path, server = on_postgresql(built, args.pg_url)
    try:
        stress(path, args)
    finally:
        if server is not None:
            server.stop()


def on_postgresql(built: Path, url: str | None) -> tuple[str, Any]:
    """``built`` moved into a new PostgreSQL database (as ``collectui db copy`` does); its URL and the server
    started for it (None with ``url``)."""
    from collectui.storage.copy import copy_database
    from collectui.storage.engine import Database
    from tests.support.pg import Databases, start_server

    server = None if url else start_server(durable=True)
    target = Databases(url or server.admin_url).new()  # type: ignore[union-attr]
    t0 = time.perf_counter()
    source = Database(built)
    counts = copy_database(source, target)
    source.dispose()
    print(f"moved to PostgreSQL ({sum(c.target for c in counts):,} rows) in {time.perf_counter() - t0:.1f} s")
    return target, server


def stress(path: Path | str, args: argparse.Namespace) -> None:
    epoch = time.time()
    base: dict[str, list[float]] = {}
    base_fail: list[str] = []
    for role in ("caller", "reader", "sms", "importer", "reporter"):  # each alone: the figures without load
        alone, fails, _, _ = run_phase(path, [role], args.baseline, epoch)
        base.update(alone)
        base_fail.extend(fails)
    roles = (ROLES * (args.procs // len(ROLES) + 1))[: args.procs]
    load, failures, refused, elapsed = run_phase(path, roles, args.seconds, epoch)
    total = sum(len(v) for v in load.values())
    print(
        f"{args.procs} processes for {elapsed:.0f} s: {total:,} operations ({total / elapsed:.1f}/s), "
        f"{refused:,} refused by the gate (expected: limits), {len(failures) + len(base_fail)} failures (target 0)"
    )
    print(f"{'operation':<12}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'alone p95':>11}{'ratio':>8}")
    for op in sorted(load):
        values = load[op]
        alone = pct(base.get(op, []), 95)
        ratio = pct(values, 95) / alone if base.get(op) else float("nan")
        print(
            f"{op:<12}{len(values):>8}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}{max(values):>9.1f}"
            f"{alone:>11.1f}{ratio:>7.1f}x"
        )
    for line in sorted(set(failures + base_fail))[:10]:
        print("  failure:", line)
    talks, unanswered = limits_exceeded(path)
    print(
        f"limits exceeded: {talks} borrower-days over 3 conversations, {unanswered} number-days over 6 "
        "unanswered (target 0 and 0)"
    )
    print(f"audit verify: {verify(path)}")


if __name__ == "__main__":
    main()
