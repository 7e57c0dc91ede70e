"""Facts about the database kept in the ``meta`` table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from collectui.storage.models import Meta

if TYPE_CHECKING:
    from collectui.storage.engine import Database


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
        session.add(row)
    session.flush()


def is_demo(session: Session) -> bool:
    return get_meta(session, "demo") == "1"


def database_is_demo(db: Database) -> bool:
    """For faces that only hold a ``Database``: is this the demo database (demo passwords may be shown)?"""
    with db.read() as session:
        return is_demo(session)
