"""Every exporting command over a hostile dataset: every CSV and xlsx cell is spreadsheet-safe and clean.

The dataset is the TUI bank with text an older version could have stored verbatim: a branch named
``=cmd|' /C calc'!A0``, names carrying ``ESC[2J`` and U+202E, a display name starting with ``@``, complaint,
feedback, note and SMS texts starting with ``=``, ``+``, ``-``, a tab. Each command's CSV (standard output
or a file) and xlsx must hold no cell a spreadsheet would run as a formula (text starting, after blanks,
with = + - @ gets an apostrophe; numbers stay numbers) and no control character or bidi override; the table
outputs must not echo an escape sequence.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.reports import REPORTS
from tests.support.cli import sign_in
from tests.support.demo_bank import ADMIN, NOW, build_demo_at
from tests.support.engines import Built, execute, rows
from tests.support.importing import CUSTOMERS_HEADER, ID1, write

EVIL_BRANCH = "=cmd|' /C calc'!A0"
EVIL_NAME = "王\x1b[2J五\u202egnp.exe"
UNSAFE = {chr(c) for c in range(32) if chr(c) not in "\n"} | {"\x7f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}
UNSAFE |= {chr(c) for c in range(0x80, 0xA0)} | {"\u2066", "\u2067", "\u2068", "\u2069"}


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def assert_safe_cell(cell: object, where: str) -> None:
    if cell is None or isinstance(cell, (int, float)):
        return
    text = str(cell)
    bad = sorted(c for c in set(text) if c in UNSAFE)
    assert not bad, f"{where}: control characters {bad!r} in {text!r}"
    head = text.lstrip()
    if head and head[0] in "=+-@":
        assert _is_number(head), f"{where}: formula-like cell {text!r}"


def assert_safe_csv(text: str, where: str) -> int:
    cells = 0
    for n, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff")))):
        for cell in row:
            assert_safe_cell(cell, f"{where} row {n + 1}")
            cells += 1
    return cells


def assert_safe_xlsx(path, where: str) -> int:
    cells = 0
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where} {ws.title}!{cell.coordinate}: a formula"
                assert_safe_cell(cell.value, f"{where} {ws.title}!{cell.coordinate}")
                cells += 1
    return cells


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    built = Built(tmp_path_factory.mktemp("demo"), build_demo_at)
    yield built
    built.close()


@pytest.fixture
def hostile(demo_template, new_db_at, request):
    """A copy of the module's demo bank (on the test's engine) with the hostile texts written behind the app's back."""
    path = demo_template.copy(new_db_at("bank.db"), request)
    execute(
        path,
        ("UPDATE branch SET name = ? WHERE id = (SELECT MIN(id) FROM branch)", (EVIL_BRANCH,)),
        ("UPDATE customer SET name = ?, address = '+1 街道\x07'", (EVIL_NAME,)),
        "UPDATE contact SET name = '-2+3'",
        "UPDATE staff_user SET display_name = '@SUM(A1:A9)' || username",
        "UPDATE complaint SET text = '=HYPERLINK(\"http://x\",\"y\")', resolution = '\t=1+1'",
        "UPDATE feedback SET text = '  =2+2\x1b]0;title\x07'",
        "UPDATE call_attempt SET notes = '+86 139\u202e', recording_ref = '@rec'",
        "UPDATE sms_message SET text = '-1 =x', last_error = '=err'",
    )
    sign_in(path, ADMIN)
    return path


def _run(db, *args):
    result = CliRunner().invoke(build_app(), ["--db", str(db), *args], env={"COLLECTUI_NOW": NOW})
    assert "Traceback" not in result.output
    return result


def test_the_dataset_is_hostile(hostile):
    """Guard against a dataset that tests nothing: the raw values are in the database."""
    assert rows(hostile, "SELECT COUNT(*) FROM branch WHERE name = ?", (EVIL_BRANCH,)) == [(1,)]
    assert rows(hostile, "SELECT COUNT(*) FROM customer WHERE name = ?", (EVIL_NAME,))[0][0] > 0
    assert rows(hostile, "SELECT COUNT(*) FROM complaint")[0][0] > 0
    assert rows(hostile, "SELECT COUNT(*) FROM feedback")[0][0] > 0


STDOUT_CSV = [
    ("queue", "--all", "--limit", "0", "--format", "csv"),
    ("users", "list", "--format", "csv"),
    ("complaint", "list", "--format", "csv"),
    ("sms", "status", "--format", "csv"),
    ("call", "refusals", "--format", "csv"),
    ("sms", "plan", "--format", "csv"),
]


@pytest.mark.parametrize("args", STDOUT_CSV, ids=" ".join)
def test_csv_on_standard_output_is_safe(hostile, args):
    result = _run(hostile, *args)
    assert result.exit_code == 0, result.output
    assert assert_safe_csv(result.stdout, " ".join(args)) > 0


def test_the_queue_csv_carries_the_escaped_branch_and_the_cleaned_name(hostile):
    result = _run(hostile, "queue", "--all", "--limit", "0", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "'" + EVIL_BRANCH in {r["branch"] for r in rows}
    assert all("\x1b" not in r["name"] and "\u202e" not in r["name"] for r in rows)


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_report_file_is_safe(hostile, tmp_path, name, fmt):
    target = tmp_path / f"{name}.{fmt}"
    result = _run(hostile, "report", name, "--from", "2026-10-01", "--format", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    if fmt == "csv":
        cells = assert_safe_csv(target.read_text(encoding="utf-8-sig"), name)
    else:
        cells = assert_safe_xlsx(target, name)
    assert cells > 0


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_on_standard_output_is_safe(hostile, name):
    result = _run(hostile, "report", name, "--from", "2026-10-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_safe_csv(result.stdout, name)


@pytest.mark.parametrize(
    "args",
    [("queue", "--all", "--limit", "0"), ("users", "list"), ("complaint", "list"), ("sms", "status")]
    + [("report", name, "--from", "2026-10-01") for name in REPORTS],
    ids=" ".join,
)
def test_tables_echo_no_escape_sequence(hostile, args):
    result = _run(hostile, *args)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output


def test_the_rejects_file_is_safe(hostile, tmp_path):
    lines = [
        f"C9001,=cmd|' /C calc'!A0,{ID1},13812345678,+1 addr,@branch,0,0",
        "C9002,\x1b[2J名字\u202e,BADID,13812345678,-addr,城关支行,0,0",
        "=C9003,x,y,z,,,,",
    ]
    src = write(tmp_path / "customers.csv", CUSTOMERS_HEADER + "\n".join(lines) + "\n")
    rejects = tmp_path / "rejects.csv"
    result = _run(hostile, "import", "customers", str(src), "--skip-invalid", "--rejects", str(rejects))
    assert result.exit_code in (0, 1), result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert rejects.exists(), result.output
    assert rejects.stat().st_mode & 0o777 == 0o600
    assert assert_safe_csv(rejects.read_text(encoding="utf-8-sig"), "rejects") > 0
