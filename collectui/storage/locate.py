"""Which engine a database name means: a ``postgresql://`` URL is a PostgreSQL database, anything else a
SQLite file (as before). The faces turn ``--db`` / ``COLLECTUI_DB`` into a ``Database`` here."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from collectui.storage.engine import Database
from collectui.storage.opening import OpenRefused

URL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_url(target: str | Path) -> bool:
    """Does ``target`` name a PostgreSQL database (``postgresql://...``)?"""
    return isinstance(target, str) and target.split("://", 1)[0] in URL_SCHEMES and "://" in target


class EngineMissing(OpenRefused):
    """A PostgreSQL URL on an installation without the PostgreSQL driver (the ``postgresql`` extra)."""

    INSTALL = "pip install 'collectui[postgresql]'"


def _pg() -> type[Database]:
    """``PgDatabase``; raises ``EngineMissing`` when psycopg is not installed (it is an optional extra: a branch
    server on SQLite does not need it)."""
    if find_spec("psycopg") is None:
        raise EngineMissing(f"PostgreSQL support is not installed here: {EngineMissing.INSTALL}")
    from collectui.storage.pg.database import PgDatabase

    return PgDatabase


def database_at(target: str | Path, read_only: bool = False) -> Database:
    """The database ``target`` names, trusted as it is (tests, ``init``): see ``open_database_at``; raises
    ``EngineMissing`` for a URL without the PostgreSQL driver."""
    if is_url(target):
        return _pg()(str(target), read_only=read_only)
    return Database(target, read_only=read_only)


def open_database_at(target: str | Path) -> Database:
    """An existing collectui database at ``target``; raises ``storage.opening.OpenRefused`` (one line) for a
    missing, empty or foreign one, having written nothing."""
    if is_url(target):
        return _pg().open_existing(str(target))
    return Database.open_existing(target)
