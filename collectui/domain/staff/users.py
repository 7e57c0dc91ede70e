"""Staff accounts: creation, passwords (argon2), login with lockout, deactivation.

Managing accounts is for admins (``users.manage``): every function here that changes someone else's account
takes the acting ``Actor`` and checks it with ``staff.permissions.authorize`` first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, literal_column, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.storage.models import Branch, LoginSession, StaffUser, saved_id

ROLES = ("collector", "supervisor", "admin", "trainer", "trainee")
UNMASK_ROLES = ("supervisor", "admin")
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
MAX_USERNAME = 32

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
    # An admin set this password: the person chooses their own before doing anything else.
    must_change_password: bool = False


def view_of(session: Session, user: StaffUser, now: datetime) -> UserView:
    branch = session.get(Branch, user.branch_id) if user.branch_id else None
    return UserView(
        saved_id(user.id),
        user.username,
        user.display_name,
        user.role,
        branch.name if branch else None,
        user.active,
        bool(user.locked_until and user.locked_until > now),
        user.must_change_password,
    )


def check_username(username: str) -> str:
    """The username stripped; InvalidInput unless it is 1-32 letters, digits, '.', '_' or '-'."""
    username = username.strip()
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InvalidInput(said("error.staff.username_chars", "username: letters, digits, '.', '_' and '-' only"))
    if len(username) > MAX_USERNAME:
        raise InvalidInput(
            said("error.staff.username_long", f"username: at most {MAX_USERNAME} characters", most=MAX_USERNAME)
        )
    return username


def get_or_create_branch(session: Session, name: str) -> Branch:
    name = name.strip()
    if not name:
        raise InvalidInput(said("error.staff.branch_empty", "branch name is empty"))
    branch = session.exec(select(Branch).where(Branch.name == name)).first()
    if branch is None:
        branch = Branch(name=name)
        session.add(branch)
        session.flush()
    return branch


def find_user(session: Session, username: str) -> StaffUser:
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        raise NotFound(said("error.staff.no_user", f"no user {username!r}", username=username))
    return user


def check_password(password: str) -> None:
    """InvalidInput when ``password`` is too short; faces call it on the first entry, before asking it again."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            said(
                "error.staff.password_short", f"password must be at least {MIN_PASSWORD} characters", least=MIN_PASSWORD
            )
        )


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def add_user(
    ctx: Ctx,
    actor: Actor,
    username: str,
    role: str,
    branch: str | None,
    password: str,
    display_name: str | None = None,
    session: Session | None = None,
    must_change: bool = False,
    on_new_branch: Callable[[str, list[str]], None] | None = None,
) -> StaffUser:
    """Create an account (admins; ``system_actor`` for the demo builder and ``init``).

    With ``session`` the account is added inside the caller's transaction: only for system actors, whose
    check never writes (a refusal is audited in a transaction of its own). A branch not seen before is
    created (a new bank's first accounts make its branches); ``on_new_branch(name, existing_names)`` is then
    called once the account is added, so that a face can point out a possible typo.
    """
    created_branch: list[tuple[str, list[str]]] = []
    authorize(ctx, actor, "users.manage")
    username = check_username(username)
    if role not in ROLES:
        raise InvalidInput(
            said("error.staff.role_choice", f"role must be one of {', '.join(ROLES)}", roles=", ".join(ROLES))
        )
    if role in ("collector", "supervisor") and not branch:
        raise InvalidInput(
            said("error.staff.role_needs_branch", f"a {role} needs a branch", role=said(f"role.{role}", role))
        )
    pw_hash = hash_password(password)

    def _add(s: Session) -> StaffUser:
        if s.exec(select(StaffUser).where(StaffUser.username == username)).first():
            raise InvalidInput(said("error.staff.user_exists", f"user {username!r} already exists", username=username))
        if branch:
            existing = list(s.exec(select(Branch.name).order_by(Branch.name)).all())
            branch_id = get_or_create_branch(s, branch).id
            if branch.strip() not in existing:
                created_branch.append((branch.strip(), existing))
        else:
            branch_id = None
        user = StaffUser(
            username=username,
            display_name=display_name or username,
            role=role,
            branch_id=branch_id,
            password_hash=pw_hash,
            created_at=ctx.clock.now(),
            must_change_password=must_change,
        )
        s.add(user)
        s.flush()
        audit.record(s, ctx.clock, actor.name, "user.create", "user", username, {"role": role, "branch": branch})
        return user

    if session is not None:
        added = _add(session)
    else:
        with ctx.db.write() as s:
            added = _add(s)
    if on_new_branch is not None:
        for name, existing in created_branch:
            on_new_branch(name, existing)
    return added


def set_password(ctx: Ctx, actor: Actor, username: str, password: str) -> None:
    """An admin sets a password (and lifts a lockout); someone else's must be changed at their next sign-in."""
    authorize(ctx, actor, "users.manage")
    pw_hash = hash_password(password)
    with ctx.db.write() as s:
        user = find_user(s, username)
        user.password_hash = pw_hash
        user.failed_logins = 0
        user.locked_until = None
        user.must_change_password = user.id != actor.user_id
        s.add(user)
        details = {"must_change": user.must_change_password}
        audit.record(s, ctx.clock, actor.name, "user.passwd", "user", username, details)


def change_own_password(ctx: Ctx, username: str, old_password: str, new_password: str) -> UserView:
    """The person changes their own password, proving the old one (audited as a sign-in); clears the force."""
    authenticate(ctx, username, old_password)
    if new_password == old_password:
        raise InvalidInput(said("error.staff.password_same", "the new password must differ from the old one"))
    pw_hash = hash_password(new_password)
    with ctx.db.write() as s:
        user = find_user(s, username)
        user.password_hash = pw_hash
        user.must_change_password = False
        s.add(user)
        audit.record(s, ctx.clock, username, "user.passwd_own", "user", username)
        return view_of(s, user, ctx.clock.now())


def set_active(ctx: Ctx, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (every session ends at once) or reactivate an account; the last active admin stays."""
    authorize(ctx, actor, "users.manage")
    now = ctx.clock.now()
    with ctx.db.write() as s:
        user = find_user(s, username)
        if user.active == active:
            if active:
                raise InvalidInput(
                    said("error.staff.already_active", f"{username} is already active", username=username)
                )
            raise InvalidInput(
                said("error.staff.already_deactivated", f"{username} is already deactivated", username=username)
            )
        if not active and user.role == "admin":
            active = StaffUser.active == literal_column("1")  # a flag is compared with its stored integer
            admins = s.exec(select(StaffUser).where(StaffUser.role == "admin", active)).all()
            if len(admins) <= 1:
                raise InvalidInput(said("error.staff.last_admin", "the last active admin cannot be deactivated"))
        user.active = active
        s.add(user)
        ended: list[int] = []
        if not active:
            live = select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at == None)  # noqa: E711
            for row in s.exec(live).all():
                row.revoked_at = now
                s.add(row)
                ended.append(saved_id(row.id))
        action = "user.reactivate" if active else "user.deactivate"
        details: dict[str, object] = {"sessions_ended": len(ended)}
        if ended:
            details["session_ids"] = ended  # the trail vouches for the revoked session rows (audit.rows)
        audit.record(s, ctx.clock, actor.name, action, "user", username, details)


def list_users(ctx: Ctx, actor: Actor) -> list[UserView]:
    authorize(ctx, actor, "users.manage")
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
                u.must_change_password,
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
            raise PermissionDenied(said("error.staff.wrong_login", "wrong username or password"))
        if user.locked_until and user.locked_until > now:
            audit.record(s, ctx.clock, username, "login.refused_locked", "user", username)
            s.commit()
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            raise PermissionDenied(
                said("error.staff.locked", f"account locked; try again in {minutes} min", minutes=minutes)
            )
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            details = {"failed": user.failed_logins}
            message = said("error.staff.wrong_login", "wrong username or password")
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                audit.record(s, ctx.clock, username, "login.locked", "user", username, details)
                # Said when it happens, not only at the next attempt.
                minutes = int(LOCKOUT.total_seconds() // 60)
                message = said(
                    "error.staff.now_locked",
                    f"wrong username or password; the account is now locked for {minutes} min",
                    minutes=minutes,
                )
            else:
                audit.record(s, ctx.clock, username, "login.fail", "user", username, details)
            s.add(user)
            # Commit the failure count even though we raise.
            s.commit()
            raise PermissionDenied(message) from None
        user.failed_logins = 0
        user.locked_until = None
        s.add(user)
        audit.record(s, ctx.clock, username, "login.ok", "user", username)
        return view_of(s, user, now)


def require_role(user: UserView, roles: tuple[str, ...], what: str | Said) -> None:
    """PermissionDenied unless the user has one of ``roles``; ``what`` names the thing (a ``Said`` to translate)."""
    if user.role not in roles:
        raise PermissionDenied(
            said(
                "error.staff.only_roles",
                f"{what}: only {' or '.join(roles)} may do this",
                what=what,
                roles=" or ".join(roles),
            )
        )
