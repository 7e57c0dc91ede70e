"""One ``sms send`` at a time: a lease in ``meta`` that a run takes, renews while it sends, and gives back.

Two runs at once would each post every due message (correct only if the platform honours the idempotency
key), so the second is refused: "another send is in progress (since ..., pid ...)", exit 1.

- Taking the lease is one ``BEGIN IMMEDIATE`` transaction: of two runs starting together, one takes it and
  the other sees it taken (the same holds for two branch PCs on one file).
- A run killed mid-send leaves its lease behind. The lease names its process and host: on the same host a
  dead process's lease is taken over at once; from another host it expires ``ttl`` seconds after its last
  renewal. The run renews it at least every quarter of ``ttl`` while it posts messages.
- Expiry is measured on the wall clock (``time.time``), not the injected business clock: a demo or
  practice database may have its clock fixed (``COLLECTUI_NOW``), and a lease that never expires there
  would block every later run. The "since" shown to a person is the business clock's.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from dataclasses import dataclass

from collectui.clock import Clock
from collectui.domain.errors import CollectError
from collectui.domain.said import said
from collectui.storage.engine import Database
from collectui.storage.raw import RawConnection, get_meta_raw, set_meta_raw

LEASE_KEY = "sms_send_lease"
DEFAULT_TTL_S = 120.0


class SendInProgress(CollectError):
    """Another ``sms send`` holds the lease."""


@dataclass
class Lease:
    token: str
    pid: int
    host: str
    since: str  # the business clock's time the run started (for people)
    expires: float  # wall-clock seconds
    ttl: float
    renewed: float = 0.0  # wall-clock seconds of the last renewal (this process)

    def text(self) -> str:
        return json.dumps(
            {"token": self.token, "pid": self.pid, "host": self.host, "since": self.since, "expires": self.expires}
        )


def _held(raw: RawConnection) -> dict[str, object] | None:
    value = get_meta_raw(raw, LEASE_KEY)
    if not value:
        return None
    try:
        held = json.loads(value)
    except ValueError:
        return None  # unreadable: treat as free rather than block every run for ever
    return held if isinstance(held, dict) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another OS user's process: alive
        return True
    return True


def _still_valid(held: dict[str, object], now: float) -> bool:
    expires = held.get("expires")
    if not isinstance(expires, int | float) or expires <= now:
        return False
    pid = held.get("pid")
    if held.get("host") == socket.gethostname() and isinstance(pid, int) and not _alive(pid):
        return False  # killed on this machine: no need to wait for the expiry
    return True


def acquire(db: Database, clock: Clock, ttl: float = DEFAULT_TTL_S) -> Lease:
    """Take the lease, or raise ``SendInProgress`` naming the run that holds it."""
    now = time.time()
    lease = Lease(
        token=secrets.token_hex(8),
        pid=os.getpid(),
        host=socket.gethostname(),
        since=clock.now().isoformat(timespec="seconds"),
        expires=now + ttl,
        ttl=ttl,
        renewed=now,
    )
    with db.raw_write() as raw:
        held = _held(raw)
        if held is not None and _still_valid(held, now):
            where = f", host {held.get('host')}" if held.get("host") != lease.host else ""
            since, pid, host = held.get("since"), held.get("pid"), held.get("host")
            text = f"another send is in progress (since {since}, pid {pid}{where}): wait for it to finish"
            if where:
                raise SendInProgress(said("error.sms.send_running_host", text, since=since, pid=pid, host=host))
            raise SendInProgress(said("error.sms.send_running", text, since=since, pid=pid))
        set_meta_raw(raw, LEASE_KEY, lease.text())
    return lease


def renew(db: Database, lease: Lease, force: bool = False) -> None:
    """Push the expiry on (at most every quarter of the ttl unless ``force``). A lease taken over by
    another run (this one was presumed dead) stops this run: ``SendInProgress``."""
    now = time.time()
    if not force and now - lease.renewed < lease.ttl / 4:
        return
    with db.raw_write() as raw:
        held = _held(raw)
        if held is None or held.get("token") != lease.token:
            raise SendInProgress(
                said(
                    "error.sms.lease_lost", "this send's lease was taken over by another run (presumed dead): stopping"
                )
            )
        lease.expires, lease.renewed = now + lease.ttl, now
        set_meta_raw(raw, LEASE_KEY, lease.text())


def release(db: Database, lease: Lease) -> None:
    """Give the lease back (only if still ours)."""
    with db.raw_write() as raw:
        held = _held(raw)
        if held is not None and held.get("token") == lease.token:
            raw.execute("DELETE FROM meta WHERE key = ?", (LEASE_KEY,))
