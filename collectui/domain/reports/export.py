"""Writing reports as JSON, CSV and xlsx, through the one export writer (``collectui.domain.exporting``).

Spreadsheet safety is the export writer's: formula-like text gets a leading apostrophe, control characters
are removed, and files are private, whole or absent, never the database and never an existing file without
``force``. Numbers are written as numbers and never escaped, negative ones included, because their column
kind says they are numbers. The xlsx writer never writes a formula: every text cell is a string cell.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from collectui.domain.exporting import DANGEROUS_FIRST, CellValue, CsvOut, as_text, safe_text, save_workbook
from collectui.domain.reports.common import Column, Report, Section
from collectui.storage.outfiles import private_output

__all__ = [
    "DANGEROUS_FIRST",
    "CellValue",
    "safe_text",
    "to_json",
    "typed",
    "write_csv",
    "write_csv_file",
    "write_json",
    "write_xlsx",
]

NUMBER_FORMATS = {"money": "#,##0.00", "rate": "0.00%", "points": "0.0", "int": "0"}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_TITLE_FONT = Font(bold=True, size=12)
_text = as_text


def typed(value: Any, kind: str) -> CellValue:
    """The value a CSV/xlsx cell holds: Decimal/int/float for numbers, escaped text otherwise, None blank."""
    if value is None or value == "":
        return None
    if kind == "money":
        return Decimal(str(value))
    if kind in ("rate", "points"):
        return float(value)
    if kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return safe_text(_text(value))


def to_json(report: Report) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2, default=str) + "\n"


def _meta_rows(report: Report) -> list[tuple[str, Any]]:
    if report.meta is not None:  # a localised copy's own facts (cli/report_words)
        return report.meta
    data = report.data
    rows: list[tuple[str, Any]] = [("report", report.name), ("from", data.get("from")), ("to", data.get("to"))]
    for key in ("branch", "collector", "source", "from_source", "to_source"):
        if data.get(key):
            rows.append((key, data[key]))
    for note in report.notes:
        rows.append(("note", note.text))
    return rows


def write_json(report: Report, path: Path, *, protected: Iterable[Path] = (), force: bool = False) -> None:
    with private_output(path, protected=protected, force=force, what="--output") as fh:
        fh.write(to_json(report))


def write_csv_file(report: Report, path: Path, *, protected: Iterable[Path] = (), force: bool = False) -> None:
    """``write_csv`` into a private file (UTF-8 with a BOM, so Excel reads it as UTF-8)."""
    with private_output(
        path, protected=protected, force=force, encoding="utf-8-sig", newline="", what="--output"
    ) as fh:
        write_csv(report, fh)


def write_csv(report: Report, fh: IO[str]) -> None:
    """One CSV: the report's facts, then each section as a title line, a header line and its rows.
    ``fh`` is standard output or a file from ``exporting.open_csv`` / ``private_output``."""
    writer = CsvOut(fh)
    for key, value in _meta_rows(report):
        writer.row([key, _text(value)])
    for section in report.sections:
        writer.row([])
        writer.row([section.title])
        writer.row([c.header for c in section.columns])
        for row in section.rows:
            writer.row([typed(row.get(c.key), c.kind) for c in section.columns])


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, n = clean, 2
    while title.lower() in used:
        suffix = f"_{n}"
        title = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _put(ws: Worksheet, row: int, col: int, value: CellValue, kind: str = "text") -> Cell:
    cell = ws.cell(row=row, column=col)
    assert isinstance(cell, Cell)  # not a MergedCell: these sheets merge no cells
    if value is None:
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _header(ws: Worksheet, columns: Iterable[str]) -> None:
    for i, name in enumerate(columns, start=1):
        cell = _put(ws, 1, i, safe_text(name))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet, columns: list[Column], rows: list[dict[str, Any]]) -> None:
    for i, col in enumerate(columns, start=1):
        longest = max([_display_len(col.header)] + [_display_len(_text(r.get(col.key))) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)


def _display_len(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _section_sheet(wb: Workbook, section: Section, used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title(section.name, used))
    _header(ws, [c.header for c in section.columns])
    for r, row in enumerate(section.rows, start=2):
        for c, col in enumerate(section.columns, start=1):
            _put(ws, r, c, typed(row.get(col.key), col.kind), col.kind)
    if section.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(section.columns))}{len(section.rows) + 1}"
    _widths(ws, section.columns, section.rows)


def write_xlsx(report: Report, path: Path, *, protected: Iterable[Path] = (), force: bool = False) -> None:
    """A summary sheet (facts and notes) and one sheet per section, each with a frozen, formatted header."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    used: set[str] = set()
    ws.title = _sheet_title(report.labels.get("summary", "summary"), used)
    _header(ws, [report.labels.get("item", "item"), report.labels.get("value", "value")])
    for r, (key, value) in enumerate(_meta_rows(report), start=2):
        _put(ws, r, 1, safe_text(key))
        _put(ws, r, 2, safe_text(_text(value)))
    r = len(_meta_rows(report)) + 3
    for section in report.sections:
        _put(ws, r, 1, safe_text(section.title)).font = _TITLE_FONT
        r += 1
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 60
    for section in report.sections:
        _section_sheet(wb, section, used)
    save_workbook(wb, path, protected=protected, force=force, what="--output")
