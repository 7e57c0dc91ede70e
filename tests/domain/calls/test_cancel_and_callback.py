"""Ending a started call without a record, calls left unfinished, callbacks and dispute reasons."""

from __future__ import annotations

import pytest

from collectui.domain.calls.record import (
    CallInput,
    cancel_call,
    check_call,
    log_call,
    start_call,
    unfinished_calls,
    validate_call,
)
from collectui.domain.calls.targets import call_targets
from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.portfolio import refresh
from collectui.domain.worklist import queries
from collectui.storage.models import AuditEvent, CallAttempt, WorkItem
from tests.support.calls import RPC_CHECKS, at, calls_policy, log, seed, set_customer
from tests.support.cli import actor_of


@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()
    ctx.clock.current = at(28, 10)
    return ctx


def attempt(ctx, call_id: int) -> CallAttempt:
    with ctx.db.read() as s:
        row = s.get(CallAttempt, call_id)
        s.expunge(row)
        return row


def rules(result) -> list[str]:
    return [r.rule for r in result.reasons]


# --- cancel ------------------------------------------------------------------------------------------------


def test_the_picker_counts_a_shared_number_as_the_gate_does(ctx):
    # Two borrowers on one phone: attempts for either use up the number's daily limit, in the gate and in
    # the number picker alike.
    seed(ctx, customers=2)
    ctx.policy = calls_policy()
    ctx.clock.current = at(28, 10)
    with ctx.db.raw_read() as raw:
        shared = raw.execute("SELECT phone FROM customer WHERE customer_id = 'C1'").fetchone()[0]
    set_customer(ctx, "C2", phone=shared)
    for hour in (8, 9):
        log(ctx, customer="C2", when=at(28, hour), outcome="no_answer")
    assert call_targets(ctx, "C1").targets[0].attempts_today == 2
    assert call_targets(ctx, "C2").targets[0].attempts_today == 2


def test_checking_writes_nothing_so_leaving_before_dial_counts_nothing(sctx):
    for _ in range(10):
        assert check_call(sctx, actor_of(sctx, "amy"), "C1").allowed
    with sctx.db.read() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM call_attempt").scalar() == 0
    assert call_targets(sctx, "C1").targets[0].attempts_today == 0


def test_cancel_after_dial_counts_and_frees_the_borrower_at_once(sctx):
    started = start_call(sctx, actor_of(sctx, "amy"), "C1")
    assert rules(check_call(sctx, actor_of(sctx, "bob"), "C1")) == ["in_call"]
    result = cancel_call(sctx, actor_of(sctx, "amy"), started.call_id)
    assert result.counted
    row = attempt(sctx, started.call_id)
    assert row.status == "cancelled" and row.ended_at is not None
    assert check_call(sctx, actor_of(sctx, "bob"), "C1").allowed  # released at once, not after 15 minutes
    assert call_targets(sctx, "C1").targets[0].attempts_today == 1
    with sctx.db.read() as s:
        events = [e for e in s.exec(AuditEvent.__table__.select()).all() if e.action == "call.cancel"]
    assert len(events) == 1


def test_dial_and_back_cannot_be_repeated_without_limit(sctx):
    sctx.policy = calls_policy({"daily_attempts": {"max": 6}, "third_party_not_allowed": {"failed_attempts": 99}})
    amy = actor_of(sctx, "amy")
    for _ in range(6):
        started = start_call(sctx, amy, "C1")
        assert started.gate.allowed
        cancel_call(sctx, amy, started.call_id)
    seventh = start_call(sctx, amy, "C1")
    assert not seventh.gate.allowed and rules(seventh.gate) == ["daily_attempts"] and seventh.phone is None


def test_only_the_collector_who_started_it_cancels_it_once(sctx):
    started = start_call(sctx, actor_of(sctx, "amy"), "C1")
    with pytest.raises(InvalidInput):
        cancel_call(sctx, actor_of(sctx, "bob"), started.call_id)
    cancel_call(sctx, actor_of(sctx, "amy"), started.call_id)
    with pytest.raises(InvalidInput):
        cancel_call(sctx, actor_of(sctx, "amy"), started.call_id)


def test_a_cancelled_call_can_still_be_recorded_as_it_really_went(sctx):
    amy = actor_of(sctx, "amy")
    started = start_call(sctx, amy, "C1")
    cancel_call(sctx, amy, started.call_id)
    data = CallInput("C1", "refuses", checklist=RPC_CHECKS, recording_ref="rec-9")
    result = log_call(sctx, amy, data, started_call_id=started.call_id)
    assert result.saved and attempt(sctx, started.call_id).status == "logged"
    assert call_targets(sctx, "C1").targets[0].attempts_today == 0  # a conversation, not an unanswered attempt


def test_unfinished_calls_open_expired_and_cancelled(sctx):
    amy = actor_of(sctx, "amy")
    first = start_call(sctx, amy, "C1")
    assert [(u.call_id, u.state) for u in unfinished_calls(sctx, amy)] == [(first.call_id, "open")]
    sctx.clock.current = at(28, 10, 20)  # past the in_call minutes: abandoned
    assert [u.state for u in unfinished_calls(sctx, amy)] == ["expired"]
    assert unfinished_calls(sctx, actor_of(sctx, "bob")) == []
    assert check_call(sctx, actor_of(sctx, "bob"), "C1").allowed  # an abandoned call holds nobody
    cancel = start_call(sctx, amy, "C1")
    cancel_call(sctx, amy, cancel.call_id)
    states = {u.call_id: u.state for u in unfinished_calls(sctx, amy)}
    assert states == {first.call_id: "expired", cancel.call_id: "cancelled"}
    assert all(u.name_masked.endswith("*") for u in unfinished_calls(sctx, amy))


# --- invalid numbers ---------------------------------------------------------------------------------------


def test_a_number_marked_invalid_is_refused_and_a_third_party_allowed(sctx):
    set_customer(sctx, phone_invalid=True)
    assert rules(check_call(sctx, actor_of(sctx, "amy"), "C1")) == ["invalid_number"]
    assert check_call(sctx, actor_of(sctx, "amy"), "C1", contact="K1").allowed
    targets = {t.value: t for t in call_targets(sctx, "C1").targets}
    assert targets["debtor"].phone_invalid and targets["K1"].third_party and not targets["K1"].phone_invalid


def test_the_rule_can_be_switched_off_like_any_other(sctx):
    set_customer(sctx, phone_invalid=True)
    sctx.policy = calls_policy({"invalid_number": {"enabled": False}})
    assert check_call(sctx, actor_of(sctx, "amy"), "C1").allowed


# --- callbacks ---------------------------------------------------------------------------------------------


def problems(ctx, **kw) -> dict[str, str]:
    data = CallInput("C1", kw.pop("outcome", "callback"), checklist=RPC_CHECKS, recording_ref="r", **kw)
    return {p.field: p.message for p in validate_call(ctx, data)}


@pytest.mark.parametrize(
    ("typed", "field_ok"),
    [
        ("16:30", True),  # today, later
        ("2026-11-29 09:00", True),
        ("2026-12-12 21:59", True),  # the 14th day, inside the window
        ("2026-12-13 10:00", False),  # past calls.callback_horizon_days (14)
        ("09:00", False),  # before the call
        ("2026-11-29 22:30", False),  # outside the call window
        ("2026-11-29 07:59", False),
        ("tomorrow", False),
        ("25:00", False),
    ],
)
def test_callback_time_edges(sctx, typed, field_ok):
    assert ("callback_at" not in problems(sctx, callback_at=typed)) is field_ok


def test_callback_time_follows_the_borrowers_agreed_hours(sctx):
    set_customer(sctx, consent_hours="18:00-20:00")
    assert "callback_at" in problems(sctx, callback_at="16:30")
    assert "callback_at" not in problems(sctx, callback_at="19:00")


def test_callback_needs_a_time_and_only_callback_takes_one(sctx):
    assert "callback_at" in problems(sctx)
    assert "callback_at" in problems(sctx, outcome="refuses", callback_at="16:30")


def test_a_callback_shows_on_the_list_and_the_due_filter_until_the_next_call(sctx):
    assert log(sctx, outcome="callback", callback_at="16:30").saved
    refresh.refresh(sctx, ["C1"])
    with sctx.db.read() as s:
        assert s.get(WorkItem, "C1").callback_at == at(28, 16, 30)
    flt = queries.WorkFilter(include_blocked=True)
    assert queries.callbacks_due_count(sctx, flt) == 1
    rows = queries.fetch_page(sctx, queries.WorkFilter(include_blocked=True, callbacks_due=True))
    assert [r.customer_id for r in rows] == ["C1"] and rows[0].callback_at == at(28, 16, 30)
    sctx.clock.current = at(28, 16, 31)
    assert log(sctx, outcome="no_answer").saved  # the callback was made
    assert queries.callbacks_due_count(sctx, flt) == 0


def test_a_callback_for_next_week_is_not_due_today(sctx):
    assert log(sctx, outcome="callback", callback_at="2026-12-02 10:00").saved
    assert queries.callbacks_due_count(sctx, queries.WorkFilter(include_blocked=True)) == 0


# --- dispute reasons ---------------------------------------------------------------------------------------


def test_a_dispute_names_its_reason(sctx):
    assert "dispute_reason" in problems(sctx, outcome="dispute")
    assert "dispute_reason" in problems(sctx, outcome="dispute", dispute_reason="because")
    assert "dispute_reason" not in problems(sctx, outcome="dispute", dispute_reason="already_paid")
    assert "dispute_reason" in problems(sctx, outcome="refuses", dispute_reason="already_paid")


def test_a_collector_cannot_cancel_across_branches(sctx):
    from collectui.domain.staff.actor import Actor

    started = start_call(sctx, actor_of(sctx, "amy"), "C1")
    stranger = Actor("eve", "collector", "西城支行", None, "session")
    with pytest.raises(PermissionDenied):
        cancel_call(sctx, stranger, started.call_id)


def test_a_wrong_number_marks_that_number_invalid(sctx):
    set_customer(sctx, phone_invalid=True)  # the borrower unreachable: a third party may be called
    result = log(sctx, outcome="wrong_number", contact="K1")
    assert result.saved and result.effects == ["contact.phone_invalid"]
    assert [t.phone_invalid for t in call_targets(sctx, "C1").targets] == [True, True]


def test_yesterdays_cancelled_calls_leave_the_unfinished_list_abandoned_ones_stay(sctx):
    amy = actor_of(sctx, "amy")
    cancelled = start_call(sctx, amy, "C1")
    cancel_call(sctx, amy, cancelled.call_id)
    sctx.clock.current = at(28, 10, 20)
    abandoned = start_call(sctx, amy, "C1")
    sctx.clock.current = at(29, 9)
    assert [(u.call_id, u.state) for u in unfinished_calls(sctx, amy)] == [(abandoned.call_id, "expired")]
