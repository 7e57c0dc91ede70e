"""Command-line login sessions: `collectui login` starts one, every command after it acts as that person.

The secret is random; the database keeps only its SHA-256 and the OS user's state directory keeps the secret
(``sessions/<db_id>.json``, mode 0600), so a session is bound to one database and one OS account. A session
ends when revoked (`logout`), when unused for the policy's ``sessions.idle_minutes``, at its absolute end
(``sessions.absolute_hours`` after sign-in), or as soon as its user is deactivated.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import NotSignedIn
from collectui.domain.staff.actor import Actor, actor_for_user
from collectui.domain.staff.users import view_of
from collectui.paths import state_dir
from collectui.storage.kind import META_DB_ID, db_id_of
from collectui.storage.models import LoginSession, StaffUser
from collectui.storage.outfiles import private_output
from collectui.storage.raw import get_meta_raw

SIGN_IN = "not signed in: run `collectui login`"


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


def start(ctx: Ctx, user_id: int) -> SessionInfo:
    """Start a session for a user whose password was just checked; replaces this OS user's earlier one."""
    db_id = database_id(ctx)
    path = session_file(db_id)
    old = _read_secret(path)
    now = ctx.clock.now()
    secret = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=int(ctx.policy["sessions"]["absolute_hours"]))
    with ctx.db.write() as s:
        if old is not None:
            _revoke(s, old, now)
        user = s.get(StaffUser, user_id)
        if user is None or not user.active:
            raise NotSignedIn("the account is not active")
        s.add(
            LoginSession(
                user_id=user_id,
                secret_hash=secret_hash(secret),
                os_user=_os_user(),
                created_at=now,
                last_seen_at=now,
                expires_at=expires,
            )
        )
        audit.record(s, ctx.clock, user.username, "session.start", "user", user.username, {"cli": True})
        view = view_of(s, user, now)
    with private_output(path, force=True, what="session file") as fh:
        json.dump({"db_id": db_id, "db_path": str(ctx.db.path), "user": view.username, "secret": secret}, fh)
    return SessionInfo(actor_for_user(view), now, min(expires, now + _idle(ctx)))


def _read_secret(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    secret = data.get("secret") if isinstance(data, dict) else None
    return secret if isinstance(secret, str) and secret else None


def _revoke(s: Session, secret: str, now: datetime) -> None:
    row = s.exec(select(LoginSession).where(LoginSession.secret_hash == secret_hash(secret))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        s.add(row)


def current(ctx: Ctx) -> SessionInfo:
    """This OS user's live session on this database, its last use moved to now; NotSignedIn otherwise."""
    secret = _read_secret(session_file(database_id(ctx)))
    if secret is None:
        raise NotSignedIn(SIGN_IN)
    now = ctx.clock.now()
    # A read-only database (file or folder) is checked the same way; its last use is not moved, and an ended
    # session is refused without being recorded (storage.opening). So is a database a long import is writing:
    # moving the last use is bookkeeping, not worth queueing behind the import for (storage.waiting).
    read_only = ctx.db.read_only or ctx.db.writer_active()
    with ctx.db.read() if read_only else ctx.db.write() as s:
        row = s.exec(select(LoginSession).where(LoginSession.secret_hash == secret_hash(secret))).first()
        user = s.get(StaffUser, row.user_id) if row is not None else None
        if row is None or user is None:
            raise NotSignedIn(SIGN_IN)
        if not user.active:
            raise NotSignedIn("the account was deactivated: ask an admin")
        if row.revoked_at is not None:
            raise NotSignedIn(SIGN_IN)
        why = None
        if now >= row.expires_at:
            why = "the session reached its end"
        elif now - row.last_seen_at >= _idle(ctx):
            why = "the session was idle too long"
        if why is not None and read_only:
            raise NotSignedIn(f"{why}: run `collectui login`")
        if why is not None:
            row.revoked_at = now
            s.add(row)
            audit.record(s, ctx.clock, user.username, "session.expired", "user", user.username, {"why": why})
            s.commit()  # the end is recorded although we raise
            raise NotSignedIn(f"{why}: run `collectui login`")
        if not read_only:
            row.last_seen_at = max(row.last_seen_at, now)
            s.add(row)
        view = view_of(s, user, now)
        return SessionInfo(actor_for_user(view), row.created_at, min(row.expires_at, now + _idle(ctx)))


def end(ctx: Ctx) -> str | None:
    """Sign out: revoke this OS user's session on this database and delete its file; the username of the
    session ended (None: there was no live one)."""
    path = session_file(database_id(ctx))
    secret = _read_secret(path)
    name = None
    if secret is not None:
        now = ctx.clock.now()
        with ctx.db.write() as s:
            row = s.exec(select(LoginSession).where(LoginSession.secret_hash == secret_hash(secret))).first()
            if row is not None and row.revoked_at is None:
                user = s.get(StaffUser, row.user_id)
                name = user.username if user else "?"
                row.revoked_at = now
                s.add(row)
                audit.record(s, ctx.clock, name, "session.logout", "user", name, {"cli": True})
    path.unlink(missing_ok=True)
    return name
