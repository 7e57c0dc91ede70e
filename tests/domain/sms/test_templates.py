"""Reminder templates: the check refuses threats, personal-data placeholders and over-long text."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.sms.templates import (
    check_template,
    check_templates,
    limit_chars,
    render,
    sample_warnings,
    values,
)


def codes(report):
    return [p.code for p in report.problems]


def test_default_templates_pass_and_fit():
    for report in check_templates(Policy()):
        assert report.problems == ()
        assert report.longest_chars <= report.limit_chars == 140


def test_default_templates_name_no_one_and_say_a_call_follows():
    """A masked name ("李*您好") reads oddly to the borrower it is sent to: the defaults name the bank, the amount,
    the due date, the official channels and the hotline, and say that the bank will call."""
    policy = Policy()
    vals = values(policy, "李秀英", 105_000, date(2026, 11, 8))
    zh = render(policy.text("sms.templates.zh"), vals)
    en = render(policy.text("sms.templates.en"), vals)
    for text in (zh, en):
        assert "李" not in text and "*" not in text
        assert "示例村镇银行" in text and "1,050.00" in text and "2026-11-08" in text and "0000-00000000" in text
    assert "官方渠道" in zh and "本行工作人员近日将致电您" in zh and "回复TD退订" in zh
    assert "official channels" in en and "we will call you" in en and "TD to opt out" in en
    for lang in ("zh", "en"):
        assert "{masked_name}" not in policy.text(f"sms.templates.{lang}")


def test_default_templates_leave_room_for_a_longer_bank_name():
    """The sample bank name is 6 characters; a real one such as 某某县农村商业银行 (9) still fits both."""
    real = policy_from_dict({"bank_name": "某某县农村商业银行", "hotline": "0871-12345678"})
    assert [r.problems for r in check_templates(real)] == [(), ()]


def test_check_warns_while_bank_and_hotline_are_the_samples():
    assert [w.split(" ")[0] for w in sample_warnings(Policy())] == ["bank_name", "hotline"]
    assert "示例村镇银行" in sample_warnings(Policy())[0] and "0000-00000000" in sample_warnings(Policy())[1]
    half = policy_from_dict({"bank_name": "某某县农村商业银行"})
    assert [w.split(" ")[0] for w in sample_warnings(half)] == ["hotline"]
    real = policy_from_dict({"bank_name": "某某县农村商业银行", "hotline": "0871-12345678"})
    assert sample_warnings(real) == []


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
    # The samples pass the check but are named on stderr until the bank sets its own.
    assert (
        ok.stderr.startswith("warning: bank_name is still the sample 示例村镇银行") and ok.stderr.count("warning:") == 2
    )
    assert "warning" not in ok.stdout
    mine = tmp_path / "bank.toml"
    mine.write_text('bank_name = "某某县农村商业银行"\nhotline = "0871-12345678"\n', encoding="utf-8")
    quiet = runner.invoke(build_app(), ["--db", str(db), "--policy", str(mine), "sms", "templates", "check"])
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.output
    bad = tmp_path / "policy.toml"
    bad.write_text('[sms.templates]\nzh = "{phone}您好，不还就坐牢"\n', encoding="utf-8")
    refused = runner.invoke(build_app(), ["--db", str(db), "--policy", str(bad), "sms", "templates", "check"])
    assert refused.exit_code == 1
    assert "[personal_placeholder]" in refused.output and "[threat_phrase]" in refused.output
    assert "sms.templates.en: ok" in refused.output
