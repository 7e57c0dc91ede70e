"""The demo database file: refuse what is not demo data, build beside it, swap it in atomically.

A database without the demo marker (meta ``demo`` = 1) is never replaced; a demo one only with ``force``.
The new database is built in a temporary file in the same folder, sealed (WAL folded in, flushed), and
renamed over the target with ``os.replace`` after the old file's WAL is checkpointed and its -wal/-shm
removed, so a crash at any point leaves either the old database whole or the new one.
"""

from __future__ import annotations

import os
from pathlib import Path

from collectui.domain.errors import CollectError
from collectui.domain.said import said
from collectui.storage.files import checkpoint, read_meta, seal, sidecars

__all__ = [
    "DemoExists",
    "NotDemoDatabase",
    "demo_info",
    "inspect_target",
    "remove_with_sidecars",
    "seal",
    "swap_into_place",
]


class NotDemoDatabase(CollectError):
    pass


class DemoExists(CollectError):
    pass


def inspect_target(path: Path, force: bool) -> bool:
    """True when ``path`` holds a demo database that may be replaced; False when there is nothing there.

    Raises NotDemoDatabase for anything else (even with force) and DemoExists without force.
    """
    if not path.exists() or (path.is_file() and path.stat().st_size == 0 and not sidecars(path)):
        return False
    if not path.is_file():
        raise NotDemoDatabase(
            said("error.demo.not_a_file", f"{path} is not a file; collectui demo will not touch it", path=path)
        )
    if demo_info(path) is None:
        raise NotDemoDatabase(
            said(
                "error.demo.not_demo",
                f"{path} is not a demo database (no demo marker); collectui demo never overwrites real data, "
                "even with --force: choose another --db path",
                path=path,
            )
        )
    if not force:
        raise DemoExists(
            said("error.demo.exists", f"{path} already holds a demo database; use --force to replace it", path=path)
        )
    return True


def remove_with_sidecars(path: Path) -> None:
    for p in [path, *sidecars(path)]:
        p.unlink(missing_ok=True)


def swap_into_place(tmp: Path, target: Path, replacing: bool) -> None:
    if replacing:
        # Checkpoint the old database first: its -wal must go before the rename (SQLite would replay a stale
        # WAL onto the new file), and a crash between the two steps must leave the old data whole.
        if not checkpoint(target, timeout=10):
            raise DemoExists(
                said(
                    "error.demo.in_use",
                    f"{target} is in use (is the app open on it?); close it and run the demo again",
                    target=target,
                )
            )
        for side in sidecars(target):
            side.unlink()
    os.replace(tmp, target)


def demo_info(path: Path) -> dict[str, str] | None:
    """The demo marker facts of the database at ``path`` (None when it is not a demo database).

    A read-write connection that only reads: a read-only one would leave -wal/-shm files behind."""
    if not path.is_file():
        return None
    rows = read_meta(path, "demo", timeout=30)
    return rows if rows is not None and rows.get("demo") == "1" else None
