"""Whole-file operations on a database file, for tools that replace one file by another (the demo).

SQLite keeps a database in one main file plus, while it is open or after a crash, sidecar files (``-wal``,
``-shm``, ``-journal``). To copy or rename a database safely its write-ahead log must first be folded into
the main file. These functions open their own short connections (no engine settings, no ORM).
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from collectui.storage.outfiles import remove_dead_writers_files

_SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
# A database being built beside its target (the demo): ``.NAME.building-PID`` and its sidecars.
_BUILDING_RE = re.compile(r"^\.(?P<name>.+)\.building-(?P<pid>\d+)(?:-wal|-shm|-journal)?$")


def building_path(target: Path) -> Path:
    """Where this process builds a database that will replace ``target`` (``clean_stale_builds`` knows it)."""
    return target.with_name(f".{target.name}.building-{os.getpid()}")


def clean_stale_builds(directory: Path) -> list[Path]:
    """Remove half-built databases (and their sidecars) of processes that died in ``directory``: a killed
    ``collectui demo`` leaves one of up to hundreds of megabytes. A live builder's files are kept."""
    return remove_dead_writers_files(directory, _BUILDING_RE)


def sidecars(path: Path) -> list[Path]:
    """The sidecar files of the database at ``path`` that exist now."""
    return [p for p in (Path(f"{path}{suffix}") for suffix in _SIDECAR_SUFFIXES) if p.exists()]


def seal(path: Path) -> None:
    """Fold the WAL into the main file so the file stands alone, and flush it to disk."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint(path: Path, timeout: float = 10) -> bool:
    """Fold the WAL of the database at ``path`` into its main file; False when another connection kept
    part of it from being folded (the database is in use)."""
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        conn.close()
    return not busy


def read_meta(path: Path, prefix: str, timeout: float = 30) -> dict[str, str] | None:
    """The ``meta`` rows whose key starts with ``prefix`` (a prefix without ``%`` or ``_``), or None when
    the file cannot be read as a collectui database.

    A read-write connection that only reads: a read-only one would leave -wal/-shm files behind."""
    try:
        conn = sqlite3.connect(path, timeout=timeout)
        try:
            rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE ?", (f"{prefix}%",)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    meta: dict[str, str] = dict(rows)
    return meta
