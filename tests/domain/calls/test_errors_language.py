"""Call refusals read in the person's language: an unknown borrower, a late entry by a collector (the
permission's refusal inside the late-entry one, both in Chinese); their English is unchanged."""

from __future__ import annotations

import pytest

from collectui.domain.calls import late
from collectui.domain.calls.parties import load_borrower
from collectui.domain.errors import NotFound, PermissionDenied
from collectui.domain.staff.actor import Actor
from tests.support.said import in_both


def test_an_unknown_borrower_is_named_in_chinese(ctx):
    with ctx.db.raw_read() as raw, pytest.raises(NotFound) as caught:
        load_borrower(raw, "C9999")
    assert str(caught.value) == "no customer 'C9999'"
    assert in_both(caught.value) == "没有客户 C9999"


def test_a_collectors_late_entry_is_refused_in_chinese_with_the_permission_named(ctx):
    amy = Actor(name="amy", role="collector", branch="东城支行", user_id=1, via="session")
    with pytest.raises(PermissionDenied) as caught:
        late.authorize_late(ctx, amy)
    assert str(caught.value) == (
        "call.late_entry: a collector may not do this (a late entry is logged by a supervisor, with a reason)"
    )
    assert in_both(caught.value) == "催收员无权补录通话（补录通话须由主管操作，并写明原因）"
