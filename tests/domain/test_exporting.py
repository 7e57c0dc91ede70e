"""The one export writer: formula-safe cells, numbers kept, control characters out, private whole files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from collectui.domain.exporting import OutputRefused, open_csv, safe_cell, safe_text, save_workbook, write_rows


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("  =1+1", "'  =1+1"),
        ("\n@SUM(A1)", "'\n@SUM(A1)"),
        ("-2", "'-2"),  # text is escaped whatever it looks like
        ("+86 138", "'+86 138"),
        ("\x1b[2J=x", "'=x"),
        ("\t=x", "'=x"),
        ("名字\u202e", "名字"),
        ("态度=差", "态度=差"),
        (-2, -2),
        (1.5, 1.5),
        (Decimal("-12.50"), Decimal("-12.50")),
        (float("nan"), None),
        (True, "yes"),
        (None, None),
        (["=a", "b"], "'=a; b"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_text_is_idempotent():
    assert safe_text(safe_text("=x")) == "'=x"


def test_csv_to_a_stream(tmp_path):
    buf = io.StringIO()
    write_rows(None, ["name", "n"], [["=x", -1], ["ok", 2]], stdout=buf)
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == [["name", "n"], ["'=x", "-1"], ["ok", "2"]]


def test_csv_file_is_private_with_a_bom(tmp_path):
    target = tmp_path / "sub" / "out.csv"
    write_rows(target, ["a"], [["=1"]])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_text(encoding="utf-8-sig") == "a\n'=1\n"


def test_refusals(tmp_path):
    db = tmp_path / "bank.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    existing = tmp_path / "x.csv"
    existing.write_text("keep")
    for path, force in ((db, True), (tmp_path / "bank.db-wal", True), (tmp_path, True), (existing, False)):
        with pytest.raises(OutputRefused):
            write_rows(path, ["a"], [], protected=[db], force=force)
    assert existing.read_text() == "keep"
    write_rows(existing, ["a"], [], force=True)
    assert existing.read_text(encoding="utf-8-sig") == "a\n"


def test_a_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        with open_csv(target) as out:
            out.row(["a"])
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_workbook_saved_privately(tmp_path):
    wb = Workbook()
    wb.active["A1"] = safe_cell("=1+1")
    target = tmp_path / "r.xlsx"
    save_workbook(wb, target)
    assert target.stat().st_mode & 0o777 == 0o600
    assert load_workbook(target).active["A1"].value == "'=1+1"
