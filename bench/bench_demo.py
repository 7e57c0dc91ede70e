"""Demo build time: 500 customers (the baseline, measured in the same run) and 10,000 customers.

    /work/venv/bin/python bench/bench_demo.py [--sizes 500,10000] [--seed 1]

Prints, per size: total wall time, the generation part (people, loans, history, bulk inserts, the staff
accounts' argon2 hashing in a thread), the work-list refresh, the rows written, milliseconds per customer,
and the ratio of the per-customer cost to the 500-customer baseline (1.0 = linear).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectui.clock import FixedClock
from collectui.demo.builder import DemoOptions, build_demo
from collectui.domain.policy import Policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,10000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tz = ZoneInfo("Asia/Shanghai")
    clock = FixedClock(datetime(2026, 11, 28, 10, 0, tzinfo=tz), tz)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"demo build benchmark (cpu count {os.cpu_count()}, load {os.getloadavg()[0]:.1f})")
    print(
        f"{'customers':>10} {'total s':>8} {'generate s':>10} {'refresh s':>9} {'cpu s':>7} {'loans':>7} "
        f"{'instalments':>11} {'payments':>9} {'calls':>7} {'ms/cust':>8} {'ratio':>6}"
    )
    baseline = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"demo-{n}.db"
            cpu = time.process_time()
            s = build_demo(path, Policy(), clock, DemoOptions(seed=args.seed, customers=n))
            cpu = time.process_time() - cpu
            per = s.seconds * 1000 / n
            baseline = baseline or per
            print(
                f"{n:>10,} {s.seconds:>8.2f} {s.seconds_generate:>10.2f} {s.seconds_refresh:>9.2f} {cpu:>7.2f} "
                f"{s.loans:>7,} {s.instalments:>11,} {s.payments:>9,} {s.calls:>7,} {per:>8.2f} "
                f"{per / baseline:>6.2f}"
            )
    print("target: 10,000 customers well under 60 s")


if __name__ == "__main__":
    main()
