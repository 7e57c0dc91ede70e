"""Copies of the database that are whole, and putting one back: the SQLite side of ``collectui db``.

- **Backup.** ``cp`` of a live database gives a corrupt copy when a write lands mid-copy (the main file and
  its WAL are two files). SQLite's online backup API copies pages inside one read transaction: in WAL mode
  that is a consistent snapshot, and writers carry on meanwhile. The copy is written beside its target under
  a temporary name (mode 0600), folded into one file (``journal_mode=DELETE``), flushed, checked, and only
  then renamed into place; a failed check leaves no file at the target.
- **Check.** ``PRAGMA integrity_check`` (pages, indexes), ``PRAGMA foreign_key_check``, the schema version
  and collectui's marker, one line per problem. (The audit chain is the domain's: ``domain.dbcare``.)
- **Restore.** Only when nobody else has the database open: leaving WAL mode needs the only connection, so a
  connection that can switch ``journal_mode`` to ``DELETE`` knows it is alone, and ``BEGIN EXCLUSIVE`` then
  keeps newcomers out. The replaced file is kept as ``NAME.replaced-YYYYmmddTHHMMSS`` (a hard link to the
  same file, so there is no moment without a database at the path) and the backup is copied in by rename.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from collectui.storage.kind import APP_MARKER, META_APP
from collectui.storage.opening import ForeignDatabase, NoDatabase, OpenRefused, connect_read_only, examine
from collectui.storage.outfiles import PRIVATE_FILE, make_private_dir, refuse_unsafe_output, temp_path_for
from collectui.storage.version import LATEST_VERSION

_MAX_LINES = 50  # integrity_check lines reported; a badly broken file would print thousands


class InUse(RuntimeError):
    """The database is open elsewhere (the app, a CLI command, a scheduled job)."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """Copy the database behind ``source`` into the new file ``dest`` (0600), as one self-contained file."""
    _new_private_file(dest)
    target = sqlite3.connect(dest)
    try:
        # pages=-1: the whole database in one step, inside one read transaction of ``source`` (a consistent
        # snapshot in WAL mode; a stepwise copy would restart each time another connection writes).
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    _fsync(dest)


def start_backup(db_path: Path, dest: Path) -> Path:
    """Copy the live database at ``db_path`` to a temporary sibling of ``dest``; its path. The caller checks
    it and then calls ``finish_backup`` (or removes it). ``dest`` may not exist nor be the database."""
    dest = Path(dest)
    refuse_unsafe_output(dest, protected=[db_path], what="backup")
    make_private_dir(dest.parent)
    source = connect_read_only(db_path) if not os.access(db_path.parent, os.W_OK) else sqlite3.connect(db_path)
    source.execute("PRAGMA busy_timeout = 30000")
    return _copy_to_temp(source, temp_path_for(dest))


def _copy_to_temp(source: sqlite3.Connection, tmp: Path) -> Path:
    """Copy the database of ``source`` (closed afterwards) to ``tmp``; nothing is left at ``tmp`` on failure."""
    try:
        copy_database(source, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return tmp


def finish_backup(tmp: Path, dest: Path) -> None:
    """Put a checked copy in place (refusing a ``dest`` that appeared meanwhile)."""
    try:
        os.link(tmp, dest)  # fails if dest exists: never replaces a file
    finally:
        tmp.unlink(missing_ok=True)


def not_a_backup(path: Path) -> str | None:
    """One line when ``path`` cannot be a backup at all (missing, empty, not SQLite, another program's
    database, unreadable), else None: then the file's own checks (``storage_problems``) say the rest."""
    path = Path(path)
    try:
        examine(path)
    except NoDatabase:
        if not path.exists():
            return f"no backup file at {path}"
        return f"{path} is empty: not a collectui database backup"
    except ForeignDatabase:
        return f"{path} is not a collectui database backup"
    except OpenRefused as exc:
        return str(exc)
    return None


def storage_problems(path: Path) -> list[str]:
    """What is wrong with the database file at ``path`` as SQLite and as collectui's schema (empty: nothing).
    Reads only."""
    try:
        found = examine(path)
    except ValueError as exc:
        return [str(exc)]
    problems: list[str] = []
    conn = connect_read_only(path)
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({_MAX_LINES})")]
        if rows != ["ok"]:
            problems += [f"integrity: {r}" for r in rows]
        broken: dict[tuple[str, str], int] = {}
        for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            broken[(table, parent)] = broken.get((table, parent), 0) + 1
        problems += [f"foreign keys: {n} row(s) of {t} point to a missing {p}" for (t, p), n in broken.items()]
        app = conn.execute("SELECT value FROM meta WHERE key = ?", (META_APP,)).fetchone()
    except sqlite3.DatabaseError as exc:
        return [*problems, f"unreadable: {exc}"]
    finally:
        conn.close()
    if found.schema_version is None:
        problems.append("schema: no schema version")
    elif found.schema_version > LATEST_VERSION:
        problems.append(f"schema: version {found.schema_version} is newer than this collectui ({LATEST_VERSION})")
    elif found.schema_version < LATEST_VERSION:
        problems.append(
            f"schema: version {found.schema_version}, this collectui writes {LATEST_VERSION} "
            "(any command that may write upgrades it)"
        )
    if not app or app[0] != APP_MARKER:
        problems.append("marker: no collectui marker (a database from before it; the next upgrade stamps it)")
    return problems


def aside_path(live: Path, now: datetime) -> Path:
    return live.with_name(f"{live.name}.replaced-{now.strftime('%Y%m%dT%H%M%S')}")


def restore(backup: Path, live: Path, now: datetime) -> Path:
    """Replace the database at ``live`` by a copy of ``backup``; the path the replaced file is kept at.

    Raises ``InUse`` when another connection has ``live`` open. The caller has checked ``backup``."""
    aside = aside_path(live, now)
    if aside.exists():
        raise FileExistsError(f"{aside} already exists; wait a second and try again")
    lock = sqlite3.connect(live, timeout=0, isolation_level=None)
    try:
        try:
            mode = lock.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            lock.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            raise InUse(
                f"{live} is in use ({exc}); close collectui everywhere (app, commands, jobs) and retry"
            ) from None
        if str(mode).lower() != "delete":
            raise InUse(f"{live} is in use by another connection; close collectui everywhere and retry")
        tmp = _copy_to_temp(connect_read_only(backup), temp_path_for(live))
        try:
            os.link(live, aside)  # the old file stays reachable under the new name: no gap at ``live``
            os.chmod(aside, PRIVATE_FILE)
            os.replace(tmp, live)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            _fsync(live.parent)  # the renames themselves survive a power cut
        except OSError:
            pass  # not every system can open a folder (Windows); the data itself is flushed
        lock.execute("ROLLBACK")
    finally:
        lock.close()  # its lock was on the old file, now the one kept aside
    return aside
