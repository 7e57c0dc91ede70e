"""`collectui scripts check|show`: the talk scripts in force, a bank's own file checked like the policy."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.conduct.scripts import SHIPPED_FILE, SITUATIONS
from tests.support.cli import add_staff, db_arg, sign_in

runner = CliRunner()
NOW = "2026-11-28T10:00:00+08:00"


def cli(*args):
    return runner.invoke(build_app(), list(args), env={"COLLECTUI_NOW": NOW})


@pytest.fixture
def bank(ctx):
    """A test database with a collector (amy, North) signed in and an admin (root)."""
    add_staff(ctx, "amy", "collector", "North")
    add_staff(ctx, "root", "admin")
    ctx.db.dispose()
    sign_in(db_arg(ctx.db), "amy")
    return db_arg(ctx.db)


def banned_copy(tmp_path):
    """The shipped file with 坐牢 put into the angry situation's second Chinese line."""
    text = SHIPPED_FILE.read_text(encoding="utf-8").replace("您慢慢说，", "您再这样就要坐牢，", 1)
    path = tmp_path / "bank_scripts.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_check_the_scripts_in_force(bank):
    result = cli("--db", bank, "scripts", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {len(SITUATIONS)} situations (version 2026.1")


def test_check_names_the_line_of_a_banned_phrase(bank, tmp_path):
    path, text = banned_copy(tmp_path)
    result = cli("--db", bank, "scripts", "check", str(path))
    assert result.exit_code == 1
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "坐牢" in row)
    assert result.stderr.startswith(f"{path}: 1 problem(s)")
    assert f"{path}:{line}: angry [zh] line 2: holds the banned phrase '坐牢' (threats)" in result.stderr


def test_check_names_every_problem_of_a_file_that_does_not_load(bank, tmp_path):
    text = SHIPPED_FILE.read_text(encoding="utf-8")
    text = text.replace("方便时拨打本行客服{hotline}", "方便时拨打{phone}").replace("[vulnerable]", "[gossip]")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("--db", bank, "scripts", "check", str(path))
    assert result.exit_code == 1
    assert "verify_identity [zh] line 4: unknown placeholder {phone}" in result.stderr
    assert "[gossip]: unknown situation" in result.stderr and "[vulnerable]: missing" in result.stderr
    assert result.stderr.startswith(f"{path}: 3 problem(s)")


def test_check_a_file_that_is_not_toml(bank, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('version = "1"\n[opening\n', encoding="utf-8")
    result = cli("--db", bank, "scripts", "check", str(path))
    assert result.exit_code == 1
    assert "not valid TOML" in result.stderr and "line 2" in result.stderr


def test_show_one_situation_in_one_language_with_the_bank_filled_in(bank):
    result = cli("--db", bank, "scripts", "show", "opening", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "## opening: 开场" in result.stdout
    assert "1. 您好，我是示例村镇银行的工作人员{collector}。" in result.stdout
    assert "温馨提示短信" in result.stdout  # the first-contact line, marked as such
    assert "Opening" not in result.stdout


def test_show_everything_and_refuse_an_unknown_situation(bank):
    everything = cli("--db", bank, "scripts", "show")
    assert everything.exit_code == 0
    assert all(f"## {sid}:" in everything.stdout for sid in SITUATIONS)
    assert "## closing: Closing" in everything.stdout and "## closing: 结束通话" in everything.stdout
    unknown = cli("--db", bank, "scripts", "show", "gossip")
    assert unknown.exit_code == 2 and "unknown situation 'gossip'" in unknown.stderr


def test_policy_apply_refuses_a_bank_file_with_a_banned_phrase(bank, tmp_path):
    path, _ = banned_copy(tmp_path)
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[scripts]\nfile = "{path}"\n', encoding="utf-8")
    sign_in(bank, "root")
    refused = cli("--db", bank, "policy", "apply", str(policy), "--reason", "our own scripts")
    assert refused.exit_code == 1
    assert "scripts.file" in refused.stderr and "angry [zh] line 2" in refused.stderr and "坐牢" in refused.stderr
    path.write_text(SHIPPED_FILE.read_text(encoding="utf-8").replace("示例", "样板", 1), encoding="utf-8")
    applied = cli("--db", bank, "policy", "apply", str(policy), "--reason", "our own scripts")
    assert applied.exit_code == 0, applied.output
    sign_in(bank, "amy")
    assert str(path) in cli("--db", bank, "scripts", "check").stdout
    # Changed after it was applied: the scripts are refused where they are used, naming the line.
    path.write_text(banned_copy(tmp_path)[1], encoding="utf-8")
    shown = cli("--db", bank, "scripts", "show", "angry")
    assert shown.exit_code == 1 and "refused, it holds a banned phrase" in shown.stderr and "坐牢" in shown.stderr
    checked = cli("--db", bank, "scripts", "check")
    assert checked.exit_code == 1 and "angry [zh] line 2: holds the banned phrase '坐牢'" in checked.stderr
    # The stored policy stays readable (the file may be on another PC's path): the rest of the work goes on.
    assert cli("--db", bank, "whoami").exit_code == 0
    path.unlink()
    gone = cli("--db", bank, "scripts", "show")
    assert gone.exit_code == 1 and "no such file" in gone.stderr
