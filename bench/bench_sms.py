"""Reminder SMS at scale: planning and sending on a synthetic bank, with baselines measured in the same run.

- plan: ``sms.plan.plan`` over the whole work list; baseline: reading the same work list (ensure_current
  no-op + one SELECT) — the difference is what planning itself costs (rules, rendering, inserts, audit);
- send (file): one batch of every queued message; baseline: writing the same rows to a CSV + JSONL without
  the database;
- send (http): ``--http N`` messages to a loopback server; baseline: the same number of bare
  ``http.client`` POSTs to that server.

    python bench/bench_sms.py [--customers 20000] [--http 300]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen_bank import BankSpec, generate
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio import refresh
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.gateway_file import FileGateway
from collectui.domain.sms.gateway_http import HttpGateway
from collectui.domain.staff.actor import system_actor
from collectui.storage.engine import Database

TZ = ZoneInfo("Asia/Shanghai")
BENCH = system_actor("bench")  # an all-branch actor: the benchmark plans and sends for the whole bank


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--http", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_sms_"))
    path = tmp / "bank.db"
    generate(path, BankSpec(customers=args.customers, loans_per_customer=1))
    db = Database(path)
    clock = FixedClock(datetime(2026, 11, 28, 9, 0, tzinfo=TZ), TZ)
    ctx = Ctx(db, clock, policy_from_dict({"sms": {"file": {"outbox": str(tmp / "outbox")}}}))
    t_refresh, _ = timed(lambda: refresh.ensure_current(ctx))
    t_list, listed = timed(lambda: plan_svc.work_list(ctx, clock.today()))
    t_plan, result = timed(lambda: plan_svc.plan(ctx, BENCH))
    n = len(result.queued)
    print(f"borrowers {args.customers}, on the work list {len(listed)}, queued {n}, skipped {len(result.skipped)}")
    print(f"(first full refresh {t_refresh:.2f} s, not counted)")
    print(
        f"plan            {t_plan:8.3f} s   baseline read list {t_list:8.3f} s   ratio {t_plan / t_list:6.1f}x"
        f"   {1000 * t_plan / max(n, 1):.3f} ms per queued reminder"
    )

    rows = [(q.message_id, "13800000000", q.text) for q in result.queued]

    def bare_files():
        out = tmp / "bare"
        out.mkdir(exist_ok=True)
        with (out / "b.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
        with (out / "b.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(
                json.dumps(dict(zip(("message_id", "phone", "text"), r, strict=True)), ensure_ascii=False) + "\n"
                for r in rows
            )

    t_bare, _ = timed(bare_files)
    t_file, sent = timed(lambda: send_svc.send(ctx, BENCH, gateway=FileGateway(tmp / "outbox")))
    print(
        f"send file       {t_file:8.3f} s   baseline bare files {t_bare:7.3f} s   ratio {t_file / t_bare:6.1f}x"
        f"   ({len(sent.accepted)} messages)"
    )

    # HTTP: plan a fresh batch on another day and send N of them to a loopback server.
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/send"
    try:
        gateway = HttpGateway(url, 2.0)
        t_bare_http, _ = timed(lambda: [gateway.send(f"B{i}", "13800000000", "x" * 60) for i in range(args.http)])
        ctx.policy = policy_from_dict({"sms": {"gateway": "http", "resend_days": 0, "http": {"url": url}}})
        clock.current = datetime(2026, 11, 29, 9, 0, tzinfo=TZ)
        plan_svc.plan(ctx, BENCH, limit=args.http)
        t_http, sent = timed(lambda: send_svc.send(ctx, BENCH))
        print(
            f"send http       {t_http:8.3f} s   baseline bare POSTs {t_bare_http:7.3f} s   "
            f"ratio {t_http / t_bare_http:6.1f}x   ({len(sent.accepted)} messages, "
            f"{1000 * t_http / max(len(sent.accepted), 1):.2f} ms each)"
        )
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
