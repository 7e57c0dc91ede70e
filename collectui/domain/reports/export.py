"""Writing reports as JSON, CSV and xlsx.

Spreadsheet safety: a text cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so no spreadsheet program reads it as a formula (a customer can type
"=HYPERLINK(...)" into a feedback text). Numbers are written as numbers and never escaped, negative ones
included, because their column kind says they are numbers. The xlsx writer never writes a formula: every
text cell is stored as a string cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from collectui.domain.reports.common import Column, Report, Section

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {"money": "#,##0.00", "rate": "0.00%", "points": "0.0", "int": "0"}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_TITLE_FONT = Font(bold=True, size=12)


def safe_text(value: str) -> str:
    """Prefix an apostrophe when a spreadsheet would take the text for a formula."""
    if value and value[0] in DANGEROUS_FIRST:
        return "'" + value
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


# What a CSV/xlsx cell holds.
CellValue = Decimal | float | int | str | None


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
    data = report.data
    rows: list[tuple[str, Any]] = [("report", report.name), ("from", data.get("from")), ("to", data.get("to"))]
    for key in ("branch", "collector", "source", "from_snapshot", "to_snapshot"):
        if data.get(key):
            rows.append((key, data[key]))
    for note in report.notes:
        rows.append(("note", note))
    return rows


def write_csv(report: Report, fh: IO[str]) -> None:
    """One CSV: the report's facts, then each section as a title line, a header line and its rows."""
    writer = csv.writer(fh, lineterminator="\n")
    for key, value in _meta_rows(report):
        writer.writerow([safe_text(key), safe_text(_text(value))])
    for section in report.sections:
        writer.writerow([])
        writer.writerow([safe_text(section.title)])
        writer.writerow([safe_text(c.header) for c in section.columns])
        for row in section.rows:
            writer.writerow(["" if (v := typed(row.get(c.key), c.kind)) is None else v for c in section.columns])


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


def write_xlsx(report: Report, path: Path) -> None:
    """A summary sheet (facts and notes) and one sheet per section, each with a frozen, formatted header."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    used: set[str] = set()
    ws.title = _sheet_title("summary", used)
    _header(ws, ["item", "value"])
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
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
