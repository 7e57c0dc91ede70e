"""A contact refusal reads in the person's language: the same refusal, Chinese and English."""

from __future__ import annotations

import pytest

from collectui.domain.errors import InvalidInput, NotFound
from collectui.domain.portfolio import contacts
from tests.domain.portfolio.test_contacts import bank  # noqa: F401  (the fixture)
from tests.support.cli import actor_of
from tests.support.said import in_both


def test_a_duplicate_number_is_refused_in_chinese_with_the_number_masked(bank):  # noqa: F811
    with pytest.raises(InvalidInput) as err:
        contacts.add_number(bank, actor_of(bank, "amy"), "C1", "139 0000 0001")
    assert str(err.value) == "phone: 139****0001 is already recorded for this borrower (contact K1)"
    assert in_both(err.value) == "phone：139****0001 已登记在该借款人名下（联系人 K1）"


def test_the_borrowers_own_number_and_a_bad_relation_read_in_chinese(bank):  # noqa: F811
    amy = actor_of(bank, "amy")
    with pytest.raises(InvalidInput) as own:
        contacts.add_number(bank, amy, "C1", "13812340001")
    assert in_both(own.value) == "phone：138****0001 已是借款人本人的号码"
    with pytest.raises(InvalidInput) as relation:
        contacts.add_contact(bank, amy, "C1", "钱七", "friend", "13700001111")
    assert in_both(relation.value) == "relation：应为 guarantor, spouse, relative, emergency, other 之一，收到 'friend'"


def test_an_unknown_customer_reads_in_chinese(bank):  # noqa: F811
    with pytest.raises(NotFound) as err:
        contacts.add_number(bank, actor_of(bank, "amy"), "C9", "13700001111")
    assert in_both(err.value) == "没有客户 'C9'"


def test_agreed_hours_that_are_no_window_read_in_chinese(bank):  # noqa: F811
    sue = actor_of(bank, "sue")
    with pytest.raises(InvalidInput) as err:
        contacts.set_consent_hours(bank, sue, "C1", "18:00-18:00", "客户电话中同意")
    assert str(err.value).endswith(": the start and the end are the same time")
    assert in_both(err.value) == (
        "hours：应为 约定联系时段，格式如 18:00-20:00（HH:MM-HH:MM；20:00-09:00 表示跨过午夜）：开始和结束是同一时间"
    )
    with pytest.raises(InvalidInput) as unchanged:
        contacts.set_consent_hours(bank, sue, "C1", None, "客户电话中同意")
    assert in_both(unchanged.value) == "hours：没有需要更改的：没有约定联系时段"
