"""SMS refusals read in the person's language: an --at too far ahead (with what the time is used for), a
receipts file without its columns, a template's problems; their English is unchanged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.sms import receipts, send
from collectui.domain.sms.templates import check_template, template_for
from collectui.tui.i18n import Translator
from tests.support.said import in_both


def test_an_at_too_far_ahead_is_refused_in_chinese(ctx):
    with pytest.raises(InvalidInput) as caught:
        send.checked_at(ctx, ctx.clock.now() + timedelta(hours=2), send.SEND_AT)
    assert "is in the future" in str(caught.value)
    zh = in_both(caught.value)
    assert zh.startswith("--at 2026-11-28 12:00 是将来的时间（现在 2026-11-28 10:00）：短信会记为在这个时间发送")


def test_a_receipts_file_without_its_columns_is_refused_in_chinese(ctx, tmp_path: Path):
    path = tmp_path / "receipts.csv"
    path.write_text("message_id,phone\n1,13800000000\n", encoding="utf-8")
    with ctx.db.raw_read() as raw, pytest.raises(InvalidInput) as caught:
        receipts.parse(ctx, path, raw)
    assert in_both(caught.value).startswith(f"{path} 第 1 行：缺少列 ")


def test_a_refused_template_names_its_problems_in_chinese():
    policy = Policy()
    policy.data["sms"]["templates"]["zh"] = "{phone} 您好，请致电 {nope}"
    report = check_template(policy, "zh", policy.text("sms.templates.zh"))
    zh = [Translator("zh").said(p.said) for p in report.problems if p.said]
    assert "{phone} 会把电话号码写进短信；请改用 {masked_name} 或去掉它" in zh
    assert any(z.startswith("未知的占位符 {nope}；可用：") for z in zh)
    assert [Translator("en").said(p.said) for p in report.problems if p.said] == [p.message for p in report.problems]
    with pytest.raises(InvalidInput) as caught:
        template_for(policy, "zh")
    assert in_both(caught.value).startswith("短信模板 sms.templates.zh 被拒绝：{phone} 会把电话号码写进短信")
