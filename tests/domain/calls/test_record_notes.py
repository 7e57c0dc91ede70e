"""Call notes are stored like feedback texts: phone, ID and bank-card numbers masked, control characters out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from collectui.storage.models import AuditEvent, CallAttempt
from tests.support.calls import calls_policy, log, seed


@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()
    return ctx


def _stored_notes(ctx, call_id):
    with ctx.db.read() as s:
        return s.get(CallAttempt, call_id).notes


def test_numbers_in_call_notes_are_masked_before_storage(sctx):
    notes = "客户说 13912345678 可以联系, 身份证330102198001010012, 卡号 6222021234567890123 周一还款"
    result = log(sctx, outcome="callback", notes=notes)
    assert result.saved, result.problems
    stored = _stored_notes(sctx, result.call_id)
    for number in ("13912345678", "330102198001010012", "6222021234567890123"):
        assert number not in stored
    assert "客户说" in stored and "周一还款" in stored  # the words stay
    assert "139" in stored  # masked, not deleted: the first digits are kept by the masking rules
    with sctx.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "call.log")).all()
    assert events[-1].details["notes_masked_numbers"] == {"id_number": 1, "phone": 1, "account": 1}
    assert "13912345678" not in repr([e.details for e in events])


def test_control_characters_and_bidi_overrides_are_removed_from_notes(sctx):
    result = log(sctx, outcome="callback", notes="周一\x1b[2J还款\u202e\x07\r\n第二行")
    assert result.saved, result.problems
    assert _stored_notes(sctx, result.call_id) == "周一还款\n第二行"


def test_notes_without_numbers_are_stored_as_typed(sctx):
    result = log(sctx, outcome="callback", notes="  客户说周一还款  ")
    assert _stored_notes(sctx, result.call_id) == "客户说周一还款"


def test_empty_notes_after_cleaning_are_no_notes(sctx):
    result = log(sctx, outcome="callback", notes="\x1b[2J \u202e")
    assert _stored_notes(sctx, result.call_id) is None
