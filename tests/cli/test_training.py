"""`collectui training certify|status`: recording a certification and seeing where someone stands."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.support.cli import add_staff, db_arg, sign_in
from tests.support.engines import rows

pytestmark = pytest.mark.usefixtures("cheap_hasher")

runner = CliRunner()
NOW = "2026-11-28T10:00:00+08:00"


def cli(*args):
    return runner.invoke(build_app(), list(args), env={"COLLECTUI_NOW": NOW})


@pytest.fixture
def bank(ctx):
    """Collectors amy and bob (North), a trainer tom; amy's certification removed: she stands for a newcomer."""
    add_staff(ctx, "amy", "collector", "North")
    add_staff(ctx, "bob", "collector", "North")
    add_staff(ctx, "tom", "trainer")
    with ctx.db.raw_write() as raw:
        raw.execute("DELETE FROM certification WHERE user_id = (SELECT id FROM staff_user WHERE username = 'amy')")
    ctx.db.dispose()
    return db_arg(ctx.db)


def test_a_trainer_certifies_a_collector(bank):
    sign_in(bank, "tom")
    result = cli("--db", bank, "training", "certify", "amy", "--reason", "trained at head office", "--on", "2026-03-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "amy: certified on 2026-03-15, until 2027-03-15 (expires that day)"
    assert rows(bank, "SELECT certified_on, source, reason FROM certification c JOIN staff_user u ON u.id = c.user_id "
                "WHERE u.username = 'amy'") == [("2026-03-15", "recorded", "trained at head office")]  # fmt: skip
    assert rows(bank, "SELECT actor, target_id FROM audit_event WHERE action = 'training.certify'") == [("tom", "amy")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--reason", "trained"), "error: --reason: give a reason of at least a few words"),
        (("--reason", "trained at head office", "--on", "2026-13-01"), "error: --on: '2026-13-01' is not a date"),
        (("--reason", "trained at head office", "--on", "2026-11-29"), "is in the future"),
    ],
)
def test_certify_refuses_a_bad_reason_or_day(bank, args, message):
    sign_in(bank, "tom")
    result = cli("--db", bank, "training", "certify", "amy", *args)
    assert result.exit_code in (1, 2) and message in result.stderr, result.output
    assert rows(bank, "SELECT count(*) FROM certification WHERE source = 'recorded' AND reason != "
                "'trained staff (test fixture)'") == [(0,)]  # fmt: skip


def test_nobody_certifies_themselves(bank):
    sign_in(bank, "tom")
    result = cli("--db", bank, "training", "certify", "tom", "--reason", "trained at head office")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "error: training.certify: nobody certifies themselves; ask another trainer or an admin"
    )
    assert rows(bank, "SELECT actor, target_id FROM audit_event WHERE action = 'access.denied'") == [
        ("tom", "training.certify")
    ]


def test_a_collector_may_not_certify(bank):
    sign_in(bank, "bob")
    result = cli("--db", bank, "training", "certify", "amy", "--reason", "trained at head office")
    assert result.exit_code == 1 and "a collector may not do this" in result.stderr


def test_status_of_a_newcomer(bank):
    sign_in(bank, "amy")
    result = cli("--db", bank, "training", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "amy (collector, North)"
    assert lines[1].startswith("certified: no: not certified to call borrowers")
    assert lines[2] == "quiz: not taken"
    assert lines[3].startswith("mandatory practice scenarios: 0 of ") and "missing: " in lines[4]
    assert "The first call after the reminder SMS" in lines[4]  # by title, in the run's language


def test_status_as_json_after_a_certification(bank):
    sign_in(bank, "tom")
    assert cli("--db", bank, "training", "certify", "amy", "--reason", "trained at head office").exit_code == 0
    result = cli("--db", bank, "training", "status", "amy", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["user"] == "amy" and data["certified"] is True and data["certified_until"] == "2027-11-28"
    assert data["latest"] == {
        "certified_on": "2026-11-28",
        "source": "recorded",
        "by": "tom",
        "reason": "trained at head office",
    }
    assert data["quiz_best"] is None and "first_call" in data["mandatory_missing"]


def test_a_collector_sees_only_themselves(bank):
    sign_in(bank, "bob")
    result = cli("--db", bank, "training", "status", "amy")
    assert result.exit_code == 1 and "training.report: a collector may not do this" in result.stderr
    assert cli("--db", bank, "training", "status", "bob").exit_code == 0


def test_check_passes_the_shipped_scenarios_and_names_a_bad_file(bank, tmp_path):
    sign_in(bank, "tom", NOW)
    shipped = cli("--db", bank, "training", "check")
    assert shipped.exit_code == 0, shipped.output
    assert "ok  first_call: 5 turns, mandatory; the gate allows" in shipped.stdout
    assert "ok  seventh_attempt: 0 turns, mandatory; the gate refuses (daily_attempts" in shipped.stdout
    from collectui.domain.training.scenario import PRACTICE_DIR

    # A file whose gate expectation is wrong, and one with a banned phrase in a right answer.
    wrong_gate = tmp_path / "first_call.toml"
    wrong_gate.write_text(
        (PRACTICE_DIR / "first_call.toml")
        .read_text(encoding="utf-8")
        .replace('expect = "allows"', 'expect = "refuses"'),
        encoding="utf-8",
    )
    banned = tmp_path / "stop_calling.toml"
    banned.write_text(
        (PRACTICE_DIR / "first_call.toml")
        .read_text(encoding="utf-8")
        .replace('id = "first_call"', 'id = "stop_calling"')
        .replace("祝您生意兴隆，再见。", "不然后果自负。"),
        encoding="utf-8",
    )
    result = cli("--db", bank, "training", "check", str(wrong_gate), str(banned))
    assert result.exit_code == 1
    assert "the gate allows, but the file expects it refuses" in result.stderr
    assert "turn close option 1: say.zh holds the banned phrase '后果自负'" in result.stderr
    assert "2 of 2 file(s) have problems" in result.stderr
