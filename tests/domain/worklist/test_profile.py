"""The profile service: masked identity, loans and schedule, history of every channel, flags, access."""

from datetime import date

import pytest

from collectui.domain.errors import NotFound, PermissionDenied
from collectui.domain.staff.actor import actor_for_user
from collectui.domain.staff.users import UserView
from collectui.domain.worklist.profile import customer_profile
from collectui.storage.models import CallAttempt, Customer
from tests.support.tui_bank import NOW, at

COLLECTOR = actor_for_user(UserView(1, "zhang", "张催收", "collector", "城关支行", True, False))
OTHER_BRANCH = actor_for_user(UserView(2, "liu", "刘催收", "collector", "河西支行", True, False))
SUPERVISOR = actor_for_user(UserView(3, "wang", "王主管", "supervisor", "城关支行", True, False))
ADMIN = actor_for_user(UserView(4, "root", "管理员", "admin", None, True, False))


@pytest.fixture(autouse=True)
def _no_reminder_rule(ctx):
    """The list's other rules are under test here; the reminder SMS rule (sms_notice) has its own tests."""
    from collectui.domain.policy import policy_from_dict

    ctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})


def test_identity_is_masked(bank):
    with bank.db.read() as s:
        c = s.get(Customer, "C0001")
    p = customer_profile(bank, COLLECTOR, "C0001")
    assert p.name == c.name[0] + "*" * (len(c.name) - 1)
    assert p.phone == c.phone[:3] + "****" + c.phone[-4:]
    assert p.id_number == c.id_number[0] + "*" * 13 + c.id_number[-4:]
    assert p.address == "湖北省武汉市江夏区****"
    flat = repr(p)
    for clear in (c.name, c.phone, c.id_number, c.address, "张大山", "13900001111"):
        assert clear not in flat


def test_loans_schedule_and_payments(bank):
    p = customer_profile(bank, COLLECTOR, "C0004")
    [loan] = p.loans
    assert loan.loan_id == "L000401" and len(loan.instalments) == 12
    # First due 2026-05-10; half a principal paid on 05-13 covers instalment 1 only partly.
    first = loan.instalments[0]
    assert first.due_date == date(2026, 5, 10) and first.status == "overdue" and 0 < first.paid_fen < first.due_fen
    assert loan.dpd == (NOW.date() - date(2026, 5, 10)).days
    assert loan.next_due_date == date(2026, 12, 10)
    assert [x.status for x in loan.instalments[7:]] == ["unpaid"] * 5
    assert [pay.amount_fen for pay in p.payments] == [first.paid_fen]
    assert p.overdue_fen == loan.overdue_fen > 0 and p.bucket == "M6+"


def test_history_has_calls_sms_feedback_and_complaints(bank):
    p = customer_profile(bank, COLLECTOR, "C0001")
    kinds = [(e.kind, e.status) for e in p.history]
    assert kinds == [
        ("feedback", "neutral"),
        ("call", "promise_to_pay"),
        ("call", "no_answer"),
        ("sms", "delivered"),
        ("complaint", "resolved"),
    ]
    assert [e.phone for e in p.history if e.kind == "call"] == ["139****0001"] * 2
    assert [(e.note, e.rating) for e in p.history if e.kind == "feedback"] == [("call", 4)]
    [promise] = p.promises
    assert (promise.amount_fen, promise.status) == (150000, "open")
    assert p.callable is False and p.blocked_reason == "promise_pending"
    assert p.reasons and p.reasons[0].text.startswith("DPD ")
    assert [(c.relation, c.name, c.phone) for c in p.contacts] == [("guarantor", "张**", "139****1111")]


def test_flags(bank):
    assert customer_profile(bank, COLLECTOR, "C0005").flags["do_not_call"] is True
    assert customer_profile(bank, COLLECTOR, "C0007").flags["vulnerable"] is True
    p9 = customer_profile(bank, COLLECTOR, "C0009")
    assert p9.flags["dispute"] is True and p9.blocked_reason == "dispute_hold"
    assert customer_profile(bank, COLLECTOR, "C0011").flags["complaint_hold"] is True
    assert not any(customer_profile(bank, COLLECTOR, "C0002").flags.values())


def test_third_party_rule_opens_after_three_failed_contacts(bank):
    assert customer_profile(bank, COLLECTOR, "C0002").third_party_allowed is False
    with bank.db.write() as s:
        for day in (25, 26, 27):
            s.add(
                CallAttempt(
                    customer_id="C0002",
                    phone="13900020002",
                    user_id=1,
                    status="logged",
                    started_at=at(date(2026, 11, day)),
                    outcome="no_answer",
                )
            )
    p = customer_profile(bank, COLLECTOR, "C0002")
    assert (p.third_party_allowed, p.third_party_why) == (True, "failed_contacts")


def test_access_is_limited_to_the_branch(bank):
    with pytest.raises(PermissionDenied):
        customer_profile(bank, OTHER_BRANCH, "C0001")
    with pytest.raises(PermissionDenied):  # a supervisor answers for their own branch only
        customer_profile(bank, SUPERVISOR, "C0031")
    assert customer_profile(bank, SUPERVISOR, "C0001").branch == "城关支行"
    assert customer_profile(bank, ADMIN, "C0031").branch == "河西支行"
    with pytest.raises(NotFound):
        customer_profile(bank, SUPERVISOR, "NOPE")
