"""The gate rule sms_notice: the first call of a cycle needs a reminder sent T-max_age .. T-min_lead before it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collectui.domain.calls.record import check_call
from collectui.domain.policy import Policy, policy_from_dict
from collectui.storage.models import Customer, SmsOptOut
from tests.support.clock import TZ
from tests.support.sms import DIALLER, add_attempt, add_borrowers, add_message, add_user

T = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)


def refused(ctx, when=T):
    return [r.rule for r in check_call(ctx, DIALLER, "C001", at=when).reasons] == ["sms_notice"]


def allowed(ctx, when=T):
    return check_call(ctx, DIALLER, "C001", at=when).allowed


def notice_silent(ctx, when=T):
    """The reminder rule says nothing (other rules may refuse: an invalid number is not dialled at all)."""
    return "sms_notice" not in [r.rule for r in check_call(ctx, DIALLER, "C001", at=when).reasons]


@pytest.fixture
def one(ctx):
    add_borrowers(ctx, 1)
    return ctx


def test_on_by_default_and_refuses_without_a_reminder(one):
    assert Policy()["rules.sms_notice"] == {"enabled": True, "min_lead_hours": 1.0, "max_age_days": 3}
    result = check_call(one, DIALLER, "C001", at=T)
    assert [r.rule for r in result.reasons] == ["sms_notice"]
    assert "none was sent" in result.reasons[0].message


@pytest.mark.parametrize(
    "sent_at, ok",
    [
        (T - timedelta(hours=1), True),  # exactly min_lead_hours before
        (T - timedelta(hours=1) + timedelta(seconds=1), False),  # just too late
        (T - timedelta(days=3), True),  # exactly max_age_days before
        (T - timedelta(days=3, seconds=1), False),  # just too old
    ],
)
def test_sent_at_edges(one, sent_at, ok):
    add_message(one, "C001", "sent", sent_at.date(), sent_at)
    assert allowed(one) is ok
    if not ok:
        assert refused(one)


def test_delivered_counts_pending_and_failed_do_not(one):
    add_message(one, "C001", "pending", T.date())
    add_message(one, "C001", "failed", T.date(), T - timedelta(hours=5))
    assert refused(one)
    assert "not delivered" in check_call(one, DIALLER, "C001", at=T).reasons[0].message  # the latest: failed delivery
    add_message(one, "C001", "delivered", T.date(), T - timedelta(hours=5))
    assert allowed(one)


def test_too_recent_reminder_says_when_calls_may_start(one):
    add_message(one, "C001", "sent", T.date(), T - timedelta(minutes=20))
    message = check_call(one, DIALLER, "C001", at=T).reasons[0].message
    assert "09:40" in message and "2026-11-28 10:40" in message
    assert allowed(one, T + timedelta(minutes=40))


def test_only_the_first_attempt_of_a_cycle(one):
    user = add_user(one)
    add_attempt(one, "C001", T - timedelta(days=6), user)  # 6 calendar days ago: same cycle
    assert allowed(one)
    one.policy = policy_from_dict({"sms": {"cycle_gap_days": 6}})  # 6 days without a call: a new cycle
    assert refused(one)


def test_cycle_gap_edge_in_calendar_days(one):
    user = add_user(one)
    add_attempt(one, "C001", datetime(2026, 11, 21, 23, 59, tzinfo=TZ), user)  # 7 days before the 28th
    assert refused(one)
    add_attempt(one, "C001", datetime(2026, 11, 22, 0, 0, tzinfo=TZ), user)  # 6 days before
    assert allowed(one)


def test_refused_attempts_do_not_continue_a_cycle(one):
    user = add_user(one)
    add_attempt(one, "C001", T - timedelta(days=1), user, status="refused")
    assert refused(one)
    add_attempt(one, "C001", T - timedelta(hours=2), user, status="logged")
    assert allowed(one)


def test_not_applied_to_invalid_landline_or_opted_out(one):
    with one.db.write() as s:
        s.get(Customer, "C001").phone_invalid = True
    assert notice_silent(one)
    with one.db.write() as s:
        c = s.get(Customer, "C001")
        c.phone_invalid, c.phone = False, "057188000001"
    assert allowed(one)
    with one.db.write() as s:
        s.get(Customer, "C001").phone = "13800000001"
    assert refused(one)
    with one.db.write() as s:
        s.add(SmsOptOut(phone="13800000001", at=T, source="reply"))
    assert allowed(one)


def test_figures_and_switch_come_from_the_policy(one):
    add_message(one, "C001", "sent", T.date(), T - timedelta(hours=3))
    one.policy = policy_from_dict({"rules": {"sms_notice": {"min_lead_hours": 4}}})
    assert refused(one)
    one.policy = policy_from_dict({"rules": {"sms_notice": {"enabled": False}}})
    assert allowed(one)
