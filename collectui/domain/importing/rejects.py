"""The rejects file of ``--skip-invalid``: the rejected records as they were, with their line and reasons.

CSV, UTF-8 with a BOM (Excel opens it as UTF-8), comma-separated: the input's own header, then ``_line``
(where the record starts in the input, or its sheet row) and ``_errors`` (the reasons, "; "-separated,
values masked). Fix the rows and import the file again: the two extra columns are ignored with a warning.
Written while the import's transaction is still open, so a failure here rolls the import back.

Written through the one export writer (``domain/exporting.py``): cells are spreadsheet-safe (a record's
``=cmd|...`` gets an apostrophe), the file is 0600, whole or absent, never the database or its -wal/-shm.
An existing file is replaced only when it is an earlier rejects file (its header ends with ``_line``,
``_errors``) or with ``--force``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from collectui.domain.exporting import open_csv
from collectui.domain.importing.readers import open_reader
from collectui.domain.importing.values import ValueProblem, cell_text
from collectui.storage.raw import RawConnection


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    try:
        return cell_text(cell)
    except ValueProblem:
        return str(cell)


def _reasons(conn: RawConnection, job: int) -> Iterator[tuple[int, str]]:
    """(line, its reasons "; "-joined in the order they were found) for every rejected line, in line order."""
    rows = conn.execute("SELECT line, msg FROM imp_rej WHERE job = ? ORDER BY line, seq", (job,))
    for line, group in groupby(rows, key=itemgetter(0)):
        yield line, "; ".join(msg for _, msg in group)


def is_rejects_file(path: Path) -> bool:
    """An earlier rejects file: its first line (after the BOM) ends with the ``_line`` and ``_errors`` columns."""
    try:
        with open(path, "rb") as fh:
            first = fh.read(64 * 1024).split(b"\n", 1)[0]
    except OSError:
        return False
    return first.rstrip(b"\r").endswith(b",_line,_errors")


def rejects_force(force: bool, target: Path) -> bool:
    """Whether an existing ``target`` may be replaced: with --force, or when it is an earlier rejects file."""
    return force or (target.is_file() and is_rejects_file(target))


def write_rejects(
    conn: RawConnection,
    job: int,
    source: Path,
    encoding: str,
    target: Path,
    *,
    protected: Iterable[Path] = (),
    force: bool = False,
) -> int:
    reasons = _reasons(conn, job)
    reader = open_reader(source, encoding)
    written = 0
    try:
        with open_csv(target, protected=protected, force=force, what="--rejects") as out:
            out.row([_text(c) for c in reader.header] + ["_line", "_errors"])
            pending = next(reasons, None)
            for line, cells in reader.records():
                if pending is None:
                    break
                if line == pending[0]:
                    out.row([_text(c) for c in cells] + [line, pending[1]])
                    written += 1
                    pending = next(reasons, None)
    finally:
        reader.close()
    return written
