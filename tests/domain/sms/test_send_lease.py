"""One `sms send` at a time: a second run is refused naming the first; a killed run's lease is taken over;
two processes started together post each due message exactly once (file gateway)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime

import pytest
from sqlmodel import select

from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.sms import lease
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.sms.gateway_file import FileGateway
from collectui.storage.engine import Database
from collectui.storage.models import SmsMessage
from tests.support.cli import as_admin
from tests.support.clock import NOW, TZ
from tests.support.sms import SUP, add_borrowers

AT = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)


@pytest.fixture
def planned(ctx):
    add_borrowers(ctx, 4)
    plan_svc.plan(ctx, SUP)
    return ctx


def hold(ctx, **fields) -> None:
    """A lease as another run left it (defaults: this host, a live process, an hour to go)."""
    held = {"token": "other", "pid": os.getpid(), "host": socket.gethostname(), "since": "2026-11-28T09:58:00+08:00"}
    held["expires"] = time.time() + 3600
    held.update(fields)
    with ctx.db.raw_write() as raw:
        raw.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (lease.LEASE_KEY, json.dumps(held)))


def lease_row(ctx):
    with ctx.db.raw_read() as raw:
        return raw.execute("SELECT value FROM meta WHERE key = ?", (lease.LEASE_KEY,)).fetchone()


def states(ctx) -> set[str]:
    with ctx.db.read() as s:
        return {m.state for m in s.exec(select(SmsMessage)).all()}


def test_a_second_run_is_refused_naming_the_first(planned, tmp_path):
    hold(planned, host="branch-pc-2", pid=4242)  # another PC on the same file, within its lease
    expected = r"another send is in progress \(since 2026-11-28T09:58:00\+08:00, pid 4242, host branch-pc-2\)"
    with pytest.raises(lease.SendInProgress, match=expected):
        send_svc.send(planned, SUP, at=AT, gateway=FileGateway(tmp_path / "out"))
    assert states(planned) == {"pending"} and not (tmp_path / "out").exists()
    hold_here = json.loads(lease_row(planned)[0])
    assert hold_here["token"] == "other"  # the refused run left the holder's lease alone


def test_the_lease_is_given_back_after_a_run_and_after_a_failure(planned, tmp_path):
    assert send_svc.send(planned, SUP, at=AT, gateway=FileGateway(tmp_path / "out")).ok
    assert lease_row(planned) is None

    class Broken(FileGateway):
        def write_batch(self, *args, **kwargs):
            raise OSError("disk full")

    with planned.db.raw_write() as raw:
        raw.execute("UPDATE sms_message SET state = 'pending'")
    with pytest.raises(OSError, match="disk full"):
        send_svc.send(planned, SUP, at=AT, gateway=Broken(tmp_path / "out2"))
    assert lease_row(planned) is None


def test_a_killed_runs_lease_is_taken_over(planned, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    hold(planned, pid=dead.pid)  # this host, a process that is gone: taken over at once
    assert send_svc.send(planned, SUP, at=AT, gateway=FileGateway(tmp_path / "out")).ok
    with planned.db.raw_write() as raw:
        raw.execute("UPDATE sms_message SET state = 'pending'")
    hold(planned, host="branch-pc-2", pid=1, expires=time.time() - 1)  # another host's, expired
    assert send_svc.send(planned, SUP, at=AT, gateway=FileGateway(tmp_path / "out3")).ok


def test_a_run_whose_lease_was_taken_over_stops_at_its_next_renewal(planned):
    held = lease.acquire(planned.db, planned.clock)
    with planned.db.raw_write() as raw:
        raw.execute("DELETE FROM meta WHERE key = ?", (lease.LEASE_KEY,))
    hold(planned, token="newer")
    with pytest.raises(lease.SendInProgress, match="taken over"):
        lease.renew(planned.db, held, force=True)
    lease.release(planned.db, held)
    assert json.loads(lease_row(planned)[0])["token"] == "newer"  # not ours: left alone


def test_the_cli_says_another_send_is_in_progress_and_exits_1(tmp_path):
    from typer.testing import CliRunner

    from collectui.cli.app import build_app

    path = tmp_path / "cli.db"
    as_admin(path)
    db = Database(path)
    hold(Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy()))
    db.dispose()
    result = CliRunner().invoke(
        build_app(), ["--db", str(path), "sms", "send"], env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
    )
    assert result.exit_code == 1
    assert "another send is in progress (since 2026-11-28T09:58:00+08:00, pid" in result.stderr


def test_two_processes_at_once_post_each_message_exactly_once(tmp_path):
    path = tmp_path / "two.db"
    as_admin(path)
    db = Database(path)
    ctx = Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    add_borrowers(ctx, 40)
    planned_ids = {q.message_id for q in plan_svc.plan(ctx, SUP).queued}
    outbox = send_svc.make_gateway(ctx).outbox
    db.dispose()
    assert len(planned_ids) == 40
    command = [sys.executable, "-m", "collectui", "--db", str(path), "sms", "send", "--format", "json"]
    env = {**os.environ, "COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    posted: Counter[str] = Counter()
    for batch in outbox.glob("sms-*.jsonl"):
        for line in batch.read_text(encoding="utf-8").splitlines():
            posted[json.loads(line)["message_id"]] += 1
    assert set(posted) == planned_ids and set(posted.values()) == {1}, results
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0, results
    for code, out, errs in results:
        # The other run either found the lease taken, or came after and found nothing due.
        assert code == 0 or "another send is in progress" in errs, (code, out, errs)
    db = Database(path)
    with db.read() as s:
        assert {m.state for m in s.exec(select(SmsMessage)).all()} == {"sent"}
    db.dispose()


class SlowPlatform:
    """A loopback SMS platform that counts every request by its key and answers none until ``go`` is set: the
    first run is held at its first message while the second starts (on any machine load; a platform that
    took 100 ms a message left a loaded machine's second process too late). Without the lease, two runs at
    once would both post every message (the platform's idempotency saving them)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: Counter[str] = Counter()
        self.go = threading.Event()
        lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    platform.requests[self.headers["Idempotency-Key"]] += 1
                platform.go.wait(90)
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.go.set()
        self.server.shutdown()
        self.server.server_close()


def test_two_processes_at_once_over_http_one_is_refused_and_each_message_is_posted_once(tmp_path):
    import tomli_w

    path = tmp_path / "http.db"
    as_admin(path)
    db = Database(path)
    ctx = Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    add_borrowers(ctx, 40)
    planned_ids = {q.message_id for q in plan_svc.plan(ctx, SUP).queued}
    db.dispose()
    platform = SlowPlatform()
    try:
        policy = tmp_path / "policy.toml"
        # The first run's first request waits for the second run: a timeout it cannot reach.
        policy.write_text(tomli_w.dumps({"sms": {"gateway": "http", "http": {"url": platform.url, "timeout_s": 120}}}))
        command = [sys.executable, "-m", "collectui", "--db", str(path), "--policy", str(policy), "sms", "send"]
        env = {**os.environ, "COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while not platform.requests and time.time() < deadline:  # the first run is posting (held: go)
            time.sleep(0.01)
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        platform.go.set()
        out, errs = first.communicate(timeout=120)
    finally:
        platform.close()
    assert first.returncode == 0, (out, errs)
    assert (
        second.returncode == 1 and "another send is in progress (since 2026-11-28T10:00:00+08:00, pid" in second.stderr
    )
    assert set(platform.requests) == planned_ids and set(platform.requests.values()) == {1}
