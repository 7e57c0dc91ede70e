"""Command-line login sessions: `collectui login` starts one, every command after it acts as that person.

The secret is random; the database keeps only its SHA-256 and the OS user's state directory keeps the secret
(``sessions/<db_id>.json``, mode 0600), so a session is bound to one database and one OS account. A session
ends when revoked (`logout`), when unused for the policy's ``sessions.idle_minutes``, at its absolute end
(``sessions.absolute_hours`` after sign-in), or as soon as its user is deactivated.

Plain connections, not the ORM: every command resolves its actor here first, and `import` and `queue` start
without loading SQLAlchemy (tests/storage/test_startup.py).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.errors import NotSignedIn
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.paths import state_dir
from collectui.storage.kind import META_DB_ID, db_id_of
from collectui.storage.outfiles import private_output
from collectui.storage.raw import RawConnection, get_meta_raw
from collectui.storage.timefmt import store_datetime

SIGN_IN = said("error.staff.not_signed_in", "not signed in: run `collectui login`")
# Why a session ended, as the audit trail keeps it (English) -> as the person is told.
ENDED = {
    "the session reached its end": "error.staff.session_ended",
    "the session was idle too long": "error.staff.session_idle",
}
_PERSON = (
    "SELECT u.id, u.username, u.role, u.active, b.name FROM staff_user u "
    "LEFT JOIN branch b ON b.id = u.branch_id WHERE u.id = ?"
)


@dataclass(frozen=True)
class SessionInfo:
    actor: Actor
    started: datetime
    expires: datetime  # the earlier of the idle end (from now) and the absolute end


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def database_id(ctx: Ctx) -> str:
    """The database's id (meta ``db_id``); an older database without one is given one now."""
    with ctx.db.raw_read() as raw:  # read first: a write would queue behind an import, and fail read-only
        found = get_meta_raw(raw, META_DB_ID)
    if found:
        return found
    with ctx.db.raw_write() as raw:
        return db_id_of(raw)


def session_file(db_id: str) -> Path:
    return state_dir() / "sessions" / f"{db_id}.json"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): the session is still bound to the state directory
        return "?"


def _idle(ctx: Ctx) -> timedelta:
    return timedelta(minutes=int(ctx.policy["sessions"]["idle_minutes"]))


def _actor(row: tuple[int, str, str, int, str | None]) -> Actor:
    user_id, username, role, _active, branch = row
    return Actor(name=username, role=role, branch=branch, user_id=user_id, via="session")


def _read_secret(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    secret = data.get("secret") if isinstance(data, dict) else None
    return secret if isinstance(secret, str) and secret else None


def _revoke(raw: RawConnection, secret: str, now: datetime) -> int | None:
    """Revoke the live session with this secret; its id (None: there was no live one). The caller's audit
    event names it (``session_id``), so the trail vouches for the revoked row."""
    rows = raw.execute(  # read to the end, so the statement is done
        "UPDATE login_session SET revoked_at = ? WHERE secret_hash = ? AND revoked_at IS NULL RETURNING id",
        (store_datetime(now), secret_hash(secret)),
    ).fetchall()
    return int(rows[0][0]) if rows else None


def start(ctx: Ctx, user_id: int) -> SessionInfo:
    """Start a session for a user whose password was just checked; replaces this OS user's earlier one."""
    db_id = database_id(ctx)
    path = session_file(db_id)
    old = _read_secret(path)
    now = ctx.clock.now()
    secret = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=int(ctx.policy["sessions"]["absolute_hours"]))
    with ctx.db.raw_write() as raw:
        replaced = _revoke(raw, old, now) if old is not None else None
        row = raw.execute(_PERSON, (user_id,)).fetchone()
        if row is None or not row[3]:
            raise NotSignedIn(said("error.staff.account_inactive", "the account is not active"))
        inserted = raw.execute(  # read to the end, so the statement is done
            "INSERT INTO login_session (user_id, secret_hash, os_user, created_at, last_seen_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (
                user_id,
                secret_hash(secret),
                _os_user(),
                store_datetime(now),
                store_datetime(now),
                store_datetime(expires),
            ),
        ).fetchall()
        # The event names the new session and the one it replaced: the trail vouches for both rows.
        details: dict[str, object] = {"cli": True, "session_id": int(inserted[0][0])}
        if replaced is not None:
            details["replaced_session_id"] = replaced
        record_raw(raw, ctx.clock, row[1], "session.start", "user", row[1], details)
    with private_output(path, force=True, what="session file") as fh:
        json.dump({"db_id": db_id, "db_path": str(ctx.db.path), "user": row[1], "secret": secret}, fh)
    return SessionInfo(_actor(row), now, min(expires, now + _idle(ctx)))


def current(ctx: Ctx) -> SessionInfo:
    """This OS user's live session on this database, its last use moved to now; NotSignedIn otherwise."""
    secret = _read_secret(session_file(database_id(ctx)))
    if secret is None:
        raise NotSignedIn(SIGN_IN)
    now = ctx.clock.now()
    ended: str | None = None
    # On a read-only database, or while a long import holds the write lock, the session is checked the same
    # way but its last use (or its end) is not recorded: bookkeeping, not worth queueing for or failing on
    # (storage.opening, storage.waiting).
    with ctx.db.raw_bookkeeping() as (raw, record):
        found = raw.execute(
            "SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM login_session "
            "WHERE secret_hash = ?",
            (secret_hash(secret),),
        ).fetchone()
        person = raw.execute(_PERSON, (found[1],)).fetchone() if found is not None else None
        if found is None or person is None:
            raise NotSignedIn(SIGN_IN)
        if not person[3]:
            raise NotSignedIn(said("error.staff.account_deactivated", "the account was deactivated: ask an admin"))
        if found[5] is not None:
            raise NotSignedIn(SIGN_IN)
        created, last_seen, expires = (datetime.fromisoformat(v) for v in found[2:5])
        if now >= expires:
            ended = "the session reached its end"
        elif now - last_seen >= _idle(ctx):
            ended = "the session was idle too long"
        if ended is not None and record:
            # Recorded (the transaction commits), then refused below.
            raw.execute("UPDATE login_session SET revoked_at = ? WHERE id = ?", (store_datetime(now), found[0]))
            record_raw(
                raw, ctx.clock, person[1], "session.expired", "user", person[1], {"why": ended, "session_id": found[0]}
            )
        elif ended is None and record:
            # Not audited: the trail's digest of a session leaves its last use out (audit.rows).
            raw.execute(
                "UPDATE login_session SET last_seen_at = ? WHERE id = ?",
                (store_datetime(max(last_seen, now)), found[0]),
            )
    if ended is not None:
        raise NotSignedIn(said(ENDED[ended], f"{ended}: run `collectui login`"))
    return SessionInfo(_actor(person), created, min(expires, now + _idle(ctx)))


def end(ctx: Ctx) -> str | None:
    """Sign out: revoke this OS user's session on this database and delete its file; the username of the
    session ended (None: there was no live one)."""
    path = session_file(database_id(ctx))
    secret = _read_secret(path)
    name = None
    if secret is not None:
        with ctx.db.raw_write() as raw:
            found = raw.execute(
                "SELECT u.username FROM login_session s JOIN staff_user u ON u.id = s.user_id "
                "WHERE s.secret_hash = ? AND s.revoked_at IS NULL",
                (secret_hash(secret),),
            ).fetchone()
            ended = _revoke(raw, secret, ctx.clock.now()) if found is not None else None
            if found is not None and ended is not None:
                name = found[0]
                record_raw(raw, ctx.clock, name, "session.logout", "user", name, {"cli": True, "session_id": ended})
    path.unlink(missing_ok=True)
    return name
