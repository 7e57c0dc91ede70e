"""Exports re-opened and checked: CSV (csv module), xlsx (openpyxl), JSON; formula-injection cases; the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.reports import Column, Params, Report, Section, run
from collectui.domain.reports.export import safe_text, typed, write_csv, write_xlsx
from collectui.domain.said import said
from tests.support.cli import as_admin, db_arg
from tests.support.report_rows import Seed, local

NOW = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "x"),  # control characters are removed (domain/textsafe.py)
        ("\rx", "x"),
        ("  =1+1", "'  =1+1"),  # formula-like after leading blanks too
        ("\n@x", "'\n@x"),
        ("\x1b[2J=x", "'=x"),
        ("a\u202eb", "ab"),
        ("plain", "plain"),
        ("态度=差", "态度=差"),
        ("", ""),
        ("'=x", "'=x"),
    ],
)
def test_safe_text(text, expected):
    assert safe_text(text) == expected


def test_numbers_stay_numbers():
    assert typed("-12.50", "money") == Decimal("-12.50")
    assert typed(-0.25, "rate") == -0.25 and typed(-20.0, "points") == -20.0 and typed(-3, "int") == -3
    assert typed("-12.50", "text") == "'-12.50"
    assert typed(None, "money") is None


def _hostile_report() -> Report:
    cols = [
        Column("name", "=name", "text"),
        Column("amount", "amount", "money"),
        Column("rate", "rate", "rate"),
        Column("n", "n", "int"),
        Column("nps", "NPS", "points"),
    ]
    rows = [
        {"name": "=cmd|' /C calc'!A0", "amount": "-12.50", "rate": 0.3333, "n": -4, "nps": -20.0},
        {"name": "@x", "amount": "1234.56", "rate": None, "n": 0, "nps": None},
        {"name": "\t-1", "amount": "0.00", "rate": 1.0, "n": 7, "nps": 100.0},
    ]
    return Report(
        "test",
        {"from": "2026-11-01", "to": "2026-11-28"},
        [Section("s1", "+title", cols, rows)],
        [said("t.note", "-note")],
    )


def test_csv_escapes_text_not_numbers():
    buf = io.StringIO()
    write_csv(_hostile_report(), buf)
    lines = list(csv.reader(io.StringIO(buf.getvalue())))
    assert ["note", "'-note"] in lines
    assert ["'+title"] in lines
    header = lines.index(["'=name", "amount", "rate", "n", "NPS"])
    assert lines[header + 1] == ["'=cmd|' /C calc'!A0", "-12.50", "0.3333", "-4", "-20.0"]
    assert lines[header + 2] == ["'@x", "1234.56", "", "0", ""]
    assert lines[header + 3][0] == "'-1"  # the tab is removed, the minus still escaped
    for line in lines:
        for cell in line:
            assert not cell or cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not _is_number(cell))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_cells_headers_formats_no_formula(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(_hostile_report(), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["summary", "s1"]
    ws = wb["s1"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "'=name" and ws["A1"].font.b
    assert ws["A2"].value == "'=cmd|' /C calc'!A0" and ws["A2"].data_type == "s"
    assert ws["B2"].value == -12.5 and ws["B2"].data_type == "n" and ws["B2"].number_format == "#,##0.00"
    assert ws["C2"].value == 0.3333 and ws["C2"].number_format == "0.00%"
    assert ws["D2"].value == -4 and ws["E2"].value == -20.0 and ws["E2"].number_format == "0.0"
    assert ws["C3"].value is None
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert cell.value[0] not in "=+-@\t\r"


@pytest.fixture
def voice_db(ctx):
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.customer("C1", name="欧阳娜娜")
        seed.feedback(
            "C1",
            local(2026, 11, 24),
            "negative",
            1,
            0,
            ["attitude"],
            "li",
            text='=HYPERLINK("http://evil","点我") 13812345678',
        )
        seed.feedback("C1", local(2026, 11, 25), "positive", 5, 10, collector="li", text="-好评")
        seed.feedback("C1", local(2026, 11, 26), "negative", None, None, ["timing"], "li")  # no text: not listed
        seed.complaint("C1", local(2026, 11, 2), date(2026, 11, 17), hold=True, collector="li", text="+投诉")
    return ctx


def _cli(ctx, *args):
    as_admin(db_arg(ctx.db), NOW["COLLECTUI_NOW"])
    return CliRunner().invoke(build_app(), ["--db", db_arg(ctx.db), *args], env=NOW)


def test_voice_xlsx_and_csv_via_cli(voice_db, tmp_path):
    xlsx = tmp_path / "voice.xlsx"
    r = _cli(voice_db, "report", "voice", "--from", "2026-11-01", "--format", "xlsx", "--output", str(xlsx))
    assert r.exit_code == 0, r.output
    wb = load_workbook(xlsx)
    assert {
        "summary",
        "total",
        "by_category",
        "by_collector",
        "by_week",
        "open_complaints",
        "negative_feedback",
    } <= set(wb.sheetnames)
    neg = wb["negative_feedback"]
    assert neg.max_row == 2  # the header and the one negative feedback with a text
    headers = [c.value for c in neg[1]]
    text = neg.cell(row=2, column=headers.index("text") + 1).value
    assert text.startswith("'=HYPERLINK") and "138****5678" in text and "13812345678" not in text
    assert neg.cell(row=2, column=headers.index("name") + 1).value == "欧***"
    total = wb["total"]
    th = [c.value for c in total[1]]
    assert total.cell(row=2, column=th.index("CSAT") + 1).value == 0.5
    assert total.cell(row=2, column=th.index("NPS") + 1).value == 0.0
    opened = wb["open_complaints"]
    oh = [c.value for c in opened[1]]
    assert opened.cell(row=2, column=oh.index("text") + 1).value == "'+投诉"
    assert opened.cell(row=2, column=oh.index("overdue") + 1).value == "OVERDUE"

    out = tmp_path / "voice.csv"
    r = _cli(voice_db, "report", "voice", "--from", "2026-11-01", "--format", "csv", "--output", str(out))
    assert r.exit_code == 0, r.output
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    flat = [cell for line in lines for cell in line]
    assert "'+投诉" in flat and "'-好评" not in flat  # only negative texts are listed
    assert any(c.startswith("'=HYPERLINK") for c in flat)
    assert not any(c.startswith("=") for c in flat)


def test_json_shape_via_cli(voice_db):
    r = _cli(voice_db, "report", "voice", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["from"] == "2026-10-30" and data["to"] == "2026-11-28"  # default: 30 days up to today
    assert isinstance(data["by_collector"], list) and data["total"]["csat"] == 0.5
    assert data["total"]["complaints_overdue"] == 1


def test_cli_usage_errors(voice_db, tmp_path):
    assert _cli(voice_db, "report", "nosuch").exit_code == 2
    assert _cli(voice_db, "report", "voice", "--format", "xlsx").exit_code == 2
    assert _cli(voice_db, "report", "voice", "--to", "28/11/2026").exit_code == 2
    assert _cli(voice_db, "report", "voice", "--output", str(tmp_path / "x.txt")).exit_code == 2
    r = _cli(voice_db, "report", "voice", "--branch", "nowhere")
    assert r.exit_code == 1 and "no branch" in r.output
    r = _cli(voice_db, "report", "voice", "--from", "2026-12-01", "--to", "2026-11-01")
    assert r.exit_code == 1


def test_table_output_for_every_report(voice_db):
    for name in ("activity", "compliance", "voice", "migration"):
        r = _cli(voice_db, "report", name, "--to", "2026-11-28")
        assert r.exit_code == 0, (name, r.output)
    r = _cli(voice_db, "report", "migration")
    assert "there are no loans yet" in r.output  # a book without loans: nothing to migrate, said so


def test_report_service_matches_cli_json(voice_db):
    data = run(voice_db, "voice", Params(date_from=date(2026, 11, 1))).data
    r = _cli(voice_db, "report", "voice", "--from", "2026-11-01", "--format", "json")
    assert json.loads(r.stdout) == json.loads(json.dumps(data, default=str))
