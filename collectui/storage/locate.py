"""Which engine a database name means: a ``postgresql://`` URL is a PostgreSQL database, anything else a
SQLite file (as before). The faces turn ``--db`` / ``COLLECTUI_DB`` into a ``Database`` here."""

from __future__ import annotations

from pathlib import Path

from collectui.storage.engine import Database

URL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_url(target: str | Path) -> bool:
    """Does ``target`` name a PostgreSQL database (``postgresql://...``)?"""
    return isinstance(target, str) and target.split("://", 1)[0] in URL_SCHEMES and "://" in target


def database_at(target: str | Path, read_only: bool = False) -> Database:
    """The database ``target`` names, trusted as it is (tests, ``init``): see ``open_database_at``."""
    if is_url(target):
        from collectui.storage.pg.database import PgDatabase

        return PgDatabase(str(target), read_only=read_only)
    return Database(target, read_only=read_only)


def open_database_at(target: str | Path) -> Database:
    """An existing collectui database at ``target``; raises ``storage.opening.OpenRefused`` (one line) for a
    missing, empty or foreign one, having written nothing."""
    if is_url(target):
        from collectui.storage.pg.database import PgDatabase

        return PgDatabase.open_existing(str(target))
    return Database.open_existing(target)
