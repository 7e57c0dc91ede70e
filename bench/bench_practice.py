"""Benchmark: how long a trainee waits for a practice call, against creating an empty database (the baseline).

A practice call builds its own sandbox database from the scenario (schema, three branches, simulated staff,
the borrower's loan, schedule, payments, contacts and history, the reminder SMS), refreshes the borrower's
work item and asks the real gate; at the end the score goes into the bank's database. The baseline is
``Database.create_schema`` on an empty file: the part no sandbox can avoid. Target: a practice call opens in
under 150 ms (a key press feels immediate) on a small bank and on a large one alike, since the sandbox never
reads the bank's borrowers; the ratio to the baseline shows what the sandbox adds to an empty schema.

For every shipped scenario, ``--runs`` times (default 5): open (sandbox + gate), play the perfect path and
save the record, store the result and throw the sandbox away. Prints medians in ms and the ratio to the
baseline, for each bank size.

    python bench/bench_practice.py [--runs N] [--sizes 200,20000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectui.clock import FixedClock
from collectui.demo.builder import DemoOptions, build_demo
from collectui.demo.sandbox import finish_practice, open_practice
from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import CallInput
from collectui.domain.calls.validation import DISPUTE_REASONS
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff.actor import Actor
from collectui.domain.training.practice import PracticeCall
from collectui.domain.training.scenario import practice_scenarios
from collectui.storage.engine import Database

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def baseline(folder: Path, runs: int) -> float:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        db = Database(folder / f"empty-{n}.db")
        db.create_schema(kind="practice")
        times.append(ms(start))
        db.dispose()
    return statistics.median(times)


def perfect(call: PracticeCall) -> None:
    if not call.gate.allowed:
        call.stop_at_gate()
        return
    call.proceed()
    while call.stage == "dialogue":
        assert call.turn is not None
        call.choose(next(i for i, o in enumerate(call.shown) if o.cost == 0))
    outcome = call.scenario.expect_outcomes[0]
    now = call.sandbox.clock.now()
    data = CallInput(
        call.customer_id,
        outcome,
        call.contact,
        list(oc.CHECKLISTS[oc.kind_of(outcome, call.contact != "debtor")]),
        "REC-1",
        "bench",
    )
    if outcome == "promise_to_pay":
        data.promise_amount, data.promise_date = "100", (now + timedelta(days=3)).date()
    if outcome == "callback":
        data.callback_at = (now + timedelta(days=1)).replace(hour=10, minute=0).strftime("%Y-%m-%d %H:%M")
    if outcome == "dispute":
        data.dispute_reason = DISPUTE_REASONS[0]
    assert call.submit(data).saved


def bank(folder: Path, customers: int) -> tuple[Ctx, Actor]:
    path = folder / f"bank-{customers}.db"
    policy = Policy()
    build_demo(path, policy, FixedClock(NOW, TZ), DemoOptions(customers=customers))
    db = Database(path)
    with db.raw_read() as raw:
        user_id, branch = raw.execute(
            "SELECT u.id, b.name FROM staff_user u JOIN branch b ON b.id = u.branch_id "
            "WHERE u.username = 'cg-collector1'"
        ).fetchone()
    return Ctx(db, FixedClock(NOW, TZ), policy), Actor("cg-collector1", "collector", branch, user_id, "session")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="200,20000", help="bank sizes (borrowers), comma-separated")
    opts = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-practice-"))
    base = baseline(folder, opts.runs * 2)
    print(f"baseline: create_schema on an empty file, median {base:.0f} ms")
    policy = Policy()
    scenarios = practice_scenarios(policy)
    for size in (int(s) for s in opts.sizes.split(",")):
        ctx, actor = bank(folder, size)
        opened, played, stored = [], [], []
        for _ in range(opts.runs):
            for scenario in scenarios:
                start = time.perf_counter()
                call = open_practice(ctx, actor, scenario)
                opened.append(ms(start))
                start = time.perf_counter()
                perfect(call)
                played.append(ms(start))
                start = time.perf_counter()
                finish_practice(ctx, actor, call)
                stored.append(ms(start))
        o, p, s = (statistics.median(x) for x in (opened, played, stored))
        print(
            f"bank of {size:>7,} borrowers, {len(scenarios)} scenarios x {opts.runs}: "
            f"open {o:5.0f} ms ({o / base:.2f}x baseline, worst {max(opened):.0f} ms)   "
            f"play+save {p:5.0f} ms   store result {s:4.0f} ms"
        )
        ctx.db.dispose()


if __name__ == "__main__":
    main()
