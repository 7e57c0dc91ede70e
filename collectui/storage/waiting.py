"""Writers queue behind a long write (an import) with a visible wait, up to a limit, instead of failing.

SQLite lets one writer in at a time. An import of a million rows holds the write lock for a minute or two
(it is one transaction: all or nothing); a ``call log`` that arrives meanwhile used to give up after the
30 s busy timeout with "database is locked". Now a writer asks for the lock in short attempts and, between
them, tells its face how long it has waited and who holds the lock, up to ``WriteWait.limit_s`` (the policy's
``storage.write_wait_seconds``, 5 minutes by default); only then does it fail, with one line.

Who holds the lock: a long writer announces itself with a small file beside the database,
``.NAME.writing-PID``, holding a few words ("the import"). A waiter reads the live ones; a file whose process
is dead is ignored and removed at the next start (``clean_stale_announcements``).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from collectui.storage.outfiles import PRIVATE_FILE, pid_alive, remove_dead_writers_files

DEFAULT_LIMIT_S = 300.0
ATTEMPT_MS = 1_000  # one BEGIN IMMEDIATE attempt; the limit is checked between attempts
FIRST_NOTE_S = 3.0  # a wait shorter than this is ordinary contention: say nothing
NOTE_EVERY_S = 10.0
_ANNOUNCE_RE = re.compile(r"^\.(?P<name>.+)\.writing-(?P<pid>\d+)$")

# (seconds waited so far, who holds the lock: "the import" or "another writer")
WaitNote = Callable[[float, str], None]


@dataclass
class WriteWait:
    """How long a writer queues and who hears about it (the CLI prints a line; tests record)."""

    limit_s: float = DEFAULT_LIMIT_S
    on_wait: WaitNote | None = None


def _announcement(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.writing-{pid}")


@contextmanager
def announce(path: Path, holder: str | None) -> Iterator[None]:
    """While the block runs, tell waiting writers that ``holder`` has the write lock (nothing if None)."""
    if not holder:
        yield
        return
    marker: Path | None = _announcement(path, os.getpid())
    assert marker is not None
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(holder[:80])
    except OSError:
        marker = None  # only a courtesy to waiters: never fail the write for it
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def holder_of(path: Path) -> str:
    """Who holds the write lock of the database at ``path``, as far as long writers announced it."""
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return "another writer"
    for entry in entries:
        match = _ANNOUNCE_RE.match(entry.name)
        if match and match["name"] == path.name and pid_alive(int(match["pid"])):
            try:
                return entry.read_text(encoding="utf-8").strip() or "another writer"
            except OSError:
                continue
    return "another writer"


def clean_stale_announcements(directory: Path) -> list[Path]:
    """Remove the announcements of writers that died in ``directory``; the removed paths."""
    return remove_dead_writers_files(directory, _ANNOUNCE_RE)


def _busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def take_write_lock(conn: sqlite3.Connection, path: Path, wait: WriteWait, busy_timeout_ms: int) -> None:
    """``BEGIN IMMEDIATE`` on ``conn``: retried in short attempts up to ``wait.limit_s``, telling
    ``wait.on_wait`` now and then; raises ``sqlite3.OperationalError`` (one line) past the limit."""
    started = time.monotonic()
    next_note = FIRST_NOTE_S
    conn.execute(f"PRAGMA busy_timeout = {ATTEMPT_MS}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
            waited = time.monotonic() - started
            if waited >= wait.limit_s:
                raise sqlite3.OperationalError(
                    f"database is locked: {holder_of(path)} kept it for {waited:.0f} s, longer than "
                    f"storage.write_wait_seconds ({wait.limit_s:.0f} s); nothing was changed, try again later"
                )
            if wait.on_wait is not None and waited >= next_note:
                wait.on_wait(waited, holder_of(path))
                next_note = waited + NOTE_EVERY_S
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
