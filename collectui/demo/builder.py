"""``collectui demo``: a realistic, deterministic demo database for trainers.

The same seed and as-of date give the same data (Faker's ``zh_CN`` tables, one seeded ``random.Random``).
The overdue figures come from the overdue engine (``portfolio.refresh``): the demo writes schedules and
payments, never days past due. People are in ``people``, loans in ``loans``, who gets which story in
``plans``, calls and the rest of the history in ``history``, the rows' tables in ``rows``, the file
handling (never over real data, atomic replace) in ``file``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from collectui.clock import Clock
from collectui.demo.file import inspect_target, remove_with_sidecars, seal, swap_into_place
from collectui.demo.history import HistoryFactory
from collectui.demo.loans import BUSINESS_PRODUCT, CHANNEL_CUM, CHANNELS, LoanFactory, LoanPlan, pick
from collectui.demo.people import BRANCHES, PeopleFactory, StaffSpec, staff_specs
from collectui.demo.plans import MIN_CUSTOMERS, CustomerPlan, make_plans
from collectui.demo.rows import Rows, store_rows
from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.portfolio.overdue import BUCKETS, CATEGORIES, Inst, Pay, bucket_for, category_for, compute
from collectui.domain.said import said
from collectui.domain.staff.actor import system_actor
from collectui.domain.staff.users import add_user, get_or_create_branch
from collectui.domain.training.results import local_today, write_recorded
from collectui.storage.engine import Database
from collectui.storage.files import building_path, clean_stale_builds
from collectui.storage.meta import set_meta
from collectui.storage.models import saved_id
from collectui.storage.outfiles import make_private_dir
from collectui.storage.raw import driver_connection
from collectui.storage.timefmt import utc_text

BRANCH_CUM = (40, 75, 100)
MAX_CUSTOMERS = 1_000_000
CHUNK = 5_000  # customers drawn, then stored, at a time


@dataclass
class DemoOptions:
    seed: int = 1
    customers: int = 500
    as_of: date | None = None
    force: bool = False


@dataclass
class DemoSummary:
    path: Path
    seed: int
    as_of: date
    customers: int = 0
    loans: int = 0
    instalments: int = 0
    payments: int = 0
    calls: int = 0
    promises: dict[str, int] = field(default_factory=dict)
    disputes: int = 0
    complaints: int = 0
    feedback: int = 0
    sms: int = 0
    borrowers_by_bucket: dict[str, int] = field(default_factory=dict)  # worst active or written-off loan
    borrowers_by_category: dict[str, int] = field(default_factory=dict)
    staff: list[StaffSpec] = field(default_factory=list)
    refreshed: bool = False
    refresh_note: str = ""
    work_items: int = 0
    callable: int = 0
    seconds: float = 0.0
    seconds_generate: float = 0.0
    seconds_refresh: float = 0.0


def build_demo(target: Path, policy: Policy, clock: Clock, opts: DemoOptions, actor: str = "cli") -> DemoSummary:
    """Build a demo database at ``target``; see the module docstring for the safety rules."""
    if not MIN_CUSTOMERS <= opts.customers <= MAX_CUSTOMERS:
        raise InvalidInput(
            said(
                "error.demo.customers_range",
                f"--customers must be between {MIN_CUSTOMERS} and {MAX_CUSTOMERS:,}, got {opts.customers}",
                min=MIN_CUSTOMERS,
                max=format(MAX_CUSTOMERS, ","),
                got=opts.customers,
            )
        )
    target = Path(target)
    replacing = inspect_target(target, opts.force)
    make_private_dir(target.parent)
    clean_stale_builds(target.parent)  # a killed build's half database (named after its dead process)
    tmp = building_path(target)
    remove_with_sidecars(tmp)
    started = time.perf_counter()
    db = Database(tmp)
    try:
        db.create_schema(kind="demo")
        ctx = Ctx(db=db, clock=clock, policy=policy)
        summary = DemoSummary(path=target, seed=opts.seed, as_of=opts.as_of or clock.today())
        _generate(ctx, summary, opts.customers, actor)
        summary.seconds_generate = time.perf_counter() - started
        _refresh(ctx, summary)
        db.dispose()
        seal(tmp)
        inspect_target(target, opts.force)  # still a demo database (or still absent) right before the swap
        swap_into_place(tmp, target, replacing)
    except BaseException:
        db.dispose()
        remove_with_sidecars(tmp)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _refresh(ctx: Ctx, summary: DemoSummary) -> None:
    try:
        from collectui.domain.portfolio.refresh import refresh
    except ImportError:  # the work-list engine is not installed in this checkout
        summary.refresh_note = "work list not computed: collectui.domain.portfolio.refresh is missing"
        return
    t = time.perf_counter()
    stats = refresh(ctx, None, summary.as_of, actor="demo")
    summary.seconds_refresh = time.perf_counter() - t
    summary.refreshed = True
    summary.work_items, summary.callable = stats.work_items, stats.callable
    if stats.promises_changed:
        summary.refresh_note = f"the promise evaluation changed {stats.promises_changed} demo promise statuses"


# -- generation ------------------------------------------------------------------------------------------


def _staff(ctx: Ctx, specs: list[StaffSpec], actor: str) -> dict[str, int]:
    """Branches, then the staff accounts through ``users.add_user`` (argon2: about a third of a second each)."""
    ids: dict[str, int] = {}
    today = local_today(ctx)
    with ctx.db.write() as s:
        for name, _code in BRANCHES:
            get_or_create_branch(s, name)
        for spec in specs:
            user = add_user(
                ctx,
                system_actor(actor),
                spec.username,
                spec.role,
                spec.branch,
                spec.password,
                spec.display_name,
                session=s,
            )
            ids[spec.username] = saved_id(user.id)
            # Demo staff stand for trained staff: certified, so the gate's `certified` rule lets them call; the
            # trainee is not (the training screens show what they still need).
            if spec.role != "trainee":
                write_recorded(
                    driver_connection(s),
                    ctx,
                    system_actor(actor),
                    ids[spec.username],
                    spec.username,
                    today,
                    "demo staff",
                )
    return ids


def _loans_for(
    loans: LoanFactory, rng: random.Random, cid: str, plan: CustomerPlan, counter: list[int]
) -> list[LoanPlan]:
    def next_id() -> str:
        counter[0] += 1
        return f"LN{counter[0]:08d}"

    tags = plan.tags
    out: list[LoanPlan] = []
    if plan.dpd:
        out.append(
            loans.overdue(
                next_id(),
                cid,
                plan.dpd,
                partial=bool(tags & {"partial_payment", "partial_promise"}),
                catchup="kept" in tags,
                partial_early="partial_promise" in tags,
            )
        )
    elif "closed_only" in tags:
        out.append(loans.closed(next_id(), cid))
    elif "written_off" in tags:
        out.append(loans.written_off(next_id(), cid))
    else:
        out.append(
            loans.current(next_id(), cid, early="early" in tags, overpay="overpay" in tags, catchup="cured" in tags)
        )
    # A partly kept promise stays partial only if no other loan's instalment lands in its window.
    if not tags & {"written_off", "closed_only", "partial_promise"}:
        if rng.random() < 0.18:
            out.append(loans.current(next_id(), cid))
        if rng.random() < 0.15:
            out.append(loans.closed(next_id(), cid))
    return out


def _generate(ctx: Ctx, summary: DemoSummary, n_customers: int, actor: str) -> None:
    as_of, seed = summary.as_of, summary.seed
    rng = random.Random(seed)
    people = PeopleFactory(rng)
    gap = ctx.policy.data.get("sms", {}).get("cycle_gap_days", 7)
    history = HistoryFactory(rng, as_of, ctx.policy.tz, ctx.policy["promises.grace_days"], cycle_gap_days=gap)
    specs = staff_specs(people)
    summary.staff = specs
    # Password hashing is slow on purpose: create the accounts in a thread while the borrowers are drawn.
    # A fresh database numbers branches and staff in insertion order; checked below before any row refers to them.
    staff_ids = {spec.username: n for n, spec in enumerate(specs, start=1)}
    branch_ids = {name: n for n, (name, _code) in enumerate(BRANCHES, start=1)}
    chunks = _draw(ctx, rng, people, history, n_customers, as_of, staff_ids, branch_ids, specs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        staff_job = pool.submit(_staff, ctx, specs, actor)
        rows = next(chunks)  # the first chunk is drawn while the passwords are hashed
    if staff_job.result() != staff_ids:
        raise RuntimeError(f"demo staff ids differ from the expected numbering: {staff_job.result()}")
    with ctx.db.raw_write() as raw:
        if dict(raw.execute("SELECT name, id FROM branch")) != branch_ids:
            raise RuntimeError("demo branch ids differ from the expected numbering")
        while True:
            store_rows(raw, rows, history)
            rows.flush()
            history.flush()
            if next(chunks, None) is None:
                break
        # The history is written in bulk without an event per row: the trail vouches for it as built.
        audit.adopt(raw, ctx.clock, actor, "demo history")

    totals, counts = rows.totals, history.counts
    summary.customers, summary.loans = totals["customers"], totals["loans"]
    summary.instalments, summary.payments = totals["instalments"], totals["payments"]
    summary.calls, summary.promises = counts["calls"], dict(history.promise_status)
    summary.disputes, summary.complaints = counts["disputes"], counts["complaints"]
    summary.feedback, summary.sms = counts["feedback"], counts["sms"]
    rows.buckets["M0"] = rows.active - sum(rows.buckets.values())
    rows.categories["normal"] = rows.buckets["M0"]
    summary.borrowers_by_bucket = {b: rows.buckets.get(b, 0) for b in BUCKETS}
    summary.borrowers_by_category = {c: rows.categories.get(c, 0) for c in CATEGORIES}
    with ctx.db.write() as s:
        set_meta(s, "demo", "1")
        set_meta(s, "demo_seed", str(seed))
        set_meta(s, "demo_as_of", as_of.isoformat())
        set_meta(s, "demo_customers", str(n_customers))
        audit.record(
            s,
            ctx.clock,
            actor,
            "demo.build",
            "database",
            None,
            {
                "seed": seed,
                "as_of": as_of.isoformat(),
                "customers": summary.customers,
                "loans": summary.loans,
                "payments": summary.payments,
                "calls": summary.calls,
                "staff": len(specs),
            },
        )


def _draw(
    ctx: Ctx,
    rng: random.Random,
    people: PeopleFactory,
    history: HistoryFactory,
    n_customers: int,
    as_of: date,
    staff_ids: dict[str, int],
    branch_ids: dict[str, int],
    specs: list[StaffSpec],
) -> Iterator[Rows]:
    """Draw the borrowers; yields the same ``Rows`` every ``CHUNK`` customers (the caller stores and
    flushes it), so memory stays flat at any size."""
    loans_f = LoanFactory(rng, as_of)
    collectors = {
        b: [staff_ids[s.username] for s in specs if s.role == "collector" and s.branch == b] for b, _ in BRANCHES
    }
    supervisors = {b: staff_ids[f"{code}-supervisor"] for b, code in BRANCHES}
    branch_names = tuple(b for b, _ in BRANCHES)
    rows = Rows()
    loan_counter, pay_counter = [0], 0
    for n, plan in enumerate(make_plans(rng, n_customers), start=1):
        cid = f"CU{n:07d}"
        branch = pick(rng, branch_names, BRANCH_CUM)
        old = "vulnerable" in plan.tags
        person = people.person(cid, branch, as_of, *((70, 86) if old else (22, 66)))
        plans = _loans_for(loans_f, rng, cid, plan, loan_counter)
        rows.contacts.extend(
            tuple(c.values()) for c in people.contacts(person, any(p.product == BUSINESS_PRODUCT for p in plans))
        )
        collector = rng.choice(collectors[branch])
        # Only the first loan may be overdue: it is the worst. Its figures come from the engine.
        worst, overdue_fen = plans[0], 0
        rows.active += worst.status != "closed"
        if plan.dpd or worst.status == "written_off":
            figs = compute([Inst(*s) for s in worst.schedule], [Pay(*p) for p in worst.payments], as_of)
            overdue_fen = figs.overdue_fen
            rows.buckets[bucket_for(figs.dpd)] += 1
            rows.categories[category_for(figs.dpd)] += 1
        for lp in plans:
            rows.loans.append(
                (
                    lp.loan_id,
                    cid,
                    lp.product,
                    lp.principal_fen,
                    lp.disbursed_on.isoformat(),
                    lp.maturity_date.isoformat(),
                    lp.rate_ppm,
                    lp.status,
                    collector if lp.status != "closed" else None,
                )
            )
            rows.instalments.extend((lp.loan_id, seq, due.isoformat(), p, i) for seq, due, p, i in lp.schedule)
            for paid_on, amount in sorted(lp.payments):
                pay_counter += 1
                channel = pick(rng, CHANNELS, CHANNEL_CUM)
                rows.payments.append((f"PY{pay_counter:09d}", lp.loan_id, paid_on.isoformat(), amount, channel))
        flags = history.borrower(person, plan.tags, worst, plans, overdue_fen, collector, supervisors[branch])
        first_day = min(lp.disbursed_on for lp in plans)
        created = utc_text(datetime.combine(first_day, dtime(10, 0), ctx.policy.tz))
        rows.customers.append(
            (
                cid,
                person.name,
                person.id_number,
                person.phone,
                person.address,
                branch_ids[branch],
                flags.get("do_not_call", 0),
                int(old),
                "07:30-22:00" if "consent_hours" in plan.tags else None,
                flags.get("phone_invalid", 0),
                0,
                flags.get("hardship", 0),
                created,
                created,
            )
        )
        if len(rows.customers) >= CHUNK:
            yield rows
    if rows.customers:
        yield rows
