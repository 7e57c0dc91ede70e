"""Staff accounts: creation, passwords (argon2), login with lockout."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.storage.models import Branch, StaffUser, saved_id

ROLES = ("collector", "supervisor", "admin", "trainer")
UNMASK_ROLES = ("supervisor", "admin")
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8

_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    branch: str | None
    active: bool
    locked: bool


def get_or_create_branch(session: Session, name: str) -> Branch:
    name = name.strip()
    if not name:
        raise InvalidInput("branch name is empty")
    branch = session.exec(select(Branch).where(Branch.name == name)).first()
    if branch is None:
        branch = Branch(name=name)
        session.add(branch)
        session.flush()
    return branch


def find_user(session: Session, username: str) -> StaffUser:
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(
    ctx: Ctx,
    actor: str,
    username: str,
    role: str,
    branch: str | None,
    password: str,
    display_name: str | None = None,
    session: Session | None = None,
) -> StaffUser:
    username = username.strip()
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InvalidInput("username: letters, digits, '.', '_' and '-' only")
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    if role in ("collector", "supervisor") and not branch:
        raise InvalidInput(f"a {role} needs a branch")
    pw_hash = hash_password(password)

    def _add(s: Session) -> StaffUser:
        if s.exec(select(StaffUser).where(StaffUser.username == username)).first():
            raise InvalidInput(f"user {username!r} already exists")
        branch_id = get_or_create_branch(s, branch).id if branch else None
        user = StaffUser(
            username=username,
            display_name=display_name or username,
            role=role,
            branch_id=branch_id,
            password_hash=pw_hash,
            created_at=ctx.clock.now(),
        )
        s.add(user)
        s.flush()
        audit.record(s, ctx.clock, actor, "user.create", "user", username, {"role": role, "branch": branch})
        return user

    if session is not None:
        return _add(session)
    with ctx.db.write() as s:
        return _add(s)


def set_password(ctx: Ctx, actor: str, username: str, password: str) -> None:
    pw_hash = hash_password(password)
    with ctx.db.write() as s:
        user = find_user(s, username)
        user.password_hash = pw_hash
        user.failed_logins = 0
        user.locked_until = None
        s.add(user)
        audit.record(s, ctx.clock, actor, "user.passwd", "user", username)


def list_users(ctx: Ctx) -> list[UserView]:
    now = ctx.clock.now()
    with ctx.db.read() as s:
        # An outer join: a user without a branch comes with None.
        rows: Sequence[tuple[StaffUser, Branch | None]] = s.exec(
            select(StaffUser, Branch).join(Branch, isouter=True).order_by(StaffUser.username)
        ).all()
        return [
            UserView(
                saved_id(u.id),
                u.username,
                u.display_name,
                u.role,
                b.name if b is not None else None,
                u.active,
                bool(u.locked_until and u.locked_until > now),
            )
            for u, b in rows
        ]


def authenticate(ctx: Ctx, username: str, password: str) -> UserView:
    """Check a password. Five failures lock the account for 15 minutes; both audited.

    Raises PermissionDenied with a message that does not reveal whether the username exists.
    """
    now = ctx.clock.now()
    with ctx.db.write() as s:
        user = s.exec(select(StaffUser).where(StaffUser.username == username)).first()
        # Refusals are audited too: commit the event before raising (db.write rolls back on exceptions).
        if user is None or not user.active:
            audit.record(s, ctx.clock, username or "?", "login.fail", "user", username, {"why": "unknown or inactive"})
            s.commit()
            raise PermissionDenied("wrong username or password")
        if user.locked_until and user.locked_until > now:
            audit.record(s, ctx.clock, username, "login.refused_locked", "user", username)
            s.commit()
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            raise PermissionDenied(f"account locked; try again in {minutes} min")
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            details = {"failed": user.failed_logins}
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                audit.record(s, ctx.clock, username, "login.locked", "user", username, details)
            else:
                audit.record(s, ctx.clock, username, "login.fail", "user", username, details)
            s.add(user)
            # Commit the failure count even though we raise.
            s.commit()
            raise PermissionDenied("wrong username or password") from None
        user.failed_logins = 0
        user.locked_until = None
        s.add(user)
        audit.record(s, ctx.clock, username, "login.ok", "user", username)
        branch = s.get(Branch, user.branch_id) if user.branch_id else None
        return UserView(
            saved_id(user.id),
            user.username,
            user.display_name,
            user.role,
            branch.name if branch else None,
            user.active,
            False,
        )


def require_role(user: UserView, roles: tuple[str, ...], what: str) -> None:
    if user.role not in roles:
        raise PermissionDenied(f"{what}: only {' or '.join(roles)} may do this")
