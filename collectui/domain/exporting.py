"""The one writer of every CSV and xlsx collectui produces: command output, report files, rejects files.

A spreadsheet opened by a supervisor is the last place text from a borrower, a core-banking export or an
older database ends up, so every cell passes ``safe_cell``:

- **No formula.** Text whose first character, after any leading blanks, is ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading apostrophe, so no spreadsheet program runs it (a branch named
  ``=cmd|' /C calc'!A0``, a feedback text "=HYPERLINK(...)"). Numbers stay numbers: an ``int``, a finite
  ``float`` or a ``Decimal`` is written as a number, never escaped; text is escaped whatever it looks like
  (the text "-12.50" becomes "'-12.50"), because only the value's type says it is a number.
- **No control characters.** ``textsafe.clean`` removes escape sequences, C0/C1 controls and bidi
  overrides; line feeds inside a cell are kept (CSV quotes them).
- **The right file.** A file is written through ``storage.outfiles.private_output``: mode 0600, whole or
  absent, never the database (pass its path as ``protected``) or its ``-wal``/``-shm``, never a directory,
  never an existing file without ``force`` (each exporting command has ``--force``).

The xlsx writer stores every text cell as a string cell, never a formula, whatever the text.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from collectui.domain.textsafe import clean
from collectui.storage.outfiles import OutputRefused, private_output

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "DANGEROUS_FIRST",
    "CellValue",
    "CsvOut",
    "OutputRefused",
    "as_text",
    "open_csv",
    "safe_cell",
    "safe_row",
    "safe_text",
    "save_workbook",
    "write_rows",
]

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")

# What a CSV/xlsx cell holds.
CellValue = Decimal | float | int | str | None


def safe_text(value: str) -> str:
    """Text fit for a spreadsheet cell: cleaned, and with an apostrophe in front of anything formula-like."""
    text = clean(value, newlines=True)
    head = text.lstrip()
    if head and head[0] in DANGEROUS_FIRST:
        return "'" + text
    return text


def as_text(value: object) -> str:
    """Any value as the text a cell shows (lists joined by "; ", dicts as JSON, dates in ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def safe_cell(value: object) -> CellValue:
    """The value a CSV/xlsx cell holds: a number stays a number, anything else becomes safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return safe_text(as_text(value))


def safe_row(values: Iterable[object]) -> list[CellValue]:
    return [safe_cell(v) for v in values]


class CsvOut:
    """A CSV writer whose every cell goes through ``safe_cell``."""

    def __init__(self, fh: IO[str]) -> None:
        self._writer = csv.writer(fh, lineterminator="\n")

    def row(self, values: Iterable[object]) -> None:
        self._writer.writerow(["" if (cell := safe_cell(v)) is None else cell for v in values])

    def rows(self, many: Iterable[Iterable[object]]) -> None:
        for values in many:
            self.row(values)


@contextmanager
def open_csv(
    path: Path | None,
    *,
    protected: Iterable[Path] = (),
    force: bool = False,
    stdout: IO[str] | None = None,
    bom: bool = True,
    what: str = "output",
) -> Iterator[CsvOut]:
    """A ``CsvOut`` on ``path`` (private, whole or absent; UTF-8 with a BOM so Excel reads it as UTF-8), or
    on ``stdout`` when ``path`` is None. Raises ``OutputRefused`` for a path it must not write."""
    if path is None:
        if stdout is None:
            raise ValueError("open_csv: a path or stdout is needed")
        yield CsvOut(stdout)
        return
    encoding = "utf-8-sig" if bom else "utf-8"
    with private_output(path, protected=protected, force=force, encoding=encoding, newline="", what=what) as fh:
        yield CsvOut(fh)


def write_rows(
    path: Path | None,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    protected: Iterable[Path] = (),
    force: bool = False,
    stdout: IO[str] | None = None,
    what: str = "output",
) -> None:
    """A header line and the rows, through ``open_csv``."""
    with open_csv(path, protected=protected, force=force, stdout=stdout, what=what) as out:
        out.row(header)
        out.rows(rows)


def save_workbook(
    wb: Workbook, path: Path, *, protected: Iterable[Path] = (), force: bool = False, what: str = "output"
) -> None:
    """Save an openpyxl workbook privately, whole or absent. Cells must have been put with ``safe_cell``."""
    with private_output(path, protected=protected, force=force, binary=True, what=what) as fh:
        wb.save(fh)
