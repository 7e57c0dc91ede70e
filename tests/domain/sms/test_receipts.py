"""Receipts: delivered, failed, replies; TD / 退订 in any width or case opts the phone out; bad rows change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from collectui.domain.errors import InvalidInput
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import receipts as receipts_svc
from collectui.domain.sms.receipts import is_opt_out
from collectui.storage.models import AuditEvent, Customer, SmsMessage, SmsOptOut
from tests.support.sms import SUP, add_borrowers, add_message

HEADER = "message_id,phone,event,text,at\n"


def write(tmp_path, body, name="receipts.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding=encoding)
    return path


def msg(ctx, mid):
    with ctx.db.read() as s:
        return s.exec(select(SmsMessage).where(SmsMessage.message_id == mid)).one()


@pytest.fixture
def sent(ctx):
    add_borrowers(ctx, 3)
    day = ctx.clock.today()
    when = ctx.clock.now() - timedelta(hours=2)
    return ctx, [
        add_message(ctx, cid, "sent", day, when, message_id=f"M{i}") for i, cid in enumerate(["C001", "C002", "C003"])
    ]


@pytest.mark.parametrize(
    "text, yes",
    [
        ("TD", True),
        ("td", True),
        (" Td ", True),
        ("ＴＤ", True),
        ("ｔｄ", True),
        ("退订", True),
        (" 退订\u3000", True),
        ("T D", False),
        ("TD please", False),
        ("好的", False),
        ("", False),
    ],
)
def test_opt_out_words(text, yes):
    assert is_opt_out(text) is yes


def test_delivered_failed_and_replies(sent, tmp_path):
    ctx, ids = sent
    path = write(
        tmp_path,
        "M0,,delivered,,2026-11-28T09:01:00\n"
        "M1,13800000002,failed,,2026-11-28T09:02:00+08:00\n"
        ",13800000003,reply,ＴＤ,2026-11-28T09:03:00\n"
        "M0,,reply,好的谢谢,2026-11-28T09:04:00\n",
    )
    result = receipts_svc.import_receipts(ctx, SUP, path)
    assert (result.rows, result.delivered, result.failed, result.replies) == (4, 1, 1, 2)
    assert result.opted_out == ["138****0003"]
    assert msg(ctx, "M0").state == "delivered" and msg(ctx, "M0").delivered_at.hour == 1  # 09:01 +08:00 in UTC
    assert msg(ctx, "M1").state == "failed" and msg(ctx, "M1").last_error
    with ctx.db.read() as s:
        assert s.get(SmsOptOut, "13800000003") is not None and s.get(SmsOptOut, "13800000001") is None
        assert s.get(Customer, "C003").sms_opt_out is True
        blob = repr([(e.target_id, e.details) for e in s.exec(select(AuditEvent)).all()])
    assert "13800000003" not in blob  # audited masked
    # The same file again changes nothing.
    again = receipts_svc.import_receipts(ctx, SUP, path)
    assert again.delivered == again.failed == 0 and again.opted_out == [] and again.unchanged == 3


def test_reply_with_message_id_opts_out_and_cancels_pending(ctx, tmp_path):
    add_borrowers(ctx, 1)
    (pending,) = plan_svc.plan(ctx, SUP).queued
    add_message(
        ctx,
        "C001",
        "sent",
        ctx.clock.today() - timedelta(days=5),
        ctx.clock.now() - timedelta(days=5),
        message_id="OLD",
    )
    path = write(tmp_path, "OLD,,reply,退订,2026-11-28T09:00\n")
    assert receipts_svc.import_receipts(ctx, SUP, path).opted_out == ["138****0001"]
    assert msg(ctx, pending.message_id).state == "cancelled"


def test_delivery_receipt_for_a_message_whose_answer_was_lost(sent, tmp_path):
    ctx, _ = sent
    add_message(ctx, "C001", "pending", ctx.clock.today(), message_id="LOST")
    receipts_svc.import_receipts(ctx, SUP, write(tmp_path, "LOST,,delivered,,2026-11-28T09:30\n"))
    got = msg(ctx, "LOST")
    assert got.state == "delivered" and got.sent_at == got.delivered_at


def test_bad_rows_are_named_by_line_and_nothing_changes(sent, tmp_path):
    ctx, _ = sent
    path = write(
        tmp_path,
        "M0,,delivered,,2026-11-28T09:01\n"  # line 2: fine
        "NOPE,,delivered,,2026-11-28T09:01\n"  # 3: unknown message
        "M1,13800000009,delivered,,2026-11-28T09:01\n"  # 4: not that message's phone
        ",13800000003,read,,2026-11-28T09:01\n"  # 5: bad event
        ",1234,reply,TD,2026-11-28T09:01\n"  # 6: bad phone
        ",,delivered,,2026-11-28T09:01\n"  # 7: no message_id
        ",13800000003,reply,TD,yesterday\n"  # 8: bad time
        ",13800000003,reply,TD\n",
    )  # 9: wrong field count
    with pytest.raises(InvalidInput) as err:
        receipts_svc.import_receipts(ctx, SUP, path)
    text = str(err.value)
    for line, words in [
        (3, "no such message"),
        (4, "not the phone"),
        (5, "expected one of"),
        (6, "not a phone"),
        (7, "required"),
        (8, "ISO 8601"),
        (9, "fields"),
    ]:
        assert f"line {line}:" in text and words in text, (line, text)
    assert "line 2:" not in text and "13800000009" not in text  # phones masked in errors
    assert msg(ctx, "M0").state == "sent"  # the good row was not applied either
    with ctx.db.read() as s:
        assert s.exec(select(SmsOptOut)).all() == []


def test_missing_columns_and_gb18030(sent, tmp_path):
    ctx, _ = sent
    bad = tmp_path / "bad.csv"
    bad.write_text("message_id,event\nM0,delivered\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        receipts_svc.import_receipts(ctx, SUP, bad)
    gb = write(tmp_path, ",13800000002,reply,退订,2026-11-28T10:00\n", name="gb.csv", encoding="gb18030")
    assert receipts_svc.import_receipts(ctx, SUP, gb).opted_out == ["138****0002"]
