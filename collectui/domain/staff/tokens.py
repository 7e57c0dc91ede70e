"""API tokens: how a machine (a dialler running `check` and `call log`, the nightly import) acts.

An admin creates a token with a role, an optional branch, scopes (permission names, or a family such as
``call``) and an expiry; the secret is shown once and only its SHA-256 is stored (it is random and long, so
a slow password hash adds nothing). The machine presents it in ``COLLECTUI_TOKEN``; it acts as
``token:<NAME>`` with the role's permissions narrowed to the scopes (``staff.token_auth``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize, check_scopes
from collectui.domain.staff.token_auth import token_hash
from collectui.domain.staff.users import ROLES, check_username
from collectui.storage.models import ApiToken, Branch

SECRET_PREFIX = "cut_"  # recognisable in a leaked log line or a config file


@dataclass(frozen=True)
class TokenView:
    name: str
    role: str
    branch: str | None
    scopes: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked: bool
    last_used_at: datetime | None


def parse_scopes(text: str) -> list[str]:
    scopes = sorted({s.strip() for s in text.split(",") if s.strip()})
    if not scopes:
        raise InvalidInput(
            said("error.staff.scope_none", "--scope: name at least one permission (e.g. check,call.log)")
        )
    problems = check_scopes(scopes)
    if problems:
        raise InvalidInput(
            said("error.staff.scope_bad", "--scope: " + "; ".join(map(str, problems)), problems=problems), problems
        )
    return scopes


def create(
    ctx: Ctx, actor: Actor, name: str, role: str, branch: str | None, scopes: list[str], expires: datetime
) -> str:
    """Create a token; the secret (returned) is never stored and cannot be shown again."""
    authorize(ctx, actor, "token.manage")
    name = check_username(name)
    if role not in ROLES:
        raise InvalidInput(
            said("error.staff.role_choice", f"role must be one of {', '.join(ROLES)}", roles=", ".join(ROLES))
        )
    if role in ("collector", "supervisor") and not branch:
        raise InvalidInput(
            said("error.staff.token_needs_branch", f"a {role} token needs --branch", role=said(f"role.{role}", role))
        )
    if not scopes:
        raise InvalidInput(said("error.staff.scopes_none", "scopes: none given"))
    problems = check_scopes(scopes)
    if problems:
        raise InvalidInput(
            said("error.staff.scopes_bad", "scopes: " + "; ".join(map(str, problems)), problems=problems), problems
        )
    beyond = check_scopes(scopes, role)
    if beyond:
        raise InvalidInput(said("error.staff.scopes_beyond", "; ".join(map(str, beyond)), problems=beyond), beyond)
    now = ctx.clock.now()
    if expires <= now:
        raise InvalidInput(said("error.staff.expires_past", "--expires must be in the future"))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with ctx.db.write() as s:
        if s.exec(select(ApiToken).where(ApiToken.name == name)).first():
            raise InvalidInput(
                said(
                    "error.staff.token_exists",
                    f"a token named {name!r} already exists (revoke it and choose another name)",
                    name=name,
                )
            )
        branch_id = _existing_branch(s, branch) if branch else None
        s.add(
            ApiToken(
                name=name,
                secret_hash=token_hash(secret),
                role=role,
                branch_id=branch_id,
                scopes=",".join(scopes),
                created_by=actor.name,
                created_at=now,
                expires_at=expires,
            )
        )
        details = {"role": role, "branch": branch, "scopes": scopes, "expires": expires.isoformat()}
        audit.record(s, ctx.clock, actor.name, "token.create", "token", name, details)
    return secret


def _existing_branch(s: Session, name: str) -> int | None:
    """The id of branch ``name``; a token never creates a branch (a typo would make a branch of one token)."""
    name = name.strip()
    found = s.exec(select(Branch).where(Branch.name == name)).first()
    if found is None:
        names = s.exec(select(Branch.name).order_by(Branch.name)).all()
        if not names:
            raise InvalidInput(said("error.staff.no_branch_yet", f"no branch {name}; branches: (none yet)", name=name))
        listed = ", ".join(names)
        raise InvalidInput(
            said("error.staff.no_branch", f"no branch {name}; branches: {listed}", name=name, branches=listed)
        )
    return found.id


def _view(s: Session, t: ApiToken) -> TokenView:
    branch = s.get(Branch, t.branch_id) if t.branch_id else None
    return TokenView(
        t.name,
        t.role,
        branch.name if branch else None,
        t.scopes,
        t.created_by,
        t.created_at,
        t.expires_at,
        t.revoked_at is not None,
        t.last_used_at,
    )


def list_tokens(ctx: Ctx, actor: Actor) -> list[TokenView]:
    authorize(ctx, actor, "token.manage")
    with ctx.db.read() as s:
        return [_view(s, t) for t in s.exec(select(ApiToken).order_by(ApiToken.name)).all()]


def revoke(ctx: Ctx, actor: Actor, name: str) -> None:
    authorize(ctx, actor, "token.manage")
    with ctx.db.write() as s:
        token = s.exec(select(ApiToken).where(ApiToken.name == name)).first()
        if token is None:
            raise NotFound(said("error.staff.no_token", f"no token {name!r}", name=name))
        if token.revoked_at is not None:
            raise InvalidInput(said("error.staff.token_revoked", f"token {name!r} is already revoked", name=name))
        token.revoked_at = ctx.clock.now()
        s.add(token)
        audit.record(s, ctx.clock, actor.name, "token.revoke", "token", name)
