"""`collectui import` in Chinese: the summary headers and title, the nothing-written line, the kinds and the
common row problems read in the run's language; JSON and English are unchanged (tests/cli/test_import.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.support.cli import as_admin, db_arg
from tests.support.importing import CUSTOMERS_HEADER, one_customer_line, write

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
LOANS_HEADER = "loan_id,customer_id,product,principal,disbursed_on,maturity_date\n"
BAD_LOANS = (
    LOANS_HEADER + "L1,C1,农户贷,30,000.00元,2026-01-05,2027-01-05\n"
    "L2,C1,农户贷,100,2026-02-30,2027-01-05\nL3,C1,农户贷,200,2026-01-05,2027-01-05\n"
)


def run(db, *args):
    as_admin(db)
    return CliRunner().invoke(build_app(), ["--db", str(db), *args], env=ENV)


def _bank(tmp_path, database):
    """One customer imported into the test's database; its path or URL."""
    db = db_arg(database)
    r = run(db, "import", "customers", str(write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())))
    assert r.exit_code == 0, r.output
    return db


def test_a_refused_import_in_chinese(tmp_path, db):
    db = _bank(tmp_path, db)
    r = run(db, "--lang", "zh", "import", "loans", str(write(tmp_path / "l.csv", BAD_LOANS)))
    assert r.exit_code == 1
    out = r.output
    assert "导入被拒绝：未写入任何数据" in out and "拟新增" in out and "读取" in out and "贷款" in out
    assert "2 处错误：未写入任何数据" in out
    assert "该行有 7 个单元格，但表头只有 6 列" in out and "千分位逗号" in out
    assert "disbursed_on 列的值“2026-02-30”有误，应为真实存在的日期" in out
    for english in ("would insert", "nothing was written", "cells but the header", "expected", "error:"):
        assert english not in out, english


def test_english_and_json_unchanged(tmp_path, db):
    db = _bank(tmp_path, db)
    path = str(write(tmp_path / "l.csv", BAD_LOANS))
    r = run(db, "--lang", "en", "import", "loans", path)
    assert "would insert" in r.output and "2 error(s): nothing was written" in r.output
    assert "7 cells but the header has 6 columns — an unquoted comma" in r.output
    assert "column disbursed_on: value '2026-02-30' — expected a real calendar date" in r.output
    data = json.loads(run(db, "--lang", "zh", "import", "loans", path, "--format", "json").stdout)
    assert data["kinds"][0]["kind"] == "loans" and "inserted" in data["kinds"][0] and "problems" not in data
    assert "expected a real calendar date" in data["errors"][1]


def test_dry_run_title_and_usage_lines_in_chinese(tmp_path, db):
    db = _bank(tmp_path, db)
    good = write(tmp_path / "l.csv", LOANS_HEADER + "L3,C1,农户贷,200,2026-01-05,2027-01-05\n")
    r = run(db, "--lang", "zh", "import", "loans", str(good), "--dry-run")
    assert r.exit_code == 0 and "试运行" in r.output and "拟新增" in r.output, r.output
    r = run(db, "--lang", "zh", "import", "loans")
    assert r.exit_code == 2 and "请给出要导入的文件" in r.output
