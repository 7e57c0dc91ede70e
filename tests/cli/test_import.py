"""`collectui import`: exit codes 0/1/2, summary formats, messages without tracebacks, no bar off a terminal."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.support.cli import as_admin, db_arg
from tests.support.engines import opened
from tests.support.importing import CUSTOMERS_HEADER, SEEDS, one_customer_line, write
from tests.support.importing import fingerprint as fingerprint_of

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}


_SIGNED_IN: set[str] = set()


def run(db, *args, input=None):
    if str(db) not in _SIGNED_IN:  # once: signing in writes the session and its audit event
        as_admin(db)
        _SIGNED_IN.add(str(db))
    runner = CliRunner()
    return runner.invoke(build_app(), ["--db", str(db), *args], env=ENV, input=input)


def fingerprint(target) -> str:
    """The database's fingerprint (tests/support/importing.py), at a path or a URL."""
    with opened(target) as db:
        return fingerprint_of(db)


def users(db):
    for name, branch in (("wang.fang", "城关支行"), ("li.qiang", "新街支行")):
        r = run(
            db,
            "users",
            "add",
            name,
            "--role",
            "collector",
            "--branch",
            branch,
            "--password-stdin",
            input="password123\n",
        )
        assert r.exit_code == 0, r.output


def test_folder_import_exit_0_with_summary(tmp_path, db):
    db = db_arg(db)
    users(db)
    r = run(db, "import", str(SEEDS / "gb18030-zh"))
    assert r.exit_code == 0, r.output
    for word in ("customers", "schedule", "inserted", "unchanged", "rejected", "refreshed"):
        assert word in r.stdout
    assert "━" not in r.stderr and "%" not in r.stderr  # no progress bar when not a terminal
    again = run(db, "import", str(SEEDS / "xlsx"), "--format", "json")
    data = json.loads(again.stdout)
    assert again.exit_code == 0 and data["exit_code"] == 0
    assert all(k["unchanged"] == k["read"] for k in data["kinds"])


def test_kind_and_file(tmp_path, db):
    db = db_arg(db)
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())
    r = run(db, "import", "customers", str(path), "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["kinds"][0]["inserted"] == 1


def test_kind_guessed_from_file_name(tmp_path, db):
    db = db_arg(db)
    path = write(tmp_path / "customers_20261128.csv", CUSTOMERS_HEADER + one_customer_line())
    assert run(db, "import", str(path), "-q").exit_code == 0


def test_kind_guessed_from_a_chinese_file_name(tmp_path, db):
    db = db_arg(db)
    path = write(tmp_path / "客户信息_customers.csv", CUSTOMERS_HEADER + one_customer_line())
    r = run(db, "import", str(path), "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["kinds"][0]["kind"] == "customers"


def test_a_name_without_a_kind_names_the_kinds(tmp_path, db):
    path = write(tmp_path / "bank.csv", CUSTOMERS_HEADER + one_customer_line())
    r = run(db_arg(db), "import", str(path))
    assert r.exit_code == 2
    assert "cannot tell the kind from the name" in r.stderr and "还款计划" in r.stderr


def test_a_refused_import_never_says_inserted(tmp_path, db):
    """Rows were counted but nothing was written: the table says what would have been written, as such."""
    db = db_arg(db)
    text = CUSTOMERS_HEADER + one_customer_line("C1") + one_customer_line("C2", "110101199003070039")
    r = run(db, "import", "customers", str(write(tmp_path / "c.csv", text)))
    assert r.exit_code == 1
    assert "import refused: nothing written; what --skip-invalid would write" in r.stdout
    assert "would insert" in r.stdout and "inserted" not in r.stdout
    assert "new branches (would be created): 1" in r.stdout
    ok = run(db, "import", "customers", str(write(tmp_path / "ok.csv", CUSTOMERS_HEADER + one_customer_line("C1"))))
    assert ok.exit_code == 0 and "inserted" in ok.stdout and "would" not in ok.stdout
    assert "new branches: 1" in ok.stdout


def test_invalid_rows_exit_1_with_located_masked_errors_and_nothing_written(tmp_path, db):
    db = db_arg(db)
    run(db, "import", "customers", str(write(tmp_path / "ok.csv", CUSTOMERS_HEADER + one_customer_line("C0"))))
    before = fingerprint(db)
    bad = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line("C1", "110101199003070039"))
    r = run(db, "import", "customers", str(bad))
    assert r.exit_code == 1
    assert "c.csv:2: column id_number: value '1*************0039'" in r.stderr
    assert "110101199003070039" not in r.output
    assert "Traceback" not in r.output
    assert "nothing was written" in r.stdout
    assert fingerprint(db) == before


def test_skip_invalid_exit_1_and_rejects_path(tmp_path, db):
    db = db_arg(db)
    text = CUSTOMERS_HEADER + one_customer_line("C1") + one_customer_line("C2", "bad")
    rejects = tmp_path / "rej.csv"
    r = run(
        db, "import", "customers", str(write(tmp_path / "c.csv", text)), "--skip-invalid", "--rejects", str(rejects)
    )
    assert r.exit_code == 1
    assert rejects.exists() and str(rejects) in r.stdout


def test_dry_run_writes_nothing(tmp_path, db):
    db = db_arg(db)
    run(db, "import", "customers", str(write(tmp_path / "ok.csv", CUSTOMERS_HEADER)))
    before = fingerprint(db)
    r = run(
        db, "import", "customers", str(write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())), "--dry-run"
    )
    assert r.exit_code == 0 and "dry run" in r.stdout
    assert "would insert" in r.stdout and "inserted" not in r.stdout
    assert fingerprint(db) == before


def test_file_level_problems_exit_2(tmp_path, db):
    db = db_arg(db)
    empty = write(tmp_path / "c.csv", "")
    cases = [
        (["import", "customers", str(empty)], "empty file"),
        (["import", "borrowers", str(empty)], "unknown kind"),
        (
            ["import", "customers", str(write(tmp_path / "x.csv", "customer_id,name\nC1,x\n"))],
            "required column missing",
        ),
        (["import", "customers", str(write(tmp_path / "c.json", "{}"))], "unsupported format"),
        (["import", str(tmp_path / "nowhere")], "no such folder or file"),
        (
            [
                "import",
                "customers",
                str(write(tmp_path / "g.csv", CUSTOMERS_HEADER, "gb18030")),
                "--encoding",
                "latin-1",
            ],
            "--encoding",
        ),
    ]
    for args, fragment in cases:
        r = run(db, *args)
        assert r.exit_code == 2, (args, r.output)
        assert fragment in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.output


def test_header_only_exit_0(tmp_path, db):
    r = run(db_arg(db), "import", "customers", str(write(tmp_path / "c.csv", CUSTOMERS_HEADER)))
    assert r.exit_code == 0


def test_quiet_prints_no_summary(tmp_path, db):
    r = run(
        db_arg(db),
        "import",
        "customers",
        str(write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())),
        "--quiet",
    )
    assert r.exit_code == 0 and r.stdout == ""


def test_plugin_kind_reachable_from_a_bare_command_line(tmp_path, db):
    """`collectui import feedback FILE` in a fresh process, where only the import command's module loads."""
    import os
    import subprocess
    import sys

    path = write(tmp_path / "fb.csv", "customer_id,sentiment,channel,at\n")
    as_admin(db_arg(db))
    done = subprocess.run(
        [sys.executable, "-m", "collectui", "--db", db_arg(db), "import", "feedback", str(path), "--quiet"],
        env=dict(os.environ, **ENV),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


# --- the rejects file: never the database, its sidecars, a directory, or a foreign file without --force ------


def _bad_import(tmp_path, db):
    run(db, "import", "customers", str(write(tmp_path / "ok.csv", CUSTOMERS_HEADER + one_customer_line("C0"))))
    rows = one_customer_line("C1") + one_customer_line("C2", "110101199003070039")
    return write(tmp_path / "customers.csv", CUSTOMERS_HEADER + rows)


def _one_error_line(r):
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("error:")


@pytest.mark.sqlite_only  # a database file and its -wal/-shm sidecars
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_rejects_onto_the_database_or_its_sidecars_is_refused(tmp_path, suffix):
    db = tmp_path / "bank.db"
    src = _bad_import(tmp_path, db)
    before = fingerprint(db)
    r = run(db, "import", "customers", str(src), "--skip-invalid", "--rejects", f"{db}{suffix}", "--force")
    assert r.exit_code == 2, r.output
    assert _one_error_line(r) and "database" in r.stderr
    assert fingerprint(db) == before


def test_rejects_onto_a_directory_is_refused(tmp_path, db):
    db = db_arg(db)
    src = _bad_import(tmp_path, db)
    before = fingerprint(db)
    r = run(db, "import", "customers", str(src), "--skip-invalid", "--rejects", str(tmp_path))
    assert r.exit_code == 2 and _one_error_line(r), r.output
    assert fingerprint(db) == before


def test_rejects_onto_a_foreign_file_needs_force(tmp_path, db):
    db = db_arg(db)
    src = _bad_import(tmp_path, db)
    target = write(tmp_path / "notes.csv", "my own notes\n")
    before = fingerprint(db)
    r = run(db, "import", "customers", str(src), "--skip-invalid", "--rejects", str(target))
    assert r.exit_code == 2 and _one_error_line(r) and "--force" in r.stderr, r.output
    assert target.read_text() == "my own notes\n" and fingerprint(db) == before
    r = run(db, "import", "customers", str(src), "--skip-invalid", "--rejects", str(target), "--force")
    assert r.exit_code == 1, r.output  # rows were rejected; the valid one is written
    assert "_errors" in target.read_text(encoding="utf-8-sig")
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_earlier_rejects_file_is_replaced_without_force(tmp_path, db):
    db = db_arg(db)
    src = _bad_import(tmp_path, db)
    for _ in range(2):  # the default NAME.rejects.csv beside the input, written again by the second run
        r = run(db, "import", "customers", str(src), "--skip-invalid")
        assert r.exit_code == 1, r.output
    rejects = tmp_path / "customers.rejects.csv"
    assert rejects.stat().st_mode & 0o777 == 0o600
    assert rejects.read_text(encoding="utf-8-sig").count("\n") == 2  # header and the one rejected row


def test_a_workbook_over_the_limits_is_refused_in_one_line(tmp_path, db):
    from tests.domain.importing.test_bounds import bomb

    db = db_arg(db)
    run(db, "import", "customers", str(write(tmp_path / "ok.csv", CUSTOMERS_HEADER + one_customer_line("C0"))))
    path = bomb(tmp_path / "customers.xlsx", 3 * 1024 * 1024)
    r = run(db, "import", "customers", str(path), "--max-xlsx-mb", "1")
    assert r.exit_code == 2 and _one_error_line(r) and "--max-xlsx-mb" in r.stderr, r.output


def test_control_characters_in_a_file_never_reach_the_terminal(tmp_path, db):
    db = db_arg(db)
    line = one_customer_line("C\x1b[2J1", "110101199003070039").replace("张三", "张\x1b[2J三\u202e")
    header = CUSTOMERS_HEADER.rstrip("\n") + ",\x1b]0;owned\x07x\n"
    r = run(db, "import", "customers", str(write(tmp_path / "c.csv", header + line)))
    assert r.exit_code == 1
    assert "\x1b" not in r.output and "\u202e" not in r.output and "\x07" not in r.output
