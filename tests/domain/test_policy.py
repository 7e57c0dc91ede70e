"""`collectui policy show|check` and the [rules] section: defaults, validation, round trip."""

from __future__ import annotations

import tomllib

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy, load_policy, policy_from_dict

runner = CliRunner()

GATE_RULES = (
    "call_window",
    "daily_attempts",
    "daily_conversations",
    "do_not_call",
    "dispute_hold",
    "complaint_hold",
    "promise_pending",
    "third_party_not_allowed",
    "vulnerable_senior_only",
    "sms_notice",
    "in_call",
    "cycle_interval",
)


def test_defaults_and_their_figures():
    rules = Policy().data["rules"]
    assert all(rules[r]["enabled"] in (True, False) for r in GATE_RULES)
    assert (rules["call_window"]["start"], rules["call_window"]["end"]) == ("08:00", "22:00")
    assert rules["daily_attempts"]["max"] == 6 and rules["daily_conversations"]["max"] == 3
    assert rules["third_party_not_allowed"]["failed_attempts"] == 3
    assert rules["cycle_interval"]["days"] == 7
    for phrase in ("坐牢", "通知你单位", "爆通讯录", "转到我个人账户", "jail"):
        assert any(phrase in rules["note_scan"][c] for c in rules["note_scan"] if c != "enabled")


@pytest.mark.parametrize(
    "override,needle",
    [
        ({"call_window": {"start": "8:00"}}, "rules.call_window.start: expected a time HH:MM"),
        ({"call_window": {"end": "22:60"}}, "rules.call_window.end"),
        ({"call_window": {"start": "22:00"}}, "start 22:00 must be before end 22:00"),
        ({"call_window": {"start": "23:00", "end": "07:00"}}, "must be before end"),
        ({"daily_attempts": {"max": -1}}, "rules.daily_attempts.max: must not be negative"),
        ({"daily_conversations": {"max": "3"}}, "rules.daily_conversations.max: expected integer"),
        ({"third_party_not_allowed": {"failed_attempts": 0}}, "must be at least 1"),
        ({"vulnerable_senior_only": {"roles": ["boss"]}}, "unknown role 'boss'"),
        ({"in_call": {"minutes": -5}}, "rules.in_call.minutes"),
        ({"note_scan": {"threats": ["坐牢", "  "]}}, "every phrase must be non-empty"),
        ({"note_scan": {"threats": "坐牢"}}, "expected array"),
        ({"call_window": {"enabled": "yes"}}, "expected boolean"),
        ({"curfew": {"enabled": True}}, "rules.curfew: unknown key"),
    ],
)
def test_impossible_values_rejected(override, needle):
    with pytest.raises(InvalidInput) as info:
        policy_from_dict({"rules": override})
    assert needle in str(info.value)


def test_a_file_may_hold_only_the_keys_it_changes(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[rules.daily_attempts]\nmax = 4\n[rules.note_scan]\ninsults = ["混蛋"]\n', encoding="utf-8")
    policy = load_policy(path)
    assert policy["rules.daily_attempts.max"] == 4 and policy["rules.daily_attempts.enabled"] is True
    assert policy["rules.call_window.end"] == "22:00"
    assert policy["rules.note_scan.insults"] == ["混蛋"]


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
