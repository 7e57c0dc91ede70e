"""How big a workbook may be, judged from its zip directory and sheet dimension before anything is expanded.

An .xlsx is a zip file. A few megabytes can inflate to gigabytes (a 4.8 MB file of repeated cells is 1.24 GB
of XML), and the workbook reader (python-calamine) holds a whole sheet in memory: such a file ended in an
abort under a memory limit. So before the reader sees it, ``check_workbook`` reads

- the zip directory: how many members and their declared uncompressed sizes, summed;
- each worksheet's ``<dimension ref="A1:K2000001"/>`` (written by Excel and most exporters at the top of the
  sheet), which gives rows x columns without reading the rows;
- the members themselves, streamed through a decompressor with a byte counter, because a zip directory can
  lie about sizes. Memory stays one chunk; the time is that of decompressing once (about 1 s per 200 MB).

and refuses the file (``FileProblem``, exit 2, nothing written) above the limits: by default 200 MB
uncompressed and 20 million cells, set per import with ``--max-xlsx-mb`` and ``--max-cells``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from collectui.domain.importing.columns import FileProblem
from collectui.domain.said import said

DEFAULT_MAX_MB = 200
DEFAULT_MAX_CELLS = 20_000_000
MAX_MEMBERS = 10_000  # a workbook has dozens; thousands of entries is not a workbook
_CHUNK = 1 << 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


@dataclass(frozen=True)
class WorkbookLimits:
    max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024  # uncompressed, all members together
    max_cells: int = DEFAULT_MAX_CELLS  # rows x columns of any one sheet's dimension

    @classmethod
    def of(cls, max_mb: int | None = None, max_cells: int | None = None) -> WorkbookLimits:
        return cls(
            max_bytes=(max_mb if max_mb is not None else DEFAULT_MAX_MB) * 1024 * 1024,
            max_cells=max_cells if max_cells is not None else DEFAULT_MAX_CELLS,
        )


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"Z" -> 26, b"AA" -> 27, b"XFD" -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def sheet_cells(head: bytes) -> int | None:
    """Rows x columns of a worksheet's ``<dimension>`` found in its first bytes; None when it has none."""
    match = _DIMENSION.search(head)
    if match is None:
        return None
    c1, r1, c2, r2 = match.groups()
    if c2 is None:
        return 1
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(column_number(c2) - column_number(c1)) + 1
    return rows * cols


def unreadable_workbook(label: str, exc: BaseException) -> FileProblem:
    """The problem of a workbook its reader could not open or read, naming the reader's own error."""
    return FileProblem(
        said(
            "error.import.workbook_unreadable",
            f"{label}: cannot read the workbook ({type(exc).__name__}: {exc})",
            label=label,
            error=type(exc).__name__,
            exc=str(exc),
        )
    )


def _too_big(label: str, size: int, limits: WorkbookLimits) -> FileProblem:
    return FileProblem(
        said(
            "error.import.workbook_too_big",
            f"{label}: the workbook expands to more than {limits.max_bytes // (1024 * 1024):,} MB "
            f"({size // (1024 * 1024):,} MB or more); split it, save it as CSV, or raise --max-xlsx-mb",
            label=label,
            max_mb=format(limits.max_bytes // (1024 * 1024), ","),
            mb=format(size // (1024 * 1024), ","),
        )
    )


def check_workbook(path: Path, label: str, limits: WorkbookLimits) -> None:
    """Raise ``FileProblem`` when ``path`` would expand beyond ``limits`` (see the module docstring)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise FileProblem(
                    said(
                        "error.import.workbook_entries",
                        f"{label}: {len(members):,} entries in the workbook; not an Excel workbook",
                        label=label,
                        entries=format(len(members), ","),
                    )
                )
            declared = sum(m.file_size for m in members)
            if declared > limits.max_bytes:
                raise _too_big(label, declared, limits)
            total = 0
            for member in members:
                total = _measure(zf, member, label, limits, total)
    except zipfile.BadZipFile as exc:
        raise FileProblem(
            said(
                "error.import.workbook_invalid",
                f"{label}: cannot read the workbook (not a valid .xlsx: {exc})",
                label=label,
                exc=str(exc),
            )
        ) from None
    except (OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise unreadable_workbook(label, exc) from None


def _measure(zf: zipfile.ZipFile, member: zipfile.ZipInfo, label: str, limits: WorkbookLimits, total: int) -> int:
    """``total`` plus the real uncompressed size of ``member``; checks a worksheet's dimension on the way."""
    is_sheet = _SHEET.match(member.filename) is not None
    head = b""
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            total += len(chunk)
            if total > limits.max_bytes:
                raise _too_big(label, total, limits)
            if is_sheet and len(head) < 64 * 1024:
                head += chunk[: 64 * 1024 - len(head)]
                cells = sheet_cells(head)
                if cells is not None:
                    is_sheet = False  # found: the rest of this sheet only counts bytes
                    if cells > limits.max_cells:
                        raise FileProblem(
                            said(
                                "error.import.sheet_cells",
                                f"{label}: sheet {Path(member.filename).stem} spans {cells:,} cells, more than "
                                f"{limits.max_cells:,}; split it, save it as CSV, or raise --max-cells",
                                label=label,
                                sheet=Path(member.filename).stem,
                                cells=format(cells, ","),
                                max_cells=format(limits.max_cells, ","),
                            )
                        )
    return total
