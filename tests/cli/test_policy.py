"""`collectui policy check|apply|show|history` and the root `--policy`: the policy lives in the database, in
versions; a file on the command line only for checks and for demo, practice and test databases."""

from __future__ import annotations

import json
import tomllib

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.policy import Policy, load_policy
from collectui.storage.locate import database_at
from tests.support.calls import seed
from tests.support.cli import add_staff, as_admin, db_arg, sign_in, token_env

runner = CliRunner()
NOW = "2026-11-28T10:00:00+08:00"
STRICTER = "[rules.daily_attempts]\nmax = 4\n[masking.mobile]\nfirst = 3\nlast = 2\n"


def cli(*args, env=None):
    return runner.invoke(build_app(), list(args), env={"COLLECTUI_NOW": NOW, **(env or {})})


@pytest.fixture
def bank(ctx, tmp_path):
    """A test database with an admin signed in, and a supervisor; the policy file to apply."""
    add_staff(ctx, "root", "admin")
    add_staff(ctx, "sue", "supervisor", "North")
    ctx.db.dispose()
    sign_in(db_arg(ctx.db), "root")
    path = tmp_path / "stricter.toml"
    path.write_text(STRICTER, encoding="utf-8")
    return db_arg(ctx.db), path


def test_show_without_a_database_is_the_defaults_and_round_trips(new_db_at, tmp_path):
    # No database yet: a file not there on SQLite, an empty database (no schema) on PostgreSQL.
    result = cli("--db", new_db_at("none.db"), "policy", "show")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# collectui policy: version 0: the built-in defaults")
    data = tomllib.loads(result.stdout)
    assert data["rules"]["call_window"]["end"] == "22:00"
    saved = tmp_path / "saved.toml"
    saved.write_text(result.stdout, encoding="utf-8")
    check = cli("policy", "check", str(saved))
    assert check.exit_code == 0 and "valid" in check.stdout
    assert load_policy(saved).data == Policy().data


def test_apply_stores_versions_that_commands_then_use(bank):
    db, path = bank
    first = cli("--db", str(db), "policy", "apply", str(path), "--reason", "stricter attempts after an audit")
    assert first.exit_code == 0, first.output
    assert "policy version 1 applied by root" in first.stdout
    shown = cli("--db", str(db), "policy", "show")
    assert shown.stdout.startswith("# collectui policy: version 1, applied 2026-11-28 10:00 by root")
    assert tomllib.loads(shown.stdout)["rules"]["daily_attempts"]["max"] == 4
    path.write_text("[rules.daily_attempts]\nmax = 5\n", encoding="utf-8")
    assert cli("--db", str(db), "policy", "apply", str(path), "--reason", "back to 5").exit_code == 0
    assert tomllib.loads(cli("--db", str(db), "policy", "show").stdout)["rules"]["daily_attempts"]["max"] == 5
    old = cli("--db", str(db), "policy", "show", "--version", "1")
    assert tomllib.loads(old.stdout)["masking"]["mobile"]["last"] == 2
    zero = cli("--db", str(db), "policy", "show", "--version", "0")
    assert tomllib.loads(zero.stdout)["rules"]["daily_attempts"]["max"] == 6
    missing = cli("--db", str(db), "policy", "show", "--version", "9")
    assert missing.exit_code == 1 and "no policy version 9" in missing.stderr

    history = json.loads(cli("--db", str(db), "policy", "history", "--format", "json").stdout)
    assert [(h["version"], h["applied_by"], h["reason"]) for h in history] == [
        (1, "root", "stricter attempts after an audit"),
        (2, "root", "back to 5"),
    ]
    assert all(len(h["sha256"]) == 64 for h in history)
    table = cli("--db", str(db), "policy", "history")
    assert "   1  2026-11-28 10:00  root" in table.stdout and "back to 5" in table.stdout


def test_apply_is_for_admins_and_needs_a_reason(bank):
    db, path = bank
    sign_in(db, "sue")
    refused = cli("--db", str(db), "policy", "apply", str(path), "--reason", "x")
    assert refused.exit_code != 0 and "policy.apply" in refused.stderr
    sign_in(db, "root")
    blank = cli("--db", str(db), "policy", "apply", str(path), "--reason", "  ")
    assert blank.exit_code == 1 and "--reason" in blank.stderr
    assert json.loads(cli("--db", str(db), "policy", "history", "--format", "json").stdout) == []


def test_a_relaxing_file_is_refused_naming_each_floor(bank, tmp_path):
    db, _ = bank
    loose = tmp_path / "loose.toml"
    loose.write_text(
        "[rules.daily_attempts]\nenabled = false\n[rules.note_scan]\nenabled = false\n"
        '[masking.mobile]\nfirst = 11\n[rules.call_window]\nend = "23:00"\n',
        encoding="utf-8",
    )
    for args in (("policy", "check", str(loose)), ("policy", "apply", str(loose), "--reason", "loosen")):
        result = cli("--db", str(db), *args)
        assert result.exit_code == 1, result.output
        assert f"{loose}: 4 problem(s)" in result.stderr
        for needle in (
            'rules.call_window.end = "23:00" relaxes a floor: not after 22:00 (',
            "rules.daily_attempts.enabled = false relaxes a floor: must stay true (CBA 2026",
            "rules.note_scan.enabled = false relaxes a floor: must stay true (",
            "masking.mobile.first = 11 relaxes a floor: at most 3 (",
        ):
            assert needle in result.stderr
    assert json.loads(cli("--db", str(db), "policy", "history", "--format", "json").stdout) == []


def test_check_names_every_problem_and_refuses_non_policies_in_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[rules.call_window]\nstart = "25:00"\n[rules.daily_attempts]\nmax = -1\nmystery = 1\n'
        '[rules.bogus]\nx = 1\n[rules.in_call]\nminutes = "5"\n[ranking]\ndpd_points_per_day = 1e308\n'
    )
    result = cli("policy", "check", str(path))
    assert result.exit_code == 1
    for needle in (
        "rules.call_window.start",
        "rules.daily_attempts.max: must not be negative",
        "rules.daily_attempts.mystery: unknown",
        "rules.bogus: unknown key",
        "rules.in_call.minutes: expected integer",
        "ranking.dpd_points_per_day: out of range",
    ):
        assert needle in result.stderr
    assert "6 problem(s)" in result.stderr

    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x00\x01\x02\xff" * 64)
    latin = tmp_path / "gbk.toml"
    latin.write_bytes('bank_name = "农商银行"\n'.encode("gbk"))
    nested = tmp_path / "nested.toml"
    nested.write_text("a = " + "[" * 10_000 + "]" * 10_000)
    for file, needle in (
        (broken, "not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7)"),
        (binary, "a binary file"),
        (latin, "not UTF-8 text"),
        (nested, "nested too deeply"),
        (tmp_path / "nope.toml", "no such file"),
    ):
        result = cli("policy", "check", str(file))
        assert result.exit_code == 1 and needle in result.stderr, result.output
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_missing_policy_file_is_an_error(ctx, tmp_path):
    ctx.db.dispose()
    result = cli("--db", db_arg(ctx.db), "--policy", str(tmp_path / "nonexistent.toml"), "policy", "show")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: --policy {tmp_path / 'nonexistent.toml'}: no such file"


@pytest.mark.sqlite_only  # about a file beside the SQLite file; a PostgreSQL database has no folder of its own
def test_a_policy_file_beside_the_database_is_ignored(ctx):
    ctx.db.dispose()
    (ctx.db.path.parent / "policy.toml").write_text('[rules.call_window]\nend = "21:00"\n')  # no longer read
    shown = cli("--db", str(ctx.db.path), "policy", "show")
    assert shown.exit_code == 0, shown.output
    assert tomllib.loads(shown.stdout)["rules"]["call_window"]["end"] == "22:00"


def test_policy_file_honoured_on_a_test_database(ctx, tmp_path):
    ctx.db.dispose()
    shown = cli("--db", db_arg(ctx.db), "policy", "show")
    assert tomllib.loads(shown.stdout)["rules"]["call_window"]["end"] == "22:00"
    file = tmp_path / "sandbox.toml"
    file.write_text('[rules.call_window]\nend = "20:00"\n')
    sandbox = cli("--db", db_arg(ctx.db), "--policy", str(file), "policy", "show")
    assert sandbox.exit_code == 0, sandbox.output
    assert sandbox.stdout.startswith(f"# collectui policy: --policy {file} (not stored")
    assert tomllib.loads(sandbox.stdout)["rules"]["call_window"]["end"] == "20:00"


def test_production_refuses_policy_files_except_to_check_them(new_db_at, tmp_path):
    path = new_db_at("bank.db")
    db = database_at(path)
    db.create_schema(kind="production")
    db.dispose()
    file = tmp_path / "p.toml"
    file.write_text(STRICTER)
    for args in (("policy", "show"), ("queue",), ("sms", "plan")):
        result = cli("--db", str(path), "--policy", str(file), *args)
        assert result.exit_code == 2, (args, result.output)
        assert "--policy: refused on a production database" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    env_set = runner.invoke(build_app(), ["--db", str(path), "policy", "show"], env={"COLLECTUI_POLICY": str(file)})
    assert env_set.exit_code == 2 and "refused on a production database" in env_set.stderr
    for args in (("policy", "check", str(file)), ("policy", "check")):
        checked = cli("--db", str(path), "--policy", str(file), *args)
        assert checked.exit_code == 0 and "valid" in checked.stdout, checked.output
    assert "version 0" in cli("--db", str(path), "policy", "show").stdout


def test_a_bad_policy_file_on_the_command_line_is_a_usage_error(ctx, tmp_path):
    ctx.db.dispose()
    loose = tmp_path / "loose.toml"
    loose.write_text("[rules.daily_attempts]\nenabled = false\n[masking.mobile]\nfirst = 11\n")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    for file, needle in ((loose, "rules.daily_attempts.enabled = false relaxes a floor"), (binary, "a binary file")):
        result = cli("--db", db_arg(ctx.db), "--policy", str(file), "policy", "show")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: --policy {file}: ") and needle in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_check_answers_with_the_version_in_force(ctx, tmp_path):
    seed(ctx)  # borrower C1 and staff amy, bob, sue
    ctx.db.dispose()
    as_admin(db_arg(ctx.db))
    path = tmp_path / "p.toml"
    path.write_text("[rules.sms_notice]\nenabled = false\n", encoding="utf-8")
    assert cli("--db", db_arg(ctx.db), "policy", "apply", str(path), "--reason", "no SMS rule").exit_code == 0
    env = token_env(db_arg(ctx.db), "dialler", "admin", scopes="check")
    answer = cli("--db", db_arg(ctx.db), "check", "C1", "--format", "json", env=env)
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.stdout)["policy"] == 1


def test_applying_the_policy_in_force_again_is_refused_and_hashes_match(bank):
    db, path = bank
    first = cli("--db", str(db), "policy", "apply", str(path), "--reason", "stricter")
    assert first.exit_code == 0, first.output
    again = cli("--db", str(db), "policy", "apply", str(path), "--reason", "again")
    assert again.exit_code == 1 and again.stderr == "error: this policy is already in force (version 1)\n"
    [row] = json.loads(cli("--db", str(db), "policy", "history", "--format", "json").stdout)
    assert f"(sha256 {row['sha256'][:12]})" in first.stdout
    table = cli("--db", str(db), "policy", "history").stdout.splitlines()
    assert table[0].split() == ["version", "applied", "applied", "by", "sha256", "reason"]
    assert table[1].split()[4] == row["sha256"][:12] and len(table) == 2
