"""Who is acting: the person (or machine) a service works for, as the faces established it.

A face never passes a bare username to a service that checks rights: it passes an ``Actor``, built from a
verified sign-in (the TUI's login screen, the CLI's login session), from an API token, or for the system
itself (the demo builder, ``init``). Services check it with ``staff.permissions.authorize``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # type-only: users checks rights through permissions, which builds on this module
    from collectui.domain.staff.users import UserView

Via = Literal["session", "token", "system"]
TOKEN_PREFIX = "token:"


@dataclass(frozen=True)
class Actor:
    """``scopes`` None means everything the role allows; a token narrows it to the scopes it was given."""

    name: str
    role: str
    branch: str | None
    user_id: int | None
    via: Via
    scopes: frozenset[str] | None = None

    @property
    def is_token(self) -> bool:
        return self.via == "token"


def actor_for_user(user: UserView, via: Via = "session") -> Actor:
    """The Actor of a signed-in person (the TUI's UserView, or a CLI login session's user)."""
    return Actor(name=user.username, role=user.role, branch=user.branch, user_id=user.id, via=via)


def token_actor(name: str, role: str, branch: str | None, scopes: frozenset[str]) -> Actor:
    """A machine presenting an API token: named ``token:<NAME>`` in the audit trail."""
    return Actor(name=TOKEN_PREFIX + name, role=role, branch=branch, user_id=None, via="token", scopes=scopes)


def system_actor(name: str) -> Actor:
    """collectui itself (the demo builder, ``init``): an all-branch admin that no person can become."""
    return Actor(name=name, role="admin", branch=None, user_id=None, via="system")
