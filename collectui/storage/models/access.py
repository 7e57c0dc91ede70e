"""Who may act from the command line: login sessions and API tokens.

Only hashes of their secrets are stored (SHA-256: the secrets are random and long, so a slow hash adds
nothing); the secret itself lives in the signed-in OS user's private state file, or with the machine that
presents the token.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class LoginSession(SQLModel, table=True):
    """A `collectui login`: alive until revoked, idle past the policy's minutes, or past its absolute end."""

    __tablename__ = "login_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    secret_hash: str = Field(index=True, unique=True)
    os_user: str
    created_at: datetime = Field(sa_type=AwareDateTime)
    last_seen_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)  # the absolute end, fixed at sign-in
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class ApiToken(SQLModel, table=True):
    """A machine's credential (`collectui token create`): a role, an optional branch, scopes and an expiry."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    secret_hash: str = Field(index=True, unique=True)
    role: str
    branch_id: int | None = Field(default=None, foreign_key="branch.id")
    scopes: str  # comma-separated permission names or families ("call" = call.*)
    created_by: str
    created_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
