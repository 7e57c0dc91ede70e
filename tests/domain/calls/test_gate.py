"""Each gate rule: allowed at the edge, refused just past it, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from collectui.domain.calls import gate
from collectui.domain.calls.record import check_call, start_call
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import policy_from_dict
from collectui.domain.staff.actor import token_actor
from collectui.storage.models import Complaint, Contact, Customer
from tests.support.calls import at, calls_policy, log, seed
from tests.support.cli import actor_of

# A dialler's token asking the gate (no person: role rules judge its role, a collector's).
DIALLER = token_actor("dialler", "collector", "东城支行", frozenset({"check"}))


@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()
    return ctx


def rules_of(result):
    return [r.rule for r in result.reasons]


def set_customer(ctx, **values):
    with ctx.db.write() as s:
        customer = s.get(Customer, "C1")
        for k, v in values.items():
            setattr(customer, k, v)
        s.add(customer)


@pytest.mark.parametrize(
    "hh,mm,allowed", [(7, 59, False), (8, 0, True), (21, 59, True), (22, 0, False), (23, 30, False), (0, 0, False)]
)
def test_call_window_edges(sctx, hh, mm, allowed):
    result = check_call(sctx, DIALLER, "C1", at=at(28, hh, mm))
    assert result.allowed is allowed
    assert rules_of(result) == ([] if allowed else ["call_window"])


def test_call_window_seconds_before_ten_still_allowed(sctx):
    assert check_call(sctx, DIALLER, "C1", at=at(28, 21, 59).replace(second=59)).allowed


def test_call_window_is_local_time_of_the_policy_zone(sctx):
    from datetime import datetime

    # 13:59 UTC is 21:59 in Shanghai; 14:00 UTC is 22:00.
    assert check_call(sctx, DIALLER, "C1", at=datetime(2026, 11, 28, 13, 59, tzinfo=UTC)).allowed
    assert not check_call(sctx, DIALLER, "C1", at=datetime(2026, 11, 28, 14, 0, tzinfo=UTC)).allowed


def test_consent_hours_replace_the_window(sctx):
    set_customer(sctx, consent_hours="19:00-23:00")
    assert check_call(sctx, DIALLER, "C1", at=at(28, 22, 30)).allowed
    assert not check_call(sctx, DIALLER, "C1", at=at(28, 23, 0)).allowed
    assert not check_call(sctx, DIALLER, "C1", at=at(28, 10, 0)).allowed
    set_customer(sctx, consent_hours="21:00-01:00")  # past midnight
    assert check_call(sctx, DIALLER, "C1", at=at(28, 0, 30)).allowed
    assert not check_call(sctx, DIALLER, "C1", at=at(28, 1, 0)).allowed


def test_policy_window_is_a_setting(sctx):
    sctx.policy = calls_policy({"call_window": {"end": "21:00"}})
    assert check_call(sctx, DIALLER, "C1", at=at(28, 20, 59)).allowed
    assert rules_of(check_call(sctx, DIALLER, "C1", at=at(28, 21, 0))) == ["call_window"]
    # Switching the window off relaxes a floor: no policy may (domain.policy_floors).
    with pytest.raises(InvalidInput, match=r"rules\.call_window\.enabled = false relaxes a floor"):
        calls_policy({"call_window": {"enabled": False}})


def test_sixth_unanswered_attempt_allowed_seventh_refused(sctx):
    for i in range(5):
        assert log(sctx, outcome=["no_answer", "busy", "unreachable"][i % 3], when=at(28, 9, i)).saved
    sixth = log(sctx, outcome="no_answer", when=at(28, 9, 10))
    assert sixth.saved
    seventh = log(sctx, outcome="no_answer", when=at(28, 9, 20))
    assert not seventh.saved and seventh.exit_code == 3
    assert rules_of(seventh) == ["daily_attempts"]
    # The next local day starts afresh; another number (the contact's) has its own count.
    assert check_call(sctx, DIALLER, "C1", at=at(29, 8, 0)).allowed
    assert "daily_attempts" not in rules_of(check_call(sctx, DIALLER, "C1", contact="K1", at=at(28, 10, 0)))


def test_connected_calls_do_not_count_as_unanswered_attempts(sctx):
    for i in range(6):
        assert log(sctx, outcome="third_party", when=at(28, 9, i)).saved
    assert check_call(sctx, DIALLER, "C1", at=at(28, 10)).allowed


def test_third_conversation_allowed_fourth_refused_all_staff_together(sctx):
    sctx.clock.current = at(28, 18)  # the calls below are logged after they happened
    assert log(sctx, "amy", "callback", at(28, 9)).saved
    assert log(sctx, "bob", "refuses", at(28, 10)).saved
    third = log(sctx, "sue", "hung_up", at(28, 11))
    assert third.saved
    fourth = log(sctx, "bob", "callback", at(28, 12))
    assert rules_of(fourth) == ["daily_conversations"] and fourth.exit_code == 3
    assert check_call(sctx, DIALLER, "C1", at=at(29, 8)).allowed


def test_third_party_calls_do_not_count_as_conversations(sctx):
    sctx.clock.current = at(28, 18)
    set_customer(sctx, phone_invalid=True)
    for i in range(4):
        assert log(sctx, outcome="third_party", contact="K1", when=at(28, 9 + i)).saved
    assert "daily_conversations" not in rules_of(check_call(sctx, DIALLER, "C1", at=at(28, 14)))


def test_do_not_call_borrower_and_contact(sctx):
    set_customer(sctx, do_not_call=True)
    assert rules_of(check_call(sctx, DIALLER, "C1")) == ["do_not_call"]
    assert "do_not_call" in rules_of(check_call(sctx, DIALLER, "C1", contact="K1"))
    set_customer(sctx, do_not_call=False, phone_invalid=True)
    with sctx.db.write() as s:
        contact = s.get(Contact, "K1")
        contact.refused_calls = True
        s.add(contact)
    assert rules_of(check_call(sctx, DIALLER, "C1", contact="K1")) == ["do_not_call"]
    assert rules_of(check_call(sctx, DIALLER, "C1")) == ["invalid_number"]


def test_dispute_and_complaint_holds(sctx):
    assert log(sctx, outcome="dispute", when=at(28, 9)).saved
    assert rules_of(check_call(sctx, DIALLER, "C1", at=at(29, 9))) == ["dispute_hold"]
    with sctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE dispute SET status = 'resolved'")
        s.add(
            Complaint(
                customer_id="C1",
                about="collection",
                text="too many calls",
                opened_at=at(28, 12),
                due_on=date(2026, 12, 13),
                hold_active=True,
            )
        )
    assert rules_of(check_call(sctx, DIALLER, "C1", at=at(29, 9))) == ["complaint_hold"]


def test_promise_pending_until_its_date_has_passed(sctx):
    assert log(sctx, outcome="promise_to_pay", when=at(28, 9), promise_amount="500", promise_date="2026-12-05").saved
    assert rules_of(check_call(sctx, DIALLER, "C1", at=at(5, 9, month=12))) == ["promise_pending"]
    assert check_call(sctx, DIALLER, "C1", at=at(6, 9, month=12)).allowed


def test_third_party_only_after_three_failed_attempts(sctx):
    assert rules_of(check_call(sctx, DIALLER, "C1", contact="K1")) == ["third_party_not_allowed"]
    log(sctx, outcome="no_answer", when=at(27, 9))
    log(sctx, outcome="busy", when=at(27, 10))
    assert rules_of(check_call(sctx, DIALLER, "C1", contact="K1")) == ["third_party_not_allowed"]
    log(sctx, outcome="unreachable", when=at(27, 11))
    assert check_call(sctx, DIALLER, "C1", contact="K1").allowed
    # A conversation with the borrower makes them reachable again.
    log(sctx, outcome="callback", when=at(28, 9))
    assert rules_of(check_call(sctx, DIALLER, "C1", contact="K1")) == ["third_party_not_allowed"]
    # Calls to the contact itself do not count as failed attempts on the borrower's number.
    set_customer(sctx, phone_invalid=True)
    assert check_call(sctx, DIALLER, "C1", contact="K1").allowed


def test_refused_attempts_count_toward_nothing(sctx):
    for i in range(8):
        result = log(sctx, outcome="no_answer", contact="K1", when=at(28, 9, i))
        assert rules_of(result) == ["third_party_not_allowed"]
    set_customer(sctx, phone_invalid=True)
    assert check_call(sctx, DIALLER, "C1", contact="K1", at=at(28, 10)).allowed


def test_vulnerable_borrower_supervisor_only(sctx):
    set_customer(sctx, vulnerable=True)
    assert rules_of(check_call(sctx, actor_of(sctx, "amy"), "C1")) == ["vulnerable_senior_only"]
    assert rules_of(check_call(sctx, DIALLER, "C1")) == [
        "vulnerable_senior_only"
    ]  # a machine: judged by its role, a collector
    assert check_call(sctx, actor_of(sctx, "sue"), "C1").allowed


def test_in_call_another_collector_started_recently(sctx):
    started = start_call(sctx, actor_of(sctx, "bob"), "C1")
    assert started.gate.allowed and started.phone == "13812340001"
    assert rules_of(check_call(sctx, actor_of(sctx, "amy"), "C1")) == ["in_call"]
    assert check_call(sctx, actor_of(sctx, "bob"), "C1").allowed  # one's own call is not "another collector"
    sctx.clock.advance(timedelta(minutes=14, seconds=59))
    assert rules_of(check_call(sctx, actor_of(sctx, "amy"), "C1")) == ["in_call"]
    sctx.clock.advance(timedelta(seconds=1))
    assert check_call(sctx, actor_of(sctx, "amy"), "C1").allowed


def test_cycle_interval_is_a_warning(sctx):
    log(sctx, outcome="callback", when=at(20, 9))
    result = check_call(sctx, DIALLER, "C1", at=at(26, 9))
    assert result.allowed and [w.rule for w in result.warnings] == ["cycle_interval"]
    assert not check_call(sctx, DIALLER, "C1", at=at(27, 9)).warnings  # 7 days later
    assert not check_call(sctx, DIALLER, "C1", at=at(21, 9)).warnings  # the next day continues the cycle
    sctx.clock.current = at(26, 12)
    assert log(sctx, outcome="no_answer", when=at(26, 9)).warnings[0].rule == "cycle_interval"
    assert not check_call(sctx, DIALLER, "C1", at=at(26, 11)).warnings  # warned once, at the cycle's first call


def test_rule_enabled_without_a_check_refuses(sctx, monkeypatch):
    monkeypatch.delitem(gate.RULES, "sms_notice", raising=False)
    sctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": True}}})
    assert rules_of(check_call(sctx, DIALLER, "C1")) == ["sms_notice"]


def test_registering_a_rule_is_one_line(sctx, monkeypatch):
    monkeypatch.setattr(gate, "RULES", dict(gate.RULES))
    gate.register("sms_notice", _always_refuse, "customer")
    sctx.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": True}}})
    assert [(r.rule, r.message) for r in check_call(sctx, DIALLER, "C1").reasons] == [("sms_notice", "no SMS sent")]


def _always_refuse(facts, cfg):
    return "no SMS sent"


def test_unknown_customer_or_contact(sctx):
    from collectui.domain.errors import NotFound

    with pytest.raises(NotFound):
        check_call(sctx, DIALLER, "NOPE")
    with sctx.db.write() as s:
        s.add(Customer(customer_id="C9", name="张三", id_number="x", phone="13800000009", branch_id=1))
        s.flush()
        s.add(Contact(contact_id="K9", customer_id="C9", name="赵六", relation="other", phone="13900000009"))
    with pytest.raises(NotFound, match="no contact"):
        check_call(sctx, DIALLER, "C1", contact="K9")  # another borrower's contact
