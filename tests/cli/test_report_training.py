"""`collectui report training` end to end: each format, the options it refuses, an unknown trainee."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.reports.training import to_json, training_report
from tests.support.cli import actor_of, db_arg, sign_in
from tests.support.training_rows import seed_training

WHEN = "2026-11-28T10:00:00+08:00"


@pytest.fixture
def trained(ctx):
    seed_training(ctx)
    return ctx


def _cli(ctx, *args, user="tina"):
    sign_in(db_arg(ctx.db), user, WHEN)
    return CliRunner().invoke(build_app(), ["--db", db_arg(ctx.db), *args], env={"COLLECTUI_NOW": WHEN})


def test_json_is_the_domain_report(trained):
    r = _cli(trained, "report", "training", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data == to_json(training_report(trained, actor_of(trained, "tina")))
    assert [t["user"] for t in data["trainees"]] == ["amy", "ben"]
    assert data["trainees"][0]["certified_until"] == "2027-11-21"


def test_trainee_and_window_options(trained):
    r = _cli(trained, "report", "training", "--trainee", "amy", "--from", "2026-11-20", "--to", "2026-11-20",
             "--format", "json")  # fmt: skip
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["from"], data["to"]) == ("2026-11-20", "2026-11-20")
    [amy] = data["trainees"]
    assert amy["scenarios"] == [{"id": "first_call", "attempts": 1, "best": 90, "last": 90, "passed": True}]


def test_table_shows_a_row_per_trainee_and_scenario_and_the_mistakes(trained):
    r = _cli(trained, "report", "training")
    assert r.exit_code == 0, r.output
    assert "Training 2026-10-30 to 2026-11-28: scenarios" in r.stdout
    assert "Training 2026-10-30 to 2026-11-28: mistakes" in r.stdout
    for text in ("amy", "ben", "first_call", "relative_answers", "2027-11-21", "no_identification"):
        assert text in r.stdout


def test_csv_on_stdout_and_xlsx_in_a_private_file(trained, tmp_path):
    r = _cli(trained, "report", "training", "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = list(csv.reader(io.StringIO(r.stdout)))
    assert ["report", "training"] in lines
    header = lines.index(
        ["trainee", "certified until", "quiz best %", "scenario", "attempts", "best", "last", "passed"]
    )
    assert lines[header + 1] == ["amy", "2027-11-21", "87", "angry", "1", "85", "85", "yes"]
    assert lines[header + 2] == ["amy", "2027-11-21", "87", "first_call", "4", "90", "70", "yes"]
    assert lines[header + 3] == ["ben", "", "93", "relative_answers", "1", "100", "100", "yes"]
    mistakes = lines.index(["trainee", "kind", "mistake", "count"])
    assert lines[mistakes + 1] == ["amy", "quiz", "call_hours", "2"]

    out = tmp_path / "training.xlsx"
    r = _cli(trained, "report", "training", "--format", "xlsx", "--output", str(out))
    assert r.exit_code == 0, r.output
    assert "training report written to" in r.stdout
    assert out.stat().st_mode & 0o777 == 0o600
    wb = load_workbook(out)
    assert wb.sheetnames == ["summary", "scenarios", "mistakes"]
    rows = list(wb["scenarios"].iter_rows(values_only=True))
    assert rows[2] == ("amy", "2027-11-21", 87, "first_call", 4, 90, 70, "yes")


@pytest.mark.sqlite_only  # about the SQLite file: a PostgreSQL database has no file an output could replace
def test_the_database_file_is_never_an_output_file(trained):
    size = trained.db.path.stat().st_size
    r = _cli(trained, "report", "training", "--format", "json", "--output", str(trained.db.path), "--force")
    assert r.exit_code == 2 and "database" in r.stderr, r.output
    assert trained.db.path.stat().st_size >= size > 0
    assert trained.db.path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_unknown_trainee_and_options_of_other_reports_are_refused_clearly(trained):
    r = _cli(trained, "report", "training", "--trainee", "nobody")
    assert r.exit_code == 1 and "no staff account 'nobody'" in r.stderr and "Traceback" not in r.output
    r = _cli(trained, "report", "training", "--branch", "城关支行")
    assert r.exit_code == 2 and "--trainee, not --branch" in r.stderr
    r = _cli(trained, "report", "activity", "--trainee", "amy", user="sue")
    assert r.exit_code == 2 and "--trainee is an option of the training report only" in r.stderr


def test_supervisor_sees_own_branch_and_collector_is_refused(trained):
    r = _cli(trained, "report", "training", "--format", "json", user="sue")
    assert r.exit_code == 0, r.output
    assert [t["user"] for t in json.loads(r.stdout)["trainees"]] == ["amy"]
    r = _cli(trained, "report", "training", "--trainee", "ben", user="sue")
    assert r.exit_code == 1 and "acts for branch 城关支行 only" in r.stderr
    r = _cli(trained, "report", "training", user="amy")
    assert r.exit_code == 1 and "may not do this" in r.stderr


def test_a_window_without_results_says_so(trained):
    r = _cli(trained, "report", "training", "--from", "2026-01-01", "--to", "2026-01-31")
    assert r.exit_code == 0, r.output
    assert "no training results in this window" in r.stdout
    r = _cli(trained, "report", "training", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "json")
    assert json.loads(r.stdout) == {"from": "2026-01-01", "to": "2026-01-31", "trainees": []}
    r = _cli(trained, "report", "training", "--from", "2026-02-01", "--to", "2026-01-31")
    assert r.exit_code == 1 and "after --to" in r.stderr
