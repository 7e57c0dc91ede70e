"""Reports in the run's language: Chinese headers, titles and notes in the table, CSV and xlsx; English exactly
as the domain writes it; JSON English in both (cli/report_words, tui/i18n/reports.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from collectui.cli import lang
from collectui.cli.app import build_app
from collectui.cli.report_words import localised, note_words
from collectui.clock import FixedClock
from collectui.domain import reports as reports_svc
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.reports import export, training
from collectui.domain.reports.common import Params, Report
from collectui.domain.staff.actor import Actor
from collectui.storage.locate import database_at
from tests.support.cli import actor_of, sign_in
from tests.support.clock import NOW as CLOCK_NOW
from tests.support.clock import TZ
from tests.support.demo_bank import ADMIN, NOW, build_demo_at
from tests.support.engines import Built

NAMES = ("portfolio", "activity", "compliance", "voice", "migration", "training")
CJK = re.compile(r"[\u3400-\u9fff]")
# Headers that are codes, the same in both languages: the buckets of the migration matrix.
CODE = re.compile(r"^M\d\+?$")


@pytest.fixture(scope="module")
def demo_banks(tmp_path_factory):
    built = Built(tmp_path_factory.mktemp("demo"), build_demo_at)
    yield built
    built.close()


@pytest.fixture
def bank(demo_banks, engine, new_db_at, request) -> str:
    """The module's demo bank on the test's engine (new_db_at: it puts the test in a --pg run too)."""
    return demo_banks.shared(engine, request)


def _cli(bank, *args):
    sign_in(bank, ADMIN)  # the sign-in lives in each test's own state directory
    result = CliRunner().invoke(build_app(), ["--db", str(bank), *args], env={"COLLECTUI_NOW": NOW})
    assert result.exit_code == 0, result.output
    return result.stdout


def _reports(bank) -> list[Report]:
    db = database_at(bank)
    try:
        c = Ctx(db=db, clock=FixedClock(CLOCK_NOW, TZ), policy=Policy())
        actor: Actor = actor_of(c, ADMIN)
        found = [reports_svc.run(c, n, Params()) for n in NAMES if n != "training"]
        found.append(reports_svc.run(c, "migration", Params(date(2026, 11, 20), date(2026, 11, 20))))  # notes
        found.append(training.as_report(training.training_report(c, actor)))
        return found
    finally:
        db.dispose()


@pytest.fixture
def in_lang():
    def use(code: str) -> None:
        lang.set_lang(code)

    yield use
    lang.set_lang(None)


def test_english_copy_is_the_domain_report(bank, in_lang):
    in_lang("en")
    for report in _reports(bank):
        copy = localised(report)
        assert [(s.title, s.columns, s.rows) for s in copy.sections] == [
            (s.title, s.columns, s.rows) for s in report.sections
        ], report.name
        plain, shown = io.StringIO(), io.StringIO()
        export.write_csv(report, plain)
        export.write_csv(copy, shown)
        assert shown.getvalue() == plain.getvalue(), report.name
        assert [note_words(n) for n in report.notes] == [n.text for n in report.notes]


def test_catalogue_english_of_notes_is_the_domains(bank, in_lang):
    """Each note's catalogue entry, filled with its values in English, is the domain's own wording."""
    in_lang("en")
    seen = 0
    for report in _reports(bank):
        for note in report.notes:
            values = dict(note.values)
            if "kind" in values:
                values["source"] = lang.t(f"rpt.source.{values.pop('kind')}", day=values["day"])
            assert lang.t(note.key, **values) == note.text
            seen += 1
    assert seen >= 2  # the one-day migration says its computed end and that nothing can move


def test_chinese_copy_has_no_english_header(bank, in_lang):
    in_lang("zh")
    for report in _reports(bank):
        copy = localised(report)
        assert copy.data is report.data
        for section in copy.sections:
            assert CJK.search(section.title), (report.name, section.title)
            for col in section.columns:
                assert CJK.search(col.header) or CODE.match(col.header), (report.name, section.name, col.header)
        for note in report.notes:
            assert CJK.search(note_words(note)), note.text


def _english_headers(bank) -> set[str]:
    lang.set_lang("en")
    try:
        return {
            c.header
            for r in _reports(bank)
            for s in r.sections
            for c in s.columns
            if not (CODE.match(c.header) or CJK.search(c.header))
        }
    finally:
        lang.set_lang(None)


@pytest.mark.parametrize("name", NAMES)
def test_cli_table_and_csv_in_chinese(bank, name):
    english = _english_headers(bank)
    table = _cli(bank, "--lang", "zh", "report", name)
    assert CJK.search(table)
    rows = list(csv.reader(io.StringIO(_cli(bank, "--lang", "zh", "report", name, "--format", "csv"))))
    header_rows = [rows[i + 2] for i, row in enumerate(rows[:-2]) if row == []]  # blank, title, header
    assert header_rows
    for header in header_rows:
        assert not english & set(header), (name, header)
        assert all(CJK.search(h) or CODE.match(h) for h in header), header
    assert all(CJK.search(row[0]) for row in rows[:3])  # 报表 / 起始日 / 截止日
    data = json.loads(_cli(bank, "--lang", "zh", "report", name, "--format", "json"))
    assert "from" in data and not any(CJK.search(k) for k in data)  # JSON keys stay English


def test_cli_english_table_headers(bank):
    table = _cli(bank, "--lang", "en", "report", "activity")
    assert "Activity " in table and "PTP rate" in table and "承诺" not in table
    rows = list(csv.reader(io.StringIO(_cli(bank, "--lang", "en", "report", "portfolio", "--format", "csv"))))
    assert rows[0] == ["report", "portfolio"] and ["item", "borrowers", "loans"] == rows[rows.index([]) + 2][:3]


def test_xlsx_in_chinese(bank, tmp_path):
    out = tmp_path / "p.xlsx"
    _cli(bank, "--lang", "zh", "report", "portfolio", "--format", "xlsx", "--output", str(out))
    wb = load_workbook(out)
    summary = wb.worksheets[0]
    assert summary.title == "摘要" and [summary["A1"].value, summary["B1"].value] == ["项目", "值"]
    assert summary["A2"].value == "报表" and summary["B2"].value == "资产组合"
    heads = [c.value for c in wb["by_bucket"][1]]
    assert heads[:4] == ["账龄", "借款人数", "贷款笔数", "未还余额"]
