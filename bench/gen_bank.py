"""A fast synthetic bank for benchmarks: customers, loans, monthly schedules, payments, some work history.

Raw sqlite3 ``executemany`` in one transaction on a schema made by ``Database.create_schema()``; the bulk
tables' indexes are dropped during the load and rebuilt after (much faster than maintaining them row by
row). Deterministic for a seed. Not realistic prose (no Faker: too slow at a million rows), but every value
is valid-looking: 11-digit mobiles, 18-character resident IDs with a correct GB 11643 check character,
Chinese names that mask as 李**.

Use as a module::

    from bench.gen_bank import BankSpec, generate
    stats = generate(Path("/tmp/x.db"), BankSpec(customers=100_000, loans_per_customer=2))

or as a script: ``python bench/gen_bank.py /tmp/x.db --customers 100000 --loans-per-customer 2``.
The overdue figures are NOT written: run ``refresh.refresh(ctx)`` (or ``collectui queue``) afterwards.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collectui.domain.privacy.identity import id_check_char
from collectui.storage.engine import Database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建国建华志强春梅海燕德明"
REGIONS = ("330102", "330106", "330381", "331002", "341822", "420102", "510104", "610113")
BRANCH_NAMES = ("城关支行", "河西支行", "青山分理处", "东湖支行", "南岭支行", "北塘分理处")
PRODUCTS = ("农户小额信用贷", "农户联保贷", "个体工商户经营贷", "消费贷")
# Missed instalments of a delinquent loan (1 = M1 ... 8+ = M6+), weights for a believable bucket spread.
MISSED = (1, 2, 3, 4, 5, 6, 7, 9)
MISSED_WEIGHTS = (40, 18, 12, 8, 6, 5, 4, 7)


@dataclass
class BankSpec:
    customers: int = 1_000
    loans_per_customer: float = 2.0
    instalments_per_loan: int = 12
    payments: int | None = None  # target number of payment rows; None: about 5 per loan
    share_overdue: float = 0.3  # share of customers with at least one overdue loan
    branches: int = 3
    collectors_per_branch: int = 10
    as_of: date = date(2026, 11, 28)
    seed: int = 1
    history: bool = True  # some calls, promises, disputes, complaint holds, do-not-call flags


@dataclass
class GenStats:
    customers: int
    loans: int
    instalments: int
    payments: int
    overdue_customers: int
    seconds: float


def _add_months(d: date, months: int, day: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, day)


def _utc(d: date, hour: int) -> str:
    # Local Asia/Shanghai hour -> stored UTC text (fixed +08:00, no DST in China).
    return (
        datetime(d.year, d.month, d.day, hour, tzinfo=timezone(timedelta(hours=8)))
        .astimezone(UTC)
        .isoformat(timespec="microseconds")
    )


def _id_number(rng: random.Random) -> str:
    birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 45))
    first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _without_indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    marks = ",".join("?" * len(tables))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})", tables
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def generate(path: Path, spec: BankSpec | None = None, replace: bool = True) -> GenStats:
    spec = spec or BankSpec()
    started = time.perf_counter()
    path = Path(path)
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    db = Database(path)
    db.create_schema()
    db.dispose()
    rng = random.Random(spec.seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("BEGIN IMMEDIATE")
    index_sql = _without_indexes(conn, ("customer", "loan", "instalment", "payment"))
    created = _utc(spec.as_of - timedelta(days=400), 9)

    conn.executemany(
        "INSERT INTO branch(id, name) VALUES (?, ?)",
        [
            (b + 1, BRANCH_NAMES[b % len(BRANCH_NAMES)] + ("" if b < len(BRANCH_NAMES) else str(b)))
            for b in range(spec.branches)
        ],
    )
    staff = []
    for b in range(spec.branches):
        for k in range(spec.collectors_per_branch):
            uid = b * spec.collectors_per_branch + k + 1
            staff.append(
                (uid, f"c{b + 1}_{k + 1:02d}", _name(rng), "collector", b + 1, "!bench-no-login", 1, 0, created)
            )
    conn.executemany(
        "INSERT INTO staff_user(id, username, display_name, role, branch_id, password_hash, active, "
        "failed_logins, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
        staff,
    )

    n_loans = max(int(round(spec.customers * spec.loans_per_customer)), spec.customers and 1)
    target_payments = spec.payments if spec.payments is not None else n_loans * 5
    avg_paid = max(target_payments / max(n_loans, 1), 0.0)
    n_inst = spec.instalments_per_loan

    customers, overdue_ids, branch_of = [], [], []
    for i in range(spec.customers):
        cid = f"C{i + 1:08d}"
        branch = i % spec.branches + 1
        branch_of.append(branch)
        dnc = spec.history and rng.random() < 0.01
        customers.append(
            (
                cid,
                _name(rng),
                _id_number(rng),
                _phone(rng),
                f"浙江省杭州市西湖区{rng.randrange(1, 300)}号",
                branch,
                int(dnc),
                0,
                0,
                0,
                0,
                created,
                created,
            )
        )
        if rng.random() < spec.share_overdue:
            overdue_ids.append(i)
    conn.executemany(
        "INSERT INTO customer(customer_id, name, id_number, phone, address, branch_id, do_not_call, "
        "vulnerable, phone_invalid, sms_opt_out, hardship, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        customers,
    )
    overdue_set = set(overdue_ids)
    del customers

    loans, insts, pays = [], [], []
    n_instalments = n_payments = 0
    pay_seq = 0
    month_text: dict[int, str] = {}

    def flush_children() -> None:
        conn.executemany(
            "INSERT INTO instalment(loan_id, seq, due_date, principal_due_fen, interest_due_fen) VALUES (?,?,?,?,?)",
            insts,
        )
        conn.executemany(
            "INSERT INTO payment(payment_id, loan_id, paid_on, amount_fen, channel) VALUES (?,?,?,?,?)", pays
        )
        insts.clear()
        pays.clear()

    for n in range(n_loans):
        ci = n % spec.customers
        loan_id = f"L{n + 1:09d}"
        delinquent = ci in overdue_set and n < spec.customers  # each overdue customer's first loan
        missed = rng.choices(MISSED, MISSED_WEIGHTS)[0] if delinquent else 0
        # Instalments due before as-of: about avg_paid paid ones, plus the missed ones.
        due_before = min(n_inst, missed + max(int(rng.uniform(0, 2 * avg_paid) + 0.5), 0))
        if delinquent:
            due_before = max(due_before, missed)
        day = rng.randrange(1, 29)
        # First due date such that exactly `due_before` instalments fall before as-of.
        first_due = _add_months(spec.as_of.replace(day=1), -due_before + (1 if day < spec.as_of.day else 0), day)
        disbursed = _add_months(first_due, -1, day)
        principal = rng.randrange(20, 300) * 100_000 // 10  # 2,000.00 .. 30,000.00 yuan
        per = principal // n_inst
        rate_ppm = rng.choice((43500, 52000, 61000, 72000))
        interest = principal * rate_ppm // 12_000_000
        branch = branch_of[ci]
        collector = (branch - 1) * spec.collectors_per_branch + rng.randrange(spec.collectors_per_branch) + 1
        loans.append(
            (
                loan_id,
                f"C{ci + 1:08d}",
                rng.choice(PRODUCTS),
                principal,
                disbursed.isoformat(),
                _add_months(first_due, n_inst - 1, day).isoformat(),
                rate_ppm,
                "active",
                collector,
            )
        )
        paid_count = max(due_before - missed, 0)
        base = first_due.year * 12 + first_due.month - 1
        for k in range(n_inst):
            ym = base + k
            due_text = month_text.get(ym)
            if due_text is None:
                due_text = month_text[ym] = f"{ym // 12:04d}-{ym % 12 + 1:02d}-"
            due_text = f"{due_text}{day:02d}"
            p = per if k < n_inst - 1 else principal - per * (n_inst - 1)
            insts.append((loan_id, k + 1, due_text, p, interest))
            if k < paid_count:
                pay_seq += 1
                paid_on = due_text
                if rng.random() < 0.2:  # paid a few days early
                    paid_on = (date.fromisoformat(due_text) - timedelta(days=rng.randrange(1, 5))).isoformat()
                pays.append(
                    (
                        f"P{pay_seq:010d}",
                        loan_id,
                        paid_on,
                        p + interest,
                        "counter" if rng.random() < 0.3 else "auto_debit",
                    )
                )
        if delinquent and rng.random() < 0.25:  # a partial payment after falling behind
            pay_seq += 1
            pays.append(
                (
                    f"P{pay_seq:010d}",
                    loan_id,
                    (spec.as_of - timedelta(days=rng.randrange(1, 20))).isoformat(),
                    (per + interest) // 3,
                    "mobile",
                )
            )
        n_instalments += n_inst
        n_payments = pay_seq
        if len(insts) >= 200_000:
            flush_children()
    flush_children()
    conn.executemany(
        "INSERT INTO loan(loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date, "
        "rate_ppm, status, collector_id) VALUES (?,?,?,?,?,?,?,?,?)",
        loans,
    )
    del loans
    if spec.history:
        _history(conn, rng, spec, overdue_ids, branch_of)
    for sql in index_sql:
        conn.execute(sql)
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('bench_bank', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (repr(asdict(spec)),),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return GenStats(spec.customers, n_loans, n_instalments, n_payments, len(overdue_ids), time.perf_counter() - started)


def _history(conn, rng: random.Random, spec: BankSpec, overdue_ids: list[int], branch_of: list[int]) -> None:
    """Calls for a third of the overdue customers, promises (open, kept, broken), a few holds."""
    calls, promises, disputes, complaints = [], [], [], []
    call_id = 0
    for ci in overdue_ids:
        cid = f"C{ci + 1:08d}"
        user = (branch_of[ci] - 1) * spec.collectors_per_branch + 1
        r = rng.random()
        if r < 0.33:
            call_id += 1
            day = spec.as_of - timedelta(days=rng.randrange(1, 40))
            rpc = rng.random() < 0.6
            calls.append(
                (
                    call_id,
                    cid,
                    "13800000000",
                    user,
                    "logged",
                    _utc(day, 10),
                    _utc(day, 10),
                    "promise_to_pay" if rpc else "no_answer",
                    int(rpc),
                    int(rpc),
                    "[]",
                    "[]",
                )
            )
            if rpc and rng.random() < 0.5:
                due = day + timedelta(days=rng.randrange(1, 15))
                promises.append(
                    (cid, call_id, user, _utc(day, 10), rng.randrange(100, 2000) * 100, due.isoformat(), "open", 0)
                )
        elif r < 0.35:
            disputes.append((cid, _utc(spec.as_of - timedelta(days=10), 11), "open"))
        elif r < 0.36:
            complaints.append(
                (
                    cid,
                    "collection",
                    "bench",
                    "open",
                    _utc(spec.as_of - timedelta(days=5), 11),
                    (spec.as_of + timedelta(days=10)).isoformat(),
                    1,
                )
            )
    conn.executemany(
        "INSERT INTO call_attempt(id, customer_id, phone, user_id, status, started_at, ended_at, "
        "outcome, connected, right_party, refused_rules, checklist) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        calls,
    )
    conn.executemany(
        "INSERT INTO promise(customer_id, call_id, user_id, made_at, amount_fen, due_date, status, "
        "paid_fen) VALUES (?,?,?,?,?,?,?,?)",
        promises,
    )
    conn.executemany("INSERT INTO dispute(customer_id, opened_at, status) VALUES (?,?,?)", disputes)
    conn.executemany(
        "INSERT INTO complaint(customer_id, about, text, status, opened_at, due_on, hold_active, extended) "
        "VALUES (?,?,?,?,?,?,?,0)",
        complaints,
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--loans-per-customer", type=float, default=2.0)
    ap.add_argument("--instalments-per-loan", type=int, default=12)
    ap.add_argument("--payments", type=int, default=None)
    ap.add_argument("--share-overdue", type=float, default=0.3)
    ap.add_argument("--branches", type=int, default=3)
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 28))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-history", action="store_true")
    a = ap.parse_args(argv)
    stats = generate(
        a.path,
        BankSpec(
            a.customers,
            a.loans_per_customer,
            a.instalments_per_loan,
            a.payments,
            a.share_overdue,
            a.branches,
            as_of=a.as_of,
            seed=a.seed,
            history=not a.no_history,
        ),
    )
    print(
        f"{a.path}: {stats.customers:,} customers, {stats.loans:,} loans, {stats.instalments:,} instalments, "
        f"{stats.payments:,} payments, {stats.overdue_customers:,} customers made overdue, "
        f"built in {stats.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
