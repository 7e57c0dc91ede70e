"""Reminder templates: the check refuses threats, personal-data placeholders and over-long text."""

from __future__ import annotations

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.sms.templates import check_template, check_templates, limit_chars


def codes(report):
    return [p.code for p in report.problems]


def test_default_templates_pass_and_fit():
    for report in check_templates(Policy()):
        assert report.problems == ()
        assert report.longest_chars <= report.limit_chars == 140


def test_threat_phrase_refused_also_full_width_and_spaced():
    policy = Policy()
    assert codes(check_template(policy, "zh", "{masked_name}您好，再不还就让你坐牢")) == ["threat_phrase"]
    assert codes(check_template(policy, "en", "Pay now or go to ＪＡＩＬ")) == ["threat_phrase"]
    assert codes(check_template(policy, "zh", "我们会通知 你 单位")) == ["threat_phrase"]
    assert "坐牢" in check_template(policy, "zh", "坐牢").problems[0].message


def test_personal_data_placeholders_refused():
    policy = Policy()
    for name in ("phone", "name", "id_number"):
        report = check_template(policy, "zh", f"您好{{{name}}}，请还款")
        assert codes(report) == ["personal_placeholder"], name
        assert f"{{{name}}}" in report.problems[0].message


def test_unknown_and_formatted_placeholders_refused():
    policy = Policy()
    assert codes(check_template(policy, "en", "Hi {nickname}")) == ["unknown_placeholder"]
    assert codes(check_template(policy, "en", "Hi {bank!r}")) == ["bad_placeholder"]
    assert codes(check_template(policy, "en", "Hi {bank")) == ["bad_placeholder"]


def test_length_edge_uses_longest_realistic_values():
    policy = Policy()
    base = "{masked_name}{overdue_amount}{due_date}{bank}{hotline}"
    longest = check_template(policy, "zh", base).longest_chars
    room = limit_chars(policy) - longest
    assert check_template(policy, "zh", base + "字" * room).problems == ()
    report = check_template(policy, "zh", base + "字" * (room + 1))
    assert codes(report) == ["too_long"] and "141 characters" in report.problems[0].message
    # The limit follows the policy.
    short = policy_from_dict({"sms": {"max_segments": 1}})
    assert codes(check_template(short, "zh", base + "字" * room)) == ["too_long"]


def test_cli_exit_codes_and_named_problems(tmp_path):
    runner = CliRunner()
    db = tmp_path / "none.db"
    ok = runner.invoke(build_app(), ["--db", str(db), "sms", "templates", "check"])
    assert ok.exit_code == 0, ok.output
    assert "sms.templates.zh: ok" in ok.output and "sms.templates.en: ok" in ok.output
    assert "disputes.answer_sms.zh: ok" in ok.output and "disputes.answer_sms.en: ok" in ok.output
    bad = tmp_path / "policy.toml"
    bad.write_text('[sms.templates]\nzh = "{phone}您好，不还就坐牢"\n', encoding="utf-8")
    refused = runner.invoke(build_app(), ["--db", str(db), "--policy", str(bad), "sms", "templates", "check"])
    assert refused.exit_code == 1
    assert "[personal_placeholder]" in refused.output and "[threat_phrase]" in refused.output
    assert "sms.templates.en: ok" in refused.output
