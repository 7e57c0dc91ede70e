"""`collectui sms` in Chinese: the lines, headings, reason and state words and the template check read in the
run's language; the SMS text is the template's and stays as it is; English is unchanged (tests/cli/test_sms)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from tests.support.cli import as_admin, db_arg
from tests.support.sms import add_borrowers

ENGLISH_WORDS = re.compile(r"\b(queued|skipped|accepted|pending|failed|delivered|opted out|Reminders for|row\(s\))\b")


@pytest.fixture
def bank(ctx, tmp_path):
    add_borrowers(ctx, 3, do_not_call=[0])
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[sms.file]\noutbox = "{(tmp_path / "outbox").as_posix()}"\n', encoding="utf-8")
    ctx.db.dispose()
    return tmp_path, db_arg(ctx.db), policy


def run(bank, *args, now="2026-11-28T08:30:00+08:00"):
    _, db, policy = bank
    as_admin(db, now)
    return CliRunner().invoke(
        build_app(), ["--db", str(db), "--lang", "zh", "--policy", str(policy), *args], env={"COLLECTUI_NOW": now}
    )


def test_a_day_of_reminders_in_chinese(bank):
    planned = run(bank, "sms", "plan")
    assert planned.exit_code == 0, planned.output
    assert "号码已遮蔽的预览" in planned.output and "已跳过 C001：勿扰" in planned.output
    assert "已排队 2 条；跳过 1 人（勿扰 1）" in planned.output
    assert "138****0002" in planned.output and "温馨提示" in planned.output  # the template's own text

    early = run(bank, "sms", "send", "--at", "2026-11-28T07:59", now="2026-11-28T07:59:00+08:00")
    assert early.exit_code == 1 and "不在发送时段" in early.output and "2026-11-28 08:00" in early.output
    sent = run(bank, "sms", "send", "--at", "2026-11-28T08:00", now="2026-11-28T08:00:00+08:00")
    assert sent.exit_code == 0 and "到期 2 条，已受理 2 条" in sent.output, sent.output

    status = run(bank, "sms", "status")
    assert "提醒短信（2）" in status.output and "已发送" in status.output and "短信编号" in status.output
    receipts = bank[0] / "receipts.csv"
    receipts.write_text("message_id,phone,event,text,at\n,13800000003,reply,TD,2026-11-28T08:05\n", encoding="utf-8")
    imported = run(bank, "sms", "receipts", str(receipts))
    assert "退订号码 1" in imported.output and "已退订：138****0003" in imported.output
    for result in (planned, early, sent, status, imported):
        assert not ENGLISH_WORDS.search(result.output.replace("sms_notice", "")), result.output


def test_template_check_in_chinese(bank):
    checked = run(bank, "sms", "templates", "check")
    assert "sms.templates.zh：通过" in checked.output, checked.output
    assert "警告：bank_name 仍是示例值 示例村镇银行" in checked.output
