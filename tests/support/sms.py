"""Small books of borrowers for the SMS tests, and a real loopback HTTP server playing the SMS platform."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlmodel import select

from collectui.domain.privacy.identity import id_check_char
from collectui.domain.staff.actor import Actor, token_actor
from collectui.storage.models import (
    Branch,
    CallAttempt,
    Complaint,
    Customer,
    Dispute,
    Instalment,
    Loan,
    SmsMessage,
    StaffUser,
)
from tests.support.certified import certify

NAMES = ["王小明", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "徐强", "孙丽"]


def id_number(n: int) -> str:
    first17 = f"11010119800101{n:03d}"
    return first17 + id_check_char(first17)


def add_borrowers(ctx, count: int, overdue_days: int = 20, **flags_by_index) -> list[str]:
    """``count`` borrowers C001.., each with one loan overdue by ``overdue_days`` (as of the clock's day).

    ``flags_by_index``: e.g. ``do_not_call=[0]``, ``phone_invalid=[1]``, ``sms_opt_out=[2]``,
    ``landline=[3]``, ``dispute=[4]``, ``complaint=[5]`` (indexes into the borrowers made here).
    """
    today = ctx.clock.today()
    ids = []
    with ctx.db.write() as s:
        branch = s.get(Branch, 1) or Branch(id=1, name="城关支行")
        s.add(branch)
        s.flush()
        existing = len(s.exec(select(Customer)).all())
        for i in range(count):
            n = existing + i + 1
            cid = f"C{n:03d}"
            phone = f"0571{8800000 + n:07d}" if i in flags_by_index.get("landline", []) else f"1380000{n:04d}"
            s.add(
                Customer(
                    customer_id=cid,
                    name=NAMES[n % len(NAMES)],
                    id_number=id_number(n),
                    phone=phone,
                    branch_id=1,
                    do_not_call=i in flags_by_index.get("do_not_call", []),
                    phone_invalid=i in flags_by_index.get("phone_invalid", []),
                    sms_opt_out=i in flags_by_index.get("sms_opt_out", []),
                )
            )
            s.flush()
            due = today - timedelta(days=overdue_days + i)
            s.add(
                Loan(
                    loan_id=f"L{n:03d}",
                    customer_id=cid,
                    product="农户贷",
                    principal_fen=1_000_000 * (i + 1),
                    disbursed_on=due - timedelta(days=30),
                    maturity_date=due + timedelta(days=365),
                )
            )
            s.flush()
            s.add(
                Instalment(
                    loan_id=f"L{n:03d}",
                    seq=1,
                    due_date=due,
                    principal_due_fen=100_000 + 1_234 * i,
                    interest_due_fen=5_000,
                )
            )
            if i in flags_by_index.get("dispute", []):
                s.add(Dispute(customer_id=cid, opened_at=ctx.clock.now() - timedelta(days=1), status="open"))
            if i in flags_by_index.get("complaint", []):
                s.add(
                    Complaint(
                        customer_id=cid,
                        about="collection",
                        text="态度差",
                        opened_at=ctx.clock.now(),
                        due_on=today + timedelta(days=15),
                        hold_active=True,
                    )
                )
            ids.append(cid)
    return ids


def add_user(ctx, username: str = "zhang", role: str = "collector") -> int:
    with ctx.db.write() as s:
        user = StaffUser(
            username=username,
            display_name=username,
            role=role,
            branch_id=1,
            password_hash="x",
            created_at=ctx.clock.now(),
        )
        s.add(user)
        s.flush()
        certify(s, ctx.clock.today(), username)  # trained staff: the gate's `certified` rule lets them call
        return user.id


def add_attempt(ctx, customer_id: str, at: datetime, user_id: int, status: str = "logged") -> None:
    with ctx.db.write() as s:
        phone = s.get(Customer, customer_id).phone
        s.add(
            CallAttempt(
                customer_id=customer_id,
                phone=phone,
                user_id=user_id,
                status=status,
                started_at=at,
                outcome="no_answer" if status == "logged" else None,
            )
        )


def add_message(
    ctx, customer_id: str, state: str, planned_for: date, sent_at: datetime | None = None, message_id: str | None = None
) -> str:
    with ctx.db.write() as s:
        phone = s.get(Customer, customer_id).phone
        mid = message_id or f"T-{customer_id}-{state}-{planned_for:%m%d}-{sent_at and sent_at.strftime('%H%M%S')}"
        s.add(
            SmsMessage(
                message_id=mid,
                customer_id=customer_id,
                phone=phone,
                text="提示",
                state=state,
                planned_for=planned_for,
                created_at=ctx.clock.now(),
                sent_at=sent_at,
            )
        )
    return mid


class FakePlatform:
    """A real HTTP server on 127.0.0.1 (ephemeral port, own thread) playing the bank's SMS platform.

    ``script`` maps a message_id to a list of behaviours, one per request for that message (the last one
    repeats): "ok" (202), "500", "hang" (sleeps past the client's timeout, then answers 200 — too late),
    "drop" (closes the connection without answering). Every request is recorded with its key; the platform
    sends a message once per idempotency key, like a real one.
    """

    def __init__(self, hang_s: float = 1.0) -> None:
        self.script: dict[str, list[str]] = {}
        self.requests: list[dict] = []  # {"key", "body", "behaviour"}
        self.delivered: dict[str, dict] = {}  # idempotency key -> body, the messages the platform sent
        self.hang_s = hang_s
        self._lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                key = self.headers.get("Idempotency-Key")
                with platform._lock:
                    plan = platform.script.get(body.get("message_id"), ["ok"])
                    seen = sum(1 for r in platform.requests if r["body"].get("message_id") == body.get("message_id"))
                    behaviour = plan[min(seen, len(plan) - 1)]
                    platform.requests.append({"key": key, "body": body, "behaviour": behaviour})
                if behaviour == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if behaviour == "hang":
                    time.sleep(platform.hang_s)
                if behaviour == "500":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with platform._lock:
                    platform.delivered.setdefault(key, body)
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                payload = b'{"accepted": true}'
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms/send"

    def __enter__(self) -> FakePlatform:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# The reminder tests act as a supervisor of the borrowers' branch (planning and sending are theirs; a
# supervisor of no branch would see nothing); the gate is asked by a dialler.
SUP = Actor(name="sup", role="supervisor", branch="城关支行", user_id=None, via="session")
DIALLER = token_actor("dialler", "collector", "城关支行", frozenset({"check"}))
