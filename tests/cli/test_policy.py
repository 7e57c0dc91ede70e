"""`collectui policy show|check`: a valid file out, the policy file beside the database, every problem named."""

from __future__ import annotations

import tomllib

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.policy import Policy, load_policy

runner = CliRunner()


def test_policy_show_is_a_valid_policy_file(tmp_path):
    result = runner.invoke(build_app(), ["--db", str(tmp_path / "none.db"), "policy", "show"])
    assert result.exit_code == 0
    data = tomllib.loads(result.stdout)
    assert data["rules"]["call_window"]["end"] == "22:00"
    saved = tmp_path / "saved.toml"
    saved.write_text(result.stdout, encoding="utf-8")
    check = runner.invoke(build_app(), ["policy", "check", str(saved)])
    assert check.exit_code == 0 and "valid" in check.stdout
    assert load_policy(saved).data == Policy().data


def test_policy_show_reflects_the_policy_file(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[rules.call_window]\nend = "21:00"\n')
    result = runner.invoke(build_app(), ["--db", str(tmp_path / "x.db"), "policy", "show"])  # beside the database
    assert tomllib.loads(result.stdout)["rules"]["call_window"]["end"] == "21:00"


def test_policy_check_names_every_problem(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[rules.call_window]\nstart = "25:00"\n[rules.daily_attempts]\nmax = -1\nmystery = 1\n'
        '[rules.bogus]\nx = 1\n[rules.in_call]\nminutes = "5"\n'
    )
    result = runner.invoke(build_app(), ["policy", "check", str(path)])
    assert result.exit_code == 1
    for needle in (
        "rules.call_window.start",
        "rules.daily_attempts.max",
        "rules.daily_attempts.mystery: unknown",
        "rules.bogus: unknown key",
        "rules.in_call.minutes: expected integer",
    ):
        assert needle in result.stderr
    assert "5 problem(s)" in result.stderr


def test_policy_check_bad_toml_and_missing_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[rules\n")
    result = runner.invoke(build_app(), ["policy", "check", str(path)])
    assert result.exit_code == 1 and "not valid TOML" in result.stderr and "line 1" in result.stderr
    missing = runner.invoke(build_app(), ["policy", "check", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
