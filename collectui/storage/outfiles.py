"""Files collectui writes beside the database: exports, rejects, the SMS outbox, backups.

Three rules, for every such file:

- **Private.** Created mode 0600 (directories 0700): they hold phone numbers and debts.
- **Never the wrong file.** An output path may not be a database (ours or any SQLite file), its ``-wal``,
  ``-shm`` or ``-journal``, or a directory; an existing file is replaced only with ``force`` (a typo in
  ``--output`` must not destroy a ledger).
- **Whole or absent.** Content goes to a temporary file in the same directory (named so that a later start
  can tell a dead writer's leftover), is flushed to disk and then renamed over the target; on any error the
  temporary file is removed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_MAGIC = b"SQLite format 3\x00"
_SIDECARS = ("-wal", "-shm", "-journal")
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.collectui-tmp-(?P<pid>\d+)$")


class OutputRefused(ValueError):
    """An output path collectui will not write (the message says why and what to do)."""


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def refuse_unsafe_output(
    path: Path, *, protected: Iterable[Path] = (), force: bool = False, what: str = "output"
) -> None:
    """Raise ``OutputRefused`` unless ``path`` may be written; ``protected`` are database files."""
    path = Path(path)
    for db in protected:
        for candidate in (Path(db), *(Path(f"{db}{suffix}") for suffix in _SIDECARS)):
            if _same_file(path, candidate):
                raise OutputRefused(f"{what} {path} is the database or one of its files; choose another path")
    if path.name.endswith(_SIDECARS) and is_sqlite_file(Path(str(path)[: str(path).rfind("-")])):
        raise OutputRefused(f"{what} {path} belongs to a database; choose another path")
    if path.is_dir():
        raise OutputRefused(f"{what} {path} is a directory; give a file name")
    if path.exists():
        if is_sqlite_file(path):
            raise OutputRefused(f"{what} {path} is a database file; collectui never overwrites one")
        if not force:
            raise OutputRefused(f"{what} {path} already exists; remove it or pass --force to replace it")


def temp_path_for(path: Path) -> Path:
    """The temporary sibling a writer of ``path`` uses (recognised by ``clean_stale_temps``)."""
    return path.with_name(f".{path.name}.collectui-tmp-{os.getpid()}")


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) owner-only when missing; an existing directory is left as it is."""
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):  # each level owner-only (mkdir's parents= would use the umask's mode)
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)


@contextmanager
def private_output(
    path: Path,
    *,
    protected: Iterable[Path] = (),
    force: bool = False,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
    what: str = "output",
) -> Iterator[IO[Any]]:
    """Write ``path`` whole or not at all, mode 0600, after ``refuse_unsafe_output``."""
    path = Path(path)
    refuse_unsafe_output(path, protected=protected, force=force, what=what)
    make_private_dir(path.parent)
    tmp = temp_path_for(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # an old leftover of the same pid keeps its mode otherwise
        fh: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a temp file's writer, a long write's holder)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_writers_files(directory: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the files in ``directory`` whose name matches ``pattern`` (a ``pid`` group: the writer's process)
    when that process is gone; the removed paths. A live writer's files are kept."""
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match and not pid_alive(int(match["pid"])):
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


def clean_stale_temps(directory: Path) -> list[Path]:
    """Remove the temporary files of writers that died in ``directory``; the removed paths."""
    return remove_dead_writers_files(directory, _TEMP_RE)
