"""The rejects file of ``--skip-invalid``: the rejected records as they were, with their line and reasons.

CSV, UTF-8 with a BOM (Excel opens it as UTF-8), comma-separated: the input's own header, then ``_line``
(where the record starts in the input, or its sheet row) and ``_errors`` (the reasons, "; "-separated,
values masked). Fix the rows and import the file again: the two extra columns are ignored with a warning.
Written while the import's transaction is still open, so a failure here rolls the import back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

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


def write_rejects(conn: RawConnection, job: int, source: Path, encoding: str, target: Path) -> int:
    reasons = _reasons(conn, job)
    reader = open_reader(source, encoding)
    written = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([_text(c) for c in reader.header] + ["_line", "_errors"])
            pending = next(reasons, None)
            for line, cells in reader.records():
                if pending is None:
                    break
                if line == pending[0]:
                    out.writerow([_text(c) for c in cells] + [line, pending[1]])
                    written += 1
                    pending = next(reasons, None)
    finally:
        reader.close()
    return written
