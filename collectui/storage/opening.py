"""Opening a database that must already exist, without writing to anything that is not collectui's.

SQLite opens whatever file it is given and happily creates one that is missing; ``Database.create_schema``
then adds collectui's tables. That is right for ``collectui init`` and ``collectui demo`` and wrong for every
other command: a typo in ``--db`` would make an empty bank, and another program's SQLite file would get 18
tables, triggers and WAL mode. ``open_existing`` looks at the file first, read-only (``mode=ro``, and
``immutable`` when there is no write-ahead log to read, so not even a ``-shm`` file appears; never with a
plain ``open()``, whose ``close()`` would drop this process's locks on the file), and refuses:

- a missing or empty file (``NoDatabase``);
- a file that is not SQLite, or an SQLite file without collectui's marker (``ForeignDatabase``): meta
  ``app`` = ``collectui`` (``storage.kind``), or, for databases from before the marker, a ``meta`` table
  with a ``schema_version`` beside collectui's own tables.

It also decides whether the database can be written at all: in a read-only directory (no room for the
``-wal``/``-shm`` files) or on a read-only file, the database is opened read-only, so reads work and writes
fail with one line (``Database.read_only``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from collectui.storage.kind import APP_MARKER, META_APP

# Tables every collectui database has had since the first schema: with a meta schema_version they identify
# a database made before the marker existed.
LEGACY_TABLES = frozenset({"meta", "customer", "loan", "instalment", "audit_event", "staff_user"})


class OpenRefused(ValueError):
    """A database file collectui will not open (the message says why and what to do)."""


class NoDatabase(OpenRefused):
    pass


class ForeignDatabase(OpenRefused):
    pass


@dataclass(frozen=True)
class Examined:
    """What a look at an existing collectui database found (nothing was written)."""

    path: Path
    schema_version: int | None
    marked: bool  # meta app = collectui (False: a database from before the marker)
    writable: bool  # the file and its directory can be written (else open read-only)
    reason: str  # why not writable ("" when writable)


def no_database_message(path: Path) -> str:
    return f"no database at {path}; create one with `collectui init --admin NAME` or `collectui demo`"


def read_only_uri(path: Path, immutable: bool) -> str:
    """The URI of a read-only connection to ``path``. ``immutable``: SQLite trusts that nobody changes the
    file and takes no locks, so nothing is created beside it (only when there is no ``-wal`` to read)."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def connect_read_only(path: Path, timeout: float = 30, immutable: bool | None = None) -> sqlite3.Connection:
    """A connection that cannot write ``path``. ``immutable`` (default: only when the folder cannot be
    written and there is no ``-wal``, so no other process can be writing) creates nothing beside the file;
    it must not be used on a file another process may be changing (its reads could see half a commit)."""
    if immutable is None:
        immutable = not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists()
    return sqlite3.connect(read_only_uri(path, immutable), uri=True, timeout=timeout, check_same_thread=False)


def _look(path: Path, immutable: bool) -> tuple[set[str], dict[str, str]]:
    conn = connect_read_only(path, immutable=immutable)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta: dict[str, str] = {}
        if "meta" in tables:
            rows = conn.execute("SELECT key, value FROM meta WHERE key IN (?, 'schema_version')", (META_APP,))
            meta = {str(k): str(v) for k, v in rows}
        return tables, meta
    finally:
        conn.close()


def _writable(path: Path) -> tuple[bool, str]:
    if not os.access(path, os.W_OK):
        return False, "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return False, "its folder is read-only"
    return True, ""


def examine(path: str | Path) -> Examined:
    """Look at ``path`` without writing; raise ``NoDatabase`` / ``ForeignDatabase`` unless it is collectui's."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NoDatabase(no_database_message(path)) from None
    except OSError as exc:
        raise OpenRefused(f"cannot open the database {path}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ForeignDatabase(f"{path} is a folder, not a database file")
    if info.st_size == 0:
        raise NoDatabase(no_database_message(path))
    # The file is read through SQLite only: a plain open() and close() of a database file drops every lock
    # this process holds on it (POSIX locks are per process), which lets another process corrupt it.
    try:
        try:
            # First as immutable when no write-ahead log is there (nothing is created beside a foreign file);
            # a read that raced a writer is read again the ordinary way.
            tables, meta = _look(path, immutable=not Path(f"{path}-wal").exists())
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise
            tables, meta = _look(path, immutable=False)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise ForeignDatabase(
                f"{path} is not a collectui database (not an SQLite file); collectui leaves it alone"
            ) from None
        raise ForeignDatabase(
            f"{path} cannot be read as a collectui database ({exc}); collectui leaves it alone"
        ) from None
    marked = meta.get(META_APP) == APP_MARKER
    legacy = "schema_version" in meta and LEGACY_TABLES <= tables
    if not marked and not legacy:
        raise ForeignDatabase(
            f"{path} is an SQLite database of another program (no collectui marker); collectui leaves it alone"
        )
    try:
        version: int | None = int(meta["schema_version"])
    except (KeyError, ValueError):
        version = None
    writable, reason = _writable(path)
    return Examined(path=path, schema_version=version, marked=marked, writable=writable, reason=reason)


def exposure_warning(path: str | Path) -> str | None:
    """One line when the database (or a sidecar) can be read or written by other users; else None."""
    path = Path(path)
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = candidate.stat().st_mode
        except OSError:
            continue
        if mode & 0o077:
            return (
                f"warning: {candidate} can be read or written by other users (mode {stat.filemode(mode)}); "
                f"it holds borrowers' personal data: chmod 600 {candidate}"
            )
    return None
