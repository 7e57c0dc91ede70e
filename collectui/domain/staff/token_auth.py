"""A presented API token (``COLLECTUI_TOKEN``) turned into the Actor it stands for, or refused.

Plain connections, not the ORM: every command a machine runs resolves its actor here first, and `import`
starts without loading SQLAlchemy. Creating, listing and revoking tokens is in ``staff.tokens``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from collectui.domain.audit import record_raw
from collectui.domain.context import Ctx
from collectui.domain.errors import NotFound, NotSignedIn
from collectui.domain.said import said
from collectui.domain.staff.actor import TOKEN_PREFIX, Actor, token_actor
from collectui.storage.timefmt import store_datetime

# Why a token is refused (its audit event keeps the English word) -> as the person is told.
_REFUSED = {
    "unknown": said("error.staff.token_unknown", "COLLECTUI_TOKEN: the token is unknown"),
    "revoked": said("error.staff.token_is_revoked", "COLLECTUI_TOKEN: the token is revoked"),
    "expired": said("error.staff.token_expired", "COLLECTUI_TOKEN: the token is expired"),
}


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def actor_for(ctx: Ctx, secret: str) -> Actor:
    """The actor a presented secret stands for; NotSignedIn (audited) when it is unknown, revoked or expired."""
    now = ctx.clock.now()
    why: str | None = None
    # Read-only, or behind a long import: checked the same way, its use or refusal not recorded (bookkeeping
    # is not worth queueing for or failing on; storage.opening, storage.waiting).
    with ctx.db.raw_bookkeeping() as (raw, record):
        row = raw.execute(
            "SELECT t.id, t.name, t.role, b.name, t.scopes, t.expires_at, t.revoked_at FROM api_token t "
            "LEFT JOIN branch b ON b.id = t.branch_id WHERE t.secret_hash = ?",
            (token_hash(secret),),
        ).fetchone()
        if row is None:
            why = "unknown"
        elif row[6] is not None:
            why = "revoked"
        elif now >= datetime.fromisoformat(row[5]):
            why = "expired"
        name = row[1] if row is not None else "?"
        if why is not None and record:
            # Recorded (the transaction commits), then refused below.
            record_raw(raw, ctx.clock, TOKEN_PREFIX + name, "token.refused", "token", name, {"why": why})
        elif why is None and record:
            raw.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", (store_datetime(now), row[0]))
    if why is not None or row is None:
        raise NotSignedIn(_REFUSED.get(why or "unknown", _REFUSED["unknown"]))
    return token_actor(row[1], row[2], row[3], frozenset(row[4].split(",")))


def expiry(ctx: Ctx, actor: Actor) -> datetime:
    """When the token an actor presented expires (shown by `whoami`)."""
    name = actor.name.removeprefix(TOKEN_PREFIX)
    with ctx.db.raw_read() as raw:
        row = raw.execute("SELECT expires_at FROM api_token WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(said("error.staff.no_token", f"no token {name!r}", name=name))
    return datetime.fromisoformat(row[0])
