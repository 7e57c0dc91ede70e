"""Unmasking is decided by the service: supervisors and admins with a reason; collectors refused; all audited."""

import pytest
from sqlmodel import select

from collectui.domain.errors import InvalidInput, NotFound, PermissionDenied
from collectui.domain.privacy import unmask as um
from collectui.domain.staff.actor import actor_for_user
from collectui.domain.staff.users import UserView
from collectui.storage.models import AuditEvent, Customer

COLLECTOR = actor_for_user(UserView(1, "zhang", "张催收", "collector", "城关支行", True, False))
SUPERVISOR = actor_for_user(UserView(3, "wang", "王主管", "supervisor", "城关支行", True, False))
ADMIN = actor_for_user(UserView(4, "root", "管理员", "admin", None, True, False))


def events(ctx, action):
    with ctx.db.read() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_collector_is_refused_by_the_service_and_the_refusal_is_audited(bank):
    with pytest.raises(PermissionDenied):
        um.unmask(bank, COLLECTOR, "C0001", "phone", "borrower asked to confirm the number")
    refused = events(bank, "access.denied")
    assert [(e.actor, e.target_id, e.details["why"]) for e in refused] == [("zhang", "unmask", "role")]
    assert events(bank, "profile.unmask") == []


def test_a_supervisor_unmasks_their_own_branch_only(bank):
    with pytest.raises(PermissionDenied, match="branch"):
        um.unmask(bank, SUPERVISOR, "C0031", "phone", "borrower asked to confirm the number")  # 河西支行
    [refused] = events(bank, "access.denied")
    assert (refused.actor, refused.details["why"], refused.details["branch"]) == ("wang", "branch", "河西支行")
    assert events(bank, "profile.unmask") == []
    assert um.unmask(bank, ADMIN, "C0031", "phone", "borrower asked to confirm the number").value


def test_supervisor_gets_the_clear_value_and_an_audit_event(bank):
    with bank.db.read() as s:
        clear = s.get(Customer, "C0001").phone
    got = um.unmask(bank, SUPERVISOR, "C0001", "phone", "借款人要求核对号码")
    assert got.value == clear and got.show_seconds == 30
    [event] = events(bank, "profile.unmask")
    assert (event.actor, event.target_type, event.target_id) == ("wang", "customer", "C0001")
    assert event.details["field"] == "phone" and event.details["reason"] == "借款人要求核对号码"
    assert clear not in str(event.details)  # the audit trail never holds the clear value


def test_admin_may_unmask_the_id_number_and_a_contact(bank):
    with bank.db.read() as s:
        clear = s.get(Customer, "C0001").id_number
    assert um.unmask(bank, ADMIN, "C0001", "id_number", "court order number 12 received").value == clear
    got = um.unmask(bank, ADMIN, "C0001", "contact_phone", "guarantor asked for a call back", contact_id="K0001")
    assert got.value == "13900001111"


@pytest.mark.parametrize("reason", ["", "   ", "check", "核对", "ok ok"])
def test_a_reason_of_a_few_words_is_required(bank, reason):
    with pytest.raises(InvalidInput, match="reason"):
        um.unmask(bank, SUPERVISOR, "C0001", "name", reason)
    assert events(bank, "profile.unmask") == []


def test_bad_field_and_unknown_customer(bank):
    with pytest.raises(InvalidInput, match="field"):
        um.unmask(bank, SUPERVISOR, "C0001", "password_hash", "looking at the account now")
    with pytest.raises(NotFound):
        um.unmask(bank, SUPERVISOR, "C9999", "name", "looking at the account now")
    with pytest.raises(NotFound):
        um.unmask(bank, SUPERVISOR, "C0001", "contact_name", "looking at the account now", contact_id="K0404")


def test_reason_rule():
    assert um.reason_problem("borrower disputes the amount") is None
    assert um.reason_problem("核对身份信息") is None
    assert um.reason_problem("a b") is not None
