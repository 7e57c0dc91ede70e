"""Benchmark: every report on a 1,000,000-loan bank, against baselines measured in the same run.

Builds (or reuses with ``--reuse``) two databases with ``bench/gen_bank.py``: a small one (1,000 loans) and a
big one (500,000 customers x 2 loans = 1,000,000 loans), runs the work-list refresh on both (which writes
``loan_state`` and the day's ``bucket_snapshot``), then adds in bulk what reports read: about 1,000,000 call
attempts (logged, refused, started) over 120 days, 150,000 promises, 100,000 feedback rows, 5,000
complaints, 20,000 audit events (unmask, note-scan refusals ...; all in proportion to the calls), and a
second bucket snapshot 30 days earlier. ``--synthetic`` writes loans with their ``loan_state`` directly
instead of generating schedules and refreshing (the reports read no schedule), for slow machines.

Prints, for each report: seconds on the big DB (median of ``--repeat`` runs, json + xlsx export timed apart),
seconds on the small DB, the ratio big/small, and the ratio to a baseline full scan of the table the report
reads (``SELECT COUNT(*), SUM(...)``). Target: each report under 5 s on the big DB.

``--pg`` also copies both banks into PostgreSQL (a throwaway server started here with its durable settings,
or ``--pg-url``; ``bench/to_pg.py``) and times every report there too, each right after SQLite's: the
same 5 s target on both engines.

    python bench/bench_reports.py [--dir /tmp/bench-reports] [--reuse] [--synthetic] [--customers 500000]
                                  [--pg] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen_bank import BankSpec, generate
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio.refresh import refresh
from collectui.domain.reports import Params, run
from collectui.domain.reports.dashboard import dashboard_data
from collectui.domain.reports.export import to_json, write_xlsx
from collectui.domain.staff.users import UserView
from collectui.storage.engine import Database
from collectui.storage.locate import database_at

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = date(2026, 11, 28)
OUTCOMES = (
    "no_answer",
    "busy",
    "unreachable",
    "promise_to_pay",
    "refuses",
    "callback",
    "hung_up",
    "claims_paid",
    "third_party",
    "dispute",
    "hardship",
    "partial_payment",
)
RULES = ("call_window", "daily_attempts", "daily_conversations", "do_not_call", "promise_pending")
CATS = ("attitude", "language", "frequency", "timing", "privacy", "amount_accuracy", "repayment_difficulty", "other")
BASELINES = {
    "portfolio": "SELECT COUNT(*), SUM(outstanding_fen) FROM loan_state",
    "migration": "SELECT COUNT(*), SUM(outstanding_fen) FROM bucket_snapshot",
    "activity": "SELECT COUNT(*), SUM(user_id) FROM call_attempt",
    "compliance": "SELECT COUNT(*), SUM(user_id) FROM call_attempt",
    "voice": "SELECT COUNT(*), SUM(satisfaction) FROM feedback",
}
WINDOWS = {  # (from, to) per report: a 30-day window; migration t-1 = 30 days before t
    "portfolio": (None, AS_OF),
    "migration": (AS_OF - timedelta(days=30), AS_OF),
    "activity": (AS_OF - timedelta(days=29), AS_OF),
    "compliance": (AS_OF - timedelta(days=29), AS_OF),
    "voice": (AS_OF - timedelta(days=29), AS_OF),
}


def _utc(day: date, minute: int) -> str:
    when = datetime.combine(day, dtime(8, 0), TZ) + timedelta(minutes=minute)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _ctx(path: Path | str) -> Ctx:
    return Ctx(database_at(path), FixedClock(datetime.combine(AS_OF, dtime(10, 0), TZ), TZ), Policy())


def on_postgresql(banks: dict[str, Path], url: str | None) -> tuple[dict[str, Ctx], Callable[[], None]]:
    """Copies of ``banks`` in PostgreSQL (a server started here unless ``url``); their contexts and a closer."""
    from bench.to_pg import copy_sqlite_to_pg
    from tests.support.pg import Databases, start_server

    server = None if url else start_server(durable=True)
    found = Databases(url or server.admin_url)  # type: ignore[union-attr]
    ctxs = {}
    for name, path in banks.items():
        target = found.new()
        rows, seconds = copy_sqlite_to_pg(path, target)
        print(f"{path.name}: copied to PostgreSQL ({rows:,} rows) in {seconds:.1f} s")
        ctxs[name] = _ctx(target)

    def close() -> None:
        for ctx in ctxs.values():
            ctx.db.dispose()
        if server is not None:
            server.stop()
        else:
            found.drop_all()

    return ctxs, close


def add_activity(path: Path, calls: int, seed: int = 7) -> dict[str, int]:
    """Bulk rows the reports read; returns their counts."""
    rng = random.Random(seed)
    db = Database(path)
    with db.raw_write() as conn:
        customers = [r[0] for r in conn.execute("SELECT customer_id FROM customer")]
        users = [r[0] for r in conn.execute("SELECT id FROM staff_user WHERE role = 'collector'")] or [
            r[0] for r in conn.execute("SELECT id FROM staff_user")
        ]
        batch = []
        for _ in range(calls):
            day = AS_OF - timedelta(days=rng.randrange(0, 120))
            r = rng.random()
            status = "logged" if r < 0.9 else ("refused" if r < 0.97 else "started")
            outcome = rng.choice(OUTCOMES) if status == "logged" else None
            rules = json.dumps(rng.sample(RULES, rng.choice((1, 1, 2)))) if status == "refused" else "[]"
            batch.append(
                (
                    rng.choice(customers),
                    "13800000000",
                    rng.choice(users),
                    status,
                    _utc(day, rng.randrange(0, 800)),
                    outcome,
                    rules,
                )
            )
            if len(batch) >= 100_000:
                conn.executemany(
                    "INSERT INTO call_attempt(customer_id, phone, user_id, status, started_at, outcome, "
                    "refused_rules, checklist, connected, right_party) VALUES (?,?,?,?,?,?,?,'[]',0,0)",
                    batch,
                )
                batch.clear()
        conn.executemany(
            "INSERT INTO call_attempt(customer_id, phone, user_id, status, started_at, outcome, "
            "refused_rules, checklist, connected, right_party) VALUES (?,?,?,?,?,?,?,'[]',0,0)",
            batch,
        )
        promises = []
        for _ in range(calls // 7):
            made = AS_OF - timedelta(days=rng.randrange(0, 120))
            due = made + timedelta(days=rng.randrange(1, 15))
            status = rng.choice(("kept", "partial", "broken", "broken")) if due + timedelta(days=2) < AS_OF else "open"
            promises.append(
                (
                    rng.choice(customers),
                    rng.choice(users),
                    _utc(made, 60),
                    rng.randrange(100, 5000) * 100,
                    due.isoformat(),
                    status,
                )
            )
        conn.executemany(
            "INSERT INTO promise(customer_id, user_id, made_at, amount_fen, due_date, status, paid_fen) "
            "VALUES (?,?,?,?,?,?,0)",
            promises,
        )
        feedback = []
        for _ in range(calls // 10):
            day = AS_OF - timedelta(days=rng.randrange(0, 120))
            sentiment = rng.choice(("positive", "positive", "neutral", "negative"))
            cats = json.dumps(rng.sample(CATS, rng.choice((0, 1, 2)))) if sentiment == "negative" else "[]"
            feedback.append(
                (
                    rng.choice(customers),
                    rng.choice(users),
                    rng.choice(("call", "survey", "hotline")),
                    sentiment,
                    cats,
                    rng.randint(1, 5),
                    rng.randint(0, 10),
                    "=bad 13812345678" if sentiment == "negative" and rng.random() < 0.1 else None,
                    _utc(day, rng.randrange(0, 800)),
                )
            )
        conn.executemany(
            "INSERT INTO feedback(customer_id, collector_id, channel, sentiment, categories, "
            "satisfaction, recommend, text, at) VALUES (?,?,?,?,?,?,?,?,?)",
            feedback,
        )
        complaints = []
        n_complaints = max(50, calls // 200)
        for _ in range(n_complaints):
            day = AS_OF - timedelta(days=rng.randrange(0, 120))
            decided = rng.random() < 0.7
            complaints.append(
                (
                    rng.choice(customers),
                    rng.choice(("collection", "service", "other")),
                    "bench",
                    "resolved" if decided else "open",
                    _utc(day, 30),
                    (day + timedelta(days=15)).isoformat(),
                    _utc(day + timedelta(days=rng.randrange(1, 20)), 30) if decided else None,
                    int(rng.random() < 0.3),
                    rng.choice(users),
                )
            )
        conn.executemany(
            "INSERT INTO complaint(customer_id, about, text, status, opened_at, due_on, decided_at, "
            "hold_active, extended, collector_id) VALUES (?,?,?,?,?,?,?,?,0,?)",
            complaints,
        )
        head = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_event").fetchone()[0]
        events = []
        n_events = max(200, calls // 50)
        for i in range(n_events):
            day = AS_OF - timedelta(days=rng.randrange(0, 120))
            action = rng.choice(
                (
                    "profile.unmask",
                    "call.unmask",
                    "profile.unmask_refused",
                    "call.note_refused",
                    "login.ok",
                    "login.ok",
                    "call.log",
                    "call.log",
                )
            )
            events.append(
                (
                    head + i + 1,
                    _utc(day, i % 800),
                    "boss",
                    action,
                    "customer",
                    rng.choice(customers),
                    json.dumps({"field": "phone", "reason": "客户来电核实身份"}),
                    "0" * 64,
                    "0" * 64,
                )
            )
        conn.executemany(
            "INSERT INTO audit_event(id, at, actor, action, target_type, target_id, details, prev_hash, "
            "hash) VALUES (?,?,?,?,?,?,?,?,?)",
            events,
        )
        # A second snapshot 30 days earlier: each loan 30 days less overdue (a plausible t-1), 2% not yet there.
        earlier = (AS_OF - timedelta(days=30)).isoformat()
        conn.execute(
            "INSERT OR REPLACE INTO bucket_snapshot(snap_date, loan_id, customer_id, bucket, dpd, outstanding_fen, "
            "overdue_fen) SELECT ?, loan_id, customer_id, CASE WHEN d <= 0 THEN 'M0' WHEN d > 180 THEN 'M6+' "
            "ELSE 'M' || ((d - 1) / 30 + 1) END, MAX(d, 0), outstanding_fen, overdue_fen FROM "
            "(SELECT loan_id, customer_id, dpd - 30 + (abs(random()) % 3) * 15 AS d, outstanding_fen, overdue_fen "
            "FROM bucket_snapshot WHERE snap_date = ? AND abs(random()) % 50 <> 0)",
            (earlier, AS_OF.isoformat()),
        )
        conn.execute("ANALYZE")
    db.dispose()
    return {
        "calls": calls,
        "promises": len(promises),
        "feedback": len(feedback),
        "complaints": n_complaints,
        "audit_events": n_events,
    }


def synthetic_bank(path: Path, customers: int, seed: int = 5) -> int:
    """Customers, loans and their ``loan_state`` and snapshot written directly (no schedules): the rows the
    reports read, for machines where generating and refreshing a million schedules takes too long."""
    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    db = Database(path)
    db.create_schema()
    with db.raw_write() as conn:
        for b in ("城关支行", "河西支行", "东湖支行"):
            conn.execute("INSERT INTO branch(name) VALUES (?)", (b,))
        for i in range(30):
            conn.execute(
                "INSERT INTO staff_user(username, display_name, role, branch_id, password_hash, active, "
                "failed_logins, created_at) VALUES (?,?,?,?,?,1,0,?)",
                (f"c{i:02d}", f"c{i:02d}", "collector", i % 3 + 1, "x", _utc(AS_OF, 0)),
            )
        cust, loans, states, snaps = [], [], [], []
        dpds = (0,) * 14 + (5, 15, 25, 40, 55, 75, 100, 130, 160, 200, 300, 400)
        for ci in range(customers):
            cid = f"C{ci:08d}"
            cust.append((cid, "王**", "110101199003070011", "13800000000", ci % 3 + 1))
            for k in range(2):
                lid = f"L{ci:08d}{k}"
                dpd = rng.choice(dpds)
                out = rng.randrange(1000, 50000) * 100
                over = out // 5 if dpd else 0
                status = "closed" if rng.random() < 0.03 else "active"
                loans.append((lid, cid, "农户贷", out, "2025-01-01", "2027-01-01", status, rng.randrange(1, 31)))
                b = "M0" if dpd <= 0 else ("M6+" if dpd > 180 else f"M{(dpd - 1) // 30 + 1}")
                c = (
                    "normal"
                    if dpd <= 0
                    else "special_mention"
                    if dpd <= 90
                    else "substandard"
                    if dpd <= 270
                    else "doubtful"
                    if dpd <= 360
                    else "loss"
                )
                states.append((lid, cid, AS_OF.isoformat(), dpd, b, c, over, out))
                snaps.append((AS_OF.isoformat(), lid, cid, b, dpd, out, over))
            if len(loans) >= 100_000 or ci == customers - 1:
                conn.executemany(
                    "INSERT INTO customer(customer_id, name, id_number, phone, branch_id, do_not_call, "
                    "vulnerable, phone_invalid, sms_opt_out, hardship) VALUES (?,?,?,?,?,0,0,0,0,0)",
                    cust,
                )
                conn.executemany(
                    "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, "
                    "maturity_date, status, collector_id) VALUES (?,?,?,?,?,?,?,?)",
                    loans,
                )
                conn.executemany(
                    "INSERT INTO loan_state(loan_id, customer_id, as_of, dpd, bucket, category, "
                    "overdue_fen, outstanding_fen, next_due_fen) VALUES (?,?,?,?,?,?,?,?,0)",
                    states,
                )
                conn.executemany("INSERT INTO bucket_snapshot VALUES (?,?,?,?,?,?,?)", snaps)
                cust, loans, states, snaps = [], [], [], []
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('state_as_of', ?)", (AS_OF.isoformat(),))
    db.dispose()
    return customers * 2


def build(path: Path, customers: int, reuse: bool, synthetic: bool = False) -> None:
    if reuse and path.exists():
        print(f"reusing {path}")
        return
    t0 = time.perf_counter()
    if synthetic:
        n = synthetic_bank(path, customers)
        t1 = t2 = time.perf_counter()
        print(f"{path.name}: synthetic {n:,} loans with loan_state and a snapshot in {t1 - t0:.1f} s")
    else:
        stats = generate(path, BankSpec(customers=customers, loans_per_customer=2.0, as_of=AS_OF, seed=3))
        t1 = time.perf_counter()
        rs = refresh(_ctx(path), as_of=AS_OF)
        t2 = time.perf_counter()
        print(
            f"{path.name}: {stats.loans:,} loans, {stats.customers:,} customers: generated {t1 - t0:.1f} s, "
            f"refresh {t2 - t1:.1f} s ({rs.loans:,} loans)"
        )
    extra = add_activity(path, calls=max(1000, customers * 2))
    print(f"{path.name}: activity rows {time.perf_counter() - t2:.1f} s {extra}")


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "bench-reports")
    ap.add_argument("--customers", type=int, default=500_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="reuse databases built by an earlier run")
    ap.add_argument(
        "--synthetic",
        action="store_true",
        help="write loans with their loan_state directly instead of gen_bank + refresh (faster)",
    )
    ap.add_argument("--pg", action="store_true", help="time every report on PostgreSQL too")
    ap.add_argument("--pg-url", help="a PostgreSQL server to use (a user allowed to CREATE DATABASE)")
    a = ap.parse_args(argv)
    a.dir.mkdir(parents=True, exist_ok=True)
    small, big = a.dir / "small.db", a.dir / "big.db"
    build(small, 500, a.reuse, a.synthetic)
    build(big, a.customers, a.reuse, a.synthetic)
    engines: dict[str, dict[str, Ctx]] = {"sqlite": {"small": _ctx(small), "big": _ctx(big)}}
    close: Callable[[], None] = lambda: None  # noqa: E731
    if a.pg or a.pg_url:
        engines["postgresql"], close = on_postgresql({"small": small, "big": big}, a.pg_url)
    try:
        worst = {engine: 0.0 for engine in engines}
        print(
            f"\n{'report':<24} {'big s':>7} {'json s':>7} {'xlsx s':>7} {'small s':>8} {'big/small':>10} "
            f"{'scan s':>7} {'report/scan':>11}  under 5 s"
        )
        for name, (d_from, d_to) in WINDOWS.items():
            params = Params(date_from=d_from, date_to=d_to)
            for engine, ctxs in engines.items():
                total = measure_report(ctxs, name, params, a, f"{name} ({engine})" if len(engines) > 1 else name)
                worst[engine] = max(worst[engine], total)
        for engine, seconds in worst.items():
            print(f"\nslowest report incl. export, {engine}: {seconds:.2f} s (target < 5 s)")
        admin = UserView(0, "bench", "bench", "admin", None, True, False)
        for engine, ctxs in engines.items():
            t_small = timed(lambda ctxs=ctxs: dashboard_data(ctxs["small"], admin), a.repeat)
            t_big = timed(lambda ctxs=ctxs: dashboard_data(ctxs["big"], admin), a.repeat)
            print(
                f"dashboard data (TUI worker thread), {engine}: big {t_big:.2f} s, small {t_small:.3f} s, "
                f"ratio {t_big / t_small:.0f}"
            )
    finally:
        close()


def measure_report(ctxs: dict[str, Ctx], name: str, params: Params, a: argparse.Namespace, label: str) -> float:
    """Time one report on one engine's banks and print its row; returns the big bank's time with exports."""
    t_small = timed(lambda: run(ctxs["small"], name, params), a.repeat)
    t_big = timed(lambda: run(ctxs["big"], name, params), a.repeat)
    report = run(ctxs["big"], name, params)
    t_json = timed(lambda: to_json(report), 1)
    t_xlsx = timed(lambda: write_xlsx(report, a.dir / f"{name}.xlsx", force=True), 1)
    with ctxs["big"].db.raw_read() as conn:
        t_scan = timed(lambda: conn.execute(BASELINES[name]).fetchall(), a.repeat)
    total = t_big + t_json + t_xlsx
    print(
        f"{label:<24} {t_big:7.2f} {t_json:7.3f} {t_xlsx:7.3f} {t_small:8.3f} {t_big / t_small:10.0f} "
        f"{t_scan:7.2f} {t_big / t_scan:11.1f}  {'yes' if total < 5 else 'NO'}"
    )
    return total


if __name__ == "__main__":
    main()
