"""Unmask refusals read in the person's language: an unknown borrower, a reason too short; English unchanged."""

from __future__ import annotations

import pytest

from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.privacy import unmask as um
from collectui.domain.staff.actor import actor_for_user
from collectui.domain.staff.users import UserView
from tests.support.said import in_both

ADMIN = actor_for_user(UserView(4, "root", "管理员", "admin", None, True, False))


def test_an_unknown_borrower_is_named_in_chinese(bank):
    with pytest.raises(NotFound) as caught:
        um.unmask(bank, ADMIN, "C9999", "phone", "borrower asked to confirm the number")
    assert str(caught.value) == "no customer 'C9999'"
    assert in_both(caught.value) == "没有客户 C9999"


def test_a_reason_too_short_says_how_long_in_chinese(bank):
    with pytest.raises(InvalidInput) as caught:
        um.unmask(bank, ADMIN, "C0001", "phone", "ok")
    assert in_both(caught.value) == f"请写明原因，至少几个词（{um.MIN_WORDS} 个英文单词或 {um.MIN_CJK} 个汉字）"
