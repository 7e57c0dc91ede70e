"""Who acts in the tests: Actors for service calls, and CLI identities (a login session or an API token).

Services take an ``Actor``; ``actor_of`` builds one from an account in the database (as a sign-in would) and
``SYSTEM`` is collectui acting on its own authority (the demo builder, ``init``). For the CLI, ``sign_in``
starts a login session for an account at a given time (the test's COLLECTUI_NOW) without its password, and
``token_env`` creates an API token and returns the environment that presents it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from collectui.clock import FixedClock, parse_datetime
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.staff import logins, tokens, users
from collectui.domain.staff.actor import Actor, actor_for_user, system_actor
from collectui.storage.engine import Database
from collectui.storage.locate import database_at
from collectui.storage.models import StaffUser
from tests.support.certified import certify_in
from tests.support.clock import NOW, TZ

SYSTEM = system_actor("system:test")
PASSWORD = "password123"


def actor_of(ctx: Ctx, username: str) -> Actor:
    """The Actor of an account, as if it had signed in."""
    with ctx.db.read() as s:
        user = s.exec(select(StaffUser).where(StaffUser.username == username)).one()
        return actor_for_user(users.view_of(s, user, ctx.clock.now()))


def add_staff(ctx: Ctx, username: str, role: str, branch: str | None = None, password: str = PASSWORD) -> Actor:
    """A new account (argon2: about a third of a second) and its Actor; certified (it stands for trained
    staff: the gate's `certified` rule would refuse its calls otherwise)."""
    users.add_user(ctx, SYSTEM, username, role, branch, password)
    certify_in(ctx, username)
    return actor_of(ctx, username)


def _when(now: datetime | str | None) -> datetime:
    if now is None:
        return NOW
    return parse_datetime(now, TZ) if isinstance(now, str) else now


def db_arg(db: Database) -> str:
    """What the CLI's ``--db`` takes for ``db``: its URL on PostgreSQL, its file's path on SQLite."""
    return str(getattr(db, "url", db.path))


def _ctx(db_path: Path | str, now: datetime | str | None) -> tuple[Database, Ctx]:
    db = database_at(db_path)
    return db, Ctx(db=db, clock=FixedClock(_when(now), TZ), policy=Policy())


def sign_in(db_path: Path | str, username: str, now: datetime | str | None = None) -> None:
    """`collectui login` for ``username`` at ``now`` (default the tests' NOW), without the password check."""
    db, ctx = _ctx(db_path, now)
    try:
        with ctx.db.read() as s:
            user_id = s.exec(select(StaffUser.id).where(StaffUser.username == username)).one()
        assert user_id is not None
        logins.start(ctx, user_id)
    finally:
        db.dispose()


def token_env(
    db_path: Path | str,
    name: str,
    role: str,
    scopes: str = "check,call,feedback,complaint,queue,profile",
    branch: str | None = None,
    now: datetime | str | None = None,
    days: int = 30,
) -> dict[str, str]:
    """Create an API token (as the system) and return the environment that presents it."""
    db, ctx = _ctx(db_path, now)
    try:
        until = ctx.clock.now() + timedelta(days=days)
        secret = tokens.create(ctx, SYSTEM, name, role, branch, tokens.parse_scopes(scopes), until)
    finally:
        db.dispose()
    return {"COLLECTUI_TOKEN": secret}


def as_admin(db_path: Path | str, now: datetime | str | None = None, username: str = "root") -> None:
    """Sign in an admin (created on first use, on a new test database too) at ``now``: for CLI tests about
    something else than who may do it (the access matrix tests that)."""
    db, ctx = _ctx(db_path, now)
    try:
        db.create_schema()
        with ctx.db.read() as s:
            exists = s.exec(select(StaffUser.id).where(StaffUser.username == username)).first() is not None
        if not exists:
            users.add_user(ctx, SYSTEM, username, "admin", None, PASSWORD)
            certify_in(ctx, username)  # a trained admin: the gate's `certified` rule lets them call
    finally:
        db.dispose()
    sign_in(db_path, username, now)
