"""Benchmark: the TUI's work list on a 1,000-loan and a 1,000,000-loan bank, measured with ``app.run_test()``.

Builds (or reuses, cached under ``--dir``) two databases with ``bench/gen_bank.py`` and refreshes them:
small = 500 customers x 2 loans; big = 500,000 customers x 2 loans with 20% overdue borrowers (about
100,000 on the list). Then, in a fresh child process per database (so memory is the TUI's own), it opens
the app as an all-branches admin (the longest list) and measures:

- first screen: from app start to the first page of the work list painted (rows loaded, counts shown);
- 100 navigation keys (40 down, 30 page down, 10 end/home pairs, 20 searches by customer id), each timed
  from the key press until the rows it shows are loaded (for a search: until the cursor is on the hit);
- peak RSS of the child (its address space's high-water mark, ``VmHWM``).

Targets: first screen on big within 1.5x of small; every key under 50 ms at p95; peak RSS under 300 MB.

``--pg`` also copies both banks into PostgreSQL (a throwaway server started here with its durable settings,
or ``--pg-url``; ``bench/to_pg.py``) and measures the app there the same way, against the same targets.

    python bench/bench_tui.py [--dir /tmp/bench-tui] [--customers 500000] [--rebuild] [--pg] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = date(2026, 11, 28)
SIZE = (120, 40)


def _ctx(path: Path | str):
    from collectui.clock import FixedClock
    from collectui.domain.context import Ctx
    from collectui.domain.policy import Policy
    from collectui.storage.locate import database_at

    return Ctx(database_at(path), FixedClock(datetime.combine(AS_OF, dtime(10, 0), TZ), TZ), Policy())


def build(path: Path, customers: int, share_overdue: float, rebuild: bool) -> None:
    from bench.gen_bank import BankSpec, generate
    from collectui.domain.portfolio.refresh import refresh

    marker = Path(str(path) + ".ready")
    if marker.exists() and path.exists() and not rebuild:
        return
    started = time.perf_counter()
    stats = generate(
        path, BankSpec(customers=customers, loans_per_customer=2.0, share_overdue=share_overdue, as_of=AS_OF)
    )
    ctx = _ctx(path)
    refreshed = refresh(ctx)
    ctx.db.dispose()
    marker.write_text("ok")
    print(
        f"built {path.name}: {stats.loans:,} loans, {refreshed.work_items:,} on the list, "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


async def _until(check, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the work list did not settle")
        await asyncio.sleep(0.0005)


def send(app, key: str) -> None:
    """What the terminal driver does for a key press (Pilot.press adds idle waits that would be timed too)."""
    from textual import events

    char = key if len(key) == 1 else ("\r" if key == "enter" else None)
    name = {"/": "slash"}.get(key, key)
    event = events.Key(name, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def first_screen(path: Path | str, user) -> float:
    from collectui.tui.app import CollectApp

    started = time.perf_counter()
    app = CollectApp(_ctx(path), lang="zh", user=user)
    async with app.run_test(size=SIZE) as pilot:
        await _until(
            lambda: (
                type(app.screen).__name__ == "WorkListScreen"
                and app.screen.table.total
                and app.screen.table.settled
                and app.screen.table.current_row is not None
            )
        )
        await pilot.pause()
        return time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program. Not ``ru_maxrss``: Linux keeps that
    across ``exec``, so a child started by a parent that had just built the 1M-loan bank reported the parent's
    740 MB; ``VmHWM`` belongs to the address space, new at ``exec``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(path: Path | str, seed: int = 3) -> dict:
    from collectui.domain.staff.users import UserView
    from collectui.domain.worklist import queries as worklist
    from collectui.tui.app import CollectApp

    ctx = _ctx(path)
    user = UserView(id=0, username="bench", display_name="bench", role="admin", branch=None, active=True, locked=False)
    started = time.perf_counter()
    app = CollectApp(ctx, lang="zh", user=user)
    out: dict = {}
    async with app.run_test(size=SIZE) as pilot:
        await _until(
            lambda: (
                type(app.screen).__name__ == "WorkListScreen"
                and app.screen.table.total
                and app.screen.table.settled
                and app.screen.table.current_row is not None
            )
        )
        await pilot.pause()
        out["first_screen_s"] = time.perf_counter() - started
        screen = app.screen
        table = screen.table
        out["rows"] = table.total
        rng = random.Random(seed)
        targets = [
            worklist.fetch_page(ctx, screen.work_filter, rng.randrange(table.total), 1)[0].customer_id
            for _ in range(20)
        ]
        plan = ["down"] * 40 + ["pagedown"] * 30 + ["end", "home"] * 5 + [("search", t) for t in targets]
        rng.shuffle(plan)
        times: dict[str, list[float]] = {}
        cpu: list[float] = []
        height = table.scrollable_content_region.height
        for key in plan:
            if isinstance(key, tuple):
                line = screen.query_one("#search")
                send(app, "/")
                await _until(lambda line=line: line.active)
                for ch in key[1]:  # typed as keys, but the typing is not what is timed
                    send(app, ch)
                await _until(lambda line=line, key=key: line.query_text == key[1])
                await pilot.pause(0.2)  # a person takes longer than this to type an id
                t0, c0 = time.perf_counter(), time.process_time()
                send(app, "enter")
                await _until(
                    lambda key=key: (
                        table.current_row is not None and table.current_row.customer_id == key[1] and table.settled
                    )
                )
                name = "search"
            else:
                expected = {
                    "down": min(table.cursor + 1, table.total - 1),
                    "pagedown": min(table.cursor + max(1, height - 1), table.total - 1),
                    "end": table.total - 1,
                    "home": 0,
                }[key]
                t0, c0 = time.perf_counter(), time.process_time()
                send(app, key)
                await _until(
                    lambda expected=expected: (
                        table.cursor == expected and table.settled and table.current_row is not None
                    )
                )
                name = key
            await asyncio.sleep(0)  # let the paint of this frame run before the clock stops
            times.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            await pilot.pause()
    every = sorted(x for v in times.values() for x in v)
    out["keys"] = len(every)
    out["key_p50_ms"] = statistics.median(every)
    out["key_p95_ms"] = every[int(0.95 * (len(every) - 1))]
    out["key_max_ms"] = every[-1]
    out["per_key_p95_ms"] = {k: sorted(v)[int(0.95 * (len(v) - 1))] for k, v in times.items()}
    out["per_key_p50_ms"] = {k: statistics.median(v) for k, v in times.items()}
    # Two more cold-ish starts (fresh app, same process) for a median first-screen figure.
    starts = [out["first_screen_s"]] + [await first_screen(path, user) for _ in range(2)]
    out["first_screen_runs_s"] = starts
    out["first_screen_s"] = statistics.median(starts)
    cpu.sort()
    out["cpu_p50_ms"], out["cpu_p95_ms"] = statistics.median(cpu), cpu[int(0.95 * (len(cpu) - 1))]
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bench-tui"))
    ap.add_argument("--customers", type=int, default=500_000, help="big bank: customers (2 loans each)")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--pg", action="store_true", help="measure on PostgreSQL too")
    ap.add_argument("--pg-url", help="a PostgreSQL server to use (a user allowed to CREATE DATABASE)")
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(asyncio.run(measure(a.child if "://" in a.child else Path(a.child)))))
        return
    a.dir.mkdir(parents=True, exist_ok=True)
    small, big = a.dir / "small.db", a.dir / "big.db"
    build(small, 500, 0.3, a.rebuild)
    build(big, a.customers, 0.2, a.rebuild)
    report("SQLite", small, big)
    if a.pg or a.pg_url:
        from bench.to_pg import copy_sqlite_to_pg
        from tests.support.pg import Databases, start_server

        server = None if a.pg_url else start_server(durable=True)
        found = Databases(a.pg_url or server.admin_url)  # type: ignore[union-attr]
        try:
            urls = []
            for path in (small, big):
                url = found.new()
                rows, seconds = copy_sqlite_to_pg(path, url)
                print(f"{path.name}: copied to PostgreSQL ({rows:,} rows) in {seconds:.0f} s", flush=True)
                urls.append(url)
            report("PostgreSQL", *urls)
        finally:
            if server is not None:
                server.stop()
            else:
                found.drop_all()


def report(engine: str, small: Path | str, big: Path | str) -> None:
    """Measure the app on ``small`` and ``big`` (each in a child process) and print the figures."""
    results = {}
    for name, path in (("small", small), ("big", big)):
        proc = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr[-3000:])
            raise SystemExit(f"{name}: child failed")
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        r = results[name]
        print(
            f"{engine} {name:5}: {r['rows']:>7,} rows on the list; first screen {r['first_screen_s']:.2f} s (median of "
            f"{', '.join(f'{x:.2f}' for x in r['first_screen_runs_s'])}); "
            f"{r['keys']} keys p50 {r['key_p50_ms']:.1f} ms, p95 {r['key_p95_ms']:.1f} ms, "
            f"max {r['key_max_ms']:.1f} ms; per key p95 "
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["per_key_p95_ms"].items()))
            + "; per key p50 "
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["per_key_p50_ms"].items()))
            + f"; CPU per key p50 {r['cpu_p50_ms']:.1f} ms p95 {r['cpu_p95_ms']:.1f} ms"
            + f"; peak RSS {r['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    ratio = results["big"]["first_screen_s"] / results["small"]["first_screen_s"]
    print(
        f"{engine}: first screen big/small = {ratio:.2f} (target <= 1.5); "
        f"big p95 key {results['big']['key_p95_ms']:.1f} ms (target < 50); "
        f"big peak RSS {results['big']['peak_rss_mb']:.0f} MB (target < 300)"
    )


if __name__ == "__main__":
    main()
