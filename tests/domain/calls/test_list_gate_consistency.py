"""One truth for "callable": the work list's verdict is the gate's, rule by rule, as of the same moment.

The list calls a borrower callable exactly when the gate, asked for some number of hers by a collector
who may call her (right role, nobody else on the line, inside the window), raises no customer-level rule
and the number is neither invalid nor used up today.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectui.domain.calls import gate
from collectui.domain.calls.record import cancel_call, check_call, start_call
from collectui.domain.calls.targets import call_targets
from collectui.domain.policy import policy_from_dict
from collectui.domain.portfolio import availability, refresh
from collectui.storage.models import Complaint, Promise, SmsMessage, WorkItem
from tests.support.calls import at, log, seed, set_customer
from tests.support.cli import actor_of

NOW = at(28, 10)


@pytest.fixture
def lctx(ctx):
    seed(ctx)
    ctx.clock.current = NOW
    return ctx


def _sent_reminder(ctx, hours_ago: float) -> None:
    sent = ctx.clock.now() - timedelta(hours=hours_ago)
    with ctx.db.write() as s:
        s.add(
            SmsMessage(
                message_id=f"R-{hours_ago}",
                customer_id="C1",
                phone="13812340001",
                text="reminder",
                state="sent",
                planned_for=sent.date(),
                created_at=sent,
                sent_at=sent,
                attempts=1,
            )
        )


# What the list judges: the mirrored rules, and whether a third party may be called at all (a contact is
# one of "her numbers" only when the gate would let a collector reach for it).
JUDGED = set(availability.MIRRORS) | {"third_party_not_allowed"}


def gate_callable(ctx) -> bool:
    """Some number of hers the gate allows, counting only what the list judges (not the caller or the hour)."""
    supervisor = actor_of(ctx, "sue")  # may call the vulnerable too: the caller's rules are not the list's
    for target in call_targets(ctx, "C1").targets:
        rules = {r.rule for r in check_call(ctx, supervisor, "C1", target.value).reasons}
        if not rules & JUDGED:
            return True
    return False


def list_item(ctx) -> WorkItem:
    refresh.refresh(ctx, ["C1"])
    with ctx.db.read() as s:
        item = s.get(WorkItem, "C1")
        assert item is not None
        s.expunge(item)
        return item


def test_every_customer_level_rule_has_a_list_mirror():
    customer_rules = {r.id for r in gate.RULES.values() if r.level == "customer" and not r.warning}
    assert customer_rules - set(availability.MIRRORS) == set()
    assert set(availability.MIRRORS) - set(gate.RULES) == set()  # a mirror of a rule the gate does not have


def test_a_rule_without_a_mirror_is_caught(monkeypatch):
    monkeypatch.setattr(gate, "RULES", dict(gate.RULES))
    gate.register("new_customer_rule", lambda facts, cfg: None, "customer")
    customer_rules = {r.id for r in gate.RULES.values() if r.level == "customer" and not r.warning}
    assert customer_rules - set(availability.MIRRORS) == {"new_customer_rule"}


def _no_reminder(ctx):
    pass


def _reminder_too_new(ctx):
    _sent_reminder(ctx, 0.5)


def _reminder_ok(ctx):
    _sent_reminder(ctx, 5)


def _dnc(ctx):
    _reminder_ok(ctx)
    set_customer(ctx, do_not_call=True)


def _dispute(ctx):
    _reminder_ok(ctx)
    assert log(ctx, outcome="dispute", when=at(28, 9)).saved


def _complaint(ctx):
    _reminder_ok(ctx)
    with ctx.db.write() as s:
        s.add(
            Complaint(
                customer_id="C1",
                about="collection",
                text="rude",
                opened_at=at(28, 8),
                due_on=at(28, 8).date() + timedelta(days=15),
                hold_active=True,
            )
        )


def _promise(ctx):
    _reminder_ok(ctx)
    with ctx.db.write() as s:
        s.add(Promise(customer_id="C1", made_at=at(27, 9), amount_fen=1000, due_date=at(30, 9).date()))


def _plan(ctx):
    from collectui.domain.cases import plans

    _reminder_ok(ctx)
    texts = ["2026-12-15:2600", "2027-01-15:2500"]  # the overdue 5,100.00: active at once
    assert plans.propose_plan(ctx, actor_of(ctx, "amy"), "C1", texts).status == "active"


def _three_conversations(ctx):
    _reminder_ok(ctx)
    for hour in (8, 9):
        assert log(ctx, outcome="refuses", when=at(28, hour)).saved
    assert log(ctx, "bob", outcome="refuses", when=at(28, 9, 30)).saved


def _own_used_up_contact_free(ctx):
    _reminder_ok(ctx)
    for i in range(6):
        assert log(ctx, outcome="no_answer", when=at(28, 8, i * 5)).saved


def _every_number_used_up(ctx):
    _own_used_up_contact_free(ctx)
    for i in range(6):
        assert log(ctx, outcome="no_answer", contact="K1", when=at(28, 9, i * 5)).saved


def _cancelled_calls_count(ctx):
    """Six "dial, press Back": each showed the number, each counts."""
    _reminder_ok(ctx)
    set_customer(ctx, phone_invalid=False)
    with ctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE contact SET phone_invalid = 1")
    for _ in range(6):
        started = start_call(ctx, actor_of(ctx, "amy"), "C1")
        assert started.gate.allowed
        cancel_call(ctx, actor_of(ctx, "amy"), started.call_id)


def _no_valid_number(ctx):
    set_customer(ctx, phone_invalid=True)
    with ctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE contact SET phone_invalid = 1")


SCENARIOS = {
    "no reminder": (_no_reminder, "sms_notice"),
    "reminder too new": (_reminder_too_new, "sms_notice"),
    "reminder in time": (_reminder_ok, None),
    "do not call": (_dnc, "do_not_call"),
    "dispute": (_dispute, "dispute_hold"),
    "complaint": (_complaint, "complaint_hold"),
    "promise pending": (_promise, "promise_pending"),
    "payment plan being kept": (_plan, "plan_active"),
    "three conversations": (_three_conversations, "daily_conversations"),
    "own number used up, contact free": (_own_used_up_contact_free, None),
    "every number used up": (_every_number_used_up, "daily_attempts"),
    "cancelled calls count": (_cancelled_calls_count, "daily_attempts"),
    "no valid number": (_no_valid_number, "invalid_number"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_list_and_the_gate_agree(lctx, name):
    build, blocked = SCENARIOS[name]
    build(lctx)
    item = list_item(lctx)
    assert (item.callable, item.blocked_reason) == (blocked is None, blocked)
    assert gate_callable(lctx) is item.callable


def test_the_list_says_when_a_too_new_reminder_lets_calls_start_and_judges_again_then(lctx):
    _sent_reminder(lctx, 0.5)  # sent 09:30; the lead time is 1 hour
    item = list_item(lctx)
    assert item.blocked_reason == "sms_notice" and item.blocked_until == at(28, 10, 30)
    assert item.recheck_at == at(28, 10, 30)
    lctx.clock.current = at(28, 10, 31)
    refresh.ensure_current(lctx)
    with lctx.db.read() as s:
        again = s.get(WorkItem, "C1")
        assert again.callable and again.blocked_reason is None and again.recheck_at is None
    assert gate_callable(lctx)


def test_a_daily_limit_lifts_at_the_next_window(lctx):
    _every_number_used_up(lctx)
    item = list_item(lctx)
    assert item.blocked_until == at(29, 8)


def test_an_abandoned_started_call_counts_once_expired(lctx):
    _reminder_ok(lctx)
    lctx.policy = policy_from_dict({"rules": {"daily_attempts": {"max": 1}}})
    with lctx.db.write() as s:
        s.connection().exec_driver_sql("UPDATE contact SET phone_invalid = 1")
    started = start_call(lctx, actor_of(lctx, "amy"), "C1")
    assert started.gate.allowed
    assert "daily_attempts" not in {r.rule for r in check_call(lctx, actor_of(lctx, "amy"), "C1").reasons}
    lctx.clock.current = at(28, 10, 16)  # the in_call minutes (15) have passed: abandoned
    assert "daily_attempts" in {r.rule for r in check_call(lctx, actor_of(lctx, "bob"), "C1").reasons}
    assert list_item(lctx).blocked_reason == "daily_attempts"
