"""Bounded inputs: workbooks judged before they are expanded, numbers by form and length, text cleaned and
limited, warnings capped. The 1.24 GB zip bomb runs in a subprocess under a 600 MB address-space limit."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from collectui.domain.importing import FileProblem, ImportOptions, import_file
from collectui.domain.importing.bounds import WorkbookLimits, check_workbook, column_number, sheet_cells
from collectui.domain.importing.columns import map_header
from collectui.domain.importing.kinds import CUSTOMERS
from collectui.domain.importing.service import MAX_COLUMN_WARNINGS, unknown_column_warnings
from collectui.domain.importing.values import (
    MAX_KEY,
    ValueProblem,
    parse_key,
    parse_money_fen,
    parse_rate_ppm,
    parse_text,
)
from collectui.storage.engine import Database
from tests.support.importing import CUSTOMERS_HEADER, fingerprint, one_customer_line, write

SHEET = "xl/worksheets/sheet1.xml"
_ROW = "".join(f'<c r="{col}{{n}}" t="inlineStr"><is><t>x</t></is></c>' for col in "ABCDEFGH")


def small_workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def bomb(path: Path, target_bytes: int, dimension: str | None = None) -> Path:
    """A real workbook whose first sheet is replaced by ``target_bytes`` of repeated rows (deflated ~250:1)."""
    base = small_workbook(path.with_suffix(".base.xlsx"), [["customer_id", "name"]])
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    head += "<sheetData>"
    chunk = "".join(f'<row r="1">{_ROW.format(n=1)}</row>' for _ in range(4096)).encode()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info))
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            fh.write(head.encode())
            written = 0
            while written < target_bytes:
                fh.write(chunk)
                written += len(chunk)
            fh.write(b"</sheetData></worksheet>")
    return path


# --- workbooks -------------------------------------------------------------------------------------------


def test_column_letters_and_dimensions():
    assert [column_number(c) for c in (b"A", b"Z", b"AA", b"XFD")] == [1, 26, 27, 16384]
    assert sheet_cells(b'<dimension ref="A1:H2000000"/>') == 16_000_000
    assert sheet_cells(b'<x:dimension ref="A1:XFD1048576"/>') == 16384 * 1048576
    assert sheet_cells(b'<dimension ref="A1"/>') == 1
    assert sheet_cells(b"<sheetData>") is None


def test_a_normal_workbook_passes(tmp_path):
    path = small_workbook(tmp_path / "c.xlsx", [["a", "b"], [1, 2]])
    check_workbook(path, "c.xlsx", WorkbookLimits())


def test_a_sheet_spanning_too_many_cells_is_refused_before_reading(tmp_path):
    path = bomb(tmp_path / "wide.xlsx", 64 * 1024, dimension="A1:XFD1048576")
    with pytest.raises(FileProblem, match=r"17,179,869,184 cells.*--max-cells"):
        check_workbook(path, "wide.xlsx", WorkbookLimits())
    check_workbook(path, "wide.xlsx", WorkbookLimits(max_cells=2**40))  # the limit is the option's


def test_an_expanding_workbook_is_refused_by_its_uncompressed_size(tmp_path):
    path = bomb(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    with pytest.raises(FileProblem, match=r"more than 2 MB.*--max-xlsx-mb"):
        check_workbook(path, "big.xlsx", WorkbookLimits(max_bytes=2 * 1024 * 1024))


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path, monkeypatch):
    """Members are read through a stream that stops at the declared size: what is beyond fails its CRC."""
    path = bomb(tmp_path / "liar.xlsx", 3 * 1024 * 1024)
    real = zipfile.ZipFile.infolist

    def lying(self):
        infos = real(self)
        for info in infos:
            info.file_size = 10  # the directory claims tiny members
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    with pytest.raises(FileProblem, match="liar.xlsx: cannot read the workbook"):
        check_workbook(path, "liar.xlsx", WorkbookLimits(max_bytes=2 * 1024 * 1024))


def test_not_a_zip_is_one_clear_problem(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FileProblem, match="fake.xlsx"):
        check_workbook(path, "fake.xlsx", WorkbookLimits())


def test_import_refuses_the_bomb_and_writes_nothing(ctx, tmp_path):
    path = bomb(tmp_path / "customers.xlsx", 3 * 1024 * 1024)
    before = fingerprint(ctx.db)
    opts = ImportOptions(limits=WorkbookLimits(max_bytes=1024 * 1024))
    with pytest.raises(FileProblem, match="expands to more than 1 MB"):
        import_file(ctx, "customers", path, opts)
    assert fingerprint(ctx.db) == before


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs RLIMIT_AS")
def test_the_1_24_gb_bomb_is_refused_under_a_600_mb_memory_limit(tmp_path):
    path = bomb(tmp_path / "customers.xlsx", 1_240_000_000)
    assert path.stat().st_size < 8 * 1024 * 1024  # a few megabytes on disk
    db = Database(tmp_path / "bank.db")
    db.create_schema()
    db.dispose()
    script = (
        "import resource, sys\n"
        "limit = 600 * 1024 * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from collectui.clock import FixedClock\n"
        "from collectui.domain.context import Ctx\n"
        "from collectui.domain.importing import FileProblem, import_file\n"
        "from collectui.domain.policy import Policy\n"
        "from collectui.storage.engine import Database\n"
        "from tests.support.clock import NOW, TZ\n"
        f"ctx = Ctx(db=Database({str(db.path)!r}), clock=FixedClock(NOW, TZ), policy=Policy())\n"
        "try:\n"
        f"    import_file(ctx, 'customers', {str(path)!r})\n"
        "except FileProblem as exc:\n"
        "    print(f'error: {exc}', file=sys.stderr)\n"
        "    sys.exit(exc.exit_code)\n"
    )
    started = time.monotonic()
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "expands to more than 200 MB" in lines[0], proc.stderr[-2000:]
    assert time.monotonic() - started < 120


# --- numbers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1E999999999", "1e308", "9" * 400, "1" * 14, "1e+308", "1.5E-99999999"])
def test_money_is_refused_by_form_and_length_before_conversion(text):
    started = time.monotonic()
    with pytest.raises(ValueProblem):
        parse_money_fen(text)
    assert time.monotonic() - started < 0.1


def test_an_excel_number_in_scientific_form_still_reads():
    assert parse_money_fen("1.2345E+5") == 12_345_000
    assert parse_money_fen(123450.0) == 12_345_000


@pytest.mark.parametrize("text", ["1E999999999", "9" * 400, "0." + "1" * 400])
def test_rates_are_refused_by_length(text):
    with pytest.raises(ValueProblem):
        parse_rate_ppm(text)


# --- text and identifiers ---------------------------------------------------------------------------------


def test_text_cells_are_cleaned_of_control_characters_and_bidi():
    assert parse_text("张\x1b[2J三\u202e", 60) == "张三"
    assert parse_text("a\tb\r\nc", 60) == "a\tb\nc"  # tabs and line breaks stay (an address may span lines)
    with pytest.raises(ValueProblem, match="empty"):
        parse_text("\x1b[2J\u202e", 60)


def test_text_cells_have_length_limits():
    assert parse_text("x" * 60, 60) == "x" * 60
    with pytest.raises(ValueProblem, match="at most 60"):
        parse_text("x" * 61, 60)
    with pytest.raises(ValueProblem, match="at most 60"):
        parse_text("x" * 1_000_000, 60)


def test_identifiers_refuse_control_characters_and_length():
    assert parse_key("C" * MAX_KEY) == "C" * MAX_KEY
    for bad in ("C" * (MAX_KEY + 1), "C1\x1b[2J", "C1\u202e", "C\x851"):
        with pytest.raises(ValueProblem):
            parse_key(bad)


def test_hostile_text_is_stored_clean(ctx, tmp_path):
    line = one_customer_line().replace("张三", "张\x1b[2J三\u202e", 1)
    assert "\x1b" in line
    path = write(tmp_path / "customers.csv", CUSTOMERS_HEADER + line)
    result = import_file(ctx, "customers", path)
    assert result.exit_code == 0, result.errors
    with ctx.db.raw_read() as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM customer")]
    assert names == ["张三"]


# --- warnings ---------------------------------------------------------------------------------------------


def test_100000_unknown_columns_give_capped_warnings_and_one_summary(ctx, tmp_path):
    header = CUSTOMERS_HEADER.rstrip("\n") + "," + ",".join(f"x{i}" for i in range(100_000)) + "\n"
    path = write(tmp_path / "customers.csv", header + one_customer_line())
    result = import_file(ctx, "customers", path)
    warnings = result.kinds[0].warnings
    assert len(warnings) == MAX_COLUMN_WARNINGS + 1
    assert warnings[-1].endswith(f"… and {100_000 - MAX_COLUMN_WARNINGS:,} more unknown columns ignored")


def test_column_labels_in_messages_are_clean_and_short():
    hmap = map_header(CUSTOMERS, [*CUSTOMERS_HEADER.strip().split(","), "\x1b[2J" + "y" * 500], "f.csv")
    (label,) = hmap.unknown
    assert "\x1b" not in label and len(label) <= 60
    assert unknown_column_warnings("f.csv", "customers", ["a"]) == [
        "f.csv: column 'a' is not a customers column; ignored"
    ]
