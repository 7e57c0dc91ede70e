"""Policy versions: every policy an admin applied, whole, with who, when and why.

The newest row is the policy in force; version 0 (no row) means the built-in defaults. Rows are only ever
added (``collectui policy apply``), so the history of what was in force on any day can be read back.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from collectui.storage.types import AwareDateTime


class PolicyVersion(SQLModel, table=True):
    __tablename__ = "policy_version"
    version: int = Field(primary_key=True)  # 1, 2, 3 ... in the order applied
    content: str  # the TOML text as applied (only the keys that differ from the defaults)
    sha256: str  # hex digest of the content's UTF-8 bytes
    applied_by: str  # the actor's name (a username, or token:NAME)
    applied_at: datetime = Field(sa_type=AwareDateTime, index=True)
    reason: str
